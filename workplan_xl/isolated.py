"""One call in a fresh process with a memory (address-space) and time limit: for readers given a file
from outside (a roster, a spreadsheet plan, a 台账), which may abort the process (a Rust panic is a
BaseException; a hard abort on a sheet that claims a billion cells), allocate whatever a file declares,
or never return. The caller gets the result, a WorkplanError the call raised (its sentence), or Limited
saying how the call ended; start_limited lets the caller work meanwhile (汇总.xlsx's 明细 is made so
while the figures are computed). This is the one such mechanism; the returns' reader pool
(returns/worker.py) keeps its workers between files and shares main_hidden with it."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from workplan_xl.errors import WorkplanError

MEMORY = 1024 * 1024 * 1024  # address space of the child, its interpreter included (Linux)
TIMEOUT = 60.0


class Limited(Exception):
    """The call did not return: ``code`` crash / memory / timeout / error; ``detail`` the technical words."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code, self.detail = code, detail


def run_limited(func: Callable[..., Any], *args: Any, memory: int = MEMORY, timeout: float = TIMEOUT) -> Any:
    """``func(*args)`` (a module-level function, its arguments and result picklable) in a child process.

    A WorkplanError raised by ``func`` is raised here again (its sentence is the user's); anything else
    that ends the call becomes Limited. WPX_READ_IN_PROCESS=1 calls ``func`` here (a traceback to debug)."""
    return start_limited(func, *args, memory=memory, timeout=timeout).result()


class Pending:
    """A child process for one call: started at once (spare_process), given its call later (``call``,
    or start_limited does both); ``result()`` waits for it as run_limited would have."""

    def __init__(self, memory: int, timeout: float | None, preload: tuple[str, ...] = ()) -> None:
        self.timeout, self.deadline = timeout, None if timeout is None else time.monotonic() + timeout
        self.func: Callable[..., Any] | None = None
        self.args: tuple[Any, ...] = ()
        self.process: Any = None  # None: called in this process, in result() (WPX_READ_IN_PROCESS=1)
        if os.environ.get("WPX_READ_IN_PROCESS") == "1":
            return
        context = multiprocessing.get_context("spawn")
        self.receive, send = context.Pipe(duplex=False)
        calls, self.calls = context.Pipe(duplex=False)
        self.process = context.Process(target=_child, args=(send, calls, memory, preload), daemon=True)
        with main_hidden():
            self.process.start()
        send.close()
        calls.close()

    def call(self, func: Callable[..., Any], *args: Any) -> Pending:
        """Give the child its call (``timeout`` counts from now)."""
        self.func, self.args = func, args
        if self.process is not None:
            self.deadline = None if self.timeout is None else time.monotonic() + self.timeout
            try:
                self.calls.send((func, args))
            except OSError:
                pass  # the child is gone: result() says how it ended
        return self

    def result(self) -> Any:
        """The call's result (once: the child is gone afterwards)."""
        if self.process is None:
            assert self.func is not None, "call() first"
            return self.func(*self.args)
        try:
            left = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
            if not self.receive.poll(left):
                raise Limited("timeout", f"{self.timeout:g}")
            try:
                status, value = self.receive.recv()
            except (EOFError, OSError):
                self.process.join(timeout=5)
                raise Limited("crash", str(self.process.exitcode)) from None
        finally:
            self.cancel()
        if status == "ok":
            return value
        if status == "raise":  # the class, its sentence, and the technical cause for --verbose
            kind, sentence, cause = value
            raise kind(sentence) from (RuntimeError(cause) if cause else None)
        raise Limited(status, value)

    def cancel(self) -> None:
        """Stop the child if it is still there (unused, or the caller failed, or has its result)."""
        if self.process is None or self.receive.closed:
            return
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.receive.close()
        self.calls.close()


def start_limited(func: Callable[..., Any], *args: Any, memory: int = MEMORY,
                  timeout: float | None = TIMEOUT) -> Pending:
    """run_limited, started: the caller does other work meanwhile and takes the result with
    ``result()`` (``timeout`` counts from now; None waits as long as the call takes)."""
    return Pending(memory, timeout).call(func, *args)


def spare_process(memory: int = MEMORY, timeout: float | None = None, preload: tuple[str, ...] = ()) -> Pending:
    """A child started now, its interpreter and the modules ``preload`` loaded while the caller works,
    for one call given later with ``call`` (or never: ``cancel`` ends it)."""
    return Pending(memory, timeout, preload)


def _child(send: Any, calls: Any, memory: int, preload: tuple[str, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # a native reader's abort message stays off the user's terminal
    if memory and sys.platform.startswith("linux"):
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))
    try:
        for module in preload:
            importlib.import_module(module)
        func, args = calls.recv()
    except EOFError:
        return  # no call came: the parent did not need this process
    except BaseException as error:  # noqa: BLE001 - said to the parent as this call's failure
        func, args = _raise, (error,)
    try:
        result: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        result = ("memory", "")
    except ImportError as error:  # a shared library that cannot be mapped under the limit: memory too
        result = ("memory" if "failed to map" in str(error) else "error", f"ImportError: {error}"[:300])
    except WorkplanError as error:  # a sentence for the user: the parent raises it again
        cause = error.__cause__ or error.__context__
        result = ("raise", (type(error), str(error), f"{type(cause).__name__}: {cause}"[:300] if cause else ""))
    except BaseException as error:  # noqa: BLE001 - a Rust panic (BaseException) too: the parent says which file
        result = ("error", f"{type(error).__name__}: {error}"[:300])
    try:
        send.send(result)
    except Exception as error:  # noqa: BLE001 - a result that does not pickle is the call's failure
        send.send(("error", f"{type(error).__name__}: {error}"[:300]))
    send.close()


@contextmanager
def main_hidden() -> Iterator[None]:
    """Start a child without the caller's main script: "spawn" re-runs it in the child, which fails
    for a script read from stdin, re-runs an unguarded script's top level, and costs the CLI's imports.
    The child needs nothing from it."""
    main = sys.modules.get("__main__")
    saved = {name: main.__dict__.pop(name) for name in ("__file__", "__spec__") if main and name in main.__dict__}
    if main is not None and "__spec__" in saved:
        main.__spec__ = None  # type: ignore[assignment] - a module always has the attribute
    try:
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)


def _raise(error: BaseException) -> None:
    raise error
