"""The rows of 明细, made as sheet XML into a spool file and streamed into the package after xlsxwriter
has written the rest of the workbook.

明细 holds one row per unit × item: a school's 完成状态, 进展情况, 完成时间 … for one task side by side
(an officer filters by task and reads the answers across): 36,000 rows for 1,000 schools of 36 items,
far more for a province. Through xlsxwriter's cell API that costs about 7 µs a cell, so xlsxwriter
writes the sheet's top (title, header, widths, print setup, filter) and its styles, and the rows are
written here with those styles, in one pass, without holding them. The texts that repeat (unit, item,
file, short answers such as 推进中 or a date) become shared strings appended to xlsxwriter's sst, long
answers and 说明 inline strings; each distinct cell's XML is made once. Text stays text: every text is
a string cell (t="s" or <is><t>), never a formula (<f>) or a link."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from workplan_xl.cjk import slim_count, wrapped_line_count
from workplan_xl.consolidated_workbook.layout import (
    CELL_MAX,
    fit_cell,
    lines_height,
    one_line,
    xml_number,
    xml_text,
)
from workplan_xl.form_layout import FIELD_LABELS, INDICATOR_COLUMNS, TASK_COLUMNS
from workplan_xl.plan import Plan
from workplan_xl.progress import Entry, UnitReport, value_groups
from workplan_xl.returns.plan_index import task_numbers

# The fields of a form's task and indicator rows, in FIELD_LABELS's order. The 填报人 block is not an
# item: the ledger keeps it apart (form_values) and 报送情况 shows it.
FIELDS = [f for f in FIELD_LABELS if f in {name for _, name in TASK_COLUMNS + INDICATOR_COLUMNS if name}]
ITEM_COLUMNS = 5  # 单位代码 单位名称 类别 编号 事项; then one column per field, 说明, 来源文件
NOTES = ITEM_COLUMNS + len(FIELDS)
COLUMNS = NOTES + 2


def detail_rows(plan: Plan, units: Mapping[str, tuple[str, str]], entries: Iterable[Entry]) -> Iterator[list[Any]]:
    """明细's rows in the order of ``entries`` (read once, not held): consecutive entries of one unit
    and item make one row — 单位代码 单位名称 类别 编号 事项, the values in FIELDS's columns, 说明, 来源文件.

    填报值 is a number when it is a finite one. A field met again within a run (a form listing a task
    twice) starts another row, and a field outside FIELDS is shown in 说明 after its name: every value
    appears once. 说明 joins the notes on the row's values (how a value was read), each after its
    field's name: "完成状态：…；填报值：…". ``units``: unit code → (name, file of its current return),
    unit_files() of a Progress's units."""
    numbers = task_numbers(plan)
    tasks = {t.id: t.title or t.text[:60] for t in plan.tasks()}
    indicators = {i.id: i.metric or i.text for i in plan.indicators()}
    column = {f: ITEM_COLUMNS + n for n, f in enumerate(FIELDS)}
    blank = [""] * len(FIELDS)
    row: list[Any] = []
    notes: list[tuple[int, str]] = []
    unit_code = item_id = None
    for code, values in value_groups(entries):
        name, file = units.get(code, ("", ""))
        for v in values:
            item, f = v[1], v[2]
            c = column.get(f, NOTES)
            if item != item_id or code != unit_code or (c != NOTES and row[c] != ""):
                if row:
                    yield _finish(row, notes)
                unit_code, item_id = code, item
                if item in indicators:
                    row = [code, name, "指标", item, indicators[item], *blank, "", file]
                else:
                    row = [code, name, "任务", numbers.get(item, item), tasks.get(item, "（台账中已没有此任务）"),
                           *blank, "", file]
                notes = []
            if c == NOTES:
                notes.append((c, f"{FIELD_LABELS.get(f, f)}：{v[3]}"))
            else:
                row[c] = _number_or_text(v[3]) if f == "value" else v[3]
            if v[5]:
                notes.append((c, f"{FIELD_LABELS.get(f, f)}：{v[5]}"))
    if row:
        yield _finish(row, notes)


class RowCounter:
    """Entries walked by someone else (the figures, through value_groups) while 明细's rows are counted
    by detail_rows's rule: the count (``rows``, set once the walk is complete) is then known before the
    rows are made, so 明细's dimension and filter can be written before its rows arrive."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries, self.rows = entries, None

    def __len__(self) -> int:
        return len(self.entries)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def groups(self) -> Iterator[tuple[str, Sequence[Sequence[str]]]]:
        column = {f: ITEM_COLUMNS + n for n, f in enumerate(FIELDS)}
        rows, unit_code, item_id, filled = 0, None, None, set()
        for code, values in value_groups(self.entries):
            for v in values:
                c = column.get(v[2], NOTES)
                if v[1] != item_id or code != unit_code or c in filled:
                    rows, unit_code, item_id = rows + 1, code, v[1]
                    filled = set()
                if c != NOTES and v[3] != "":
                    filled.add(c)
            yield code, values
        self.rows = rows


def unit_files(units: Iterable[UnitReport]) -> dict[str, tuple[str, str]]:
    """detail_rows's ``units`` from a round's UnitReports (plain data, for another process too)."""
    return {u.unit.code: (u.unit.name, u.file) for u in units}


def _finish(row: list[Any], notes: list[tuple[int, str]]) -> list[Any]:
    if notes:
        notes.sort(key=lambda n: n[0])  # in column order (stable: a field's value before its note)
        row[NOTES] = "；".join(text for _, text in notes)
    return row


def _number_or_text(value: str) -> Any:
    try:
        number = float(value)
    except ValueError:
        return value
    # "nan", "inf" or "1e999" stay text: <v>nan</v> is not a number Excel reads
    return number if math.isfinite(number) else value


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` wide: xlsx_style.text_lines's count, with the
    wide characters counted from the UTF-8 length (a CJK character is 3 bytes): the same for Chinese
    and ASCII text and a little more (never less) for other scripts, at a tenth of the cost: 明细 can
    have a long text in every row."""
    total = 0
    for line in text.split("\n"):
        wide = min(len(line), (len(line.encode("utf-8")) - len(line) + 1) // 2)
        # at most two changes between Chinese and Latin per narrow character: never fewer than counted
        total += wrapped_line_count(len(line), wide, width, slim_count(line), 2 * min(wide, len(line) - wide))
    return total


REF = "\x00"  # stands for the row number in cached cell XML (xml_text removes \x00 from every text)
GROUPS = ((0, 1), (2, 3, 4))  # columns whose texts repeat together (a unit; an item): their XML is made
# once per distinct group. Their texts, the file's and short answers' are shared strings.
SHORT = 20  # an answer this short (推进中, a date, a figure) is likely to repeat: made once, shared
REMEMBERED = 10_000  # distinct short answers remembered (and shared) per column


class SharedStrings:
    """明细's repeated texts, put first in xl/sharedStrings.xml, before xlsxwriter's own strings: a cell
    then holds an index (<c t="s"><v>17</v>) instead of the text, which makes the sheet XML (and the
    time to write and compress it) smaller. They are counted from 0, so the rows can be made (in
    another process) before xlsxwriter's strings are known; xlsxwriter's cells are renumbered by
    ``len(items)`` when the package is put together (package.py)."""

    _OPEN = re.compile(r'<sst\b[^>]*?\bcount="(\d+)"[^>]*?\buniqueCount="(\d+)"[^>]*>')

    def __init__(self) -> None:
        self.items: list[str] = []  # <si> elements, escaped
        self.index: dict[str, int] = {}
        self.count = 0  # cells referring to them

    def add(self, escaped: str) -> int:
        """The index of the (escaped) text, added if new."""
        index = self.index.get(escaped)
        if index is None:
            index = self.index[escaped] = len(self.items)
            self.items.append(f'<si><t xml:space="preserve">{escaped}</t></si>')
        return index

    def merge(self, sst: str, uncounted: int = 0) -> str:
        """xlsxwriter's sst ``sst`` with these strings put before its own, counts fixed (``uncounted``:
        xlsxwriter's cells that no longer refer to it)."""
        match = self._OPEN.search(sst)
        if match is None:
            raise ValueError("xl/sharedStrings.xml has no <sst count uniqueCount> element")
        count, unique = int(match.group(1)) + self.count - uncounted, int(match.group(2)) + len(self.items)
        return (sst[:match.start(1)] + str(count) + sst[match.end(1):match.start(2)] + str(unique)
                + sst[match.end(2):match.end()] + "".join(self.items) + sst[match.end():])


def rows_xml(rows: Iterable[Sequence[Any]], first: int, styles: Sequence[int], number_style: int,
             widths: Sequence[float], shared: SharedStrings) -> Iterator[str]:
    """<row> elements for ``rows`` (detail_rows's, one value per column of ``styles``) from Excel row
    ``first`` (1-based), in chunks of 4,000 rows.

    The GROUPS columns, the file (the last column) and short answers are shared strings, long answers
    and 说明 inline strings. A row whose text wraps in a column of ``widths`` gets the height that
    shows it all (LibreOffice does not fit row heights on opening); a text sure to fit on one line
    (twice its length, the widest it can be, fits the column) is not measured."""
    columns = len(styles)
    last = columns - 1
    refs = [f'<c r="{chr(65 + c)}{REF}"' for c in range(columns)]
    empty = [f'{refs[c]} s="{s}"/>' for c, s in enumerate(styles)]
    # per column group or answer column: value(s) → (cell XML with REF, lines it wraps to, shared cells)
    groups: list[tuple[tuple[int, ...], dict[Any, tuple[str, int, int]]]] = [(g, {}) for g in (*GROUPS, (last,))]
    answers: list[dict[Any, tuple[str, int, int]]] = [{} for _ in range(columns)]
    heights: dict[int, str] = {}
    uses = 0  # shared-string cells

    def cell(c: int, value: Any, share: bool) -> tuple[str, int, int]:
        if isinstance(value, float):
            return f'{refs[c]} s="{number_style}"><v>{xml_number(value)}</v></c>', 1, 0
        if not value:
            return empty[c], 1, 0
        text = str(value)
        if len(text) > CELL_MAX // 2:
            text = fit_cell(text)
        lines = 1 if one_line(text, widths[c]) else wrapped_lines(text, widths[c])
        if share:
            return f'{refs[c]} s="{styles[c]}" t="s"><v>{shared.add(xml_text(text))}</v></c>', lines, 1
        return (f'{refs[c]} s="{styles[c]}" t="inlineStr"><is><t xml:space="preserve">{xml_text(text)}</t></is></c>',
                lines, 0)

    def group(g: tuple[int, ...], key: tuple[Any, ...]) -> tuple[str, int, int]:
        made = [cell(c, v, True) for c, v in zip(g, key, strict=True)]
        return "".join(x for x, _, _ in made), max(n for _, n, _ in made), sum(s for _, _, s in made)

    chunk: list[str] = []
    try:
        for r, values in enumerate(rows, start=first):
            parts = []
            lines = 1
            for g, cache in groups:
                key = tuple([values[c] for c in g])
                known = cache.get(key)
                if known is None:
                    known = cache[key] = group(g, key)
                parts.append(known[0])
                uses += known[2]
                if known[1] > lines:
                    lines = known[1]
            file = parts.pop()
            for c in range(ITEM_COLUMNS, last):
                value = values[c]
                if value == "":
                    parts.append(empty[c])
                    continue
                cache = answers[c]
                known = cache.get(value)
                if known is None:
                    # short answers are shared and remembered while there are few: past REMEMBERED distinct
                    # ones (dates, figures of a province) they are inline, so the sst stays small
                    short = c != NOTES and len(cache) < REMEMBERED and (isinstance(value, float) or len(value) <= SHORT)
                    known = cell(c, value, short)
                    if short:
                        cache[value] = known
                parts.append(known[0])
                uses += known[2]
                if known[1] > lines:
                    lines = known[1]
            parts.append(file)
            if lines > 1:
                head = heights.get(lines)
                if head is None:
                    head = heights[lines] = f'<row r="{REF}" ht="{lines_height(lines)}" customHeight="1">'
            else:
                head = f'<row r="{REF}">'
            chunk.append((head + "".join(parts) + "</row>").replace(REF, str(r)))
            if len(chunk) >= 4000:
                yield "".join(chunk)
                chunk = []
        if chunk:
            yield "".join(chunk)
    finally:
        shared.count += uses
