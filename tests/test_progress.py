import pytest

from workplan_xl.plan import Indicator, Part, Plan, Section, Task, Unit
from workplan_xl.progress import (
    MISSING,
    REPORTED,
    Entry,
    UnitReport,
    aggregate,
    compute_progress,
    judge,
)


@pytest.mark.parametrize("values, how, expected", [
    ([1, 2, 3], "sum", 6), ([90, 100], "mean", 95), ([3, 1], "min", 1), ([3, 1], "max", 3),
    ([5, 6, 7], "count", 3), ([1], "none", None), ([], "sum", None),
])
def test_aggregate(values, how, expected):
    assert aggregate(values, how) == expected


@pytest.mark.parametrize("comparator, target, actual, rate, reached", [
    (">=", 95, 96.2, 101.3, True),
    (">=", 95, 90, 94.7, False),
    (">", 85, 85, 100.0, False),
    ("~", 95, 93.2, 98.1, True),   # 左右: within 2 % below
    ("~", 95, 92, 96.8, False),
    ("<=", 10, 8, 125.0, True),
    ("<", 10, 10, 100.0, False),
    ("=", 4, 4, 100.0, True),
    (">=", 95, None, None, None),
])
def test_judge(comparator, target, actual, rate, reached):
    assert judge(Indicator("I1", "x", comparator=comparator, value=target, unit="%"), actual) == (rate, reached)


def test_judge_without_target():
    assert judge(Indicator("I1", "x", value=None), 5) == (None, None)


def _plan():
    tasks = [Task("T001", "1", "任务甲", indicators=[Indicator("I001", "新增学位100个", value=100, unit="个",
                                                                 task="T001")]),
             Task("T002", "2", "任务乙"),
             Task("T003", "3", "任务丙", indicators=[Indicator("I002", "覆盖率达90%", value=90, unit="%",
                                                                 task="T003")])]
    return Plan(title="p", year=2025, parts=[Part("plan", "p", 2025, [Section("S01", "一", "板块", tasks=tasks)])],
                units=[Unit("A", "甲校"), Unit("B", "乙校"), Unit("C", "丙校")])


def test_compute_progress_counts_statuses_and_aggregates():
    plan = _plan()
    entries = [
        Entry("A", "T001", "status", "已完成"), Entry("A", "T001", "progress", "已完成扩建。"),
        Entry("B", "T001", "status", "已完成"), Entry("C", "T001", "status", "不适用"),
        Entry("A", "T002", "status", "推进中"),
        Entry("A", "I001", "value", "60"), Entry("B", "I001", "value", "50"), Entry("C", "I001", "value", "x"),
        Entry("A", "T003", "status", "未启动"), Entry("A", "I002", "value", "92"), Entry("B", "I002", "value", "86"),
    ]
    units = [UnitReport(u, REPORTED) for u in plan.units[:2]] + [UnitReport(plan.units[2], MISSING)]
    progress = compute_progress(plan, entries, units, [], "2025")
    t1, t2, t3 = progress.tasks
    assert t1.counts == {"未启动": 0, "推进中": 0, "已完成": 2, "不适用": 1}
    assert t1.status == "已完成"
    assert t1.progress_notes == [("甲校", "已完成扩建。")]
    assert t2.status == "推进中" and [u.code for u in t2.missing] == ["B", "C"]
    assert t3.status == "未启动"
    i1, i2 = progress.indicators
    assert i1.actual == 110 and i1.reached is True and i1.rate == 110.0  # sum; "x" is not a number
    assert i2.actual == 89 and i2.reached is False  # mean of a rate
    assert [u.unit.code for u in progress.missing] == ["C"]
    assert len(progress.reported) == 2


def test_task_nobody_reported_is_missing():
    plan = _plan()
    progress = compute_progress(plan, [], [UnitReport(u) for u in plan.units], [])
    assert {t.status for t in progress.tasks} == {MISSING}
    assert all(i.actual is None and i.reached is None for i in progress.indicators)
