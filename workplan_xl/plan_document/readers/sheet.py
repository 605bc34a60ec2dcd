"""Spreadsheet plans (.xlsx .xlsm .xls .et .ods .csv, Excel 2003 XML, .fods): a 重点任务分解表 / 任务清单 / 配档表 as offices
circulate them, read into the same blocks as a Word document holding that table.

For each sheet: the header row is looked for anywhere in the first rows (a merged title row and a note
row often come first); the rows above it become paragraphs (the title, 文号, notes), the header and the
rows below one table block. Merged cells follow the .docx reader's convention — a value in the first
column of a horizontal merge, repeated down a vertical one — except that a row merged across most of
the table (a section row, "一、教育质量提升") carries its text in every cell, so the outline sees a
group row. A sheet without a task header is a plan typed into cells: each row is one paragraph.

python-calamine is native code that can abort or allocate without bound on a hostile file, so the
cells are read in a child process with a memory and time limit (isolated.py); whatever goes wrong
ends in one Chinese sentence naming the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from workplan_xl.errors import InputFileError
from workplan_xl.plan_document.readers.blocks import Block, clean_line, decode_text
from workplan_xl.plan_document.readers.isolated import run_isolated

MAX_ROWS = 20000
MAX_COLUMNS = 100
HEADER_LOOK = 30  # rows searched for the header
Sheet = tuple[str, list[list[str]], list[tuple[tuple[int, int], tuple[int, int]]]]  # name, rows, merges


def read_sheet(path: Path, encoding: str | None = None, name: str | None = None) -> list[Block]:
    """Blocks of a spreadsheet plan: per sheet, the lines above its task header as paragraphs and the
    table from its header down as one table block (or, without a header, one paragraph per row).
    ``name``: the file as the user gave it (a LibreOffice conversion reads a temporary copy)."""
    path = Path(path)
    sheets = run_isolated(_read_cells, str(path), name=name or path.name)
    return blocks_from_sheets(sheets)


def read_csv(path: Path, encoding: str | None = None) -> list[Block]:
    """A .csv plan (comma, semicolon or tab separated; GBK or UTF-8) read like a one-sheet workbook."""
    path = Path(path)
    text, _ = decode_text(path.read_bytes(), path.name, encoding)
    sample = "\n".join(text.splitlines()[:50])  # splitlines() knows CR-only line ends too
    delimiter = max(",\t;|", key=sample.count) if sample else ","
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # CR alone: Excel for Mac's "CSV (Macintosh)"
    rows = [[clean_line(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return blocks_from_sheets([(path.stem, rows[:MAX_ROWS], [])])


class Refusal(InputFileError):
    """A spreadsheet plan refused before any reader saw it (password, bomb, absurd extents): no other
    reader (LibreOffice) is tried on it."""


def read_markup_sheet(path: Path, encoding: str | None = None) -> list[Block]:
    """A task table saved as Excel 2003 XML or flat ODS, read by the returns' own readers (in the child)."""
    path = Path(path)
    return blocks_from_sheets(run_isolated(_read_markup_cells, str(path), name=path.name))


def _read_markup_cells(path: str) -> list[Sheet]:
    from workplan_xl.returns.markup_sheets import read_markup_sheets
    from workplan_xl.returns.precheck import check_size
    from workplan_xl.returns.sniff import sniff

    check_size(Path(path).stat().st_size)
    data = Path(path).read_bytes()
    sheets = read_markup_sheets(data, sniff(data).what, max_sheets=50, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    return [(s["name"], [[_text(v) for v in row] for row in s["rows"]],
             [((r0, c0), (r1, c1)) for r0, c0, r1, c1 in s["merged"]]) for s in sheets if s["visible"] == "visible"]


def _read_cells(path: str) -> list[Sheet]:
    """Runs in the child process: every visible sheet's cells as text, and its merged ranges.

    The pre-checks returns get run first, on the file's own declarations, before python-calamine
    allocates anything: size, zip bombs, XML entities, declared extents (xlsx dimension, .xls DIMENSIONS,
    ODS repeated rows and cells), passwords."""
    import python_calamine

    from workplan_xl.returns.precheck import LIMITS, Refused, check_archive, check_size, check_xls
    from workplan_xl.returns.sniff import ZIP_MAGIC, open_zip, sniff

    name = Path(path).name
    try:
        check_size(Path(path).stat().st_size, LIMITS)
        data = Path(path).read_bytes()
        archive = open_zip(data) if data.startswith(ZIP_MAGIC) else None
        sniffed = sniff(data, archive)
        if sniffed.kind == "encrypted":
            raise Refused("encrypted")
        if archive is not None and sniffed.kind != "truncated":
            check_archive(archive, data, LIMITS)
        elif sniffed.kind == "xls":
            check_xls(data, LIMITS)
    except Refused as refused:
        raise Refusal(_refusal(name, refused.code, refused.detail)) from None
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise Refusal(_refusal(name, "encrypted", "")) from None
    out: list[Sheet] = []
    for meta in workbook.sheets_metadata:
        if str(getattr(meta, "visible", "Visible")).lower().endswith("hidden"):
            continue  # a hidden or very hidden sheet (a 台账's _meta, lookup lists) is no plan text
        if str(getattr(meta, "typ", "WorkSheet")).lower().endswith("chartsheet"):
            continue
        sheet = workbook.get_sheet_by_name(meta.name)
        end = sheet.end
        if end is not None and (end[0] + 1) * (end[1] + 1) > MAX_ROWS * MAX_COLUMNS:
            raise ValueError(f"sheet {meta.name} too large")
        rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
        merges = list(sheet.merged_cell_ranges or [])
        out.append((meta.name, [[_text(v) for v in row[:MAX_COLUMNS]] for row in rows], merges))
    return out


def _refusal(name: str, code: str, detail: str) -> str:
    """The sentence for a spreadsheet plan the pre-checks refused (the words 问题清单 uses for returns)."""
    from workplan_xl.returns.messages import file_problem

    if code == "encrypted":
        return f"「{name}」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。"
    problem, _ = file_problem(code, name, detail)
    return f"「{name}」{problem.split('」', 1)[1]}：请在 Excel/WPS 中打开后另存为 .xlsx 再试。"


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return clean_line(str(value).replace("\r\n", "\n").replace("\r", "\n").strip())


def blocks_from_sheets(sheets: list[Sheet]) -> list[Block]:
    from workplan_xl.plan_document.tables import header_columns

    blocks: list[Block] = []
    for _name, raw, merges in sheets:
        rows = _apply_merges(raw, merges)
        rows = _trim(rows)
        if not rows:
            continue
        header = next((i for i, row in enumerate(rows[:HEADER_LOOK]) if header_columns(row) is not None), None)
        if header is None:
            blocks += [Block("p", _row_text(row)) for row in rows]
            blocks.append(Block("p", ""))
            continue
        blocks += [Block("p", _row_text(row)) for row in rows[:header] if _row_text(row)]
        table = rows[header:]
        width = max(len(r) for r in table)
        blocks.append(Block("table", rows=[r + [""] * (width - len(r)) for r in table]))
    return blocks


def _apply_merges(rows: list[list[str]], merges: list[Any]) -> list[list[str]]:
    rows = [list(r) for r in rows]
    width = max((len(r) for r in rows), default=0)
    used = max((sum(1 for c in r if c) for r in rows), default=0)
    for (r0, c0), (r1, c1) in merges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        across = c1 - c0 + 1 >= max(3, (min(width, max(used, 1)) + 1) // 2)
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                if r == r0 and c != c0:
                    rows[r][c] = value if across and r1 == r0 else ""
                elif r > r0:
                    rows[r][c] = value if c == c0 else ""
    return rows


def _trim(rows: list[list[str]]) -> list[list[str]]:
    rows = [r for r in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    while rows and not any(rows[0]):
        rows.pop(0)
    if not rows:
        return []
    left = min((next(k for k, c in enumerate(r) if c) for r in rows if any(r)), default=0)
    right = max((max(k for k, c in enumerate(r) if c) for r in rows if any(r)), default=0)
    return [r[left:right + 1] + [""] * (right + 1 - len(r)) for r in rows]


def _row_text(row: list[str]) -> str:
    """A row outside the table as one line: its distinct cells in order (a merged title once)."""
    seen: list[str] = []
    for cell in row:
        if cell and cell not in seen:
            seen.append(cell)
    return re.sub(r"\s*\n\s*", "", "　".join(seen)) if len(seen) > 1 else (seen[0] if seen else "")

