"""Which unit sent a return, and whether it is this plan's and this round's: the hidden _meta sheet
(checked against the descriptive cells' checksum and the unit line), else the unit line on the sheet, else
the file name."""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Any

from workplan_xl.form_layout import (
    FORM_SCHEMA,
    INDICATOR_COLUMNS,
    INDICATOR_ID_HEADER,
    ROUND_LABEL,
    SHEET_META,
    TASK_COLUMNS,
    TASK_ID_HEADER,
    cell_text,
    locked_checksum,
)
from workplan_xl.plan import Unit
from workplan_xl.returns.plan_index import PlanIndex
from workplan_xl.returns.reading import BY_FILE_NAME, BY_META, BY_SHEET_CODE, BY_SHEET_NAME, Finding, Reading
from workplan_xl.returns.tables import Table

_UNIT_LINE_MAX = 2000  # characters of the rows above the header searched for the unit


def read_meta(sheets: list[dict[str, Any]]) -> dict[str, Any]:
    candidates = [s for s in sheets if s["name"] == SHEET_META] + [
        s for s in sheets if s["visible"] != "visible" and s["name"] != SHEET_META]
    for sheet in candidates:
        pairs = {cell_text(r[0]): cell_text(r[1]) if len(r) > 1 else "" for r in sheet["rows"] if r}
        if pairs.get("schema", "").startswith(FORM_SCHEMA.split("@")[0]):
            return {**pairs, "_sheet": sheet}
    return {}


def identify(reading: Reading, meta: dict[str, Any], line_units: list[Unit], index: PlanIndex,
              round: str | None, file_name: str, tasks: Table | None, indicators: Table | None) -> bool:
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
        verified = checksum(tasks, indicators) == meta.get("checksum")
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
    # No _meta (a CSV, a web page, a copy into a workbook of the school's own): the round is the one the
    # form's unit line shows (…　报送批次：2025-年度), when it shows one.
    reading.file_round = _line_round(tasks or indicators)
    if len(line_units) == 1:
        unit = line_units[0]
        by = BY_SHEET_CODE if re.search(rf"(?<![0-9A-Za-z]){re.escape(unit.code)}(?![0-9A-Za-z])",
                                        unit_line_text(tasks or indicators)) else BY_SHEET_NAME
    else:
        unit, by = unit_from_file_name(file_name, index), BY_FILE_NAME
    if unit is None:
        reading.reject("", f"无法确定「{file_name}」是哪个单位的回表（没有隐藏信息，表内和文件名中也找不到单位代码或名称）",
                       "请在文件名前加上单位代码（如 1003_第一中学.xlsx）后放回回表文件夹重新运行，或让该单位用下发的填报表重新填写。")
        return False
    reading.unit_code, reading.unit_name, reading.identified_by = unit.code, unit.name, by
    if round is not None and reading.file_round is not None and reading.file_round != round:
        reading.reject("", f"表内写的报送批次是「{reading.file_round}」，本次收集的是「{round or '未分批次'}」批次，未使用",
                       "如确属本批次，请让该单位用本批次下发的填报表重新填写后发送。")
        return False
    return True


def _line_round(table: Table | None) -> str | None:
    """The round a form's unit line shows after 报送批次, or None."""
    if table is None:
        return None
    for row in table.sheet["rows"][1:table.header_row]:
        for value in row:
            text = cell_text(value)
            if ROUND_LABEL in text:
                shown = text.split(ROUND_LABEL, 1)[1].lstrip("：: \u3000").strip()
                return shown or None
    return None


def unit_line_text(table: Table | None) -> str:
    if table is None:
        return ""
    # A unit line is short; the cap keeps a sheet whose top rows hold whole essays cheap to search.
    return " ".join(cell_text(v) for row in table.sheet["rows"][1:table.header_row] for v in row)[:_UNIT_LINE_MAX]


def blame_file_name(reading: Reading, file_name: str, index: PlanIndex) -> Reading:
    """A file that could not be read, put down to the unit its name names (when it names one), so
    报送情况 shows that unit 有问题 (it sent something unusable) rather than 未报."""
    unit = unit_from_file_name(file_name, index) if not reading.unit_code else None
    if unit is not None:
        reading.unit_code, reading.unit_name, reading.identified_by = unit.code, unit.name, BY_FILE_NAME
    return reading


def unit_from_file_name(file_name: str, index: PlanIndex) -> Unit | None:
    stem = file_name.rsplit(".", 1)[0]
    lead = re.match(r"([0-9A-Za-z]+)[_\-－—\s（(]", stem)
    if lead and lead.group(1) in index.units:
        return index.units[lead.group(1)]
    units = index.units_in(stem)
    return units[0] if len(units) == 1 else None


_CHECKSUMS: dict[tuple[Any, ...], str] = {}  # the descriptive cells seen → their checksum
_CHECKSUMS_SIZE = 256  # forms for the same unit type carry the same tasks: most returns hit


def checksum(tasks: Table | None, indicators: Table | None) -> str:
    def cells(table: Table | None, columns: list[tuple[str, str | None]], id_header: str
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
                                             if id_col < len(row) and ((v := row[id_col]).__class__ is str and v
                                                                       and not v.isspace() or cell_text(v))]

    parts = (cells(tasks, TASK_COLUMNS, TASK_ID_HEADER), cells(indicators, INDICATOR_COLUMNS, INDICATOR_ID_HEADER))
    key = tuple((headers, tuple(rows)) for headers, rows in parts)
    known = _CHECKSUMS.get(key)
    if known is None:
        known = locked_checksum(*([dict(zip(headers, row, strict=True)) for row in rows] for headers, rows in parts))
        if len(_CHECKSUMS) < _CHECKSUMS_SIZE:
            _CHECKSUMS[key] = known
    return known
