"""汇总.xlsx: the five sheets by content, return text as inert strings, office conventions, no
timestamps (same input, same bytes), a clear error when the file is open in Excel; what an officer
sees (missing units first and marked, row heights, capped cells, figures as the report prints them,
达成 colours); the streamed 明细 rows as valid SpreadsheetML; LibreOffice opens and prints it all."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_returns import make_plan

from workplan_xl.consolidated_workbook import write_consolidated_workbook
from workplan_xl.consolidated_workbook.details import detail_rows, unit_files
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
    plan.units[1].contact, plan.units[1].phone = "=HYPERLINK(\"tel:1\")", "+1+1"  # roster text is inert too
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
    assert units[2] == ["代码", "名称", "类型", "状态", "报送时间", "文件", "识别方式", "问题", "联系人", "电话",
                        "填报人", "审核人", "填报人电话", "填报日期"]
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
    assert indicators[2][7] == "是否达成"
    assert indicators[3] == ["课后服务覆盖率", "≥", 95, "%", "平均", 93, 97.9, "未达成", 2, 4]
    assert indicators[4] == ["培训教师人数", "≥", 300, "人", "求和", 120, 40, "未达成", 1, 4]
    details = rows(wb["明细"])
    assert details[2] == DETAIL_HEADERS
    # one row per unit × item, its answers side by side; 说明 names the field a note is about
    assert details[3] == ["1001", "第一中学", "任务", "一.1", "推进课后服务提质", "已完成", PAYLOADS[0], *[None] * 8, "a.xlsx"]
    assert details[4] == ["1001", "第一中学", "任务", "一.2", "加强校园安全管理", None, PAYLOADS[1], *[None] * 8, "a.xlsx"]
    assert ["1001", "第一中学", "指标", "I001", "课后服务覆盖率", *[None] * 8, 96, "填报值：「96%」按96计", "a.xlsx"] in details
    assert ["1002", "第二中学", "任务", "二.1", "开展教师培训", None, PAYLOADS[5], *[None] * 5, PAYLOADS[6], None, None,
            "b.xlsx"] in details
    assert len(details) == 3 + 9
    problems = rows(wb["问题清单"])
    assert problems[2] == ["文件", "单位", "位置（单元格）", "问题", "处理建议", "联系人", "电话"]
    assert problems[3] == ["=cmd|' /C calc'!A0.xlsx", "第二中学", "任务进展!F5", "完成状态「=HYPERLINK(1)」不是可选项", "请改正",
                           "=HYPERLINK(\"tel:1\")", "+1+1"]


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
    assert wb["报送情况"]["I6"].value == "=HYPERLINK(\"tel:1\")" and wb["报送情况"]["I6"].data_type == "s"
    assert wb["报送情况"]["J6"].value == "+1+1" and wb["报送情况"]["J6"].data_type == "s"
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


DETAIL_HEADERS = ["单位代码", "单位名称", "类别", "编号", "事项", "完成状态", "进展情况", "主要成效", "存在问题", "下一步打算",
                  "完成时间", "佐证材料", "备注", "填报值", "说明", "来源文件"]
STATUS, PROGRESS, REMARK, VALUE, NOTES = (DETAIL_HEADERS.index(h) for h in ("完成状态", "进展情况", "备注", "填报值", "说明"))


def test_detail_rows_group_a_units_answers_to_one_item(progress: Progress) -> None:
    from workplan_xl.consolidated_workbook.details import COLUMNS, detail_rows, unit_files
    from workplan_xl.consolidated_workbook.sheets import DETAIL_HEADERS as written

    assert written == DETAIL_HEADERS and COLUMNS == len(DETAIL_HEADERS)  # the 填报人 block is not an item
    entries = [Entry("1001", "T001", "status", "推进中", "「进行中」按推进中计"), Entry("1001", "T001", "progress", "第一段"),
               Entry("1001", "T001", "progress", "同一任务填了两行：第二段"), Entry("1001", "T001", "extra", "旧版台账的字段"),
               Entry("1001", "I001", "value", "95", "「约95」按95计"), Entry("1001", "I001", "remark", "抽样", "合并单元格"),
               Entry("1002", "I001", "value", "九十"), Entry("1001", "I001", "value", "1e999")]
    made = list(detail_rows(progress.plan, unit_files(progress.units), iter(entries)))  # a generator is enough
    assert [(r[0], r[3], r[STATUS], r[PROGRESS], r[REMARK], r[VALUE], r[NOTES]) for r in made] == [
        ("1001", "一.1", "推进中", "第一段", "", "", "完成状态：「进行中」按推进中计"),
        ("1001", "一.1", "", "同一任务填了两行：第二段", "", "", "extra：旧版台账的字段"),
        ("1001", "I001", "", "", "抽样", 95.0, "备注：合并单元格；填报值：「约95」按95计"),
        ("1002", "I001", "", "", "", "九十", ""),
        ("1001", "I001", "", "", "", "1e999", "")]  # not consecutive: a row of its own; not finite: text
    assert list(detail_rows(progress.plan, unit_files(progress.units), [])) == []


def test_details_may_come_from_a_generator(progress: Progress, tmp_path: Path) -> None:
    listed = write_consolidated_workbook(progress, tmp_path / "a.xlsx", details=sample_entries()).read_bytes()
    streamed = write_consolidated_workbook(progress, tmp_path / "b.xlsx", details=iter(sample_entries())).read_bytes()
    assert listed == streamed


def test_a_failure_while_reading_entries_leaves_no_file(progress: Progress, tmp_path: Path) -> None:
    def broken():
        yield from sample_entries()
        raise ValueError("坏行")

    (tmp_path / "out").mkdir()
    with pytest.raises(ValueError, match="坏行"):
        write_consolidated_workbook(progress, tmp_path / "out" / "汇总.xlsx", details=broken())
    assert list((tmp_path / "out").iterdir()) == []  # no draft, spool or half-written 汇总.xlsx


def test_big_details_sheet(tmp_path: Path) -> None:
    plan = make_plan(units=8)
    entries = [Entry(u.code, "T001", "progress", f"第{i}条进展") for i in range(7600) for u in plan.units]
    progress = progress_of(plan, entries[:10], [(REPORTED, "x.xlsx")] * 8)
    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=entries)
    wb = load_workbook(path, read_only=True)
    sheet = wb["明细"]
    assert sheet.max_row == 3 + len(entries) > 60_000


def test_many_values_are_spooled_in_another_process_with_the_same_workbook(progress: Progress, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import workplan_xl.consolidated_workbook.book as package
    from workplan_xl.isolated import spare_process

    entries = sample_entries() + tricky_entries()
    here = write_consolidated_workbook(progress, tmp_path / "here.xlsx", details=entries).read_bytes()
    started = []

    def recorded(*args, **kwargs):
        started.append((args, kwargs))
        return spare_process(*args, **kwargs)

    monkeypatch.setattr(package, "PARALLEL", 1)
    monkeypatch.setattr(package, "spare_process", recorded)
    child = write_consolidated_workbook(progress, tmp_path / "child.xlsx", details=entries).read_bytes()
    assert started == [((), {})]
    assert child == here
    assert sorted(p.name for p in tmp_path.iterdir()) == ["child.xlsx", "here.xlsx"]  # no draft or spool left


def test_a_child_that_cannot_finish_leaves_the_rows_to_this_process(progress: Progress, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import workplan_xl.consolidated_workbook.book as package
    from workplan_xl.isolated import Limited

    class OutOfMemory:
        def call(self, *args, **kwargs):
            return self

        def result(self):
            raise Limited("memory")

        def cancel(self):
            pass

    here = write_consolidated_workbook(progress, tmp_path / "here.xlsx", details=sample_entries()).read_bytes()
    monkeypatch.setattr(package, "PARALLEL", 1)
    monkeypatch.setattr(package, "spare_process", lambda *args, **kwargs: OutOfMemory())
    assert write_consolidated_workbook(progress, tmp_path / "b.xlsx", details=sample_entries()).read_bytes() == here


def _counted_book(progress: Progress, path: Path, entries: list[Entry]) -> Path:
    """As collect writes it: the figures computed through book.counting while the rows are made."""
    from workplan_xl.consolidated_workbook import start_consolidated_workbook

    with start_consolidated_workbook(path, progress.plan, progress.units, entries) as book:
        counted = compute_progress(progress.plan, book.counting(entries), progress.units, progress.problems,
                                   progress.round)
        assert book.counter.rows == len(list(detail_rows(progress.plan, unit_files(progress.units), entries)))
        return book.write(counted)


def _contents(path: Path) -> dict[str, list[list]]:
    wb = load_workbook(path)
    return {name: rows(wb[name]) for name in wb.sheetnames}


def test_the_package_is_put_together_while_the_rows_are_made(progress: Progress, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """With the rows counted first, 明细's rows are copied into the package while the other process
    still makes them: every sheet the same as when they are made here, and the package valid."""
    import workplan_xl.consolidated_workbook.book as package

    entries = sample_entries() + tricky_entries()
    full = compute_progress(progress.plan, entries, progress.units, progress.problems, progress.round)
    here = _contents(write_consolidated_workbook(full, tmp_path / "here.xlsx", details=entries))
    monkeypatch.setattr(package, "PARALLEL", 1)
    followed = _counted_book(progress, tmp_path / "followed.xlsx", entries)
    assert _contents(followed) == here
    with zipfile.ZipFile(followed) as archive:
        head = archive.read("xl/worksheets/sheet4.xml").decode().split("<sheetData>")[1][:3000]
        assert 't="s"' not in head.split('<row r="4"')[0]  # the header's texts inline: the sst was not known
        assert f'<dimension ref="A1:P{3 + 9 + len(tricky_entries())}"/>' in archive.read("xl/worksheets/sheet4.xml").decode()
        sst = archive.read("xl/sharedStrings.xml").decode()
        cells = sum(len(re.findall(r'<c [^>]*t="s"', archive.read(n).decode())) for n in archive.namelist()
                    if n.startswith("xl/worksheets/sheet"))
        assert re.search(r' count="(\d+)"', sst).group(1) == str(cells)  # the inlined header cells not counted
    assert sorted(p.name for p in tmp_path.iterdir()) == ["followed.xlsx", "here.xlsx"]


def test_a_child_failing_while_the_package_is_put_together_leaves_it_to_this_process(
        progress: Progress, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import workplan_xl.consolidated_workbook.book as package
    from workplan_xl.isolated import spare_process

    entries = sample_entries() + tricky_entries()
    full = compute_progress(progress.plan, entries, progress.units, progress.problems, progress.round)
    here = _contents(write_consolidated_workbook(full, tmp_path / "here.xlsx", details=entries))

    def crashing(*args, **kwargs):  # the child ends without an answer, as an out-of-memory kill would
        return spare_process().call(os._exit, 9)

    monkeypatch.setattr(package, "PARALLEL", 1)
    monkeypatch.setattr(package, "spare_process", lambda *a, **k: type("Crashing", (), {"call": staticmethod(crashing)})())
    assert _contents(_counted_book(progress, tmp_path / "b.xlsx", entries)) == here
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx", "here.xlsx"]


def test_xlsxwriters_strings_come_after_the_details_ones(progress: Progress, tmp_path: Path) -> None:
    """明细's shared strings are first in the sst and xlsxwriter's cells are renumbered after them: each
    cell still shows its own text (checked on the raw XML, not only through a reader)."""
    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=sample_entries())
    with zipfile.ZipFile(path) as package:
        sst = package.read("xl/sharedStrings.xml").decode()
        sheets = {n: package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/sheet")}
    strings = [re.sub("<[^>]+>", "", si) for si in re.findall(r"<si>.*?</si>", sst, re.S)]
    assert re.search(r'uniqueCount="(\d+)"', sst).group(1) == str(len(strings))  # a text may be in both parts
    used = [int(n) for xml in sheets.values() for n in re.findall(r't="s"><v>(\d+)</v>', xml)]
    assert re.search(r' count="(\d+)"', sst).group(1) == str(len(used)) and max(used) < len(strings)
    wb = load_workbook(path)
    assert rows(wb["明细"])[2] == DETAIL_HEADERS and rows(wb["明细"])[3][:2] == ["1001", "第一中学"]
    assert rows(wb["报送情况"])[2][0] == "代码"


def test_details_beyond_excels_rows_go_on_further_sheets(progress: Progress, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import workplan_xl.consolidated_workbook.book as package

    monkeypatch.setattr(package, "MAX_ROWS", 4)  # 9 rows
    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=sample_entries())
    wb = load_workbook(path)
    assert wb.sheetnames == ["报送情况", "任务汇总", "指标汇总", "明细", "明细(2)", "明细(3)", "问题清单"]
    assert [len(rows(wb[n])) - 3 for n in ("明细", "明细(2)", "明细(3)")] == [4, 4, 1]
    assert rows(wb["明细(3)"])[3][:4] == ["1002", "第二中学", "指标", "I001"]
    assert [wb[n].auto_filter.ref for n in ("明细", "明细(2)", "明细(3)")] == ["A3:P7", "A3:P7", "A3:P4"]
    assert wb["明细(2)"]["A3"].value == "单位代码" and wb["明细(2)"].freeze_panes == "A4"
    assert all(rows(wb[n])[2] == DETAIL_HEADERS for n in ("明细", "明细(2)", "明细(3)"))
    monkeypatch.setattr(package, "MAX_ROWS", 9)  # exactly full: no empty 明细(2)
    wb = load_workbook(write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=sample_entries()))
    assert wb.sheetnames == ["报送情况", "任务汇总", "指标汇总", "明细", "问题清单"]
    assert len(rows(wb["明细"])) == 3 + 9


@pytest.mark.libreoffice
def test_libreoffice_opens_the_streamed_rows(progress: Progress, tmp_path: Path, lo_convert) -> None:
    from python_calamine import CalamineWorkbook

    entries = sample_entries() + tricky_entries()
    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=entries)
    ods = lo_convert(path, "ods", tmp_path / "lo")
    book = CalamineWorkbook.from_path(str(ods))
    assert book.sheet_names == ["报送情况", "任务汇总", "指标汇总", "明细", "问题清单"]
    sheet = book.get_sheet_by_name("明细").to_python()
    assert sheet[2] == DETAIL_HEADERS and len(sheet) == 3 + 9 + len(tricky_entries())
    assert sheet[3][STATUS:PROGRESS + 1] == ["已完成", PAYLOADS[0]] and sheet[6][VALUE] == 96
    assert sheet[6][NOTES] == "填报值：「96%」按96计"
    shown = [row[PROGRESS] for row in sheet[3 + 9:3 + 15]] + [row[VALUE] for row in sheet[3 + 15:]]
    assert shown[:5] == ["  前后空格  ", "a & b < c > d \"q\" 'a'", "_x0041_ 字面", "控制字符", "换行\n第二行"]
    assert shown[5].endswith("……（已截断）") and shown[6:] == ["nan", "inf", "1e999", 95.5]
    assert book.get_sheet_by_name("指标汇总").to_python()[3][5:8] == [93, 97.9, "未达成"]


# -- what a bureau officer sees: order, marks, heights, capped cells, figures --------------------------
def fill_of(cell) -> str | None:
    colour = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
    return colour[-6:] if isinstance(colour, str) else None


def test_missing_units_come_first_and_are_marked(progress: Progress, tmp_path: Path) -> None:
    sheet = load_workbook(write_consolidated_workbook(progress, tmp_path / "汇总.xlsx"))["报送情况"]
    assert [sheet.cell(r, 4).value for r in range(4, 8)] == ["未报", "未报", "有问题", "已报"]
    assert fill_of(sheet["D4"]) == "F8CBAD" and sheet["D4"].font.bold  # 未报: red, bold
    assert {fill_of(sheet.cell(4, c)) for c in (1, 2, 3, 5, 8, 10)} == {"FCE4D6"}  # the whole row tinted
    assert fill_of(sheet["D6"]) == "FFE699" and {fill_of(sheet.cell(6, c)) for c in (1, 2, 8)} == {"FFF2CC"}
    assert fill_of(sheet["D7"]) == "C6E0B4" and fill_of(sheet["B7"]) is None  # 已报: only the state is green
    note = sheet["A2"].value
    assert "批次：2024-06" in note and "以文件修改时间较晚者为准" in note and "红色" in note and "黄色" in note


def test_row_heights_show_every_wrapped_line(tmp_path: Path) -> None:
    from workplan_xl.consolidated_workbook.layout import line_count
    from workplan_xl.xlsx_style import DEFAULT_ROW, LINE

    plan = make_plan()
    long_problem = "第3行的完成状态「很好」不是可选项，只能填未启动、推进中、已完成或不适用，请从下拉列表中选择后重新发送"
    entries = [Entry("1001", "T001", "progress", "第一段进展\n第二段进展\n第三段进展"), Entry("1001", "T001", "status", "推进中"),
               Entry("1002", "T001", "progress", "已完成春季排查")]
    progress = progress_of(plan, entries, [(REPORTED, "a.xlsx"), (PROBLEM, "b.xlsx"), (MISSING, ""), (MISSING, "")])
    progress.units[1].problems = [long_problem, long_problem]
    wb = load_workbook(write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=entries))
    units = wb["报送情况"]
    problem_row = next(r for r in range(4, 8) if units.cell(r, 4).value == "有问题")
    width = units.column_dimensions["H"].width
    lines = line_count(units.cell(problem_row, 8).value, width)
    assert lines >= 4 and units.row_dimensions[problem_row].height >= lines * LINE
    assert units.row_dimensions[problem_row + 1].height in (None, DEFAULT_ROW)  # one line: the default row
    assert units.row_dimensions[2].height >= line_count(units["A2"].value, sum(
        units.column_dimensions[c].width for c in "ABCDEFGHIJ")) * LINE
    tasks = wb["任务汇总"]
    assert tasks["K4"].value == "第一中学：第一段进展 第二段进展 第三段进展\n第二中学：已完成春季排查"
    assert tasks.row_dimensions[4].height >= 2 * LINE
    details = wb["明细"]
    multi = next(r for r in range(4, 7) if "\n" in str(details.cell(r, 7).value))
    assert details.row_dimensions[multi].height >= 3 * LINE  # streamed rows carry ht too
    assert details.row_dimensions[multi + 1].height in (None, DEFAULT_ROW)


ESSAY = "一是开齐开足课后服务课程，二是建立家长评价机制，三是统筹校外资源引入非学科类培训机构。" * 4


def crowded(tmp_path: Path) -> tuple[Path, list[Entry]]:
    """A county's worth: 60 units, one essay, long problems, an indicator mean with many decimals."""
    plan = make_plan(units=8)
    plan.units += [type(plan.units[0])(str(2000 + i), f"第{i}中心学校", "学校", "张老师", "13800001111") for i in range(52)]
    entries = [Entry(u.code, "T001", "progress", ESSAY if i == 0 else f"完成第{i}阶段任务") for i, u in enumerate(plan.units)]
    entries += [Entry(u.code, "I001", "value", str(90 + i % 8 * 1.125)) for i, u in enumerate(plan.units[:11])]
    progress = progress_of(plan, entries, [(REPORTED, "x.xlsx")] * 50 + [(PROBLEM, "y.xlsx")] * 4 + [(MISSING, "")] * 6)
    for u in progress.units[50:54]:
        u.problems = [f"第{k}行的完成状态「很好」不是可选项，只能填未启动、推进中、已完成或不适用" for k in range(12)]
    progress.problems = [Problem(f"{u.unit.code}.xlsx", u.unit.name, f"任务进展!C{k}", p, "完成状态只能填 未启动/推进中/已完成/不适用"
                                 "（可从下拉列表选择），请改正后重新发送。") for u in progress.units[50:54] for k, p in enumerate(u.problems)]
    return write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=entries), entries


def test_task_progress_is_capped_and_points_to_details(tmp_path: Path) -> None:
    from workplan_xl.consolidated_workbook.layout import MAX_LINES, line_count
    from workplan_xl.consolidated_workbook.sheets import NOTE_MAX
    from workplan_xl.xlsx_style import ROW_MAX

    path, entries = crowded(tmp_path)
    wb = load_workbook(path)
    sheet = wb["任务汇总"]
    notes = sheet["K4"].value.split("\n")
    listed, more = notes[:-1], notes[-1]
    assert listed[0] == f"第一中学：{ESSAY[:NOTE_MAX]}……"
    assert all("：" in line for line in listed) and listed[1] == "第二中学：完成第1阶段任务"
    assert more == f"……另有 {60 - len(listed)} 个单位的进展未列出，全部内容见「明细」。"
    width = sheet.column_dimensions["K"].width
    assert line_count(sheet["K4"].value, width) <= MAX_LINES and sheet.row_dimensions[4].height <= ROW_MAX
    missing = sheet["J6"].value
    assert missing.startswith("第一中学、第二中学、") and missing.endswith("等 60 个单位")  # nobody filled T003
    assert line_count(missing, sheet.column_dimensions["J"].width) <= 8
    assert "单位多时只列前面一部分" in sheet["A2"].value
    assert sum(1 for row in wb["明细"].iter_rows(min_row=4, values_only=True) if row[PROGRESS]) == 60
    problems = next(r[7] for r in rows(wb["报送情况"]) if r[3] == "有问题").split("\n")  # a unit's 12 problems
    assert problems[-1] == f"……另有 {12 - len(problems[:-1])} 条，见「问题清单」" and len(problems) <= 8


@pytest.mark.libreoffice
def test_libreoffice_prints_every_line_and_no_hashes(tmp_path: Path, lo_convert) -> None:
    """Printed by LibreOffice (which does not fit row heights itself), no wrapped line runs into the
    next row (no two glyphs overlap), no number is too wide for its column ("###"), every sheet prints."""
    import pdfplumber

    path, _ = crowded(tmp_path)
    pdf = lo_convert(path, "pdf", tmp_path / "pdf")
    overlaps, text = [], ""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            text += page.extract_text() or ""
            seen: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                box = (ch["x0"], ch["top"], ch["x1"], ch["bottom"])
                key = (int(box[0] // 20), int(box[1] // 20))
                for near in ((key[0] + dx, key[1] + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                    for other in seen.get(near, []):
                        w, h = min(box[2], other[2]) - max(box[0], other[0]), min(box[3], other[3]) - max(box[1], other[1])
                        if w > 0.3 * (box[2] - box[0]) and h > 0.3 * (box[3] - box[1]):
                            overlaps.append((page.page_number, ch["text"]))
                seen.setdefault(key, []).append(box)
    assert overlaps == []
    assert "###" not in text
    flat = text.replace("\n", "").replace(" ", "")
    for title in ("回表报送情况", "任务进展汇总", "指标完成情况", "填报明细", "回表问题清单", "全部内容见「明细」", "见「问题清单」"):
        assert title in flat, title


@pytest.mark.parametrize("value", [94.55000000000001, 95.125, 2.675, 95.95454545454545, 100.0, 96.2, -0.0, 1200,
                                   0.005, 1e-12, 12345.678, 101.25, 99.99999, -3.14159])
@pytest.mark.parametrize("digits", [1, 2])
def test_figures_match_the_reports_format_number(value: float, digits: int) -> None:
    from workplan_xl.consolidated_workbook.layout import figure
    from workplan_xl.gongwen import format_number

    shown, places = figure(value, digits)
    assert f"{shown:.{places}f}" == format_number(value, digits)  # what Excel shows under "0", "0.0", "0.00"


def test_indicator_figures_are_numbers_rounded_with_the_exact_value_kept(progress: Progress, tmp_path: Path) -> None:
    import dataclasses

    first, second = progress.indicators
    progress.indicators = [
        dataclasses.replace(first, actual=95.95454545454545, rate=101.0, reached=True),
        dataclasses.replace(second, actual=94.55000000000001, rate=31.5),
        dataclasses.replace(second, values=[], actual=None, rate=None, reached=None),
        dataclasses.replace(first, indicator=dataclasses.replace(first.indicator, value=None), rate=None, reached=None)]
    sheet = load_workbook(write_consolidated_workbook(progress, tmp_path / "汇总.xlsx"))["指标汇总"]
    assert [sheet.cell(r, 8).value for r in range(4, 8)] == ["已达成", "未达成", "未填", "未设目标"]
    assert (sheet["F4"].value, sheet["F4"].number_format, sheet["F4"].data_type) == (95.95, "0.00", "n")
    assert "95.95454545" in sheet["F4"].comment.text  # the unrounded value stays traceable
    assert (sheet["G4"].value, sheet["G4"].number_format) == (101, "0")
    assert (sheet["F5"].value, sheet["F5"].number_format, sheet["F5"].comment) == (94.55, "0.00", None)  # float noise
    assert (sheet["G5"].value, sheet["G5"].number_format) == (31.5, "0.0")
    assert (sheet["C4"].value, sheet["C4"].number_format) == (95, "0")
    assert sheet["F6"].value is None and sheet["G6"].value is None
    note = sheet["A2"].value
    assert "保留两位小数" in note and "保留一位小数" in note and "批注" in note and "“≈”（约）" in note
    rules = {r.formula[0]: r.dxf.fill.bgColor.rgb[-6:] for cf in sheet.conditional_formatting for r in cf.rules
             if r.type == "cellIs" and r.operator == "equal"}
    assert rules == {'"已达成"': "C6E0B4", '"未达成"': "F8CBAD", '"未填"': "EDEDED"}
    assert {str(cf.sqref) for cf in sheet.conditional_formatting} == {"H4:H7"}


def test_problems_sheet_says_where_and_whom_to_call(progress: Progress, tmp_path: Path) -> None:
    progress.plan.units[2].contact, progress.plan.units[2].phone = "王老师", "0739-5200000"
    progress.problems += [Problem("实验小学.xlsx", "实验小学", "", "文件「实验小学.xlsx」不完整（可能下载或复制中断）", "请重新发送。"),
                          Problem("不明.xlsx", "", "", "无法确定「不明.xlsx」是哪个单位的回表", "请在文件名前加上单位代码")]
    sheet = load_workbook(write_consolidated_workbook(progress, tmp_path / "汇总.xlsx"))["问题清单"]
    found = rows(sheet)
    assert found[4] == ["实验小学.xlsx", "实验小学", "整个文件", "文件「实验小学.xlsx」不完整（可能下载或复制中断）", "请重新发送。",
                        "王老师", "0739-5200000"]
    assert found[5][:3] == ["不明.xlsx", "（未能识别）", "整个文件"] and found[5][5:] == [None, None]
    assert "联系人、电话" in found[1][0] and "以文件修改时间较晚者为准" in found[1][0]


# -- the streamed 明细 rows are valid SpreadsheetML --------------------------------------------------------
TRICKY = ["  前后空格  ", "a & b < c > d \"q\" 'a'", "_x0041_ 字面", "控制\x01字符\x1f", "换行\n第二行", "𠮷" * 20000]


def tricky_entries() -> list[Entry]:
    return ([Entry("1001", "T001", "progress", t) for t in TRICKY]
            + [Entry("1001", "I001", "value", v) for v in ("nan", "inf", "1e999", "95.5")])


def test_streamed_rows_are_valid_spreadsheetml(progress: Progress, tmp_path: Path) -> None:
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    entries = sample_entries() + tricky_entries()
    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=entries)
    with zipfile.ZipFile(path) as archive:
        names = {e.get("name"): e for e in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(f"{main}sheet")}
        assert list(names)[3] == "明细"
        root = ElementTree.fromstring(archive.read("xl/worksheets/sheet4.xml"))
        sst = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        refs = sum(len(re.findall(rb'<c [^>]*t="s"', archive.read(n))) for n in archive.namelist()
                   if n.startswith("xl/worksheets/"))
    strings = ["".join(si.itertext()) for si in sst.findall(f"{main}si")]
    assert int(sst.get("uniqueCount")) == len(strings) and int(sst.get("count")) == refs
    last = 3 + 9 + len(tricky_entries())
    assert root.find(f"{main}dimension").get("ref") == f"A1:P{last}"
    rows_ = root.find(f"{main}sheetData").findall(f"{main}row")
    assert [int(r.get("r")) for r in rows_] == list(range(1, last + 1))
    assert root.find(f"{main}autoFilter").get("ref") == f"A3:P{last}"
    assert not list(root.iter(f"{main}f"))
    for row in rows_[3:]:
        r = row.get("r")
        cells = row.findall(f"{main}c")
        assert [c.get("r") for c in cells] == [f"{chr(65 + n)}{r}" for n in range(len(DETAIL_HEADERS))]
        if row.get("ht") is not None:
            assert row.get("customHeight") == "1" and 0 < float(row.get("ht")) <= 409
        for c in cells:
            if c.get("t") == "inlineStr":
                assert [e.tag for e in c] == [f"{main}is"] and [e.tag for e in c[0]] == [f"{main}t"]
                t = c[0][0]
                assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
                assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", t.text or "")
                assert len((t.text or "").encode("utf-16-le")) // 2 <= 32767
            elif c.get("t") == "s":  # 明细's repeated texts (unit, item, short answers, file) are shared strings
                assert c.get("r")[0] != "O" and [e.tag for e in c] == [f"{main}v"]  # 说明 is inline
                assert 0 <= int(c[0].text) < len(strings)
            else:
                assert c.get("t") is None and (not len(c) or float(c[0].text) == float(c[0].text))  # finite number
    shown = {c.get("r"): strings[int(c[0].text)] for c in rows_[3].findall(f"{main}c") if c.get("t") == "s"}
    assert shown == {"A4": "1001", "B4": "第一中学", "C4": "任务", "D4": "一.1", "E4": "推进课后服务提质", "F4": "已完成",
                     "P4": "a.xlsx"}
    wb = load_workbook(path)
    details = rows(wb["明细"])
    values = [r[PROGRESS] for r in details[3 + 9:3 + 15]] + [r[VALUE] for r in details[3 + 15:]]
    # "_x0041_" is written "_x005F_x0041_" (Excel would read "A"): a short answer is a shared string, which
    # openpyxl decodes as Excel does
    assert values[:5] == ["  前后空格  ", "a & b < c > d \"q\" 'a'", "_x0041_ 字面", "控制字符", "换行\n第二行"]
    assert "_x005F_x0041_ 字面" in strings
    assert values[5].endswith("……（已截断）") and len(values[5].encode("utf-16-le")) // 2 == 32767
    assert values[6:] == ["nan", "inf", "1e999", 95.5]  # not numbers Excel could read: kept as text


def test_the_tables_of_a_row_per_unit_are_streamed_as_typed_cells(progress: Progress, tmp_path: Path) -> None:
    """报送情况, 问题清单 and 文件清单 have their rows made as XML: text is inline text (never a formula),
    rows ascend after xlsxwriter's header rows, and a reader sees exactly the values given."""
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    files = [["=cmd|' /C calc'!A0.xlsx", "子 文件夹", "第一中学", "采用", "_x0041_ 字面\x07"],
             ["b.xlsx", "", "", "跳过", "a & b < c > d " + "长" * 40_000], ["c.xlsx", "", "第二中学", "重复", ""]]
    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=sample_entries(), files=files)
    from python_calamine import CalamineWorkbook

    # calamine decodes "_x005F_" in inline text as Excel does (openpyxl only in shared strings)
    shown = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("文件清单").to_python()[3:]
    assert shown[0] == ["=cmd|' /C calc'!A0.xlsx", "子 文件夹", "第一中学", "采用", "_x0041_ 字面"]
    assert shown[1][4].startswith("a & b < c > d 长") and shown[1][4].endswith("……（已截断）")
    assert shown[2] == ["c.xlsx", "", "第二中学", "重复", ""]
    assert [r[0] for r in rows(load_workbook(path)["报送情况"])[3:]] == ["1003", "1004", "1002", "1001"]  # missing first
    with zipfile.ZipFile(path) as archive:
        for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet5.xml", "xl/worksheets/sheet6.xml"):
            root = ElementTree.fromstring(archive.read(part))
            numbers = [int(r.get("r")) for r in root.iter(f"{main}row")]
            assert numbers == list(range(1, len(numbers) + 1)) and not list(root.iter(f"{main}f"))
            last = root.find(f"{main}dimension").get("ref").split(":")[1]
            assert int(re.sub("[A-Z]", "", last)) == numbers[-1]
            body = [c for r in root.iter(f"{main}row") if int(r.get("r")) > 3 for c in r.iter(f"{main}c")]
            assert body and {c.get("t") for c in body} <= {None, "inlineStr"}


@pytest.mark.parametrize(("text", "width"), [("完成春季排查，整改隐患12处，建立台账并落实专人负责" * 3, 40), ("abc def " * 30, 20),
                                             ("第一行\n第二行很长很长很长很长很长很长很长很长很长", 12), ("x", 5), ("", 10),
                                             ("（一）“双减”工作：课后服务覆盖率100%。" * 2, 30)])
def test_the_fast_line_count_of_details_matches_the_shared_one(text: str, width: float) -> None:
    from workplan_xl.consolidated_workbook.details import wrapped_lines
    from workplan_xl.consolidated_workbook.layout import line_count

    assert wrapped_lines(text, width) >= line_count(text, width)
    if "“" not in text:  # ambiguous-width quotes count wide in the fast count
        assert wrapped_lines(text, width) == line_count(text, width)


def test_fit_cell_counts_utf16_units() -> None:
    from workplan_xl.consolidated_workbook.layout import fit_cell

    assert fit_cell("好" * 32767) == "好" * 32767
    cut = fit_cell("好" * 32768)
    assert cut.endswith("……（已截断）") and len(cut) == 32767
    cut = fit_cell("𠮷" * 16384)  # 32,768 UTF-16 units
    assert cut.endswith("……（已截断）") and len(cut.encode("utf-16-le")) // 2 <= 32767 and "\ud842" not in cut


def test_short_answers_are_shared_only_while_few(progress: Progress, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A province's dates and figures would fill the sst (held until the end): past REMEMBERED distinct
    short answers in a column, the rest are inline strings, shown the same."""
    import workplan_xl.consolidated_workbook.details as details

    monkeypatch.setattr(details, "REMEMBERED", 2)
    entries = [Entry("1001", "T001", "done_date", f"2024-05-0{n}") for n in range(1, 6)]
    path = write_consolidated_workbook(progress, tmp_path / "汇总.xlsx", details=entries)
    with zipfile.ZipFile(path) as archive:
        sst, sheet = archive.read("xl/sharedStrings.xml").decode(), archive.read("xl/worksheets/sheet4.xml").decode()
    assert "2024-05-01" in sst and "2024-05-02" in sst and "2024-05-03" not in sst
    assert '<is><t xml:space="preserve">2024-05-05</t></is>' in sheet
    assert [r[10] for r in rows(load_workbook(path)["明细"])[3:]] == [f"2024-05-0{n}" for n in range(1, 6)]
