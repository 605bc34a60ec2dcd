"""Odd and hostile files of our own making, with the traits real ones have: OLE2 compound files with
capitalised stream names or an Excel object inside a Word document, BIFF records declaring huge sheets
or a password, packages whose workbook part is not where it usually is, flat spreadsheet formats, …"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path
from typing import Any

SECTOR = 512
_END, _FREE, _FAT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def ole_file(streams: dict[str, bytes], storages: dict[str, dict[str, bytes]] | None = None) -> bytes:
    """A compound file (MS-CFB, version 3) with ``streams`` at the root and ``storages`` (name → its
    streams) beside them. Streams are padded to 4,096 bytes so none lives in the mini stream."""
    storages = storages or {}
    # Directory: root, then root-level entries chained through their right siblings.
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "child": _FREE, "right": _FREE, "data": b""}]
    root_level: list[int] = []
    for name, data in streams.items():
        root_level.append(len(entries))
        entries.append({"name": name, "type": 2, "child": _FREE, "right": _FREE, "data": data.ljust(4096, b"\0")})
    for name, inner in storages.items():
        root_level.append(len(entries))
        storage = {"name": name, "type": 1, "child": _FREE, "right": _FREE, "data": b""}
        entries.append(storage)
        first = len(entries)
        for n, (inner_name, data) in enumerate(inner.items()):
            entries.append({"name": inner_name, "type": 2, "child": _FREE, "data": data.ljust(4096, b"\0"),
                            "right": first + n + 1 if n + 1 < len(inner) else _FREE})
        storage["child"] = first if inner else _FREE
    for a, b in zip(root_level, root_level[1:], strict=False):
        entries[a]["right"] = b
    entries[0]["child"] = root_level[0] if root_level else _FREE
    while len(entries) % 4:
        entries.append({"name": "", "type": 0, "child": _FREE, "right": _FREE, "data": b""})
    # Sectors: [FAT][directory …][stream data …]
    dir_sectors = len(entries) // 4
    body: list[bytes] = []
    fat: list[int] = [_FAT]
    fat += [1 + i + 1 if i + 1 < dir_sectors else _END for i in range(dir_sectors)]
    for entry in entries:
        data = entry["data"]
        if not data:
            entry["start"], entry["size"] = _END if entry["type"] != 5 else _END, 0
            continue
        count = -(-len(data) // SECTOR)
        entry["start"], entry["size"] = len(fat), len(data)
        fat += [len(fat) + i + 1 if i + 1 < count else _END for i in range(count)]
        body.append(data.ljust(count * SECTOR, b"\0"))
    assert len(fat) <= SECTOR // 4, "a test file fits one FAT sector"
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [_FREE] * (SECTOR // 4 - len(fat))))
    directory = b"".join(_entry(e) for e in entries)
    header = bytearray(SECTOR)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, _END, 0, _END, 0)
    struct.pack_into("<I", header, 0x4C, 0)
    header[0x50:SECTOR] = b"\xff" * (SECTOR - 0x50)
    return bytes(header) + fat_sector + directory + b"".join(body)


def _entry(entry: dict) -> bytes:
    name = entry["name"].encode("utf-16-le")
    raw = bytearray(128)
    raw[:len(name)] = name
    struct.pack_into("<HBB", raw, 64, len(name) + 2 if entry["name"] else 0, entry["type"], 1)
    struct.pack_into("<III", raw, 68, _FREE, entry["right"], entry["child"])
    struct.pack_into("<II", raw, 116, entry.get("start", _END), entry.get("size", 0))
    return bytes(raw)


def biff_record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def biff_workbook(rows: int = 10, cols: int = 5, password: bool = False) -> bytes:
    """A BIFF8 workbook stream's records: BOF, [FILEPASS], …, a sheet's BOF and DIMENSIONS, EOF."""
    bof = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    records = [bof]
    if password:
        records.append(biff_record(0x002F, b"\x01\x00" + b"\x00" * 52))
    records += [biff_record(0x000A), biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6)),
                biff_record(0x0200, struct.pack("<IIHHH", 0, rows, 0, cols, 0)), biff_record(0x000A)]
    return b"".join(records)


def biff2_worksheet() -> bytes:
    """An Excel 2.x worksheet: a bare record stream (no compound file), BOF, one LABEL cell, EOF."""
    return (biff_record(0x0009, struct.pack("<HH", 0x0002, 0x0010))
            + biff_record(0x0004, struct.pack("<HH3B", 0, 0, 0, 0, 0) + b"\x04name") + biff_record(0x000A))


def biff5_workbook(cells: list[tuple[str, float]]) -> bytes:
    """An Excel 5.0/95 workbook stream (BIFF5): its text in the code page it declares (GBK), one sheet
    of (text, number) rows. Goes in a compound file under "Book", as Excel 95 wrote it."""
    name = "任务".encode("gbk")
    globals_ = [biff_record(0x0809, struct.pack("<HHHH", 0x0500, 0x0005, 0x096C, 0x07C9)),
                biff_record(0x0042, struct.pack("<H", 936))]
    sheet_at = sum(map(len, globals_)) + 4 + 7 + len(name) + 4  # after BOUNDSHEET and EOF
    globals_ += [biff_record(0x0085, struct.pack("<IBBB", sheet_at, 0, 0, len(name)) + name), biff_record(0x000A)]
    sheet = [biff_record(0x0809, struct.pack("<HHHH", 0x0500, 0x0010, 0x096C, 0x07C9)),
             biff_record(0x0200, struct.pack("<HHHHH", 0, len(cells), 0, 2, 0))]
    for row, (text, number) in enumerate(cells):
        encoded = text.encode("gbk")
        sheet += [biff_record(0x0204, struct.pack("<HHHH", row, 0, 15, len(encoded)) + encoded),
                  biff_record(0x0203, struct.pack("<HHHd", row, 1, 15, number))]
    return b"".join(globals_ + sheet + [biff_record(0x000A)])


def xps_file() -> bytes:
    """A one-page XPS printout (an OPC package, like .xlsx, but a FixedDocumentSequence and no workbook)."""
    return zip_file({
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="fdseq" ContentType="application/vnd.ms-package.xps-fixeddocumentsequence+xml"/>'
                               "</Types>",
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="R0" '
                       'Type="http://schemas.microsoft.com/xps/2005/06/fixedrepresentation" Target="/FixedDocSeq.fdseq"/>'
                       "</Relationships>",
        "FixedDocSeq.fdseq": '<FixedDocumentSequence xmlns="http://schemas.microsoft.com/xps/2005/06">'
                             '<DocumentReference Source="/Documents/1/FixedDoc.fdoc"/></FixedDocumentSequence>',
        "Documents/1/FixedDoc.fdoc": '<FixedDocument xmlns="http://schemas.microsoft.com/xps/2005/06">'
                                     '<PageContent Source="Pages/1.fpage"/></FixedDocument>',
        "Documents/1/Pages/1.fpage": '<FixedPage xmlns="http://schemas.microsoft.com/xps/2005/06" Width="816" Height="1056"/>'})


def zip_file(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 6, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def relocated_xlsx(source: bytes, folder: str = "data", backslashes: bool = False) -> bytes:
    """The same workbook with its workbook part moved out of xl/ (to ``folder``/workbook.xml), as some
    exporters write it: the package's relationships and content types say where it went."""
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    moved: dict[str, bytes | str] = {}
    for name, data in members.items():
        new = name.replace("xl/", f"{folder}/", 1) if name.startswith("xl/") else name
        if name.endswith((".rels", ".xml")):  # part names in relationships and content types
            data = data.replace(b"/xl/workbook.xml", f"/{folder}/workbook.xml".encode()).replace(
                b"xl/workbook.xml", f"{folder}/workbook.xml".encode()).replace(b"/xl/", f"/{folder}/".encode())
        if backslashes:
            new = new.replace("/", "\\")
        moved[new] = data
    return zip_file(moved)


# -- the corpus: every odd or hostile kind, with the name it arrives under ---------------------------
def xlsx_bytes(rows: list[list[str]], sheet: str = "Sheet1") -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = workbook.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    workbook.close()
    return buffer.getvalue()


def with_part(source: bytes, name: str, text: str) -> bytes:
    """An .xlsx with one part replaced (or added)."""
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        parts: dict[str, bytes | str] = {i.filename: archive.read(i) for i in archive.infolist()}
    parts[name] = text.encode("utf-8")
    return zip_file(parts)


def text_pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` (ASCII) on it in Helvetica: a text layer, however short."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return _pdf(objects)


def image_pdf() -> bytes:
    """A one-page PDF holding only a small image: no text layer (a scan)."""
    pixels = b"\x00\x80\xff" * 4
    image = b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 " \
            b"/Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream"
    stream = b"q 200 0 0 200 72 500 cm /Im1 Do Q"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream", image]
    return _pdf(objects)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (numbered from 1, the first the catalog) with its xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
BIG_XLS = ole_file({"Workbook": biff_workbook(65536, 256)})  # ~5 KB declaring 16.7 million cells
LOCKED_XLS = ole_file({"Workbook": biff_workbook(password=True)})
LOCKED_ODS = zip_file({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                       "META-INF/manifest.xml": '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                       'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">'
                       '<manifest:encryption-data/></manifest:file-entry></manifest:manifest>',
                       "content.xml": b"\x8f\x13 encrypted bytes"})
LOCKED_XLSX = ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 64})
WORD_WITH_SHEET = ole_file({"WordDocument": b"\xec\xa5" + b"\x00" * 100}, {"ObjectPool": {"Workbook": biff_workbook()}})
RTF = b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 SimSun;}} \\f0 \\'b9\\'a4\\'d7\\'f7}"
XML_2003 = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-'
            'microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet '
            'ss:Name="任务进展"><Table><Row><Cell><Data ss:Type="String">完成状态</Data></Cell></Row></Table>'
            '</Worksheet></Workbook>').encode()
FODS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:'
        b'xmlns:office:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        b'<office:body><office:spreadsheet/></office:body></office:document>')
HTML_XLS = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
            '<head><meta charset="utf-8"></head><body><table><tr><td>完成状态</td></tr></table></body></html>'
            ).encode("utf-16")
ODS_BOMB = zip_file({  # 3 KB declaring 10,000 rows × 1,000 filled cells through repetition
    "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
    "content.xml": '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
                   'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
                   '<table:table table:name="任务进展"><table:table-row table:number-rows-repeated="10000">'
                   '<table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>已完成'
                   '</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1038576">'
                   '<table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>'
                   '</office:spreadsheet></office:body></office:document-content>'})
NUMBERS = zip_file({"Index/Document.iwa": b"\x00\x01", "Metadata/Properties.plist": b"<plist/>"})


def loose_word_with_sheet() -> bytes:
    """WORD_WITH_SHEET whose allocation table cannot be walked (a bad FAT sector number in the header):
    only a byte search for the stream names is left, which must not take the embedded Workbook for an .xls."""
    data = bytearray(WORD_WITH_SHEET)
    struct.pack_into("<I", data, 0x4C, 0x7777)
    return bytes(data)


ROSTER_ROWS = [["代码", "名称"], ["1001", "第一中学"], ["1002", "城关小学"]]


def corpus() -> dict[str, tuple[str, bytes]]:
    """kind → (file name, bytes): every odd or hostile kind we make, each under the name it would
    arrive with. Built on call (a few KB each)."""
    plain = xlsx_bytes(ROSTER_ROWS)
    return {
        "大写流名 xls": ("大写.xls", ole_file({"WORKBOOK": biff_workbook()})),
        "BOOK 流 xls": ("旧版.xls", ole_file({"BOOK": biff_workbook()})),
        "工作簿部件换了位置": ("换位.xlsx", relocated_xlsx(plain, "data", backslashes=True)),
        "CR 换行 CSV": ("Mac 名单.csv", "代码,名称\r1001,第一中学\r1002,城关小学\r".encode()),
        "UTF-16 CSV": ("Unicode 名单.csv", "代码\t名称\r\n1001\t第一中学\r\n1002\t城关小学\r\n".encode("utf-16")),
        "加密 xls": ("加密.xls", LOCKED_XLS),
        "加密 xlsx": ("加密.xlsx", LOCKED_XLSX),
        "加密 ods": ("加密.ods", LOCKED_ODS),
        "实体炸弹": ("实体.xlsx", with_part(plain, "xl/worksheets/sheet1.xml",
                                        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b '
                                        '"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet>&b;</worksheet>')),
        "声明范围极大 xlsx": ("大范围.xlsx", with_part(plain, "xl/worksheets/sheet1.xml",
                                            f'<worksheet {_MAIN}><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>')),
        "声明范围极大 xls": ("大表.xls", BIG_XLS),
        "声明范围极大 ods": ("大表.ods", ODS_BOMB),
        "样式 TypeError": ("样式.xlsx", with_part(plain, "xl/styles.xml",
                                               f'<styleSheet {_MAIN}><cellXfs count="1"><xf numFmtId="0" fontId="0" '
                                               'bogus="1"/></cellXfs></styleSheet>')),
        "XML 不完整": ("坏表.xlsx", with_part(plain, "xl/worksheets/sheet1.xml",
                                          f'<worksheet {_MAIN}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x'
                                          '</t></is></row></sheetData>')),
        "截断的 zip": ("截断.xlsx", plain[:len(plain) // 2]),
        "零字节": ("空.xlsx", b""),
        "PNG 改名": ("图片.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40),
        "嵌入表格的 Word": ("附件.doc", WORD_WITH_SHEET),
        "嵌入表格的 Word 改名 xls": ("附件 表.xls", ole_file({"WordDocument": b"\xec\xa5\xc1" + b"\x00" * 99},
                                                      {"ObjectPool": {"Workbook": biff_workbook()}})),
        "嵌入表格的 Word 目录损坏": ("附件 2.xls", loose_word_with_sheet()),
        "RTF": ("说明.rtf", RTF.replace(b"}", b" \\par}", 1)),
        "RTF 改名 doc": ("说明.doc", RTF),
        "很短的文字 PDF": ("通知.pdf", text_pdf("Plan 2025")),
        "没有文字的 PDF": ("扫描.pdf", image_pdf()),
        "Excel 2003 XML": ("2003.xml", XML_2003),
        "单文件 ODS": ("单文件.fods", FODS),
        "网页 xls": ("网页.xls", HTML_XLS),
        "Numbers": ("苹果.numbers", NUMBERS),
        "Excel 2.x 工作表": ("老版本.xls", biff2_worksheet()),
        "Excel 95 工作簿": ("九五版.xls", ole_file({"Book": biff5_workbook([("代码", 1), ("第一中学", 1001)])})),
        "XPS 打印件": ("回表 打印.xps", xps_file()),
        "Visio 绘图": ("流程图.vsd", ole_file({"VisioDocument": b"Visio (TM) Drawing\r\n"})),
    }


PANICKING_CALAMINE = (
    "class PanicException(BaseException):\n    pass\n\n"
    "class PasswordError(Exception):\n    pass\n\n"
    "class CalamineWorkbook:\n"
    "    @classmethod\n    def from_filelike(cls, *args, **kwargs):\n"
    "        raise PanicException('called `Option::unwrap()` on a `None` value')\n"
    "    from_path = from_filelike\n")


def install_panicking_calamine(folder: Path, monkeypatch: Any) -> None:
    """A python_calamine whose reader raises what a Rust panic raises in Python: a BaseException
    subclass (pyo3_runtime.PanicException). It comes first on sys.path, which the child processes
    inherit, so the real child-process path is what is tested."""
    package = folder / "fake reader" / "python_calamine"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(PANICKING_CALAMINE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(package.parent))
    monkeypatch.delitem(sys.modules, "python_calamine", raising=False)
