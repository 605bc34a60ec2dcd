"""What a file really is, from its bytes (never its suffix): schools rename web pages, pictures and
text to .xls, and send real workbooks under any name."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Container, Iterable
from dataclasses import dataclass
from pathlib import Path

from workplan_xl.returns.ole import Ole, OleError
from workplan_xl.returns.zipdir import Archive, decode_name, read_directory

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # also in ole.py; kept here for the importers of this module
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
SPREADSHEETS = ("xlsx", "xlsb", "xls", "ods")

# Names by which people save a return; a non-spreadsheet under one of these was meant as a return.
RETURN_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".et", ".ett", ".xlt", ".xltx", ".csv", ".fods",
                   ".numbers"}
SYSTEM_FILES = {".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db", "icon\r"}


NUMBERS = "Apple Numbers 表格"
PAGES = "Apple Pages 文稿"
KEYNOTE = "Apple Keynote 演示文稿"
IWORK = "Apple iWork 文件"  # Numbers, Pages and Keynote packages look alike inside: the name tells them apart
_IWORK_SUFFIXES = {".numbers": NUMBERS, ".pages": PAGES, ".key": KEYNOTE}
_IWORK09_INDEX = ("index.xml", "index.xml.gz", "index.apxl", "index.apxl.gz")  # iWork '09: the document's XML
# Nothing else is in an iWork '09 file: a zip holding anything more is an archive someone made
_IWORK09_FOLDERS = ("quicklook/", "data/", "thumbs/", "contents/", "metadata/")  # previews, pictures, PDFs
_IWORK09_FILES = ("buildversionhistory.plist", "preview.jpg", "preview-micro.jpg", "preview-web.jpg")
# Spreadsheets saved as markup: (markers in the first bytes, what it is). These are returns all the
# same (never skipped as attachments); returns/markup_sheets.py reads them.
CONVERTIBLE: tuple[tuple[tuple[bytes, ...], str], ...] = (
    ((b"urn:schemas-microsoft-com:office:spreadsheet", b'progid="excel.sheet"'), "Excel 2003 XML 表格"),
    ((b'office:mimetype="application/vnd.oasis.opendocument.spreadsheet',), "单文件 ODS 表格（.fods）"),
    ((b"urn:schemas-microsoft-com:office:excel", b"excel.sheet", b"x:excelworkbook", b"x-document-type: workbook",
      b'<a name="table0"><h1>'), "网页格式的 Excel 表格"),  # the last: LibreOffice Calc's export
)


@dataclass(frozen=True)
class Sniffed:
    kind: str  # xlsx / xlsb / xls / ods / encrypted / truncated / empty / other
    what: str = ""  # for "other": 网页 / 图片 / 文本 / PDF 文件 / Word 文档 / 压缩包 / 未知格式 or a CONVERTIBLE kind


def skip_reason(path: Path) -> str | None:
    """Why a file is not even looked at: Office lock files, hidden and system files."""
    name = path.name
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return "Excel/WPS/LibreOffice 打开文件时留下的临时锁定文件"
    if name.lower() in SYSTEM_FILES or name.startswith("._"):
        return "操作系统生成的系统文件"
    if name.startswith("."):
        return "隐藏文件"
    folder = path.parent
    if folder.suffix.lower() == ".files" and any(
            (folder.parent / (folder.stem + suffix)).is_file() for suffix in (".htm", ".html", ".xls", ".mht")):
        return f"Excel“网页”「{folder.stem}」的附属文件（各工作表、样式），随主页面一起处理"
    return None


def open_zip(data: bytes) -> Archive | None:
    """The zip directory over a file's bytes, or None when it is missing or broken (cut off in transit);
    a plain package's directory is read by hand (zipdir.py), any other by zipfile."""
    try:
        return read_directory(data) or zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError):
        return None


def sniff(data: bytes, archive: Archive | None = None) -> Sniffed:
    """Classify a file from its bytes (the whole file); ``archive``: its zip directory, if already open."""
    if not data:
        return Sniffed("empty")
    if data.startswith(ZIP_MAGIC):
        archive = archive or open_zip(data)
        return Sniffed("truncated") if archive is None else _sniff_zip(archive, data)
    if data.startswith(OLE2):
        return _sniff_ole2(data)
    return Sniffed("other", _other_kind(data[:8192]))


_MAIN_TYPES = (  # the officeDocument part's content type → what the package is
    ("spreadsheetml.sheet.main", "xlsx"), ("ms-excel.sheet.macroenabled.main", "xlsx"),
    ("spreadsheetml.template.main", "xlsx"), ("ms-excel.template.macroenabled.main", "xlsx"),
    ("ms-excel.sheet.binary.macroenabled.main", "xlsb"),
    ("wordprocessingml", "Word 文档"), ("ms-word", "Word 文档"), ("presentationml", "演示文稿"),
    ("ms-powerpoint", "演示文稿"))
_OFFICE_DOCUMENT = re.compile(rb'<Relationship\b[^>]*?\bType="[^"]*/officeDocument"[^>]*>', re.I)
_TARGET = re.compile(rb'\bTarget="([^"]+)"', re.I)


def part_name(name: str) -> str:
    """A zip member's name as a package part: forward slashes, no leading slash, lower case (some
    exporters write backslashes; part names compare case-insensitively)."""
    return name.replace("\\", "/").lstrip("/").lower()


def read_member(archive: Archive, data: bytes, name: str) -> bytes:
    """archive.read(name) for the archive opened over ``data``: a plain member (stored or deflated,
    not encrypted, its local header naming it alike, its bytes whole and before the next member's,
    its CRC right) is inflated straight from ``data`` (zipfile's open() costs more than the
    inflating); any other goes through zipfile, which raises what it raises."""
    info = archive.getinfo(name)
    offset, size = info.header_offset, info.compress_size
    header = data[offset:offset + 30]
    if len(header) == 30 and header[:4] == b"PK\x03\x04" and not info.flag_bits & 0x61 and (
            info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)):
        flags, = struct.unpack_from("<H", header, 6)
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        start = offset + 30 + name_length + extra_length
        end = start + size
        local = data[offset + 30:offset + 30 + name_length]
        try:
            same_name = decode_name(local, flags) == info.orig_filename
        except UnicodeDecodeError:
            same_name = False
        # Python 3.12+ refuses a member running into the next one's header ("Overlapped entries").
        if same_name and end <= archive.start_dir and not any(
                offset <= other.header_offset < end for other in archive.filelist if other is not info):
            if info.compress_type == zipfile.ZIP_STORED:
                content = data[start:end] if size == info.file_size else None
            else:
                inflater = zlib.decompressobj(-15)
                try:
                    content = inflater.decompress(data[start:end])
                except zlib.error:
                    content = None
                if not inflater.eof or content is None or len(content) != info.file_size:
                    content = None
            if content is not None and zlib.crc32(content) == info.CRC:
                return content
    return archive.read(name)


def _main_part(archive: Archive, data: bytes, names: dict[str, str]) -> str:
    """The package's main part, as _rels/.rels names it ("" when it names none)."""
    rels = names.get("_rels/.rels")
    if rels is None or archive.getinfo(rels).file_size > 1 << 20:
        return ""
    match = _OFFICE_DOCUMENT.search(read_member(archive, data, rels))
    target = _TARGET.search(match.group(0)) if match else None
    if target is None:
        return ""
    return part_name(target.group(1).decode("utf-8", "replace").split("#")[0])


def _content_type(archive: Archive, data: bytes, names: dict[str, str], part: str) -> str:
    types = names.get("[content_types].xml")
    if types is None or archive.getinfo(types).file_size > 1 << 20:
        return ""
    content = read_member(archive, data, types)
    known = _CONTENT_TYPES.get((content, part))
    if known is None:
        known = _find_content_type(content, part)
        if len(content) <= 1 << 16 and len(_CONTENT_TYPES) < 256:  # bounded: a worker reads thousands
            _CONTENT_TYPES[(content, part)] = known
    return known


# (the [Content_Types].xml bytes, part) → the part's content type: the same few bytes in every return
_CONTENT_TYPES: dict[tuple[bytes, str], str] = {}


def _find_content_type(content: bytes, part: str) -> str:
    text = content.decode("utf-8", "replace").lower()
    found = re.search(r'partname="/?' + re.escape(part) + r'"[^>]*contenttype="([^"]+)"', text) or re.search(
        r'contenttype="([^"]+)"[^>]*partname="/?' + re.escape(part) + '"', text)
    if found:
        return found.group(1)
    extension = part.rsplit(".", 1)[-1]
    found = re.search(r'extension="' + re.escape(extension) + r'"[^>]*contenttype="([^"]+)"', text)
    return found.group(1) if found else ""


def _sniff_zip(archive: Archive, data: bytes) -> Sniffed:
    try:
        names = {part_name(n): n for n in archive.namelist()}
        main = _main_part(archive, data, names)
        if main and main in names:
            content_type = _content_type(archive, data, names, main)
            for marker, kind in _MAIN_TYPES:
                if marker in content_type:
                    return Sniffed(kind) if kind in SPREADSHEETS else Sniffed("other", kind)
            if main.endswith("workbook.xml"):
                return Sniffed("xlsx")
            if main.endswith("workbook.bin"):
                return Sniffed("xlsb")
        if "xl/workbook.xml" in names:
            return Sniffed("xlsx")
        if "xl/workbook.bin" in names:
            return Sniffed("xlsb")
        mimetype = names.get("mimetype")
        if mimetype is not None and archive.getinfo(mimetype).file_size < 200:
            kind = archive.read(mimetype).strip()
            if kind in (ODS_MIME, ODS_MIME + b"-template"):
                manifest = names.get("meta-inf/manifest.xml")
                if manifest is not None and archive.getinfo(manifest).file_size < 1 << 20 and (
                        b"encryption-data" in archive.read(manifest)):
                    return Sniffed("encrypted")
                return Sniffed("ods")
            if kind.startswith(b"application/vnd.oasis.opendocument.text"):
                return Sniffed("other", "Word 文档")
        if "word/document.xml" in names:
            return Sniffed("other", "Word 文档")
        if any(n.startswith("ppt/") for n in names):
            return Sniffed("other", "演示文稿")
        if is_iwork_package(names):
            return Sniffed("other", IWORK)
        if any(n.endswith((".fdseq", ".fpage")) for n in names):  # a printout (Microsoft XPS / OpenXPS)
            return Sniffed("other", "XPS 文档")
        if any(n.startswith("visio/") for n in names):
            return Sniffed("other", "Visio 绘图")
        if not names or any(n.startswith(_PACKAGE_PARTS) or n in ("content.xml", "meta-inf/manifest.xml") for n in names):
            return Sniffed("truncated")  # a workbook's parts without its workbook: damaged, not an archive
        return Sniffed("other", "压缩包")
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError, zlib.error):
        return Sniffed("truncated")


_PACKAGE_PARTS = ("xl/", "[content_types].xml", "_rels/", "docprops/")


def is_iwork_package(names: Iterable[str]) -> bool:
    """Apple iWork (Numbers, Pages, Keynote), from a zip's member names (part_name form): the current
    document as Index/*.iwa parts, a package zipped whole (its Index.zip inside), or an iWork '09 file
    (index.xml or index.xml.gz at its root, beside QuickLook/ and nothing an iWork file does not hold:
    a zip with more in it is an archive someone made, and what it holds is read)."""
    names = list(names)
    if any(n.endswith(".iwa") or n == "index.zip" for n in names):
        return True
    return any(n in _IWORK09_INDEX for n in names) and all(
        n in _IWORK09_INDEX or n in _IWORK09_FILES or n.startswith(_IWORK09_FOLDERS) for n in names)


def iwork_kind(what: str, name: str) -> str:
    """An iWork file (``what`` IWORK, as sniff() says from the bytes) named after the extension of the
    file's ``name`` (Apple Numbers 表格 for .numbers …); any other ``what`` unchanged."""
    return _IWORK_SUFFIXES.get(Path(name).suffix.lower(), IWORK) if what == IWORK else what


def is_numbers_folder(path: Path) -> bool:
    """A Numbers document kept as a folder package (x.numbers/ with Index.zip or Index/, and Metadata/)."""
    if not path.is_dir():
        return False
    if path.suffix.lower() == ".numbers":
        return True
    return ((path / "Index.zip").is_file() or (path / "Index").is_dir()) and (path / "Metadata").is_dir()


def _sniff_ole2(data: bytes) -> Sniffed:
    """By the names at the root of the storage, case-insensitively (WORKBOOK, BOOK); a Word document
    holding an Excel object keeps that object's Workbook stream in a storage of its own, not at the root.
    Office's encryption wraps the real file in an "EncryptedPackage" stream."""
    try:
        names: Container[str] = Ole(data).root_names()
    except (OleError, struct.error, IndexError, ValueError):
        # Tables this parser cannot walk (cut off, or written loosely): the names anywhere in the
        # file, as the more lenient reader may still open it.
        lowered = data.lower()
        names = [n for n in ("encryptedpackage", "encryptioninfo", "workbook", "book\x00", "worddocument")
                 if n.encode("utf-16-le") in lowered]
        names = [n.rstrip("\x00") for n in names]
        if "worddocument" in names:  # a byte search cannot tell a root stream from an embedded object's
            names = [n for n in names if n not in ("workbook", "book")]
        if not names:
            return Sniffed("truncated")
    if "encryptedpackage" in names or "encryptioninfo" in names:
        return Sniffed("encrypted")
    for stream in ("workbook", "book"):
        if stream in names:
            return Sniffed("xls")
    if "worddocument" in names:
        return Sniffed("other", "Word 文档")
    if "powerpoint document" in names:
        return Sniffed("other", "演示文稿")
    if "visiodocument" in names:
        return Sniffed("other", "Visio 绘图")
    if "quill" in names:
        return Sniffed("other", "Publisher 文档")
    return Sniffed("other", "未知格式")


OLD_EXCEL = "Excel 4.0 或更早版本的工作簿"
# The BOF record that opens an Excel 2.x, 3.0 and 4.0 file (a bare record stream, not in a compound
# file as from Excel 5 on), and a bare BIFF5/8 stream some exporters write: (record type, lengths).
_OLD_BOF = {0x0009: (4,), 0x0209: (6,), 0x0409: (6,), 0x0809: (8, 16)}
_OLD_SHEET_TYPES = (0x0005, 0x0010, 0x0020, 0x0040, 0x0100)  # workbook, worksheet, chart, macro sheet, workspace


def is_old_excel(head: bytes) -> bool:
    """An Excel 2.x–4.0 file (or a bare BIFF stream) from its first bytes: no reader here takes it."""
    if len(head) < 8:
        return False
    kind, length, _, sheet_type = struct.unpack_from("<4H", head)
    return length in _OLD_BOF.get(kind, ()) and sheet_type in _OLD_SHEET_TYPES


def _other_kind(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "PDF 文件"
    if is_old_excel(head):
        return OLD_EXCEL
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or head[8:12] == b"WEBP":
        return "图片"
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "压缩包"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00").lower()
    if text.startswith(b"{\\rtf"):
        return "RTF 文档"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text: look at it as text
        text = head.decode("utf-16", "replace").encode("utf-8", "replace").lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for markers, what in CONVERTIBLE:
        if any(m in text for m in markers):
            return what
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


def is_spreadsheet_kind(what: str) -> bool:
    """A spreadsheet in a form this reader does not take (2003 XML, .fods, an HTML export, Numbers, an
    iWork file that may be a Numbers one, an Excel 2.x-5.0 workbook)."""
    return what in (NUMBERS, IWORK, OLD_EXCEL) or any(what == w for _, w in CONVERTIBLE)
