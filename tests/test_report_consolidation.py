"""The 工作总结 consolidates what schools wrote: forms filled the way schools write (varied prose with
figures, problems and next steps, from the generator below), collected and reported through the CLI.
All wording here is our own."""

from __future__ import annotations

import random
import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from workplan_xl import gongwen
from workplan_xl.cli import cli
from workplan_xl.form_layout import HEADER_ROW, SHEET_TASKS, TASK_ID_HEADER
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook
from workplan_xl.plan import Part, Plan, Section, Task, Unit
from workplan_xl.unit_forms import write_unit_forms
from workplan_xl.word_report import NEXT_STEPS
from workplan_xl.word_report.compose import summary_heading

# A counted thing and the ways schools write it; the report's wording is the first key.
CONCEPTS = {
    ("开展专题培训", "场"): ["开展专题培训{n}场", "全年累计开展{n}场专题培训", "本学期共开展专题培训{n}场",
                         "组织开展专题培训{n}场", "我校开展了专题培训{n}场"],
    ("覆盖教职工", "人次"): ["覆盖教职工{n}人次", "培训覆盖教职工达{n}人次", "覆盖教职工共{n}人次"],
    ("投入资金", "万元"): ["投入资金{n}万元", "累计投入资金{n}万元", "学校投入资金约{n}万元"],
    ("举办家长会", "次"): ["举办家长会{n}次", "先后举办{n}次家长会"],
    ("排查安全隐患", "处"): ["排查安全隐患{n}处", "全年排查安全隐患{n}处"],
}
QUALITATIVE = ["建立了周例会制度，每周研究推进", "形成了校本课程资源包", "与社区共建实践基地", "获评县级示范校",
               "家长满意度明显提升", "工作经验在全县交流"]
# Problems and plans: themes, each written in several ways that share its core words.
PROBLEMS = {"专业教师": ["专业教师数量不足，部分课程难以开齐", "专业教师不足，部分课程难以开齐开足", "专业教师缺乏"],
            "经费": ["经费保障不足，设备更新缓慢", "办学经费紧张，部分设备老化", "经费不足"],
            "家长": ["部分家长配合度不高", "个别家长参与积极性不高，家校配合不够"],
            "场地": ["活动场地紧张，难以满足需要", "场地不足，大型活动难以开展"]}
PLANS = {"培训": ["加强教师培训，提升专业能力", "继续加强教师专业培训"],
         "经费": ["积极争取上级经费支持", "多渠道争取经费支持，改善设备条件"],
         "家校": ["完善家校共育机制，定期开放校园", "健全家校共育机制"],
         "月调度": ["建立月调度制度，确保按期完成", "实行月调度，确保年底前完成"]}


def make_year() -> Plan:
    titles = [["加强教师队伍建设", "推进家校协同育人"],
              ["开展校园安全隐患排查", "改善学校办学条件", "推进课后服务提质", "深化课程教学改革", "加强体育美育工作"],
              ["推进教育信息化应用"]]
    sections, k = [], 0
    for s, names in enumerate(titles):
        tasks = []
        for t, name in enumerate(names):
            k += 1
            tasks.append(Task(f"T{k:03d}", f"{t + 1}.", name, f"{name}。按年度计划逐项落实。", reporters=["全部"]))
        sections.append(Section(f"S{s + 1}", gongwen.cn_number(s + 1), ["强化队伍保障", "办好每一所学校", "数字赋能"][s],
                                tasks=tasks))
    units = [Unit(f"{3001 + i}", f"清河县第{gongwen.cn_number(i + 1)}小学", "学校") for i in range(12)]
    return Plan(title="清河县教育局2024年工作要点", year=2024, issuer="清河县教育局",
                parts=[Part("plan", "清河县教育局2024年工作要点", 2024, sections)], units=units)


def school_texts(rng: random.Random, truth: dict, task: str, unit: str) -> dict[str, str]:
    """One row as a school writes it; ``truth`` gathers the true totals and what was reported."""
    concepts = rng.sample(sorted(CONCEPTS), rng.randint(1, 3))
    clauses = []
    for concept in concepts:
        n = rng.randint(1, 40)
        truth["figures"].setdefault((task, concept), {})[unit] = n
        clauses.append(rng.choice(CONCEPTS[concept]).format(n=n))
    result = "，".join(clauses) + "。" + (rng.choice(QUALITATIVE) + "。" if rng.random() < 0.5 else "")
    texts = {"完成状态": rng.choice(["已完成", "推进中", "推进中"])}
    if rng.random() < 0.5:  # some schools put their figures in 进展情况 instead, or in both
        texts["进展情况"] = result
        if rng.random() < 0.5:
            texts["主要成效"] = result
    else:
        texts["进展情况"] = rng.choice(["按计划推进。", "已完成阶段性任务，资料归档。", "正在推进中。"])
        texts["主要成效"] = result
    for name, pool, key in (("存在问题", PROBLEMS, "problems"), ("下一步打算", PLANS, "plans")):
        if rng.random() < 0.3:
            theme = rng.choice(sorted(pool))
            texts[name] = rng.choice(pool[theme]) + rng.choice(["。", "", "；"])
            truth[key].add(theme)
    return texts


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> tuple[Path, dict, Plan]:
    folder = tmp_path_factory.mktemp("consolidation") / "清河 县 总结"
    folder.mkdir()
    master = write_master_workbook(make_year(), folder / "台账.xlsx")
    plan = read_master_workbook(master)
    returns = folder / "回表 收到的"
    returns.mkdir()
    rng = random.Random(7)
    truth: dict = {"figures": {}, "problems": set(), "plans": set()}
    for form in write_unit_forms(plan, folder / "填报表"):
        workbook = load_workbook(form)
        sheet = workbook[SHEET_TASKS]
        cols = {c.value: c.column for c in sheet[HEADER_ROW + 1]}
        unit = form.name.split("_", 1)[0]
        for r in range(HEADER_ROW + 2, sheet.max_row + 1):
            task = sheet.cell(r, cols[TASK_ID_HEADER]).value
            if not task:
                continue
            for header, value in school_texts(rng, truth, task, unit).items():
                sheet.cell(r, cols[header]).value = value
        workbook.save(returns / f"{unit}回表.xlsx")
    runner = CliRunner()
    collected = runner.invoke(cli, ["collect", str(master), str(returns)])
    assert collected.exit_code == 0, collected.output
    out = folder / "2024年 工作总结.docx"
    reported = runner.invoke(cli, ["report", str(master), "-o", str(out)])
    assert reported.exit_code == 0, reported.output
    return out, truth, plan


def _texts(path: Path) -> list[str]:
    return [t for t in gongwen.texts(docx.Document(str(path))) if t]


def _task_paragraph(texts: list[str], title: str) -> str:
    """The report's text about one task: its own paragraph, or its 一是/二是 run within one."""
    heading = summary_heading(title)
    for text in texts:
        if text.startswith(f"围绕{title}，") or re.match(rf"^（.）{re.escape(heading)}。", text):
            return text
        marker = re.search(rf"[一二三四五六七八九十]+是{re.escape(title)}。", text)
        if marker:
            rest = text[marker.end():]
            following = re.search(r"[一二三四五六七八九十]+是[^。；，]{2,20}。", rest)
            return rest[:following.start()] if following else rest
    raise AssertionError(title)


def test_figures_are_summed_across_units(year) -> None:
    out, truth, plan = year
    texts = _texts(out)
    summed = 0
    for task in plan.tasks():
        paragraph = _task_paragraph(texts, task.title)
        for (task_id, (wording, measure)), parts in truth["figures"].items():
            if task_id != task.id or len(parts) < 2:
                continue
            total = sum(parts.values())
            if f"{wording}{total}{measure}" in paragraph and (f"{len(parts)}个单位共" in paragraph or "共" in paragraph):
                summed += 1
                break
    assert summed >= 0.8 * len(list(plan.tasks())), summed


def test_every_stated_total_is_right(year) -> None:
    """No total in the report differs from the truth: each 共<wording><n><measure> is a true sum."""
    out, truth, plan = year
    texts = _texts(out)
    checked = 0
    for task in plan.tasks():
        paragraph = _task_paragraph(texts, task.title)
        for wording, measure in CONCEPTS:
            for found in re.findall(rf"{wording}(\d+){measure}", paragraph):
                parts = truth["figures"].get((task.id, (wording, measure)), {})
                assert int(found) == sum(parts.values()) or int(found) in parts.values(), (task.title, wording)
                checked += 1
    assert checked >= len(list(plan.tasks()))


def test_no_sentence_repeats_and_no_placeholder(year) -> None:
    out, _, _ = year
    texts = _texts(out)
    body = texts[1:texts.index(next(t for t in texts if t.startswith("附表：")))]
    said = [s for t in body for s in re.split(r"[。；]", re.sub(r"^（.）", "", t)) if len(s) > 6]
    assert len(said) == len(set(said)), [s for s in said if said.count(s) > 1]
    assert NEXT_STEPS not in texts and not any("【" in t for t in texts)


def test_every_problem_and_next_step_is_represented(year) -> None:
    out, truth, _ = year
    texts = _texts(out)
    problems = "".join(texts[texts.index("四、存在的问题"):texts.index("五、下一步工作打算")])
    steps = "".join(texts[texts.index("五、下一步工作打算"):])
    assert truth["problems"] and truth["plans"]
    for theme in truth["problems"]:
        assert theme in problems, theme
    for theme in truth["plans"]:
        assert theme in steps, theme
    # each is attributed: a unit name or a count of units in brackets
    assert re.search(r"（清河县第.小学(?:等\d+个单位)?[）、]", problems)


def test_the_same_ledger_gives_the_same_text(year, tmp_path: Path) -> None:
    out, _, _ = year
    master = out.parent / "台账.xlsx"
    again = tmp_path / "again.docx"
    result = CliRunner().invoke(cli, ["report", str(master), "-o", str(again)])
    assert result.exit_code == 0
    assert _texts(again)[:-4] == _texts(out)[:-4]  # the 落款 date may differ only if the day turned
