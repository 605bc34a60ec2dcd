"""Plan documents → blocks: paragraphs (or lines) and tables in reading order.

The kind of file is sniffed from its bytes, never from its suffix (schools rename files freely).
Every reader returns the same shape, so the outline parser never cares where text came from:

- ``Block("p", text)``: one paragraph (.docx, .html) or one line (.txt, .md, .pdf), stripped of
  surrounding whitespace and control characters. Word's automatic list numbering is part of the text.
- ``Block("p", "")``: a paragraph boundary the reader saw — a blank line in .txt/.md, an empty paragraph
  in .docx, and in a PDF the gap before a line that starts a new paragraph (first-line indent or a
  wider gap than the line pitch). A PDF line that continues the previous one has no blank before it,
  also across a page break, so a paragraph split by a page break can be joined again.
- ``Block("table", rows=[[cell, …], …])``: one table, every row padded to the same number of cells.
- ``page``: the 1-based page for PDFs, else None. Running page numbers ("— 3 —", "第3页") are removed.

Things worth telling the user but not stopping for (a lossy decode, a page without text) are issued as
``ReaderWarning`` through :mod:`warnings`; the parser can record them with ``warnings.catch_warnings``.
"""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workplan_xl.cjk import clean_text
from workplan_xl.errors import InputFileError

__all__ = ["Block", "ReaderWarning", "read_blocks", "sniff", "decode_text", "is_page_number"]


@dataclass
class Block:
    kind: str  # "p" (paragraph / line) or "table"
    text: str = ""  # for "p": the text as the reader shows it (list numbering included)
    rows: list[list[str]] = field(default_factory=list)  # for "table": cell texts, row by row
    page: int | None = None  # 1-based page for PDFs, else None


class ReaderWarning(UserWarning):
    """Something the user should hear about that did not stop the reading (message in Chinese)."""


SUPPORTED = "Word（.docx）、文字版 PDF、网页（.html）或文本（.txt）文件"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"BM": "BMP", b"II*\x00": "TIFF",
           b"MM\x00*": "TIFF"}
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_HTML_TAG = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table)[\s>/]", re.IGNORECASE)


def sniff(path: Path) -> str:
    """The kind of file from its bytes: "docx" | "pdf" | "html" | "text" | "json" | "xlsx" | "xls" |
    "doc" | "empty" | "encrypted" | "zip" | "binary". Raises InputFileError when it cannot be read."""
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
    if kind == "docx":
        from workplan_xl.plan_document.read_docx import read_docx

        blocks = read_docx(path)
    elif kind == "pdf":
        from workplan_xl.plan_document.read_pdf import read_pdf

        blocks = read_pdf(path)
    elif kind == "html":
        from workplan_xl.plan_document.read_html import read_html

        blocks = read_html(path, encoding)
    elif kind == "text":
        from workplan_xl.plan_document.read_text import read_text

        blocks = read_text(path, encoding)
    else:
        raise InputFileError(_kind_message(kind, detail, name))
    if not any(b.text or b.kind == "table" for b in blocks):
        raise InputFileError(f"「{name}」里没有可读取的文字：请检查是否选错了文件。")
    return blocks


def _kind_message(kind: str, detail: str, name: str) -> str:
    if kind == "empty":
        return f"「{name}」是空文件，没有任何文字：请检查是否选错了文件。"
    if kind == "doc":
        return f"「{name}」是旧版 Word 文档（.doc），无法直接读取：请在 Word/WPS 中另存为 .docx 后再试。"
    if kind == "encrypted":
        return f"「{name}」设有打开密码（已加密），无法读取：请在 Word/WPS 中去掉密码后再试。"
    if kind in ("xlsx", "xls") or detail == "ods":
        return f"「{name}」是电子表格（Excel 工作簿），不是计划文档：请给出工作要点的 {SUPPORTED}。"
    if kind == "json":
        return f"「{name}」是 JSON 数据文件，不是计划文档：请给出工作要点的 {SUPPORTED}。"
    if kind == "zip" and detail == "odt":
        return f"「{name}」是 OpenDocument 文档（.odt），无法直接读取：请在 WPS/LibreOffice 中另存为 .docx 后再试。"
    if kind == "zip":
        return f"「{name}」是压缩包，不是计划文档：请解压后给出其中的 {SUPPORTED}。"
    if detail == "broken-zip":
        return f"「{name}」已损坏（文件不完整，无法解压），无法读取：请重新下载或在 Word/WPS 中另存后再试。"
    if detail:
        return f"「{name}」是 {detail} 图片，不是计划文档：请给出 {SUPPORTED}。"
    return f"「{name}」不是可读取的文档（无法识别的二进制文件）：请给出 {SUPPORTED}。"


def _read_head(path: Path, size: int) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
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
        return "doc", ""  # RTF: Word/WPS open it and can save it as .docx
    for magic, what in _IMAGES.items():
        if head.startswith(magic):
            return "binary", what
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "binary", "WEBP"
    bom = next((enc for bom, enc in _BOMS if head.startswith(bom)), None)
    if bom is None and _looks_binary(head):
        return "binary", ""
    text_head = head.decode(bom or "utf-8", errors="replace")
    if bom is None and "\ufffd" in text_head:
        text_head = head.decode("gb18030", errors="replace")
    if _is_blank(path, head, bom):
        return "empty", ""
    if (text_head.lstrip("\ufeff \t\r\n").startswith("<") and _HTML_TAG.search(text_head)) or _is_mhtml(head):
        return "html", ""
    if text_head.lstrip("\ufeff \t\r\n").startswith(("{", "[")) and _is_json(path, bom):
        return "json", ""
    return "text", ""


def _is_mhtml(head: bytes) -> bool:
    from workplan_xl.plan_document.read_html import is_mhtml

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
    if path.stat().st_size > 50 << 20:
        return False
    try:
        json.loads(path.read_bytes().decode(bom or "utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def _sniff_ole2(path: Path) -> str:
    # The storage names sit in the directory sectors as UTF-16LE; a plain byte search finds them.
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted"  # an Office 2007+ file with a password: OLE2 wrapper around the real zip
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") + b"\x00\x00" in data:
        return "xls"
    return "doc"  # WordDocument, WPS, or any other legacy Office file: "save as .docx" fits them all


def _sniff_zip(path: Path) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names or any(n.startswith("word/document") for n in names):
                return "docx", ""
            if "xl/workbook.xml" in names or any(n.startswith("xl/workbook") for n in names):
                return "xlsx", ""
            if "mimetype" in names and zf.getinfo("mimetype").file_size < 200:
                if b"opendocument.text" in zf.read("mimetype"):
                    return "zip", "odt"
                if b"opendocument.spreadsheet" in zf.read("mimetype"):
                    return "zip", "ods"
    except (zipfile.BadZipFile, OSError, KeyError, NotImplementedError, RuntimeError):
        return "binary", "broken-zip"  # most often a .docx cut short by a download or a mail gateway
    return "zip", ""


# ---------------------------------------------------------------- text (.txt, .md) and decoding

_LINE_BREAK = re.compile(r"\r\n|[\r\n\f\v\x85\u2028\u2029]")
_EDGE_SPACE = " \t\u3000\xa0\u2002\u2003\u200b\ufeff"
_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－―‒~～]+\s*\d{1,4}\s*[—–\-－―‒~～]+"  # — 3 —, - 3 -
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"  # 第3页, 第 3 页 共 9 页
    r"|共\s*\d{1,4}\s*页\s*[,，/／]?\s*第\s*\d{1,4}\s*页"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)


def is_page_number(line: str) -> bool:
    """A running page number line such as "— 3 —", "- 3 -", "第3页" or "第 3 页 共 9 页"."""
    return bool(_PAGE_NUMBER.match(line.strip(_EDGE_SPACE)))


def clean_line(text: str) -> str:
    """Strip edge whitespace (ASCII, full-width, no-break) and control characters from a line."""
    return clean_text(text).strip(_EDGE_SPACE)


def decode_text(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used). BOMs first, then strict UTF-8, then strict GB18030 (a superset of GBK and
    GB2312); if neither fits, the one with fewer bad bytes, with a ReaderWarning. ``encoding`` wins."""
    if encoding:
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            raise InputFileError(f"不认识的编码「{encoding}」：请改用 utf-8、gb18030 或 utf-16 等编码名。") from None
        if "\ufffd" in text:
            _warn_lossy(name, encoding)
        return text.lstrip("\ufeff"), encoding
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            if "\ufffd" in text:
                _warn_lossy(name, enc)
            return text.lstrip("\ufeff"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", errors="replace")
    bad_utf8 = as_utf8.count("\ufffd")
    # A UTF-8 file with a stray bad byte or two (a cut at the end) is still UTF-8, even where
    # GB18030 happens to accept the bytes: GBK text read as UTF-8 fails on nearly every character.
    if bad_utf8 <= 2 and len(data) - len(as_utf8) > 100:
        _warn_lossy(name, "utf-8")
        return as_utf8, "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    as_gb = data.decode("gb18030", errors="replace")
    text, enc = (as_utf8, "utf-8") if bad_utf8 <= as_gb.count("\ufffd") else (as_gb, "gb18030")
    _warn_lossy(name, enc)
    return text, enc


def _warn_lossy(name: str, enc: str) -> None:
    warnings.warn(ReaderWarning(
        f"「{name}」中有无法按 {enc} 识别的字节，已用 � 代替：如有乱码，请用 --encoding 指定正确的编码（如 gb18030）。"
    ), stacklevel=3)


def check_zip(path: Path, zf: zipfile.ZipFile, limit: int = 200 << 20, ratio: int = 200) -> None:
    """Refuse zip bombs before unzipping: total size, entry count and per-entry compression ratio."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    bomb = any(i.file_size > (1 << 20) and i.file_size > ratio * max(i.compress_size, 1) for i in infos)
    if total > limit or len(infos) > 10000 or bomb:
        raise InputFileError(
            f"「{path.name}」解压后过大或压缩比异常（可能是恶意文件），为安全起见不予读取：请确认文件来源，或在 Word/WPS 中另存后再试。"
        )
