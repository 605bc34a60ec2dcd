"""Reading one return, inside a worker process: a reader that crashes, hangs or eats memory costs one file.

Each worker is a fresh interpreter ("spawn"; no state inherited from the collecting process) with an
address-space limit, started and fed by pool.ReaderPool. A file is read once: its bytes are hashed,
sniffed, pre-checked and handed to the reader from memory. Results are plain data (lists of
str/float/int/bool) or packed Readings, never reader objects."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import sys
from itertools import chain
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from workplan_xl.returns.markup_sheets import CSV_TEXT, MARKUP_KINDS, is_text_table, read_markup_sheets
from workplan_xl.returns.precheck import (
    LIMITS,
    NATIVE_ERRORS,
    Limits,
    Refused,
    check_archive,
    check_size,
    check_xls,
)
from workplan_xl.returns.sniff import ZIP_MAGIC, is_spreadsheet_kind, open_zip, sniff

MAX_SHEETS = 20
MAX_ROWS = 5000
MAX_COLUMNS = 64


def inspect_file(path: str, limits: Limits = LIMITS) -> dict[str, Any]:
    """Sniff, pre-check and read one file. Runs inside a worker; never raises."""
    return _inspect(Path(path), limits)[0]


def inspect_bytes(data: bytes, limits: Limits = LIMITS, lazy: bool = False, name: str = "") -> dict[str, Any]:
    """inspect_file on a file's bytes, read once: the zip directory is opened once for sniffing and
    the pre-checks, and the reader gets the same bytes.

    ``lazy`` (for interpret in the same process): a workbook's worksheets are read when first looked
    at (a sheet's "rows", "merged" or "truncated"), so the sheets no table is looked for in (填报说明)
    cost nothing; reading one then may raise Refused, and the result's "close" ends the reading."""
    try:
        check_size(len(data), limits)
        archive = open_zip(data) if data.startswith(ZIP_MAGIC) else None
        sniffed = sniff(data, archive)
        if sniffed.kind in ("empty", "encrypted", "truncated"):
            raise Refused(sniffed.kind)
        if sniffed.kind == "other":
            what = sniffed.what
            if what == "文本" and is_text_table(data, name):
                what = CSV_TEXT  # text is a table when named as one or laid out as a form (a note stays a note)
            if what in MARKUP_KINDS:  # 2003 XML, .fods, a web page, CSV: read by our own readers
                return {"status": "read", "kind": MARKUP_KINDS[what], "sheets": read_markup_sheets(
                    data, what, limits, MAX_SHEETS, MAX_ROWS, MAX_COLUMNS)}
            raise Refused("convert" if is_spreadsheet_kind(sniffed.what) else "not_spreadsheet", sniffed.what)
        if archive is not None:
            check_archive(archive, data, limits)
        elif sniffed.kind == "xls":
            check_xls(data, limits)
        if lazy:
            return _open_sheets(data, limits, sniffed.kind)
        return {"status": "read", "kind": sniffed.kind, "sheets": _read_sheets(data, limits)}
    except Refused as refused:
        return {"status": "refused", "code": refused.code, "detail": refused.detail}
    except MemoryError:
        return {"status": "refused", "code": "memory", "detail": ""}
    except NATIVE_ERRORS as error:  # whatever goes wrong costs this file only, a Rust panic too
        return {"status": "refused", "code": "read_error", "detail": _reader_message(error)}


def _inspect(file: Path, limits: Limits, lazy: bool = False) -> tuple[dict[str, Any], str]:
    """(inspect_file's result, sha256 of the bytes read or "" when none were)."""
    try:
        size = file.stat().st_size
        check_size(size, limits)
        with open(file, "rb") as handle:
            # One byte more than stat said tells whether the file has grown since (a buffer of the
            # size limit each time would cost more than reading a small return).
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(limits.max_file_bytes + 1 - len(data))
    except Refused as refused:
        return {"status": "refused", "code": refused.code, "detail": refused.detail}, ""
    except MemoryError:
        return {"status": "refused", "code": "memory", "detail": ""}, ""
    except OSError as error:
        return {"status": "refused", "code": "unreadable", "detail": _reader_message(error)}, ""
    return inspect_bytes(data, limits, lazy, file.name), hashlib.sha256(data).hexdigest()


def _read_sheets(data: bytes, limits: Limits) -> list[dict[str, Any]]:
    workbook = _open_workbook(data)
    try:
        sheets = [_fill(workbook, entry, limits) for entry in _worksheets(workbook)]
    finally:
        workbook.close()
    return sheets


def _open_workbook(data: bytes) -> Any:
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise Refused("encrypted") from None
    except NATIVE_ERRORS as error:  # any reader error (a panic too) is this file's problem only
        raise Refused("read_error", _reader_message(error)) from None


def _worksheets(workbook: Any) -> list[dict[str, Any]]:
    """An entry (name, visibility) per worksheet, up to MAX_SHEETS sheets of any type."""
    import python_calamine

    try:
        return [{"name": meta.name, "visible": str(meta.visible).rsplit(".", 1)[-1].lower()}
                for meta in workbook.sheets_metadata[:MAX_SHEETS] if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
    except python_calamine.PasswordError:
        raise Refused("encrypted") from None


def _fill(workbook: Any, entry: dict[str, Any], limits: Limits) -> dict[str, Any]:
    """Read one worksheet into its entry: rows, merged ranges, truncated (or its error); raises
    Refused for a sheet beyond the cell limit or behind a password (the whole file is refused)."""
    import python_calamine

    name = entry["name"]
    entry.update(rows=[], merged=[], truncated=False)
    try:
        sheet = workbook.get_sheet_by_name(name)
        if sheet.height * sheet.width > limits.max_cells:
            raise Refused("extent", f"{name}: {sheet.height} 行 × {sheet.width} 列")
        rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)
        entry["truncated"] = len(rows) > MAX_ROWS or sheet.width > MAX_COLUMNS
        entry["rows"] = _plain_rows(rows[:MAX_ROWS])
        entry["merged"] = [[r0, c0, r1, c1] for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
    except Refused:
        raise
    except python_calamine.PasswordError:
        raise Refused("encrypted") from None
    except NATIVE_ERRORS as error:
        entry["error"] = _reader_message(error)
    return entry


class _LazySheet(dict):  # type: ignore[type-arg] - a worksheet entry, as _fill makes them
    """A worksheet entry whose rows are read on first look (name and visibility are there already)."""

    def __init__(self, entry: dict[str, Any], workbook: Any, limits: Limits) -> None:
        super().__init__(entry)
        self._source: tuple[Any, Limits] | None = (workbook, limits)

    def __missing__(self, key: str) -> Any:
        if self._source is None:
            raise KeyError(key)
        (workbook, limits), self._source = self._source, None
        _fill(workbook, self, limits)
        return self[key]

    def get(self, key: str, default: Any = None) -> Any:  # dict.get never calls __missing__
        try:
            return self[key]
        except KeyError:
            return default


def _open_sheets(data: bytes, limits: Limits, kind: str) -> dict[str, Any]:
    workbook = _open_workbook(data)
    try:
        sheets = [_LazySheet(entry, workbook, limits) for entry in _worksheets(workbook)]
    except BaseException:
        workbook.close()
        raise
    return {"status": "read", "kind": kind, "sheets": sheets, "close": workbook.close}


_PLAIN = frozenset((str, float, int, bool))


def _plain_rows(rows: list[list[Any]]) -> list[list[Any]]:
    out = []
    plain = _PLAIN.issuperset
    # One pass in C over the whole sheet: most sheets hold no date, time or empty cell at all.
    mixed = not plain(map(type, chain.from_iterable(rows)))
    for row in rows:  # the reader's own lists, not shared with anything
        cells = row if len(row) <= MAX_COLUMNS else row[:MAX_COLUMNS]
        if mixed and not plain(map(type, cells)):  # a date, a time or an empty cell: converted one by one
            cells = [v if type(v) in _PLAIN else _plain(v) for v in cells]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return "" if value is None else value
    if hasattr(value, "isoformat"):  # date, datetime, time
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


def _reader_message(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:200]


# -- a worker process (started by pool.ReaderPool) ---------------------------------------------------
def display_name(path: Path) -> str:
    """A file's name as people see it (undecodable bytes shown as �)."""
    return os.fsencode(path.name).decode("utf-8", "replace")


def _answer(path: str, limits: Limits, plan: Any) -> Any:
    file = Path(path)
    if plan is None:
        return _inspect(file, limits)[0]
    from workplan_xl.returns.interpret import interpret

    result, sha256 = _inspect(file, limits, lazy=True)
    index, round = plan
    try:
        reading = interpret(result, index, round, display_name(file))
    except Refused as refused:  # a worksheet read only now is beyond the limits or locked
        reading = interpret({"status": "refused", "code": refused.code, "detail": refused.detail}, index, round,
                            display_name(file))
    except MemoryError:
        reading = interpret({"status": "refused", "code": "memory", "detail": ""}, index, round, display_name(file))
    except NATIVE_ERRORS as error:  # a bug met on a strange file costs that file only
        broken = {"status": "refused", "code": "read_error", "detail": _reader_message(error)}
        reading = interpret(broken, index, round, display_name(file))
    finally:
        if "close" in result:
            result["close"]()
    reading.sha256 = sha256
    return reading


def _worker_main(conn: Connection, memory: int, limits: Limits) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # A reader that aborts prints a Rust backtrace; keep it off the user's terminal.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    if memory and sys.platform.startswith("linux"):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:  # loaded before "ready", so a broken install is not blamed on a file
        import python_calamine  # noqa: F401
    except Exception as error:  # noqa: BLE001 - reported to the parent as an installation problem
        conn.send(("broken", _reader_message(error)))
        return
    conn.send("ready")
    plan: Any = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if isinstance(message, tuple):  # ("plan", (PlanIndex, round) or None): for the batches that follow
            plan = message[1]
            continue
        for index, path in message:
            answer = _answer(path, limits, plan)
            conn.send((index, answer.pack() if plan is not None else answer))
