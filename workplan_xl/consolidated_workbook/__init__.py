"""汇总.xlsx: 报送情况 · 任务汇总 · 指标汇总 · 明细 · 问题清单, written from a Progress (and, for 明细,
the current entries). Regenerated from the ledger on every collect, so overwriting it is safe.

Everything that came from a return is written as a string cell: "=HYPERLINK(…)", "=cmd|' /C calc'!A0"
or "+1+1" typed by a school arrive as inert text, never as a formula or a link. No timestamps: the
same ledger gives the same bytes.

    layout.py   formats, typed cells, widths, row heights, capped cells, figures rounded as the report does
    sheets.py   the sheets written through xlsxwriter (and the top of 明细)
    details.py  明细's rows, streamed into the sheet XML afterwards (the part that is big)
"""

from __future__ import annotations

import datetime
import itertools
import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence, Sized
from pathlib import Path

import xlsxwriter

from workplan_xl.consolidated_workbook.details import (
    MAX_ROWS,
    SST,
    SharedStrings,
    detail_rows,
    rows_xml,
    stream_into,
)
from workplan_xl.consolidated_workbook.files import files_sheet
from workplan_xl.consolidated_workbook.layout import make_formats
from workplan_xl.consolidated_workbook.sheets import (
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
_SAMPLE = 2000  # 明细 rows that set its column widths


def write_consolidated_workbook(progress: Progress, path: Path, details: Iterable[Entry] = (),
                                moved: list[Path] | None = None, files: Sequence[Sequence[str]] | None = None) -> Path:
    """Write 汇总.xlsx to ``path`` and return the path. An earlier file there with other bytes is moved
    into 备份/ beside it and where it went appended to ``moved``.

    ``details`` are the entries listed in 明细, in the order given (the ledger gives roster order);
    ``files`` the rows of 文件清单 (every file a collect found and its fate), when given."""
    path = Path(path)
    check_output(path)
    # A Sized iterable (the ledger's StoredEntries) is walked, not held: a province's round has millions.
    entries = details if isinstance(details, Sized) else list(details)
    parts = max(1, -(-len(entries) // MAX_ROWS))  # more than Excel's rows: 明细, 明细(2), …
    stem = f".{path.stem}.{os.getpid()}"
    draft, temp = path.with_name(stem + ".draft.xlsx"), path.with_name(stem + ".tmp.xlsx")
    try:
        workbook = xlsxwriter.Workbook(str(draft), _OPTIONS)
        workbook.set_properties({"title": f"{progress.plan.title} 汇总表".strip(), "author": "workplan_xl",
                                 "created": _created(progress)})
        fmt = make_formats(workbook)
        units_sheet(workbook, fmt, progress)
        tasks_sheet(workbook, fmt, progress)
        indicators_sheet(workbook, fmt, progress)
        sample = list(detail_rows(progress, itertools.islice(entries, _SAMPLE)))
        names = ["明细"] + [f"明细({n})" for n in range(2, parts + 1)]
        widths = [details_top(workbook, fmt, progress, name, min(MAX_ROWS, len(entries) - n * MAX_ROWS), sample)
                  for n, name in enumerate(names)]
        problems_sheet(workbook, fmt, progress)
        if files is not None:
            files_sheet(workbook, fmt, progress.plan.title, files)
        # The style numbers the streamed cells refer to; asking registers them in styles.xml.
        styles = [fmt[s]._get_xf_index() for s in DETAIL_STYLES]
        number_style = fmt["number"]._get_xf_index()
        workbook.close()
        with zipfile.ZipFile(draft) as made:  # 明细's repeated texts are appended to its shared strings
            sst = made.read(SST).decode("utf-8")

        def streams() -> tuple[dict[str, tuple[Iterator[str], str]], SharedStrings]:
            shared = SharedStrings(sst)
            rows = detail_rows(progress, entries)
            made = {}
            for n in range(parts):
                count = min(MAX_ROWS, len(entries) - n * MAX_ROWS)
                chunk = rows_xml(itertools.islice(rows, count), 4, styles, number_style, widths[n], shared)
                made[f"xl/worksheets/sheet{4 + n}.xml"] = (chunk, f"A1:I{3 + max(count, 0)}")
            return made, shared

        stream_into(draft, temp, streams)
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
