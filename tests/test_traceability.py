"""Every figure in the 工作总结 can be traced to 汇总.xlsx, and both to the ledger: a sample of the
figures is recomputed here with plain SQL over the ledger, independently of progress.py."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from statistics import fmean

import pytest
from docx import Document
from openpyxl import load_workbook

from workplan_xl.cjk import round_half_up
from workplan_xl.demo import run_demo
from workplan_xl.gongwen import format_number
from workplan_xl.master_workbook import read_master_workbook


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    result = run_demo(tmp_path_factory.mktemp("trace") / "追溯 演示", echo=lambda *_: None, soffice=None)
    con = sqlite3.connect(result.ledger)
    yield result, con
    con.close()


def _current(con: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """(unit, item, field, value) of the accepted, not superseded submissions."""
    return con.execute(
        'SELECT v.unit_code, v.item_id, v.field, v.value FROM "values" v '
        "JOIN submissions s ON s.id = v.submission_id WHERE s.status = 'accepted'").fetchall()


def _table(path: Path, sheet: str, first: str) -> tuple[list[str], list[tuple]]:
    rows = list(load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r and r[0] == first)
    return list(rows[top]), [r for r in rows[top + 1:] if r and r[0] is not None]


def _report_text(path: Path) -> str:
    document = Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def test_units_reported(year):
    result, con = year
    reported = {code for (code,) in con.execute(
        "SELECT DISTINCT unit_code FROM submissions WHERE status = 'accepted' AND unit_code != ''")}
    header, rows = _table(result.consolidated, "报送情况", "代码")
    state = header.index("状态")
    assert {r[0] for r in rows if r[state] != "未报"} >= reported
    assert {r[1] for r in rows if r[state] == "未报"} == set(result.missing)
    usable = sum(1 for r in rows if r[state] in ("已报", "部分填报"))
    assert f"已报送{usable}个" in _report_text(result.report)


def test_indicator_actuals(year):
    result, con = year
    plan = read_master_workbook(result.master)
    values: dict[str, list[float]] = {}
    for _unit, item, field, value in _current(con):
        if field == "value":
            values.setdefault(item, []).append(float(value))
    header, rows = _table(result.consolidated, "指标汇总", "指标")
    by_metric = {r[0]: r for r in rows}
    text = _report_text(result.report)
    checked = 0
    for indicator in plan.indicators():
        numbers = values.get(indicator.id)
        if not numbers or indicator.aggregate not in ("sum", "mean"):
            continue
        actual = sum(numbers) if indicator.aggregate == "sum" else fmean(numbers)
        row = by_metric[indicator.metric or indicator.text]
        assert row[header.index("汇总值")] == pytest.approx(round_half_up(actual, 2))
        assert row[header.index("已报单位数")] == len(numbers)
        assert f"实际{format_number(actual)}" in text
        checked += 1
    assert checked >= 3


def test_task_status_counts(year):
    """附表 任务推进情况表 and 汇总.xlsx 任务汇总 both give the ledger's status counts per task."""
    result, con = year
    plan = read_master_workbook(result.master)
    statuses: dict[str, dict[str, int]] = {}
    for _unit, item, field, value in _current(con):
        if field == "status":
            counts = statuses.setdefault(item, {})
            counts[value] = counts.get(value, 0) + 1
    header, rows = _table(result.consolidated, "任务汇总", "任务编号")
    title_col = header.index("重点任务")
    table = next(t for t in Document(str(result.report)).tables if t.rows[0].cells[1].text == "重点任务")
    in_report = {r.cells[1].text: [c.text for c in r.cells[4:7]] for r in table.rows[1:]}
    checked = 0
    for task in plan.tasks():
        counts = statuses.get(task.id)
        if not counts:
            continue
        row = next(r for r in rows if r[title_col] == task.title)
        expected = [counts.get(status, 0) for status in ("已完成", "推进中", "未启动")]
        assert [row[header.index(s)] for s in ("已完成", "推进中", "未启动")] == expected, task.title
        assert in_report[task.title] == [str(n) for n in expected], task.title
        checked += 1
    assert checked >= 5


_GROUP = re.compile(r"(?:(\d+)个单位|([^，；。（）]+?、[^，；。（）、]+?)|^)共([^，；。]+)")


def test_summed_figures(year):
    """Each "N个单位共开展专题培训123场" in the report is the sum, over the units, of what each wrote in
    进展情况 and 主要成效 (a figure a unit repeats in both counts once), recomputed from the ledger."""
    from workplan_xl.word_report.compose import summary_heading
    from workplan_xl.word_report.consolidate import figures_in

    result, con = year
    plan = read_master_workbook(result.master)
    texts: dict[str, dict[str, list[str]]] = {}
    for unit, item, field, value in _current(con):
        if field in ("progress", "achievements"):
            texts.setdefault(item, {}).setdefault(unit, []).append(value)
    paragraphs = [p.text for p in Document(str(result.report)).paragraphs]
    checked = 0
    for task in plan.tasks():
        heading = summary_heading(task.title)
        paragraph = next((p for p in paragraphs if re.match(rf"^（.+?）{re.escape(heading)}。", p)
                          or p.startswith(f"围绕{task.title}，")), None)
        if paragraph is None or task.id not in texts:
            continue
        for match in _GROUP.finditer(paragraph.split("。", 1)[1] if paragraph.startswith("（") else paragraph):
            for said in match.group(3).split("、"):
                figure = re.fullmatch(r"(.+?)(\d+(?:\.\d+)?)(余)?(\D+)", said)
                assert figure, said
                wording, total, measure = figure.group(1), float(figure.group(2)), figure.group(4)
                parts = []
                for values in texts[task.id].values():
                    # the same wording, or one adding a word or two before it (培训覆盖教职工 = 覆盖教职工)
                    per_text = [sum(v for w, m, v, *_ in figures_in(t) if m == measure and w.endswith(wording)
                                    and len(w) - len(wording) <= 4) for t in values]
                    if any(per_text):
                        parts.append(max(per_text))
                assert sum(parts) == pytest.approx(total), (task.title, said)
                if match.group(1):
                    assert len(parts) == int(match.group(1)), (task.title, said)
                checked += 1
    assert checked >= 10
