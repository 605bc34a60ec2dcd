"""A spreadsheet plan's native reader run through workplan_xl.isolated (the one child-process mechanism,
shared with rosters and the 台账), with the sentences a plan file gets when the child does not return.

python-calamine (Rust) can abort the whole process (a PanicException that derives from BaseException,
or a hard abort on a sheet that claims a billion cells) and every reader can exhaust memory on a zip
bomb. A plan is one file, so one fresh child per read costs a fraction of a second and keeps the command
alive: whatever happens in the child comes back as one Chinese sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workplan_xl.errors import InputFileError
from workplan_xl.isolated import MEMORY, TIMEOUT, Limited, run_limited


def run_isolated(func: Callable[[str], Any], arg: str, name: str, memory: int = MEMORY,
                 timeout: float = TIMEOUT) -> Any:
    """``func(arg)`` in a child process; its result, or InputFileError naming ``name`` (the file)."""
    try:
        return run_limited(func, arg, memory=memory, timeout=timeout)
    except Limited as limited:
        if limited.code == "timeout":
            raise InputFileError(f"读取「{name}」超过 {int(timeout)} 秒仍未完成（文件可能过大或格式异常）："
                                 "请在 Excel/WPS 中打开后另存为 .xlsx，或删去无关的工作表后再试。") from None
        if limited.code in ("memory", "crash"):
            raise InputFileError(f"「{name}」读取时占用内存过多或读取程序异常退出（文件可能过大、已损坏或是恶意文件）："
                                 "请在 Excel/WPS 中打开后另存为 .xlsx 再试。") from None
        raise InputFileError(f"「{name}」这份电子表格无法读取（文件可能已损坏或格式异常）："
                             "请在 Excel/WPS 中打开后另存为 .xlsx 再试。") from RuntimeError(limited.detail)
