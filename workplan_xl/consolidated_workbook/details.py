"""The rows of 明细, streamed straight into the sheet XML after xlsxwriter has written the workbook.

明细 holds one row per unit × item × field: 200,000 rows for 2,000 schools and far more for a
province. Through xlsxwriter's cell API that costs about 7 µs a cell and is most of collect's time, so
xlsxwriter writes the sheet's top (title, header, widths, print setup, filter) and its styles, and the
rows are written here as inline-string cells with those styles, in one pass, without holding them.
Text stays text: every value is an inline string (<is><t>), never a formula (<f>) or a link."""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from workplan_xl.consolidated_workbook.layout import CELL_MAX, fit_cell, lines_height, one_line
from workplan_xl.form_layout import FIELD_LABELS
from workplan_xl.progress import Entry, Progress
from workplan_xl.returns.interpret import task_numbers

MAX_ROWS = 1_048_576 - 3  # Excel's last row, less the title, note and header rows
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")  # Excel would decode these; keep them literal


def detail_rows(progress: Progress, entries: Iterable[Entry]) -> Iterator[list[Any]]:
    """明细's rows in the order of ``entries``: 单位代码 … 来源文件; 填报值 of indicators as numbers."""
    plan = progress.plan
    numbers = task_numbers(plan)
    tasks = {t.id: t.title or t.text[:60] for t in plan.tasks()}
    indicators = {i.id: i.metric or i.text for i in plan.indicators()}
    units = {u.unit.code: (u.unit.name, u.file) for u in progress.units}
    for e in entries:
        name, file = units.get(e.unit_code, ("", ""))
        if e.item_id in indicators:
            kind, number, item = "指标", e.item_id, indicators[e.item_id]
        else:
            kind, number, item = "任务", numbers.get(e.item_id, e.item_id), tasks.get(e.item_id, "（台账中已没有此任务）")
        value: Any = e.value
        if e.field == "value":
            try:
                number_value = float(e.value)
            except ValueError:
                pass
            else:  # "nan", "inf" or "1e999" stay text: <v>nan</v> is not a number Excel reads
                value = number_value if math.isfinite(number_value) else e.value
        yield [e.unit_code, name, kind, number, item, FIELD_LABELS.get(e.field, e.field), value, e.note, file]


def _text(value: str) -> str:
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    if "_x" in value:
        value = _ESCAPE_LIKE.sub(r"_x005F\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` wide: xlsx_style.wrapped_height's count, with the
    display width taken from the UTF-8 length (a CJK character is 3 bytes and 2 columns). That is
    cjk.display_width for Chinese and ASCII text and a little more (never less) for other scripts and
    for “” …, and costs a tenth of it: 明细 can have a long text in every row."""
    count = 0
    for line in text.split("\n"):
        shown = len(line) + (len(line.encode("utf-8")) - len(line)) / 2
        count += 1 if shown + 2 <= width else math.ceil(shown * 1.05 / max(width - 1, 1.0))
    return count


REPEATED = (0, 1, 2, 3, 4, 5, 8)  # columns whose texts repeat (unit, item, field, file): escaped once


def rows_xml(rows: Iterable[Sequence[Any]], first: int, styles: Sequence[int], number_style: int,
             widths: Sequence[float] | None = None) -> Iterator[str]:
    """<row> elements for ``rows`` from Excel row ``first`` (1-based), in chunks of about 1,000 rows.

    A row whose text wraps in a column of ``widths`` gets the height that shows it all (LibreOffice
    does not fit row heights on opening); a text sure to fit on one line (twice its length, the
    widest it can be, fits the column) is not measured."""
    letters = [chr(65 + c) for c in range(len(styles))]
    widths = list(widths) if widths is not None else [255.0] * len(styles)
    empty = [f' s="{s}"/>' for s in styles]
    cached: list[dict[str, str] | None] = [{} if c in REPEATED else None for c in range(len(styles))]
    tall: dict[tuple[int, str], int] = {}  # repeated texts that wrap, and their lines (few: most fit)

    def tail(c: int, text: str) -> tuple[str, int]:
        """The cell's XML after its reference, and the lines it wraps to."""
        if len(text) > CELL_MAX // 2:
            text = fit_cell(text)
        xml = f' s="{styles[c]}" t="inlineStr"><is><t xml:space="preserve">{_text(text)}</t></is></c>'
        return xml, 1 if one_line(text, widths[c]) else wrapped_lines(text, widths[c])

    chunk: list[str] = []
    for r, values in enumerate(rows, start=first):
        cells = []
        lines = 1
        for c, value in enumerate(values):
            if isinstance(value, float):
                cells.append(f'<c r="{letters[c]}{r}" s="{number_style}"><v>{_number(value)}</v></c>')
                continue
            if not value:
                end = empty[c]
            elif (cache := cached[c]) is not None:
                end = cache.get(value)
                if end is None:
                    end, n = tail(c, str(value))
                    cache[value] = end
                    if n > 1:
                        tall[c, value] = n
                if tall and (n := tall.get((c, value), 1)) > lines:
                    lines = n
            else:
                end, n = tail(c, str(value))
                if n > lines:
                    lines = n
            cells.append(f'<c r="{letters[c]}{r}"{end}')
        chunk.append((f'<row r="{r}" ht="{lines_height(lines)}" customHeight="1">' if lines > 1 else f'<row r="{r}">')
                     + "".join(cells) + "</row>")
        if len(chunk) >= 1000:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def stream_into(path: Path, target: Path, sheets: dict[str, tuple[Iterator[str], str]]) -> None:
    """Copy the workbook ``path`` to ``target``, inserting rows into some worksheets.

    ``sheets`` maps a worksheet part (xl/worksheets/sheet4.xml) to (row XML chunks, the full
    dimension ref). Other parts are copied unchanged, with their original dates (no timestamps)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename not in sheets:
                out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            chunks, ref = sheets[info.filename]
            xml = data.decode("utf-8")
            xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', xml, count=1)
            head, tail = xml.split("</sheetData>", 1)
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            with out.open(member, "w", force_zip64=True) as stream:
                stream.write(head.encode("utf-8"))
                for chunk in chunks:
                    stream.write(chunk.encode("utf-8"))
                stream.write(("</sheetData>" + tail).encode("utf-8"))
