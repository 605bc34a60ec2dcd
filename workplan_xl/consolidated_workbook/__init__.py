"""汇总.xlsx: 报送情况 · 任务汇总 · 指标汇总 · 明细 · 问题清单, written from a Progress (and, for 明细,
the current entries). Regenerated from the ledger on every collect, so overwriting it is safe.

Everything that came from a return is written as a string cell: "=HYPERLINK(…)", "=cmd|' /C calc'!A0"
or "+1+1" typed by a school arrive as inert text, never as a formula or a link. No timestamps: the
same ledger gives the same bytes.

    layout.py   formats, typed cells, widths, row heights, capped cells, figures rounded as the report does
    sheets.py   the sheets written through xlsxwriter (and the top of 明细)
    details.py  明细's rows (one per unit × item), spooled as XML, streamed into the package (the part that is big)
"""

from __future__ import annotations

import datetime
import itertools
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from workplan_xl.consolidated_workbook.details import (
    MAX_ROWS,
    SharedStrings,
    detail_rows,
    spool_chunks,
    spool_rows,
    stream_into,
)
from workplan_xl.consolidated_workbook.files import files_sheet
from workplan_xl.consolidated_workbook.layout import make_formats
from workplan_xl.consolidated_workbook.sheets import (
    DETAIL_HEADERS,
    DETAIL_STYLES,
    details_top,
    indicators_sheet,
    problems_sheet,
    tasks_sheet,
    units_sheet,
)
from workplan_xl.errors import OutputError
from workplan_xl.outputs import replace_output
from workplan_xl.progress import Entry, Progress

__all__ = ["check_output", "write_consolidated_workbook"]

_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
_SAMPLE = 2000  # 明细 rows that set its column widths (the first ones)


def write_consolidated_workbook(progress: Progress, path: Path, details: Iterable[Entry] = (),
                                moved: list[Path] | None = None, files: Sequence[Sequence[str]] | None = None) -> Path:
    """Write 汇总.xlsx to ``path`` and return the path. An earlier file there with other bytes is moved
    into 备份/ beside it and where it went appended to ``moved``.

    ``details`` are the entries listed in 明细, in the order given (the ledger gives roster order, then
    form order), read once: a generator is not held in memory. ``files`` are the rows of 文件清单
    (every file a collect found and its fate), when given."""
    path = Path(path)
    check_output(path)
    rows = detail_rows(progress, details)
    sample = list(itertools.islice(rows, _SAMPLE))
    stem = f".{path.stem}.{os.getpid()}"
    draft, temp = path.with_name(stem + ".draft.xlsx"), path.with_name(stem + ".tmp.xlsx")
    try:
        # 明细's rows go to a spool file first: then its sheets and their filters are known by the time
        # the workbook closes, and the sst's size (where 明细's shared strings start) before it does.
        with tempfile.TemporaryFile(dir=path.parent, prefix=stem) as spool:
            draft_book = _Draft(progress, draft, sample, [len(sample)], files)
            shared = SharedStrings(draft_book.workbook.str_table.unique_count)
            made = spool_rows(itertools.chain(sample, rows), spool, MAX_ROWS, draft_book.styles,
                              draft_book.number_style, draft_book.widths, shared)
            if len(made) > 1:  # more than Excel's rows: 明细, 明细(2), … (the sst's strings stay the same)
                draft_book = _Draft(progress, draft, sample, [n for _, _, n in made], files)
            for sheet, (_, _, count) in zip(draft_book.sheets, made, strict=True):
                if count:
                    sheet.autofilter(2, 0, 2 + count, len(DETAIL_HEADERS) - 1)
            draft_book.workbook.close()
            last = chr(64 + len(DETAIL_HEADERS))
            sheets = {f"xl/worksheets/sheet{4 + n}.xml": (spool_chunks(spool, offset, length), f"A1:{last}{3 + count}")
                      for n, (offset, length, count) in enumerate(made)}
            stream_into(draft, temp, sheets, shared)
        backup = replace_output(temp, path)
        if backup is not None and moved is not None:
            moved.append(backup)
    except OSError as error:
        raise OutputError(f"无法写入汇总表「{path}」（{error.strerror or error}）：如果它正在 Excel/WPS 中打开，"
                          "请关闭后重新运行；否则请用 -o 换一个有写入权限的位置。") from None
    finally:
        draft.unlink(missing_ok=True)
        temp.unlink(missing_ok=True)
    return path


class _Draft:
    """The workbook through xlsxwriter, not yet closed: every sheet, 明细 (``counts``: one sheet per
    count, its rows to be streamed in) with its top only."""

    def __init__(self, progress: Progress, draft: Path, sample: list[list[Any]], counts: list[int],
                 files: Sequence[Sequence[str]] | None) -> None:
        workbook = self.workbook = xlsxwriter.Workbook(str(draft), _OPTIONS)
        workbook.set_properties({"title": f"{progress.plan.title} 汇总表".strip(), "author": "workplan_xl",
                                 "created": _created(progress)})
        fmt = make_formats(workbook)
        units_sheet(workbook, fmt, progress)
        tasks_sheet(workbook, fmt, progress)
        indicators_sheet(workbook, fmt, progress)
        names = ["明细"] + [f"明细({n})" for n in range(2, len(counts) + 1)]
        tops = [details_top(workbook, fmt, progress, name, count, sample) for name, count in zip(names, counts, strict=True)]
        self.sheets = [sheet for sheet, _ in tops]
        self.widths = tops[0][1]
        problems_sheet(workbook, fmt, progress)
        if files is not None:
            files_sheet(workbook, fmt, progress.plan.title, files)
        # The style numbers the streamed cells refer to; asking registers them in styles.xml.
        self.styles = [fmt[s]._get_xf_index() for s in DETAIL_STYLES]
        self.number_style = fmt["number"]._get_xf_index()


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
