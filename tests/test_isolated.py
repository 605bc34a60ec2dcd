"""isolated.py: one call in a child process with memory and time limits, waited for at once
(run_limited) or later (Child.call … result), and what the caller gets when the call does not return."""

from __future__ import annotations

import os
import time

import pytest

from workplan_xl.errors import InputFileError
from workplan_xl.isolated import Limited, run_limited, spare_process


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _refuse(name: str) -> None:
    raise InputFileError(f"「{name}」不是表格文件：请另存为 .xlsx 后重试。") from ValueError("bad magic")


def _allocate(mib: int) -> int:
    return len(bytearray(mib << 20))


def test_the_call_runs_in_another_process_and_its_result_comes_back() -> None:
    assert run_limited(_pid_after, 0.0) != os.getpid()


def test_a_sentence_the_call_raises_is_raised_again_here() -> None:
    with pytest.raises(InputFileError, match="^「坏 表.xlsx」不是表格文件：请另存为 .xlsx 后重试。$") as caught:
        run_limited(_refuse, "坏 表.xlsx")
    assert str(caught.value.__cause__) == "ValueError: bad magic"  # for --verbose


def test_a_process_that_ends_without_answering_is_a_crash() -> None:
    with pytest.raises(Limited) as caught:
        run_limited(os._exit, 9)
    assert (caught.value.code, caught.value.detail) == ("crash", "9")


def test_memory_beyond_the_limit_is_said_as_memory() -> None:
    with pytest.raises(Limited) as caught:
        run_limited(_allocate, 600, memory=400 << 20)
    assert caught.value.code == "memory"


def test_a_call_past_its_time_is_stopped() -> None:
    start = time.monotonic()
    with pytest.raises(Limited) as caught:
        run_limited(time.sleep, 30, timeout=0.5)
    assert (caught.value.code, caught.value.detail) == ("timeout", "0.5") and time.monotonic() - start < 10


def test_a_started_call_runs_while_the_caller_works() -> None:
    pending = spare_process().call(_pid_after, 1.0, timeout=None)
    assert pending.process.is_alive()  # call() came back before the call ended
    assert pending.result() not in (None, os.getpid())
    assert not pending.process.is_alive()


def test_a_started_call_can_be_cancelled() -> None:
    pending = spare_process().call(time.sleep, 30, timeout=None)
    process = pending.process
    pending.cancel()
    assert not process.is_alive()
    pending.cancel()  # twice is harmless


def test_read_in_process_calls_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPX_READ_IN_PROCESS", "1")
    assert run_limited(_pid_after, 0.0) == os.getpid()
    assert spare_process().call(_pid_after, 0.0).result() == os.getpid()


def test_a_spare_process_loads_while_it_has_nothing_to_do() -> None:
    spare = spare_process(preload=("workplan_xl.consolidated_workbook.package",))
    deadline = time.monotonic() + 30
    while not spare.call(_loaded, "workplan_xl.consolidated_workbook.package").result(keep=True):
        assert time.monotonic() < deadline  # a call that came first is answered first; the loading follows
        time.sleep(0.1)
    spare.cancel()


def _loaded(module: str) -> bool:
    import sys

    return module in sys.modules


def test_a_spare_process_never_called_ends_when_cancelled() -> None:
    spare = spare_process()
    process = spare.process
    spare.cancel()
    assert not process.is_alive()


def test_a_preload_that_fails_costs_only_the_head_start() -> None:
    spare = spare_process(preload=("workplan_xl.no_such_module",))
    assert spare.call(_loaded, "workplan_xl.no_such_module").result() is False


def test_a_child_kept_takes_another_call_with_its_own_limits() -> None:
    child = spare_process()
    first = child.call(_pid_after, 0.0, memory=800 << 20).result(keep=True)
    assert child.call(_allocate, 200, memory=800 << 20).result(keep=True) == 200 << 20
    with pytest.raises(Limited) as caught:
        child.call(_allocate, 200, memory=150 << 20).result(keep=True)  # the lower limit holds
    assert caught.value.code == "memory" and not child.process.is_alive()  # a failed call ends it
    assert first == child.process.pid


def test_a_sentence_raised_in_a_kept_child_keeps_it() -> None:
    child = spare_process()
    with pytest.raises(InputFileError):
        child.call(_refuse, "坏 表.xlsx").result(keep=True)
    assert child.call(_pid_after, 0.0).result() == child.process.pid
