"""The 填报人 block of a form (填报人 / 审核人（单位负责人）/ 联系电话 / 填报日期): written below the table with
unlocked input cells, read back by wpx collect into the ledger and shown in 汇总.xlsx 报送情况; forms
sent before the block existed are still collected."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from test_returns import fill, make_forms, make_plan

from workplan_xl.cli import cli
from workplan_xl.form_layout import (
    CONTACT_FIELDS,
    HEADER_ROW,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_TASKS,
)
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook
from workplan_xl.plan import Unit
from workplan_xl.unit_forms import write_unit_forms

LABELS = [label + "：" for label, _ in CONTACT_FIELDS]


def block_cells(sheet) -> dict[str, tuple[int, int]]:  # noqa: ANN001 - openpyxl worksheet
    """Label → (row, column) of its input cell, for the labels found below the header row."""
    found = {}
    for row in sheet.iter_rows(min_row=HEADER_ROW + 2):
        for cell in row:
            if cell.value in LABELS:
                found[cell.value[:-1]] = (cell.row, cell.column + 1)
    return found


def sign(form: Path, out: Path, values: dict[str, str]) -> Path:
    """Fill the tasks and indicators as test_returns.fill does, then the 填报人 block, only in unlocked cells."""
    def edit(workbook: openpyxl.Workbook) -> None:
        for name in (SHEET_TASKS, SHEET_INDICATORS):
            sheet = workbook[name]
            for label, (r, c) in block_cells(sheet).items():
                if label in values:
                    assert sheet.cell(r, c).protection.locked is False
                    sheet.cell(r, c).value = values[label]

    return fill(form, out, edit=edit)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("contact") / "督导室 回表"
    base.mkdir()
    plan = make_plan(units=3)
    plan.units.append(Unit("2001", "督导室", "股室"))
    master = write_master_workbook(plan, base / "台账.xlsx")
    forms = make_forms(read_master_workbook(master), base / "填报表")
    (base / "回表").mkdir()
    sign(forms["1001"], base / "回表" / "1001.xlsx",
         {"填报人": "王老师", "审核人（单位负责人）": "李校长", "联系电话": "13800001111", "填报日期": "2024年6月30日"})
    sign(forms["1002"], base / "回表" / "1002.xlsx", {"填报人": "赵老师"})
    return base


def test_block_below_the_table_unlocked_once_per_form(project: Path) -> None:
    forms = {p.name.split("_", 1)[0]: p for p in (project / "填报表").iterdir()}
    workbook = openpyxl.load_workbook(forms["1001"])
    tasks, indicators = workbook[SHEET_TASKS], workbook[SHEET_INDICATORS]
    cells = block_cells(tasks)
    assert list(cells) == [label for label, _ in CONTACT_FIELDS]
    assert block_cells(indicators) == {}  # one block per form, under the tasks
    last_task_row = max(r for r in range(HEADER_ROW + 2, tasks.max_row + 1) if tasks.cell(r, tasks.max_column).value)
    assert min(r for r, _ in cells.values()) == last_task_row + 2  # one blank row between
    for r, c in cells.values():
        assert tasks.cell(r, c).protection.locked is False and tasks.cell(r, c).fill.fgColor.rgb == "FFFFF2CC"
        assert tasks.cell(r, c - 1).protection.locked is not False  # the label is locked
        assert tasks.column_dimensions[openpyxl.utils.get_column_letter(c)].hidden is not True
    assert tasks["A2"].value == "填报单位（盖章）：第一中学　单位代码：1001"  # stamped over the name when printed
    assert tasks["A1"].value == "第一中学《某区教育局2024年工作要点》填报表（任务进展）"
    guide = {r[0].value: r[1].value for r in workbook[SHEET_GUIDE].iter_rows(min_row=3)}
    assert "审核人（单位负责人）" in guide["填报人"] and "填报单位（盖章）" in guide["填报人"]


def test_unit_with_only_indicators_gets_the_block_under_them(tmp_path: Path) -> None:
    plan = make_plan(units=1)
    for task in plan.tasks():
        task.reporters = ["无此单位"]
    for indicator in plan.indicators():
        indicator.reporters = ["1001"]
    [path] = write_unit_forms(plan, tmp_path)
    workbook = openpyxl.load_workbook(path)
    assert block_cells(workbook[SHEET_TASKS]) == {}
    assert list(block_cells(workbook[SHEET_INDICATORS])) == [label for label, _ in CONTACT_FIELDS]


def test_guide_examples_use_the_plans_year(tmp_path: Path) -> None:
    [path] = write_unit_forms(make_plan(units=1, year=2031, title="某区2031年工作要点"), tmp_path)
    guide = {r[0].value: r[1].value for r in openpyxl.load_workbook(path)[SHEET_GUIDE].iter_rows(min_row=3)}
    assert guide["完成时间"] == "已完成的任务填写完成时间，如 2031年6月 或 2031-06-15。"
    assert "2031年6月30日" in guide["填报人"]
    assert not any("2024" in str(v) for v in guide.values())


def test_collect_reads_the_block_into_ledger_and_report(project: Path, tmp_path: Path) -> None:
    base = tmp_path / "项目 一"
    shutil.copytree(project, base)
    result = CliRunner().invoke(cli, ["collect", str(base / "台账.xlsx"), str(base / "回表")])
    assert result.exit_code == 0, result.output
    units = {r[0]: r for r in openpyxl.load_workbook(base / "汇总.xlsx")["报送情况"].iter_rows(values_only=True)}
    header = list(units["代码"])
    assert header[-4:] == ["填报人", "审核人", "填报人电话", "填报日期"]
    one = dict(zip(header, units["1001"], strict=True))
    assert (one["填报人"], one["审核人"], one["填报人电话"], one["填报日期"]) == ("王老师", "李校长", "13800001111", "2024-06-30")
    two = dict(zip(header, units["1002"], strict=True))
    assert (two["填报人"], two["审核人"], two["填报日期"]) == ("赵老师", None, None)
    with sqlite3.connect(base / "台账.db") as db:
        rows = db.execute("SELECT unit_code, field, value, raw, note, cell FROM form_values ORDER BY rowid").fetchall()
        tasks = db.execute("SELECT count(*) FROM \"values\" WHERE unit_code = '1001'").fetchone()[0]
    assert rows[0][:2] == ("1001", "filler") and rows[0][5].startswith(f"{SHEET_TASKS}!")
    assert ("1001", "fill_date", "2024-06-30", "2024年6月30日", "「2024年6月30日」按2024-06-30计") == rows[3][:5]
    assert tasks == 10  # 8 task cells and 2 indicators of test_returns.fill: the block added none
    assert [r[:3] for r in rows[4:]] == [("1002", "filler", "赵老师")]


def test_old_layout_and_hand_typed_labels_are_still_collected(project: Path, tmp_path: Path) -> None:
    base = tmp_path / "旧表"
    shutil.copytree(project, base)
    forms = {p.name.split("_", 1)[0]: p for p in (base / "填报表").iterdir()}

    def old_layout(workbook: openpyxl.Workbook) -> None:
        """A form as version 1 wrote it: no block, the old unit line."""
        tasks = workbook[SHEET_TASKS]
        for r in sorted({r for r, _ in block_cells(tasks).values()}, reverse=True):
            tasks.delete_rows(r)
        tasks["A2"].value = "单位代码：1003　单位名称：实验小学"
        meta = workbook[SHEET_META]
        for row in meta.iter_rows():
            if row[0].value == "form_version":
                row[1].value = "1"

    fill(forms["1003"], base / "回表" / "1003 旧表.xlsx", edit=old_layout)

    def typed_in_label(workbook: openpyxl.Workbook) -> None:
        """A school that unprotected the sheet and typed into the label cells themselves."""
        tasks = workbook[SHEET_TASKS]
        for label, (r, c) in block_cells(tasks).items():
            tasks.cell(r, c - 1).value = {"填报人": "填报人：孙老师", "联系电话": "联系电话: 0371-1234567"}.get(label)

    fill(forms["2001"], base / "回表" / "2001.xlsx", edit=typed_in_label)
    result = CliRunner().invoke(cli, ["collect", str(base / "台账.xlsx"), str(base / "回表")])
    assert result.exit_code == 0, result.output
    assert "应报 4 个单位，已报 4 个，部分填报 0 个，有问题 0 个，未报 0 个" in result.output
    with sqlite3.connect(base / "台账.db") as db:
        old = db.execute("SELECT count(*) FROM \"values\" v JOIN submissions s ON s.id = v.submission_id"
                         " WHERE s.unit_code = '1003' AND s.status = 'accepted'").fetchone()[0]
        problems = db.execute("SELECT count(*) FROM problems").fetchone()[0]
        typed = dict(db.execute("SELECT field, value FROM form_values WHERE unit_code = '2001'").fetchall())
    assert old == 10 and problems == 0
    assert typed == {"filler": "孙老师", "phone": "0371-1234567"}
