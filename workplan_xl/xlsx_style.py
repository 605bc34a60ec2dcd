"""Shared look of every generated workbook: formats, CJK column widths, frozen headers, print setup.

Only the workbook writers import this (and xlsxwriter)."""

from __future__ import annotations

import functools
from typing import Any

from workplan_xl.cjk import column_width

FONT = "宋体"
SIZE = 11


def formats(workbook: Any) -> dict[str, Any]:
    """The handful of cell formats every sheet uses, created once per workbook."""
    base = {"font_name": FONT, "font_size": SIZE, "valign": "vcenter", "text_wrap": True}
    border = {**base, "border": 1}
    return {
        "title": workbook.add_format({**base, "bold": True, "font_size": 16, "align": "center",
                                      "text_wrap": False}),
        "header": workbook.add_format({**border, "bold": True, "align": "center", "bg_color": "#D9E1F2"}),
        "text": workbook.add_format(border),
        "center": workbook.add_format({**border, "align": "center"}),
        "number": workbook.add_format({**border, "num_format": "0.##"}),
        "section": workbook.add_format({**border, "bold": True, "bg_color": "#F2F2F2"}),
        "input": workbook.add_format({**border, "locked": False, "bg_color": "#FFF2CC"}),
        "input_number": workbook.add_format({**border, "locked": False, "bg_color": "#FFF2CC",
                                             "num_format": "0.##"}),
        "note": workbook.add_format({**base, "font_color": "#595959"}),
        "plain": workbook.add_format(base),
    }


def set_widths(worksheet: Any, columns: list[list[str]], minimum: float = 6, maximum: float = 60) -> None:
    """Set each column's width from its header and values, counting CJK characters double."""
    for index, values in enumerate(columns):
        worksheet.set_column(index, index, column_width(values, minimum, maximum))


def office_sheet(worksheet: Any, header_row: int) -> None:
    """Office conventions: frozen header, header repeated on every printed page, A4 landscape fitted
    to one page wide, centred horizontally, page numbers in the footer."""
    worksheet.freeze_panes(header_row + 1, 0)
    worksheet.repeat_rows(header_row)
    worksheet.set_landscape()
    worksheet.set_paper(9)  # A4
    worksheet.fit_to_pages(1, 0)
    worksheet.center_horizontally()
    worksheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    worksheet.set_footer("&C第 &P 页，共 &N 页")
    worksheet.set_default_row(DEFAULT_ROW)


def dropdown(worksheet: Any, first_row: int, col: int, last_row: int, choices: list[str],
             strict: bool = True) -> None:
    """A dropdown list on one column. Excel refuses list sources over 255 characters, so this checks
    first; ``strict=False`` only warns about other values instead of refusing them."""
    source = ",".join(choices)
    if len(source) > 255:
        raise ValueError(f"dropdown source is {len(source)} characters; Excel allows 255")
    shown = "、".join(choices)
    worksheet.data_validation(first_row, col, last_row, col, {
        "validate": "list", "source": choices, "error_type": "stop" if strict else "warning",
        "error_title": "请从下拉列表中选择", "error_message": f"可选：{shown}"[:255]})


# Row heights (points). Excel fits a row to wrapped text only when it recalculates the row, and
# LibreOffice keeps the height written in an .xlsx, so every writer sets heights itself, from these
# metrics, through text_lines / wrapped_height / fit_row below. One line of 11 pt 宋体 is 14.25 pt in
# Excel and WPS (SimSun) and 15.7 pt in LibreOffice where Noto CJK stands in for 宋体 (its optimal
# height for one line is 17.2 pt): 16.5 a line plus 3 covers both, and the default row of 18 pt keeps
# one-line rows from being cut in LibreOffice.
LINE = 16.5
PAD = 3.0
DEFAULT_ROW = 18.0
ROW_MAX = 409.0  # Excel's highest row
NARROW_MAX = 2.15  # cjk.WIDE_UNITS: no character prints wider, so 2.15 × len(text) bounds a text's width


@functools.lru_cache(maxsize=1 << 16)  # the same task, unit and header texts recur in every form and sheet
def text_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` units wide, in Excel, WPS and LibreOffice
    (cjk.WRAP_METRICS)."""
    from workplan_xl.cjk import slim_count, transitions, wide_count, wrapped_line_count

    return sum(wrapped_line_count(len(line), wide_count(line), width, slim_count(line), transitions(line))
               for line in str(text).split("\n"))


def lines_height(lines: int, line_height: float = LINE) -> float:
    """The height of a row showing ``lines`` lines, at most Excel's highest row."""
    return min(round(max(lines, 1) * line_height + PAD, 1), ROW_MAX)


def wrapped_height(cells: list[tuple[str, float]], line_height: float = LINE) -> float | None:
    """Row height (points) that shows every wrapped line of ``cells`` ((text, column width) pairs),
    or None when one line is enough (the sheet's default row, DEFAULT_ROW, shows it)."""
    lines = max((text_lines(text, width) for text, width in cells), default=1)
    return None if lines <= 1 else lines_height(lines, line_height)


# LibreOffice wraps a header cell under an autofilter button earlier when it mixes digits or Latin
# with Chinese ("10月", "完成率（%）" wrap where "月份" does not), as if the button took this much room.
FILTER_BUTTON = 3.5


def fit_row(worksheet: Any, row: int, cells: list[tuple[str, float]], minimum: float | None = None,
            filtered: bool = False) -> None:
    """Set ``row``'s height to show ``cells`` (and at least ``minimum``) when the default row is too low;
    ``filtered``: the row carries autofilter buttons."""
    if filtered:
        from workplan_xl.cjk import wide_count

        cells = [(t, w - FILTER_BUTTON if 0 < wide_count(t) < len(t) else w) for t, w in cells]
    height = max(wrapped_height(cells) or 0.0, minimum or 0.0)
    if height > DEFAULT_ROW:
        worksheet.set_row(row, height)
