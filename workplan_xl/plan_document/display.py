"""The outline of a Plan as an indented text tree, as `wpx parse FILE` prints it, and the Plan JSON
that `wpx parse FILE --json PATH` writes."""

from __future__ import annotations

import re
from pathlib import Path

from workplan_xl.plan import Plan, Section, Task

KIND_NAMES = {"plan": "工作要点", "summary": "工作总结"}
_WIDTH = 40  # titles are cut here so one task fits one terminal line


def _numbered(number: str) -> str:
    """'1' → '1.', '一' → '一、', '（一）' stays, '3月' → '3月 '."""
    if number.isdigit():
        return number + "."
    if re.fullmatch(r"[一二三四五六七八九十百]+", number):
        return number + "、"
    if not number or re.fullmatch(r"[（(].+[)）]|[①-⑳]", number):
        return number
    return number + " "


def _cut(text: str) -> str:
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def _facts(task: Task) -> str:
    bits: list[str] = []
    if task.measures:
        bits.append(f"措施{len(task.measures)}")
    if task.indicators:
        bits.append(f"指标{len(task.indicators)}")
    if task.months:
        bits.append("月份" + ",".join(str(m) for m in task.months))
    if task.deadline:
        bits.append(f"时限:{task.deadline}")
    if task.owners:
        bits.append("责任:" + "、".join(task.owners))
    if task.partners:
        bits.append("配合:" + "、".join(task.partners))
    return ("  " + " ".join(bits)) if bits else ""


def _section_lines(section: Section) -> list[str]:
    head = f"  {_numbered(section.numeral)}{_cut(section.title)}"
    if section.context:
        return [head + "  [背景]"]
    tasks = section.tasks
    if len(tasks) == 1 and tasks[0].title == section.title:
        # the section is itself one task
        return [f"{head}  [{tasks[0].id}]{_facts(tasks[0])}"]
    lines = [head]
    for task in tasks:
        lines.append(f"      {task.id} {_numbered(task.number)}{_cut(task.title)}{_facts(task)}")
    return lines


_LISTED = 10  # unplaced paragraphs shown; the JSON has them all


def coverage_lines(plan: Plan) -> list[str]:
    """'正文 96% 已归入任务' and the paragraphs that went nowhere (a plan read badly shows at once)."""
    if plan.coverage is None:
        return []
    share = f"{plan.coverage * 100:.0f}%" if plan.coverage < 1 else "100%"
    if share == "100%" and plan.unplaced:
        share = "99%"
    lines = [f"正文 {share} 已归入任务"]
    if plan.unplaced:
        lines[0] += f"；未归入任务的段落 {len(plan.unplaced)} 段："
        lines += [f"  · {_cut(text)}" for text in plan.unplaced[:_LISTED]]
        if len(plan.unplaced) > _LISTED:
            lines.append(f"  …… 另有 {len(plan.unplaced) - _LISTED} 段（见 --json 输出的 unplaced）")
    return lines


def format_outline(plan: Plan) -> str:
    """Title and metadata, then per part its sections and tasks with small counts, then totals and
    warnings. Chinese labels; one line per task."""
    lines = [plan.title or "（无标题）"]
    about = [f"年度：{plan.year}" if plan.year else "", f"发文单位：{plan.issuer}" if plan.issuer else "",
             f"文号：{plan.doc_number}" if plan.doc_number else "", f"日期：{plan.issued}" if plan.issued else ""]
    if any(about):
        lines.append("  " + "　".join(a for a in about if a))
    for part in plan.parts:
        kind = KIND_NAMES.get(part.kind, part.kind)
        year = f"（{part.year}年）" if part.year else ""
        lines.append("")
        lines.append(f"【{kind}{year}】{part.title}" if part.title and part.title != plan.title or len(
            plan.parts) > 1 else f"【{kind}{year}】")
        for section in part.sections:
            lines += _section_lines(section)
    tasks = list(plan.tasks())
    lines.append("")
    lines += coverage_lines(plan)
    lines.append(
        f"合计：{len(plan.parts)} 个部分，{sum(len(p.sections) for p in plan.parts)} 个板块，{len(tasks)} 项任务，"
        f"{sum(len(t.measures) for t in tasks)} 条措施，{sum(len(t.indicators) for t in tasks)} 个指标，"
        f"配档表 {len(plan.schedule)} 行")
    if plan.warnings:
        lines.append("注意：")
        lines += [f"  - {w}" for w in plan.warnings]
    return "\n".join(lines)


def write_plan_json(plan: Plan, path: Path, source: Path | None = None) -> Path | None:
    """Write the Plan JSON to ``path`` (never onto the plan being read; an older file goes to 备份/).
    Returns where the older file went, or None."""
    from workplan_xl.errors import OutputError
    from workplan_xl.outputs import Inputs, check_output, move_aside

    path = Path(path)
    check_output(path, "json", "Plan JSON", Inputs(plan=source), option="--json")
    data = plan.to_json().encode("utf-8")
    backup = move_aside(path, replacement=data)
    try:
        path.write_bytes(data)
    except OSError as error:
        raise OutputError(f"无法写入「{path}」（{error.strerror or error}）：请检查文件夹是否存在、是否可写，"
                          "或用 --json 换一个位置。") from error
    return backup
