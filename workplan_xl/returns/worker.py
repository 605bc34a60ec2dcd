"""Reading returns in worker processes: a reader that crashes, hangs or eats memory costs one file.

Each worker is a fresh interpreter ("spawn"; no state inherited from the collecting process) with an
address-space limit. The parent hands out small batches and the worker answers file by file, so the
parent always knows which file a worker is on: when a worker dies or stops answering, that file is
the culprit, the rest of its batch goes back in the queue and a new worker takes over. Results are
plain data (lists of str/float/int/bool), never reader objects."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from workplan_xl.errors import WorkplanError
from workplan_xl.isolated import main_hidden as _main_hidden
from workplan_xl.returns.markup_sheets import MARKUP_KINDS, read_markup_sheets
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


def inspect_bytes(data: bytes, limits: Limits = LIMITS, lazy: bool = False) -> dict[str, Any]:
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
            if sniffed.what in MARKUP_KINDS:  # 2003 XML, .fods, a web page: read by our own readers
                return {"status": "read", "kind": MARKUP_KINDS[sniffed.what], "sheets": read_markup_sheets(
                    data, sniffed.what, limits, MAX_SHEETS, MAX_ROWS, MAX_COLUMNS)}
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
    return inspect_bytes(data, limits, lazy), hashlib.sha256(data).hexdigest()


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


# -- the pool --------------------------------------------------------------------------------------
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


@dataclass
class _Worker:
    process: Any
    conn: Connection
    outstanding: deque[tuple[int, str]] = field(default_factory=deque)
    since: float = 0.0
    ready: bool = False
    plan: object = None  # the read() call whose plan this worker holds


class WorkerStartError(WorkplanError, RuntimeError):
    """A reader process could not even start: a problem of this installation, not of a return."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"读取回表的子进程无法启动（{detail}）：wpx 或 python-calamine 的安装可能不完整，"
                         "请重新安装（pip install --force-reinstall workplan-xl）后再运行 wpx collect。")


@dataclass
class ReaderPool:
    """A few worker processes reading returns; ``read`` yields (index, result) as files finish.

    With ``plan`` (a PlanIndex and the round) the workers also interpret what they read and the
    results are Readings; without, they are the plain data of inspect_file. ``start()`` beforehand
    lets the workers load while the caller does other work; ``read`` stops them when it is done."""

    workers: int = 2
    timeout: float = 20.0  # seconds per file
    memory: int = 1024 * 1024 * 1024  # address space per worker (Linux)
    batch: int = 32  # files a worker has queued: enough to keep it busy while this process records results
    limits: Limits = LIMITS
    started: int = 0  # workers started, restarts included (for tests and benchmarks)
    _pool: list[_Worker] = field(default_factory=list, init=False, repr=False)

    def start(self) -> ReaderPool:
        context = multiprocessing.get_context("spawn")
        while len(self._pool) < self.workers:
            self._pool.append(self._start(context))
        return self

    def close(self) -> None:
        for worker in self._pool:
            self._stop(worker)
        self._pool.clear()

    def read(self, paths: Sequence[Path], plan: Any = None) -> Iterator[tuple[int, Any]]:
        pending: deque[tuple[int, str]] = deque((i, str(p)) for i, p in enumerate(paths))
        pool = self._pool
        token = object()  # this call's plan, sent to each worker once
        context = multiprocessing.get_context("spawn")
        try:
            while pending or any(w.outstanding for w in pool):
                while len(pool) < min(self.workers, len(pending) + len(pool)) and pending:
                    pool.append(self._start(context))
                for worker in pool:
                    # A second batch goes out before the first is done, so a worker never waits for
                    # this process (which keeps the ledger between results).
                    if pending and len(worker.outstanding) < self.batch:
                        size = max(1, min(self.batch, len(pending) // (2 * len(pool)) or 1))
                        batch = [pending.popleft() for _ in range(min(size, len(pending)))]
                        if not worker.outstanding:
                            worker.since = time.monotonic()
                        worker.outstanding.extend(batch)
                        self._send(worker, batch, plan, token)
                busy = [w for w in pool if w.outstanding]
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=1.0))
                for worker in busy:
                    results, failed = self._collect(worker, ready)
                    yield from results
                    if failed:
                        yield from self._fail(worker, failed, pending, plan)
                        pool[pool.index(worker)] = self._start(context)
        finally:
            self.close()

    @staticmethod
    def _send(worker: _Worker, batch: list[tuple[int, str]], plan: Any, token: object) -> None:
        try:
            if worker.plan is not token:
                worker.conn.send(("plan", plan))
                worker.plan = token
            worker.conn.send(batch)
        except OSError:
            pass  # the worker is gone: _collect finds out and the batch goes to another one

    def _collect(self, worker: _Worker, ready: set[Any]) -> tuple[list[tuple[int, Any]], str]:
        results = []
        try:
            while worker.outstanding and worker.conn.poll():
                message = worker.conn.recv()
                if message == "ready":
                    worker.ready = True
                    continue
                if isinstance(message, tuple) and message[0] == "broken":
                    raise WorkerStartError(message[1])
                index, result = message
                worker.outstanding.popleft()
                worker.since = time.monotonic()
                results.append((index, result))
        except (EOFError, OSError):
            return results, self._crashed(worker)
        if worker.outstanding:
            if worker.process.sentinel in ready or not worker.process.is_alive():
                return results, self._crashed(worker)
            if time.monotonic() - worker.since > self.timeout:
                return results, "timeout"
        return results, ""

    @staticmethod
    def _crashed(worker: _Worker) -> str:
        if not worker.ready:
            worker.process.join(timeout=1)
            raise WorkerStartError(f"进程退出码 {worker.process.exitcode}")
        return "crash"

    def _fail(self, worker: _Worker, code: str, pending: deque[tuple[int, str]], plan: Any
              ) -> Iterator[tuple[int, Any]]:
        if code == "crash":
            worker.process.join(timeout=1)  # reap it, so the exit code (e.g. -6, an abort) is known
        exitcode = worker.process.exitcode
        self._stop(worker, kill=True)
        index, path = worker.outstanding.popleft()
        detail = f"{self.timeout:g}" if code == "timeout" else str(exitcode)
        pending.extendleft(reversed(worker.outstanding))
        worker.outstanding.clear()
        result: Any = {"status": "refused", "code": code, "detail": detail}
        if plan is not None:
            from workplan_xl.returns.interpret import interpret

            result = interpret(result, plan[0], plan[1], display_name(Path(path)))
        yield index, result

    def _start(self, context: Any) -> _Worker:
        parent, child = context.Pipe()
        process = context.Process(target=_worker_main, args=(child, self.memory, self.limits), daemon=True)
        try:
            with _main_hidden():
                process.start()
        except OSError as error:  # no process can be started at all (limits of this machine)
            parent.close()
            raise WorkerStartError(f"{type(error).__name__}: {error}") from None
        finally:
            child.close()
        self.started += 1
        return _Worker(process, parent)

    @staticmethod
    def _stop(worker: _Worker, kill: bool = False) -> None:
        if kill or not worker.process.is_alive():
            worker.process.kill()
        else:
            try:
                worker.conn.send(None)
            except OSError:
                worker.process.kill()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
