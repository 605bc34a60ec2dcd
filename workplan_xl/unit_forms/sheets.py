"""FormContent → the bytes of one .xlsx form (xlsxwriter, in memory).

Descriptive cells are locked, input cells unlocked and yellow; both data sheets are protected, which
guards against slips only — collect trusts the fingerprint and checksum in the very hidden _meta.
Every text goes through write_string, so a task that starts with "=" stays text.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

import xlsxwriter

from workplan_xl.cjk import display_width
from workplan_xl.form_layout import (
    CONTACT_FIELDS,
    HEADER_ROW,
    INDICATOR_COLUMNS,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_TASKS,
    TASK_COLUMNS,
)
from workplan_xl.plan import STATUSES
from workplan_xl.unit_forms.content import FormContent, Row
from workplan_xl.xlsx_style import (
    DEFAULT_ROW,
    FONT,
    LINE,
    SIZE,
    fit_row,
    formats,
    lines_height,
    office_sheet,
    wrapped_height,
)

_OPTIONS = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False}
# Users may resize rows and columns to read or type long text; nothing else.
_PROTECTION = {"format_columns": True, "format_rows": True,
               "select_locked_cells": True, "select_unlocked_cells": True}
_HINT = "黄色单元格为填报区，其他单元格已锁定；完成状态请从下拉列表中选择。"
VALUE_HINT = "只填数字，如 95，不要加 %"
LINE_HEIGHT = LINE  # points per line of 11 pt 宋体 (xlsx_style)

# header → (cell kind, minimum width, maximum width). Widths of descriptive columns follow their text.
# The visible task columns add up to at most 172 character units, so the sheet prints on A4 landscape
# at about 85 % (11 pt stays readable); long text wraps and the row grows instead.
TASK_SPEC: dict[str, tuple[str, float, float]] = {
    "序号": ("center", 5, 5),
    "任务编号": ("center", 8, 10),
    "重点任务": ("text", 12, 14),
    "具体内容": ("text", 20, 24),
    "完成时限": ("text", 9, 10),
    "完成状态": ("input_status", 10, 10),
    "进展情况": ("input", 22, 22),
    "主要成效": ("input", 22, 22),
    "存在问题": ("input", 14, 14),
    "下一步打算": ("input", 14, 14),
    "完成时间": ("input_date", 11, 11),
    "佐证材料": ("input", 9, 9),
    "备注": ("input", 6, 6),
    "任务ID": ("id", 8, 8),
}
INDICATOR_SPEC: dict[str, tuple[str, float, float]] = {
    "序号": ("center", 5, 5),
    "指标": ("text", 16, 36),
    "所属任务": ("text", 14, 30),
    "比较": ("center", 6, 6),
    "目标值": ("number", 8, 12),
    "单位": ("center", 6, 10),
    "填报值": ("input_number", 10, 10),
    "说明": ("input", 30, 30),
    "指标ID": ("id", 8, 8),
}
# Lines of room a data row keeps for typing, whatever its descriptive text: 进展情况 needs a few.
TASK_LINES = 3
INDICATOR_LINES = 2
GUIDE_WIDTHS = (12, 86)


def _formats(workbook: Any) -> dict[str, Any]:
    style = formats(workbook)
    base = {"font_name": FONT, "font_size": SIZE, "valign": "vcenter", "text_wrap": True, "border": 1}
    yellow = {**base, "locked": False, "bg_color": "#FFF2CC"}
    return {
        **style,
        # No merged cells anywhere: the title is centred across the table's width instead.
        "title": workbook.add_format({"font_name": FONT, "font_size": 16, "bold": True,
                                      "align": "center_across", "valign": "vcenter"}),
        # General, not "0.##" (which shows 95 as "95.") and never a percent format; centred like
        # the 比较 and 单位 beside them, so "≥ 95 %" reads as one phrase.
        "number": workbook.add_format({**base, "num_format": "General", "align": "center"}),
        "input_number": workbook.add_format({**yellow, "num_format": "General", "align": "center"}),
        "input_date": workbook.add_format({**yellow, "num_format": "@"}),
        "input_status": workbook.add_format({**yellow, "align": "center"}),
        "id": workbook.add_format({**base, "font_color": "#808080"}),
        # The unit line and the hint overflow to the right; wrapped they would stay inside column A.
        "line": workbook.add_format({"font_name": FONT, "font_size": SIZE, "valign": "vcenter"}),
        "hint": workbook.add_format({"font_name": FONT, "font_size": SIZE, "valign": "vcenter",
                                     "font_color": "#595959"}),
        "label": workbook.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9E1F2"}),
        # The 填报人 block: a right-aligned label runs left into the empty cells of its span.
        "contact_label": workbook.add_format({"font_name": FONT, "font_size": SIZE, "valign": "vcenter",
                                              "align": "right"}),
        "contact_input": workbook.add_format({"font_name": FONT, "font_size": SIZE, "valign": "vcenter",
                                              "locked": False, "bg_color": "#FFF2CC", "bottom": 1,
                                              "num_format": "@", "shrink": True}),
    }


@lru_cache(maxsize=8192)
def _width(value: str) -> int:
    """Display width of a cell's widest line; the same task texts recur in every unit's form."""
    return max((display_width(line) for line in value.splitlines()), default=0)


def _top_rows(sheet: Any, fmt: dict[str, Any], title: str, unit_line: str, hint: str, width: int) -> None:
    sheet.write_string(0, 0, title, fmt["title"])
    for col in range(1, width):
        sheet.write_blank(0, col, None, fmt["title"])
    sheet.set_row(0, 30)
    sheet.write_string(1, 0, unit_line, fmt["line"])
    sheet.write_string(2, 0, hint, fmt["hint"])


# Input cells of the 填报人 block need room for a name, an 11-digit phone number or a typed date.
_CONTACT_INPUT_WIDTH = {"filler": 8, "reviewer": 8, "phone": 12, "fill_date": 12}


def contact_layout(widths: list[float]) -> list[list[tuple[int, int, str, str]]]:
    """Where the 填报人 block goes under a table of these visible column widths: two rows (填报人 and
    审核人, then 联系电话 and 填报日期) of (label column, input column, label, field). Each label takes as
    many columns as its text needs (it is written in the last one, right-aligned, and runs left over
    the empty ones), each input the next column wide enough; a pair that does not fit starts a row."""
    rows: list[list[tuple[int, int, str, str]]] = []
    for group in (CONTACT_FIELDS[:2], CONTACT_FIELDS[2:]):
        rows.append([])
        col = 0
        for label, name in group:
            need, room = display_width(label + "：") + 1, _CONTACT_INPUT_WIDTH[name]
            for _ in range(2):
                span, c = 0.0, col
                while c < len(widths) and span < need:  # the label's columns
                    span, c = span + widths[c], c + 1
                while c < len(widths) and widths[c] < room:  # a narrow column joins the label
                    c += 1
                if c < len(widths):
                    rows[-1].append((c - 1, c, label, name))
                    col = c + 1
                    break
                if not rows[-1]:  # narrower than any form we write: label and input side by side
                    rows[-1].append((0, 1, label, name))
                    break
                rows.append([])
                col = 0
    return rows


def _contact_block(sheet: Any, fmt: dict[str, Any], first_row: int, widths: list[float]) -> int:
    """Write the 填报人 block from ``first_row``; return the row after it."""
    row = first_row
    for line in contact_layout(widths):
        for label_col, input_col, label, _ in line:
            sheet.write_string(row, label_col, label + "：", fmt["contact_label"])
            sheet.write_blank(row, input_col, None, fmt["contact_input"])
        sheet.set_row(row, 24)
        row += 1
    return row


def _data_sheet(workbook: Any, fmt: dict[str, Any], name: str, columns: list[tuple[str, str | None]],
                spec: dict[str, tuple[str, float, float]], rows: list[Row], title: str,
                content: FormContent, hint: str, password: str, lines: int, contact: bool = False) -> Any:
    sheet = workbook.add_worksheet(name)
    headers = [h for h, _ in columns]
    visible = sum(1 for h in headers if spec[h][0] != "id")
    _top_rows(sheet, fmt, title, content.unit_line, hint, visible)
    widths = column_widths(spec, headers, rows)
    for col, header in enumerate(headers):
        sheet.set_column(col, col, widths[header], None, {"hidden": spec[header][0] == "id"})
        sheet.write_string(HEADER_ROW, col, header, fmt["header"])
    fit_row(sheet, HEADER_ROW, [(h, widths[h]) for h in headers if spec[h][0] != "id"])
    for index, row in enumerate(rows):
        r = HEADER_ROW + 1 + index
        for col, header in enumerate(headers):
            kind = spec[header][0]
            if header == "序号":
                sheet.write_number(r, col, index + 1, fmt["center"])
            elif kind.startswith("input"):
                sheet.write_blank(r, col, None, fmt[kind])
            elif kind == "number":
                value = row.get(header)
                if isinstance(value, (int, float)):
                    sheet.write_number(r, col, value, fmt["number"])
                else:
                    sheet.write_blank(r, col, None, fmt["number"])
            elif value := str(row.get(header) or ""):
                sheet.write_string(r, col, value, fmt[kind])
            else:
                sheet.write_blank(r, col, None, fmt[kind])  # not an empty shared string
        sheet.set_row(r, row_height(spec, headers, widths, row, lines))
    if rows:
        _validations(sheet, headers, HEADER_ROW + 1, HEADER_ROW + len(rows))
    if contact:  # below the table, where a printed form is signed; one blank row between
        _contact_block(sheet, fmt, HEADER_ROW + len(rows) + 2,
                       [widths[h] for h in headers if spec[h][0] != "id"])
    office_sheet(sheet, HEADER_ROW)
    sheet.protect(password, dict(_PROTECTION))
    return sheet


def column_widths(spec: dict[str, tuple[str, float, float]], headers: list[str], rows: list[Row]) -> dict[str, float]:
    """Each column's width: fixed for input columns, from the widest text for descriptive ones."""
    widths = {}
    for header in headers:
        _, low, high = spec[header]
        width = low
        if low != high:
            values = [header] + [str(r.get(header) or "") for r in rows]
            width = min(max(max(map(_width, values)) + 2, low), high)
        widths[header] = width
    return widths


def row_height(spec: dict[str, tuple[str, float, float]], headers: list[str], widths: dict[str, float],
               row: Row, lines: int) -> float:
    """Points that show every wrapped line of the row's descriptive text and leave ``lines`` lines to
    type in. LibreOffice draws wrapped text over the next rows when the height is not set, and the
    height depends only on the plan's text, so every unit stamped from one layout gets the same."""
    cells = [(str(row.get(h) or ""), widths[h]) for h in headers
             if spec[h][0] in ("text", "center") and h != "序号"]
    return max(wrapped_height(cells) or 0.0, lines_height(lines))


def _validations(sheet: Any, headers: list[str], first: int, last: int) -> None:
    def column(header: str) -> int | None:
        return headers.index(header) if header in headers else None

    if (col := column("完成状态")) is not None:
        sheet.data_validation(first, col, last, col, {
            "validate": "list", "source": list(STATUSES),
            "input_title": "完成状态", "input_message": "请从下拉列表中选择",
            "error_title": "完成状态填写有误",
            "error_message": "请从下拉列表中选择：" + "、".join(STATUSES) + "。"})
    if (col := column("完成时间")) is not None:
        sheet.data_validation(first, col, last, col, {
            "validate": "any", "input_title": "完成时间", "input_message": "如 2024年6月 或 2024-06-15"})
    if (col := column("填报值")) is not None:
        # "Any decimal": Excel needs bounds, so take ones no indicator reaches.
        sheet.data_validation(first, col, last, col, {
            "validate": "decimal", "criteria": "between", "minimum": -10**15, "maximum": 10**15,
            # Excel stores a typed "95%" as 0.95, which this check cannot tell from a real 0.95:
            # say it where the school types, before it happens.
            "input_title": "填报值", "input_message": VALUE_HINT,
            "error_title": "填报值有误", "error_message": "请填写数字，不要带单位或%"})


def _guide_sheet(workbook: Any, fmt: dict[str, Any], content: FormContent, password: str) -> None:
    sheet = workbook.add_worksheet(SHEET_GUIDE)
    sheet.write_string(0, 0, content.title_line, fmt["title"])
    sheet.write_blank(0, 1, None, fmt["title"])
    sheet.set_row(0, 30)
    label_width, text_width = GUIDE_WIDTHS
    for index, (label, line) in enumerate(content.guide):
        sheet.write_string(2 + index, 0, label, fmt["label"])
        sheet.write_string(2 + index, 1, line, fmt["text"])
        height = wrapped_height([(label, label_width), (line, text_width)])
        if height is not None:
            sheet.set_row(2 + index, height)
    sheet.set_column(0, 0, label_width)
    sheet.set_column(1, 1, text_width)
    sheet.set_default_row(DEFAULT_ROW)
    sheet.set_paper(9)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.center_horizontally()
    sheet.fit_to_pages(1, 0)
    sheet.protect(password, dict(_PROTECTION))


def form_bytes(content: FormContent, password: str = "") -> bytes:
    """The .xlsx bytes of one unit's form; the same content always gives the same bytes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, _OPTIONS)
    workbook.set_properties(content.properties)
    fmt = _formats(workbook)
    _guide_sheet(workbook, fmt, content, password)
    task_hint = _HINT if content.task_rows else "本单位本次无需填报任务进展。"
    # One 填报人 block per form: under the tasks, or under the indicators when there are no tasks.
    _data_sheet(workbook, fmt, SHEET_TASKS, TASK_COLUMNS, TASK_SPEC, content.task_rows,
                f"{content.title_line}（任务进展）", content, task_hint, password, TASK_LINES,
                contact=bool(content.task_rows))
    indicator_hint = (f"黄色单元格为填报区：「填报值」{VALUE_HINT}（单位见「单位」列）。" if content.indicator_rows
                      else "本单位本次无需填报指标。")
    _data_sheet(workbook, fmt, SHEET_INDICATORS, INDICATOR_COLUMNS, INDICATOR_SPEC, content.indicator_rows,
                f"{content.title_line}（指标填报）", content, indicator_hint, password, INDICATOR_LINES,
                contact=not content.task_rows)
    meta = workbook.add_worksheet(SHEET_META)
    for row, (key, value) in enumerate(content.meta):
        meta.write_string(row, 0, key)
        meta.write_string(row, 1, value)
    meta.very_hidden()
    workbook.close()
    return buffer.getvalue()
