"""enrich.py: a task table in the attachments completes the body's tasks; goal figures reach 指标跟踪
through the task they clearly belong to, or are reported."""

from __future__ import annotations

from workplan_xl.plan import Indicator, Part, Plan, Section, Task
from workplan_xl.plan_document.enrich import apply_attached_rows, track_goals


def _plan(goal_text: str = "") -> Plan:
    tasks = [Task(id="T001", title="开展幼儿园办园行为督导评估", text="对16所幼儿园进行评估。"),
             Task(id="T002", title="建立问题整改台账", text="实行清单管理。",
                  indicators=[Indicator(id="I001", text="整改完成率达到95%", metric="整改完成率", value=95, unit="%",
                                              task="T002")])]
    sections = [Section(id="S01", numeral="一", title="工作目标", text=goal_text, context=True),
                Section(id="S02", numeral="二", title="重点任务", tasks=tasks)]
    return Plan(title="某县2026年督导要点", year=2026, parts=[Part(kind="plan", year=2026, sections=sections)])


def test_attached_rows_fill_what_the_body_leaves_open() -> None:
    plan = _plan()
    plan.task("T001").deadline = "9月至11月"
    apply_attached_rows(plan, [
        {"title": "开展幼儿园办园行为督导评估", "owners": ["督导室"], "partners": ["学前教育股"], "deadline": "2026年11月"},
        {"title": "整改台账", "owners": ["督导室"], "partners": [], "deadline": "2026年12月底前"},
        {"title": "召开全县教育大会", "owners": ["办公室"], "partners": [], "deadline": ""},
    ])
    first, second = plan.task("T001"), plan.task("T002")
    assert (first.owners, first.partners, first.deadline) == (["督导室"], ["学前教育股"], "9月至11月")  # the body wins
    assert (second.owners, second.deadline, second.months) == (["督导室"], "2026年12月底前", [12])
    assert plan.warnings == ["附件任务分解表中有 1 行未能对应到正文任务（如“召开全县教育大会”），其责任单位和时限未读入：请在台账中核对。"]


def test_goal_figures_go_to_their_task_or_are_reported() -> None:
    plan = _plan("1.幼儿园办园行为督导评估优良率达到90%以上。2.问题整改完成率达到95%。3.群众满意度达到92%。")
    track_goals(plan)
    first = plan.task("T001")
    assert [(i.id, i.value, i.unit, i.task) for i in first.indicators] == [("I002", 90, "%", "T001")]
    assert len(plan.task("T002").indicators) == 1  # the same 95% is tracked already
    assert plan.warnings == [
        "「工作目标」中的指标“幼儿园办园行为督导评估优良率达到90%以上”已归入任务 T001（开展幼儿园办园行为督导评估）的指标跟踪：请核对。",
        "「工作目标」中的指标“群众满意度达到92%”没有对应的任务，未纳入指标跟踪：如需跟踪，请在台账“指标跟踪”中补一行并填写所属任务。"]


def test_summaries_keep_their_goals_to_themselves() -> None:
    plan = _plan("群众满意度达到92%。")
    plan.parts[0].kind = "summary"
    track_goals(plan)
    assert plan.warnings == []
