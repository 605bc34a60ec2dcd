"""Checks made before any reader touches a return: size, the zip directory (bombs, too many parts),
XML prologs (no DOCTYPE/ENTITY: entity expansion) and the sheet extents each worksheet claims.

python-calamine allocates a worksheet's whole claimed extent up front and aborts the process when it
cannot (a 4 KB sheet claiming a cell at XFD1048576 asks for 512 GB), so absurd extents are refused
here; a sheet that lies about its extent is left to the worker's memory limit."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from workplan_xl.returns.zipdir import Archive, Member


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024
    max_entries: int = 2000
    max_unzipped_bytes: int = 100 * 1024 * 1024
    max_ratio: float = 100.0  # compression ratio, checked on members bigger than ratio_floor
    ratio_floor: int = 1024 * 1024
    max_cells: int = 5_000_000  # rows × columns a worksheet may claim
    prolog_bytes: int = 4096


LIMITS = Limits()
# What a reader may raise: anything, including pyo3's PanicException (a Rust panic inside
# python-calamine), which derives from BaseException and has no importable class. Only code that
# ignores Ctrl-C (the workers) or re-raises interrupts catches this.
NATIVE_ERRORS = (BaseException,)


class Refused(Exception):
    """A return that is not read; ``code`` names the reason, ``detail`` the figures."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
_ROOT = re.compile(rb"<(?![?!])")
_PROLOG_NOISE = re.compile(rb"<\?.*?\?>|<!--.*?-->", re.S)  # processing instructions and comments


def check_size(size: int, limits: Limits = LIMITS) -> None:
    if size > limits.max_file_bytes:
        raise Refused("too_big", f"{size / 1048576:.1f} MB")


def check_zip(source: Path | bytes, limits: Limits = LIMITS) -> None:
    """Refuse zip bombs, oversized or encrypted members, DOCTYPEs and absurd sheet extents."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise Refused("truncated", str(error)) from None
    except (EOFError, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError) as error:
        raise Refused("damaged", f"{type(error).__name__}: {error}") from None
    check_archive(archive, data, limits)


def check_archive(archive: Archive, data: bytes, limits: Limits = LIMITS) -> None:
    """check_zip on an archive already opened over ``data`` (the whole file, read once)."""
    try:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise Refused("structure", f"{len(infos)} 个部件")
        total = sum(i.file_size for i in infos)
        if total > limits.max_unzipped_bytes:
            raise Refused("bomb", f"解压后 {total / 1048576:.0f} MB")
        for info in infos:
            if info.flag_bits & 0x1:
                raise Refused("encrypted")
            if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
                    info.compress_size, 1):
                raise Refused("bomb", f"{info.filename} 压缩比 {info.file_size // max(info.compress_size, 1)}:1")
        view = memoryview(data)
        passed = _PASSED.setdefault(limits, {})
        for info in infos:
            # Every member, whatever its name: the relationships can point a reader at any part.
            raw = _raw(view, info)
            # A member byte for byte like one that passed before (the styles, theme, rels and content
            # types every return of a folder shares) passes again: its checks see only these bytes.
            key = None
            if info.compress_type in _MEMO_TYPES and len(raw) <= _MEMO_BYTES:
                key = (info.filename, info.compress_type, bytes(raw))
                if key in passed:
                    continue
            prolog = _prolog(archive, raw, info, limits.prolog_bytes)
            if info.filename.lower().endswith((".xml", ".rels")) or _looks_like_xml(prolog):
                prolog = _as_utf8(prolog)
                check_prolog(prolog, info.filename, limits)
                check_dimension(prolog, info.filename, limits)
            if key is not None:
                if len(passed) >= _MEMO_SIZE:  # full of members seen once (each return's sheets): start again
                    passed.clear()
                passed[key] = None
        content = next((i for i in infos if i.filename == "content.xml"), None)
        if content is not None:  # OpenDocument: its repeated rows and cells are the extent it declares
            check_ods_extent(archive.read(content), limits)
    except zipfile.BadZipFile as error:
        raise Refused("truncated", str(error)) from None
    except (EOFError, zlib.error, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError,
            OSError, struct.error) as error:
        raise Refused("damaged", f"{type(error).__name__}: {error}") from None


_ODS_ROW = re.compile(rb"<(?:[\w.-]+:)?table-row\b([^>]*?)(/?)>(.*?)</(?:[\w.-]+:)?table-row>|"
                      rb"<(?:[\w.-]+:)?table-row\b([^>]*?)/>", re.S)
_ODS_CELL = re.compile(rb"<(?:[\w.-]+:)?(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb"number-rows-repeated=[\"'](\d+)")
_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated=[\"'](\d+)")
_VALUE_TYPE = re.compile(rb"value-type=")


def check_ods_extent(content: bytes, limits: Limits = LIMITS) -> None:
    """The cells an OpenDocument sheet declares through number-rows-repeated and
    number-columns-repeated, up to its last cell with content (a reader allocates rows × columns of
    that; LibreOffice writes a million repeated empty rows at the end of every sheet, which cost
    nothing), before any reader sees the file: a few KB can declare a billion cells."""
    for table in re.split(rb"</(?:[\w.-]+:)?table>", content):
        row_at, last_row, widest = 0, 0, 0
        for match in _ODS_ROW.finditer(table):
            attributes = match.group(1) if match.group(1) is not None else match.group(4)
            repeated = _ROWS_REPEATED.search(attributes)
            rows = int(repeated.group(1)) if repeated else 1
            body = match.group(3) or b""
            column, last = 0, 0
            cells = list(_ODS_CELL.finditer(body))
            for n, cell in enumerate(cells):
                repeat = _COLUMNS_REPEATED.search(cell.group(1))
                count = int(repeat.group(1)) if repeat else 1
                column += count
                end = cells[n + 1].start() if n + 1 < len(cells) else len(body)
                filled = _VALUE_TYPE.search(cell.group(1)) or (not cell.group(2) and b"<" in body[cell.end():end])
                if filled:
                    last = column
            row_at += rows
            if last:
                last_row, widest = row_at, max(widest, last)
            if last_row * widest > limits.max_cells:
                raise Refused("extent", f"{last_row} 行 × {widest} 列")


# Members that passed check_archive, per Limits: (name, compression, compressed bytes) → None. Bounded,
# and only small members are kept (a worker reads thousands of returns).
_PASSED: dict[Limits, dict[tuple[str, int, bytes], None]] = {}
_MEMO_TYPES = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # _prolog of these depends on the bytes only
_MEMO_BYTES = 64 * 1024
_MEMO_SIZE = 512


def _raw(data: memoryview, info: zipfile.ZipInfo | Member) -> memoryview:
    """A member's compressed bytes, found through its local header straight in the file's bytes."""
    offset = info.header_offset
    if data[offset:offset + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{info.filename}: 部件头损坏")
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    return data[start:start + info.compress_size]


def _prolog(archive: Archive, raw: memoryview, info: zipfile.ZipInfo | Member, size: int) -> bytes:
    """The first ``size`` bytes of a member from its compressed bytes (zipfile's open() costs more
    than the inflating, and a return has a dozen members)."""
    if info.compress_type == zipfile.ZIP_STORED:
        return bytes(raw[:size])
    if info.compress_type == zipfile.ZIP_DEFLATED:
        # max_length bounds the output; empty blocks padding the start are still walked through.
        return zlib.decompressobj(-15).decompress(raw, size)
    with archive.open(info) as member:
        return member.read(size)


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _looks_like_xml(prolog: bytes) -> bool:
    return prolog.startswith(_BOMS) or prolog.lstrip()[:1] == b"<"


def _as_utf8(prolog: bytes) -> bytes:
    """UTF-16 XML checked as text too, so a DOCTYPE cannot hide between zero bytes."""
    if prolog.startswith((b"\xff\xfe", b"\xfe\xff")):
        return prolog.decode("utf-16", "replace").encode("utf-8")
    return prolog


def check_prolog(prolog: bytes, name: str, limits: Limits = LIMITS) -> None:
    """No DOCTYPE or ENTITY declarations (entity expansion), and the root element must start within
    the first bytes so nothing can hide behind a long prolog."""
    # Both declarations start with "<!" (spares lowering every member's prolog); "!" alone is found
    # with one memchr, "<!" in a prolog full of "<" costs a few microseconds.
    if b"!" in prolog and b"<!" in prolog:
        lowered = prolog.lower()
        if b"<!doctype" in lowered or b"<!entity" in lowered:
            raise Refused("entities", name)
    if len(prolog) >= limits.prolog_bytes and not _has_root(prolog):
        raise Refused("entities", name)  # a shorter member was looked at whole


def _has_root(prolog: bytes) -> bool:
    """Whether an element starts once processing instructions and comments are taken out."""
    first = _ROOT.search(prolog)
    # The usual prolog (an XML declaration, then the root): when nothing before the first element
    # start is left once its own PIs and comments are taken out, that start survives in the whole.
    if first is not None and b"<" not in _PROLOG_NOISE.sub(b"", prolog[:first.start()]):
        return True
    return _ROOT.search(_PROLOG_NOISE.sub(b"", prolog)) is not None


def check_dimension(prolog: bytes, name: str, limits: Limits = LIMITS) -> None:
    match = _DIMENSION.search(prolog) if b"dimension" in prolog else None  # the literal first: most parts have none
    if not match:
        return
    first_col, first_row, last_col, last_row = (g.decode("ascii") if g else None for g in match.groups())
    if last_col is None:
        last_col, last_row = first_col, first_row
    if not last_col or not last_row:
        return
    rows = int(last_row) - int(first_row or 1) + 1
    cols = column_number(last_col) - column_number(first_col or "A") + 1
    if rows * cols > limits.max_cells or int(last_row) > 1048576 or column_number(last_col) > 16384:
        raise Refused("extent", f"{rows} 行 × {cols} 列")  # in figures, as for .xls and .ods: no XML in a sentence


EXCEL_95 = "Excel 5.0/95 格式的旧工作簿"


def check_xls(data: bytes, limits: Limits = LIMITS) -> None:
    """An .xls's password (FILEPASS) and the extents its sheets declare (DIMENSIONS), from the
    workbook stream's records, before a reader allocates them. A file whose compound-file tables
    cannot be walked here is left to the reader (which is more lenient) and its memory limit."""
    from workplan_xl.returns.ole import Ole, OleError, biff_facts, biff_version

    try:
        ole = Ole(data)
        names = ole.root_names()
        index = names.get("workbook", names.get("book"))
        if index is None:
            return
        stream = ole.stream(index)
        encrypted, extents = biff_facts(stream)
    except (OleError, struct.error, IndexError, ValueError, MemoryError):
        return
    if encrypted:
        raise Refused("encrypted")
    if biff_version(stream) == 0x0500:
        # Excel 5.0/95 keeps text in the file's code page (GBK here); the reader takes each byte for a
        # character, so every Chinese word would come out as �: such a file is not read at all.
        raise Refused("convert", EXCEL_95)
    for rows, cols in extents:
        if rows * cols > limits.max_cells:
            raise Refused("extent", f"{rows} 行 × {cols} 列")


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number

