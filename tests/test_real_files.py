"""Odd and hostile files of our own making (tests/hostile_files.py), in every role, through the CLI:
no exit 1, one Chinese sentence with the file's name and what to do, exit 2 for a roster or 台账 that
cannot be used, exit 3 for returns; every file in a returns folder listed in 汇总.xlsx's 文件清单 with
its fate and reason; no reader's English in anything a user reads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_files import (
    BIG_XLS,
    FODS,
    HTML_XLS,
    LOCKED_ODS,
    LOCKED_XLS,
    LOCKED_XLSX,
    NUMBERS,
    ODS_BOMB,
    RTF,
    WORD_WITH_SHEET,
    XML_2003,
    install_panicking_calamine,
    ole_file,
    relocated_xlsx,
)
from hostile_files import with_part as _with_part
from hostile_files import xlsx_bytes as _xlsx
from openpyxl import load_workbook
from test_returns import fill, make_forms, make_plan

from workplan_xl.cli import cli
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook

PLAN = Path(__file__).resolve().parent.parent / "workplan_xl" / "examples" / "plan_2025.txt"
RESAVE = "请用 Excel 或 WPS 打开，另存为 .xlsx 后重新报送。"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _one_sentence(result, exit_code: int, sentence: str) -> None:
    assert result.exit_code == exit_code, result.output
    assert result.output == f"错误：{sentence}\n"


@pytest.fixture
def fake_panicking_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """python_calamine replaced by one whose reader panics (hostile_files.install_panicking_calamine)."""
    install_panicking_calamine(tmp_path, monkeypatch)


# -- rosters (wpx build --units) ---------------------------------------------------------------------
@pytest.mark.parametrize(("name", "data"), [
    ("名单 Mac.csv", "代码,名称\r1001,第一中学\r1002,城关小学\r".encode()),
    ("名单 Unicode.csv", "代码\t名称\r\n1001\t第一中学\r\n1002\t城关小学\r\n".encode("utf-16")),
    ("名单.xls", "代码\t名称\n1001\t第一中学\n1002\t城关小学\n".encode("gb18030")),  # text saved as .xls
])
def test_odd_rosters_are_read(tmp_path: Path, name: str, data: bytes) -> None:
    roster = tmp_path / "名 单" / name
    roster.parent.mkdir()
    roster.write_bytes(data)
    result = run("build", str(PLAN), "--units", str(roster), "-o", str(tmp_path / "台账.xlsx"))
    assert result.exit_code == 0, result.output
    units = read_master_workbook(tmp_path / "台账.xlsx").units
    assert [(u.code, u.name) for u in units] == [("1001", "第一中学"), ("1002", "城关小学")]


@pytest.mark.parametrize(("name", "data", "sentence"), [
    ("大表.xls", BIG_XLS, "填报单位名单「大表.xls」的工作表声称有极大的范围（65536 行 × 256 列），为安全起见未读取："
                        "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"),
    ("大表.ods", ODS_BOMB, "填报单位名单「大表.ods」的工作表声称有极大的范围（10000 行 × 1000 列），为安全起见未读取："
                        "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"),
    ("加密.xls", LOCKED_XLS, "填报单位名单「加密.xls」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。"),
    ("加密.ods", LOCKED_ODS, "填报单位名单「加密.ods」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。"),
    ("加密.xlsx", LOCKED_XLSX, "填报单位名单「加密.xlsx」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。"),
    ("文档.xls", WORD_WITH_SHEET, "填报单位名单「文档.xls」无法读取（不是表格文件，是Word 文档）：请提供 .xlsx、.xls、.ods 或 .csv 文件。"),
    ("名单.xlsx", XML_2003, "填报单位名单「名单.xlsx」缺少「代码」列：找到的列为「完成状态」，需要「代码」和「名称」两列"
                          "（代码也可写作单位代码、学校代码、编号或编码）。"),  # read (2003 XML), but no roster in it
    ("名单.numbers", NUMBERS, "填报单位名单「名单.numbers」是Apple Numbers 表格，无法直接读取：请在 Numbers 中选择“文件 → "
                             "导出为 → Excel”，存为 .xlsx 后再试。"),
    ("名单.ods", b"PK\x03\x04" + b"\x00" * 40, "填报单位名单「名单.ods」无法读取（文件损坏或不是表格文件）：请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"),
])
def test_hostile_rosters_are_one_sentence_exit_2(tmp_path: Path, name: str, data: bytes, sentence: str) -> None:
    roster = tmp_path / name
    roster.write_bytes(data)
    result = run("build", str(PLAN), "--units", str(roster), "-o", str(tmp_path / "台账.xlsx"))
    _one_sentence(result, 2, sentence)
    assert not (tmp_path / "台账.xlsx").exists()


def test_a_reader_panic_on_a_roster_is_one_sentence(tmp_path: Path, fake_panicking_reader: None) -> None:
    roster = tmp_path / "名单.xlsx"
    roster.write_bytes(_xlsx([["代码", "名称"], ["1001", "第一中学"]]))
    result = run("build", str(PLAN), "--units", str(roster), "-o", str(tmp_path / "台账.xlsx"))
    _one_sentence(result, 2, "填报单位名单「名单.xlsx」无法读取（文件损坏或不是表格文件）：请用 Excel 或 WPS 打开后另存为 .xlsx 再试。")


# -- a foreign .xlsx given as the 台账 ---------------------------------------------------------------
NOT_MASTER = "「{}」不是 wpx 生成的台账（无法作为 .xlsx 工作簿打开）：请先用 wpx build 生成台账。"
NO_META = "「{}」不是 wpx 生成的台账（缺少 _meta 工作表）：请先用 wpx build 生成台账。"


@pytest.mark.parametrize(("name", "make", "sentence"), [
    ("实体.xlsx", lambda: _with_part(_xlsx([["a"]]), "xl/worksheets/sheet1.xml",
                                    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>'),
     "「实体.xlsx」不是 wpx 生成的台账（结构异常，为安全起见未读取）：请先用 wpx build 生成台账。"),
    ("坏表.xlsx", lambda: _with_part(_xlsx([["schema"]], "_meta"), "xl/worksheets/sheet1.xml",
                                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></row></sheetData>'),
     "「坏表.xlsx」不是 wpx 生成的台账，或已损坏（读取时出错）：请确认选的是 wpx build 生成的台账.xlsx；"
     "如果是在 Excel/WPS 里改过的台账，请另存为 .xlsx 后再试。"),
    ("样式.xlsx", lambda: _with_part(_xlsx([["a"]]), "xl/styles.xml",
                                    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                    '<cellXfs count="1"><xf numFmtId="0" fontId="0" bogus="1"/></cellXfs></styleSheet>'),
     NO_META.format("样式.xlsx")),
    ("加密.xlsx", lambda: LOCKED_XLSX,
     "台账「加密.xlsx」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。"),
    ("表.xls", lambda: BIG_XLS, "「表.xls」是Excel 97-2003 工作簿（.xls），不是 wpx 生成的台账（台账是 .xlsx 工作簿）：请用 "
                              "wpx build 生成的台账；如果它是在 Excel 或 WPS 里另存过的台账，请再另存为 .xlsx（Excel 工作簿）后再试。"),
])
@pytest.mark.parametrize("command", ["forms", "collect"])
def test_a_foreign_workbook_as_the_master_is_one_sentence(tmp_path: Path, name: str, make, sentence: str,
                                                          command: str) -> None:
    master = tmp_path / "外 来" / name
    master.parent.mkdir()
    master.write_bytes(make())
    (tmp_path / "回表").mkdir()
    args = ["forms", str(master), "-o", str(tmp_path / "表")] if command == "forms" else [
        "collect", str(master), str(tmp_path / "回表")]
    _one_sentence(run(*args), 2, sentence)


# -- returns (wpx collect) ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    base = tmp_path_factory.mktemp("real") / "督导室 2024"
    base.mkdir()
    master = write_master_workbook(make_plan(units=4), base / "台账.xlsx")
    forms = make_forms(read_master_workbook(master), base / "填报表")
    filled = {code: fill(forms[code], base / f"{code}.xlsx") for code in ("1001", "1002")}
    return master, filled


def _files_sheet(path: Path) -> list[tuple]:
    rows = list(load_workbook(path, read_only=True)["文件清单"].iter_rows(values_only=True))
    return [tuple(v or "" for v in r) for r in rows[3:]]


def _copy(year: tuple[Path, dict[str, Path]], tmp_path: Path) -> tuple[Path, Path]:
    master, filled = year
    project = tmp_path / "项目 目录"
    project.mkdir()
    shutil.copy(master, project / "台账.xlsx")
    (project / "回表").mkdir()
    return project / "台账.xlsx", project / "回表"


def test_every_file_in_the_folder_is_accounted_for(year, tmp_path: Path) -> None:
    master, returns = _copy(year, tmp_path)
    filled = year[1]
    first = filled["1001"].read_bytes()
    files = {
        "第一中学 回表.xlsx": relocated_xlsx(first, "data", backslashes=True),  # workbook part moved, \ paths
        "第一中学 回表 副本.xlsx": relocated_xlsx(first, "data", backslashes=True),
        "第二中学.xlsx": filled["1002"].read_bytes(),
        "~$第二中学.xlsx": b"\x00" * 165,
        ".DS_Store": b"\x00\x00\x00\x01Bud1",
        "Thumbs.db": ole_file({"Catalog": b"\x00" * 10}),
        "实验小学.xls": BIG_XLS,
        "实验小学.ods": ODS_BOMB,
        "城关幼儿园.xls": LOCKED_XLS,
        "城关幼儿园.ods": LOCKED_ODS,
        "城关幼儿园 加密.xlsx": LOCKED_XLSX,
        "附件 说明.xls": WORD_WITH_SHEET,
        "说明.doc": RTF,
        "2003 格式.xml": XML_2003,
        "单文件.fods": FODS,
        "网页.xls": HTML_XLS,
    }
    for name, data in files.items():
        (returns / name).write_bytes(data)
    result = run("collect", str(master), str(returns))
    assert result.exit_code == 3, result.output
    assert re.search(r"[A-Za-z]{4,}", result.output.replace(str(master.parent), "").replace(".xlsx", "")
                     .replace(".DS_Store", "").replace("Thumbs", "")) is None, result.output
    listed = {row[0]: row for row in _files_sheet(master.parent / "汇总.xlsx")}
    assert set(listed) == set(files)
    fates = {name: row[3] for name, row in listed.items()}
    assert fates == {
        "第一中学 回表.xlsx": "重复", "第一中学 回表 副本.xlsx": "采用", "第二中学.xlsx": "采用",
        "~$第二中学.xlsx": "跳过", ".DS_Store": "跳过", "Thumbs.db": "跳过", "实验小学.xls": "未采用", "实验小学.ods": "未采用",
        "城关幼儿园.xls": "未采用", "城关幼儿园.ods": "未采用", "城关幼儿园 加密.xlsx": "未采用",
        "附件 说明.xls": "未采用", "说明.doc": "跳过", "2003 格式.xml": "未采用", "单文件.fods": "未采用",
        "网页.xls": "未采用"}
    why = {name: re.sub(r"（原文件已复制到.*）$", "", row[4]) for name, row in listed.items()}
    assert why["第一中学 回表.xlsx"] == "与「第一中学 回表 副本.xlsx」内容完全相同，只算一份"  # sorted: " " < "."
    assert why["~$第二中学.xlsx"] == "Excel/WPS/LibreOffice 打开文件时留下的临时锁定文件"
    assert why[".DS_Store"] == why["Thumbs.db"] == "操作系统生成的系统文件"
    assert why["实验小学.xls"] == "文件「实验小学.xls」的工作表声称有极大的范围（65536 行 × 256 列），为安全起见未读取"
    assert why["实验小学.ods"] == "文件「实验小学.ods」的工作表声称有极大的范围（10000 行 × 1000 列），为安全起见未读取"
    for name in ("城关幼儿园.xls", "城关幼儿园.ods", "城关幼儿园 加密.xlsx"):
        assert why[name] == f"文件「{name}」加了密码，无法读取"
    assert why["附件 说明.xls"] == "文件「附件 说明.xls」实际上不是 Excel 文件（是Word 文档）"
    assert why["说明.doc"] == "不是电子表格（是RTF 文档）"
    for name in ("2003 格式.xml", "单文件.fods", "网页.xls"):  # read (tests/test_markup_returns.py), but no form in them
        assert why[name] == f"文件「{name}」不是本次下发的填报表（找不到「任务进展」或「指标填报」表）"
    problems = list(load_workbook(master.parent / "汇总.xlsx", read_only=True)["问题清单"].iter_rows(values_only=True))
    actions = {r[0]: r[4] for r in problems[3:]}
    for name in ("2003 格式.xml", "单文件.fods", "网页.xls"):
        assert actions[name].startswith("请用下发的填报表重新填写后发送。")
    text = " ".join(str(v) for r in problems for v in r if v)
    assert "Error" not in text and "Calamine" not in text


@pytest.fixture(scope="module")
def year_plan(year: tuple[Path, dict[str, Path]]) -> str:
    """The year's Plan as JSON, read before any test swaps the reader (the 台账 is read with it too)."""
    return read_master_workbook(year[0]).to_json()


def test_a_reader_panic_costs_one_return(year, year_plan: str, tmp_path: Path, fake_panicking_reader: None) -> None:
    master, returns = _copy(year, tmp_path)
    plan = master.with_name("计划.json")  # the plan as JSON: the 台账 itself would need the (panicking) reader
    plan.write_text(year_plan, encoding="utf-8")
    shutil.copy(year[1]["1001"], returns / "第一中学.xlsx")
    result = run("collect", str(plan), str(returns))
    assert result.exit_code == 3, result.output
    [row] = _files_sheet(master.parent / "汇总.xlsx")
    assert row[:4] == ("第一中学.xlsx", "", "第一中学", "未采用")
    assert row[4].startswith("文件「第一中学.xlsx」无法读取（文件已损坏，或是不支持的表格格式）")


@pytest.mark.libreoffice
def test_an_xls_with_capitalised_stream_names_is_read(year, tmp_path: Path, lo_convert) -> None:
    master, returns = _copy(year, tmp_path)
    xls = lo_convert(year[1]["1001"], "xls", tmp_path / "转换")
    data = xls.read_bytes()
    for name in ("Workbook", "Book"):
        data = data.replace(name.encode("utf-16-le") + b"\x00\x00", name.upper().encode("utf-16-le") + b"\x00\x00")
    assert "WORKBOOK".encode("utf-16-le") in data or "BOOK".encode("utf-16-le") in data
    (returns / "第一中学 大写.xls").write_bytes(data)
    result = run("collect", str(master), str(returns))
    assert result.exit_code == 0, result.output
    assert _files_sheet(master.parent / "汇总.xlsx")[0][3] == "采用"


def test_a_numbers_file_is_named_with_what_to_do() -> None:
    """As a return read alone; a returns folder (zips and folder packages): tests/test_markup_returns.py."""
    from workplan_xl.returns import inspect_bytes
    from workplan_xl.returns.interpret import interpret
    from workplan_xl.returns.plan_index import PlanIndex

    reading = interpret(inspect_bytes(NUMBERS), PlanIndex(make_plan()), None, "苹果.numbers")
    assert (reading.status, reading.reason) == ("rejected", "文件「苹果.numbers」是Apple Numbers 表格，无法直接读取")
    assert reading.findings[0].action == "请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后重新报送。"
