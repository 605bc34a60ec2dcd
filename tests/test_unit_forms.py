"""unit_forms: one protected fill-in workbook per unit, read back with openpyxl (and python-calamine
after a LibreOffice re-save)."""

from __future__ import annotations

import math
import os
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest

import workplan_xl.unit_forms as unit_forms
from workplan_xl.cjk import display_width
from workplan_xl.errors import OutputError, RosterError
from workplan_xl.form_layout import (
    FORM_SCHEMA,
    FORM_VERSION,
    HEADER_ROW,
    INDICATOR_COLUMNS,
    INDICATOR_ID_HEADER,
    META_KEYS,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_TASKS,
    TASK_COLUMNS,
    TASK_ID_HEADER,
    locked_checksum,
)
from workplan_xl.plan import Indicator, Part, Plan, Section, Task, Unit, items_for
from workplan_xl.unit_forms import form_names, items_by_unit, write_unit_forms

TITLE = "河西区2024年教育工作要点"
ROUND = "2024-06"


def make_plan() -> Plan:
    """3 sections, 8 tasks, 5 indicators (one achieved), 6 units of which one reports nothing."""
    s1 = Section("S01", "一", "办好人民满意的基础教育", tasks=[
        Task("T001", "1", "扩大普惠性学前资源", "扩大普惠性学前资源。新建公办园两所。", owners=["基础教育科"],
             deadline="2024年12月", indicators=[
                 Indicator("I001", "普惠园覆盖率达到92%", metric="普惠园覆盖率", value=92, unit="%", task="T001")]),
        Task("T002", "2", "增加初中学位", "=增加初中学位，缓解入学压力。", owners=["第一中学/分校"],
             partners=["实验小学"], months=[3, 9], indicators=[
                 Indicator("I002", "新增学位1200个以上", metric="新增学位", comparator=">", value=1200, unit="个",
                           task="T002")]),
        Task("T003", "3", "规范幼儿园收费", "规范幼儿园收费行为。", reporters=["幼儿园"]),
    ])
    s2 = Section("S02", "二", "促进学生全面发展", tasks=[
        Task("T004", "（一）", "守护学生视力", "守护学生视力，每天户外活动两小时。", reporters=["学校", "幼儿园"],
             deadline="2024年11月", indicators=[
                 Indicator("I003", "近视率下降0.5个百分点", metric="近视率降幅", value=0.5, unit="个百分点",
                           task="T004", reporters=["X02"])]),
        Task("T005", "（二）", "丰富课后服务", "丰富课后服务。", owners=["实验小学", "区少年宫"]),
        Task("T006", "（三）", "校园安全隐患排查", "开展校园安全隐患排查。", reporters=["X01", "Y01"]),
        Task("T007", "（四）", "责任督学挂牌督导", "落实责任督学挂牌督导。", owners=["基础教育科"],
             partners=["阳光幼儿园"]),
    ])
    s3 = Section("S03", "三", "建设高素质教师队伍", tasks=[
        Task("T008", "", "建设高素质教师队伍", "建设高素质教师队伍，开展全员培训。", reporters=["学校"], indicators=[
            Indicator("I004", "家长满意度明显提升", metric="家长满意度", comparator="~", value=None, task="T008"),
            Indicator("I005", "已培训教师3000人次", metric="培训人次", value=3000, unit="人次", kind="achieved",
                      task="T008")]),
    ])
    units = [Unit("X01", "第一中学/分校", "学校"), Unit("X02", "实验小学", "学校"),
             Unit("Y01", "阳光幼儿园", "幼儿园"), Unit("Y02", "星星幼儿园", "幼儿园"),
             Unit("C01", "基础教育科", "处室"), Unit("C02", "安全稳定科", "处室")]
    return Plan(title=TITLE, year=2024, issuer="河西区教育局", issued="2024-02-20",
                parts=[Part(sections=[s1, s2, s3])], units=units)


EXPECTED = {
    "X01": (["T002", "T004", "T006", "T008"], ["I002", "I004"]),
    "X02": (["T002", "T004", "T005", "T008"], ["I002", "I003", "I004"]),
    "Y01": (["T003", "T004", "T006", "T007"], []),
    "Y02": (["T003", "T004"], []),
    "C01": (["T001", "T007"], ["I001"]),
}
TASK_HEADERS = [h for h, _ in TASK_COLUMNS]
INDICATOR_HEADERS = [h for h, _ in INDICATOR_COLUMNS]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, unit_forms.FormsWritten]:
    folder = tmp_path_factory.mktemp("forms") / "填报表"
    return folder, write_unit_forms(make_plan(), folder, round=ROUND)


def by_code(result: list[Path], code: str) -> Path:
    return next(p for p in result if p.name.startswith(code + "_"))


def rows(sheet, headers: list[str]) -> list[dict[str, object]]:
    """Data rows below the header, keyed by the header text read from the sheet."""
    found = [c.value for c in sheet[HEADER_ROW + 1]]
    assert found == headers
    out = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 2):
        if row[-1].value is None:  # the table ends; the 填报人 block follows
            break
        out.append(dict(zip(found, (c.value for c in row), strict=True)))
    return out


def test_each_unit_gets_exactly_its_tasks_and_indicators(written) -> None:
    _, result = written
    assert len(result) == 5
    for code, (task_ids, indicator_ids) in EXPECTED.items():
        wb = openpyxl.load_workbook(by_code(result, code))
        assert [r[TASK_ID_HEADER] for r in rows(wb[SHEET_TASKS], TASK_HEADERS)] == task_ids
        assert [r[INDICATOR_ID_HEADER] for r in rows(wb[SHEET_INDICATORS], INDICATOR_HEADERS)] == indicator_ids
        assert [r["序号"] for r in rows(wb[SHEET_TASKS], TASK_HEADERS)] == list(range(1, len(task_ids) + 1))


def test_items_by_unit_follows_plan_items_for() -> None:
    plan = make_plan()
    grouped = items_by_unit(plan, plan.units)
    for unit in plan.units:
        tasks, indicators = items_for(plan, unit)
        assert [t.id for t in grouped[unit.code][0]] == [t.id for t in tasks]
        assert [i.id for i in grouped[unit.code][1]] == [i.id for i in indicators]


def test_unit_with_nothing_to_report_is_skipped(written) -> None:
    folder, result = written
    assert [u.code for u in result.skipped] == ["C02"]
    assert not any(p.name.startswith("C02_") for p in folder.iterdir())


def test_top_rows_headers_and_sheet_order(written) -> None:
    _, result = written
    wb = openpyxl.load_workbook(by_code(result, "X02"))
    assert wb.sheetnames == [SHEET_GUIDE, SHEET_TASKS, SHEET_INDICATORS, SHEET_META]
    tasks = wb[SHEET_TASKS]
    assert tasks["A1"].value == f"实验小学《{TITLE}》填报表（任务进展）"
    assert tasks["A2"].value == f"填报单位（盖章）：实验小学　单位代码：X02　报送批次：{ROUND}"
    assert [c.value for c in tasks[HEADER_ROW + 1]] == TASK_HEADERS
    assert tasks.freeze_panes == f"A{HEADER_ROW + 2}"
    assert tasks.print_title_rows == f"${HEADER_ROW + 1}:${HEADER_ROW + 1}"
    assert tasks.page_setup.orientation == "landscape" and tasks.page_setup.paperSize == 9
    assert not tasks.merged_cells.ranges
    indicators = wb[SHEET_INDICATORS]
    assert [c.value for c in indicators[HEADER_ROW + 1]] == INDICATOR_HEADERS
    assert indicators["A1"].value == f"实验小学《{TITLE}》填报表（指标填报）"
    assert wb[SHEET_GUIDE]["A1"].value == f"实验小学《{TITLE}》填报表"
    assert tasks["C5"].font.name == "宋体" and tasks["C5"].font.sz == 11 and tasks["C5"].alignment.wrap_text


def test_descriptive_cells_hold_the_plan_text(written) -> None:
    _, result = written
    wb = openpyxl.load_workbook(by_code(result, "X01"))
    task_rows = rows(wb[SHEET_TASKS], TASK_HEADERS)
    first = task_rows[0]
    assert first["任务编号"] == "一.2"
    assert first["重点任务"] == "增加初中学位"
    assert first["具体内容"] == "=增加初中学位，缓解入学压力。"  # text, not a formula
    assert wb[SHEET_TASKS].cell(HEADER_ROW + 2, 4).data_type == "s"
    assert first["完成时限"] == "3、9月"
    assert task_rows[1]["任务编号"] == "二（一）" and task_rows[1]["完成时限"] == "2024年11月"
    assert task_rows[3]["任务编号"] == "三"  # the section is itself the task
    ind = rows(wb[SHEET_INDICATORS], INDICATOR_HEADERS)
    assert ind[0] == {"序号": 1, "指标": "新增学位", "所属任务": "一.2 增加初中学位", "比较": ">", "目标值": 1200,
                      "单位": "个", "填报值": None, "说明": None, "指标ID": "I002"}
    assert ind[1]["比较"] is None and ind[1]["目标值"] is None  # no target value: no sign either
    x02 = rows(openpyxl.load_workbook(by_code(result, "X02"))[SHEET_INDICATORS], INDICATOR_HEADERS)
    assert x02[1]["目标值"] == 0.5 and x02[1]["单位"] == "个百分点" and x02[1]["比较"] == "≥"


def test_locked_and_unlocked_cells_and_protection(written) -> None:
    _, result = written
    wb = openpyxl.load_workbook(by_code(result, "X02"))
    for name, columns in ((SHEET_TASKS, TASK_COLUMNS), (SHEET_INDICATORS, INDICATOR_COLUMNS)):
        sheet = wb[name]
        assert sheet.protection.sheet is True
        assert sheet.protection.formatRows is False and sheet.protection.formatColumns is False  # allowed
        assert sheet.protection.insertRows is True and sheet.protection.deleteRows is True  # refused
        last = HEADER_ROW + 1 + len(rows(sheet, [h for h, _ in columns]))
        for col, (header, field) in enumerate(columns, 1):
            for r in range(HEADER_ROW + 2, last + 1):
                cell = sheet.cell(r, col)
                assert cell.protection.locked is (field is None), (name, header, r)
                if field is not None:
                    assert cell.fill.fgColor.rgb == "FFFFF2CC"
        id_letter = openpyxl.utils.get_column_letter(len(columns))
        assert sheet.column_dimensions[id_letter].hidden is True
        assert sheet.cell(HEADER_ROW + 1, 1).protection.locked is True
    assert wb[SHEET_GUIDE].protection.sheet is True


def test_password_is_set_when_given(tmp_path: Path) -> None:
    [path] = write_unit_forms(make_plan(), tmp_path, codes=["Y02"], password="jiaoyu")
    sheet = openpyxl.load_workbook(path)[SHEET_TASKS]
    assert sheet.protection.sheet and sheet.protection.password  # stored as Excel's hash


def test_validations(written) -> None:
    _, result = written
    wb = openpyxl.load_workbook(by_code(result, "X02"))
    checks = {str(v.sqref): v for v in wb[SHEET_TASKS].data_validations.dataValidation}
    last = HEADER_ROW + 1 + 4
    status = checks[f"F{HEADER_ROW + 2}:F{last}"]
    assert status.type == "list" and status.formula1 == '"未启动,推进中,已完成,不适用"'
    assert status.showErrorMessage and status.error == "请从下拉列表中选择：未启动、推进中、已完成、不适用。"
    done = checks[f"K{HEADER_ROW + 2}:K{last}"]  # 完成时间
    assert done.prompt == "如 2024年6月 或 2024-06-15"
    assert wb[SHEET_TASKS][f"K{HEADER_ROW + 2}"].number_format == "@"
    [value] = wb[SHEET_INDICATORS].data_validations.dataValidation
    assert str(value.sqref) == f"G{HEADER_ROW + 2}:G{HEADER_ROW + 1 + 3}"
    assert value.type == "decimal" and value.operator in (None, "between")  # between is the default
    assert (value.formula1, value.formula2) == ("-1000000000000000", "1000000000000000")
    assert value.error == "请填写数字，不要带单位或%" and value.showErrorMessage
    # Excel turns a typed "95%" into 0.95, which passes; the school is told before typing.
    assert (value.promptTitle, value.prompt) == ("填报值", "只填数字，如 95，不要加 %") and value.showInputMessage


def test_number_formats_are_plain(written) -> None:
    _, result = written
    sheet = openpyxl.load_workbook(by_code(result, "X02"))[SHEET_INDICATORS]
    for r in range(HEADER_ROW + 2, sheet.max_row + 1):
        for col in (5, 7):  # 目标值, 填报值
            assert "%" not in sheet.cell(r, col).number_format
            assert sheet.cell(r, col).number_format == "General"
            assert sheet.cell(r, col).alignment.horizontal == "center"  # "≥ 95 %" reads as one phrase


LONG_TEXT = "组织全区中小学开展近视防控专项行动，每学期完成一次视力筛查，建立学生视力健康档案，" * 3


def long_text_plan() -> Plan:
    plan = make_plan()
    plan.task("T004").text = LONG_TEXT  # X01, X02, Y01 and Y02 all report on it
    return plan


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped text takes at least: a CJK character is two width units (a little more in 宋体)."""
    return math.ceil(display_width(text) / width)


def test_row_heights_show_wrapped_text_and_leave_room_to_type(tmp_path: Path) -> None:
    [path] = write_unit_forms(long_text_plan(), tmp_path, codes=["X01"])
    wb = openpyxl.load_workbook(path)
    tasks = wb[SHEET_TASKS]
    width = tasks.column_dimensions["D"].width  # 具体内容
    heights = {}
    for r in range(HEADER_ROW + 2, HEADER_ROW + 2 + len(rows(tasks, TASK_HEADERS))):
        height = tasks.row_dimensions[r].height
        assert height is not None and height >= 3 * 15, r  # three lines to type 进展情况
        heights[tasks.cell(r, 4).value] = height
    assert heights[LONG_TEXT] >= 15 * lines_needed(LONG_TEXT, width) > 3 * 15
    indicators = wb[SHEET_INDICATORS]
    for r in range(HEADER_ROW + 2, indicators.max_row + 1):
        assert indicators.row_dimensions[r].height >= 2 * 15  # two lines for 说明
    guide = wb[SHEET_GUIDE]
    rows_by_label = {row[0].value: row[0].row for row in guide.iter_rows(min_row=3)}
    status_line = guide.cell(rows_by_label["完成状态"], 2).value
    assert lines_needed(status_line, guide.column_dimensions["B"].width) == 2
    assert guide.row_dimensions[rows_by_label["完成状态"]].height >= 2 * 15


def test_units_of_one_layout_get_the_same_heights(tmp_path: Path) -> None:
    """Heights depend on the plan's text only, so stamping from one layout keeps them right."""
    result = write_unit_forms(long_text_plan(), tmp_path, codes=["Y01", "Y02"])

    def heights(path: Path) -> list[float | None]:
        sheet = openpyxl.load_workbook(path)[SHEET_TASKS]
        return [sheet.row_dimensions[r].height for r in range(1, sheet.max_row + 1)]

    y01, y02 = heights(result[0]), heights(result[1])
    assert len(y01) != len(y02) or y01 == y02  # different items, or the same heights
    x01, x02 = write_unit_forms(long_text_plan(), tmp_path / "x", codes=["X01", "X02"])
    assert max(h for h in heights(x01) if h) == max(h for h in heights(x02) if h)


def test_columns_fit_their_headers_and_print_one_page_wide(written) -> None:
    _, result = written
    wb = openpyxl.load_workbook(by_code(result, "X02"))
    for name, columns in ((SHEET_TASKS, TASK_COLUMNS), (SHEET_INDICATORS, INDICATOR_COLUMNS)):
        sheet = wb[name]
        pixels = 0.0
        for col, (header, _) in enumerate(columns, 1):
            dimension = sheet.column_dimensions[openpyxl.utils.get_column_letter(col)]
            if dimension.hidden:
                continue
            assert display_width(header) + 1 <= dimension.width, (name, header)  # bold CJK header
            pixels += dimension.width * 7  # width units of 11 pt Calibri, padding included, at 96 dpi
        # A4 landscape less 0.5" margins is 1,026 px wide: fitted to it, 11 pt prints at 9.4 pt or more.
        assert 1026 / pixels >= 0.85, name
        setup = sheet.page_setup  # fitToWidth 1 is the default, which xlsxwriter leaves out
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0) and setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_meta_is_very_hidden_and_checksum_matches_cells(written) -> None:
    _, result = written
    plan = make_plan()
    for code, (task_ids, indicator_ids) in EXPECTED.items():
        wb = openpyxl.load_workbook(by_code(result, code))
        meta_sheet = wb[SHEET_META]
        assert meta_sheet.sheet_state == "veryHidden"
        pairs = [(r[0].value, r[1].value) for r in meta_sheet.iter_rows()]
        assert [k for k, _ in pairs] == list(META_KEYS)
        meta = {k: v for k, v in pairs}
        assert meta["schema"] == FORM_SCHEMA and meta["form_version"] == FORM_VERSION
        assert meta["plan_fingerprint"] == plan.fingerprint() and meta["plan_title"] == TITLE
        assert meta["unit_code"] == code and meta["round"] == ROUND
        assert meta["task_ids"] == ",".join(task_ids) and (meta["indicator_ids"] or "") == ",".join(indicator_ids)
        assert all(isinstance(r[1].value, str) or r[1].value is None for r in meta_sheet.iter_rows())
        recomputed = locked_checksum(rows(wb[SHEET_TASKS], TASK_HEADERS),
                                     rows(wb[SHEET_INDICATORS], INDICATOR_HEADERS))
        assert meta["checksum"] == recomputed


def test_checksum_changes_when_a_locked_cell_changes(written) -> None:
    _, result = written
    wb = openpyxl.load_workbook(by_code(result, "X01"))
    task_rows = rows(wb[SHEET_TASKS], TASK_HEADERS)
    task_rows[0]["具体内容"] = "改过的内容"
    assert locked_checksum(task_rows, rows(wb[SHEET_INDICATORS], INDICATOR_HEADERS)) != \
        {r[0].value: r[1].value for r in wb[SHEET_META].iter_rows()}["checksum"]


def test_guide_sheet(written) -> None:
    _, result = written
    guide = openpyxl.load_workbook(by_code(result, "X02"))[SHEET_GUIDE]
    lines = {r[0]: r[1] for r in guide.iter_rows(min_row=3, values_only=True)}
    assert lines["填报单位"] == "实验小学（代码 X02）"
    assert lines["工作计划"] == TITLE and lines["报送批次"] == ROUND
    assert lines["填报内容"] == "「任务进展」表 4 项任务；「指标填报」表 3 项指标。"
    assert "未启动、推进中、已完成、不适用" in lines["完成状态"]
    assert "只填数字，如 95 或 12.5，不要加 %" in lines["数字"]
    assert lines["报送方式"] == "填好后保存为 .xlsx，直接发回；不要改文件结构、不要增删行列、不要改工作表名称。"
    assert "请按通知要求时间报送" in lines["报送时间"]
    assert "改名" in lines["文件名"]


def test_unit_without_indicators_still_gets_the_sheet(written) -> None:
    _, result = written
    sheet = openpyxl.load_workbook(by_code(result, "Y02"))[SHEET_INDICATORS]
    assert rows(sheet, INDICATOR_HEADERS) == []
    assert sheet["A3"].value == "本单位本次无需填报指标。"


def test_file_names(written) -> None:
    folder, result = written
    assert [p.name for p in result] == [
        f"X01_第一中学_分校_{TITLE}_{ROUND}.xlsx", f"X02_实验小学_{TITLE}_{ROUND}.xlsx",
        f"Y01_阳光幼儿园_{TITLE}_{ROUND}.xlsx", f"Y02_星星幼儿园_{TITLE}_{ROUND}.xlsx",
        f"C01_基础教育科_{TITLE}_{ROUND}.xlsx"]
    assert all(p.parent == folder and p.exists() for p in result)


def test_file_names_are_safe_short_and_unique() -> None:
    plan = make_plan()
    plan.units = [Unit("A1", 'A<>:"|?*校（东区）', "学校"), Unit("a1", "同名", "学校"), Unit("A1 ", "同名", "学校")]
    contents = unit_forms.build_contents(plan, plan.units)
    long_title = "某" * 120
    names = form_names(contents, long_title, "2024年第二季度")
    assert names[0].startswith("A1_A_______校（东区）_某")
    assert all(n.endswith("_2024年第二季度.xlsx") and len(n) <= 80 + len(".xlsx") for n in names)
    assert len({n.lower() for n in names}) == 3
    assert form_names(contents[:1], "计划")[0] == "A1_A_______校（东区）_计划.xlsx"


def test_codes_filter(tmp_path: Path) -> None:
    result = write_unit_forms(make_plan(), tmp_path, codes=["Y01", "X02"])
    assert [p.name.split("_")[0] for p in result] == ["X02", "Y01"]  # roster order
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in result)


def test_unknown_code_is_named() -> None:
    with pytest.raises(RosterError) as error:
        write_unit_forms(make_plan(), Path("unused"), codes=["X02", "Z09", "Z10"])
    assert str(error.value) == ("单位代码「Z09」「Z10」不在台账的填报单位名单中：可用的代码有 X01、X02、Y01、Y02、C01等"
                                "（共 6 个），请检查 --units 参数。")
    assert not Path("unused").exists()


def test_empty_roster_is_an_error(tmp_path: Path) -> None:
    plan = make_plan()
    plan.units = []
    with pytest.raises(RosterError, match="台账中没有填报单位"):
        write_unit_forms(plan, tmp_path)


def test_existing_files_are_moved_to_old_folder(tmp_path: Path) -> None:
    name = f"Y02_星星幼儿园_{TITLE}.xlsx"
    (tmp_path / name).write_bytes(b"filled in by the school")
    os.utime(tmp_path / name, (1765094102, 1765094102))
    saved = time.strftime("%Y%m%d-%H%M%S", time.localtime(1765094102))
    [path] = write_unit_forms(make_plan(), tmp_path, codes=["Y02"])
    first = tmp_path / "备份" / f"Y02_星星幼儿园_{TITLE}.{saved}.xlsx"
    assert first.read_bytes() == b"filled in by the school"
    (tmp_path / name).write_bytes(b"second edit")
    os.utime(tmp_path / name, (1765094102, 1765094102))
    result = write_unit_forms(make_plan(), tmp_path, codes=["Y02"])
    moved = tmp_path / "备份" / f"Y02_星星幼儿园_{TITLE}.{saved}-2.xlsx"
    assert moved.read_bytes() == b"second edit"
    assert result.moved == [(path, moved)]
    assert openpyxl.load_workbook(path)[SHEET_META]["B4"].value == "Y02"


def test_rerun_is_identical_and_moves_nothing(tmp_path: Path) -> None:
    first = write_unit_forms(make_plan(), tmp_path / "a", round=ROUND)
    again = write_unit_forms(make_plan(), tmp_path / "a", round=ROUND)
    assert again.moved == [] and not (tmp_path / "a" / "备份").exists()
    other = write_unit_forms(make_plan(), tmp_path / "b", round=ROUND)
    for a, b in zip(first, other, strict=True):
        assert a.read_bytes() == b.read_bytes()
        wa, wb = openpyxl.load_workbook(a), openpyxl.load_workbook(b)
        for name in wa.sheetnames:
            assert list(wa[name].values) == list(wb[name].values)


def test_worker_processes_write_the_same_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = write_unit_forms(make_plan(), tmp_path / "serial")
    monkeypatch.setattr(unit_forms, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(unit_forms, "_cores", lambda: 2)  # a one-CPU CI runner still takes the pool path
    calls = []

    def spy(jobs, update):
        calls.append(len(jobs))
        return real(jobs, update)
    real = unit_forms._write_pooled
    monkeypatch.setattr(unit_forms, "_write_pooled", spy)
    pooled = write_unit_forms(make_plan(), tmp_path / "pooled")
    assert calls == [5]
    assert [p.name for p in pooled] == [p.name for p in serial]
    assert [p.read_bytes() for p in pooled] == [p.read_bytes() for p in serial]


def test_progress_reports_every_form(tmp_path: Path) -> None:
    from contextlib import contextmanager
    seen: list[tuple[str, int]] = []
    steps: list[int] = []

    @contextmanager
    def progress(label: str, total: int):
        seen.append((label, total))
        yield steps.append

    write_unit_forms(make_plan(), tmp_path, progress=progress)
    assert seen == [("生成填报表", 5)] and sum(steps) == 5


def test_output_folder_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "新 建" / "二级 目录"
    result = write_unit_forms(make_plan(), folder, codes=["C01"])
    assert result[0].parent == folder and result[0].exists()


@pytest.mark.libreoffice
def test_libreoffice_prints_and_resaves_with_meta_readable(written, soffice: str, tmp_path: Path) -> None:
    """LibreOffice prints a form and re-saves another; calamine still reads the re-saved _meta."""
    import pdfplumber
    from python_calamine import CalamineWorkbook

    _, result = written
    src = tmp_path / "src"
    src.mkdir()
    (src / "x02.xlsx").write_bytes(by_code(result, "X02").read_bytes())
    [long] = write_unit_forms(long_text_plan(), tmp_path / "long", codes=["X01"])
    (src / "long.xlsx").write_bytes(long.read_bytes())
    xlsx_src = src / "y01.xlsx"
    xlsx_src.write_bytes(by_code(result, "Y01").read_bytes())
    out = tmp_path / "out"
    for fmt, files in (("pdf", [src / "x02.xlsx", src / "long.xlsx"]), ("xlsx", [xlsx_src])):
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                        "--norestore", "--convert-to", fmt, "--outdir", str(out), *map(str, files)],
                       check=True, capture_output=True, timeout=180)
    with pdfplumber.open(out / "x02.pdf") as pdf:
        printed = "".join(page.extract_text() or "" for page in pdf.pages)
        assert len(pdf.pages) == 3  # 填报说明, 任务进展, 指标填报: no column spills onto a page of its own
    assert "实验小学" in printed and "增加初中学位" in printed
    assert "plan_fingerprint" not in printed  # the very hidden sheet is not printed
    assert "1200" in printed and "1200." not in printed and "0.5" in printed  # General, not "0.##"
    with pdfplumber.open(out / "long.pdf") as pdf:
        words = pdf.pages[1].extract_words()
    # The long 具体内容 (row 2) is printed whole (LibreOffice clips what the row height cuts off) and
    # inside its row: above the 序号 of row 3, not over it.
    lines = sorted((w for w in words if len(w["text"]) > 2 and w["text"] in LONG_TEXT), key=lambda w: w["top"])
    assert "".join(w["text"] for w in lines) == LONG_TEXT
    assert lines[-1]["bottom"] < min(w["top"] for w in words if w["text"] == "3" and w["x0"] < 60)

    resaved = CalamineWorkbook.from_path(str(out / "y01.xlsx"))
    assert resaved.sheet_names == [SHEET_GUIDE, SHEET_TASKS, SHEET_INDICATORS, SHEET_META]
    visibility = {s.name: str(s.visible) for s in resaved.sheets_metadata}
    # LibreOffice keeps the sheet hidden; see the report: it stores veryHidden as plain hidden.
    assert visibility[SHEET_META] in ("SheetVisibleEnum.VeryHidden", "SheetVisibleEnum.Hidden")
    meta = dict(resaved.get_sheet_by_name(SHEET_META).to_python())
    original = {r[0].value: r[1].value for r in openpyxl.load_workbook(by_code(result, "Y01"))[SHEET_META].iter_rows()}
    assert {k: meta[k] for k in META_KEYS if k != "indicator_ids"} == \
        {k: original[k] for k in META_KEYS if k != "indicator_ids"}
    tasks = resaved.get_sheet_by_name(SHEET_TASKS).to_python()
    assert tasks[HEADER_ROW] == TASK_HEADERS
    assert [row[-1] for row in tasks[HEADER_ROW + 1:] if row[-1]] == EXPECTED["Y01"][0]


def test_file_open_elsewhere_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path, data: bytes) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    with pytest.raises(OutputError) as error:
        write_unit_forms(make_plan(), tmp_path, codes=["C01"])
    path = tmp_path / f"C01_基础教育科_{TITLE}.xlsx"
    assert str(error.value) == f"无法写入填报表「{path}」（Permission denied）：文件可能正在 Excel/WPS 中打开，请关闭后重试。"


def sheet_values(data: bytes) -> dict[str, list[tuple]]:
    import io
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: list(ws.values) for ws in wb}


def test_stamped_forms_are_the_built_forms() -> None:
    """One layout built per item set, then stamped per unit: the same bytes as building each form."""
    import dataclasses

    from workplan_xl.unit_forms.stamp import Stamper

    plan = make_plan()
    contents = unit_forms.build_contents(plan, plan.units, ROUND)
    stamper = Stamper("pw")
    for content in contents:
        assert stamper.form_bytes(content) == unit_forms.form_bytes(content, "pw")
    twin = dataclasses.replace(contents[0], unit_code="X09", unit_name='东&西<学校>"新"')
    assert stamper.form_bytes(twin) == unit_forms.form_bytes(twin, "pw")
    assert len(stamper.templates) == len(contents)  # the twin reused X01's layout
    values = sheet_values(stamper.form_bytes(twin))
    assert values[SHEET_META][4] == ("unit_name", '东&西<学校>"新"')
    assert values[SHEET_TASKS][0][0] == f'东&西<学校>"新"《{TITLE}》填报表（任务进展）'


def test_names_the_placeholders_cannot_hold_are_built_directly() -> None:
    import dataclasses
    import io

    from workplan_xl.unit_forms.stamp import Stamper, stampable

    plan = make_plan()
    [content] = unit_forms.build_contents(plan, [plan.units[3]])
    odd = dataclasses.replace(content, unit_name="_x0041_幼儿园")
    assert not stampable(odd)
    data = Stamper().form_bytes(odd)
    assert data == unit_forms.form_bytes(odd)
    assert sheet_values(data)[SHEET_META][4] == ("unit_name", "_x0041_幼儿园")
    # A name long enough to wrap its 填报说明 line needs its own row height, which the layout lacks.
    long = dataclasses.replace(content, unit_name="青禾县" + "某某乡某某村" * 7 + "联合幼儿园")
    assert not stampable(long)
    data = Stamper().form_bytes(long)
    assert data == unit_forms.form_bytes(long)
    guide = openpyxl.load_workbook(io.BytesIO(data))[SHEET_GUIDE]
    assert guide["B3"].value.startswith("青禾县某某乡") and guide.row_dimensions[3].height >= 2 * 15
    # A name equal to another text of the form is stored twice: the cells still read the same.
    same = dataclasses.replace(content, unit_name=TITLE)
    assert sheet_values(Stamper().form_bytes(same)) == sheet_values(unit_forms.form_bytes(same))
