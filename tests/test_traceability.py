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


# -- every count, recomputed from the ledger, on a year with every kind of unit state -------------------
ROUNDS = ("2025-年度", "2025-06")


@pytest.fixture(scope="module")
def hard_year(tmp_path_factory):
    """Two rounds. 2025-年度: 1001 a good return then its blank form re-sent later, 1002 half filled,
    1003 only an unreadable file, 1004 a good return, 1005 nothing. 2025-06 (collected last): 1001, 1002."""
    import os

    from click.testing import CliRunner
    from test_returns import PNG, fill, make_forms, make_plan

    from workplan_xl.cli import cli
    from workplan_xl.master_workbook import write_master_workbook

    base = tmp_path_factory.mktemp("trace2") / "督导 室"
    base.mkdir()
    master = write_master_workbook(make_plan(units=5), base / "台账.xlsx")
    plan = read_master_workbook(master)
    out: dict[str, str] = {}
    for round_ in ROUNDS:
        made = make_forms(plan, base / f"表{round_}", round=round_)
        folder = base / f"回表 {round_}"
        folder.mkdir()
        if round_ == "2025-年度":
            fill(made["1001"], folder / "1001.xlsx")
            blank = folder / "1001 重发.xlsx"
            blank.write_bytes(made["1001"].read_bytes())
            os.utime(blank, (2_000_000_000, 2_000_000_000))
            fill(made["1002"], folder / "1002.xlsx", tasks={"T001": {"完成状态": "推进中"}, "T002": {"进展情况": "在做"},
                                                           "T003": {"完成状态": "未启动"}}, indicators={"I001": 90})
            (folder / "1003 实验小学.xlsx").write_bytes(PNG)
            fill(made["1004"], folder / "1004.xlsx", indicators={"I001": 97.5, "I002": 120})
        else:
            fill(made["1001"], folder / "1001.xlsx", tasks={t: {"完成状态": "推进中"} for t in ("T001", "T002", "T003")},
                 indicators={"I001": 80, "I002": 50})
            fill(made["1002"], folder / "1002.xlsx", indicators={"I001": 85, "I002": 70})
        result = CliRunner().invoke(cli, ["collect", str(master), str(folder)])
        assert result.exit_code in (0, 3), result.output
        out[f"collect {round_}"] = result.stdout
        out[f"status {round_}"] = CliRunner().invoke(cli, ["status", str(master), "--round", round_]).stdout
    report = CliRunner().invoke(cli, ["report", str(master), "--date", "2025-12-20"])
    assert report.exit_code == 0, report.output
    notices = CliRunner().invoke(cli, ["notices", str(master), "-o", str(base / "督办"), "--round", "2025-年度",
                                       "--as-of", "2024-12-31", "--date", "2025-12-20"])
    assert notices.exit_code == 0, notices.output
    con = sqlite3.connect(master.with_suffix(".db"))
    yield master, plan, out, con
    con.close()


def _states(con: sqlite3.Connection, round_: str) -> dict[str, str]:
    """Each roster unit's state in a round, in plain SQL."""
    return dict(con.execute(
        "SELECT r.code, CASE"
        " WHEN EXISTS (SELECT 1 FROM submissions s WHERE s.round = ?1 AND s.unit_code = r.code"
        "   AND s.status = 'accepted' AND s.blank = '') THEN '已报'"
        " WHEN EXISTS (SELECT 1 FROM submissions s WHERE s.round = ?1 AND s.unit_code = r.code"
        "   AND s.status = 'accepted') THEN '部分填报'"
        " WHEN EXISTS (SELECT 1 FROM submissions s WHERE s.round = ?1 AND s.unit_code = r.code"
        "   AND s.status = 'rejected') THEN '有问题'"
        " ELSE '未报' END FROM roster r ORDER BY r.position", (round_,)).fetchall())


def _count(states: dict[str, str]) -> dict[str, int]:
    return {s: list(states.values()).count(s) for s in ("已报", "部分填报", "有问题", "未报")}


def _values(con: sqlite3.Connection, round_: str, field: str) -> list[tuple[str, str, str]]:
    return con.execute('SELECT v.unit_code, v.item_id, v.value FROM "values" v JOIN submissions s'
                       " ON s.id = v.submission_id WHERE s.round = ? AND s.status = 'accepted' AND v.field = ?",
                       (round_, field)).fetchall()


def test_the_fixture_holds_every_kind_of_unit(hard_year):
    _master, _plan, _out, con = hard_year
    assert _states(con, "2025-年度") == {"1001": "已报", "1002": "部分填报", "1003": "有问题", "1004": "已报",
                                        "1005": "未报"}
    # the blank resend is in the ledger, rejected, and did not displace 1001's return
    assert con.execute("SELECT status FROM submissions WHERE file_name = '1001 重发.xlsx'").fetchone() == ("rejected",)


@pytest.mark.parametrize("round_", ROUNDS)
def test_unit_counts_everywhere(hard_year, round_):
    master, _plan, out, con = hard_year
    n = _count(_states(con, round_))
    line = (f"应报 {sum(n.values())} 个单位，已报 {n['已报']} 个，部分填报 {n['部分填报']} 个，有问题 {n['有问题']} 个，"
            f"未报 {n['未报']} 个")
    assert f"批次「{round_}」：{line}。" in out[f"collect {round_}"]
    assert out[f"status {round_}"].splitlines()[0] == f"批次「{round_}」：{line}。"
    workbook = master.parent / f"汇总_{round_}.xlsx"
    assert line in load_workbook(workbook)["报送情况"]["A2"].value
    header, rows = _table(workbook, "报送情况", "代码")
    assert {r[0]: r[header.index("状态")] for r in rows} == _states(con, round_)


def _document_text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_report_and_the_bulletin_count_the_same(hard_year):
    master, _plan, _out, con = hard_year
    n = _count(_states(con, "2025-年度"))  # the year-end round, although 2025-06 was collected last
    said = (f"应报送单位{sum(n.values())}个，已报送{n['已报'] + n['部分填报']}个（其中部分填报{n['部分填报']}个），"
            f"报送的文件无法使用{n['有问题']}个，未报送{n['未报']}个")
    assert said in _report_text(master.parent / "2024年工作总结.docx")
    bulletin = next((master.parent / "督办").glob("关于*.docx"))
    text = _document_text(bulletin)
    assert said + "。" in text and "全部单位均已报送" not in text
    assert f"共{n['未报']}个单位未报送" in text and f"共{n['有问题']}个单位报送的文件无法使用" in text


def test_task_columns_and_notices_from_the_ledger(hard_year):
    master, plan, _out, con = hard_year
    statuses: dict[str, dict[str, str]] = {}
    for unit, item, value in _values(con, "2025-年度", "status"):
        statuses.setdefault(item, {})[unit] = value
    header, rows = _table(master.parent / "汇总_2025-年度.xlsx", "任务汇总", "任务编号")
    roster = [code for (code,) in con.execute("SELECT code FROM roster ORDER BY position")]
    for task, row in zip(plan.tasks(), rows, strict=True):
        given = statuses.get(task.id, {})
        assert row[header.index("已报")] == len(given)
        for status in ("未启动", "推进中", "已完成", "不适用"):
            assert row[header.index(status)] == list(given.values()).count(status), (task.id, status)
        missing = row[header.index("未报单位")] or ""
        assert len([m for m in missing.split("、") if m]) == len(roster) - len(given)
    # 督办单: each 当前状态 is the ledger's 完成状态 for that unit, or its state when it has none (the unit
    # whose only file is unreadable is not "未报送"); every unit with a 督办单 is on the roster
    states = _states(con, "2025-年度")
    shown_for_state = {"有问题": "报送的文件无法使用", "未报": "未报送", "已报": "未填报完成状态", "部分填报": "未填报完成状态"}
    checked = 0
    for code, state in states.items():
        paths = list((master.parent / "督办").glob(f"督办单_{code}_*.docx"))
        if not paths:
            continue
        cells = [[c.text for c in row.cells] for t in Document(str(paths[0])).tables for row in t.rows]
        shown = [row[1].split("，")[0] for row in cells if row[0] == "当前状态"]
        allowed = {value for item, units in statuses.items() for unit, value in units.items() if unit == code}
        assert shown and set(shown) <= allowed | {shown_for_state[state]}, (code, state, shown)
        if state in ("有问题", "未报"):
            assert set(shown) == {shown_for_state[state]}
        checked += 1
    assert checked >= 3


def test_indicator_figures_of_the_year_end_round(hard_year):
    master, plan, _out, con = hard_year
    numbers: dict[str, list[float]] = {}
    for _unit, item, value in _values(con, "2025-年度", "value"):
        numbers.setdefault(item, []).append(float(value))
    header, rows = _table(master.parent / "汇总_2025-年度.xlsx", "指标汇总", "指标")
    by_metric = {r[0]: r for r in rows}
    text = _report_text(master.parent / "2024年工作总结.docx")
    for indicator in plan.indicators():
        got = numbers[indicator.id]
        actual = sum(got) if indicator.aggregate == "sum" else fmean(got)
        row = by_metric[indicator.metric]
        assert row[header.index("汇总值")] == pytest.approx(round_half_up(actual, 2))
        assert row[header.index("已报单位数")] == len(got)
        assert f"实际{format_number(actual)}{indicator.unit}" in text
