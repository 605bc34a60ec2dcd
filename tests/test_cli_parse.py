"""`wpx parse FILE [--json PATH|-]`: outline on screen, JSON out, and the exact errors a user sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workplan_xl.cli import cli
from workplan_xl.plan import SCHEMA, Plan

PLAN_TEXT = """东湖区教育督导室文件

东督室〔2025〕3号

东湖区教育督导室2025年工作要点

一、总体要求

坚持立德树人，推动教育督导高质量发展。

二、重点任务

（一）开展综合督导。由督导室牵头，9月底前完成全部学校的综合督导，覆盖率达到100%。

（二）健全督学队伍。新聘兼职督学不少于20名，一是公开遴选，二是集中培训。

三、保障措施。加强组织领导，压实工作责任。

东湖区教育督导室

2025年2月10日
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "工作要点.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    return path


def test_outline_on_screen(runner: CliRunner, plan_file: Path) -> None:
    result = runner.invoke(cli, ["parse", str(plan_file)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "东湖区教育督导室2025年工作要点"
    assert lines[1] == "  年度：2025　发文单位：东湖区教育督导室　文号：东督室〔2025〕3号　日期：2025-02-10"
    assert "  一、总体要求  [背景]" in lines
    assert "  二、重点任务" in lines
    assert any(line.startswith("      T001 （一）开展综合督导") and "月份9" in line and "责任:督导室" in line
               for line in lines)
    assert any(line.startswith("  三、保障措施  [T003]") for line in lines)
    assert lines[-1].startswith("合计：1 个部分，3 个板块，3 项任务，")
    assert result.stderr == ""


def test_json_to_stdout(runner: CliRunner, plan_file: Path) -> None:
    result = runner.invoke(cli, ["parse", str(plan_file), "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == SCHEMA == "workplan-xl/plan@1"
    assert data["title"] == "东湖区教育督导室2025年工作要点"
    assert data["source"]["file"] == "工作要点.txt"
    plan = Plan.from_dict(data)
    assert [t.title for t in plan.tasks()] == ["开展综合督导", "健全督学队伍", "保障措施"]


def test_json_to_a_chinese_folder_with_spaces(runner: CliRunner, plan_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "督导 资料 2025"
    folder.mkdir()
    out = folder / "解析 结果.json"
    result = runner.invoke(cli, ["parse", str(plan_file), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"已写入Plan JSON：{out}\n"
    plan = Plan.from_json(out.read_text(encoding="utf-8"))
    assert plan.doc_number == "东督室〔2025〕3号"


def test_json_plan_reads_back(runner: CliRunner, plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    assert runner.invoke(cli, ["parse", str(plan_file), "--json", str(out)]).exit_code == 0
    result = runner.invoke(cli, ["parse", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "东湖区教育督导室2025年工作要点"


def test_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["parse", str(tmp_path / "没有这个文件.docx")])
    assert result.exit_code == 2
    assert "没有这个文件.docx" in result.stderr
    assert "错误：找不到「" in result.stderr and "请检查路径是否正确" in result.stderr
    assert "Traceback" not in result.output


def test_old_word_file(runner: CliRunner, tmp_path: Path, soffice: str) -> None:
    path = tmp_path / "旧版.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    result = runner.invoke(cli, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.stderr == ("错误：「旧版.doc」是旧版 Word 文档（.doc），LibreOffice 无法转换它（文件可能已损坏、加了密码或"
                             "不是文档）：请在 Word/WPS 中打开并另存为 .docx 后再试。\n")
    assert result.stdout == ""


def test_plan_without_structure(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "会议纪要.txt"
    path.write_text("会议纪要\n\n今天开会讨论了有关事项。\n\n大家发表了意见。\n", encoding="utf-8")
    result = runner.invoke(cli, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.stderr == ("错误：「会议纪要.txt」中找不到带编号的工作任务（如“一、”“（一）”“1.”）："
                             "请确认这是工作要点或工作计划。\n")
    assert "Traceback" not in result.stderr


def test_json_that_is_not_a_plan(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "其他.json"
    path.write_text('{"name": "不是计划"}', encoding="utf-8")
    result = runner.invoke(cli, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.stderr == ("错误：「其他.json」不是 workplan_xl 的 Plan JSON（应含 \"schema\": \"workplan-xl/plan@1\"）："
                             "请给出 wpx parse --json 生成的文件，或工作要点文档本身。\n")


def test_verbose_shows_traceback(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "会议纪要.txt"
    path.write_text("今天开会讨论了有关事项。\n", encoding="utf-8")
    quiet = runner.invoke(cli, ["parse", str(path)])
    loud = runner.invoke(cli, ["--verbose", "parse", str(path)])
    assert quiet.exit_code == loud.exit_code == 2
    assert "Traceback" not in quiet.stderr
    assert "Traceback (most recent call last)" in loud.stderr
    assert "PlanStructureError" in loud.stderr
    assert loud.stderr.rstrip().endswith("请确认这是工作要点或工作计划。")


def test_master_workbook_reads_back(runner: CliRunner, plan_file: Path, tmp_path: Path) -> None:
    master = tmp_path / "台账.xlsx"
    built = runner.invoke(cli, ["build", str(plan_file), "-o", str(master)])
    assert built.exit_code == 0, built.output
    result = runner.invoke(cli, ["parse", str(master)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "东湖区教育督导室2025年工作要点"
    assert "      T001 （一）开展综合督导" in result.stdout


def test_a_document_with_numbered_items_and_no_chinese_is_not_a_plan(tmp_path: Path) -> None:
    """A library's manual or a reference list has numbered items too; a 工作要点 is written in Chinese,
    so numbered items without one Chinese character are no plan: parse and build say so, no 台账 is made."""
    import docx

    folder = tmp_path / "外来 文件"
    folder.mkdir()
    document = docx.Document()
    document.add_paragraph("Release notes")
    for number, line in enumerate(["Install the package.", "Run the tests.", "Report bugs on the tracker."], 1):
        document.add_paragraph(f"{number}. {line}")
    manual = folder / "user manual.docx"
    document.save(manual)
    sentence = ("错误：「user manual.docx」中找到的 3 个条目都不含中文（如“Install the package.”），"
                "不像工作要点或工作计划：请确认选对了文件。\n")
    result = CliRunner().invoke(cli, ["parse", str(manual)])
    assert (result.exit_code, result.output) == (2, sentence)
    result = CliRunner().invoke(cli, ["build", str(manual), "-o", str(tmp_path / "台 账.xlsx")])
    assert (result.exit_code, result.output) == (2, sentence)
    assert not (tmp_path / "台 账.xlsx").exists()
