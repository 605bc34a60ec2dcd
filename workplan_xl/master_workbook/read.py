"""Reading 台账.xlsx back into a Plan, honouring what the user changed.

Columns are found by header text; rows by their hidden id. A row without an id (or with an id copied
from another row) is new and gets the next free id; ids issued before (kept in _meta) are never
reused, because forms and the ledger may still carry them. A task belongs to the section row above it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workplan_xl.errors import InputFileError, RosterError, WorkbookError, refuse_special_file
from workplan_xl.isolated import Child, Limited
from workplan_xl.master_workbook.cells import (
    MASTER_MEMORY,
    MASTER_TIMEOUT,
    foreign,
    read_sheets,
)
from workplan_xl.master_workbook.layout import (
    HEADER_ROW,
    INDICATOR_COLUMNS,
    INDICATOR_REQUIRED,
    MASTER_SCHEMA,
    NOTE_MARK,
    SCHEDULE_COLUMNS,
    SCHEDULE_REQUIRED,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_SCHEDULE,
    SHEET_TASKS,
    SHEET_UNITS,
    TASK_COLUMNS,
    TASK_REQUIRED,
    UNIT_COLUMNS,
    UNIT_REQUIRED,
    aggregate_of,
    cell_month,
    cell_number,
    cell_str,
    comparator_of,
    composite_number,
    parse_months,
    schedule_key,
    split_list,
    split_number,
)
from workplan_xl.plan import SCHEMA, Indicator, Part, Plan, ScheduleEntry, Section, Task, Unit, next_id
from workplan_xl.roster import check_units, code_text

Row = tuple[int, dict[str, Any]]  # (row number as Excel shows it, key → cell value)


def start_master_workbook(path: Path, child: Child) -> Callable[[], Plan]:
    """read_master_workbook begun: ``child`` reads the cells while the caller does other work; the
    function returned finishes it (the Plan, or the same sentences)."""
    path = Path(path)
    if path.is_file():
        child.call(read_sheets, str(path), memory=MASTER_MEMORY, timeout=MASTER_TIMEOUT)
    return lambda: read_master_workbook(path, child=child, started=True)


def read_master_workbook(path: Path, include_other_parts: bool = False, child: Child | None = None,
                         started: bool = False) -> Plan:
    """The Plan a master workbook holds, with the user's edits.

    The Plan has the tracked part only (the one whose tasks are on 任务清单); with
    ``include_other_parts`` the document's other parts (a 工作总结), kept in _meta, come back too.
    The cells are read in a child process: ``child`` (isolated.spare_process, kept for the caller's
    later calls; ``started``: by start_master_workbook), or one of its own.
    """
    path = Path(path)
    refuse_special_file(path, "台账", "台账文件")
    if not path.is_file():
        raise InputFileError(f"找不到台账「{path}」：请检查文件名和位置。")
    sheets = _load(path, child, started)
    meta = _meta(sheets, path.name)
    state = _State(meta)
    sections = _sections(_table(sheets, SHEET_TASKS, TASK_COLUMNS, TASK_REQUIRED, path.name), state)
    tasks = {t.id: t for s in sections for t in s.tasks}
    _indicators(_table(sheets, SHEET_INDICATORS, INDICATOR_COLUMNS, INDICATOR_REQUIRED, path.name), state, tasks)
    for task in tasks.values():  # results (kind "achieved") are kept in _meta, not on 指标跟踪
        for index, data in state.tasks.get(task.id, {}).get("achieved", []):
            task.indicators.insert(min(index, len(task.indicators)), _indicator(data))
    schedule = _schedule(_table(sheets, SHEET_SCHEDULE, SCHEDULE_COLUMNS, SCHEDULE_REQUIRED, path.name),
                         state, tasks)
    if meta["data"].get("schedule_generated") and schedule_key(schedule) == meta["data"]["schedule_generated"]:
        schedule = []  # built from 月度节点 and untouched: the next build builds it again from the new months
    units = _units(_table(sheets, SHEET_UNITS, UNIT_COLUMNS, UNIT_REQUIRED, path.name), path.name)

    parts: list[Part] = []
    for entry in meta["data"].get("parts", []):
        if entry.get("tracked"):
            parts.append(Part(kind=entry.get("kind", "plan"), title=entry.get("title", ""),
                              year=entry.get("year"), sections=sections))
        elif include_other_parts:
            parts.append(Plan.from_dict({"schema": SCHEMA, "parts": [entry["part"]]}).parts[0])
    if sections and not any(p.sections is sections for p in parts):
        parts.append(Part(kind="plan", sections=sections))
    year = meta["cells"].get("year", "")
    warnings = list(dict.fromkeys([*meta["data"].get("warnings", []), *state.warnings]))
    return Plan(title=meta["cells"].get("title", ""), year=int(year) if year.isdigit() else None,
                issuer=meta["cells"].get("issuer", ""), doc_number=meta["cells"].get("doc_number", ""),
                issued=meta["cells"].get("issued", ""), source=dict(meta["data"].get("source", {})),
                parts=parts, schedule=schedule, warnings=warnings, units=units)


# -- opening ----------------------------------------------------------------------------------------
def _load(path: Path, child: Child | None = None, started: bool = False) -> dict[str, list[list[Any]]]:
    """Every sheet's values, read in a child process with the limits returns and rosters have
    (workplan_xl.isolated): a 台账 comes from the user's disk and may be any .xlsx, and a reader can
    allocate without bound or never return on a hostile one; the command goes on to say which file."""
    refuse_special_file(path, "台账", "台账文件")  # wpx status comes here first
    try:
        runner = child or Child()  # the caller's (kept for its later calls) or one for this read
        if not (child is not None and started):
            runner.call(read_sheets, str(path), memory=MASTER_MEMORY, timeout=MASTER_TIMEOUT)
        return runner.result(keep=child is not None)
    except Limited as limited:
        if limited.code == "timeout":
            raise WorkbookError(f"读取台账「{path.name}」超过 {int(MASTER_TIMEOUT)} 秒仍未完成（文件过大或结构异常）："
                                "请确认选的是 wpx build 生成的台账.xlsx；如果是在 Excel/WPS 里改过的台账，"
                                "请另存为 .xlsx 后再试。") from None
        if limited.code in ("memory", "crash"):
            raise WorkbookError(f"读取「{path.name}」时占用内存过多或读取程序异常退出（文件过大、已损坏，或不是 wpx "
                                "生成的台账）：请确认选的是 wpx build 生成的台账.xlsx；如果是在 Excel/WPS 里改过的台账，"
                                "请另存为 .xlsx 后再试。") from RuntimeError(limited.detail)
        raise WorkbookError(foreign(path.name)) from RuntimeError(limited.detail)


def check_master_workbook(path: Path) -> None:
    """That ``path`` is a 台账 (wpx status reads nothing else of it): the same pre-checks and sentences
    as read_master_workbook for a 汇总, a form or a file that is not ours."""
    _meta(_load(Path(path)), Path(path).name)


def _meta(sheets: dict[str, list[list[Any]]], name: str) -> dict[str, Any]:
    cells: dict[str, str] = {}
    chunks: list[str] = []
    for row in sheets[SHEET_META]:
        if not row or row[0] is None:
            continue
        key = str(row[0])
        if key == "data":
            chunks = [str(v) for v in row[1:] if v is not None]
        else:
            cells[key] = cell_str(row[1]) if len(row) > 1 else ""
    schema = cells.get("schema", "")
    if schema.startswith("workplan-xl/form@"):
        raise WorkbookError(f"「{name}」是发给单位的填报表，不是台账：请给出台账文件（wpx build 生成的，如 台账.xlsx）；"
                            "填报表收回后用 wpx collect 台账.xlsx 回表文件夹 收集。")
    if schema != MASTER_SCHEMA:
        raise WorkbookError(f"「{name}」是另一种格式的台账（{schema or '未标明格式'}，本程序读取 {MASTER_SCHEMA}）："
                            "请用同一版本的 wpx 处理，或用 wpx build 重新生成台账。")
    try:
        data = json.loads("".join(chunks)) if chunks else {}
    except json.JSONDecodeError as error:
        raise WorkbookError(f"「{name}」的隐藏工作表 _meta 已损坏：请从备份恢复，或用 wpx build 重新生成台账。") from error
    return {"cells": cells, "data": data}


def _table(sheets: dict[str, list[list[Any]]], sheet: str, columns: list[tuple[str, str]],
           required: tuple[str, ...], name: str) -> list[Row]:
    """Data rows of one sheet as key → value, with the header found by its text among the first rows."""
    if sheet not in sheets:
        raise WorkbookError(f"台账「{name}」缺少「{sheet}」工作表：请从备份恢复该工作表，或用 wpx build 重新生成台账。")
    rows = sheets[sheet]
    by_header = {header: key for key, header in columns}
    header_row, positions, best = HEADER_ROW, {}, -1
    for index, row in enumerate(rows[:6]):
        texts = ["".join(cell_str(v).split()) for v in row]
        found = {by_header[t]: i for i, t in reversed(list(enumerate(texts))) if t in by_header}
        score = sum(1 for key in required if key in found)
        if score > best:
            header_row, positions, best = index, found, score
    missing = [h for k, h in columns if k in required and k not in positions]
    if missing:
        raise WorkbookError(f"台账「{name}」的「{sheet}」工作表找不到「{missing[0]}」列：请恢复被删除或改名的表头后再运行。")
    out = []
    for index, row in enumerate(rows[header_row + 1:], start=header_row + 2):
        values = {key: row[i] if i < len(row) else None for key, i in positions.items()}
        if any(v is not None and cell_str(v) for v in values.values()):
            out.append((index, values))
    return out


# -- sheets -----------------------------------------------------------------------------------------
@dataclass
class _State:
    """What _meta knows (original numbers, kinds, all ids ever issued) and the ids taken so far."""

    meta: dict[str, Any]
    taken: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    composites: dict[str, str] = field(default_factory=dict)  # task id → 任务编号 as it reads now

    def __post_init__(self) -> None:
        data = self.meta["data"]
        self.sections: dict[str, Any] = data.get("sections", {})
        self.tasks: dict[str, Any] = data.get("tasks", {})
        self.known_indicators: dict[str, Any] = data.get("indicators", {})
        self.taken = set(data.get("ids", []))

    def claim(self, item_id: str, prefix: str, sheet: str, row: int) -> str:
        """The row's id, or a new one when blank or already used by an earlier row."""
        if item_id and item_id not in self.seen:
            self.seen.add(item_id)
            self.taken.add(item_id)
            return item_id
        new = next_id(prefix, self.taken | self.seen)
        if item_id:
            self.warnings.append(f"「{sheet}」第{row}行的ID「{item_id}」与上面的行重复，已改为新ID「{new}」。")
        self.seen.add(new)
        self.taken.add(new)
        return new


def _s(values: dict[str, Any], key: str) -> str:
    return cell_str(values.get(key))


def _sections(rows: list[Row], state: _State) -> list[Section]:
    sections: list[Section] = []
    orphans: list[Task] = []
    for row, v in rows:
        raw_id = _s(v, "id")
        detail = any(_s(v, k) for k in ("title", "text", "measures", "owners", "partners", "deadline", "months",
                                        "reporters", "note"))
        is_section = raw_id in state.sections or (raw_id not in state.tasks and not _s(v, "title")
                                                   and not detail and bool(_s(v, "section")))
        if is_section:
            sid = state.claim(raw_id, "S", "任务清单", row)
            known = state.sections.get(raw_id) if sid == raw_id else None
            context = known["context"] if known else _s(v, "seq") == NOTE_MARK
            sections.append(Section(id=sid, numeral=_s(v, "number"), title=_s(v, "section"), text=_s(v, "text"),
                                    context=context))
            continue
        tid = state.claim(raw_id, "T", "任务清单", row)
        numeral = sections[-1].numeral if sections else ""
        known = state.tasks.get(tid) if tid == raw_id else None
        cell = _s(v, "number")
        number = known["number"] if known and cell == known["composite"] else split_number(cell, numeral)
        task = Task(id=tid, number=number, title=_s(v, "title"), text=_s(v, "text"),
                    measures=[m.strip() for m in _s(v, "measures").splitlines() if m.strip()],
                    months=parse_months(_s(v, "months")), deadline=_s(v, "deadline"),
                    owners=split_list(_s(v, "owners")), partners=split_list(_s(v, "partners")),
                    reporters=_reporters(_s(v, "reporters"), known), note=_s(v, "note"))
        state.composites[tid] = cell or composite_number(numeral, number)
        (sections[-1].tasks if sections else orphans).append(task)
        if sections and not sections[-1].text and state.sections.get(sections[-1].id, {}).get("self_task") \
                and len(sections[-1].tasks) == 1:
            sections[-1].text = task.text  # shown once, on the task row
    if orphans:  # task rows above the first section row join the first section
        if not sections:
            sections.append(Section(id=next_id("S", state.taken | state.seen)))
        sections[0].tasks[:0] = orphans
    return sections


def _reporters(cell: str, known: dict[str, Any] | None) -> list[str]:
    """填报对象 as the user left it: the cell as written when untouched (so a derived one stays derived
    and follows 牵头单位 and the roster), else what the user typed."""
    if known is not None and "reporters_shown" in known and cell == known["reporters_shown"]:
        return list(known.get("reporters", []))
    return split_list(cell)


def _link(cell: str, hidden: str, state: _State, tasks: dict[str, Task]) -> str | None:
    """The task a row points to: the hidden id while the visible 任务编号 text is as written;
    else the task whose number (or title) the user typed; else the hidden id."""
    written = state.tasks.get(hidden, {})
    if hidden in tasks and cell in (written.get("link"), written.get("composite")):
        return hidden
    if not cell:
        return None
    token = cell.split()[0]
    for tid, number in state.composites.items():
        if number and token == number:
            return tid
    for tid, task in tasks.items():
        if task.title and (cell == task.title or cell.endswith(task.title)):
            return tid
    return hidden if hidden in tasks else None


def _indicators(rows: list[Row], state: _State, tasks: dict[str, Task]) -> None:
    for row, v in rows:
        raw_id = _s(v, "id")
        iid = state.claim(raw_id, "I", "指标跟踪", row)
        known = state.known_indicators.get(iid) if iid == raw_id else None
        text = _s(v, "text")
        tid = _link(_s(v, "task"), _s(v, "task_id"), state, tasks)
        if tid is None:
            state.warnings.append(f"「指标跟踪」第{row}行的指标「{text}」找不到所属任务（任务可能已删除），未读入：如仍需跟踪，"
                                  "请在“所属任务”中填写任务编号。")
            continue
        unit = _s(v, "unit")
        indicator = Indicator(id=iid, text=text, metric=known["metric"] if known else "",
                              comparator=comparator_of(_s(v, "comparator")), value=cell_number(v.get("value")),
                              unit=unit, kind=known["kind"] if known else "target",
                              baseline=cell_number(v.get("baseline")), task=tid,
                              reporters=_reporters(_s(v, "reporters"), known))
        indicator.aggregate = aggregate_of(_s(v, "aggregate"), indicator.aggregate)
        tasks[tid].indicators.append(indicator)


def _schedule(rows: list[Row], state: _State, tasks: dict[str, Task]) -> list[ScheduleEntry]:
    entries = []
    for _, v in rows:
        if not any(_s(v, k) for k in ("month", "period", "text", "owners", "task")):
            continue
        entries.append(ScheduleEntry(month=cell_month(v.get("month")), period=_s(v, "period"), text=_s(v, "text"),
                                     owners=split_list(_s(v, "owners")),
                                     task=_link(_s(v, "task"), _s(v, "task_id"), state, tasks)))
    return entries


def _units(rows: list[Row], file_name: str) -> list[Unit]:
    # Codes as text even where the user's Excel turned them into numbers (1001.0 → "1001").
    units = ((row, Unit(code=code_text(v.get("code")), name=_s(v, "name"), type=_s(v, "type"),
                        contact=_s(v, "contact"), phone=code_text(v.get("phone")))) for row, v in rows)
    return check_units(units, where=f"台账「{file_name}」的「{SHEET_UNITS}」工作表")


def _indicator(data: dict[str, Any]) -> Indicator:
    names = set(Indicator.__dataclass_fields__)
    return Indicator(**{k: v for k, v in data.items() if k in names})


def read_master_plan(master: Path) -> Plan:
    """The plan behind a master workbook 台账.xlsx (or a Plan JSON written by wpx parse --json)."""
    if master.suffix.lower() == ".json":
        return _with_units(_json_plan(master), master)
    return _with_units(read_master_workbook(master), master)


def start_master_plan(master: Path, child: Child) -> Callable[[], Plan]:
    """read_master_plan begun: the 台账 is read in ``child`` (kept for its later calls) while the caller
    does other work; the function returned finishes it."""
    if master.suffix.lower() == ".json":
        return lambda: read_master_plan(master)
    finish = start_master_workbook(master, child)
    return lambda: _with_units(finish(), master)


def _json_plan(master: Path) -> Plan:
    try:
        return Plan.from_json(master.read_text(encoding="utf-8-sig"))
    except (ValueError, KeyError, TypeError) as error:
        raise WorkbookError(f"「{master.name}」不是 wpx 的 Plan JSON 文件（{error}）：请用 wpx parse --json 重新生成。") from None


def _with_units(plan: Plan, master: Path) -> Plan:
    if not plan.units:
        raise RosterError(f"台账「{master.name}」中没有填报单位：请在「填报单位」工作表中填写单位代码和名称后再收集回表。")
    return plan
