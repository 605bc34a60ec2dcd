"""Plans of other offices' shapes: 一是… paragraphs, plain heads over 一是 runs, Word heading styles and bold
黑体/楷体 lines, 第一章, month headings, numbering past 99; owners per task; the wider indicator
vocabulary; the coverage lines of `wpx parse`."""

from __future__ import annotations

from pathlib import Path

import fixtures_plans as fx
import pytest
from click.testing import CliRunner

from workplan_xl.cli import cli
from workplan_xl.plan import Plan
from workplan_xl.plan_document import read_plan


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder = tmp_path / "各地 计划"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


def _tasks(plan: Plan) -> list:
    return [t for p in plan.parts for s in p.sections for t in s.tasks]


def test_shi_paragraphs_each_a_task(tmp_path: Path) -> None:
    plan = read_plan(_write(tmp_path, "镇要点.txt", fx.SHI_PLAN))
    tasks = _tasks(plan)
    assert [t.number for t in tasks] == ["一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是",
                                         "十一是"]
    assert tasks[0].title == "强化党建引领" and tasks[-1].title == "完成上级交办的其他任务"
    assert (tasks[0].owners, tasks[0].partners) == (["党建办"], [])
    assert (tasks[2].owners, tasks[2].partners) == (["人事股"], ["教研室", "各完小"])
    assert (tasks[3].owners, tasks[3].partners) == (["后勤办"], ["财务室"])
    assert [(i.value, i.unit) for i in tasks[3].indicators] == [(1, "个"), (5000, "平方米"), (180, "万元")]


def test_plain_heads_over_shi_runs(tmp_path: Path) -> None:
    plan = read_plan(_write(tmp_path, "督导要点.txt", fx.RUNS_PLAN))
    assert [(s.title, [t.title for t in s.tasks]) for s in plan.parts[0].sections] == [
        ("强化督导问责", ["落实督学责任区制度，每名督学每月到校不少于2次", "开展专项督导3次，形成督导报告"]),
        ("提升评估质量", ["完成15所学校的办学水平评估", "建设督导信息平台1个", "组织督学培训2期，培训120人次"])]


def test_chapters_and_numbering_past_99(tmp_path: Path) -> None:
    plan = read_plan(_write(tmp_path, "规划.txt", fx.CHAPTER_PLAN))
    assert plan.title == "明德中学2026年学校发展规划"
    assert [(s.numeral, s.title, s.context) for s in plan.parts[0].sections] == [
        ("第一章", "发展目标", True), ("第二章", "主要任务", False), ("第三章", "保障措施", False)]
    assert [t.title for t in _tasks(plan)] == ["加强课程建设", "加强队伍建设", "完善制度", "加大投入"]
    long = read_plan(_write(tmp_path, "清单.txt", fx.long_numbered_text(200)))
    assert [t.number for t in _tasks(long)] == [str(i) for i in range(1, 201)]
    assert _tasks(long)[149].title == "推进第150项重点工作，年底前完成"


def test_month_headings(tmp_path: Path) -> None:
    plan = read_plan(_write(tmp_path, "春季安排.txt", fx.MONTH_PLAN))
    assert plan.title == "向阳小学2026年春季学期工作安排"
    assert [(t.months, t.title) for t in _tasks(plan)][:3] == [
        ([2], "召开开学工作会议，部署学期工作"), ([2], "开展开学安全大检查"), ([3], "组织学雷锋志愿服务活动")]
    assert [e.month for e in plan.schedule] == [2, 2, 3, 3, 4, 5, 6]


def test_word_heading_styles_and_bold_lines(tmp_path: Path) -> None:
    plan = read_plan(fx.styled_docx(tmp_path / "要点.docx"))
    assert plan.title == "临川县教育局2026年工作要点"
    assert [(s.title, [t.title for t in s.tasks]) for s in plan.parts[0].sections] == [
        ("落实立德树人", ["加强思政课建设", "深化体教融合"]), ("办好人民满意教育", ["扩大优质资源", "强化教育保障"])]
    resources = _tasks(plan)[2]
    assert [(i.value, i.unit) for i in resources.indicators] == [(1, "所"), (3, "所"), (540, "个")]


def test_owners_per_task(tmp_path: Path) -> None:
    tasks = _tasks(read_plan(_write(tmp_path, "区要点.txt", fx.OWNERS_PLAN)))
    assert [(t.title, t.owners, t.partners) for t in tasks[:3]] == [
        ("推进学前教育普惠", ["学前科"], ["财务科", "基建办"]),
        ("深化课程改革", ["基教科"], ["教研室", "电教馆"]),
        ("加强学籍管理", ["基教科"], ["各中小学"])]


def test_indicator_vocabulary(tmp_path: Path) -> None:
    tasks = _tasks(read_plan(_write(tmp_path, "区要点.txt", fx.OWNERS_PLAN)))
    figures = [(i.text, i.comparator, i.value, i.unit, i.kind, i.growth) for i in tasks[3].indicators + tasks[4].indicators]
    assert figures == [
        ("新建校舍1.2万平方米", ">=", 12000, "平方米", "target", False),
        ("改造运动场3-5所", ">=", 3, "所", "target", False),
        ("购置教学设备200台套", ">=", 200, "台套", "target", False),
        ("修建校园道路2.5公里", ">=", 2.5, "公里", "target", False),
        ("交流教师1至2批", ">=", 1, "批", "target", False),
        ("经费比上年增长12.4%", ">=", 12.4, "%", "target", True),
        ("骨干教师占比提高2.1个百分点", ">=", 2.1, "个百分点", "target", True),
        ("师生比达到1:13", "~", 13, "1:", "target", False),
        ("投入2000余万元", ">", 2000, "万元", "target", False),
        ("实现翻一番", ">=", 100, "%", "target", True)]


def test_achieved_figures_in_the_summary_part(tmp_path: Path) -> None:
    plan = read_plan(_write(tmp_path, "总结和要点.txt", fx.SUMMARY_THEN_PLAN))
    assert [p.kind for p in plan.parts] == ["summary", "plan"]
    summary = plan.parts[0].sections[0].tasks[0]
    assert [(i.text, i.value, i.unit, i.kind) for i in summary.indicators] == [
        ("小学入学率达100%", 100, "%", "achieved"), ("投入资金980万元", 980, "万元", "achieved"),
        ("建成56所标准化学校", 56, "所", "achieved"), ("完成校舍维修3.6万平方米", 36000, "平方米", "achieved")]


@pytest.mark.parametrize("text", ["2025-2026学年开展督导", "〔2026〕3号文件要求", "第3-5名学生", "7-8月完成", "用3个月时间完成"])
def test_years_dates_ordinals_numbers_durations_never_count(text: str) -> None:
    from workplan_xl.plan_document.indicators import find_indicators

    assert find_indicators(text) == []


def test_parse_shows_coverage_and_unplaced(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["parse", str(_write(tmp_path, "镇要点.txt", fx.SHI_PLAN))])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index("正文 91% 已归入任务；未归入任务的段落 1 段：")
    assert lines[at + 1] == "  · 2026年，全镇教育工作以提高质量为中心，重点抓好以下工作："
    assert lines[at + 2].startswith("合计：1 个部分，11 个板块，11 项任务")
    full = CliRunner().invoke(cli, ["parse", str(_write(tmp_path, "督导要点.txt", fx.RUNS_PLAN))])
    assert "正文 100% 已归入任务\n合计：" in full.output


@pytest.mark.parametrize("name,text", [("镇要点", fx.SHI_PLAN), ("督导要点", fx.RUNS_PLAN), ("区要点", fx.OWNERS_PLAN)])
def test_the_same_plans_as_libreoffice_pdfs(tmp_path: Path, lo_convert, name: str, text: str) -> None:
    source = _write(tmp_path, f"{name}.txt", text)
    expected = [(t.title, t.owners, t.partners) for t in _tasks(read_plan(source))]
    pdf = read_plan(lo_convert(source, "pdf", tmp_path / "pdf"))
    assert [(t.title, t.owners, t.partners) for t in _tasks(pdf)] == expected
