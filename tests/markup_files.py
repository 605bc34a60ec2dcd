"""Returns re-written by hand in the markup kinds a school may send (Excel 2003 XML, flat ODS, an Excel
web page), from a filled .xlsx form, with the odd traits real writers have: ss:Index jumps, repeated
rows and cells, merged titles, rich text, several paragraphs in a cell, a hidden _meta sheet."""

from __future__ import annotations

import datetime as dt
from html import escape as html_escape
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from openpyxl import load_workbook


def _sheets(xlsx: Path) -> list[tuple[str, str, list[list[object]]]]:
    workbook = load_workbook(xlsx)
    out = []
    for sheet in workbook.worksheets:
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        out.append((sheet.title, sheet.sheet_state, rows))
    return out


def spreadsheetml(xlsx: Path) -> bytes:
    """Excel 2003 XML: blank cells and rows skipped with ss:Index, the title merged across, text in the
    first data column as rich text (html:Font runs), numbers, a date and a boolean typed, _meta hidden."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
             '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:'
             'office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:'
             'office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">']
    for name, state, rows in _sheets(xlsx):
        parts.append(f"<Worksheet ss:Name={quoteattr(name)}><Table>")
        previous = 0
        for r, row in enumerate(rows, start=1):
            cells = [(c, v) for c, v in enumerate(row, start=1) if v not in (None, "")]
            if not cells:
                continue
            parts.append(f'<Row ss:Index="{r}">' if r != previous + 1 else "<Row>")
            previous = r
            at = 0
            for c, value in cells:
                index = f' ss:Index="{c}"' if c != at + 1 else ""
                merge = ' ss:MergeAcross="3"' if r == 1 and len(cells) == 1 else ""
                at = c + (3 if merge else 0)
                parts.append(f"<Cell{index}{merge}>{_data_2003(value, rich=name != '_meta' and c == 2)}</Cell>")
            parts.append("</Row>")
        parts.append("</Table>")
        if state != "visible":
            visible = "SheetVeryHidden" if state == "veryHidden" else "SheetHidden"
            parts.append(f'<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>{visible}'
                         "</Visible></WorksheetOptions>")
        parts.append("</Worksheet>")
    parts.append("</Workbook>")
    return "".join(parts).encode("utf-8")


def _data_2003(value: object, rich: bool) -> str:
    if isinstance(value, bool):
        return f'<Data ss:Type="Boolean">{int(value)}</Data>'
    if isinstance(value, int | float):
        return f'<Data ss:Type="Number">{value}</Data>'
    if isinstance(value, dt.datetime):
        return f'<Data ss:Type="DateTime">{value.isoformat()}.000</Data>'
    text = str(value)
    if rich and len(text) > 1:  # the same text in two font runs
        half = len(text) // 2
        return (f'<ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>{escape(text[:half])}</B>'
                f'<Font html:Color="#FF0000">{escape(text[half:])}</Font></ss:Data>')
    return f'<Data ss:Type="String">{escape(text).replace(chr(10), "&#10;")}</Data>'


def fods(xlsx: Path) -> bytes:
    """Flat ODS: blank cells as number-columns-repeated runs, blank rows as number-rows-repeated, the
    title spanned across, a cell's lines as separate text:p, double spaces as text:s, _meta hidden
    through its table style, and LibreOffice's million repeated empty rows at the end."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:'
             'opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:'
             'opendocument:xmlns:table:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.'
             'opendocument.spreadsheet"><office:automatic-styles><style:style style:name="ta1" style:family="table">'
             '<style:table-properties table:display="true"/></style:style><style:style style:name="ta2" '
             'style:family="table"><style:table-properties table:display="false"/></style:style>'
             '</office:automatic-styles><office:body><office:spreadsheet>']
    for name, state, rows in _sheets(xlsx):
        style = "ta1" if state == "visible" else "ta2"
        parts.append(f"<table:table table:name={quoteattr(name)} table:style-name=\"{style}\">"
                     '<table:table-column table:number-columns-repeated="1024"/>')
        blank = 0
        for r, row in enumerate(rows, start=1):
            if not any(v not in (None, "") for v in row):
                blank += 1
                continue
            if blank:
                parts.append(f'<table:table-row table:number-rows-repeated="{blank}"><table:table-cell '
                             'table:number-columns-repeated="1024"/></table:table-row>')
                blank = 0
            parts.append("<table:table-row>")
            gap = 0
            for c, value in enumerate(row, start=1):
                if value in (None, ""):
                    gap += 1
                    continue
                if gap:
                    parts.append(f'<table:table-cell table:number-columns-repeated="{gap}"/>')
                    gap = 0
                span = ' table:number-columns-spanned="4"' if r == 1 and c == 1 and name != "_meta" else ""
                parts.append(_cell_ods(value, span))
            parts.append(f'<table:table-cell table:number-columns-repeated="{1024 - len(row)}"/></table:table-row>')
        parts.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                     'table:number-columns-repeated="1024"/></table:table-row></table:table>')
    parts.append("</office:spreadsheet></office:body></office:document>")
    return "".join(parts).encode("utf-8")


def _cell_ods(value: object, span: str) -> str:
    if isinstance(value, bool):
        return f'<table:table-cell{span} office:value-type="boolean" office:boolean-value="{str(value).lower()}"/>'
    if isinstance(value, int | float):
        return f'<table:table-cell{span} office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    if isinstance(value, dt.datetime):
        return (f'<table:table-cell{span} office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value:%Y-%m-%d}</text:p></table:table-cell>")
    lines = str(value).split("\n")
    paragraphs = "".join("<text:p>" + escape(line).replace("  ", ' <text:s text:c="1"/>') + "</text:p>" for line in lines)
    return f'<table:table-cell{span} office:value-type="string">{paragraphs}</table:table-cell>'


def web_page(xlsx: Path, encoding: str = "utf-8") -> bytes:
    """An Excel "网页" export of the whole workbook in one file: the sheet names in the x:ExcelWorkbook
    block of a conditional comment (_meta marked hidden), one table per sheet, numbers marked x:num,
    colspan on the title, rowspan where a cell is blank under a filled one in the first column."""
    sheets = _sheets(xlsx)
    names = "".join(f"<x:ExcelWorksheet><x:Name>{html_escape(name)}</x:Name><x:WorksheetOptions>"
                    + ("<x:Visible>SheetHidden</x:Visible>" if state != "visible" else "")
                    + "</x:WorksheetOptions></x:ExcelWorksheet>" for name, state, _ in sheets)
    parts = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:'
             f'excel" xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv=Content-Type content="text/html; '
             f'charset={encoding}"><meta name=ProgId content=Excel.Sheet><!--[if gte mso 9]><xml><x:ExcelWorkbook>'
             f"<x:ExcelWorksheets>{names}</x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]--></head><body>"]
    for name, _, rows in sheets:
        parts.append("<table border=0 cellpadding=0 cellspacing=0>")
        width = max((len(r) for r in rows), default=0)
        for r, row in enumerate(rows, start=1):
            parts.append("<tr height=18>")
            for c, value in enumerate(row + [None] * (width - len(row)), start=1):
                title = r == 1 and name != "_meta"
                if title and 1 < c <= 4:
                    continue  # under the title's colspan
                span = " colspan=4" if title and c == 1 else ""
                parts.append(_cell_html(value, span))
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts).encode("gb18030" if encoding == "gb2312" else encoding)  # as Excel does: GBK under a gb2312 label


def _cell_html(value: object, span: str) -> str:
    if value in (None, ""):
        return f"<td{span}></td>"
    if isinstance(value, bool):
        return f"<td{span} x:bool=\"{str(value).upper()}\">{str(value).upper()}</td>"
    if isinstance(value, int | float):
        return f"<td{span} align=right x:num>{value}</td>"
    if isinstance(value, dt.datetime):
        return f"<td{span} x:num=\"45432\">{value:%Y-%m-%d}</td>"
    text = html_escape(str(value)).replace("\n", "<br>\n")
    return f"<td{span} class=xl65 style='white-space:normal'>{text}</td>"


def web_archive(xlsx: Path) -> bytes:
    """Excel's "单个文件网页" (.mht): a frame page naming the sheets, then one part per sheet, quoted-printable
    in GB2312 as Excel on Chinese Windows writes it."""
    import quopri

    sheets = _sheets(xlsx)
    boundary = "----=_NextPart_01DB0000.12345678"
    names = "".join(f"<x:ExcelWorksheet><x:Name>{html_escape(name)}</x:Name><x:WorksheetSource HRef=\"book.files/"
                    f"sheet{n:03d}.htm\"/>" + ("<x:WorksheetOptions><x:Visible>SheetHidden</x:Visible>"
                                              "</x:WorksheetOptions>" if state != "visible" else "")
                    + "</x:ExcelWorksheet>" for n, (name, state, _) in enumerate(sheets, start=1))
    pages = [('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta name="Excel Workbook Frameset">'
              f"<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets>{names}</x:ExcelWorksheets>"
              '</x:ExcelWorkbook></xml><![endif]--></head><frameset rows="*,39"><frame src="book.files/sheet001.htm">'
              "</frameset></html>", "book.htm")]
    for n, (_, _, rows) in enumerate(sheets, start=1):
        body = "".join("<tr>" + "".join(_cell_html(v, "") for v in row) + "</tr>" for row in rows)
        pages.append(('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table x:str>'
                      f"{body}</table></body></html>", f"book.files/sheet{n:03d}.htm"))
    out = [f'MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related; boundary="{boundary}"'
           "\r\n\r\n此文档为“单个文件网页”，也称为“Web 档案”文件。\r\n".encode("gb18030")]
    for page, location in pages:
        out.append(f"\r\n--{boundary}\r\nContent-Location: file:///C:/学校/{location}\r\nContent-Transfer-Encoding: "
                   'quoted-printable\r\nContent-Type: text/html; charset="gb2312"\r\n\r\n'.encode("gb18030"))
        out.append(quopri.encodestring(page.encode("gb18030")))
    out.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(out)


def frame_export(xlsx: Path, folder: Path, stem: str) -> list[Path]:
    """Excel's "网页" of a whole workbook: a frame page stem.htm naming the sheets, and the sheets as files
    of the stem.files folder (with filelist.xml, a style sheet and the tab strip)."""
    sheets = _sheets(xlsx)
    names = "".join(f"<x:ExcelWorksheet><x:Name>{html_escape(name)}</x:Name><x:WorksheetSource HRef=\"{stem}.files/"
                    f"sheet{n:03d}.htm\"/></x:ExcelWorksheet>" for n, (name, _, _) in enumerate(sheets, start=1))
    written = [folder / f"{stem}.htm"]
    written[0].write_text('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta name=ProgId content='
                          f"Excel.Sheet><!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets>{names}"
                          f'</x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]--></head><frameset rows="*,39">'
                          f'<frame src="{stem}.files/sheet001.htm"><frame src="{stem}.files/tabstrip.htm"></frameset>'
                          "</html>", encoding="utf-8")
    files = folder / f"{stem}.files"
    files.mkdir()
    for n, (_, _, rows) in enumerate(sheets, start=1):
        body = "".join("<tr>" + "".join(_cell_html(v, "") for v in row) + "</tr>" for row in rows)
        written.append(files / f"sheet{n:03d}.htm")
        written[-1].write_text(f'<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table>{body}</table>'
                               "</body></html>", encoding="utf-8")
    for name, text in (("filelist.xml", f'<xml xmlns:o="urn:schemas-microsoft-com:office:office"><o:MainFile HRef='
                                        f'"../{stem}.htm"/></xml>'), ("stylesheet.css", "td {mso-number-format:General;}"),
                       ("tabstrip.htm", '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><a href='
                                        '"sheet001.htm">填报说明</a></body></html>')):
        written.append(files / name)
        written[-1].write_text(text, encoding="utf-8")
    return written
