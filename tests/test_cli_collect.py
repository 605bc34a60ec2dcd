"""wpx collect and wpx status through the command line: exit codes 0 / 3 / 2, the exact summary,
and paths with Chinese characters and spaces."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from test_returns import PNG, fill, make_forms, make_plan

from workplan_xl.cli import cli
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """台账 in a folder whose name has Chinese characters and spaces, three filled returns."""
    base = tmp_path_factory.mktemp("cli") / "2024 年 督导室"
    base.mkdir()
    master = write_master_workbook(make_plan(units=4), base / "工作 台账.xlsx")
    forms = make_forms(read_master_workbook(master), base / "填报表")
    (base / "filled").mkdir()
    for code in ("1001", "1002", "1003"):
        fill(forms[code], base / "filled" / f"{code} 回表（已填）.xlsx")
    return base


def fresh(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    target = tmp_path / "我的 项目"
    shutil.copytree(project, target)
    return target / "工作 台账.xlsx", target / "filled"


def test_collect_all_good_exit_0(project: Path, tmp_path: Path) -> None:
    master, returns = fresh(project, tmp_path)
    result = CliRunner().invoke(cli, ["collect", str(master), str(returns)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "回表文件 3 个：新读入 3 个，已登记过 0 个，与其他文件内容相同 0 个，跳过 0 个（临时文件、系统文件或非表格附件）。\n"
        "批次「未分批次」：应报 4 个单位，已报 3 个，部分填报 0 个，有问题 0 个，未报 1 个。\n"
        "未报：城关幼儿园（1004）\n"
        f"已写入汇总表：{master.parent / '汇总.xlsx'}\n")
    assert (master.parent / "汇总.xlsx").exists() and master.with_suffix(".db").exists()

    status = CliRunner().invoke(cli, ["status", str(master)])
    assert status.exit_code == 0
    assert status.stdout == ("批次「未分批次」：应报 4 个单位，已报 3 个，部分填报 0 个，有问题 0 个，未报 1 个。\n"
                             "未报（1）：城关幼儿园（1004）\n"
                             "已报（3）：第一中学（1001）、第二中学（1002）、实验小学（1003）\n")


def test_collect_with_problems_exit_3(project: Path, tmp_path: Path) -> None:
    master, returns = fresh(project, tmp_path)
    (returns / "1004 回表.xlsx").write_bytes(PNG)
    output = tmp_path / "输出 目录" / "汇总 表.xlsx"
    output.parent.mkdir()
    result = CliRunner().invoke(cli, ["collect", str(master), str(returns), "-o", str(output), "--round", ""])
    assert result.exit_code == 3, result.output
    assert result.stdout == (
        "回表文件 4 个：新读入 4 个，已登记过 0 个，与其他文件内容相同 0 个，跳过 0 个（临时文件、系统文件或非表格附件）。\n"
        "批次「未分批次」：应报 4 个单位，已报 3 个，部分填报 0 个，有问题 1 个，未报 0 个。\n"
        "问题清单共 1 条（涉及 1 个文件），请查看汇总表的「问题清单」。\n"
        f"未使用的 1 个文件已复制到隔离区（原文件未动）：{master.parent / '隔离区'}\n"
        f"已写入汇总表：{output}\n")
    status = CliRunner().invoke(cli, ["status", str(master)])
    assert "有问题（1）：城关幼儿园（1004）" in status.stdout


def test_user_errors_exit_2(project: Path, tmp_path: Path) -> None:
    master, returns = fresh(project, tmp_path)
    status = CliRunner().invoke(cli, ["status", str(master)])
    assert status.exit_code == 2
    assert status.stderr == (f"错误：找不到台账「{master.name}」的台账数据库：找的是「{master.with_suffix('.db')}」。"
                             "如果数据库在别处或改过名，请用 --db 指定它；如果还没有收集过回表，请先运行 "
                             f"wpx collect \"{master}\" 回表文件夹。\n")
    (tmp_path / "~$汇总.xlsx").write_bytes(b"lock")
    result = CliRunner().invoke(cli, ["collect", str(master), str(returns), "-o", str(tmp_path / "汇总.xlsx")])
    assert result.exit_code == 2
    assert result.stderr == f"错误：汇总表「{tmp_path / '汇总.xlsx'}」正在 Excel/WPS 中打开：请关闭后重新运行（或用 -o 另存到别处）。\n"
    junk = tmp_path / "台账.db"
    junk.write_bytes(b"not a database" * 50)
    result = CliRunner().invoke(cli, ["collect", str(master), str(returns), "--db", str(junk)])
    assert result.exit_code == 2 and result.stderr.startswith("错误：数据库「台账.db」无法打开")


def test_a_long_file_name_keeps_its_extension_in_the_quarantine(project: Path, tmp_path: Path) -> None:
    # a name longer than the copies' 80 characters is shortened in its stem: the copy is still an .xlsx
    master, returns = fresh(project, tmp_path)
    long_name = "城关幼儿园关于报送" + "二〇二四年度重点工作任务推进情况" * 4 + "的回表.xlsx"  # 81 characters
    (returns / long_name).write_bytes(PNG)
    result = CliRunner().invoke(cli, ["collect", str(master), str(returns)])
    assert result.exit_code == 3, result.output
    [copy] = (master.parent / "隔离区").iterdir()
    assert copy.suffix == ".xlsx" and copy.name.split("_", 1)[1].startswith("城关幼儿园关于报送二〇二四")
    assert len(copy.name) == 12 + 1 + 80 and copy.read_bytes() == PNG


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and links as POSIX has them")
def test_links_pipes_and_archives_not_opened_are_named_and_put_down_to_their_unit(project: Path, tmp_path: Path) -> None:
    # Every entry of the folder is in 文件清单 with why it was not used; nothing waits on a pipe. A file
    # that cannot be opened but names a unit makes that unit 有问题 (it sent something), not 未报.
    master, returns = fresh(project, tmp_path)
    os.mkfifo(returns / "管道.xlsx")
    (returns / "断 链.xlsx").symlink_to(tmp_path / "已删除.xlsx")
    (tmp_path / "别的 文件夹").mkdir()
    (returns / "链接").symlink_to(tmp_path / "别的 文件夹", target_is_directory=True)
    (returns / "城关幼儿园回表.rar").write_bytes(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 40)
    result = CliRunner().invoke(cli, ["collect", str(master), str(returns)])
    assert result.exit_code == 3, result.output
    assert result.stdout.splitlines()[:3] == [
        "回表文件 7 个：新读入 7 个，已登记过 0 个，与其他文件内容相同 0 个，跳过 0 个（临时文件、系统文件或非表格附件）。",
        "批次「未分批次」：应报 4 个单位，已报 3 个，部分填报 0 个，有问题 1 个，未报 0 个。",
        "问题清单共 4 条（涉及 4 个文件），请查看汇总表的「问题清单」。"]
    rows = {row[0]: row[2:] for row in list(load_workbook(master.parent / "汇总.xlsx", read_only=True)["文件清单"]
                                             .iter_rows(values_only=True))[3:]}
    assert rows["管道.xlsx"] == (None, "未采用", "「管道.xlsx」不是普通文件（是管道、套接字或设备），未读取")
    assert rows["断 链.xlsx"] == (None, "未采用", f"「断 链.xlsx」是失效的链接（指向的「{tmp_path / '已删除.xlsx'}」不存在），未读取")
    assert rows["链接"] == (None, "未采用", f"「链接」是指向文件夹「{tmp_path / '别的 文件夹'}」的链接，链接的文件夹不收集（以免重复或循环）")
    assert rows["城关幼儿园回表.rar"] == ("城关幼儿园", "未采用", "压缩包「城关幼儿园回表.rar」是 RAR 格式，wpx 不能直接读取其中的文件")


def test_a_copy_of_the_master_or_a_summary_in_the_returns_folder_is_named_as_such(project: Path, tmp_path: Path) -> None:
    # An officer keeps everything in one folder: wpx's own 台账 and 汇总 are told apart from returns.
    master, returns = fresh(project, tmp_path)
    assert CliRunner().invoke(cli, ["collect", str(master), str(returns)]).exit_code == 0
    shutil.copyfile(master.parent / "汇总.xlsx", returns / "汇总 上次.xlsx")
    shutil.copyfile(master, returns / "台账 副本.xlsx")
    result = CliRunner().invoke(cli, ["collect", str(master), str(returns)])
    assert result.exit_code == 3, result.output
    assert "已报 3 个，部分填报 0 个，有问题 0 个，未报 1 个" in result.stdout
    rows = {row[0]: row[2:] for row in list(load_workbook(master.parent / "汇总.xlsx", read_only=True)["文件清单"]
                                             .iter_rows(values_only=True))[3:]}
    assert rows["汇总 上次.xlsx"][:2] == (None, "未采用")
    assert rows["汇总 上次.xlsx"][2].startswith("文件「汇总 上次.xlsx」是wpx collect 生成的汇总表，不是单位报送的回表（原文件已复制到隔离区：")
    assert rows["台账 副本.xlsx"][2].startswith("文件「台账 副本.xlsx」是wpx build 生成的台账，不是单位报送的回表（原文件已复制到隔离区：")
    problems = [row for row in load_workbook(master.parent / "汇总.xlsx", read_only=True)["问题清单"].iter_rows(values_only=True)
                if row[0] == "台账 副本.xlsx"]
    assert problems[0][4].startswith("台账和汇总表请不要放在回表文件夹里（放在它旁边即可），以免与回表混在一起。")
