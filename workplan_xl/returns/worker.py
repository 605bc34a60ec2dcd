"""Reading returns in worker processes: a reader that crashes, hangs or eats memory costs one file.

Each worker is a fresh interpreter ("spawn"; no state inherited from the collecting process) with an
address-space limit. The parent hands out small batches and the worker answers file by file, so the
parent always knows which file a worker is on: when a worker dies or stops answering, that file is
the culprit, the rest of its batch goes back in the queue and a new worker takes over. Results are
plain data (lists of str/float/int/bool), never reader objects."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from workplan_xl.returns.precheck import LIMITS, Limits, Refused, check_size, check_zip
from workplan_xl.returns.sniff import sniff

MAX_SHEETS = 20
MAX_ROWS = 5000
MAX_COLUMNS = 64


def inspect_file(path: str, limits: Limits = LIMITS) -> dict[str, Any]:
    """Sniff, pre-check and read one file. Runs inside a worker; never raises."""
    try:
        file = Path(path)
        check_size(file.stat().st_size, limits)
        with open(file, "rb") as handle:
            head = handle.read(8192)
        sniffed = sniff(file, head)
        if sniffed.kind in ("empty", "encrypted", "truncated"):
            raise Refused(sniffed.kind)
        if sniffed.kind == "other":
            raise Refused("not_spreadsheet", sniffed.what)
        if sniffed.kind != "xls":
            check_zip(file, limits)
        return {"status": "read", "kind": sniffed.kind, "sheets": _read_sheets(file, limits)}
    except Refused as refused:
        return {"status": "refused", "code": refused.code, "detail": refused.detail}
    except MemoryError:
        return {"status": "refused", "code": "memory", "detail": ""}
    except OSError as error:
        return {"status": "refused", "code": "unreadable", "detail": _reader_message(error)}
    except Exception as error:  # noqa: BLE001 - whatever goes wrong costs this file only
        return {"status": "refused", "code": "read_error", "detail": _reader_message(error)}


def _read_sheets(file: Path, limits: Limits) -> list[dict[str, Any]]:
    import python_calamine

    try:
        try:
            str(file).encode("utf-8")
            workbook = python_calamine.CalamineWorkbook.from_path(str(file))
        except UnicodeEncodeError:  # a file name with undecodable bytes: hand over the bytes instead
            with open(file, "rb") as handle:
                workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
    except python_calamine.PasswordError:
        raise Refused("encrypted") from None
    except Exception as error:  # noqa: BLE001 - any reader error is this file's problem only
        raise Refused("read_error", _reader_message(error)) from None
    sheets = []
    try:
        for meta in workbook.sheets_metadata[:MAX_SHEETS]:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            entry: dict[str, Any] = {"name": meta.name, "visible": str(meta.visible).rsplit(".", 1)[-1].lower(),
                                     "rows": [], "merged": [], "truncated": False}
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                if sheet.height * sheet.width > limits.max_cells:
                    raise Refused("extent", f"{meta.name}: {sheet.height} 行 × {sheet.width} 列")
                rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)
                entry["truncated"] = len(rows) > MAX_ROWS or sheet.width > MAX_COLUMNS
                entry["rows"] = _plain_rows(rows[:MAX_ROWS])
                entry["merged"] = [[r0, c0, r1, c1] for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            except Refused:
                raise
            except Exception as error:  # noqa: BLE001
                entry["error"] = _reader_message(error)
            sheets.append(entry)
    except python_calamine.PasswordError:
        raise Refused("encrypted") from None
    finally:
        workbook.close()
    return sheets


def _plain_rows(rows: list[list[Any]]) -> list[list[Any]]:
    out = []
    for row in rows:
        cells = [_plain(v) for v in row[:MAX_COLUMNS]]
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
    result = inspect_file(path, limits)
    if plan is None:
        return result
    from workplan_xl.returns.interpret import interpret

    index, round = plan
    try:
        return interpret(result, index, round, display_name(Path(path)))
    except Exception as error:  # noqa: BLE001 - a bug met on a strange file costs that file only
        broken = {"status": "refused", "code": "read_error", "detail": _reader_message(error)}
        return interpret(broken, index, round, display_name(Path(path)))


def _worker_main(conn: Connection, memory: int, limits: Limits, plan: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # A reader that aborts prints a Rust backtrace; keep it off the user's terminal.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    if memory and sys.platform.startswith("linux"):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    import python_calamine  # noqa: F401 - loaded before "ready", so a broken install is not blamed on a file

    conn.send("ready")
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for index, path in batch:
            conn.send((index, _answer(path, limits, plan)))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    outstanding: deque[tuple[int, str]] = field(default_factory=deque)
    since: float = 0.0
    ready: bool = False


class WorkerStartError(RuntimeError):
    """A reader process could not even start: a problem of this installation, not of a return."""


@dataclass
class ReaderPool:
    """A few worker processes reading returns; ``read`` yields (index, result) as files finish.

    With ``plan`` (a PlanIndex and the round) the workers also interpret what they read and the
    results are Readings; without, they are the plain data of inspect_file."""

    workers: int = 2
    timeout: float = 20.0  # seconds per file
    memory: int = 1024 * 1024 * 1024  # address space per worker (Linux)
    batch: int = 16
    limits: Limits = LIMITS
    started: int = 0  # workers started, restarts included (for tests and benchmarks)

    def read(self, paths: Sequence[Path], plan: Any = None) -> Iterator[tuple[int, Any]]:
        pending: deque[tuple[int, str]] = deque((i, str(p)) for i, p in enumerate(paths))
        pool: list[_Worker] = []
        context = multiprocessing.get_context("spawn")
        try:
            while pending or any(w.outstanding for w in pool):
                while len(pool) < min(self.workers, len(pending) + len(pool)) and pending:
                    pool.append(self._start(context, plan))
                for worker in pool:
                    # A second batch goes out before the first is done, so a worker never waits for
                    # this process (which keeps the ledger between results).
                    if pending and len(worker.outstanding) < self.batch:
                        size = max(1, min(self.batch, len(pending) // (2 * len(pool)) or 1))
                        batch = [pending.popleft() for _ in range(min(size, len(pending)))]
                        if not worker.outstanding:
                            worker.since = time.monotonic()
                        worker.outstanding.extend(batch)
                        worker.conn.send(batch)
                busy = [w for w in pool if w.outstanding]
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=1.0))
                for worker in busy:
                    results, failed = self._collect(worker, ready)
                    yield from results
                    if failed:
                        yield from self._fail(worker, failed, pending, plan)
                        pool[pool.index(worker)] = self._start(context, plan)
        finally:
            for worker in pool:
                self._stop(worker)

    def _collect(self, worker: _Worker, ready: set[Any]) -> tuple[list[tuple[int, Any]], str]:
        results = []
        try:
            while worker.outstanding and worker.conn.poll():
                message = worker.conn.recv()
                if message == "ready":
                    worker.ready = True
                    continue
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
            raise WorkerStartError(f"reader process exited with code {worker.process.exitcode} before it was ready")
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

    def _start(self, context: Any, plan: Any) -> _Worker:
        parent, child = context.Pipe()
        process = context.Process(target=_worker_main, args=(child, self.memory, self.limits, plan), daemon=True)
        # "spawn" re-runs the parent's main script in the child; a script read from stdin has no file
        # to re-run, so the child would die at start. It needs nothing from the main script anyway.
        main = sys.modules.get("__main__")
        script = getattr(main, "__file__", None)
        hide = script is not None and getattr(main, "__spec__", None) is None and not os.path.isfile(script)
        if hide:
            del main.__file__  # type: ignore[union-attr]
        try:
            process.start()
        finally:
            if hide:
                main.__file__ = script  # type: ignore[union-attr]
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
