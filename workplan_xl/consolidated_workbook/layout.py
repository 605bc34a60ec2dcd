"""How every sheet of 汇总.xlsx is laid out: formats, typed cells, the title / note / header block, CJK
column widths, row heights for wrapped text, capped long cells, and figures rounded as the report
prints them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from workplan_xl.cjk import display_width, number_text, round_half_up
from workplan_xl.progress import MISSING, PARTIAL, PROBLEM, REPORTED
from workplan_xl.returns.tables import column_letter
from workplan_xl.xlsx_style import (
    DEFAULT_ROW,
    FONT,
    SIZE,
    fit_row,
    formats,
    lines_height,
    office_sheet,
    text_lines,
)

CELL_MAX = 32767  # Excel's limit, counted in UTF-16 units; a longer cell makes Excel "repair" the file
MAX_LINES = 24  # lines a capped cell may take: 24 × 16.5 pt stays under ROW_MAX and on one page
WIDTH_SAMPLE = 2000  # column widths are judged on the first rows: 明细 can have 100,000+

# Whole rows of 报送情况 are tinted by state; the 状态 cell itself is stronger.
STATE_FILL = {MISSING: "#F8CBAD", PROBLEM: "#FFE699", PARTIAL: "#FFE699", REPORTED: "#C6E0B4"}
ROW_TINT = {MISSING: "#FCE4D6", PROBLEM: "#FFF2CC", PARTIAL: "#FFF2CC"}
REACHED_FILL = {"已达成": ("#C6E0B4", "#375623"), "未达成": ("#F8CBAD", "#9C0006"), "未填": ("#EDEDED", "#595959")}


class Formats(dict[str, Any]):
    """A workbook's formats by name, and (``streamed``) the rows of its tables as sheet XML, by worksheet
    part, with their dimension: put into the package after xlsxwriter closes (package.stream_into)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.streamed: dict[str, tuple[str, str]] = {}


def make_formats(workbook: Any) -> Formats:
    """The shared formats (xlsx_style.formats) plus this workbook's: figures with 0, 1 or 2 decimals,
    state fills, tinted rows, the note line and a title that wraps when the sheet is narrow."""
    fmt = Formats(formats(workbook))
    base = {"font_name": FONT, "font_size": SIZE, "valign": "vcenter", "text_wrap": True, "border": 1}
    fmt["title"] = workbook.add_format({**base, "border": 0, "bold": True, "font_size": 16, "align": "center"})
    fmt["number"] = workbook.add_format({**base, "num_format": "General"})  # "0.##" shows 95 as "95."
    for places in (0, 1, 2):
        fmt[f"figure{places}"] = workbook.add_format({**base, "num_format": "0." + "0" * places if places else "0"})
    for state, colour in STATE_FILL.items():
        fmt[state] = workbook.add_format({**base, "align": "center", "bg_color": colour, "bold": state == MISSING})
    for state, colour in ROW_TINT.items():
        fmt[f"text:{state}"] = workbook.add_format({**base, "bg_color": colour})
        fmt[f"center:{state}"] = workbook.add_format({**base, "align": "center", "bg_color": colour})
    for word, (fill, colour) in REACHED_FILL.items():  # conditional formats: only fill and font colour
        fmt[word] = workbook.add_format({"bg_color": fill, "font_color": colour})
    fmt["note_wrap"] = workbook.add_format({"font_name": FONT, "font_size": SIZE, "font_color": "#595959",
                                            "text_wrap": True, "valign": "top"})
    return fmt


def fit_cell(text: str, limit: int = CELL_MAX) -> str:
    """``text`` cut to Excel's cell limit, which counts UTF-16 units (a rare CJK character or an emoji
    outside the BMP counts two), with a visible mark when cut."""
    if len(text) <= limit // 2:
        return text
    data = text.encode("utf-16-le")
    if len(data) // 2 <= limit:
        return text
    mark = "……（已截断）"
    return data[:(limit - len(mark)) * 2].decode("utf-16-le", "ignore") + mark  # "ignore": a split pair


def cell(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """Typed writes only: text is always a string cell, never a formula or a link."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, fit_cell(str(value)), fmt)


def rows_xml(rows: Sequence[Sequence[Any]], first: int, styles: Sequence[str],
             row_style: Callable[[int, Sequence[Any], int], str | None] | None, fmt: Formats,
             columns: Sequence[float]) -> str:
    """The <row> elements of a table's ``rows`` from 0-based row ``first``, typed as cell() types them
    (text always an inline string, never a formula or a link), each row as high as its wrapped text
    needs. Made as XML, not through xlsxwriter's cells (about 7 µs each, and again when it closes):
    报送情况 and 文件清单 have a row per unit. Style numbers are asked here, before the workbook closes."""
    xf: dict[str, int] = {}
    letters = [column_letter(c) for c in range(len(columns))]
    out = []
    for n, values in enumerate(rows):
        r = first + n + 1
        cells = []
        for c, value in enumerate(values):
            name = (row_style(n, values, c) if row_style else None) or styles[c]
            s = xf.get(name)
            if s is None:
                s = xf[name] = fmt[name]._get_xf_index()
            if value is None or value == "":
                cells.append(f'<c r="{letters[c]}{r}" s="{s}"/>')
                continue
            if isinstance(value, bool):
                value = "是" if value else "否"
            elif isinstance(value, int | float) and math.isfinite(value):
                cells.append(f'<c r="{letters[c]}{r}" s="{s}"><v>{xml_number(float(value))}</v></c>')
                continue
            cells.append(f'<c r="{letters[c]}{r}" s="{s}" t="inlineStr"><is><t xml:space="preserve">'
                         f'{xml_text(fit_cell(str(value)))}</t></is></c>')
        height = row_height([(v, columns[c]) for c, v in enumerate(values)
                             if isinstance(v, str) and not one_line(v, columns[c])])
        out.append((f'<row r="{r}" ht="{height:g}" customHeight="1">' if height else f'<row r="{r}">')
                   + "".join(cells) + "</row>")
    return "".join(out)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")  # Excel would decode these; keep them literal


def xml_text(value: str) -> str:
    """A text as cell XML content: characters XML cannot hold dropped, "_x0041_" kept literal, escaped."""
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    if "_x" in value:
        value = _ESCAPE_LIKE.sub(r"_x005F\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def figure(value: float, digits: int) -> tuple[float, int]:
    """``value`` rounded the way the report prints it (gongwen.format_number: cjk.round_half_up to
    ``digits`` places, trailing zeros dropped) and the decimal places left, so the cell shows exactly
    the figure the report prints."""
    rounded = round_half_up(value, digits)
    if rounded == int(rounded):
        return float(int(rounded)), 0
    text = f"{rounded:.{digits}f}".rstrip("0")
    return float(text), len(text.partition(".")[2])


def line_count(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapped column ``width`` wide (xlsx_style.text_lines)."""
    return text_lines(text, width)


def row_height(cells: Sequence[tuple[str, float]]) -> float | None:
    """Height (points) that shows every wrapped line of ``cells``, at most Excel's highest row."""
    lines = max((text_lines(t, w) for t, w in cells), default=1)
    return None if lines <= 1 else lines_height(lines)


def column_width(values: Sequence[str], minimum: float, maximum: float) -> float:
    """cjk.column_width with room for Latin letters and digits: where 宋体 is missing (LibreOffice on
    Linux) they fall back to a font a fifth wider than the width unit, and a phone number wraps."""
    widest = 0
    for v in dict.fromkeys(values):  # a sample repeats its texts (names, statuses): each measured once
        for line in str(v).splitlines():
            if line.isascii():
                widest = max(widest, len(line) + math.ceil(0.2 * len(line)))
                continue
            ascii_count = len(line.encode("ascii", "ignore"))
            widest = max(widest, display_width(line) + math.ceil(0.2 * ascii_count))
    return float(min(max(widest + 2, minimum), maximum))


def one_line(text: str, width: float) -> bool:
    """True when ``text`` surely fits on one line of a column ``width`` wide (a cheap test: twice
    its length, or its length when it is ASCII, is the widest it can be)."""
    # no character prints wider than cjk.WIDE_UNITS (2.15); 1 unit for the cell's margins
    return "\n" not in text and 2.15 * len(text) + 1 <= width


def shorten(text: str, limit: int, tail: str = "……") -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + tail


def shown(value: Any) -> str:
    """A value as its cell shows it, for column widths and row heights."""
    if isinstance(value, float):
        return number_text(value) if math.isfinite(value) else ""
    return "" if value is None else str(value)


def table_widths(headers: Sequence[str], sample: Sequence[Sequence[Any]], widths: tuple[float, float],
                 maximums: Mapping[int, float] | None = None) -> list[float]:
    """table's column widths: what the header and the ``sample`` rows need, within ``widths``
    (minimum, maximum) or a column's own maximum in ``maximums``."""
    texts = [[h] + [shown(v[c])[:200] for v in sample] for c, h in enumerate(headers)]
    maximums = maximums or {}
    return [column_width(values, widths[0], maximums.get(c, widths[1])) for c, values in enumerate(texts)]


def table(workbook: Any, fmt: dict[str, Any], name: str, title: str, note: str, headers: list[str],
          rows: Sequence[Sequence[Any]], styles: Sequence[str], row_style: Any = None,
          widths: tuple[float, float] = (6, 50), sample: Sequence[Sequence[Any]] | None = None,
          count: int | None = None, maximums: Mapping[int, float] | None = None,
          stream: bool = False) -> tuple[Any, list[float]]:
    """A sheet: title, a note line, the header row, then rows; office print setup, CJK widths and row
    heights that show wrapped text (LibreOffice does not fit them when it opens a file). ``count``
    rows are to come (streamed in later) when ``rows`` is empty; ``sample`` sets the widths, within
    ``widths`` (minimum, maximum) or a column's own maximum in ``maximums``. ``row_style(n, values, c)``
    may name another format for a cell. ``stream``: the rows are made as XML (rows_xml) and put into the
    package after the workbook closes, for a table of a row per unit; the caller then writes nothing
    more into its rows (a comment there would make xlsxwriter write rows of its own). Returns the
    worksheet and its column widths."""
    ws = workbook.add_worksheet(name)
    last = len(headers) - 1
    columns = table_widths(headers, rows[:WIDTH_SAMPLE] if sample is None else sample, widths, maximums)
    for c, width in enumerate(columns):
        ws.set_column(c, c, width)
    total = sum(columns)
    for r, text, style in ((0, title, "title"), (1, note, "note_wrap")):
        if last:
            ws.merge_range(r, 0, r, last, text, fmt[style])
        else:
            ws.write_string(r, 0, text, fmt[style])
    ws.set_row(0, 26 * line_count(title, total * SIZE / 16))
    ws.set_row(1, row_height([(note, total)]) or DEFAULT_ROW)
    header = 2
    for c, text in enumerate(headers):
        ws.write_string(header, c, text, fmt["header"])
    fit_row(ws, header, list(zip(headers, columns, strict=True)), filtered=bool(len(rows) if count is None else count))
    if rows and stream:
        fmt.streamed[f"xl/worksheets/sheet{ws.index + 1}.xml"] = (
            rows_xml(rows, header + 1, styles, row_style, fmt, columns),
            f"A1:{column_letter(last)}{header + 1 + len(rows)}")
    for n, values in enumerate(rows if not stream else ()):
        r = header + 1 + n
        for c, value in enumerate(values):
            style = row_style(n, values, c) if row_style else None
            cell(ws, r, c, value, fmt[style or styles[c]])
        height = row_height([(v, columns[c]) for c, v in enumerate(values)
                             if isinstance(v, str) and not one_line(v, columns[c])])
        if height:
            ws.set_row(r, height)
    office_sheet(ws, header)
    count = len(rows) if count is None else count
    if count:
        ws.autofilter(header, 0, header + count, last)
    return ws, columns
