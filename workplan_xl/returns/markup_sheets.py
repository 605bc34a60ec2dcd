"""Spreadsheets saved as markup, which python-calamine does not read: Excel 2003 XML (SpreadsheetML),
flat ODS (.fods) and Excel/WPS/LibreOffice web pages (.htm/.html, single-file .mht). Each reader gives
the sheets in the shape the worker gives for calamine's (name, visibility, rows of plain values, merged
ranges, truncated), so a return in one of these kinds is interpreted like any other.

These are hostile inputs like every return: XML is parsed with defusedxml (no DTD entities, no
network) after the same prolog check as an .xlsx part; declared extents (repeats, ss:Index jumps,
spans) are counted before anything is allocated, and only what fits the caps is ever materialised."""

from __future__ import annotations

from typing import Any

from workplan_xl.returns.precheck import LIMITS, Limits, Refused

MAX_TEXT = 32767  # characters in one cell, as in Excel
XML_2003 = "Excel 2003 XML 表格"
FODS = "单文件 ODS 表格（.fods）"
WEB = "网页格式的 Excel 表格"
CSV_TEXT = "CSV 文本表格"  # text named .csv/.tsv: the bytes alone cannot tell it from a note
MARKUP_KINDS = {XML_2003: "xml2003", FODS: "fods", WEB: "html", CSV_TEXT: "csv"}  # sniff's names → the kind recorded
TEXT_TABLE_SUFFIXES = (".csv", ".tsv")
# A .txt is a table when it holds a form's header line, tab-separated: what Excel's "文本文件（制表符分隔）" and
# "Unicode 文本" make of a filled form (a note never holds three of these separated by tabs).
_FORM_HEADERS = ("任务编号", "重点任务", "完成状态", "进展情况", "任务ID", "指标", "目标值", "填报值", "指标ID")


def is_text_table(data: bytes, name: str) -> bool:
    """Whether text (sniffed so) is read as a table: named .csv/.tsv, or a tab-separated form saved as .txt."""
    lower = name.lower()
    if lower.endswith(TEXT_TABLE_SUFFIXES):
        return True
    if not lower.endswith(".txt"):
        return False
    head = data[:16384]
    encodings = ("utf-16",) if head.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8", "gb18030")
    for encoding in encodings:  # the cut at 16 KB may split a character: ignored, the headers come first
        for line in head.decode(encoding, "ignore").splitlines()[:40]:
            cells = {cell.strip().strip('"') for cell in line.split("\t")}
            if len(cells) > 2 and sum(header in cells for header in _FORM_HEADERS) >= 3:
                return True
    return False


def read_markup_sheets(data: bytes, what: str, limits: Limits = LIMITS, max_sheets: int = 20,
                       max_rows: int = 5000, max_columns: int = 64) -> list[dict[str, Any]]:
    """The sheets of a file sniffed as ``what`` (a key of MARKUP_KINDS). Raises Refused."""
    caps = Caps(limits.max_cells, max_sheets, max_rows, max_columns)
    if what == XML_2003:
        from workplan_xl.returns.xml_sheets import read_spreadsheetml

        return read_spreadsheetml(data, caps)
    if what == FODS:
        from workplan_xl.returns.xml_sheets import read_fods

        return read_fods(data, caps)
    if what == WEB:
        from workplan_xl.returns.html_sheets import read_web_sheets

        return read_web_sheets(data, caps)
    if what == CSV_TEXT:
        return [_text_sheet(data, caps)]
    raise Refused("convert", what)


def _text_sheet(data: bytes, caps: Caps) -> dict[str, Any]:
    """A CSV keeps the one sheet that was on screen, every cell as text (hidden columns too)."""
    from workplan_xl.csv_text import CsvError, iter_text_rows

    grid = Grid("CSV", caps)
    try:
        for r, row in enumerate(iter_text_rows(data)):
            if r >= caps.rows:  # the rest is not read (truncated, as for a sheet past the row cap)
                grid.truncated = True
                break
            for c, value in enumerate(row):
                grid.put(r, c, value if value.strip() else "")
    except CsvError:
        raise Refused("csv", "") from None
    return grid.sheet()


class Caps:
    """What a reader keeps: at most ``sheets`` sheets of ``rows`` × ``columns`` cells (more is marked
    truncated, as for calamine's sheets); a sheet whose filled cells span more than ``cells`` is refused."""

    def __init__(self, cells: int, sheets: int, rows: int, columns: int) -> None:
        self.cells, self.sheets, self.rows, self.columns = cells, sheets, rows, columns


class Grid:
    """One sheet's cells as they are found (sparse, row → column → value)."""

    def __init__(self, name: str, caps: Caps, visible: str = "visible") -> None:
        self.name, self.caps, self.visible = name, caps, visible
        self.cells: dict[int, dict[int, Any]] = {}
        self.merged: list[list[int]] = []
        self.last_row = self.last_column = -1
        self.truncated = False

    def reach(self, row: int, column: int) -> None:
        """A filled cell at (row, column), 0-based: refuse the sheet if its filled extent passes the cap
        (checked from the coordinates alone, before anything is kept)."""
        self.last_row, self.last_column = max(self.last_row, row), max(self.last_column, column)
        if (self.last_row + 1) * (self.last_column + 1) > self.caps.cells:
            raise Refused("extent", f"{self.name}: {self.last_row + 1} 行 × {self.last_column + 1} 列")

    def put(self, row: int, column: int, value: Any, rows: int = 1, columns: int = 1) -> None:
        """``value`` in a block of ``rows`` × ``columns`` cells (a repeated cell or row); blanks cost nothing."""
        if value == "" or value is None:
            return
        self.reach(row + rows - 1, column + columns - 1)
        caps = self.caps
        if row + rows > caps.rows or column + columns > caps.columns:
            self.truncated = True
        if isinstance(value, str) and len(value) > MAX_TEXT:
            value = value[:MAX_TEXT]
        for r in range(row, min(row + rows, caps.rows)):
            line = self.cells.setdefault(r, {})
            for c in range(column, min(column + columns, caps.columns)):
                line[c] = value

    def merge(self, row: int, column: int, rows: int, columns: int) -> None:
        if (rows > 1 or columns > 1) and row < self.caps.rows and column < self.caps.columns and len(self.merged) < 10000:
            self.merged.append([row, column, min(row + rows, self.caps.rows) - 1,
                                min(column + columns, self.caps.columns) - 1])

    def sheet(self) -> dict[str, Any]:
        rows: list[list[Any]] = []
        for r in range(max(self.cells, default=-1) + 1):
            line = self.cells.get(r)
            if not line:
                rows.append([])
                continue
            rows.append([line.get(c, "") for c in range(max(line) + 1)])
        return {"name": self.name, "visible": self.visible, "rows": rows, "merged": self.merged,
                "truncated": self.truncated}


def number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def iso_date(text: str) -> str:
    """An XML date-time as the worker shows calamine's dates: 2024-05-20, or 2024-05-20T10:30:00."""
    text = text.strip()
    if "." in text:
        text = text.split(".", 1)[0]
    if text.endswith("T00:00:00"):
        return text[:10]
    return text
