"""Tables that arrive as text (.txt): pasted from a web page or Excel with cells separated by tabs or
`|`, or one cell per line, recognised from their header row (序号 · 重点任务 · 牵头单位 · 完成时限,
周次 · 起止日期 · 主要工作 · 责任处室) and turned into table blocks, so a text table reads like the same
table in Word. A page from the middle of a decomposition table (no header, first row numbered 57) is
recognised by the shape of its columns: a number, a long text, unit names, a time.

Leading empty cells of a row (a week or a date merged over several rows in the original) take the value
above them in the columns that are not the task's own (序号, 周次, 时间 …)."""

from __future__ import annotations

import re

from workplan_xl.plan_document.readers.blocks import Block

_PIPE = re.compile(r"\s*[|｜]\s*")
MIN_COLUMNS = 3
_MAX_CELL = 12  # characters of a header cell written on its own line


def _cells(line: str) -> list[str] | None:
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
    elif line.count("|") + line.count("｜") >= 2:
        cells = [c.strip() for c in _PIPE.split(line.strip().strip("|｜"))]
    else:
        return None
    return cells if len(cells) >= 2 else None


def text_tables(blocks: list[Block]) -> list[Block]:
    """``blocks`` with tab/pipe tables and one-cell-per-line tables replaced by table blocks."""
    from workplan_xl.plan_document.tables import header_columns, header_role

    out: list[Block] = []
    tabled = False  # a table is in out already (kept, not searched for: a dump has 30,000 lines)
    i = 0
    n = len(blocks)
    while i < n:
        line = blocks[i].text
        cells = _cells(line) if line else None
        if cells and len(cells) >= MIN_COLUMNS and header_columns(cells) is not None:
            rows, i = _separated(blocks, i, cells)
            out.append(Block("table", rows=_carry_down(rows, header_columns(rows[0]) or {})))
            tabled = True
            continue
        if cells and len(cells) >= MIN_COLUMNS and not tabled:
            rows, end = _headerless(blocks, i)
            if rows:
                out.append(Block("table", rows=rows))
                tabled = True
                i = end
                continue
            if end > i:  # numbered rows of one width that are not a task table: not tried again from each row
                out.extend(blocks[i:end])
                i = end
                continue
        width = _cell_header(blocks, i, header_role)
        if width:
            rows, i = _one_per_line(blocks, i, width)
            if len(rows) > 1:
                out.append(Block("table", rows=rows))
                tabled = True
                continue
            i -= sum(len(r) for r in rows)
        out.append(blocks[i])
        i += 1
    return out


def _separated(blocks: list[Block], i: int, header: list[str]) -> tuple[list[list[str]], int]:
    width = len(header)
    rows = [header]
    i += 1
    while i < len(blocks):
        text = blocks[i].text
        cells = _cells(text) if text else None
        if cells is None:
            if not text and i + 1 < len(blocks) and _cells(blocks[i + 1].text or ""):
                i += 1  # a blank line inside the pasted table
                continue
            break
        rows.append((cells + [""] * width)[:width])
        i += 1
    return rows, i


def _carry_down(rows: list[list[str]], cols: dict[str, int]) -> list[list[str]]:
    """Empty leading cells take the value above, except in the task's own columns."""
    own = {cols.get(role) for role in ("task", "detail", "owner", "partner")} - {None}
    out = [rows[0]]
    for row in rows[1:]:
        row = list(row)
        first = next((k for k, c in enumerate(row) if c), len(row))
        if 0 < first < len(row) and len(out) > 1:
            for k in range(first):
                if k not in own:
                    row[k] = out[-1][k]
        out.append(row)
    return out


def _cell_header(blocks: list[Block], i: int, header_role: object) -> int:
    """How many lines from ``i`` make a header written one cell per line (0 when none)."""
    roles = []
    k = i
    while k < len(blocks) and blocks[k].text and len(blocks[k].text) <= _MAX_CELL:
        role = header_role(blocks[k].text, exact=True)  # type: ignore[operator]
        if not role:
            break
        roles.append(role)
        k += 1
    if len(roles) >= MIN_COLUMNS and "task" in roles and ("owner" in roles or "number" in roles):
        return len(roles)
    return 0


_NUMBER = re.compile(r"^\d{1,4}$")


def _one_per_line(blocks: list[Block], i: int, width: int) -> tuple[list[list[str]], int]:
    """The header's ``width`` lines, then rows of ``width`` lines each; a row must open with a number
    when the header opens with 序号."""
    header = [b.text for b in blocks[i:i + width]]
    from workplan_xl.plan_document.tables import header_role

    numbered = header_role(header[0], exact=True) == "number"
    rows = [header]
    k = i + width
    while k + width <= len(blocks):
        group = [b.text for b in blocks[k:k + width]]
        if not all(group) or (numbered and not _NUMBER.match(group[0])):
            break
        rows.append(group)
        k += width
    return rows, k


def _headerless(blocks: list[Block], i: int) -> tuple[list[list[str]], int]:
    """Rows of a task table without its header (a page from the middle): at least two rows of the same
    width whose first cell is a number; the columns are named by their shape. Otherwise ([], end): no
    run from before ``end`` can be one either (each would reach the same row that is not numbered or not of
    that width), so the caller goes on from ``end`` and a data dump of 30,000 rows is looked at once."""
    from workplan_xl.plan_document.time_cells import is_time_cell
    from workplan_xl.plan_document.units import is_owner_cell

    rows: list[list[str]] = []
    k = i
    while k < len(blocks) and blocks[k].text and (cells := _cells(blocks[k].text)) is not None:
        if not _NUMBER.match(cells[0]) or rows and len(cells) != len(rows[0]):
            return [], k if rows else i
        rows.append(cells)
        k += 1
    width = len(rows[0]) if rows else 0
    if len(rows) < 2:
        return [], i
    header = ["序号"]
    owners = 0
    for col in range(1, width):
        values = [r[col] for r in rows if r[col]]
        if values and all(is_time_cell(v) for v in values):
            header.append("完成时限")
        elif values and all(is_owner_cell(v) for v in values):
            header.append("牵头单位" if owners == 0 else "配合单位")
            owners += 1
        elif "重点任务" not in header:
            header.append("重点任务")
        else:
            header.append("具体措施")
    if "重点任务" not in header or owners == 0 and "完成时限" not in header:
        return [], k
    return [header, *rows], k
