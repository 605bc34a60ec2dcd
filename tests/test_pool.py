"""The reader pool (returns/pool.py): worker processes that cost one file when a reader crashes,
hangs or cannot start, and hand back what the reader in this process would give."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_returns import TASK_PART, fill, make_forms, make_plan, read, xfd_sheet

from workplan_xl.errors import WorkplanError
from workplan_xl.plan import Plan
from workplan_xl.returns import PlanIndex, ReaderPool, default_workers
from workplan_xl.returns import pool as pool_module
from workplan_xl.returns.interpret import interpret


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan()


@pytest.fixture(scope="module")
def forms(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_forms(plan, tmp_path_factory.mktemp("forms"))


@pytest.mark.parametrize(("cores", "workers"), [(1, 1), (2, 2), (3, 3), (8, 4), (64, 4)])
def test_one_reader_per_core_up_to_four(monkeypatch: pytest.MonkeyPatch, cores: int, workers: int) -> None:
    monkeypatch.setattr(pool_module, "usable_cores", lambda: cores)
    assert default_workers() == workers
    assert ReaderPool().workers == workers


def test_a_reader_crash_costs_one_file(forms: dict[str, Path], tmp_path: Path) -> None:
    liar = xfd_sheet(forms["1001"], tmp_path / "liar.xlsx", dimension="A1:K20")  # passes the pre-check
    files = [forms["1001"], liar, forms["1002"], liar, forms["1003"]]
    pool = ReaderPool(workers=2, batch=3)
    results = dict(pool.read(files))
    assert sorted(results) == [0, 1, 2, 3, 4]
    assert [results[i]["status"] for i in range(5)] == ["read", "refused", "read", "refused", "read"]
    assert results[1]["code"] == results[3]["code"] == "crash"
    assert pool.started >= 3  # a new worker took over after each crash


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_file_that_takes_too_long_costs_that_file(forms: dict[str, Path], tmp_path: Path) -> None:
    # A named pipe nobody writes to: opening it waits for ever, like a reader stuck on a file.
    stuck = tmp_path / "卡住.xlsx"
    os.mkfifo(stuck)
    files = [stuck, forms["1001"], forms["1002"], stuck, forms["1003"], forms["1004"]]
    results = dict(ReaderPool(workers=2, timeout=3.0, batch=2).read(files))
    assert sorted(results) == list(range(6))  # every file gets exactly one answer and the run finishes
    assert [results[i]["status"] for i in range(6)] == ["refused", "read", "read", "refused", "read", "read"]
    assert results[0] == results[3] == {"status": "refused", "code": "timeout", "detail": "3"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory limit is set on Linux only")
def test_a_reader_that_cannot_start_is_a_sentence_not_a_crash(forms: dict[str, Path]) -> None:
    pool = ReaderPool(workers=1, memory=16 * 1024 * 1024)  # too little to load the reader at all
    with pytest.raises(WorkplanError) as error:
        list(pool.read([forms["1001"]]))
    assert str(error.value).startswith("读取回表的子进程无法启动（")
    assert str(error.value).endswith("请重新安装（pip install --force-reinstall workplan-xl）后再运行 wpx collect。")


def test_a_script_without_a_main_guard_or_file_can_use_the_pool(forms: dict[str, Path], tmp_path: Path) -> None:
    # "spawn" would re-run such a script in every worker; the workers must not need it
    script = tmp_path / "unguarded.py"
    script.write_text("from workplan_xl.returns import ReaderPool\n"
                      f"print([r['status'] for _, r in ReaderPool(workers=1).read([{str(forms['1001'])!r}])])\n")
    for args, stdin in (([str(script)], None), (["-"], script.read_text())):
        done = subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True, timeout=120)
        assert done.stdout.strip() == "['read']", done.stderr


def test_readings_cross_processes_intact(plan: Plan, forms: dict[str, Path], tmp_path: Path) -> None:
    path = fill(forms["1001"], tmp_path / "1001.xlsx")
    index = PlanIndex(plan)
    [(_, pooled)] = ReaderPool(workers=1).read([path], (index, None))
    here = interpret(read(path), index, None, path.name)
    assert pooled.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (pooled.stored(), pooled.findings, pooled.unit_code) == (here.stored(), here.findings, here.unit_code)
    # the values come packed as the ledger stores them (one string: cheap to unpickle), the same values
    assert pooled.values == [] and json.loads(pooled.stored()[0]) == [list(v) for v in here.values if v[0] != "form"]
    assert pooled.stored()[1] == len(json.loads(pooled.stored()[0])) > 0


def test_a_hostile_sheet_no_table_is_looked_for_in_costs_nothing(plan: Plan, forms: dict[str, Path],
                                                                  tmp_path: Path) -> None:
    # 填报说明 would abort the reader, but collect never reads it: the school's answers are taken.
    good = fill(forms["1001"], tmp_path / "1001.xlsx")
    guide = xfd_sheet(good, tmp_path / "说明页坏了.xlsx", dimension="A1:K20")
    tasks = xfd_sheet(good, tmp_path / "任务页坏了.xlsx", dimension="A1:K20", part=TASK_PART)
    results = dict(ReaderPool(workers=1).read([guide, tasks, good], (PlanIndex(plan), None)))
    assert results[0].status == "accepted" and results[0].stored() == results[2].stored() and results[0].findings == []
    assert (results[1].status, results[1].reason) == ("rejected", "文件「任务页坏了.xlsx」无法读取（读取程序异常退出）")
