"""明细's rows spooled as sheet XML, and the package put together: xlsxwriter's workbook copied with
the spooled rows streamed into 明细's worksheet parts and 明细's shared strings put before xlsxwriter's
(whose own cells are renumbered to match).

The rows can be made in another process while this one computes the figures and writes the other
sheets (__init__.py): they need only the plan, who reported with which file, the entries, the style
numbers and the column widths, never xlsxwriter's string table."""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from workplan_xl.consolidated_workbook.details import SharedStrings, detail_rows, rows_xml
from workplan_xl.plan import Plan
from workplan_xl.progress import Entry


def spool_details(plan: Plan, units: dict[str, tuple[str, str]], entries: Iterable[Entry], spool: str, limit: int,
                  styles: Sequence[int], number_style: int, widths: Sequence[float]
                  ) -> tuple[list[tuple[int, int, int]], list[str], int]:
    """明细's rows (detail_rows) as XML into the file ``spool``: spool_rows's sheets, and the shared
    strings they use (items and count). Plain data in and out: it runs in another process."""
    shared = SharedStrings()
    with open(spool, "wb") as handle:
        made = spool_rows(detail_rows(plan, units, entries), handle, limit, styles, number_style, widths, shared)
    return made, shared.items, shared.count


def spool_rows(rows: Iterator[Sequence[Any]], spool: IO[bytes], limit: int, styles: Sequence[int],
               number_style: int, widths: Sequence[float], shared: SharedStrings) -> list[tuple[int, int, int]]:
    """Write ``rows``'s XML to ``spool``, ``limit`` rows a sheet (each sheet's from row 4); returns
    each sheet's (offset, length, rows) in the spool: at least one sheet, maybe with no rows."""
    sheets = []
    while True:
        start, counted = spool.tell(), _Counted(itertools.islice(rows, limit))
        for chunk in rows_xml(counted, 4, styles, number_style, widths, shared):
            spool.write(chunk.encode("utf-8"))
        sheets.append((start, spool.tell() - start, counted.n))
        if counted.n < limit:
            return sheets
        following = next(rows, None)
        if following is None:
            return sheets
        rows = itertools.chain([following], rows)


class _Counted:
    """An iterator that counts what it gave."""

    def __init__(self, items: Iterator[Any]) -> None:
        self.items, self.n = items, 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            self.n += 1
            yield item


def spool_chunks(spool: IO[bytes], offset: int, length: int, size: int = 1 << 21) -> Callable[[], Iterator[bytes]]:
    """A maker of ``spool``'s bytes from ``offset`` on, ``length`` of them, in blocks of ``size``."""

    def read() -> Iterator[bytes]:
        spool.seek(offset)
        left = length
        while left > 0:
            block = spool.read(min(size, left))
            if not block:
                raise OSError("the 明细 spool file ended early")
            left -= len(block)
            yield block

    return read


def stream_into(path: Path, target: Path, sheets: dict[str, tuple[Callable[[], Iterator[bytes]], str]],
                shared: SharedStrings | Callable[[], SharedStrings]) -> None:
    """Copy the workbook ``path`` to ``target``, inserting rows into some worksheets.

    ``sheets``: a worksheet part (xl/worksheets/sheet4.xml) → (a maker of its rows' XML, the full
    dimension ref); ``shared``: the SharedStrings the rows refer to, put first in xl/sharedStrings.xml.
    Other parts are copied unchanged but for xlsxwriter's string cells, renumbered after them, with
    their original dates (no timestamps).

    The first part of ``sheets`` may be copied while its rows are still being made (明细's, by another
    process): ``shared`` is then a maker, asked once those rows are in. The parts that do not depend on
    them come first, then the streamed parts in the order given, then the other worksheets,
    workbook.xml and the sst (the order of a package's parts means nothing to its readers); xlsxwriter's
    cells above rows streamed before the strings are known are made inline strings of the same text.

    A streamed part is written without ZIP64 extras: Excel and xlsxwriter never write a ZIP64 local
    header on a small part, and some Excel builds reject it. A part that would pass zipfile's limit
    (2 GiB) is written again with ZIP64, the only case that needs it."""
    try:
        _stream_into(path, target, sheets, shared, zip64=False)
    except _NeedsZip64:
        _stream_into(path, target, sheets, shared, zip64=True)


class _NeedsZip64(Exception):
    """A streamed part outgrew what a zip entry without ZIP64 extras can hold."""


# xlsxwriter writes a shared-string cell as <c r="A1" s="3" t="s"><v>12</v></c>, and no other element
# of a worksheet ends its attributes with t="s" before a <v>.
_STRING_CELL = re.compile(r'( t="s"><v>)(\d+)(</v>)')


def renumbered(xml: str, shift: int) -> str:
    """xlsxwriter's worksheet XML with its shared-string indices moved up by ``shift``."""
    if not shift:
        return xml
    return _STRING_CELL.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + shift}{m.group(3)}", xml)


def _inlined(xml: str, sst: str) -> tuple[str, int]:
    """xlsxwriter's worksheet XML with its shared-string cells made inline strings of the same text
    (an <si> and an <is> hold the same content), and how many cells were."""
    items = re.findall(r"<si>(.*?)</si>", sst, re.S)
    return _STRING_CELL.subn(lambda m: f' t="inlineStr"><is>{items[int(m.group(2))]}</is>', xml)


def _stream_into(path: Path, target: Path, sheets: dict[str, tuple[Callable[[], Iterator[bytes]], str]],
                 strings: SharedStrings | Callable[[], SharedStrings], zip64: bool) -> None:
    def dependent(name: str) -> bool:
        return name.startswith(WORKSHEETS) or name in (SST, WORKBOOK)

    inlined = 0

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as out:
        infos = source.infolist()
        for info in infos:
            if not dependent(info.filename):
                out.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
        shared = strings if isinstance(strings, SharedStrings) else None
        named = {info.filename: info for info in infos}
        for part, (chunks, ref) in sheets.items():
            info = named[part]
            head, tail = source.read(info).decode("utf-8").split("</sheetData>", 1)
            # xlsxwriter's cells above the rows: renumbered after 明细's strings, or inline while those are not known
            if shared is not None:
                head = renumbered(head, len(shared.items))
            else:
                head, n = _inlined(head, source.read(SST).decode("utf-8"))
                inlined += n  # no longer counted among the sst's cells
            head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', head, count=1)
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            # A ZipInfo given to open() keeps its own level (zlib's default, 6, when unset), not the
            # ZipFile's: level 1 deflates this XML ~5× faster for a file a third bigger.
            setattr(member, "compress_level" if hasattr(member, "compress_level") else "_compresslevel", LEVEL)
            with out.open(member, "w", force_zip64=zip64) as stream:
                written = 0
                for block in itertools.chain([head.encode("utf-8")], chunks(), [("</sheetData>" + tail).encode("utf-8")]):
                    written += len(block)
                    if not zip64 and written > ZIP64_LIMIT:
                        raise _NeedsZip64  # before zipfile refuses to close the entry
                    stream.write(block)
            if shared is None:  # the first part's rows are all in: their strings are known
                shared = strings()  # type: ignore[operator]
        if shared is None:
            shared = strings()  # type: ignore[operator]
        for info in infos:
            if not dependent(info.filename) or info.filename in sheets:
                continue
            data = source.read(info).decode("utf-8")
            if info.filename == SST:
                data = shared.merge(data, uncounted=inlined)
            elif info.filename != WORKBOOK:
                data = renumbered(data, len(shared.items))
            out.writestr(info, data.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    if shared.items and SST not in named:  # xlsxwriter always has strings here (the headers)
        raise ValueError("the workbook has no xl/sharedStrings.xml for 明细's strings")


ZIP64_LIMIT = zipfile.ZIP64_LIMIT - (1 << 20)  # a margin for the deflated size of incompressible text
SST = "xl/sharedStrings.xml"
WORKBOOK = "xl/workbook.xml"
WORKSHEETS = "xl/worksheets/sheet"
LEVEL = 1  # deflate level of the streamed parts
