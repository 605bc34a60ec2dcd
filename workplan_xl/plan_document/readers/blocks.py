"""The shape every plan reader returns, and the text helpers they share.

- ``Block("p", text)``: one paragraph (.docx, .html) or one line (.txt, .md, .pdf), stripped of
  surrounding whitespace and control characters. Word's automatic list numbering is part of the text.
- ``Block("p", "")``: a paragraph boundary the reader saw — a blank line in .txt/.md, an empty paragraph
  in .docx, and in a PDF the gap before a line that starts a new paragraph (first-line indent or a
  wider gap than the line pitch). A PDF line that continues the previous one has no blank before it,
  also across a page break, so a paragraph split by a page break can be joined again.
- ``Block("table", rows=[[cell, …], …])``: one table, every row padded to the same number of cells;
  a merged cell's text is in every cell it covers.
- ``page``: the 1-based page for PDFs, else None. Running page numbers ("— 3 —", "第3页") are removed.

Things worth telling the user but not stopping for (a lossy decode, a page without text) are issued as
``ReaderWarning`` through :mod:`warnings`; the parser can record them with ``warnings.catch_warnings``.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workplan_xl.cjk import clean_text
from workplan_xl.errors import InputFileError

__all__ = ["Block", "ReaderWarning", "check_zip", "clean_line", "decode_text", "is_page_number"]


@dataclass
class Block:
    kind: str  # "p" (paragraph / line) or "table"
    text: str = ""  # for "p": the text as the reader shows it (list numbering included)
    rows: list[list[str]] = field(default_factory=list)  # for "table": cell texts, row by row
    page: int | None = None  # 1-based page for PDFs, else None


class ReaderWarning(UserWarning):
    """Something the user should hear about that did not stop the reading (message in Chinese)."""


BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


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
    for bom, enc in BOMS:
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
