"""Writing 台账.xlsx from a Plan with xlsxwriter.

Only the plan part (Plan.plan_part(): the 工作要点 the year is tracked against) becomes task rows;
other parts (a 工作总结 of last year in the same notice) are kept whole in _meta so nothing is lost,
and the 说明 sheet says they are not tracked. Indicators of kind "achieved" are results, not targets:
they are listed in 量化指标 on the task row and kept in _meta, not on 指标跟踪.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from workplan_xl import xlsx_style
from workplan_xl.cjk import clean_text
from workplan_xl.errors import OutputError
from workplan_xl.master_workbook import guide
from workplan_xl.master_workbook.layout import (
    AGGREGATE_LABELS,
    HEADER_ROW,
    INDICATOR_COLUMNS,
    MASTER_SCHEMA,
    MONTHS,
    NOTE_MARK,
    SCHEDULE_COLUMNS,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_SCHEDULE,
    SHEET_TASKS,
    SHEET_UNITS,
    SIGNS,
    STATUS_BLANK,
    STATUS_MISSED,
    STATUS_NO_TARGET,
    STATUS_REACHED,
    TASK_COLUMNS,
    UNIT_COLUMNS,
    composite_number,
    join_list,
    months_text,
    period_months,
    schedule_key,
    sign,
)
from workplan_xl.master_workbook.table import Table
from workplan_xl.plan import Indicator, Plan, ScheduleEntry, Section, Task, describe_units, units_for
from workplan_xl.progress import judge
from workplan_xl.roster import UNIT_TYPES

_CELL_LIMIT = 30000  # a cell holds at most 32,767 characters; _meta JSON is split below that

# (min, max) column widths in character units; long text wraps inside the maximum. 任务清单 has 13
# visible columns: with every one at its maximum it still prints on A4 landscape at 57 % (48 % with
# the earlier, wider maxima), so the repeated 一级任务 and the long texts wrap rather than widen the page.
_TASK_WIDTHS = {"seq": (5, 6), "number": (6, 10), "section": (10, 16), "title": (12, 22), "text": (20, 44),
                "measures": (12, 30), "indicators": (10, 24), "owners": (10, 16), "partners": (10, 20),
                "deadline": (10, 14), "months": (10, 14), "reporters": (10, 16), "note": (8, 16)}
_SCHEDULE_WIDTHS = {"month": (7, 7), "period": (6, 12), "text": (20, 50), "owners": (10, 24),
                    "task": (8, 12)}
_INDICATOR_WIDTHS = {"seq": (5, 6), "text": (16, 40), "task": (12, 30), "comparator": (5, 6),
                     "value": (7, 10), "unit": (5, 8), "baseline": (7, 10), "aggregate": (9, 10),
                     "reporters": (10, 20), "actual": (7, 10), "rate": (11, 12), "status": (8, 10)}
# Codes and phone numbers are digits: where 宋体 is missing (LibreOffice on Linux) they fall back to a
# font a third wider than Excel's width unit, so "0739-5200000" wrapped over the next row at 14.
_UNIT_WIDTHS = {"code": (10, 20), "name": (16, 40), "type": (8, 10), "contact": (8, 12), "phone": (16, 20)}


def write_master_workbook(plan: Plan, path: Path, actuals: Mapping[str, float] | None = None) -> Path:
    """Write the master workbook for ``plan`` to ``path``; ``actuals`` (indicator id → value) pre-fills 实际值.

    The file carries no timestamp of its own: the same Plan gives the same bytes.
    """
    path = Path(path)
    # In-memory mode: a master workbook is a few thousand rows at most, and building the zip in
    # memory is about twice as fast as xlsxwriter's temp-file default (DESIGN: 100 vs 57 files/s).
    # constant_memory would save nothing here and forbids writing rows out of order.
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False})
    workbook.set_properties({"title": clean_text(plan.title), "author": clean_text(plan.issuer),
                             "comments": "由 workplan_xl（wpx）生成", "created": _created(plan)})
    fmt = _formats(workbook)
    part = plan.plan_part()
    sections = part.sections if part is not None else []
    tasks = [t for s in sections for t in s.tasks]
    numbers = {t.id: composite_number(s.numeral, t.number) for s in sections for t in s.tasks}
    links = {t.id: f"{numbers[t.id]} {t.title}".strip() for t in tasks}

    _write_tasks(workbook, fmt, plan, numbers)
    schedule, generated = _schedule(plan, tasks)
    _write_schedule(workbook, fmt, plan, schedule, tasks, numbers)
    _write_indicators(workbook, fmt, plan, tasks, links, actuals or {})
    _write_units(workbook, fmt, plan)
    guide.write_guide(workbook, fmt, plan, part)
    meta = _meta(plan, part, numbers, links, schedule_key(schedule) if generated else None)
    _write_meta(workbook, plan, meta)
    try:
        workbook.close()
    except (FileCreateError, PermissionError, OSError) as error:
        raise OutputError(f"「{path.name}」无法写入：文件可能正在 Excel 或 WPS 中打开，或文件夹不可写；"
                          "请关闭文件后重新运行。") from error
    return path


def _created(plan: Plan) -> dt.datetime:
    """A fixed document date (the plan's own), so re-running gives the same file."""
    try:
        return dt.datetime.fromisoformat(plan.issued[:10])
    except ValueError:
        return dt.datetime(plan.year or 2000, 1, 1)


def _formats(workbook: Any) -> dict[str, Any]:
    fmt = xlsx_style.formats(workbook)
    base = {"font_name": xlsx_style.FONT, "font_size": xlsx_style.SIZE, "valign": "vcenter", "border": 1}
    fmt.update({
        "heading": workbook.add_format({**base, "border": 0, "bold": True, "font_size": 14,
                                        "align": "center_across"}),
        "value": workbook.add_format({**base, "align": "center"}),
        "month": workbook.add_format({**base, "align": "center", "num_format": '0"月"'}),
        "note_row": workbook.add_format({**base, "italic": True, "font_color": "#595959", "text_wrap": True,
                                         "bg_color": "#FAFAFA"}),
        "note_row_center": workbook.add_format({**base, "italic": True, "font_color": "#595959", "text_wrap": True,
                                                "bg_color": "#FAFAFA", "align": "center"}),
        "section_center": workbook.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "text_wrap": True,
                                               "align": "center"}),
        # xlsx_style's "0.##" shows 95 as "95."; General shows 95 and 94.5 as written.
        "input_number": workbook.add_format({**base, "locked": False, "bg_color": "#FFF2CC", "align": "center"}),
        "id": workbook.add_format({**base, "font_color": "#808080"}),
        "reached": workbook.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
        "missed": workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "blank": workbook.add_format({"bg_color": "#EDEDED", "font_color": "#7F7F7F"}),
        "this_month": workbook.add_format({"bg_color": "#FCE4D6"}),
    })
    return fmt


def _title(plan: Plan, what: str) -> list[str]:
    return [f"{plan.title}　{what}", what] if plan.title else [what]


def _write_tasks(workbook: Any, fmt: dict[str, Any], plan: Plan, numbers: dict[str, str]) -> None:
    table = Table(workbook, fmt, SHEET_TASKS, _title(plan, "任务清单"), TASK_COLUMNS)
    part = plan.plan_part()
    seq = 0
    for section in part.sections if part is not None else []:
        style = "note_row" if section.context else "section"
        table.next_row(style)
        table.text("seq", NOTE_MARK if section.context else "", f"{style}_center")
        table.text("number", section.numeral, f"{style}_center")  # centred like the tasks' numbers
        table.text("section", section.title, style)
        # A section that is itself its one task is a heading over its task row: its text once, there.
        table.text("text", "" if is_self_task(section) else section.text, style)
        table.text("id", section.id, style)
        for task in section.tasks:
            seq += 1
            table.next_row()
            table.number("seq", seq)
            table.text("number", numbers[task.id], "center")
            table.text("section", section.title)
            table.text("title", task.title)
            table.text("text", task.text)
            table.text("measures", "\n".join(task.measures))
            table.text("indicators", "\n".join(i.text for i in task.indicators))
            table.text("owners", join_list(task.owners))
            table.text("partners", join_list(task.partners))
            table.text("deadline", task.deadline)
            table.text("months", months_text(task.months), "center")
            table.text("reporters", reporters_text(plan, task))
            table.text("note", task.note)
            table.text("id", task.id, "id")
    table.finish(_TASK_WIDTHS, hidden=("id",))


def is_self_task(section: Section) -> bool:
    """A section with no numbered items is itself one task (same number, same text)."""
    if len(section.tasks) != 1:
        return False
    task = section.tasks[0]
    return task.number.strip() in ("", section.numeral.strip()) and task.text.strip() == section.text.strip()


def reporters_text(plan: Plan, item: Task | Indicator) -> str:
    """填报对象 as shown: the reporters the user set, else who units_for picks from owners and roster."""
    if item.reporters:
        return join_list(item.reporters)
    if not plan.units:
        return ""
    return describe_units(plan.units, units_for(plan, item))


def _schedule(plan: Plan, tasks: list[Task]) -> tuple[list[ScheduleEntry], bool]:
    """The plan's own 配档表, or one built from the tasks' 月度节点 (one row per task per month)."""
    if plan.schedule:
        return plan.schedule, False
    rows = [ScheduleEntry(month=m, text=t.title or t.text, owners=list(t.owners), task=t.id)
            for t in tasks for m in sorted(set(t.months))]
    return rows, True


def _write_schedule(workbook: Any, fmt: dict[str, Any], plan: Plan, schedule: list[ScheduleEntry],
                    tasks: list[Task], numbers: dict[str, str]) -> None:
    table = Table(workbook, fmt, SHEET_SCHEDULE, _title(plan, "重点工作配档表"), SCHEDULE_COLUMNS)
    months_of = {t.id: set(t.months) for t in tasks}
    for entry in schedule:
        table.next_row()
        table.number("month", entry.month, "month")
        table.text("period", entry.period, "center")
        table.text("text", entry.text)
        table.text("owners", join_list(entry.owners))
        linked = entry.task if entry.task in numbers else None
        table.text("task", numbers[linked] if linked else "", "center")
        table.text("task_id", linked or "", "id")
        # ● the row's own months; ○ the linked task's other 月度节点.
        task_months = months_of.get(linked or "", set())
        own = {entry.month} if entry.month else set(period_months(entry.period)) or task_months
        for m in MONTHS:
            # Marks, not formulas: 12 formulas a row made writing four times slower.
            table.text(f"m{m}", "●" if m in own else "○" if m in task_months else "", "center")
    # The grid follows an edited 月份 by shading; the marks are redrawn by the next wpx build.
    first, first_grid = table.cell("month", HEADER_ROW + 1, absolute_col=True), table.cell("m1", HEADER_ROW + 1)
    table.ws.conditional_format(HEADER_ROW + 1, table.col["m1"], table.last_row(), table.col["m12"], {
        "type": "formula", "format": fmt["this_month"],
        "criteria": f"={first}=COLUMN({first_grid})-COLUMN(${first_grid})+1"})
    # 6 wide: "10月" takes two lines of the header, not three as at 4.5 (LibreOffice)
    widths = {**_SCHEDULE_WIDTHS, **{f"m{m}": (6, 6) for m in MONTHS}}
    table.finish(widths, hidden=("task_id",))


def _write_indicators(workbook: Any, fmt: dict[str, Any], plan: Plan, tasks: list[Task],
                      links: dict[str, str], actuals: Mapping[str, float]) -> None:
    table = Table(workbook, fmt, SHEET_INDICATORS, _title(plan, "量化指标跟踪"), INDICATOR_COLUMNS)
    seq = 0
    for task in tasks:
        for indicator in task.indicators:
            if indicator.kind == "achieved":
                continue
            seq += 1
            table.next_row()
            table.number("seq", seq)
            table.text("text", indicator.text)
            table.text("task", links[task.id])
            table.text("comparator", sign(indicator.comparator), "center")
            table.number("value", indicator.value)
            table.text("unit", indicator.unit, "center")
            table.number("baseline", indicator.baseline)
            table.text("aggregate", AGGREGATE_LABELS.get(indicator.aggregate, "不汇总"), "center")
            table.text("reporters", reporters_text(plan, indicator))
            actual = actuals.get(indicator.id)
            table.number("actual", actual, "input_number")
            _judgement(table, indicator, actual)
            table.text("id", indicator.id, "id")
            table.text("task_id", task.id, "id")
    first, last = HEADER_ROW + 1, table.last_row()
    col = table.col
    xlsx_style.dropdown(table.ws, first, col["comparator"], last, list(SIGNS.values()))
    xlsx_style.dropdown(table.ws, first, col["aggregate"], last, list(AGGREGATE_LABELS.values()))
    table.ws.data_validation(first, col["actual"], last, col["actual"], {
        "validate": "decimal", "criteria": "between", "minimum": -1e15, "maximum": 1e15,
        "error_title": "请填数字", "error_message": "实际值只填数字，单位见“单位”列（百分比填 95，不填 95%）。"})
    for status, style in ((STATUS_REACHED, "reached"), (STATUS_MISSED, "missed"), (STATUS_BLANK, "blank")):
        table.ws.conditional_format(first, col["status"], last, col["status"], {
            "type": "cell", "criteria": "==", "value": f'"{status}"', "format": fmt[style]})
    table.finish(_INDICATOR_WIDTHS, hidden=("id", "task_id"))


def _judgement(table: Table, indicator: Indicator, actual: float | None) -> None:
    """完成率 and 状态 as formulas (they follow the user's edits) with the same results cached,
    computed by progress.judge so the workbook and the summaries agree."""
    j, e, d = table.cell("actual"), table.cell("value"), table.cell("comparator")
    rate_formula = (f'=IF(OR({j}="",{e}=""),"",IF(OR({d}="≤",{d}="<"),IF({j}=0,100,'
                    f'ROUND(MIN({e}/{j}*100,999),1)),IF({e}=0,"",ROUND({j}/{e}*100,1))))')
    test = (f'IF({d}="≥",{j}>={e},IF({d}=">",{j}>{e},IF({d}="≤",{j}<={e},IF({d}="<",{j}<{e},'
            f'IF({d}="≈",{j}>={e}*0.98,IF({d}="=",ABS({j}-{e})<0.000000001,{j}>={e}))))))')
    status_formula = (f'=IF({j}="","{STATUS_BLANK}",IF({e}="","{STATUS_NO_TARGET}",'
                      f'IF({test},"{STATUS_REACHED}","{STATUS_MISSED}")))')
    rate, reached = judge(indicator, actual)
    if actual is None:
        status = STATUS_BLANK
    elif indicator.value is None:
        status = STATUS_NO_TARGET
    else:
        status = STATUS_REACHED if reached else STATUS_MISSED
    table.formula("rate", rate_formula, "" if rate is None else rate)
    table.formula("status", status_formula, status)


def _write_units(workbook: Any, fmt: dict[str, Any], plan: Plan) -> None:
    table = Table(workbook, fmt, SHEET_UNITS, _title(plan, "填报单位"), UNIT_COLUMNS)
    for unit in plan.units:
        table.next_row()
        table.text("code", unit.code)  # text: leading zeros and long codes survive
        table.text("name", unit.name)
        table.text("type", unit.type, "center")
        table.text("contact", unit.contact)
        table.text("phone", unit.phone)
    types = list(UNIT_TYPES) + sorted({u.type for u in plan.units if u.type and u.type not in UNIT_TYPES})
    # A warning, not a stop: a roster may use its own types (小学, 初中) in 填报对象.
    xlsx_style.dropdown(table.ws, HEADER_ROW + 1, table.col["type"], table.last_row(), types, strict=False)
    # Column A stays text for codes typed later too.
    table.finish(_UNIT_WIDTHS)


def _meta(plan: Plan, part: Any, numbers: dict[str, str], links: dict[str, str],
          generated: str | None) -> dict[str, Any]:
    """What the sheets do not show but reading back needs: original numbers, kinds, other parts."""
    sections = part.sections if part is not None else []
    ids = {s.id for s in plan.sections()} | {t.id for t in plan.tasks()} | {i.id for i in plan.indicators()}
    return {
        "source": plan.source,
        "parts": [{"tracked": True, "kind": p.kind, "title": p.title, "year": p.year} if p is part
                  else {"tracked": False, "part": asdict(p)} for p in plan.parts],
        "sections": {s.id: {"context": s.context, **({"self_task": True} if is_self_task(s) else {})}
                     for s in sections},
        # 填报对象 as shown and as set: an untouched cell reads back as set (derived ones stay derived)
        "tasks": {t.id: {"number": t.number, "composite": numbers[t.id], "link": links[t.id],
                         "reporters": t.reporters, "reporters_shown": reporters_text(plan, t),
                         "achieved": [[n, asdict(i)] for n, i in enumerate(t.indicators) if i.kind == "achieved"]}
                  for s in sections for t in s.tasks},
        "indicators": {i.id: {"metric": i.metric, "kind": i.kind, "reporters": i.reporters,
                              "reporters_shown": reporters_text(plan, i)} for s in sections for t in s.tasks
                       for i in t.indicators if i.kind != "achieved"},
        "ids": sorted(ids),
        "schedule_generated": generated,
        "warnings": plan.warnings,
    }


def _write_meta(workbook: Any, plan: Plan, meta: dict[str, Any]) -> None:
    ws = workbook.add_worksheet(SHEET_META)
    rows = [("schema", MASTER_SCHEMA), ("plan_fingerprint", plan.fingerprint()), ("title", plan.title),
            ("year", str(plan.year or "")), ("issuer", plan.issuer), ("doc_number", plan.doc_number),
            ("issued", plan.issued), ("source_file", plan.source.get("file", "")),
            ("source_sha256", plan.source.get("sha256", ""))]
    for r, (key, value) in enumerate(rows):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, clean_text(value))
    data = json.dumps(meta, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    ws.write_string(len(rows), 0, "data")
    for i in range(0, max(len(data), 1), _CELL_LIMIT):
        ws.write_string(len(rows), 1 + i // _CELL_LIMIT, data[i:i + _CELL_LIMIT])
    ws.very_hidden()

