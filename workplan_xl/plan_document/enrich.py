"""What a plan says outside its tasks, brought to the tasks: a task table in the attachments (owners,
partners, deadlines of the body's tasks) and the figures of its goal sections (工作目标, 主要目标).

A goal's figure is tracked only through a task: the master workbook's 指标跟踪 lists indicators task by
task. So each figure of a context section goes to the plan task its wording clearly matches (the
schedule's bigram linker, which leaves a row unlinked rather than guess), unless that task already
carries the same figure; a figure that matches no task is named in the plan's warnings.
"""

from __future__ import annotations

import re
from typing import Any

from workplan_xl.plan import Plan

__all__ = ["apply_attached_rows", "track_goals"]


def apply_attached_rows(plan: Plan, rows: list[dict[str, Any]]) -> None:
    """Rows of a task table in the attachments (任务分解表) give the body's tasks what the body does not
    say: owners, partners, the deadline. A row goes to the task of the same title, else to the task
    its wording clearly matches; a row that matches none is reported, never guessed."""
    from workplan_xl.plan_document.facts import deadline_date, find_months
    from workplan_xl.plan_document.schedule_link import best_tasks

    if not rows:
        return
    part = plan.plan_part()
    tasks = [t for s in part.sections for t in s.tasks] if part else []
    titles = {_key(t.title): k for k, t in enumerate(tasks)}
    guesses = best_tasks([f"{r.get('title', '')} {r.get('text', '')}" for r in rows], tasks)
    missed = []
    for row, guess in zip(rows, guesses, strict=True):
        key = _key(str(row.get("title") or ""))
        k = titles.get(key, next((i for t, i in titles.items() if key and t and (key in t or t in key)), guess))
        if k is None:
            missed.append(str(row.get("title") or row.get("text") or "")[:20])
            continue
        task = tasks[k]
        task.owners = task.owners or list(row.get("owners") or [])
        task.partners = task.partners or [p for p in row.get("partners") or [] if p not in task.owners]
        if row.get("deadline") and not task.deadline:
            task.deadline = str(row["deadline"])
        year = part.year if part and part.year else plan.year
        if task.deadline and deadline_date(task.deadline, year) is not None and not task.months:
            task.months = find_months(task.deadline)
    if missed:
        plan.warnings.append(f"附件任务分解表中有 {len(missed)} 行未能对应到正文任务（如“{missed[0]}”），其责任单位和时限未读入：请在台账中核对。")


def _key(text: str) -> str:
    return re.sub(r"[\s，,。；;：:、“”\"（）()]", "", text)


def track_goals(plan: Plan) -> None:
    """Indicators of the plan part's context sections, given to the tasks they clearly belong to."""
    from workplan_xl.plan_document.indicators import find_indicators
    from workplan_xl.plan_document.schedule_link import best_tasks, bigrams

    part = plan.plan_part()
    if part is None or part.kind != "plan":
        return
    tasks = [t for s in part.sections for t in s.tasks]
    taken = {i.id for i in plan.indicators()}
    number = max((int(i[1:]) for i in taken if i[1:].isdigit()), default=0)
    for section in part.sections:
        if not section.context or not section.text:
            continue
        goals = [g for g in find_indicators(section.text, part.kind) if g.kind != "achieved"]
        missed = []
        for goal, k in zip(goals, best_tasks([g.metric or g.text for g in goals], tasks), strict=True):
            task = tasks[k] if k is not None else None
            same = [i for t in ([task] if task else tasks) for i in t.indicators
                    if i.value == goal.value and i.unit == goal.unit and bigrams(i.metric) & bigrams(goal.metric)]
            if same:
                continue  # a task states the same figure: tracked already
            if task is None:
                missed.append(goal.text)
                continue
            number += 1
            goal.id, goal.task = f"I{number:03d}", task.id
            task.indicators.append(goal)
            plan.warnings.append(f"「{section.title}」中的指标“{goal.text}”已归入任务 {task.id}（{task.title[:16]}）的指标跟踪：请核对。")
        if missed:
            shown = "”“".join(missed[:3]) + ("”等" if len(missed) > 3 else "”")
            plan.warnings.append(f"「{section.title}」中的指标“{shown}没有对应的任务，未纳入指标跟踪：如需跟踪，"
                                 "请在台账“指标跟踪”中补一行并填写所属任务。")
