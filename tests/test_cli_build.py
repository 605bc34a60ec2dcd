"""`wpx build` (and `wpx parse 台账.xlsx`) through the command line, with Chinese paths and spaces."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_master_workbook import sample_plan

from workplan_xl.cli import cli
from workplan_xl.master_workbook import read_master_workbook

ROSTER = "单位代码,单位名称,类型\n0012,城关第一小学,学校\n1001,城关中心幼儿园,幼儿园\n2001,督导室,处室\n"


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    plan_json = tmp_path / "plan.json"
    plan = sample_plan()
    plan.units = []
    plan_json.write_text(plan.to_json(), encoding="utf-8")
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8-sig")
    output = tmp_path / "2025 年度 台账" / "台账.xlsx"   # a folder with Chinese and spaces, created by build
    return plan_json, roster, output


def test_build_with_a_roster(inputs: tuple[Path, Path, Path]) -> None:
    plan_json, roster, output = inputs
    result = CliRunner().invoke(cli, ["build", str(plan_json), "-o", str(output), "--units", str(roster)])
    assert result.exit_code == 0, result.output
    assert result.output == f"已写入台账：{output}\n"
    plan = read_master_workbook(output)
    assert [(u.code, u.name, u.type) for u in plan.units] == [
        ("0012", "城关第一小学", "学校"), ("1001", "城关中心幼儿园", "幼儿园"), ("2001", "督导室", "处室")]
    assert [t.id for t in plan.tasks()] == ["T002", "T003", "T004", "T005", "T006"]


def test_build_without_a_roster_takes_the_owners(inputs: tuple[Path, Path, Path]) -> None:
    plan_json, _, output = inputs
    result = CliRunner().invoke(cli, ["build", str(plan_json), "-o", str(output)])
    assert result.exit_code == 0, result.output
    units = read_master_workbook(output).units
    assert [(u.code, u.name) for u in units[:4]] == [("D01", "督导室"), ("D02", "基教科"),
                                                      ("D03", "县教育体育局基础教育科"), ("D04", "人事科")]
    assert {u.type for u in units} == {"处室"}


def test_roster_without_a_code_column_exits_2_with_one_sentence(inputs: tuple[Path, Path, Path]) -> None:
    plan_json, roster, output = inputs
    roster.write_text("序号,单位名称\n1,城关第一小学\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(plan_json), "-o", str(output), "--units", str(roster)])
    assert result.exit_code == 2
    assert result.output == ("错误：填报单位名单「名单.csv」缺少「代码」列：找到的列为「序号」「单位名称」，"
                             "需要「代码」和「名称」两列（代码也可写作单位代码、学校代码、编号或编码）。\n")
    assert not output.exists()



def test_a_data_file_header_is_shown_on_one_line_and_cut(inputs: tuple[Path, Path, Path]) -> None:
    """A data file as the roster: header cells with line breaks and tabs, one a paragraph long, and many of
    them, are named on one line (one sentence), long ones cut."""
    plan_json, roster, output = inputs
    long = "本列为各地统计口径说明文字用于核对数据来源请勿删除"
    roster.write_text(f'"学 号\n（新）",{long},"班级\t名称",a,b,c,d,e,f,g,h\n1,张三,一班,1,2,3,4,5,6,7,8\n',
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(plan_json), "-o", str(output), "--units", str(roster)])
    assert (result.exit_code, result.output) == (
        2, f"错误：填报单位名单「名单.csv」缺少「代码」列：找到的列为「学 号 （新）」「{long[:20]}…」「班级 名称」「a」「b」「c」"
           "「d」「e」等 11 列，需要「代码」和「名称」两列（代码也可写作单位代码、学校代码、编号或编码）。\n")
    assert not output.exists()

def test_an_existing_workbook_is_backed_up_not_overwritten(inputs: tuple[Path, Path, Path]) -> None:
    import os

    plan_json, roster, output = inputs
    args = ["build", str(plan_json), "-o", str(output), "--units", str(roster)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    first = output.read_bytes()
    result = CliRunner().invoke(cli, args)  # the same bytes again: nothing to keep
    assert result.exit_code == 0, result.output
    assert result.output == f"已写入台账：{output}\n"
    assert not (output.parent / "备份").exists()
    output.write_bytes(first + b"officer's edits")
    os.utime(output, (1765094102, 1765094102))  # 2025-12-07 07:55:02 UTC
    saved = time.strftime("%Y%m%d-%H%M%S", time.localtime(1765094102))
    result = CliRunner().invoke(cli, args)
    backup = output.parent / "备份" / f"台账.{saved}.xlsx"
    assert result.exit_code == 0, result.output
    assert result.output == f"原台账已备份为：{backup}\n已写入台账：{output}\n"
    assert backup.read_bytes() == first + b"officer's edits"
    output.write_bytes(b"more edits")
    os.utime(output, (1765094102, 1765094102))
    result = CliRunner().invoke(cli, args)
    assert f"原台账已备份为：{backup.with_name(f'台账.{saved}-2.xlsx')}\n" in result.output
    assert sorted(p.name for p in output.parent.iterdir()) == ["台账.xlsx", "备份"]


def test_output_open_in_excel_is_one_sentence_and_the_old_file_stays(inputs, monkeypatch) -> None:
    plan_json, _, output = inputs
    assert CliRunner().invoke(cli, ["build", str(plan_json), "-o", str(output)]).exit_code == 0
    before = output.read_bytes()

    def locked(src, dst) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("workplan_xl.outputs.os.replace", locked)
    result = CliRunner().invoke(cli, ["build", str(plan_json), "-o", str(output)])
    assert result.exit_code == 2
    assert result.output == ("错误：「台账.xlsx」无法写入（Permission denied）：文件可能正在 Excel、Word 或 WPS 中打开，"
                             "请关闭后重新运行。\n")
    assert output.read_bytes() == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["台账.xlsx"]


def test_rebuild_from_the_workbook_keeps_the_untracked_summary(inputs: tuple[Path, Path, Path]) -> None:
    plan_json, roster, output = inputs
    assert CliRunner().invoke(cli, ["build", str(plan_json), "-o", str(output), "--units", str(roster)]).exit_code == 0
    again = output.with_name("新台账.xlsx")
    result = CliRunner().invoke(cli, ["build", str(output), "-o", str(again)])
    assert result.exit_code == 0, result.output
    plan = read_master_workbook(again, include_other_parts=True)
    assert [p.kind for p in plan.parts] == ["summary", "plan"]
    assert [u.code for u in plan.units] == ["0012", "1001", "2001"]


def test_parse_prints_the_outline_of_a_workbook(inputs: tuple[Path, Path, Path]) -> None:
    plan_json, roster, output = inputs
    assert CliRunner().invoke(cli, ["build", str(plan_json), "-o", str(output), "--units", str(roster)]).exit_code == 0
    result = CliRunner().invoke(cli, ["parse", str(output)])
    assert result.exit_code == 0, result.output
    for text in ("某县教育局2025年工作要点", "夯实基础工作", "完善督导制度", "守牢安全底线"):
        assert text in result.output


def test_build_refuses_a_spreadsheet_that_is_not_a_workbook(tmp_path: Path) -> None:
    other = tmp_path / "别的表.xlsx"
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(other))
    workbook.add_worksheet()
    workbook.close()
    result = CliRunner().invoke(cli, ["build", str(other), "-o", str(tmp_path / "台账.xlsx")])
    assert result.exit_code == 2
    assert result.output == "错误：「别的表.xlsx」里没有可读取的文字：请检查是否选错了文件。\n"


def test_a_folder_that_cannot_be_written(inputs, monkeypatch) -> None:
    plan_json, _, output = inputs
    import workplan_xl.master_workbook.build as build
    from workplan_xl.errors import OutputError

    def refuse(plan, path):
        raise OutputError("x")

    monkeypatch.setattr(build, "write_master_workbook", refuse)
    result = CliRunner().invoke(cli, ["build", str(plan_json), "-o", str(output)])
    assert result.exit_code == 2
    assert result.output == (f"错误：无法在文件夹「{output.parent}」中写入「台账.xlsx」：请检查该文件夹是否可写，"
                             "或用 -o 指定另一个位置。\n")


SUMMARY_ONLY = """某县教育督导室2025年工作总结

2025年，县教育督导室认真履行督政、督学和评估监测职能，各项工作取得新进展。

一、主要工作及成效
（一）督政工作有序开展。完成对8个乡镇履行教育职责的评价。
（二）责任督学挂牌督导实现全覆盖。全年开展经常性督导300校次。

二、存在的不足
一是督导结果运用不够充分；二是督学专业培训偏少。

三、下一步工作打算
一是健全问责机制；二是加强督学培训。
"""


def test_a_summary_alone_is_not_made_into_a_master_workbook(inputs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    # Last year's 总结 picked at the start of the year instead of this year's 要点: told so, nothing written.
    _, roster, output = inputs
    summary = tmp_path / "去年 材料" / "2025年工作总结.txt"
    summary.parent.mkdir()
    summary.write_text(SUMMARY_ONLY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(summary), "-o", str(output), "--units", str(roster)])
    assert result.exit_code == 2
    assert result.stderr == ("错误：「2025年工作总结.txt」是工作总结（某县教育督导室2025年工作总结），不是工作要点或工作计划：台账要按"
                             "本年度的工作要点（或工作计划、任务分解表）生成，请给出那份文件；如果要跟踪其中的“工作打算”，请把这部分"
                             "另存为单独的文档后再生成。\n")
    assert not output.exists()
    parsed = CliRunner().invoke(cli, ["parse", str(summary)])  # parse still shows it (to read a summary is fine)
    assert parsed.exit_code == 0 and "【工作总结（2025年）】" in parsed.output
