"""Shared look of every generated workbook: formats, CJK column widths, frozen headers, print setup.

Only the workbook writers import this (and xlsxwriter)."""

from __future__ import annotations

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


def wrapped_height(cells: list[tuple[str, float]], line_height: float = 15.0) -> float | None:
    """Row height (points) that shows every wrapped line of ``cells`` ((text, column width) pairs),
    or None when one line is enough. LibreOffice does not fit row heights when it opens an .xlsx,
    so a writer that wraps long text sets the height itself."""
    import math

    from workplan_xl.cjk import display_width

    def line_count(line: str, width: float) -> int:
        if display_width(line) + 2 <= width:  # column_width() made the column this wide for it
            return 1
        # A CJK glyph is a little wider than two digits of the width unit; keep a margin.
        return max(1, math.ceil(display_width(line) * 1.05 / max(width - 1, 1.0)))

    lines = 1
    for text, width in cells:
        lines = max(lines, sum(line_count(line, width) for line in str(text).split("\n")))
    return None if lines == 1 else round(lines * line_height + 3, 1)
