import json

import pytest

from workplan_xl.plan import (
    SCHEMA,
    Indicator,
    Part,
    Plan,
    ScheduleEntry,
    Section,
    Task,
    Unit,
    default_aggregate,
    items_for,
    next_id,
    units_for,
)


def sample_plan() -> Plan:
    t1 = Task("T001", "1", "强化督学队伍", "配齐督学。", owners=["督导室"], months=[3, 9],
              indicators=[Indicator("I001", "覆盖率达到95%", "覆盖率", ">=", 95, "%", task="T001")])
    t2 = Task("T002", "2", "开展质量监测", "组织监测。")
    t3 = Task("T003", "3", "幼儿园评估", "评估保教质量。", reporters=["幼儿园"])
    return Plan(
        title="示例县2025年工作要点", year=2025, issuer="示例县教育督导室", doc_number="示教督〔2025〕1号",
        issued="2025-02-01", source={"file": "a.txt", "sha256": "ab"},
        parts=[Part("plan", "示例县2025年工作要点", 2025, [
            Section("S01", "一", "总体思路", "坚持…", context=True),
            Section("S02", "二", "督导改革", "", tasks=[t1, t2, t3]),
        ])],
        schedule=[ScheduleEntry(3, "3月", "召开会议", ["督导室"], "T001")],
        units=[Unit("001", "教育督导室", "处室"), Unit("002", "第一小学", "学校"),
               Unit("003", "实验幼儿园", "幼儿园")],
    )


def test_json_round_trip_keeps_everything():
    plan = sample_plan()
    data = json.loads(plan.to_json())
    assert data["schema"] == SCHEMA
    again = Plan.from_json(plan.to_json())
    assert again == plan


def test_from_dict_refuses_other_schema():
    with pytest.raises(ValueError):
        Plan.from_dict({"schema": "other"})


def test_walking_and_lookup():
    plan = sample_plan()
    assert [t.id for t in plan.tasks()] == ["T001", "T002", "T003"]
    assert [i.id for i in plan.indicators()] == ["I001"]
    assert plan.task("T002").title == "开展质量监测"
    assert plan.section_of("T003").id == "S02"
    assert plan.plan_part().kind == "plan"


def test_fingerprint_ignores_task_edits_but_not_identity():
    plan = sample_plan()
    before = plan.fingerprint()
    plan.parts[0].sections[1].tasks[0].text = "改过的内容"
    assert plan.fingerprint() == before
    plan.title = "另一个计划"
    assert plan.fingerprint() != before


@pytest.mark.parametrize("taken, prefix, expected", [
    (set(), "T", "T001"),
    ({"T001", "T009"}, "T", "T010"),
    ({"S01", "S02", "T005"}, "S", "S03"),
    ({"I001", "Ix"}, "I", "I002"),
])
def test_next_id(taken, prefix, expected):
    assert next_id(prefix, taken) == expected


@pytest.mark.parametrize("unit, expected", [
    ("%", "mean"), ("所", "sum"), ("人", "sum"), ("个百分点", "mean"), ("", "none"), ("万元", "sum"),
])
def test_default_aggregate(unit, expected):
    assert default_aggregate(unit) == expected
    assert Indicator("I1", "x", unit=unit).aggregate == expected


def test_reporters_follow_owners_then_everyone_then_explicit_types():
    plan = sample_plan()
    t1, t2, t3 = plan.tasks()
    assert [u.code for u in units_for(plan, t1)] == ["001"]  # 督导室 matches 教育督导室
    assert [u.code for u in units_for(plan, t2)] == ["001", "002", "003"]
    assert [u.code for u in units_for(plan, t3)] == ["003"]  # by unit type
    indicator = t1.indicators[0]
    assert [u.code for u in units_for(plan, indicator)] == ["001"]  # follows its task


def test_owner_not_on_roster_falls_back_to_everyone():
    plan = sample_plan()
    task = plan.task("T002")
    task.owners = ["财务科"]
    assert len(units_for(plan, task)) == 3


def test_items_for_a_unit():
    plan = sample_plan()
    tasks, indicators = items_for(plan, plan.units[2])
    assert [t.id for t in tasks] == ["T002", "T003"]
    assert indicators == []
    tasks, indicators = items_for(plan, plan.units[0])
    assert [t.id for t in tasks] == ["T001", "T002"]
    assert [i.id for i in indicators] == ["I001"]


def test_indicator_without_task_or_reporters_goes_to_everyone():
    plan = sample_plan()
    assert len(units_for(plan, Indicator("I009", "满意度95%", value=95, unit="%"))) == 3
