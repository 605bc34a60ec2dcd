"""The reader pool: a few worker processes (worker.py) reading returns, in the collecting process.

The parent hands out small batches and the worker answers file by file, so the parent always knows
which file a worker is on: when a worker dies or stops answering, that file is the culprit, the rest
of its batch goes back in the queue and a new worker takes over."""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from workplan_xl.errors import WorkplanError
from workplan_xl.isolated import main_hidden as _main_hidden
from workplan_xl.isolated import usable_cores
from workplan_xl.returns.precheck import LIMITS, Limits
from workplan_xl.returns.worker import _worker_main, display_name

MAX_WORKERS = 4  # more readers than this gain little: the collecting process records every result


def default_workers() -> int:
    """One reader per core this process may use, 1 to MAX_WORKERS: a 2-core office PC gets 2, an
    8-core one 4 (the collecting process and 明细's maker need cores too)."""
    return max(1, min(MAX_WORKERS, usable_cores()))


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

    workers: int = field(default_factory=default_workers)
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
