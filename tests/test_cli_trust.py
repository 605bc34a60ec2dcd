"""Issue 9 through the command line: a blank, broken or foreign resend never displaces a usable return,
a worse resubmission is used but flagged, the officer can pin a file, a half-filled return is 部分填报
(naming the blank cells), and every document counts the units the same way."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from detail_sheet import detail_values, ledger_values
from docx import Document
from openpyxl import load_workbook
from test_returns import PNG, fill, make_forms, make_plan

from workplan_xl.cli import cli
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook

DAY = 1_700_000_000  # file times, so "later" is explicit


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    base = tmp_path_factory.mktemp("trust") / "2024 年 督导室"
    base.mkdir()
    master = write_master_workbook(make_plan(units=4), base / "工作 台账.xlsx")
    return master, make_forms(read_master_workbook(master), base / "填报表")


def project(forms: tuple[Path, dict[str, Path]], tmp_path: Path) -> tuple[Path, Path, dict[str, Path]]:
    master, made = forms
    target = tmp_path / "我的 项目"
    target.mkdir()
    shutil.copy(master, target / master.name)
    (target / "回表 文件夹").mkdir()
    return target / master.name, target / "回表 文件夹", made


def at(path: Path, hours: int) -> Path:
    os.utime(path, (DAY + hours * 3600, DAY + hours * 3600))
    return path


def rows(path: Path, sheet: str) -> list[list]:
    return [list(r) for r in load_workbook(path, read_only=True)[sheet].iter_rows(min_row=4, values_only=True)]


def table(path: Path, sheet: str, first: str) -> tuple[list, list[list]]:
    """(header, rows) of a sheet's table whose header starts with ``first``."""
    found = [list(r) for r in load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(found) if r and r[0] == first)
    return found[top], [r for r in found[top + 1:] if r and r[0] is not None]


def collect(master: Path, returns: Path, *more: str):
    return CliRunner().invoke(cli, ["collect", str(master), str(returns), *more])


def test_blank_broken_and_foreign_resends_never_displace_a_usable_return(forms, tmp_path: Path) -> None:
    master, returns, made = project(forms, tmp_path)
    at(fill(made["1001"], returns / "1001 第一中学.xlsx"), 1)
    at(fill(made["1002"], returns / "1002 第二中学.xlsx"), 1)
    first = collect(master, returns)
    assert first.exit_code == 0, first.output
    # later: 1001 re-sends its blank form, 1002 a broken file, and another plan's form for 1001 arrives
    at(Path(shutil.copy(made["1001"], returns / "1001 第一中学（重发）.xlsx")), 5)
    (returns / "1002 第二中学（重发）.xlsx").write_bytes(PNG)
    at(returns / "1002 第二中学（重发）.xlsx", 6)
    other = make_plan(units=4, title="别的区2024年工作要点")
    at(fill(make_forms(other, tmp_path / "别的")["1001"], returns / "1001 别的区.xlsx"), 7)
    result = collect(master, returns)
    assert result.exit_code == 3, result.output
    assert "批次「未分批次」：应报 4 个单位，已报 2 个，部分填报 0 个，有问题 0 个，未报 2 个。" in result.stdout
    summary = master.parent / "汇总.xlsx"
    problems = {(r[0], r[3]) for r in rows(summary, "问题清单")}
    assert ("1001 第一中学（重发）.xlsx", "回表中没有填写任何内容（空表），未使用；采用的仍是「1001 第一中学.xlsx」"
            f"（{_received(returns / '1001 第一中学.xlsx')} 收到）") in problems
    assert any(f == "1002 第二中学（重发）.xlsx" and p.endswith("；采用的仍是「1002 第二中学.xlsx」"
                                                             f"（{_received(returns / '1002 第二中学.xlsx')} 收到）")
               for f, p in problems)
    assert any(f == "1001 别的区.xlsx" and "另一份工作要点" in p and "采用的仍是「1001 第一中学.xlsx」" in p for f, p in problems)
    # the good values are still in 明细 and every total
    detail = rows(summary, "明细")
    assert {r[0] for r in detail if r[0]} == {"1001", "1002"}
    assert all(r[-1] in ("1001 第一中学.xlsx", "1002 第二中学.xlsx") for r in detail if r[0])
    plan = read_master_workbook(master)
    db = master.with_suffix(".db")
    assert detail_values(summary) == ledger_values(db, plan)  # each accepted value once, by plain SQL
    assert not set(ledger_values(db, plan, ("rejected", "superseded"))) & set(detail_values(summary))
    status = CliRunner().invoke(cli, ["status", str(master)])
    assert "已报（2）：第一中学（1001）、第二中学（1002）" in status.stdout


def _received(path: Path) -> str:
    import datetime

    return datetime.datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="minutes").replace("T", " ")


def test_half_filled_unreadable_only_and_the_counts_everywhere(forms, tmp_path: Path) -> None:
    master, returns, made = project(forms, tmp_path)
    fill(made["1001"], returns / "1001.xlsx")
    # 1002 fills T002's progress but not its 完成状态, and leaves 培训教师人数 blank
    fill(made["1002"], returns / "1002.xlsx", tasks={"T001": {"完成状态": "已完成"}, "T002": {"进展情况": "已排查"},
                                                        "T003": {"完成状态": "推进中"}}, indicators={"I001": 97})
    (returns / "1003 实验小学.xlsx").write_bytes(PNG)  # its only file cannot be read
    result = collect(master, returns)
    assert result.exit_code == 3
    line = "应报 4 个单位，已报 1 个，部分填报 1 个，有问题 1 个，未报 1 个。"
    assert f"批次「未分批次」：{line}" in result.stdout
    status = CliRunner().invoke(cli, ["status", str(master)])
    assert status.stdout.splitlines() == [
        f"批次「未分批次」：{line}", "未报（1）：城关幼儿园（1004）", "有问题（1）：实验小学（1003）",
        "部分填报（1）：第二中学（1002）", "已报（1）：第一中学（1001）"]
    summary = master.parent / "汇总.xlsx"
    assert line in load_workbook(summary)["报送情况"]["A2"].value
    partial = [r for r in rows(summary, "问题清单") if r[0] == "1002.xlsx"]
    assert len(partial) == 1 and partial[0][3].startswith("部分填报：2 处必填内容未填（任务进展!")
    assert "（完成状态）" in partial[0][3] and "（填报值）" in partial[0][3]
    # 任务汇总 adds up: 已报 = the four statuses, 已报 + 未报单位 = 应报
    header, tasks = table(summary, "任务汇总", "任务编号")
    assert len(tasks) == 3
    for row in tasks:
        expected, reported = row[header.index("应报单位数")], row[header.index("已报")]
        statuses = sum(row[header.index(s)] for s in ("未启动", "推进中", "已完成", "不适用"))
        missing = row[header.index("未报单位")]
        assert reported == statuses
        assert reported + (len(missing.split("、")) if missing else 0) == expected, row
    # the 总结 and the 通报 count the same way; the unreadable-only unit is not 已报送
    report = CliRunner().invoke(cli, ["report", str(master), "-o", str(tmp_path / "总结.docx")])
    assert report.exit_code == 0, report.output
    text = "\n".join(p.text for p in Document(str(tmp_path / "总结.docx")).paragraphs)
    assert "应报送单位4个，已报送2个（其中部分填报1个），报送的文件无法使用1个，未报送1个" in text
    notices = CliRunner().invoke(cli, ["notices", str(master), "-o", str(tmp_path / "督办"), "--as-of", "2024-12-31"])
    assert notices.exit_code == 0, notices.output
    bulletin = next((tmp_path / "督办").glob("关于*.docx"))
    text = "\n".join(p.text for p in Document(str(bulletin)).paragraphs)
    assert "应报送单位4个，已报送2个（其中部分填报1个），报送的文件无法使用1个，未报送1个。" in text
    assert "全部单位均已报送" not in text
    assert "实验小学共1个单位报送的文件无法使用" in text


def test_a_worse_resubmission_is_used_but_flagged_and_a_pin_holds(forms, tmp_path: Path) -> None:
    master, returns, made = project(forms, tmp_path)
    at(fill(made["1001"], returns / "1001 完整.xlsx"), 1)
    at(fill(made["1001"], returns / "1001 补充.xlsx", tasks={"T001": {"完成状态": "已完成"}}, indicators={}), 3)
    result = collect(master, returns)
    assert result.exit_code == 3
    assert "部分填报 1 个" in result.stdout  # the newer, thinner one is used
    flagged = [r for r in rows(master.parent / "汇总.xlsx", "问题清单") if r[0] == "1001 补充.xlsx" and r[2] == "整个文件"]
    assert len(flagged) == 1 and flagged[0][3].startswith("这份回表填了 1 项，少于之前收到的「1001 完整.xlsx」")
    assert flagged[0][4] == "如应采用之前那份，请运行 wpx collect 时加 --pin 1001=1001 完整.xlsx。"

    pinned = collect(master, returns, "--pin", "1001=1001 完整.xlsx")
    assert "已指定第一中学（1001）采用「1001 完整.xlsx」（记入台账数据库，以后每次收集都按此采用）。" in pinned.stdout
    assert "已报 1 个，部分填报 0 个" in pinned.stdout
    again = collect(master, returns)  # the choice is kept in the ledger
    assert "已报 1 个，部分填报 0 个" in again.stdout
    units = rows(master.parent / "汇总.xlsx", "报送情况")
    assert [(r[3], r[5], r[6]) for r in units if r[0] == "1001"] == [("已报", "1001 完整.xlsx", "按隐藏信息识别；已指定采用")]
    con = sqlite3.connect(master.with_suffix(".db"))
    assert con.execute("SELECT unit_code, file_name FROM pins").fetchall() == [("1001", "1001 完整.xlsx")]
    con.close()

    lifted = collect(master, returns, "--pin", "1001=")
    assert "已取消对第一中学（1001）的指定，恢复按规则采用较新的可用回表。" in lifted.stdout
    assert "部分填报 1 个" in lifted.stdout


def test_pin_mistakes_are_one_sentence(forms, tmp_path: Path) -> None:
    master, returns, made = project(forms, tmp_path)
    fill(made["1001"], returns / "1001.xlsx")
    (returns / "1001 坏.xlsx").write_bytes(PNG)
    bad = collect(master, returns, "--pin", "1001")
    assert bad.exit_code == 2
    assert bad.stderr == "错误：--pin 的值「1001」格式不对：请写成 代码=文件名（如 --pin 1003=1003_实验小学.xlsx；写 代码= 则取消指定）。\n"
    unknown = collect(master, returns, "--pin", "9999=1001.xlsx")
    assert unknown.exit_code == 2 and unknown.stderr == "错误：--pin 中的单位代码「9999」不在台账的填报单位名单中：请检查代码。\n"
    missing = collect(master, returns, "--pin", "1001=没有.xlsx")
    assert missing.exit_code == 2
    assert missing.stderr == ("错误：批次「未分批次」中没有第一中学（1001）名为「没有.xlsx」的回表，无法指定：该单位可用的回表有 "
                              "「1001.xlsx」，请从中选择（--pin 代码=文件名）。\n")
    broken = collect(master, returns, "--pin", "1001=1001 坏.xlsx")
    assert broken.exit_code == 2 and broken.stderr.startswith("错误：「1001 坏.xlsx」不能指定为第一中学（1001）采用的回表：")


def county_plan():
    """Offices that own a county figure (新增学位, reported by 基教科 and 计财科) and schools that each
    add their own places (学位 by school, summed)."""
    from workplan_xl.plan import Indicator, Part, Plan, Section, Task, Unit

    t1 = Task("T001", "1", "扩大学位供给", "扩大学位供给。", owners=["基教科"], partners=["计财科"])
    t1.indicators = [Indicator("I001", "新增学位不少于700个", "新增学位", ">=", 700, "个", task="T001"),
                     Indicator("I002", "大班额比例控制在5%以内", "大班额比例", "<=", 5, "%", task="T001")]
    t2 = Task("T002", "2", "学校挖潜扩容", "各学校挖潜扩容。", reporters=["学校"])
    t2.indicators = [Indicator("I003", "各校新增学位", "学校新增学位", ">=", 300, "个", task="T002"),
                     Indicator("I004", "课后服务覆盖率达到95%", "课后服务覆盖率", ">=", 95, "%", task="T002")]
    units = [Unit("01", "基教科", "处室"), Unit("02", "计财科", "处室"), Unit("11", "第一中学", "学校"),
             Unit("12", "第二中学", "学校")]
    return Plan(title="某县教育局2025年工作要点", year=2025, issuer="某县教育局", parts=[Part("plan", "要点", 2025, [
        Section("S01", "一", "办好人民满意教育", tasks=[t1, t2])])], units=units)


def test_county_figures_take_the_owner_and_school_figures_add_up(tmp_path: Path) -> None:
    from workplan_xl.plan import apply_default_aggregates

    plan = county_plan()
    apply_default_aggregates(plan)  # as wpx build does
    folder = tmp_path / "县 台账"
    folder.mkdir()
    master = write_master_workbook(plan, folder / "台账.xlsx")
    header, rows_ = table(master, "指标跟踪", "序号")
    how = {r[header.index("指标")]: r[header.index("汇总方式")] for r in rows_}
    assert how == {"新增学位不少于700个": "取牵头单位值", "大班额比例控制在5%以内": "取牵头单位值",
                   "各校新增学位": "求和", "课后服务覆盖率达到95%": "平均"}
    made = make_forms(read_master_workbook(master), folder / "表")
    returns = folder / "回表"
    returns.mkdir()
    fill(made["01"], returns / "01.xlsx", tasks={"T001": {"完成状态": "推进中"}}, indicators={"I001": 738, "I002": 3.3})
    fill(made["02"], returns / "02.xlsx", tasks={"T001": {"完成状态": "推进中"}}, indicators={"I001": 649, "I002": 3.3})
    fill(made["11"], returns / "11.xlsx", tasks={"T002": {"完成状态": "推进中"}}, indicators={"I003": 120, "I004": 96})
    fill(made["12"], returns / "12.xlsx", tasks={"T002": {"完成状态": "推进中"}}, indicators={"I003": 90, "I004": 94})
    result = CliRunner().invoke(cli, ["collect", str(master), str(returns)])
    assert result.exit_code == 3, result.output  # the conflict is a problem to look at
    summary = folder / "汇总.xlsx"
    header, rows_ = table(summary, "指标汇总", "指标")
    actual = {r[0]: (r[header.index("汇总方式")], r[header.index("汇总值")]) for r in rows_}
    assert actual == {"新增学位": ("取牵头单位值", 738), "大班额比例": ("取牵头单位值", 3.3),
                      "学校新增学位": ("求和", 210), "课后服务覆盖率": ("平均", 95)}
    conflicts = [r for r in rows(summary, "问题清单") if r[3] and "各单位填报不一致" in r[3]]
    assert [r[3] for r in conflicts] == ["指标「新增学位」各单位填报不一致：基教科 738、计财科 649；"
                                         "按牵头单位基教科填报的 738 计，未求和也未平均"]
    report = CliRunner().invoke(cli, ["report", str(master), "-o", str(tmp_path / "总结.docx")])
    assert report.exit_code == 0, report.output
    text = "\n".join(p.text for p in Document(str(tmp_path / "总结.docx")).paragraphs)
    assert "实际738个" in text and "按牵头单位基教科填报的 738 计，未求和也未平均" in text
    assert "1387" not in text and "693.5" not in text

    # the 台账's 汇总方式 is the user's to change: 求和 adds the offices' figures up, as asked
    from openpyxl import load_workbook as load

    workbook = load(master)
    sheet = workbook["指标跟踪"]
    head = {c.value: c.column for c in next(r for r in sheet.iter_rows() if r[0].value == "序号")}
    for r in range(1, sheet.max_row + 1):
        if sheet.cell(r, head["指标"]).value == "新增学位不少于700个":
            sheet.cell(r, head["汇总方式"]).value = "求和"
    workbook.save(master)
    assert read_master_workbook(master).indicators().__next__().aggregate == "sum"
    again = CliRunner().invoke(cli, ["collect", str(master), str(returns)])
    assert again.exit_code == 0, again.output
    header, rows_ = table(summary, "指标汇总", "指标")
    assert {r[0]: r[header.index("汇总值")] for r in rows_}["新增学位"] == 1387


def test_implausible_values_are_taken_as_typed_and_named(forms, tmp_path: Path) -> None:
    master, returns, made = project(forms, tmp_path)
    tasks = {"T001": {"完成状态": "已完成"}, "T002": {"完成状态": "推进中"}, "T003": {"完成状态": "推进中"}}
    fill(made["1001"], returns / "1001.xlsx", tasks=tasks, indicators={"I001": "１２", "I002": "三百二十"})
    fill(made["1002"], returns / "1002.xlsx", tasks=tasks, indicators={"I001": 150, "I002": -5})
    fill(made["1003"], returns / "1003.xlsx", tasks=tasks, indicators={"I001": "九十五", "I002": 12.5})
    result = collect(master, returns)
    assert result.exit_code == 3, result.output
    assert "已报 3 个，部分填报 0 个" in result.stdout  # accepted as typed
    checks = {(r[0], r[2], r[3]) for r in rows(master.parent / "汇总.xlsx", "问题清单") if r[3] and r[3].startswith("请核实")}
    assert checks == {
        ("1001.xlsx", "指标填报!G5", "请核实：填报值 12 不到目标值 95% 的五分之一，数量级可能不对（已按填写的 12 计入）"),
        ("1002.xlsx", "指标填报!G5", "请核实：填报值 150 是百分比，应在 0–100 之间（已按填写的 150 计入）"),
        ("1002.xlsx", "指标填报!G6", "请核实：填报值 -5 是负数，而单位是「人」（已按填写的 -5 计入）"),
        ("1003.xlsx", "指标填报!G6", "请核实：填报值 12.5 不是整数，而单位是「人」（已按填写的 12.5 计入）")}
    con = sqlite3.connect(master.with_suffix(".db"))
    values = dict(((u, i), v) for u, i, v in con.execute(
        "SELECT unit_code, item_id, value FROM \"values\" WHERE field = 'value'"))
    con.close()
    assert values == {("1001", "I001"): "12", ("1001", "I002"): "320", ("1002", "I001"): "150",
                      ("1002", "I002"): "-5", ("1003", "I001"): "95", ("1003", "I002"): "12.5"}


def test_rounds_are_kept_apart_and_the_report_says_which_it_uses(forms, tmp_path: Path) -> None:
    master, _returns, _made = project(forms, tmp_path)
    plan = read_master_workbook(master)
    folders = {}
    for round_, status in (("2025-06", "推进中"), ("2025-年度", "已完成")):
        made = make_forms(plan, tmp_path / f"表 {round_}", round=round_)
        folder = folders[round_] = tmp_path / f"回表 {round_}"
        folder.mkdir()
        for code in ("1001", "1002"):
            fill(made[code], folder / f"{code}.xlsx", tasks={t: {"完成状态": status} for t in ("T001", "T002", "T003")},
                 indicators={"I001": 96, "I002": 150 if round_ == "2025-06" else 320})
    year_end = collect(master, folders["2025-年度"])
    assert year_end.exit_code == 0, year_end.output
    assert year_end.stdout.endswith(f"已写入汇总表：{master.parent / '汇总_2025-年度.xlsx'}\n")
    before = (master.parent / "汇总_2025-年度.xlsx").read_bytes()
    mid = collect(master, folders["2025-06"], "--round", "2025-06")
    assert mid.exit_code == 0, mid.output
    assert mid.stdout.endswith(f"已写入汇总表：{master.parent / '汇总_2025-06.xlsx'}\n")
    assert (master.parent / "汇总_2025-年度.xlsx").read_bytes() == before  # the year-end file is untouched
    assert not (master.parent / "汇总.xlsx").exists()
    # the year-end report uses the year-end round although 2025-06 was collected last, and says so
    report = CliRunner().invoke(cli, ["report", str(master), "-o", str(tmp_path / "总结.docx")])
    assert report.exit_code == 0, report.output
    assert "工作总结依据批次「2025-年度」的回表（应报 4 个单位，已报 2 个，" in report.stdout
    text = "\n".join(p.text for p in Document(str(tmp_path / "总结.docx")).paragraphs)
    assert "（2025-年度批次）" in text and "实际640人" in text
    named = CliRunner().invoke(cli, ["report", str(master), "--round", "2025-06", "-o", str(tmp_path / "年中.docx")])
    assert "工作总结依据批次「2025-06」的回表" in named.stdout
    notices = CliRunner().invoke(cli, ["notices", str(master), "-o", str(tmp_path / "督办"), "--as-of", "2025-12-31"])
    assert notices.exit_code == 0 and "督办单和通报依据批次「2025-06」的回表" in notices.stdout  # the latest


def test_the_report_refuses_when_it_cannot_tell_the_year_end_round(forms, tmp_path: Path) -> None:
    master, _returns, _made = project(forms, tmp_path)
    plan = read_master_workbook(master)
    for round_ in ("第一批", "第二批"):
        made = make_forms(plan, tmp_path / f"表 {round_}", round=round_)
        folder = tmp_path / f"回表 {round_}"
        folder.mkdir()
        fill(made["1001"], folder / "1001.xlsx")
        assert collect(master, folder).exit_code == 0
    assert {p.name for p in master.parent.glob("汇总*.xlsx")} == {"汇总_第一批.xlsx", "汇总_第二批.xlsx"}
    report = CliRunner().invoke(cli, ["report", str(master)])
    assert report.exit_code == 2
    assert report.stderr == ("错误：台账数据库中有 2 个批次（「第一批」、「第二批」），无法确定年度工作总结用哪一个：请用 --round 指定，"
                             "如 --round 第二批。\n")
