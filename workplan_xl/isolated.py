"""One call in a fresh process with a memory (address-space) and time limit: for native readers given a
file from outside (a roster), which may abort the process, allocate whatever a file declares, or
never return. The caller gets the result, or Limited saying how the call ended."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

MEMORY = 1024 * 1024 * 1024
TIMEOUT = 60.0


class Limited(Exception):
    """The call did not return: ``code`` crash / memory / timeout / error; ``detail`` the technical words."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code, self.detail = code, detail


def run_limited(func: Callable[..., Any], *args: Any, memory: int = MEMORY, timeout: float = TIMEOUT) -> Any:
    """``func(*args)`` (a module-level function, its arguments and result picklable) in a child process."""
    from workplan_xl.returns.worker import _main_hidden

    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, func, args, memory), daemon=True)
    with _main_hidden():
        process.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise Limited("timeout", f"{timeout:g}")
        try:
            status, value = receive.recv()
        except (EOFError, OSError):
            process.join(timeout=5)
            raise Limited("crash", str(process.exitcode)) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        receive.close()
    if status == "ok":
        return value
    raise Limited(status, value)


def _child(send: Any, func: Callable[..., Any], args: tuple[Any, ...], memory: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # a native reader's abort message stays off the user's terminal
    if memory and sys.platform.startswith("linux"):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        result: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        result = ("memory", "")
    except BaseException as error:  # noqa: BLE001 - a Rust panic (BaseException) too: the parent says which file
        result = ("error", f"{type(error).__name__}: {error}"[:300])
    send.send(result)
    send.close()
