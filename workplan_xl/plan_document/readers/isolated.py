"""Run a native reader in a child process with a memory and time limit.

python-calamine (Rust) can abort the whole process (a PanicException that derives from BaseException,
or a hard abort on a sheet that claims a billion cells) and every reader can exhaust memory on a zip
bomb. A plan is one file, so one fresh child ("spawn": nothing inherited) per read costs a fraction of a
second and keeps the command alive: whatever happens in the child comes back as one Chinese sentence.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any

from workplan_xl.errors import InputFileError

MEMORY_LIMIT = 1 << 30  # bytes of address space for the child (beyond its own interpreter)
TIME_LIMIT = 60.0  # seconds


def _child(conn: Any, func: Callable[[str], Any], arg: str, memory: int) -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass  # Windows, or a limit we may not raise: the time limit still holds
    try:
        conn.send(("ok", func(arg)))
    except MemoryError:
        conn.send(("memory", ""))
    except BaseException as error:  # noqa: BLE001 - a native panic is a BaseException; report it, die quietly
        conn.send(("error", f"{type(error).__name__}: {error}"[:300]))
    finally:
        conn.close()


def run_isolated(func: Callable[[str], Any], arg: str, name: str, memory: int = MEMORY_LIMIT,
                 timeout: float = TIME_LIMIT) -> Any:
    """``func(arg)`` in a child process; its result, or InputFileError naming ``name`` (the file)."""
    if os.environ.get("WPX_READ_IN_PROCESS") == "1":  # debugging: a traceback instead of a sentence
        return func(arg)
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child, func, arg, memory + _baseline()), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise InputFileError(f"读取「{name}」超过 {int(timeout)} 秒仍未完成（文件可能过大或格式异常）："
                                 "请在 Excel/WPS 中打开后另存为 .xlsx，或删去无关的工作表后再试。")
        try:
            status, value = parent.recv()
        except EOFError:
            status, value = "died", ""
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
    if status == "ok":
        return value
    if status == "memory" or (status == "died" and process.exitcode not in (0, None)):
        raise InputFileError(f"「{name}」读取时占用内存过多或读取程序异常退出（文件可能过大、已损坏或是恶意文件）："
                             "请在 Excel/WPS 中打开后另存为 .xlsx 再试。")
    raise InputFileError(f"「{name}」这份电子表格无法读取（文件可能已损坏或格式异常）："
                         "请在 Excel/WPS 中打开后另存为 .xlsx 再试。") from RuntimeError(value)  # detail: --verbose


def _baseline() -> int:
    """The interpreter and python-calamine themselves take a few hundred MB of address space."""
    return 512 << 20
