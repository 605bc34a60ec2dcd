"""The rows of 明细, streamed straight into the sheet XML after xlsxwriter has written the workbook.

明细 holds one row per unit × item × field: 200,000 rows for 2,000 schools and far more for a
province. Through xlsxwriter's cell API that costs about 7 µs a cell and is most of collect's time, so
xlsxwriter writes the sheet's top (title, header, widths, print setup, filter) and its styles, and the
rows are written here with those styles, in one pass, without holding them. The texts that repeat (unit,
item, field, file) become shared strings appended to xlsxwriter's sst, values and notes inline strings;
each distinct cell's XML is made once; a thread makes rows while the writer deflates the previous ones.
Text stays text: every text is a string cell (t="s" or <is><t>), never a formula (<f>) or a link."""

from __future__ import annotations

import math
import operator
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from workplan_xl.cjk import slim_count, wrapped_line_count
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


REF = "\x00"  # stands for the row number in cached cell XML
GROUPS = ((0, 1), (2, 3, 4, 5), (8,))  # columns whose texts repeat together (unit; item and field;
# file): their XML is made once per distinct group, their texts are shared strings


class SharedStrings:
    """明细's repeated texts, appended to xlsxwriter's xl/sharedStrings.xml after its ``base`` unique
    strings: a cell then holds an index (<c t="s"><v>17</v>) instead of the text, which makes the sheet
    XML (and the time to write and compress it) several times smaller."""

    _COUNTS = re.compile(r'(<sst\b[^>]*?\bcount=")(\d+)("[^>]*?\buniqueCount=")(\d+)"')

    def __init__(self, sst: str) -> None:
        match = self._COUNTS.search(sst)
        if match is None:
            raise ValueError("xl/sharedStrings.xml without count and uniqueCount")
        self.base = int(match.group(4))
        self.items: list[str] = []  # <si> elements, escaped
        self.index: dict[str, int] = {}
        self.count = 0  # cells referring to them

    def add(self, escaped: str) -> int:
        """The index of the (escaped) text, added if new."""
        index = self.index.get(escaped)
        if index is None:
            index = self.index[escaped] = self.base + len(self.items)
            self.items.append(f'<si><t xml:space="preserve">{escaped}</t></si>')
        return index

    def merge(self, sst: str) -> str:
        """The sst ``sst`` (the one given at the start) with these strings appended, counts fixed."""
        sst = self._COUNTS.sub(lambda m: f'{m.group(1)}{int(m.group(2)) + self.count}{m.group(3)}'
                               f'{int(m.group(4)) + len(self.items)}"', sst, count=1)
        body, end = sst.rsplit("</sst>", 1)
        return body + "".join(self.items) + "</sst>" + end


def rows_xml(rows: Iterable[Sequence[Any]], first: int, styles: Sequence[int], number_style: int,
             widths: Sequence[float] | None = None, shared: SharedStrings | None = None) -> Iterator[str]:
    """<row> elements for ``rows`` from Excel row ``first`` (1-based), in chunks of 4,000 rows.

    Texts of the GROUPS columns go to ``shared`` (inline strings without it); values and notes are
    inline strings. A row whose text wraps in a column of ``widths`` gets the height that shows it all
    (LibreOffice does not fit row heights on opening); a text sure to fit on one line (twice its
    length, the widest it can be, fits the column) is not measured."""
    columns = len(styles)
    widths = list(widths) if widths is not None else [255.0] * columns
    groups = [g for g in GROUPS if max(g) < columns]
    single = [c for c in range(columns) if not any(c in g for g in groups)]
    # A cell's XML is made once per distinct group (a unit's code and name; an item and its field; a
    # file) or value, with REF where its row number goes: _text removes \x00 from every text.
    refs = [f'<c r="{chr(65 + c)}{REF}"' for c in range(columns)]
    empty = [f'{refs[c]} s="{s}"/>' for c, s in enumerate(styles)]
    # (key of a row's values, made XML by key, columns, shared?) in column order; a one-column key is
    # the value itself. Short values and notes (statuses, figures) are remembered: they repeat.
    specs: list[tuple[Any, dict[Any, tuple[str, int, int]], tuple[int, ...], bool]] = sorted(
        [(operator.itemgetter(*g), {}, g, True) for g in groups]
        + [(operator.itemgetter(c), {}, (c,), False) for c in single], key=lambda spec: spec[2][0])
    heights: dict[int, str] = {}
    uses = 0  # shared-string cells

    def cell(c: int, value: Any, share: bool) -> tuple[str, int]:
        """The cell's XML after its reference, and the lines it wraps to."""
        if isinstance(value, float):
            return f'{refs[c]} s="{number_style}"><v>{_number(value)}</v></c>', 1
        if not value:
            return empty[c], 1
        text = str(value)
        if len(text) > CELL_MAX // 2:
            text = fit_cell(text)
        lines = 1 if one_line(text, widths[c]) else wrapped_lines(text, widths[c])
        if share and shared is not None:
            return f'{refs[c]} s="{styles[c]}" t="s"><v>{shared.add(_text(text))}</v></c>', lines
        return f'{refs[c]} s="{styles[c]}" t="inlineStr"><is><t xml:space="preserve">{_text(text)}</t></is></c>', lines

    def group(g: Sequence[int], key: Any, share: bool) -> tuple[str, int, int]:
        key = key if len(g) > 1 else (key,)
        made = [cell(c, v, share) for c, v in zip(g, key, strict=True)]
        shares = sum(1 for v in key if v and not isinstance(v, float)) if share and shared is not None else 0
        return "".join(x for x, _ in made), max(n for _, n in made), shares

    chunk: list[str] = []
    try:
        for r, values in enumerate(rows, start=first):
            if len(values) != columns:  # a short row: its own cells only, none shared
                made = [cell(c, v, False) for c, v in enumerate(values)]
                lines = max((n for _, n in made), default=1)
                head = f'<row r="{r}" ht="{lines_height(lines)}" customHeight="1">' if lines > 1 else f'<row r="{r}">'
                chunk.append(head + "".join(x for x, _ in made).replace(REF, str(r)) + "</row>")
                continue
            parts = []
            lines = 1
            for key, cache, g, share in specs:
                k = key(values)
                known = cache.get(k)
                if known is None:
                    known = group(g, k, share)
                    if share or (len(cache) < 10_000 and (isinstance(k, float) or len(k) <= 20)):
                        cache[k] = known
                parts.append(known[0])
                uses += known[2]
                if known[1] > lines:
                    lines = known[1]
            if lines > 1:
                head = heights.get(lines)
                if head is None:
                    head = heights[lines] = f'<row r="{REF}" ht="{lines_height(lines)}" customHeight="1">'
            else:
                head = f'<row r="{REF}">'
            chunk.append((head + "".join(parts) + "</row>").replace(REF, str(r)))
            if len(chunk) >= 4000:  # big chunks: few hand-overs to the compressing thread
                yield "".join(chunk)
                chunk = []
        if chunk:
            yield "".join(chunk)
    finally:
        if shared is not None:
            shared.count += uses


def stream_into(path: Path, target: Path, make: Callable[[], tuple[dict[str, tuple[Iterator[str], str]],
                                                                  SharedStrings | None]]) -> None:
    """Copy the workbook ``path`` to ``target``, inserting rows into some worksheets.

    ``make()`` gives the sheets — a worksheet part (xl/worksheets/sheet4.xml) → (row XML chunks, the
    full dimension ref) — and the SharedStrings the rows add to (appended to xl/sharedStrings.xml once
    all rows are written). Other parts are copied unchanged, with their original dates (no timestamps).

    A streamed part is written without ZIP64 extras: Excel and xlsxwriter never write a ZIP64 local
    header on a small part, and some Excel builds reject it. A part that would pass zipfile's limit
    (2 GiB) is written again from ``make()`` with ZIP64, the only case that needs it."""
    try:
        _stream_into(path, target, *make(), zip64=False)
    except _NeedsZip64:
        _stream_into(path, target, *make(), zip64=True)


class _NeedsZip64(Exception):
    """A streamed part outgrew what a zip entry without ZIP64 extras can hold."""


def _stream_into(path: Path, target: Path, sheets: dict[str, tuple[Iterator[str], str]],
                 shared: SharedStrings | None, zip64: bool) -> None:
    waiting = set(sheets)
    deferred: list[tuple[zipfile.ZipInfo, bytes]] = []
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            data = source.read(info)
            if shared is not None and info.filename == SST:
                if waiting:  # xlsxwriter puts it after the worksheets; if not, it waits for them
                    deferred.append((info, data))
                else:
                    out.writestr(info, shared.merge(data.decode("utf-8")).encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
                continue
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
            with out.open(member, "w", force_zip64=zip64) as stream:
                top, bottom = head.encode("utf-8"), ("</sheetData>" + tail).encode("utf-8")
                stream.write(top)
                written = len(top) + len(bottom)
                for chunk in _ahead(chunks):
                    written += len(chunk)
                    if not zip64 and written > ZIP64_LIMIT:
                        raise _NeedsZip64  # before zipfile refuses to close the entry
                    stream.write(chunk)
                stream.write(bottom)
            waiting.discard(info.filename)
        for info, data in deferred:
            out.writestr(info, shared.merge(data.decode("utf-8")).encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)


ZIP64_LIMIT = zipfile.ZIP64_LIMIT - (1 << 20)  # a margin for the deflated size of incompressible text
SST = "xl/sharedStrings.xml"


def _ahead(chunks: Iterator[str]) -> Iterator[bytes]:
    """``chunks`` encoded, made in a thread while the caller compresses the previous ones: zlib and
    crc32 release the GIL, so building rows and deflating them overlap."""
    made: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=1)  # a chunk is ~2 MB
    stop = threading.Event()

    def make() -> None:
        try:
            for chunk in chunks:
                if stop.is_set():
                    return
                made.put(chunk.encode("utf-8"))
        except BaseException as error:  # handed to the caller's thread, raised there
            made.put(error)
            return
        made.put(None)

    thread = threading.Thread(target=make, name="明细", daemon=True)
    thread.start()
    try:
        while (item := made.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a maker waiting on a full queue (the writer failed)
            try:
                made.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()
