"""One call in a fresh process with a memory (address-space) and time limit: for readers given a file
from outside (a roster, a spreadsheet plan, a 台账), which may abort the process (a Rust panic is a
BaseException; a hard abort on a sheet that claims a billion cells), allocate whatever a file declares,
or never return. The caller gets the result, a WorkplanError the call raised (its sentence), or Limited
saying how the call ended; a Child started early (spare_process) takes calls later, one at a time,
and lets the caller work meanwhile (collect's reads the 台账, then makes 汇总.xlsx's 明细). This is the
one such mechanism; the returns' reader pool (returns/worker.py) keeps its workers between files and
shares main_hidden with it."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import pickle
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


def usable_cores() -> int:
    """CPUs this process may use (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # Windows, macOS
        return os.cpu_count() or 1


def run_limited(func: Callable[..., Any], *args: Any, memory: int = MEMORY, timeout: float = TIMEOUT) -> Any:
    """``func(*args)`` (a module-level function, its arguments and result picklable) in a child process.

    A WorkplanError raised by ``func`` is raised here again (its sentence is the user's); anything else
    that ends the call becomes Limited. WPX_READ_IN_PROCESS=1 calls ``func`` here (a traceback to debug)."""
    return Child().call(func, *args, memory=memory, timeout=timeout).result()


def spare_process(preload: tuple[str, ...] = ()) -> Child:
    """A child started now, its interpreter loaded (and, while it has nothing to do, the modules
    ``preload``) while the caller works, for calls given later (or none: ``cancel`` ends it)."""
    return Child(preload)


class Child:
    """A child process taking calls one at a time, each with its own memory and time limit:
    ``call(...).result()``; ``result(keep=True)`` keeps the child for another call when this one
    returned (or raised its sentence). A child whose call failed otherwise is ended."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self.timeout: float | None = None
        self.deadline: float | None = None
        self.func: Callable[..., Any] | None = None
        self.args: tuple[Any, ...] = ()
        self.process: Any = None  # None: called in this process, in result() (WPX_READ_IN_PROCESS=1)
        if os.environ.get("WPX_READ_IN_PROCESS") == "1":
            return
        context = multiprocessing.get_context("spawn")
        self.receive, send = context.Pipe(duplex=False)
        calls, self.calls = context.Pipe(duplex=False)
        self.process = context.Process(target=_child, args=(send, calls, preload), daemon=True)
        with main_hidden():
            self.process.start()
        send.close()
        calls.close()

    def call(self, func: Callable[..., Any], *args: Any, memory: int = MEMORY,
             timeout: float | None = TIMEOUT) -> Child:
        """Give the child a call (``timeout`` counts from now; None: as long as it takes)."""
        self.func, self.args, self.timeout = func, args, timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout
        if self.process is not None:
            try:
                # pickled here, unpickled in the child under this call's memory limit
                self.calls.send((memory, pickle.dumps((func, args), pickle.HIGHEST_PROTOCOL)))
            except OSError:
                pass  # the child is gone: result() says how it ended
        return self

    def result(self, keep: bool = False) -> Any:
        """The call's result; the child ends afterwards unless ``keep``."""
        if self.process is None:
            assert self.func is not None, "call() first"
            return self.func(*self.args)
        status = ""
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
            if not (keep and status in ("ok", "raise")):
                self.cancel()
        if status == "ok":
            return value
        if status == "raise":  # the class, its sentence, and the technical cause for --verbose
            kind, sentence, cause = value
            raise kind(sentence) from (RuntimeError(cause) if cause else None)
        raise Limited(status, value)

    def ready(self, timeout: float = 0.0) -> bool:
        """Whether the call has ended (result() will not wait), after waiting at most ``timeout``."""
        if self.process is None or self.receive.closed:
            return True
        return self.receive.poll(timeout) or not self.process.is_alive()

    def cancel(self) -> None:
        """End the child if it is still there (unused, done with, or the caller failed)."""
        if self.process is None or self.receive.closed:
            return
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.receive.close()
        self.calls.close()


def _child(send: Any, calls: Any, preload: tuple[str, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # a native reader's abort message stays off the user's terminal
    while True:
        if preload and not calls.poll():  # nothing to do yet: load what the calls to come need
            for module in preload:
                try:
                    importlib.import_module(module)
                except BaseException:  # noqa: BLE001 - only a head start: the call imports what it needs
                    pass
            preload = ()
        try:
            memory, call = calls.recv()
        except EOFError:
            return  # the parent needs no more calls
        result = _run(call, memory)
        try:
            send.send(result)
        except Exception as error:  # noqa: BLE001 - a result that does not pickle is the call's failure
            send.send(("error", f"{type(error).__name__}: {error}"[:300]))


def _run(call: bytes, memory: int) -> tuple[str, Any]:
    """One call under its memory limit: ("ok", result), ("raise", a sentence) or a failure."""
    if memory and sys.platform.startswith("linux"):
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))
    try:
        func, args = pickle.loads(call)
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
    return result


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
