"""汇总.xlsx: the five sheets by content, return text as inert strings, office conventions, no
timestamps (same input, same bytes), and a clear error when the file is open in Excel."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_returns import make_plan

from workplan_xl.consolidated_workbook import write_consolidated_workbook
from workplan_xl.errors import OutputError
from workplan_xl.progress import (
    MISSING,
    PROBLEM,
    REPORTED,
    Entry,
    Problem,
    Progress,
    UnitReport,
    compute_progress,
)

PAYLOADS = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)",
            "=DDE(\"cmd\";\"/C calc\";\"x\")", "http://example.com/x"]


def progress_of(plan, entries, states) -> Progress:
    reports = []
    for unit, (state, file) in zip(plan.units, states, strict=True):
        reports.append(UnitReport(unit, state, file, "2024-06-01T09:30:00" if file else "",
                                  "按隐藏信息识别" if file else "", ["完成状态「好」不是可选项"] if state == PROBLEM else []))
    problems = [Problem("=cmd|' /C calc'!A0.xlsx", "第二中学", "任务进展!F5", "完成状态「=HYPERLINK(1)」不是可选项", "请改正")]
    return compute_progress(plan, entries, reports, problems, "2024-06")


def sample_entries() -> list[Entry]:
    return [Entry("1001", "T001", "status", "已完成"), Entry("1001", "T001", "progress", PAYLOADS[0]),
            Entry("1001", "T002", "progress", PAYLOADS[1]), Entry("1001", "T003", "remark", PAYLOADS[2]),
            Entry("1001", "I001", "value", "96", "「96%」按96计"), Entry("1001", "I002", "value", "120"),
            Entry("1002", "T001", "status", "推进中"), Entry("1002", "T001", "progress", PAYLOADS[3]),
            Entry("1002", "T002", "evidence", PAYLOADS[4]), Entry("1002", "T003", "progress", PAYLOADS[5]),
            Entry("1002", "T003", "remark", PAYLOADS[6]), Entry("1002", "I001", "value", "90")]


@pytest.fixture
def progress() -> Progress:
    return progress_of(make_plan(), sample_entries(),
                       [(REPORTED, "a.xlsx"), (PROBLEM, "b.xlsx"), (MISSING, ""), (MISSING, "")])


def rows(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_sheets_and_their_content(progress: Progress, tmp_path: Path) -> None:
    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=sample_entries())
    wb = load_workbook(path)
    assert wb.sheetnames == ["报送情况", "任务汇总", "指标汇总", "明细", "问题清单"]
    units = rows(wb["报送情况"])
    assert units[2] == ["代码", "名称", "类型", "状态", "报送时间", "文件", "识别方式", "问题"]
    assert [r[:4] for r in units[3:]] == [["1003", "实验小学", "学校", "未报"], ["1004", "城关幼儿园", "学校", "未报"],
                                          ["1002", "第二中学", "学校", "有问题"], ["1001", "第一中学", "学校", "已报"]]
    assert units[6][4:7] == ["2024-06-01 09:30", "a.xlsx", "按隐藏信息识别"]
    assert "批次：2024-06" in units[1][0] and "以文件修改时间较晚者为准，时间相同按文件名排序" in units[1][0]
    tasks = rows(wb["任务汇总"])
    assert tasks[2] == ["任务编号", "重点任务", "总体状态", "应报单位数", "已报", "未启动", "推进中", "已完成", "不适用",
                        "未报单位", "进展情况"]
    assert tasks[3][:10] == ["一.1", "推进课后服务提质", "推进中", 4, 2, 0, 1, 1, 0, "实验小学、城关幼儿园"]
    assert tasks[3][10] == f"第一中学：{PAYLOADS[0]}\n第二中学：{PAYLOADS[3]}"
    indicators = rows(wb["指标汇总"])
    assert indicators[3] == ["课后服务覆盖率", "≥", 95, "%", "平均", 93, 97.9, "否", 2, 4]
    assert indicators[4] == ["培训教师人数", "≥", 300, "人", "求和", 120, 40, "否", 1, 4]
    details = rows(wb["明细"])
    assert details[2] == ["单位代码", "单位名称", "类别", "编号", "事项", "字段", "填报值", "说明/备注", "来源文件"]
    assert details[3] == ["1001", "第一中学", "任务", "一.1", "推进课后服务提质", "完成状态", "已完成", None, "a.xlsx"]
    assert ["1001", "第一中学", "指标", "I001", "课后服务覆盖率", "填报值", 96, "「96%」按96计", "a.xlsx"] in details
    assert len(details) == 3 + 12
    problems = rows(wb["问题清单"])
    assert problems[2] == ["文件", "单位", "位置（单元格）", "问题", "处理建议"]
    assert problems[3] == ["=cmd|' /C calc'!A0.xlsx", "第二中学", "任务进展!F5", "完成状态「=HYPERLINK(1)」不是可选项", "请改正"]


def test_return_text_is_never_a_formula_or_link(progress: Progress, tmp_path: Path) -> None:
    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=sample_entries())
    wb = load_workbook(path)
    seen = set()
    for sheet in wb:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(p in cell.value for p in PAYLOADS):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
                    assert cell.hyperlink is None
                    seen.update(p for p in PAYLOADS if p in cell.value)
    assert seen == set(PAYLOADS)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name
        assert not any("hyperlink" in n or "externalLink" in n for n in archive.namelist())


def test_office_conventions(progress: Progress, tmp_path: Path) -> None:
    wb = load_workbook(write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=sample_entries()))
    for sheet in wb:
        assert sheet.freeze_panes == "A4"
        assert sheet.print_title_rows == "$3:$3"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
        assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out of the file
        assert sheet["A3"].font.name == "宋体"
    names = wb["报送情况"].column_dimensions["B"].width
    assert names >= 12  # 城关幼儿园 is 10 columns wide in CJK terms


def test_same_input_same_bytes(progress: Progress, tmp_path: Path) -> None:
    a = write_consolidated_workbook(progress, tmp_path / "a.xlsx", details=sample_entries()).read_bytes()
    b = write_consolidated_workbook(progress, tmp_path / "b.xlsx", details=sample_entries()).read_bytes()
    assert a == b


def test_overwrites_its_own_output_but_not_an_open_one(progress: Progress, tmp_path: Path) -> None:
    path = tmp_path / "汇总.xlsx"
    path.write_bytes(b"old")
    write_consolidated_workbook(progress, path)
    assert path.read_bytes()[:2] == b"PK"
    (tmp_path / "~$汇总.xlsx").write_bytes(b"lock")
    with pytest.raises(OutputError) as error:
        write_consolidated_workbook(progress, path)
    assert str(error.value) == f"汇总表「{path}」正在 Excel/WPS 中打开：请关闭后重新运行（或用 -o 另存到别处）。"
    with pytest.raises(OutputError):
        write_consolidated_workbook(progress, tmp_path / "没有的文件夹" / "汇总.xlsx")
    assert not list(tmp_path.glob(".*.tmp.xlsx"))


def test_big_details_sheet(tmp_path: Path) -> None:
    plan = make_plan(units=8)
    entries = [Entry(u.code, "T001", "progress", f"第{i}条进展") for i in range(7600) for u in plan.units]
    progress = progress_of(plan, entries[:10], [(REPORTED, "x.xlsx")] * 8)
    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=entries)
    wb = load_workbook(path, read_only=True)
    sheet = wb["明细"]
    assert sheet.max_row == 3 + len(entries) > 60_000


def test_details_beyond_excels_rows_go_on_further_sheets(progress: Progress, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import workplan_xl.consolidated_workbook as package

    monkeypatch.setattr(package, "MAX_ROWS", 5)
    wb = load_workbook(write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=sample_entries()))
    assert wb.sheetnames == ["报送情况", "任务汇总", "指标汇总", "明细", "明细(2)", "明细(3)", "问题清单"]
    assert [len(rows(wb[n])) - 3 for n in ("明细", "明细(2)", "明细(3)")] == [5, 5, 2]
    assert rows(wb["明细(3)"])[3][:2] == ["1002", "第二中学"]


@pytest.mark.libreoffice
def test_libreoffice_opens_the_streamed_rows(progress: Progress, tmp_path: Path, lo_convert) -> None:
    from python_calamine import CalamineWorkbook

    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=sample_entries())
    ods = lo_convert(path, "ods", tmp_path / "lo")
    sheet = CalamineWorkbook.from_path(str(ods)).get_sheet_by_name("明细").to_python()
    assert sheet[2][0] == "单位代码" and len(sheet) == 3 + 12
    assert sheet[4][6] == PAYLOADS[0] and sheet[7][6] == 96
