"""汇总.xlsx as a whole: the workbook begun (明细's rows started, in another process when many),
the other sheets written through xlsxwriter, and the package put together (package.py)."""

from __future__ import annotations

import datetime
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import xlsxwriter

from workplan_xl.consolidated_workbook.details import RowCounter, SharedStrings, detail_rows, unit_files
from workplan_xl.consolidated_workbook.files import files_sheet
from workplan_xl.consolidated_workbook.layout import make_formats
from workplan_xl.consolidated_workbook.package import (
    spool_chunks,
    spool_details,
    spool_rows,
    stream_into,
)
from workplan_xl.consolidated_workbook.sheets import (
    DETAIL_HEADERS,
    DETAIL_STYLES,
    details_top,
    details_widths,
    indicators_sheet,
    problems_sheet,
    tasks_sheet,
    units_sheet,
)
from workplan_xl.errors import OutputError
from workplan_xl.isolated import Child, Limited, spare_process
from workplan_xl.outputs import replace_output
from workplan_xl.plan import Plan
from workplan_xl.progress import Entry, Progress, UnitReport

__all__ = ["check_output", "start_consolidated_workbook", "write_consolidated_workbook"]

_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
_SAMPLE = 2000  # 明细 rows that set its column widths (the first ones)
MAX_ROWS = 1_048_576 - 3  # Excel's last row, less the title, note and header rows
# Values from which 明细's rows are made in another process, while this one computes the figures and
# writes the other sheets: below, the child's start (~0.2 s) costs more than it saves.
PARALLEL = 20_000
_LAST = chr(64 + len(DETAIL_HEADERS))  # 明细's last column
PRELOAD = ("workplan_xl.consolidated_workbook.package",)  # what that process needs loaded


def write_consolidated_workbook(progress: Progress, path: Path, details: Iterable[Entry] = (),
                                moved: list[Path] | None = None, files: Sequence[Sequence[str]] | None = None) -> Path:
    """Write 汇总.xlsx to ``path`` and return the path. An earlier file there with other bytes is moved
    into 备份/ beside it and where it went appended to ``moved``.

    ``details`` are the entries listed in 明细, in the order given (the ledger gives roster order, then
    form order), read once: a generator is not held in memory. ``files`` are the rows of 文件清单
    (every file a collect found and its fate), when given."""
    with start_consolidated_workbook(path, progress.plan, progress.units, details) as book:
        return book.write(progress, moved, files)


@contextmanager
def start_consolidated_workbook(path: Path, plan: Plan, units: Sequence[UnitReport], details: Iterable[Entry] = (),
                                spare: Child | None = None) -> Iterator[ConsolidatedWorkbook]:
    """Begin 汇总.xlsx at ``path``: 明细's rows start being made (in another process when there are
    many, ``details`` then a Sized, picklable iterable such as the ledger's StoredEntries, read there;
    ``spare``, from spare_process(preload=PRELOAD), is that process already loaded, and is ended when
    not needed), so the caller can compute the round's Progress meanwhile and pass it to ``write``.
    Whatever is left unwritten (the child, the draft and spool files) is cleared when the block ends."""
    book = ConsolidatedWorkbook(Path(path), plan, units, details, spare)
    try:
        yield book
    finally:
        book.discard()


class ConsolidatedWorkbook:
    """汇总.xlsx being made: see start_consolidated_workbook."""

    def __init__(self, path: Path, plan: Plan, units: Sequence[UnitReport], details: Iterable[Entry],
                 spare: Child | None = None) -> None:
        self.path, self.pending = path, spare
        self.counter: RowCounter | None = None
        self.result: tuple[list[tuple[int, int, int]], SharedStrings] | None = None
        check_output(path)
        stem = f".{path.stem}.{os.getpid()}"
        self.draft, self.temp, self.spool = (path.with_name(stem + suffix) for suffix in (".draft.xlsx", ".tmp.xlsx", ".spool"))
        try:
            self.book = _Draft(self.draft)
            self.made_from = (plan, unit_files(units), details)
            rows = detail_rows(*self.made_from)
            self.sample = list(itertools.islice(rows, _SAMPLE))
            self.widths = details_widths(self.sample)
            self.rows: Iterator[list[Any]] | None = itertools.chain(self.sample, rows)
            if isinstance(details, Sized) and len(details) >= PARALLEL:
                rows.close()  # the child walks the entries itself, from the first
                self.rows = None
                self.spool.touch()  # there before the child writes it, for write() to follow it
                self.pending = (self.pending or spare_process()).call(
                    spool_details, *self.made_from, str(self.spool), MAX_ROWS, self.book.styles,
                    self.book.number_style, self.widths, timeout=None)
            elif self.pending is not None:
                self.pending.cancel()
                self.pending = None
        except OSError as error:
            raise _unwritable(path, error) from None

    def write(self, progress: Progress, moved: list[Path] | None = None,
              files: Sequence[Sequence[str]] | None = None) -> Path:
        """Write the other sheets from ``progress``, put 明细's rows in, and replace ``path`` (an
        earlier file with other bytes moved into 备份/, and where appended to ``moved``)."""
        path = self.path
        try:
            # 明细's sheets and their filters are known only once its rows are counted: the sheets are
            # written with the first count and, in the rare case of more rows than Excel's, again.
            counted = self.counter.rows if self.counter is not None else None
            if self.pending is not None and counted is not None and counted <= MAX_ROWS:
                self.book.fill(progress, self.sample, [counted], files)
                try:
                    self._follow(counted)
                    return self._replace(moved)
                except Limited:  # the child could not finish: the rows are made here, the workbook again
                    self.pending, self.rows = None, detail_rows(*self.made_from)
                    self.book = _Draft(self.draft)
            self.book.fill(progress, self.sample, [len(self.sample)], files)
            made, shared = self._rows()
            if len(made) > 1:  # 明细, 明细(2), … (the rows and their strings stay the same)
                self.book = _Draft(self.draft)
                self.book.fill(progress, self.sample, [n for _, _, n in made], files)
            for sheet, (_, _, count) in zip(self.book.sheets, made, strict=True):
                if count:
                    sheet.autofilter(2, 0, 2 + count, len(DETAIL_HEADERS) - 1)
            self.book.workbook.close()
            with open(self.spool, "rb") as spool:
                sheets = {f"xl/worksheets/sheet{4 + n}.xml": (spool_chunks(spool, offset, length), f"A1:{_LAST}{3 + count}")
                          for n, (offset, length, count) in enumerate(made)}
                stream_into(self.draft, self.temp, {**self._tables(), **sheets}, shared)
            return self._replace(moved)
        except OSError as error:
            raise _unwritable(path, error) from None

    def _replace(self, moved: list[Path] | None) -> Path:
        backup = replace_output(self.temp, self.path)
        if backup is not None and moved is not None:
            moved.append(backup)
        return self.path

    def counting(self, entries: Iterable[Entry]) -> RowCounter:
        """``entries`` for the figures' walk (Progress), counting 明细's rows meanwhile: with the count
        known, write() puts the package together while the other process still makes the rows."""
        self.counter = RowCounter(entries)
        return self.counter

    def _follow(self, count: int) -> None:
        """Put the package together while the child still makes 明细's ``count`` rows: they are copied
        (and deflated) as they are written; the other parts that need 明细's strings come after
        (package.stream_into). Raises Limited when the child cannot finish."""
        child = self.pending
        assert child is not None
        self.book.workbook.close()

        def finished() -> SharedStrings:
            made, shared = self._child_rows()
            if [n for _, _, n in made] != [count]:
                raise Limited("error", f"明细 rows made {made}, counted {count}")
            return shared

        def rows() -> Iterator[bytes]:
            total = None
            with open(self.spool, "rb") as spool:
                while total is None or spool.tell() < total:
                    block = spool.read(1 << 21 if total is None else min(1 << 21, total - spool.tell()))
                    if block:
                        yield block
                    elif total is None and child.ready(0.01):
                        finished()
                        total = self._child_rows()[0][0][1]
                    elif total is not None:
                        raise OSError("the 明细 spool file ended early")

        details = {"xl/worksheets/sheet4.xml": (rows, f"A1:{_LAST}{3 + count}")}  # first: its strings come last
        stream_into(self.draft, self.temp, {**details, **self._tables()}, finished)

    def _tables(self) -> dict[str, tuple[Callable[[], Iterator[bytes]], str]]:
        """The rows of 报送情况, 问题清单 and 文件清单, made as XML when they were filled."""
        return {part: (_once(xml.encode("utf-8")), ref) for part, (xml, ref) in self.book.fmt.streamed.items()}

    def _child_rows(self) -> tuple[list[tuple[int, int, int]], SharedStrings]:
        """The child's answer (asked once): each sheet's (offset, length, rows) in the spool, the strings."""
        assert self.pending is not None
        if self.result is None:
            shared = SharedStrings()
            made, shared.items, shared.count = self.pending.result()
            self.result = made, shared
        return self.result

    def _rows(self) -> tuple[list[tuple[int, int, int]], SharedStrings]:
        """明细's rows spooled (by the child, or here): each sheet's (offset, length, rows), the strings."""
        shared = SharedStrings()
        if self.pending is not None:
            try:
                return self._child_rows()
            except Limited:  # the child could not finish (memory, a crash): the rows are made here
                self.rows = detail_rows(*self.made_from)
        assert self.rows is not None
        with open(self.spool, "wb") as spool:
            made = spool_rows(self.rows, spool, MAX_ROWS, self.book.styles, self.book.number_style, self.widths, shared)
        return made, shared

    def discard(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
        for leftover in (self.draft, self.temp, self.spool):
            leftover.unlink(missing_ok=True)


def _once(data: bytes) -> Callable[[], Iterator[bytes]]:
    return lambda: iter([data])


def _unwritable(path: Path, error: OSError) -> OutputError:
    return OutputError(f"无法写入汇总表「{path}」（{error.strerror or error}）：如果它正在 Excel/WPS 中打开，"
                       "请关闭后重新运行；否则请用 -o 换一个有写入权限的位置。")


class _Draft:
    """The workbook through xlsxwriter, not yet closed. Made, it knows the style numbers of 明细's
    cells (asked first, so every draft gives the same); filled, it has every sheet, 明细 (one sheet
    per count) with its top only, its rows to be streamed in."""

    def __init__(self, draft: Path) -> None:
        workbook = self.workbook = xlsxwriter.Workbook(str(draft), _OPTIONS)
        self.fmt = make_formats(workbook)
        # The style numbers the streamed cells refer to; asking registers them in styles.xml.
        self.styles = [self.fmt[s]._get_xf_index() for s in DETAIL_STYLES]
        self.number_style = self.fmt["number"]._get_xf_index()
        self.sheets: list[Any] = []

    def fill(self, progress: Progress, sample: list[list[Any]], counts: list[int],
             files: Sequence[Sequence[str]] | None) -> None:
        workbook, fmt = self.workbook, self.fmt
        workbook.set_properties({"title": f"{progress.plan.title} 汇总表".strip(), "author": "workplan_xl",
                                 "created": _created(progress)})
        units_sheet(workbook, fmt, progress)
        tasks_sheet(workbook, fmt, progress)
        indicators_sheet(workbook, fmt, progress)
        names = ["明细"] + [f"明细({n})" for n in range(2, len(counts) + 1)]
        self.sheets = [details_top(workbook, fmt, progress, name, count, sample)[0]
                       for name, count in zip(names, counts, strict=True)]
        problems_sheet(workbook, fmt, progress)
        if files is not None:
            files_sheet(workbook, fmt, progress.plan.title, files)


def check_output(path: Path) -> None:
    """Fail early (before a long collect) when 汇总.xlsx is open in Excel/WPS or its folder is missing."""
    for lock in (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            raise OutputError(f"汇总表「{path}」正在 Excel/WPS 中打开：请关闭后重新运行（或用 -o 另存到别处）。")
    if not path.parent.is_dir():
        raise OutputError(f"汇总表的保存文件夹「{path.parent}」不存在：请先建好文件夹，或用 -o 换一个位置。")


def _created(progress: Progress) -> datetime.datetime:
    """A fixed creation time (the latest return's time) so the same ledger gives the same file."""
    times = sorted(u.received for u in progress.units if u.received)
    try:
        return datetime.datetime.fromisoformat(times[-1]) if times else datetime.datetime(2000, 1, 1)
    except ValueError:
        return datetime.datetime(2000, 1, 1)
