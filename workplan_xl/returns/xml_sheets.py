"""Excel 2003 XML (SpreadsheetML: what Excel's and WPS's "XML 表格 2003" write) and flat ODS (.fods:
LibreOffice's one-file OpenDocument spreadsheet), read as a stream of elements with defusedxml.

SpreadsheetML: Worksheet/Table/Row/Cell, ss:Index jumps (rows and cells), ss:MergeAcross/MergeDown,
Data typed Number/String/DateTime/Boolean (rich text: the html:Font/B/I children's text), sheet
visibility in x:WorksheetOptions/x:Visible. Flat ODS: table:table/table-row/table-cell with
number-rows-repeated and number-columns-repeated (a repeat is counted against the cell cap before any
cell is made), office:value-type, text:p (several: one per line), text:s/tab/line-break, spans, and a
sheet's visibility from its table style (table:display="false")."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from workplan_xl.returns.markup_sheets import MAX_TEXT, Caps, Grid, iso_date, number
from workplan_xl.returns.precheck import Refused, check_ods_extent, check_prolog

SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
X = "{urn:schemas-microsoft-com:office:excel}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_DECLARATION = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding=[\"']([A-Za-z0-9_.:-]+)[\"'][^>]*\?>")
_VISIBILITY = {"sheethidden": "hidden", "sheetveryhidden": "veryhidden"}


def _elements(data: bytes, events: tuple[str, ...]) -> Iterator[tuple[str, ET.Element]]:
    """(event, element) over the file, after the prolog check an .xlsx part gets: no DOCTYPE/ENTITY."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "replace").encode("utf-8")
    check_prolog(head, "文件开头")
    try:
        yield from SafeET.iterparse(io.BytesIO(_as_utf8(data)), events=events)
    except defusedxml.DefusedXmlException:
        raise Refused("entities", "文件开头") from None
    except ET.ParseError as error:
        # expat: 3 no element found, 5 unclosed token, 6 partial character: the file stops mid-way
        raise Refused("truncated" if error.code in (3, 5, 6) else "damaged", str(error)) from None


def _as_utf8(data: bytes) -> bytes:
    """expat reads UTF-8/UTF-16 and single-byte encodings only; a GB2312/GBK declaration (WPS) is
    decoded here and the bytes handed on as UTF-8."""
    match = _DECLARATION.match(data[:200])
    if match is None:
        return data
    declared = match.group(2).decode("ascii").lower()
    if declared.replace("-", "").replace("_", "") in ("utf8", "utf16", "usascii", "ascii", "iso88591", "latin1"):
        return data
    if declared in ("gb2312", "gbk", "cp936", "euc-cn", "x-gbk"):
        declared = "gb18030"
    try:
        text = data[match.end():].decode(declared, "replace")
    except LookupError:
        raise Refused("damaged", f"encoding {declared}") from None
    return b'<?xml version="1.0" encoding="UTF-8"?>' + text.encode("utf-8")


# -- SpreadsheetML (Excel 2003 XML) -----------------------------------------------------------------
def read_spreadsheetml(data: bytes, caps: Caps) -> list[dict[str, Any]]:
    sheets: list[dict[str, Any]] = []
    grid: Grid | None = None
    row = -1
    for event, element in _elements(data, ("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == SS + "Worksheet":
                grid = Grid(element.get(SS + "Name") or f"Sheet{len(sheets) + 1}", caps)
                row = -1
            continue
        if grid is None:
            continue
        if tag == SS + "Row":
            row = _index(element, row)
            _row_2003(grid, element, row)
            span = _int(element.get(SS + "Span"), 0)
            row += min(span, 1 << 20)
            element.clear()
        elif tag == X + "Visible":
            grid.visible = _VISIBILITY.get((element.text or "").strip().lower(), "visible")
        elif tag == SS + "Worksheet":
            if len(sheets) < caps.sheets:
                sheets.append(grid.sheet())
            grid = None
            element.clear()
    return sheets


def _int(text: str | None, default: int) -> int:
    try:
        return max(int(text), 0) if text is not None else default
    except ValueError:
        return default


def _index(element: ET.Element, previous: int) -> int:
    """ss:Index (1-based) when given, else the one after ``previous`` (0-based)."""
    given = _int(element.get(SS + "Index"), 0)
    return given - 1 if given > previous + 1 else previous + 1


def _row_2003(grid: Grid, row_element: ET.Element, row: int) -> None:
    column = -1
    for cell in row_element:
        if cell.tag != SS + "Cell":
            continue
        column = _index(cell, column)
        across, down = _int(cell.get(SS + "MergeAcross"), 0), _int(cell.get(SS + "MergeDown"), 0)
        data = cell.find(SS + "Data")
        if data is not None:
            grid.put(row, column, _value_2003(data))
        if across or down:
            grid.merge(row, column, min(down, 1 << 20) + 1, min(across, 1 << 14) + 1)
        column += min(across, 1 << 14)


def _value_2003(data: ET.Element) -> Any:
    kind = (data.get(SS + "Type") or "String").lower()
    text = "".join(data.itertext())[:MAX_TEXT]  # rich text: the font runs' text, in order
    if kind == "number":
        value = number(text.strip())
        return text if value is None else value
    if kind == "boolean":
        return text.strip() in ("1", "true", "TRUE", "True")
    if kind == "datetime":
        return iso_date(text)
    return text


# -- flat ODS --------------------------------------------------------------------------------------
def read_fods(data: bytes, caps: Caps) -> list[dict[str, Any]]:
    check_ods_extent(data)  # the same count of declared repeats as for an .ods's content.xml
    hidden_styles: set[str] = set()
    sheets: list[dict[str, Any]] = []
    grid: Grid | None = None
    depth = 0  # table:table nesting (a table inside a cell's frame is not a sheet)
    row = 0
    for event, element in _elements(data, ("start", "end")):
        tag = element.tag
        if tag == TABLE + "table":
            if event == "start":
                depth += 1
                if depth == 1:
                    style = element.get(TABLE + "style-name", "")
                    grid = Grid(element.get(TABLE + "name") or f"Sheet{len(sheets) + 1}", caps,
                                "hidden" if style in hidden_styles else "visible")
                    row = 0
            else:
                depth -= 1
                if depth == 0 and grid is not None:
                    if len(sheets) < caps.sheets:
                        sheets.append(grid.sheet())
                    grid = None
                    element.clear()
            continue
        if event != "end":
            continue
        if tag == STYLE + "style" and element.get(STYLE + "family") == "table":
            properties = element.find(STYLE + "table-properties")
            if properties is not None and properties.get(TABLE + "display") == "false":
                hidden_styles.add(element.get(STYLE + "name", ""))
        elif tag == TABLE + "table-row" and grid is not None and depth == 1:
            repeat = max(_int(element.get(TABLE + "number-rows-repeated"), 1), 1)
            _row_ods(grid, element, row, repeat)
            row += repeat
            element.clear()
    return sheets


def _row_ods(grid: Grid, row_element: ET.Element, row: int, repeat: int) -> None:
    column = 0
    for cell in row_element:
        if cell.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
            continue
        count = max(_int(cell.get(TABLE + "number-columns-repeated"), 1), 1)
        if cell.tag == TABLE + "table-cell":
            value = _value_ods(cell)
            grid.put(row, column, value, rows=repeat, columns=count)
            rows, columns = _int(cell.get(TABLE + "number-rows-spanned"), 1), _int(
                cell.get(TABLE + "number-columns-spanned"), 1)
            grid.merge(row, column, min(rows, 1 << 20), min(columns, 1 << 14))
        column += count


def _value_ods(cell: ET.Element) -> Any:
    kind = cell.get(OFFICE + "value-type")
    if kind in ("float", "percentage", "currency"):
        value = number((cell.get(OFFICE + "value") or "").strip())
        if value is not None:
            return value
    elif kind == "boolean":
        return (cell.get(OFFICE + "boolean-value") or "").strip().lower() == "true"
    elif kind == "date" and cell.get(OFFICE + "date-value"):
        return iso_date(cell.get(OFFICE + "date-value") or "")
    lines = [_paragraph(p) for p in cell if p.tag in (TEXT + "p", TEXT + "h")]
    return "\n".join(lines)[:MAX_TEXT]


def _paragraph(element: ET.Element) -> str:
    """A text:p's text: spans and links read through, text:s as its count of spaces, tabs and line
    breaks as characters; annotations (comments) left out. Walked with a stack, not recursion: the
    nesting is the file's to choose."""
    parts: list[str] = []
    size = 0
    stack: list[tuple[ET.Element, bool]] = [(element, False)]  # (element, its tail is due now)
    while stack and size <= MAX_TEXT:
        node, tail = stack.pop()
        if tail:
            piece = node.tail or ""
        elif node is element:
            piece = node.text or ""
        elif node.tag == TEXT + "s":
            piece = " " * min(_int(node.get(TEXT + "c"), 1) or 1, MAX_TEXT)
        elif node.tag == TEXT + "tab":
            piece = "\t"
        elif node.tag == TEXT + "line-break":
            piece = "\n"
        elif node.tag == OFFICE + "annotation":
            piece = ""
        else:
            piece = node.text or ""
        parts.append(piece)
        size += len(piece)
        if tail:
            continue
        if node is not element:
            stack.append((node, True))
        if node is element or node.tag not in (TEXT + "s", TEXT + "tab", TEXT + "line-break", OFFICE + "annotation"):
            stack.extend((child, False) for child in reversed(node))
    return "".join(parts)
