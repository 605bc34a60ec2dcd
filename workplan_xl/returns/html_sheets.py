"""Spreadsheets saved as web pages: Excel's and WPS's "网页" (.htm/.html, often renamed .xls),
LibreOffice's HTML export, and the single-file web archive (.mht/.mhtml, "单个文件网页").

Each top-level <table> is one sheet (a table nested in a cell is read as that cell's text). Sheet names
come from Excel's <x:ExcelWorksheet><x:Name> list (in a conditional comment; x:Visible marks hidden
ones), else from LibreOffice's heading before each table (<h1>…<em>name</em></h1>), else 表1, 表2 ….
colspan/rowspan become merged ranges with the value in the first cell, as calamine gives them. A cell
is a number when the page marks it (Excel x:num, LibreOffice sdval) and its shown text is a number;
otherwise its text, lines kept (<br>, paragraphs).

Parsed with the standard library's html.parser: no network, no DTD, only HTML's own character
references; nesting is tracked with counters, never recursion. An Excel multi-sheet export's frame
page (the tables live in files of its "….files" folder) holds no table: it reads as no sheet."""

from __future__ import annotations

import email
import email.policy
import re
from html.parser import HTMLParser
from typing import Any

from workplan_xl.returns.markup_sheets import MAX_TEXT, Caps, Grid, number
from workplan_xl.returns.precheck import Refused

_SKIP = {"script", "style", "head", "title", "select", "option", "textarea", "template"}
_LINE_BREAKING = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table"}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
_NUMERIC_TEXT = re.compile(r"^[+-]?[\d,]*\.?\d+(?:[eE][+-]?\d+)?%?$")
_SPACES = re.compile(r"[ \t\r\n\f]+")
MAX_PARTS = 50  # parts of a web archive looked at
FRAME_PAGE = "Excel“网页”的主页面（各工作表在同名的 .files 文件夹里）"


def read_web_sheets(data: bytes, caps: Caps) -> list[dict[str, Any]]:
    names: list[tuple[str, str]] = []
    tables: list[_Table] = []
    for text in _pages(data):
        page = _Page(caps)
        page.feed(text)
        page.close()
        if page.depth:  # the page ends inside a table: cut off (a download, a mail gateway), not a shorter form
            raise Refused("truncated")
        names += page.names
        tables += page.tables
    if not tables and names and b"worksheetsource" in data[:1 << 20].lower():
        # Excel's multi-sheet 网页: this page only frames the sheets, which are files of the .files folder
        raise Refused("convert", FRAME_PAGE)
    sheets = []
    for n, table in enumerate(tables[:caps.sheets]):
        name, visible = names[n] if n < len(names) else (table.heading or f"表{n + 1}", "visible")
        sheets.append(table.grid(name, visible, caps))
    return sheets


def _pages(data: bytes) -> list[str]:
    """The HTML texts of the file: the page itself, or the text/html parts of a web archive."""
    top = data[:2048].lower()
    if b"mime-version:" not in top or b"multipart/related" not in top:
        return [_decode(data)]
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    pages = []
    for part in list(message.walk())[:MAX_PARTS]:
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset()
        pages.append(_decode(payload, charset))
    return pages


def _decode(data: bytes, declared: str | None = None) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")  # valid UTF-8 is UTF-8, whatever the page declares
    except UnicodeDecodeError:
        pass
    if declared is None:
        found = _META_CHARSET.search(data[:8192])
        declared = found.group(1).decode("ascii") if found else None
    encoding = (declared or "gb18030").lower()
    if encoding in ("gb2312", "gbk", "x-gbk", "cp936", "euc-cn", "chinese", "csgb2312"):
        encoding = "gb18030"  # a superset: pages declared gb2312 often hold GBK characters
    try:
        return data.decode(encoding, "replace")
    except LookupError:
        return data.decode("gb18030", "replace")


class _Table:
    """A top-level table's cells as found: rows of (text, attributes)."""

    def __init__(self, heading: str) -> None:
        self.heading = heading
        self.rows: list[list[tuple[str, dict[str, str]]]] = []

    def grid(self, name: str, visible: str, caps: Caps) -> dict[str, Any]:
        grid = Grid(name, caps, visible)
        covered: dict[int, set[int]] = {}  # row → columns taken by a rowspan from above
        for r, cells in enumerate(self.rows):
            taken = covered.pop(r, set())
            column = 0
            for text, attributes in cells:
                while column in taken:
                    column += 1
                across = _span(attributes.get("colspan"), 1 << 14)
                down = _span(attributes.get("rowspan"), len(self.rows) - r)  # not past the table
                grid.put(r, column, _value(text, attributes))
                grid.merge(r, column, down, across)
                for below in range(r + 1, min(r + down, caps.rows, len(self.rows))):
                    covered.setdefault(below, set()).update(range(column, min(column + across, caps.columns + 1)))
                column += across
        return grid.sheet()


def _span(text: str | None, cap: int) -> int:
    try:
        return max(1, min(int((text or "1").strip() or 1), cap))
    except ValueError:
        return 1


def _value(text: str, attributes: dict[str, str]) -> Any:
    lines = [_SPACES.sub(" ", line).replace("\xa0", " ").strip() for line in text.split("\n")]
    shown = "\n".join(line for line in lines if line)[:MAX_TEXT]
    if "x:bool" in attributes and shown.upper() in ("TRUE", "FALSE"):
        return shown.upper() == "TRUE"
    marked = attributes.get("x:num", attributes.get("sdval"))
    if marked is not None and _NUMERIC_TEXT.match(shown.replace(" ", "")):
        value = number(marked) if marked else number(shown.replace(",", "").rstrip("%"))
        if value is not None:
            return value
    return shown


class _Page(HTMLParser):
    """Collects the top-level tables and the Excel sheet names of one HTML page."""

    def __init__(self, caps: Caps) -> None:
        super().__init__(convert_charrefs=True)
        self.caps = caps
        self.tables: list[_Table] = []
        self.names: list[tuple[str, str]] = []
        self.depth = 0  # <table> nesting
        self.table: _Table | None = None  # the top-level table being read (None past the sheet cap)
        self.skip = 0  # inside script/style/head …
        self.cell: list[str] | None = None  # the open top-level cell's text pieces
        self.cell_size = 0
        self.attributes: dict[str, str] = {}
        self.heading: list[str] | None = None  # the text of the <em> in the last <h1> before a table
        self.emphasis = False
        self.last_heading = ""

    # tables, rows and cells -----------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.table = _Table(self.last_heading) if len(self.tables) < self.caps.sheets else None
                if self.table is not None:
                    self.tables.append(self.table)
                self.last_heading = ""
            else:
                self._text("\n")
        elif self.depth == 1:
            if self.table is None:
                return
            if tag == "tr":
                self._close_cell()
                if len(self.table.rows) <= self.caps.rows:
                    self.table.rows.append([])
            elif tag in ("td", "th"):
                self._close_cell()
                rows = self.table.rows
                if not rows:
                    rows.append([])
                self.cell, self.cell_size = [], 0
                self.attributes = {k.lower(): v or "" for k, v in attrs}
            elif tag == "br" or tag in _LINE_BREAKING:
                self._text("\n")
        elif self.depth > 1:
            if tag in ("td", "th"):
                self._text(" ")
            elif tag == "br" or tag in _LINE_BREAKING:
                self._text("\n")
        elif tag == "h1":
            self.heading = []
        elif tag == "em" and self.heading is not None:
            self.emphasis = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._text("\n")
        elif tag not in ("table", "tr", "td", "th") and tag not in _SKIP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "table" and self.depth:
            self.depth -= 1
            if self.depth == 0:
                self._close_cell()
            else:
                self._text("\n")
        elif self.depth == 1 and tag in ("td", "th", "tr"):
            self._close_cell()
        elif self.depth == 1 and tag in _LINE_BREAKING:
            self._text("\n")
        elif tag == "em":
            self.emphasis = False
        elif tag == "h1" and self.heading is not None:
            self.last_heading = "".join(self.heading).strip()
            self.heading = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.depth:
            self._text(data)
        elif self.heading is not None and self.emphasis:
            self.heading.append(data)

    def handle_comment(self, data: str) -> None:
        """Excel's sheet list: <!--[if gte mso 9]><xml><x:ExcelWorkbook>…<x:ExcelWorksheet><x:Name>."""
        if "excelworksheet" in data.lower():
            names = _SheetNames()
            names.feed(data)
            names.close()
            self.names += names.sheets

    def _text(self, text: str) -> None:
        if self.cell is not None and self.cell_size < MAX_TEXT:
            self.cell.append(text)
            self.cell_size += len(text)

    def _close_cell(self) -> None:
        if self.cell is None or self.table is None:
            return
        rows = self.table.rows
        if len(rows) <= self.caps.rows and len(rows[-1]) <= self.caps.columns:
            rows[-1].append(("".join(self.cell), self.attributes))
        self.cell = None


class _SheetNames(HTMLParser):
    """x:ExcelWorksheet entries in Excel's XML island: (name, visibility) in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sheets: list[tuple[str, str]] = []
        self.field = ""
        self.name: list[str] = []
        self.visible = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "x:excelworksheet":
            self.name, self.visible = [], "visible"
        self.field = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "x:excelworksheet" and len(self.sheets) < 1000:
            self.sheets.append(("".join(self.name).strip(), self.visible))
        self.field = ""

    def handle_data(self, data: str) -> None:
        if self.field == "x:name":
            self.name.append(data)
        elif self.field == "x:visible":
            text = data.strip().lower()
            self.visible = {"sheethidden": "hidden", "sheetveryhidden": "veryhidden"}.get(text, self.visible)
