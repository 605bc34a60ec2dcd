"""link_schedule: rows go to the task whose distinctive words they share, or to none."""

from __future__ import annotations

from workplan_xl.plan import ScheduleEntry, Task
from workplan_xl.plan_document.schedule_link import bigrams, link_schedule

TASKS = [
    Task(id="T001", title="加强学校食堂管理", text="开展食堂食品安全专项检查，落实校长陪餐制度。"),
    Task(id="T002", title="推进教师队伍建设", text="举办青年教师基本功大赛，实施名师培养工程。"),
    Task(id="T003", title="深化课后服务", text="完善课后服务课程体系，引进第三方机构参与。"),
    Task(id="T004", title="做好招生考试工作", text="规范义务教育招生，组织中考命题和阅卷。"),
]


def test_bigrams_skip_function_characters_and_punctuation() -> None:
    assert bigrams("学校的食堂") == {"学校", "食堂"}
    assert bigrams("A，B") == set()


def test_rows_link_to_the_task_that_shares_their_words() -> None:
    entries = [ScheduleEntry(month=3, text="开展食堂食品安全专项检查"),
               ScheduleEntry(month=4, text="举办青年教师基本功大赛"),
               ScheduleEntry(month=6, text="组织中考命题工作"),
               ScheduleEntry(month=9, text="召开全体大会"),            # shares nothing distinctive
               ScheduleEntry(month=10, text="开展工作")]               # only words every task has
    link_schedule(entries, TASKS)
    assert [e.task for e in entries] == ["T001", "T002", "T004", None, None]


def test_an_even_split_stays_unlinked() -> None:
    tasks = [Task(id="A", title="校园足球联赛"), Task(id="B", title="校园篮球联赛")]
    entry = ScheduleEntry(month=5, text="举办校园联赛")
    link_schedule([entry], tasks)
    assert entry.task is None


def test_no_tasks_means_no_links() -> None:
    entry = ScheduleEntry(month=1, text="开展食堂检查", task="T009")
    link_schedule([entry], [])
    assert entry.task is None


def test_best_tasks_gives_indices_or_none() -> None:
    from workplan_xl.plan_document.schedule_link import best_tasks

    tasks = [Task(id="T001", title="开展幼儿园办园行为督导评估"), Task(id="T002", title="建立问题整改台账")]
    assert best_tasks(["幼儿园办园行为督导评估", "整改台账", "召开全体会议"], tasks) == [0, 1, None]
