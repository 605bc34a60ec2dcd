"""From the plain data a worker read to a Reading: which unit sent it (hidden _meta, the unit line on
the sheet, or the file name), whether it belongs to this plan and round, and the values by item id.

Columns are found by header text and sheets by their header row, because schools move columns,
rename sheets and copy the content into workbooks of their own. By artefact: the Reading itself
(reading.py), the tables (tables.py), the unit (identify.py), the 填报人 block (contact.py); here the
rows of values and the whole."""

from __future__ import annotations

from typing import Any

from workplan_xl.cjk import clean_text
from workplan_xl.form_layout import (
    FIELD_LABELS,
    INDICATOR_COLUMNS,
    INDICATOR_ID_HEADER,
    SHEET_INDICATORS,
    SHEET_TASKS,
    TASK_COLUMNS,
    TASK_ID_HEADER,
    cell_text,
)
from workplan_xl.plan import items_for
from workplan_xl.returns.contact import contact_label, read_contact
from workplan_xl.returns.identify import blame_file_name, identify, read_meta, unit_line_text
from workplan_xl.returns.messages import CSV_RESEND, file_problem
from workplan_xl.returns.plan_index import PlanIndex, task_numbers
from workplan_xl.returns.reading import (
    ACCEPTED,
    BY_FILE_NAME,
    BY_META,
    BY_SHEET_CODE,
    BY_SHEET_NAME,
    FORM,
    REJECTED,
    RESEND_FORM,
    SKIPPED,
    Finding,
    Reading,
    Value,
    ValueRow,
)
from workplan_xl.returns.sniff import KEYNOTE, PAGES, RETURN_SUFFIXES, iwork_kind
from workplan_xl.returns.tables import Table, column_letter, find_table
from workplan_xl.returns.values import MAX_TEXT, TEXT_FIELDS, FieldError, clean_cell, field_entry, implausible


def interpret(raw: dict[str, Any], index: PlanIndex, round: str | None, file_name: str) -> Reading:
    """Turn a worker's result into a Reading. ``round`` None accepts the round written on the form."""
    if raw.get("status") != "read":
        return _refused(raw, file_name, index)
    reading = Reading(ACCEPTED, kind=raw.get("kind", ""))
    sheets = raw.get("sheets", [])
    own = _our_own_output({s["name"] for s in sheets})
    if own:
        return reading.reject("", f"文件「{file_name}」是{own}，不是单位报送的回表",
                              "台账和汇总表请不要放在回表文件夹里（放在它旁边即可），以免与回表混在一起。")
    meta = read_meta(sheets)
    data_sheets = [s for s in sheets if s is not meta.get("_sheet")]
    tasks = find_table(data_sheets, SHEET_TASKS, TASK_COLUMNS, TASK_ID_HEADER, ("完成状态", "进展情况"))
    indicators = find_table(data_sheets, SHEET_INDICATORS, INDICATOR_COLUMNS, INDICATOR_ID_HEADER, ("填报值",))
    if tasks is None and indicators is None:
        return reading.reject("", f"文件「{file_name}」不是本次下发的填报表（找不到「{SHEET_TASKS}」或「{SHEET_INDICATORS}」表）",
                              RESEND_FORM)
    line_units = index.units_in(unit_line_text(tasks or indicators))
    if not identify(reading, meta, line_units, index, round, file_name, tasks, indicators):
        return reading
    for table, kind in ((tasks, "task"), (indicators, "indicator")):
        if table is not None:
            ids = meta.get("task_ids" if kind == "task" else "indicator_ids")
            _read_rows(reading, table, kind, index, set(filter(None, ids.split(","))) if ids else None)
    read_contact(reading, [t for t in (tasks, indicators) if t is not None])
    if raw.get("kind") == "csv":
        _one_sheet_kept(reading, index, file_name, tasks is not None, indicators is not None)
    if tasks is None and meta.get("task_ids"):
        reading.findings.append(Finding("", f"找不到「{SHEET_TASKS}」表，任务进展未计入", RESEND_FORM))
    if indicators is None and meta.get("indicator_ids"):
        reading.findings.append(Finding("", f"找不到「{SHEET_INDICATORS}」表，指标填报值未计入", RESEND_FORM))
    if not any(v[0] != FORM for v in reading.values):
        # A blank (or wholly unusable) form is not a return: it never displaces one that was usable.
        if any(f.cell for f in reading.findings):
            return reading.reject("", "回表中没有一项可用的填报内容（原因见本文件的其他各条），未使用", "请改正后重新发送。")
        return reading.reject("", "回表中没有填写任何内容（空表），未使用", "请填写后重新发送。")
    reading.blank = _blank_note(reading)
    return reading


def _our_own_output(names: set[str]) -> str:
    """What wpx itself wrote, told by its sheets: a 汇总 or a 台账 copied into the returns folder."""
    if {"报送情况", "问题清单", "文件清单"} <= names:
        return "wpx collect 生成的汇总表"
    if {"任务清单", "填报单位", "_meta"} <= names:
        return "wpx build 生成的台账"
    return ""


def _one_sheet_kept(reading: Reading, index: PlanIndex, file_name: str, has_tasks: bool, has_indicators: bool) -> None:
    """A CSV keeps the one sheet that was on screen: its values count; the items of the table it lost
    that the unit reports on are blank (部分填报), and the school is told to send the workbook."""
    unit = index.units.get(reading.unit_code)
    tasks, indicators = items_for(index.plan, unit) if unit is not None else ([], [])
    kept = SHEET_TASKS if has_tasks else SHEET_INDICATORS
    lost = [(sheet, label, items) for sheet, label, items, present in (
        (SHEET_TASKS, "任务", tasks, has_tasks), (SHEET_INDICATORS, "指标", indicators, has_indicators))
        if not present and items]
    if not lost:
        return
    for sheet, label, items in lost:
        for item in items:
            name = getattr(item, "title", "") or getattr(item, "metric", "") or getattr(item, "text", "")
            reading.blank.append(f"{label}「{name[:16]}」（CSV 中没有「{sheet}」表）")
    tables = "、".join(f"「{sheet}」" for sheet, _, _ in lost)
    saved = " CSV 文本" if file_name.lower().endswith((".csv", ".tsv")) else "文本文件（制表符分隔）"
    reading.findings.append(Finding("", f"文件「{file_name}」是另存为的{saved}，只保留了「{kept}」一张表：其中的内容已计入，"
                                        f"{tables}表没有保留，按未填处理", CSV_RESEND))


_BLANK_SHOWN = 12  # cells named in the 部分填报 line; the rest are counted


def _blank_note(reading: Reading) -> list[str]:
    """Add the 部分填报 line to 问题清单 and return the blank required cells."""
    blank = reading.blank
    if blank:
        shown = "、".join(blank[:_BLANK_SHOWN]) + (f" 等 {len(blank)} 处" if len(blank) > _BLANK_SHOWN else "")
        reading.findings.append(Finding(blank[0].split("（")[0], f"部分填报：{len(blank)} 处必填内容未填（{shown}），"
                                        "这些任务或指标按未填处理", "请补填后重新发送（重新发送的回表会替换这一份）。"))
    return blank


def _refused(raw: dict[str, Any], file_name: str, index: PlanIndex) -> Reading:
    code, detail = raw.get("code", "read_error"), raw.get("detail", "")
    detail = iwork_kind(detail, file_name)
    if code == "convert" and detail in (PAGES, KEYNOTE):  # an iWork file whose name says it is no spreadsheet
        code = "not_spreadsheet"
    problem, action = file_problem(code, file_name, detail)
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if code == "not_spreadsheet" and suffix not in RETURN_SUFFIXES:
        # A picture or document sent alongside the return (佐证材料) is not a problem.
        return Reading(SKIPPED, reason=f"不是电子表格（是{detail}）")
    # The code and the reader's own words are kept in the ledger's kind column (never shown).
    reading = Reading(REJECTED, reason=problem, kind=f"{code}: {detail}"[:300] if detail else code,
                      findings=[Finding("", problem, action)])
    return blame_file_name(reading, file_name, index)  # so 报送情况 can tell the unit its file failed


def _read_rows(reading: Reading, table: Table, kind: str, index: PlanIndex, required: set[str] | None) -> None:
    """Read one table's rows into ``reading``; ``required`` are the ids the form was made with (None:
    a workbook without _meta, whose rows with a known id are taken as required)."""
    columns = TASK_COLUMNS if kind == "task" else INDICATOR_COLUMNS
    id_header = TASK_ID_HEADER if kind == "task" else INDICATOR_ID_HEADER
    known = index.tasks if kind == "task" else index.indicators
    fallback_header, fallback = ("任务编号", index.task_numbers) if kind == "task" else ("指标", index.indicator_texts)
    label = "任务" if kind == "task" else "指标"
    sheet, rows = table.sheet["name"], table.sheet["rows"]
    inputs = [(h, f, table.columns[h]) for h, f in columns if f and h in table.columns]
    merged = _merged_inputs(reading, table, inputs)
    if table.sheet.get("truncated"):
        reading.findings.append(Finding(sheet, f"「{sheet}」表超过 5000 行或 64 列，超出部分未读取", RESEND_FORM))
    seen: set[str] = set()
    width = max(table.columns.values()) + 1
    id_col, fallback_col = table.columns.get(id_header), table.columns.get(fallback_header)
    # (field, column, the cell's address less its row number) per input column
    specs = [(name, c, f"{sheet}!{column_letter(c)}", name in TEXT_FIELDS) for _, name, c in inputs]
    add = reading.values.append
    findings = reading.findings
    key_field = "status" if kind == "task" else "value"  # the cell a row must have to count
    place: dict[str, int] = {}  # item id → row, for every row with an id
    answered: set[str] = set()  # item ids whose key field was taken
    for r in range(table.header_row + 1, len(rows)):
        row = rows[r]
        if len(row) < width:
            row = row + [""] * (width - len(row))
        # cell_text(v) is not empty: a number, a bool, or text that is not all blanks
        filled = [s for s in specs if (v := row[s[1]]) != "" and v is not None and not (v.__class__ is str and v.isspace())]
        # cell_text of the id cell, inlined for text (the usual id): str(v).strip() of a str is v.strip()
        item_id = "" if id_col is None else v.strip() if (v := row[id_col]).__class__ is str else cell_text(v)
        if not filled:
            if id_col is not None and item_id in known:
                place.setdefault(item_id, r)
            continue
        if not item_id and any(contact_label(v) for v in row):
            continue  # the 填报人 block below the table
        by_fallback = False
        if not item_id and fallback_col is not None:
            item_id = fallback.get(cell_text(row[fallback_col]), "")
            by_fallback = bool(item_id)
        number = str(r + 1)
        item = known.get(item_id)
        if item is None or item_id in seen:
            where = filled[0][2] + number
            if not item_id:
                findings.append(Finding(where, f"第 {number} 行没有{id_header}，无法对应到台账中的{label}，该行内容未计入",
                                        "请不要在填报表中自行插入行；如需补充，请写在对应任务的「备注」中。"))
            elif item is None:
                findings.append(Finding(where, f"第 {number} 行的{id_header}「{clean_cell(item_id)[:20]}」不是台账中的{label}，该行内容未计入",
                                        "请不要修改填报表中的编号和隐藏列；" + RESEND_FORM))
            else:
                findings.append(Finding(where, f"第 {number} 行与前面的行是同一{label}（{item_id}），该行内容未计入",
                                        f"每个{label}只填一行；请把内容合并到一行后重新发送。"))
            continue
        seen.add(item_id)
        place.setdefault(item_id, r)
        unit = getattr(item, "unit", "")
        target = getattr(item, "value", None)
        for name, c, prefix, text in filled:
            cell = prefix + number
            v = row[c]
            if text and v.__class__ is str and len(v) <= MAX_TEXT:
                # field_entry's text branch, inlined (most cells of a return): clean_text finds
                # nothing to take out of a text that is all printable
                value = v.strip()
                if not value.isprintable():
                    value = clean_text(value)
                raw, note = value, ""
            else:
                try:
                    value, raw, note = field_entry(name, v, unit, target)
                except FieldError as error:
                    findings.append(Finding(cell, error.problem, error.action))
                    continue
            if merged or by_fallback:
                note = "；".join(n for n in (note, merged.get((r, c), ""), "按任务编号对应" if by_fallback else "") if n)
            add((kind, item_id, name, value, raw, note, cell))
            if name == key_field:
                answered.add(item_id)
            if name == "value" and (why := _implausible(value, unit, target, getattr(item, "comparator", ">="),
                                                        getattr(item, "aggregate", ""))):
                findings.append(Finding(cell, f"请核实：{why}（已按填写的 {value} 计入）",
                                        "请与该单位核实；如有误，请改正后重新发送。"))
    key_header = FIELD_LABELS[key_field]
    key_col = table.columns.get(key_header)
    wanted = [i for i in (required if required is not None else place) if i in known and i not in answered]
    for item_id in sorted(wanted, key=lambda i: place.get(i, len(rows))):
        r = place.get(item_id)
        if r is None:
            item = known[item_id]
            name = getattr(item, "title", "") or getattr(item, "metric", "") or getattr(item, "text", "")
            reading.blank.append(f"{label}「{name[:16]}」（表中没有这一行）")
        elif key_col is None:
            reading.blank.append(f"{sheet}第{r + 1}行（没有「{key_header}」列）")
        else:
            reading.blank.append(f"{sheet}!{column_letter(key_col)}{r + 1}（{key_header}）")


_IMPLAUSIBLE: dict[tuple[Any, ...], str] = {}  # implausible's answers: the same figures recur across returns


def _implausible(value: str, unit: str, target: float | None, comparator: str, aggregate: str) -> str:
    key = (value, unit, target, comparator, aggregate)
    why = _IMPLAUSIBLE.get(key)
    if why is None:
        why = implausible(float(value), unit, target, comparator, aggregate)
        if len(_IMPLAUSIBLE) < 4096:
            _IMPLAUSIBLE[key] = why
    return why


def _merged_inputs(reading: Reading, table: Table, inputs: list[tuple[str, str, int]]) -> dict[tuple[int, int], str]:
    """Input cells merged across rows: the value counts for the first row only; say so."""
    notes: dict[tuple[int, int], str] = {}
    for r0, c0, r1, c1 in table.sheet.get("merged", []):
        if r1 <= r0 or r0 <= table.header_row:
            continue
        for header, _, c in inputs:
            if c0 <= c <= c1:
                span = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
                notes[(r0, c)] = f"合并单元格 {span}，只计入第 {r0 + 1} 行"
                reading.findings.append(Finding(
                    f"{table.sheet['name']}!{span}",
                    f"「{header}」第 {r0 + 1}–{r1 + 1} 行合并成了一个单元格，内容只计入第 {r0 + 1} 行，"
                    f"其余 {r1 - r0} 行的「{header}」按未填处理",
                    "请取消合并，为每项分别填写后重新发送。"))
    return notes


__all__ = ["ACCEPTED", "FORM", "BY_FILE_NAME", "BY_META", "BY_SHEET_CODE", "BY_SHEET_NAME", "REJECTED", "SKIPPED", "Finding",
           "PlanIndex", "Reading", "Value", "ValueRow", "RESEND_FORM", "column_letter", "interpret", "task_numbers"]
