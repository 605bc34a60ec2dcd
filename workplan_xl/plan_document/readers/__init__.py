"""Plan documents → blocks (blocks.py): paragraphs (or lines) and tables in reading order.

The kind of file is sniffed from its bytes, never from its suffix (schools rename files freely), and
one module per format reads it, each with the same signature ``read_*(path, encoding=None) -> blocks``:

    word.py    .docx (Word's list numbering rendered into the text)     pdf.py    text PDFs
    html.py    .html / .mht web pages                                    text.py   .txt / .md
    sheet.py   spreadsheet plans (.xlsx .xlsm .xls .ods .csv, 2003 XML, .fods): each sheet one table
    office.py  .doc .wps .odt .rtf .et through LibreOffice (headless, in a temporary folder), then word/sheet
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

from workplan_xl.errors import InputFileError, refuse_special_file
from workplan_xl.plan_document.readers.blocks import (
    BOMS,
    Block,
    ReaderWarning,
    check_zip,
    clean_line,
    decode_text,
    is_page_number,
)

__all__ = ["Block", "ReaderWarning", "check_zip", "clean_line", "decode_text", "is_page_number", "read_blocks",
           "sniff"]

SUPPORTED = "Word（.docx）、文字版 PDF、网页（.html）、文本（.txt）或任务分解表（.xlsx）文件"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"BM": "BMP", b"II*\x00": "TIFF",
           b"MM\x00*": "TIFF"}
_HTML_TAG = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table)[\s>/]", re.IGNORECASE)


def sniff(path: Path) -> str:
    """The kind of file from its bytes: "docx" | "pdf" | "html" | "text" | "json" | "xlsx" | "xls" |
    "sheetxml" | "doc" | "empty" | "encrypted" | "zip" | "document" (a presentation, printout or drawing) |
    "binary". Raises InputFileError when it cannot be read."""
    path = Path(path)
    head = _read_head(path, 8192)
    kind, _detail = _sniff_bytes(path, head)
    return kind


def read_blocks(path: Path, encoding: str | None = None) -> list[Block]:
    """Read a plan document (.docx, .pdf, .html, .txt, .md — sniffed from the bytes) into blocks.

    ``encoding`` overrides the detected encoding of text and HTML files. Raises InputFileError with
    one Chinese sentence for anything that is not a readable plan document.
    """
    path = Path(path)
    head = _read_head(path, 8192)
    kind, detail = _sniff_bytes(path, head)
    name = path.name
    if kind in ("docx", "pdf", "html", "text"):  # in a child with memory and time limits
        from workplan_xl.plan_document.readers.isolated import read_document

        csv = kind == "text" and path.suffix.lower() in (".csv", ".tsv")
        blocks = read_document("csv" if csv else kind, path, encoding)
    elif kind in ("xlsx", "xls") or detail == "ods":
        blocks = _read_spreadsheet(path, kind, detail)
    elif kind == "sheetxml":
        from workplan_xl.plan_document.readers.sheet import read_markup_sheet

        blocks = read_markup_sheet(path)
    elif kind == "doc" or detail == "odt":
        from workplan_xl.plan_document.readers.office import read_office

        blocks = read_office(path, encoding, kind=detail or _office_kind(path))
    else:
        raise InputFileError(_kind_message(kind, detail, name))
    if not any(b.text or b.kind == "table" for b in blocks):
        raise InputFileError(f"「{name}」里没有可读取的文字：请检查是否选错了文件。")
    return blocks


def _kind_message(kind: str, detail: str, name: str) -> str:
    if detail == "iwork":
        return _iwork_message(name)
    if kind == "empty":
        return f"「{name}」是空文件，没有任何文字：请检查是否选错了文件。"
    if kind == "encrypted":
        return f"「{name}」设有打开密码（已加密），无法读取：请在 Word/WPS 中去掉密码后再试。"
    if kind == "json":
        return f"「{name}」是 JSON 数据文件，不是计划文档：请给出工作要点的 {SUPPORTED}。"
    if kind == "zip":
        return f"「{name}」是压缩包，不是计划文档：请解压后给出其中的 {SUPPORTED}。"
    if kind == "document":
        return f"「{name}」是{detail}，不是计划文档：请给出 {SUPPORTED}。"
    if detail == "broken-zip":
        return f"「{name}」已损坏（文件不完整，无法解压），无法读取：请重新下载或在 Word/WPS 中另存后再试。"
    if detail.startswith("Excel"):
        return f"「{name}」是{detail}，无法直接读取：请用 Excel 或 WPS 打开，另存为 .xlsx 后再试。"
    if detail:
        return f"「{name}」是 {detail} 图片，不是计划文档：请给出 {SUPPORTED}。"
    return f"「{name}」不是可读取的文档（无法识别的二进制文件）：请给出 {SUPPORTED}。"


def _iwork_message(name: str) -> str:
    """An Apple iWork file, named after its extension (the packages look alike inside)."""
    from workplan_xl.returns.sniff import IWORK, KEYNOTE, NUMBERS, PAGES, iwork_kind

    what = iwork_kind(IWORK, name)
    if what == NUMBERS:
        return f"「{name}」是Apple Numbers 表格，无法直接读取：请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后再试。"
    if what == PAGES:
        return f"「{name}」是Apple Pages 文稿，无法直接读取：请在 Pages 中选择“文件 → 导出为 → Word”，存为 .docx 后再试。"
    if what == KEYNOTE:
        return f"「{name}」是Apple Keynote 演示文稿，不是计划文档：请给出 {SUPPORTED}。"
    return (f"「{name}」是Apple iWork 文件（Numbers、Pages 或 Keynote 的文件），无法直接读取：请在原来的应用中选择"
            "“文件 → 导出为”，文稿存为 Word（.docx）、表格存为 Excel（.xlsx）后再试。")


MAX_BYTES = 200 << 20  # a plan with scanned pages is some tens of MB; sniffing an .doc reads it whole, here


def _read_head(path: Path, size: int) -> bytes:
    try:
        refuse_special_file(path, "", "计划文档")
        with open(path, "rb") as fh:
            total = os.fstat(fh.fileno()).st_size
            if total > MAX_BYTES:
                raise InputFileError(f"「{path.name}」有 {total >> 20} MB，远超一份工作计划的大小（上限 {MAX_BYTES >> 20} MB）："
                                     "请确认选对了文件；PDF 请在导出时选“最小文件大小”后再试。")
            return fh.read(size)
    except InputFileError:
        raise  # an OSError too
    except FileNotFoundError:
        raise InputFileError(f"找不到文件「{path}」：请检查路径和文件名是否正确。") from None
    except IsADirectoryError:
        raise InputFileError(f"「{path}」是文件夹，不是文件：请给出计划文档本身的路径。") from None
    except PermissionError:
        raise InputFileError(f"没有权限读取「{path.name}」：请检查文件权限，或先在别处另存一份。") from None
    except OSError as exc:
        raise InputFileError(f"无法读取「{path.name}」（{exc.strerror or exc}）：请检查文件是否完好。") from None


def _sniff_bytes(path: Path, head: bytes) -> tuple[str, str]:
    """(kind, detail): detail refines the message (an image format, "odt", "ods", "broken-zip")."""
    if not head:
        return "empty", ""
    if head.startswith(_OLE2):
        return _sniff_ole2(path), ""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path)
    if b"%PDF-" in head[:1024]:
        return "pdf", ""
    if head.startswith(b"{\\rtf"):
        return "doc", "rtf"  # LibreOffice (and Word/WPS) open it
    for magic, what in _IMAGES.items():
        if head.startswith(magic):
            return "binary", what
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "binary", "WEBP"
    from workplan_xl.returns.sniff import OLD_EXCEL, is_old_excel

    if is_old_excel(head):
        return "binary", OLD_EXCEL
    bom = next((enc for bom, enc in BOMS if head.startswith(bom)), None)
    if bom is None and _looks_binary(head):
        return "binary", ""
    text_head = head.decode(bom or "utf-8", errors="replace")
    if bom is None and "\ufffd" in text_head:
        text_head = head.decode("gb18030", errors="replace")
    if _is_blank(path, head, bom):
        return "empty", ""
    from workplan_xl.returns.markup_sheets import MARKUP_KINDS
    from workplan_xl.returns.sniff import sniff as sniff_return

    if sniff_return(head).what in MARKUP_KINDS:  # a task table saved as 2003 XML, flat ODS or a spreadsheet web page
        return "sheetxml", ""
    if (text_head.lstrip("\ufeff \t\r\n").startswith("<") and _HTML_TAG.search(text_head)) or _is_mhtml(head):
        return "html", ""
    if text_head.lstrip("\ufeff \t\r\n").startswith(("{", "[")) and _is_json(path, bom):
        return "json", ""
    return "text", ""


def _is_mhtml(head: bytes) -> bool:
    from workplan_xl.plan_document.readers.html import is_mhtml

    return is_mhtml(head)


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.05


def _is_blank(path: Path, head: bytes, bom: str | None) -> bool:
    """Whitespace only (ASCII, full-width or no-break spaces)? Only small files can be."""
    if path.stat().st_size > 1 << 20:
        return False
    data = path.read_bytes() if len(head) >= 8192 else head
    text = data.decode(bom or "utf-8", errors="replace")
    if "\ufffd" in text:
        text = data.decode("gb18030", errors="replace")
    return not text.lstrip("\ufeff").strip().replace("\u3000", "").replace("\xa0", "").strip()


def _is_json(path: Path, bom: str | None) -> bool:
    if path.stat().st_size > 20 << 20:  # a Plan JSON of 5,000 tasks is ~5 MB; larger is read as text, in the child
        return False
    try:
        json.loads(path.read_bytes().decode(bom or "utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):  # nesting deeper than Python's stack: no plan
        return False
    return True


def _sniff_ole2(path: Path) -> str:
    """By the names at the root of the compound file (returns/sniff.py walks its directory): Workbook or
    Book in any case is an .xls; a Word document keeps an embedded Excel object's Workbook stream in a
    storage of its own (ObjectPool), so it stays a Word document; EncryptedPackage means a password."""
    from workplan_xl.returns.sniff import sniff as sniff_bytes

    sniffed = sniff_bytes(path.read_bytes())
    if sniffed.kind in ("encrypted", "xls"):
        return sniffed.kind
    return "doc"  # WordDocument, WPS, or any other legacy Office file: "save as .docx" fits them all


def _sniff_zip(path: Path) -> tuple[str, str]:
    from workplan_xl.returns.sniff import is_iwork_package, part_name

    try:
        with zipfile.ZipFile(path) as zf:
            names = {n.replace("\\", "/").lstrip("/").lower(): n for n in zf.namelist()}
            if "word/document.xml" in names or any(n.startswith("word/document") for n in names):
                return "docx", ""
            if "xl/workbook.xml" in names or any(n.startswith("xl/workbook") for n in names):
                return "xlsx", ""
            mimetype = names.get("mimetype")
            if mimetype is not None and zf.getinfo(mimetype).file_size < 200:
                if b"opendocument.text" in zf.read(mimetype):
                    return "zip", "odt"
                if b"opendocument.spreadsheet" in zf.read(mimetype):
                    return "zip", "ods"
            if is_iwork_package(part_name(n) for n in names):
                return "zip", "iwork"
    except (zipfile.BadZipFile, OSError, KeyError, NotImplementedError, RuntimeError, ValueError, EOFError):
        return "binary", "broken-zip"  # most often a .docx cut short by a download or a mail gateway
    # A package whose main part is not at the usual place: its relationships name it.
    from workplan_xl.returns.sniff import sniff as sniff_bytes

    sniffed = sniff_bytes(path.read_bytes())
    if sniffed.kind in ("xlsx", "xlsb"):
        return "xlsx", ""
    if sniffed.what == "Word 文档":
        return "docx", ""
    if sniffed.kind == "other" and sniffed.what != "压缩包":  # a presentation, a printout, a drawing …
        return "document", sniffed.what
    return "zip", ""


def _office_kind(path: Path) -> str:
    """What an OLE2 word-processing file is called in sentences: by its suffix, .doc unless it says .wps."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in ("wps", "doc") else "doc"


def _read_spreadsheet(path: Path, kind: str, detail: str) -> list[Block]:
    """calamine first (fast, no LibreOffice needed); a .et/.ods it cannot read goes through LibreOffice."""
    from workplan_xl.plan_document.readers.sheet import Refusal, read_sheet

    try:
        return read_sheet(path)
    except Refusal:
        raise  # a password or a hostile file: LibreOffice is not given it either
    except InputFileError:
        suffix = path.suffix.lower().lstrip(".")
        if detail == "ods" or suffix in ("et", "ett", "ods"):
            from workplan_xl.plan_document.readers.office import find_soffice, read_office

            if find_soffice() is not None:
                return read_office(path, kind="ods" if detail == "ods" else "et")
        raise
