"""What a file really is, from its bytes (never its suffix): schools rename web pages, pictures and
text to .xls, and send real workbooks under any name."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
SPREADSHEETS = ("xlsx", "xlsb", "xls", "ods")

# Names by which people save a return; a non-spreadsheet under one of these was meant as a return.
RETURN_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".et", ".ett", ".xlt", ".xltx", ".csv"}
SYSTEM_FILES = {".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db", "icon\r"}


@dataclass(frozen=True)
class Sniffed:
    kind: str  # xlsx / xlsb / xls / ods / encrypted / truncated / empty / other
    what: str = ""  # for "other": 网页 / 图片 / 文本 / PDF 文件 / Word 文档 / 压缩包 / 未知格式


def skip_reason(path: Path) -> str | None:
    """Why a file is not even looked at: Office lock files, hidden and system files."""
    name = path.name
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return "Excel/WPS/LibreOffice 打开文件时留下的临时锁定文件"
    if name.lower() in SYSTEM_FILES or name.startswith("._"):
        return "操作系统生成的系统文件"
    if name.startswith("."):
        return "隐藏文件"
    return None


def open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The zip directory over a file's bytes, or None when it is missing or broken (cut off in transit)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError):
        return None


def sniff(data: bytes, archive: zipfile.ZipFile | None = None) -> Sniffed:
    """Classify a file from its bytes (the whole file); ``archive``: its zip directory, if already open."""
    if not data:
        return Sniffed("empty")
    if data.startswith(ZIP_MAGIC):
        archive = archive or open_zip(data)
        return Sniffed("truncated") if archive is None else _sniff_zip(archive)
    if data.startswith(OLE2):
        return _sniff_ole2(data)
    return Sniffed("other", _other_kind(data[:8192]))


def _sniff_zip(archive: zipfile.ZipFile) -> Sniffed:
    try:
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            return Sniffed("xlsx")
        if "xl/workbook.bin" in names:
            return Sniffed("xlsb")
        if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
            if archive.read("mimetype").strip() == ODS_MIME:
                return Sniffed("ods")
        if "word/document.xml" in names:
            return Sniffed("other", "Word 文档")
        if any(n.startswith("ppt/") for n in names):
            return Sniffed("other", "演示文稿")
        return Sniffed("other", "压缩包")
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError, zlib.error):
        return Sniffed("truncated")


def _sniff_ole2(data: bytes) -> Sniffed:
    # Stream names sit in the OLE2 directory as UTF-16LE; Office's encryption wraps the real
    # workbook in an "EncryptedPackage" stream.
    if "EncryptedPackage".encode("utf-16-le") in data:
        return Sniffed("encrypted")
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return Sniffed("xls")
    if "WordDocument".encode("utf-16-le") in data:
        return Sniffed("other", "Word 文档")
    return Sniffed("other", "未知格式")


def _other_kind(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "PDF 文件"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or head[8:12] == b"WEBP":
        return "图片"
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "压缩包"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body",
                        b"mime-version", b"<?xml", b"<style", b"<div")) or b"<html" in head[:2048].lower():
        return "网页"
    sample = head[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "文本"
    if b"\x00" in sample:
        return "未知格式"
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return "文本"
        except UnicodeDecodeError as error:
            if error.start > len(sample) - 4:  # a character cut at the end of the sample
                return "文本"
    return "未知格式"
