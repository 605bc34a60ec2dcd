"""wpx forms through the CLI, from a real master workbook (write_master_workbook → read_master_workbook)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from test_unit_forms import EXPECTED, INDICATOR_HEADERS, TASK_HEADERS, make_plan, rows

from workplan_xl.cli import cli
from workplan_xl.form_layout import (
    INDICATOR_ID_HEADER,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_TASKS,
    TASK_ID_HEADER,
)
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook
from workplan_xl.unit_forms import make_unit_forms


@contextmanager
def working_in(folder: Path) -> Iterator[None]:
    """Run with ``folder`` as the working directory, as a clerk would from their own folder."""
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def test_forms_command_writes_one_form_per_unit(tmp_path: Path) -> None:
    runner = CliRunner()
    with working_in(tmp_path):
        write_master_workbook(make_plan(), Path("台账.xlsx"))
        out = Path("河西 区 填报表") / "forms"
        result = runner.invoke(cli, ["forms", "台账.xlsx", "-o", str(out), "--round", "2024-06"])
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[0] == f"已生成填报表 5 份：{out}"
        assert lines[1] == "没有需要填报的任务或指标、未生成填报表的单位：安全稳定科（C02）"
        files = sorted(out.glob("*.xlsx"))
        assert len(files) == 5 and all(f.name.endswith("_2024-06.xlsx") for f in files)
        fingerprint = read_master_workbook(Path("台账.xlsx")).fingerprint()
        for code, (task_ids, indicator_ids) in EXPECTED.items():
            [path] = [f for f in files if f.name.startswith(code + "_")]
            wb = openpyxl.load_workbook(path)
            assert [r[TASK_ID_HEADER] for r in rows(wb[SHEET_TASKS], TASK_HEADERS)] == task_ids
            assert [r[INDICATOR_ID_HEADER] for r in rows(wb[SHEET_INDICATORS], INDICATOR_HEADERS)] == indicator_ids
            meta = {r[0].value: r[1].value for r in wb[SHEET_META].iter_rows()}
            assert meta["plan_fingerprint"] == fingerprint and meta["round"] == "2024-06"

        again = runner.invoke(cli, ["forms", "台账.xlsx", "-o", str(out), "--round", "2024-06", "--units", "Y02"])
        assert again.exit_code == 0
        assert again.output == f"已生成填报表 1 份：{out}\n"  # identical file: left alone, nothing moved


def test_forms_command_moves_an_edited_form_aside(tmp_path: Path) -> None:
    runner = CliRunner()
    with working_in(tmp_path):
        write_master_workbook(make_plan(), Path("台账.xlsx"))
        first = runner.invoke(cli, ["forms", "台账.xlsx", "--units", "X01"])
        [path] = Path("填报表").glob("X01_*.xlsx")
        path.write_bytes(b"a school's edit")
        second = runner.invoke(cli, ["forms", "台账.xlsx", "--units", "X01"])
        assert first.exit_code == 0 and second.exit_code == 0
        assert second.output.splitlines() == ["已生成填报表 1 份：填报表", f"同名旧文件 1 份已移到：{Path('填报表', '备份')}"]
        [old] = (Path("填报表") / "备份").iterdir()
        assert re.fullmatch(re.escape(path.stem) + r"\.\d{8}-\d{6}\.xlsx", old.name)
        assert old.read_bytes() == b"a school's edit"


def test_forms_command_unknown_unit_is_one_sentence(tmp_path: Path) -> None:
    runner = CliRunner()
    with working_in(tmp_path):
        write_master_workbook(make_plan(), Path("台账.xlsx"))
        result = runner.invoke(cli, ["forms", "台账.xlsx", "--units", "Q99"])
        assert result.exit_code == 2
        assert result.stderr == ("错误：单位代码「Q99」不在台账「台账.xlsx」的填报单位名单中：可用的代码有 X01、X02、Y01、Y02、C01等"
                                 "（共 6 个），请检查 --units 参数。\n")
        assert "Traceback" not in result.output and not Path("填报表").exists()


def test_make_unit_forms_reads_the_master_workbook(tmp_path: Path) -> None:
    master = write_master_workbook(make_plan(), tmp_path / "台账.xlsx")
    result = make_unit_forms(master, tmp_path / "forms", codes=["X02"], password="123")
    [path] = result
    assert path.name == "X02_实验小学_河西区2024年教育工作要点.xlsx"
    assert openpyxl.load_workbook(path)[SHEET_TASKS].protection.password


def test_forms_from_a_workbook_without_units_names_the_file(tmp_path: Path) -> None:
    runner = CliRunner()
    with working_in(tmp_path):
        plan = make_plan()
        plan.units = []
        write_master_workbook(plan, Path("台账.xlsx"))
        result = runner.invoke(cli, ["forms", "台账.xlsx"])
        assert result.exit_code == 2
        assert result.stderr == ("错误：台账「台账.xlsx」中没有填报单位：请在台账「台账.xlsx」的「填报单位」工作表中"
                                 "填写单位代码和名称后再生成填报表。\n")
