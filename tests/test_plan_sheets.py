"""Spreadsheet plans (.xlsx .xls .ods .csv) and the same task table in Word, PDF and HTML; documents that
are not plans; the reader's isolation."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import fixtures_plans as fx
import pytest
from click.testing import CliRunner

from workplan_xl.cli import cli
from workplan_xl.errors import InputFileError
from workplan_xl.plan import Plan
from workplan_xl.plan_document import read_plan
from workplan_xl.plan_document.readers.isolated import run_isolated


def _rows(plan: Plan) -> list[tuple[str, str, list[str], list[str], str]]:
    return [(t.number, t.title, t.owners, t.partners, t.deadline) for p in plan.parts for s in p.sections
            for t in s.tasks]


def _sections(plan: Plan) -> list[str]:
    return [f"{s.numeral}、{s.title}" for p in plan.parts for s in p.sections]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "计划 文件夹"
    path.mkdir()
    return path


def test_xlsx_task_table_becomes_a_plan(folder: Path) -> None:
    plan = read_plan(fx.task_table_xlsx(folder / "任务 分解表.xlsx"))
    assert plan.title == fx.TITLE and plan.year == 2026
    assert _sections(plan) == ["一、学前教育普惠发展", "二、义务教育优质均衡"]
    assert _rows(plan) == fx.EXPECTED
    first, last = plan.parts[0].sections[0].tasks[0], plan.parts[0].sections[1].tasks[-1]
    assert first.text == "新建幼儿园3所，新增学位900个。完成园舍竣工验收。"  # a multi-line cell stays one task
    assert [(i.value, i.unit) for i in first.indicators] == [(3, "所"), (900, "个")]
    assert first.months == [9]
    assert last.text == "课后服务覆盖率保持100%。\n开发课后服务特色课程50门。"  # merged task: both measures
    assert "不应出现的隐藏任务" not in plan.to_json()


def test_cli_parse_and_build_from_a_spreadsheet(folder: Path) -> None:
    source = fx.task_table_xlsx(folder / "任务 分解表.xlsx")
    result = CliRunner().invoke(cli, ["parse", str(source)])
    assert result.exit_code == 0, result.output
    assert "T001 1.新建改扩建公办幼儿园" in result.output
    assert "责任:学前教育股、督导室" in result.output
    assert "合计：1 个部分，2 个板块，4 项任务" in result.output
    master = folder / "台账.xlsx"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(master)])
    assert result.exit_code == 0, result.output
    # the 台账 wpx wrote is recognised as a 台账 first, although it is a spreadsheet with a task table
    again = CliRunner().invoke(cli, ["parse", str(master)])
    assert again.exit_code == 0, again.output
    assert "合计：1 个部分，2 个板块，4 项任务" in again.output


def test_xls_and_ods_made_by_libreoffice(folder: Path, lo_convert) -> None:
    source = fx.task_table_xlsx(folder / "分解表.xlsx")
    for fmt in ("xls", "ods"):
        converted = lo_convert(source, fmt, folder / fmt)
        plan = read_plan(converted)
        assert _rows(plan) == fx.EXPECTED, fmt
        assert _sections(plan) == ["一、学前教育普惠发展", "二、义务教育优质均衡"], fmt
    # WPS 表格's .et is a BIFF workbook too: a renamed .xls reads the same
    et = folder / "分解表 WPS.et"
    et.write_bytes((folder / "xls" / "分解表.xls").read_bytes())
    assert _rows(read_plan(et)) == fx.EXPECTED


def test_csv_in_gbk(folder: Path) -> None:
    plan = read_plan(fx.task_table_csv(folder / "分解表.csv"))
    assert _rows(plan) == fx.EXPECTED
    assert _sections(plan) == ["一、学前教育普惠发展", "二、义务教育优质均衡"]


def test_same_table_in_word_and_pdf(folder: Path, lo_convert) -> None:
    source = fx.task_table_docx(folder / "分解表.docx")
    plan = read_plan(source)
    assert _rows(plan) == fx.EXPECTED
    assert _sections(plan) == ["一、学前教育普惠发展", "二、义务教育优质均衡"]
    pdf = read_plan(lo_convert(source, "pdf", folder / "pdf"))
    assert [r[:3] for r in _rows(pdf)] == [r[:3] for r in fx.EXPECTED]


def test_same_table_as_a_web_page(folder: Path) -> None:
    plan = read_plan(fx.task_table_html(folder / "分解表.html"))
    assert plan.title == fx.TITLE
    assert _rows(plan) == fx.EXPECTED
    assert _sections(plan) == ["一、学前教育普惠发展", "二、义务教育优质均衡"]


def test_month_columns_are_the_schedule(folder: Path) -> None:
    plan = read_plan(fx.month_grid_xlsx(folder / "配档表.xlsx"))
    tasks = [t for p in plan.parts for s in p.sections for t in s.tasks]
    assert [(t.title, t.owners, t.months) for t in tasks] == [
        ("开展春季开学安全检查", ["安全股"], [2, 3]), ("组织中考体育测试", ["体卫艺股"], [4, 5]),
        ("举办教师基本功大赛", ["教研室"], [10])]


def test_documents_that_are_not_plans(folder: Path) -> None:
    import docx
    import xlsxwriter

    document = docx.Document()
    document.add_paragraph("关于报送联系人的函")
    table = document.add_table(rows=2, cols=3)
    for c, value in enumerate(["姓名", "单位", "电话"]):
        table.cell(0, c).text = value
    for c, value in enumerate(["张某", "第一中学", "0931-1234567"]):
        table.cell(1, c).text = value
    document.save(str(folder / "联系人.docx"))
    workbook = xlsxwriter.Workbook(str(folder / "成绩 统计.xlsx"))
    workbook.add_worksheet().write_row(0, 0, ["姓名", "语文", "数学"])
    workbook.close()
    result = CliRunner().invoke(cli, ["parse", str(folder / "联系人.docx")])
    assert result.exit_code == 2
    assert result.output == ("错误：「联系人.docx」中找不到工作任务：没有带编号的条目（如“一、”“（一）”“1.”），其中的表格也不是"
                             "任务表（表头应有“重点任务”“牵头单位”“完成时限”等列）：请确认这是工作要点、工作计划或任务分解表。\n")
    result = CliRunner().invoke(cli, ["build", str(folder / "成绩 统计.xlsx"), "-o", str(folder / "台账.xlsx")])
    assert result.exit_code == 2
    assert result.output == ("错误：「成绩 统计.xlsx」中找不到任务表（表头应有“重点任务”或“工作任务”一列，以及“牵头单位”"
                             "“完成时限”等列）：请确认这是任务分解表或工作计划。\n")
    assert not (folder / "台账.xlsx").exists()


def test_a_reader_that_dies_or_panics_costs_a_sentence() -> None:
    # SystemExit stands for pyo3's PanicException: both derive from BaseException, not Exception
    with pytest.raises(InputFileError) as err:
        run_isolated(sys.exit, "3", name="坏表.xlsx")
    assert str(err.value) == "「坏表.xlsx」这份电子表格无法读取（文件可能已损坏或格式异常）：请在 Excel/WPS 中打开后另存为 .xlsx 再试。"
    with pytest.raises(InputFileError) as err:
        run_isolated(os._exit, 9, name="坏表.xlsx")  # type: ignore[arg-type]  # the process just ends
    assert str(err.value) == ("「坏表.xlsx」读取时占用内存过多或读取程序异常退出（文件可能过大、已损坏或是恶意文件）："
                              "请在 Excel/WPS 中打开后另存为 .xlsx 再试。")


def test_our_own_summary_workbook_is_no_plan(folder: Path) -> None:
    import xlsxwriter

    path = folder / "汇总 2026.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("报送情况")
    workbook.add_worksheet("任务汇总").write_row(0, 0, ["编号", "任务", "牵头单位", "已完成"])
    workbook.add_worksheet("问题清单")
    workbook.close()
    result = CliRunner().invoke(cli, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.output == ("错误：「汇总 2026.xlsx」是 wpx collect 生成的汇总表，不是台账：请给出台账文件（wpx build 生成的，"
                             "如 台账.xlsx），台账数据库就在它旁边。\n")


def test_a_line_break_separates_units_in_owner_and_partner_cells(tmp_path):
    import xlsxwriter

    path = tmp_path / "分解 表.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("任务")
    sheet.merge_range(0, 0, 0, 4, "某县教育局2026年重点工作任务分解表")
    sheet.write_row(2, 0, ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])
    sheet.merge_range(3, 0, 3, 4, "一、守牢安全底线")
    sheet.write_row(4, 0, ["1", "开展校园安全隐患排查，整改率\n达到100%", "安全科\n后勤科", "各学校\n各幼儿园", "每季度末"])
    sheet.write_row(5, 0, ["2", "组织防溺水专题教育", "德育科", "各中小学、\n团委", "6月底前"])
    book.close()
    rows = _rows(read_plan(path))
    assert [(title, owners, partners) for _, title, owners, partners, _ in rows] == [
        ("开展校园安全隐患排查，整改率达到100%", ["安全科", "后勤科"], ["各学校", "各幼儿园"]),
        ("组织防溺水专题教育", ["德育科"], ["各中小学", "团委"]),
    ]


@pytest.mark.libreoffice
def test_task_tables_saved_as_markup_by_libreoffice(folder: Path, lo_convert) -> None:
    """.fods, Excel 2003 XML and a Calc web page are read by the returns' own readers, as tables."""
    import re

    source = fx.task_table_xlsx(folder / "分解表.xlsx")
    flat = lo_convert(source, "fods", folder / "fods")
    assert _rows(read_plan(flat)) == fx.EXPECTED
    page = lo_convert(source, "html:HTML (StarCalc)", folder / "html")  # hidden sheets are left out of it
    assert _rows(read_plan(page)) == fx.EXPECTED
    assert _sections(read_plan(page)) == ["一、学前教育普惠发展", "二、义务教育优质均衡"]
    # LibreOffice's 2003 XML export (see test_markup_returns.lo_spreadsheetml) writes no x:Visible, so the
    # hidden sheet's row comes back as a visible sheet's: that is in the file, not the reader
    trimmed = folder / "trimmed" / "分解表.fods"
    trimmed.parent.mkdir()
    trimmed.write_text(re.sub(r' table:number-(?:columns|rows)-repeated="\d{4,}"', "", flat.read_text("utf-8")), "utf-8")
    xml = lo_convert(trimmed, "xml:MS Excel 2003 XML", folder / "xml")
    assert _rows(read_plan(xml)) == [*fx.EXPECTED, ("9", "不应出现的隐藏任务", ["某股"], [], "")]


def test_a_numbers_file_as_a_plan_is_one_sentence(folder: Path) -> None:
    import zipfile

    path = folder / "分解表 苹果.numbers"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00\x01")
    result = CliRunner().invoke(cli, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.output == ("错误：「分解表 苹果.numbers」是Apple Numbers 表格，无法直接读取：请在 Numbers 中选择“文件 → 导出为 → "
                             "Excel”，存为 .xlsx 后再试。\n")
    package = folder / "分解表 文件夹.numbers"
    (package / "Metadata").mkdir(parents=True)
    (package / "Index.zip").write_bytes(path.read_bytes())
    result = CliRunner().invoke(cli, ["parse", str(package)], prog_name="wpx")
    assert result.exit_code == 2
    assert result.output == ("错误：「分解表 文件夹.numbers」是Apple Numbers 表格，无法直接读取：请在 Numbers 中选择“文件 → 导出为 → "
                             "Excel”，存为 .xlsx 后再试。用 wpx parse --help 查看用法。\n")
