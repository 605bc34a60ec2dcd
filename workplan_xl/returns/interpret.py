"""From the plain data a worker read to a Reading: which unit sent it (hidden _meta, the unit line on
the sheet, or the file name), whether it belongs to this plan and round, and the values by item id.

Columns are found by header text and sheets by their header row, because schools move columns,
rename sheets and copy the content into workbooks of their own."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

from workplan_xl.form_layout import (
    CONTACT_FIELDS,
    FIELD_LABELS,
    FORM_SCHEMA,
    HEADER_ROW,
    INDICATOR_COLUMNS,
    INDICATOR_ID_HEADER,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_TASKS,
    TASK_COLUMNS,
    TASK_ID_HEADER,
    cell_text,
    locked_checksum,
)
from workplan_xl.plan import Unit
from workplan_xl.returns.messages import file_problem
from workplan_xl.returns.plan_index import PlanIndex, task_numbers
from workplan_xl.returns.sniff import RETURN_SUFFIXES
from workplan_xl.returns.values import FieldError, clean_cell, field_entry, field_value, implausible

BY_META, BY_SHEET_CODE, BY_SHEET_NAME, BY_FILE_NAME = ("按隐藏信息识别", "按表内单位代码识别", "按表内单位名称识别",
                                                       "按文件名识别")
ACCEPTED, REJECTED, SKIPPED = "accepted", "rejected", "skipped"
RESEND_FORM = "请用下发的填报表重新填写后发送。"
_UNIT_LINE_MAX = 2000  # characters of the rows above the header searched for the unit


@dataclass
class Finding:
    """One line of 问题清单 for this file."""

    cell: str
    problem: str
    action: str


class Value(NamedTuple):
    """The fields of one value taken from a return, in the order Reading.values holds them."""

    kind: str  # task / indicator / form (about the return as a whole: 填报人, 联系电话 …; item_id "")
    item_id: str
    field: str
    value: str
    raw: str
    note: str = ""
    cell: str = ""


ValueRow = tuple[str, str, str, str, str, str, str]  # a Value's fields as a plain tuple


@dataclass
class Reading:
    status: str  # accepted / rejected / skipped
    reason: str = ""
    kind: str = ""
    unit_code: str = ""
    unit_name: str = ""
    identified_by: str = ""
    plan_fingerprint: str = ""
    file_round: str | None = None
    # Plain tuples in Value's field order (kind, item_id, field, value, raw, note, cell): read them as
    # v[0]..v[6]. interpret builds them so, because a return carries a hundred of them from the reader
    # processes and a tuple costs nothing to unpickle; Value(...) rows built elsewhere work alike.
    values: list[ValueRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sha256: str = ""  # of the bytes the worker read ("" when it read none)
    blank: list[str] = field(default_factory=list)  # required cells left blank (完成状态, 填报值)

    def reject(self, cell: str, problem: str, action: str) -> Reading:
        self.status, self.reason = REJECTED, problem
        self.values = []
        self.findings.append(Finding(cell, problem, action))
        return self


def interpret(raw: dict[str, Any], index: PlanIndex, round: str | None, file_name: str) -> Reading:
    """Turn a worker's result into a Reading. ``round`` None accepts the round written on the form."""
    if raw.get("status") != "read":
        return _refused(raw, file_name, index)
    reading = Reading(ACCEPTED, kind=raw.get("kind", ""))
    sheets = raw.get("sheets", [])
    meta = _meta(sheets)
    data_sheets = [s for s in sheets if s is not meta.get("_sheet")]
    tasks = _find_table(data_sheets, SHEET_TASKS, TASK_COLUMNS, TASK_ID_HEADER, ("完成状态", "进展情况"))
    indicators = _find_table(data_sheets, SHEET_INDICATORS, INDICATOR_COLUMNS, INDICATOR_ID_HEADER, ("填报值",))
    if tasks is None and indicators is None:
        return reading.reject("", f"文件「{file_name}」不是本次下发的填报表（找不到「{SHEET_TASKS}」或「{SHEET_INDICATORS}」表）",
                              RESEND_FORM)
    line_units = index.units_in(_unit_line_text(tasks or indicators))
    if not _identify(reading, meta, line_units, index, round, file_name, tasks, indicators):
        return reading
    for table, kind in ((tasks, "task"), (indicators, "indicator")):
        if table is not None:
            ids = meta.get("task_ids" if kind == "task" else "indicator_ids")
            _read_rows(reading, table, kind, index, set(filter(None, ids.split(","))) if ids else None)
    _read_contact(reading, [t for t in (tasks, indicators) if t is not None])
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
    problem, action = file_problem(code, file_name, detail)
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if code == "not_spreadsheet" and suffix not in RETURN_SUFFIXES:
        # A picture or document sent alongside the return (佐证材料) is not a problem.
        return Reading(SKIPPED, reason=f"不是电子表格（是{detail}）")
    # The code and the reader's own words are kept in the ledger's kind column (never shown).
    reading = Reading(REJECTED, reason=problem, kind=f"{code}: {detail}"[:300] if detail else code,
                      findings=[Finding("", problem, action)])
    unit = _unit_from_file_name(file_name, index)  # so 报送情况 can tell the unit its file failed
    if unit is not None:
        reading.unit_code, reading.unit_name, reading.identified_by = unit.code, unit.name, BY_FILE_NAME
    return reading


def _meta(sheets: list[dict[str, Any]]) -> dict[str, Any]:
    candidates = [s for s in sheets if s["name"] == SHEET_META] + [
        s for s in sheets if s["visible"] != "visible" and s["name"] != SHEET_META]
    for sheet in candidates:
        pairs = {cell_text(r[0]): cell_text(r[1]) if len(r) > 1 else "" for r in sheet["rows"] if r}
        if pairs.get("schema", "").startswith(FORM_SCHEMA.split("@")[0]):
            return {**pairs, "_sheet": sheet}
    return {}


@dataclass
class _Table:
    sheet: dict[str, Any]
    header_row: int
    columns: dict[str, int]  # header → column index


_HEADER_JUNK = re.compile(r"[\s*＊:：]")
FORM = "form"
_CONTACT_LABELS = {_HEADER_JUNK.sub("", label): name for label, name in CONTACT_FIELDS}
_CONTACT_LABELS["审核人"] = _CONTACT_LABELS["单位负责人"] = "reviewer"  # a label shortened by hand
# Every label starts with one of these once junk is stripped: a cheap test that spares the data rows
_CONTACT_FIRST = frozenset(label[:1] for label in _CONTACT_LABELS)
_JUNK_CHARS = " \t\r\n\u3000*＊:："
_CONTACT_LEAD = _CONTACT_FIRST | frozenset(_JUNK_CHARS)  # a label cell's first character, junk or not
_CONTACT_TYPED = re.compile(r"^(" + "|".join(map(re.escape, sorted(_CONTACT_LABELS, key=len, reverse=True)))
                            + r")[:：\s]+(.+)$", re.S)


def _contact_label(value: Any) -> str:
    """The field of a 填报人 block label cell, or ""."""
    return _CONTACT_LABELS.get(_norm_header(value), "") if isinstance(value, str) and len(value) < 30 else ""


def _norm_header(value: Any) -> str:
    return _HEADER_JUNK.sub("", value) if isinstance(value, str) else ""


def _header_map(row: list[Any], headers: list[str]) -> dict[str, int]:
    cells = [_norm_header(v) for v in row]
    found: dict[str, int] = {}
    for i, text in enumerate(cells):
        if text in headers and text not in found:
            found[text] = i
    if len(found) < 2:
        return found  # not a header row; the prefix search below is only for headers with a hint added
    for header in sorted(headers, key=len, reverse=True):  # 完成状态（请选择） still counts
        if header not in found:
            taken = set(found.values())
            match = next((i for i, t in enumerate(cells) if i not in taken and t.startswith(header)), None)
            if match is not None:
                found[header] = match
    return found


def _find_table(sheets: list[dict[str, Any]], name: str, columns: list[tuple[str, str | None]], id_header: str,
                inputs: tuple[str, ...]) -> _Table | None:
    headers = [h for h, _ in columns]
    best: tuple[int, _Table] | None = None
    # The form's own place first: a sheet of the expected name with its header at HEADER_ROW is the
    # usual case and settles it without scanning every row of every sheet.
    ordered = sorted(sheets, key=lambda s: s["name"] != name)
    for sheet in ordered:
        rows = sheet["rows"][:30]
        order = ([HEADER_ROW] if HEADER_ROW < len(rows) else []) + [r for r in range(len(rows)) if r != HEADER_ROW]
        for r in order:
            found = _header_map(rows[r], headers)
            if len(found) < 3 or not any(h in found for h in inputs):
                continue
            score = len(found) + (5 if id_header in found else 0) + (1 if sheet["name"] == name else 0)
            if best is None or score > best[0]:
                best = (score, _Table(sheet, r, found))
            if sheet["name"] == name and len(found) == len(headers):
                return best[1]
    return best[1] if best else None


def _identify(reading: Reading, meta: dict[str, Any], line_units: list[Unit], index: PlanIndex,
              round: str | None, file_name: str, tasks: _Table | None, indicators: _Table | None) -> bool:
    if meta:
        reading.plan_fingerprint = meta.get("plan_fingerprint", "")
        reading.file_round = meta.get("round", "")
        code, name = meta.get("unit_code", ""), meta.get("unit_name", "")
        shown = f"{name}（{code}）" if name else code
        if code in index.units and index.units[code].name == name:
            # known even when the file is not used, so 报送情况 can say this unit's file failed
            reading.unit_code, reading.unit_name, reading.identified_by = code, name, BY_META
        if reading.plan_fingerprint != index.fingerprint:
            title = meta.get("plan_title", "")
            reading.reject("", f"这份填报表属于另一份工作要点{('「' + title + '」') if title else ''}，不是本台账的填报表，未使用",
                           "请让该单位用本次下发的填报表重新填写后发送。")
            return False
        if round is not None and reading.file_round != round:
            reading.reject("", f"这是「{reading.file_round or '未分批次'}」批次的填报表，本次收集的是「{round or '未分批次'}」批次，未使用",
                           "如确属本批次，请让该单位用本批次下发的填报表重新填写后发送。")
            return False
        unit = index.units.get(code)
        if unit is None:
            reading.reject("", f"填报表上的单位「{shown}」不在台账的填报单位名单中，未使用",
                           "如该单位应当填报，请在台账「填报单位」中加上它，再重新运行 wpx collect。")
            return False
        verified = _checksum(tasks, indicators) == meta.get("checksum")
        others = [u for u in line_units if u.code != unit.code]
        if others:
            other = f"{others[0].name}（{others[0].code}）"
            if not verified:
                reading.unit_code, reading.unit_name = unit.code, unit.name
                reading.reject("", f"表内单位行写的是「{other}」，隐藏信息却是「{unit.name}（{unit.code}）」，且表中任务描述被改动过，"
                               "无法确定是哪个单位的回表，未使用", "请让该单位用下发给本单位的填报表重新填写后发送。")
                return False
            reading.findings.append(Finding("", f"表内单位行写的是「{other}」，隐藏信息是「{unit.name}（{unit.code}）」，"
                                            f"按隐藏信息计为「{unit.name}」的回表", "请核对是否发错了表；如有误，请让该单位重新发送。"))
        elif not verified:
            reading.findings.append(Finding("", "表中任务描述被改动过（与下发的填报表不一致），填报内容仍按任务ID计入",
                                            "请核对改动是否有意；如非有意，请用下发的原表重新填写后发送。"))
        reading.unit_code, reading.unit_name, reading.identified_by = unit.code, unit.name, BY_META
        return True
    reading.file_round = None
    if len(line_units) == 1:
        unit = line_units[0]
        by = BY_SHEET_CODE if re.search(rf"(?<![0-9A-Za-z]){re.escape(unit.code)}(?![0-9A-Za-z])",
                                        _unit_line_text(tasks or indicators)) else BY_SHEET_NAME
    else:
        unit, by = _unit_from_file_name(file_name, index), BY_FILE_NAME
    if unit is None:
        reading.reject("", f"无法确定「{file_name}」是哪个单位的回表（没有隐藏信息，表内和文件名中也找不到单位代码或名称）",
                       "请在文件名前加上单位代码（如 1003_第一中学.xlsx）后放回回表文件夹重新运行，或让该单位用下发的填报表重新填写。")
        return False
    reading.unit_code, reading.unit_name, reading.identified_by = unit.code, unit.name, by
    return True


def _unit_line_text(table: _Table | None) -> str:
    if table is None:
        return ""
    # A unit line is short; the cap keeps a sheet whose top rows hold whole essays cheap to search.
    return " ".join(cell_text(v) for row in table.sheet["rows"][1:table.header_row] for v in row)[:_UNIT_LINE_MAX]


def _unit_from_file_name(file_name: str, index: PlanIndex) -> Unit | None:
    stem = file_name.rsplit(".", 1)[0]
    lead = re.match(r"([0-9A-Za-z]+)[_\-－—\s（(]", stem)
    if lead and lead.group(1) in index.units:
        return index.units[lead.group(1)]
    units = index.units_in(stem)
    return units[0] if len(units) == 1 else None


_CHECKSUMS: dict[tuple[Any, ...], str] = {}  # the descriptive cells seen → their checksum
_CHECKSUMS_SIZE = 256  # forms for the same unit type carry the same tasks: most returns hit


def _checksum(tasks: _Table | None, indicators: _Table | None) -> str:
    def cells(table: _Table | None, columns: list[tuple[str, str | None]], id_header: str
              ) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        if table is None or id_header not in table.columns:
            return (), []
        # Only the cells the checksum covers (descriptive columns, and the id): a missing one reads as "".
        wanted = [(h, table.columns[h]) for h, f in columns if f is None and h in table.columns]
        id_col = table.columns[id_header]
        at = [c for _, c in wanted]  # never empty: the id column is one of them
        width = max(at) + 1
        pick = itemgetter(*at) if len(at) > 1 else (lambda row: (row[at[0]],))
        return tuple(h for h, _ in wanted), [pick(row) if len(row) >= width else tuple(row[c] if c < len(row) else "" for c in at)
                                             for row in table.sheet["rows"][table.header_row + 1:]
                                             if id_col < len(row) and cell_text(row[id_col])]

    parts = (cells(tasks, TASK_COLUMNS, TASK_ID_HEADER), cells(indicators, INDICATOR_COLUMNS, INDICATOR_ID_HEADER))
    key = tuple((headers, tuple(rows)) for headers, rows in parts)
    known = _CHECKSUMS.get(key)
    if known is None:
        known = locked_checksum(*([dict(zip(headers, row, strict=True)) for row in rows] for headers, rows in parts))
        if len(_CHECKSUMS) < _CHECKSUMS_SIZE:
            _CHECKSUMS[key] = known
    return known


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _read_rows(reading: Reading, table: _Table, kind: str, index: PlanIndex, required: set[str] | None) -> None:
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
    specs = [(name, c, f"{sheet}!{column_letter(c)}") for _, name, c in inputs]
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
        if not filled:
            if id_col is not None and (blank_id := cell_text(row[id_col])) in known:
                place.setdefault(blank_id, r)
            continue
        item_id = cell_text(row[id_col]) if id_col is not None else ""
        if not item_id and any(_contact_label(v) for v in row):
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
        for name, c, prefix in filled:
            cell = prefix + number
            try:
                value, raw, note = field_entry(name, row[c], unit, target)
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


def _read_contact(reading: Reading, tables: list[_Table]) -> None:
    """The 填报人 block below the table(s): each label's value is the first filled cell to its right
    before the next label. A value typed into the label cell itself ("填报人：张三") counts too."""
    found: dict[str, tuple[str, str]] = {}
    for table in tables:
        sheet, rows = table.sheet["name"], table.sheet["rows"]
        for r in range(table.header_row + 1, len(rows)):
            row = rows[r]
            for c in [c for c, cell in enumerate(row) if isinstance(cell, str) and cell[:1] in _CONTACT_LEAD
                      and len(cell) <= 200 and cell.lstrip(_JUNK_CHARS)[:1] in _CONTACT_FIRST]:
                cell = row[c]
                name, value, where = _contact_label(cell), "", c
                if name:
                    for k in range(c + 1, min(len(row), c + 6)):
                        if _contact_label(row[k]):
                            break
                        if clean_cell(row[k]).strip():
                            value, where = row[k], k
                            break
                elif typed := _CONTACT_TYPED.match(cell.strip()):
                    name, value = _CONTACT_LABELS[_norm_header(typed.group(1))], typed.group(2)
                if name and name not in found and clean_cell(value).strip():
                    found[name] = (value, f"{sheet}!{column_letter(where)}{r + 1}")
    for _, name in CONTACT_FIELDS:
        if name in found:
            raw, cell = found[name]
            value, note = field_value("done_date" if name == "fill_date" else "remark", raw)
            reading.values.append((FORM, "", name, value, clean_cell(raw), note, cell))


def _merged_inputs(reading: Reading, table: _Table, inputs: list[tuple[str, str, int]]) -> dict[tuple[int, int], str]:
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
           "PlanIndex", "Reading", "Value", "ValueRow", "column_letter", "interpret", "task_numbers"]
