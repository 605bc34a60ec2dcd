"""Months, deadlines, owners and 一是…二是… measures: every phrase form, then the seed documents."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from workplan_xl.plan_document.facts import (
    deadline_date,
    find_deadline,
    find_months,
    find_owners,
    split_measures,
    tasks_from_table,
)


# -- months ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("5月份召开年会", [5]),
        ("10月底前完成验收", [10]),
        ("12月31日前报送", [12]),
        ("3月22日召开推进会", [3]),
        ("4月至6月集中开展", [4, 5, 6]),
        ("4-6月集中开展", [4, 5, 6]),
        ("4月—6月集中开展", [4, 5, 6]),
        ("11月至次年1月", [1, 11, 12]),
        ("七、八月份组织研学", [7, 8]),
        ("九月份开学", [9]),
        ("十二月底前", [12]),
        ("上半年完成", [1, 2, 3, 4, 5, 6]),
        ("下半年举办", [7, 8, 9, 10, 11, 12]),
        ("一季度启动", [1, 2, 3]),
        ("第三季度督查", [7, 8, 9]),
        ("每月召开调度会", list(range(1, 13))),
        ("春季开学前后开展检查", [2, 3]),
        ("秋季开学时期摸排", [8, 9]),
        ("暑期开展家访", [7, 8]),
        ("寒假期间做好安全教育", [1, 2]),
        ("年底前全部完成", [12]),
        ("年内建成", [12]),
        ("做好教师节表彰", [9]),
        ("５月底前", [5]),  # full-width digit
        ("一月一次通报", []),  # a frequency, not January
        ("3个月内完成", []),
        ("利用3年左右时间", []),
        ("2024年工作要点", []),
    ],
)
def test_find_months(text: str, months: list[int]) -> None:
    assert find_months(text) == months


# -- deadlines ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("9月底前完成全部验收", "9月底前"),
        ("于6月30日前报送材料", "6月30日前"),
        ("确保年底前全部建成", "年底前"),
        ("力争 2026 年全面达标", "2026年"),
        ("到2025年底前基本建成", "2025年底前"),
        ("上半年完成评估", "上半年"),
        ("3月启动，9月底之前完成，年底前验收", "年底前"),  # the latest of several
        ("4月份召开年会，下半年举办培训班", "下半年"),
        ("10月份组织督学入校", "10月"),
        ("表扬2023年度先进个人", ""),
        ("根据《关于做好2021年监测工作的通知》开展整改", ""),
        ("持续推进各项工作", ""),
        ("每月召开调度会", ""),
    ],
)
def test_find_deadline(text: str, deadline: str) -> None:
    assert find_deadline(text, 2024) == deadline


@pytest.mark.parametrize(
    ("phrase", "year", "day"),
    [
        ("9月底前", 2024, dt.date(2024, 9, 30)),
        ("6月30日前", 2024, dt.date(2024, 6, 30)),
        ("2月底", 2024, dt.date(2024, 2, 29)),
        ("上半年", 2024, dt.date(2024, 6, 30)),
        ("下半年", 2024, dt.date(2024, 12, 31)),
        ("年底前", 2023, dt.date(2023, 12, 31)),
        ("年内", 2023, dt.date(2023, 12, 31)),
        ("2025年", 2023, dt.date(2025, 12, 31)),
        ("2025年底前", None, dt.date(2025, 12, 31)),
        ("2024-09-30", None, dt.date(2024, 9, 30)),
        ("2024/9/30", None, dt.date(2024, 9, 30)),
        ("2024-09", None, dt.date(2024, 9, 30)),
        ("2024年9月", None, dt.date(2024, 9, 30)),
        ("9月", 2024, dt.date(2024, 9, 30)),
        ("九月份", 2024, dt.date(2024, 9, 30)),
        ("9月上旬", 2024, dt.date(2024, 9, 10)),
        ("9月中旬", 2024, dt.date(2024, 9, 20)),
        ("3-4月", 2024, dt.date(2024, 4, 30)),
        ("第三季度", 2024, dt.date(2024, 9, 30)),
        ("暑期", 2024, dt.date(2024, 8, 31)),
        ("次年3月", 2024, dt.date(2025, 3, 31)),
        ("9月底前", None, None),
        ("长期坚持", 2024, None),
        ("", 2024, None),
        ("2024-13-01", None, None),
    ],
)
def test_deadline_date(phrase: str, year: int | None, day: dt.date | None) -> None:
    assert deadline_date(phrase, year) == day


def test_found_deadlines_turn_into_dates() -> None:
    assert deadline_date(find_deadline("力争2026年通过国家认定", 2024), 2024) == dt.date(2026, 12, 31)
    assert deadline_date(find_deadline("11月底前完成复核", 2024), 2024) == dt.date(2024, 11, 30)


# -- owners ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "leads", "partners"),
    [
        ("由教研室牵头，各学校配合完成", ["教研室"], ["各学校"]),  # a collective partner right after 牵头
        ("此项工作由督导科牵头组织实施", ["督导科"], []),
        ("体卫科负责。", ["体卫科"], []),
        ("具体由安全办负责落实", ["安全办"], []),
        ("（责任单位：基教科、各学校）", ["基教科", "各学校"], []),
        ("（责任科室：人事科）", ["人事科"], []),
        ("（牵头单位：督导室；配合单位：基教科、计财科）", ["督导室"], ["基教科", "计财科"]),
        ("(牵头单位:督导室;配合单位:基教科、计财科)", ["督导室"], ["基教科", "计财科"]),
        ("（责任单位：督导室（牵头）、基教科等）", ["督导室"], ["基教科"]),
        ("（主要责任单位：教师发展中心；协同配合单位：人事科，教研室）", ["教师发展中心"], ["人事科", "教研室"]),
        ("督导室和基教科将跟踪整改情况", ["督导室", "基教科"], []),
        ("区教研中心要加强指导", ["区教研中心"], []),
        ("职成科牵头，教研室、电教馆配合", ["职成科"], ["教研室", "电教馆"]),
        ("督导室要牵头装备站、计财科等科室开展检查", ["督导室"], ["装备站", "计财科"]),
        ("市教育局会同市财政局制定办法", ["市教育局"], ["市财政局"]),
        # not owners: a generic subject, a system, a person's duty, an action
        ("学校要加强日常管理", [], []),
        ("各校要按照评估体系做好准备", [], []),
        ("健全党组织领导的校长负责制", [], []),
        ("坚持谁主管谁负责的原则", [], []),
        ("牵头组建区域产教联合体", [], []),
        ("督学、分管领导和科室负责人及各级各类学校配合完成", [], []),
        ("校园要安全整洁", [], []),
    ],
)
def test_find_owners(text: str, leads: list[str], partners: list[str]) -> None:
    assert find_owners(text) == (leads, partners)


# -- measures ----------------------------------------------------------------------------------------
def test_measures_run_on_in_one_paragraph() -> None:
    text = "围绕三方面开展工作：一是优化布局，新建两所学校。二是完善机制。三是加强队伍建设。"
    assert split_measures(text) == ["优化布局，新建两所学校。", "完善机制。", "加强队伍建设。"]


@pytest.mark.parametrize("gap", ["\n", " ", "\n\n", "\n \n"])
def test_measures_split_by_a_page_break(gap: str) -> None:
    text = f"重点做好：一是推进工作衔接，二{gap}是推进政策衔接，三是推进队伍衔接。"
    assert split_measures(text) == ["推进工作衔接", "推进政策衔接", "推进队伍衔接。"]


def test_measures_ignore_words_ending_in_shi() -> None:
    text = "一是统一是关键，总是要抓，这更是重点，还是要做；二是就是落实，这是根本。"
    assert split_measures(text) == ["统一是关键，总是要抓，这更是重点，还是要做", "就是落实，这是根本。"]


def test_measures_need_a_consecutive_run() -> None:
    assert split_measures("唯一是标准，一是甲。三是丙。") == []
    assert split_measures("没有分项的段落。") == []
    assert split_measures("一是甲；二是乙；四是丁。") == ["甲", "乙；四是丁。"]


def test_measures_two_runs_in_one_text() -> None:
    text = "上半年：一是甲，二是乙。下半年：一是丙，二是丁，三是戊。"
    assert split_measures(text) == ["甲", "乙。下半年：", "丙", "丁", "戊。"]


def test_measures_up_to_ten_and_beyond() -> None:
    numerals = "一二三四五六七八九十"
    text = "".join(f"{n}是第{k + 1}项；" for k, n in enumerate(numerals)) + "十一是第11项。"
    items = split_measures(text)
    assert len(items) == 11 and items[9] == "第10项" and items[10] == "第11项。"


def test_tasks_from_table_is_exported_here() -> None:
    from workplan_xl.plan_document import tables

    assert tasks_from_table is tables.tasks_from_table


# -- the seed documents ------------------------------------------------------------------------------
def _seeds(seeds_dir: Path) -> list[dict]:
    return json.loads((seeds_dir / "expected.json").read_text(encoding="utf-8"))["seeds"]


def _paragraph(text: str, snippet: str) -> str:
    """The seed line holding ``snippet`` (compared without spaces)."""
    key = re.sub(r"\s+", "", snippet)
    for line in text.splitlines():
        if key in re.sub(r"\s+", "", line):
            return line
    raise AssertionError(f"{snippet} not in the seed")


def test_seed_months_owners_deadlines(seeds_dir: Path) -> None:
    checked = 0
    for seed in _seeds(seeds_dir):
        text = (seeds_dir / seed["file"]).read_text(encoding="utf-8")
        for want in seed.get("months", []):
            para = _paragraph(text, want["text"])
            assert set(want["months_include"]) <= set(find_months(want["text"]))
            assert set(want["months_include"]) <= set(find_months(para))
            checked += 1
        for want in seed.get("owners", []):
            leads, _ = find_owners(_paragraph(text, want["text"]))
            assert set(want["owners_include"]) <= set(leads), (seed["file"], leads)
            checked += 1
        for want in seed.get("deadlines", []):
            para = _paragraph(text, want["text"])
            deadline = find_deadline(para, seed["year"])
            assert deadline == f"{want['year']}年"
            assert deadline_date(deadline, seed["year"]) == dt.date(want["year"], 12, 31)
            checked += 1
    assert checked == 5


def test_seed_measures(seeds_dir: Path) -> None:
    """Each section of the two-part seed: its 一是… count (the section body is the text after the
    heading line up to the next heading)."""
    seed = next(s for s in _seeds(seeds_dir) if any(p["kind"] == "summary" for p in s["parts"]))
    text = (seeds_dir / seed["file"]).read_text(encoding="utf-8")
    bodies: list[str] = []
    for line in text.splitlines():
        if re.match(r"^[一二三四五六七八九十]+、", line):
            bodies.append("")
        elif bodies and not re.fullmatch(r"\s*\d{4}\s*年\s*工作(要点|总结)\s*", line):
            bodies[-1] += line + "\n"
    counts = [len(split_measures(b)) for b in bodies]
    assert counts == [s["measures"] for p in seed["parts"] for s in p["sections"]]


def test_years_in_a_duration_are_not_the_year_end() -> None:
    assert find_months("为3年内新入职教师配备指导教师") == []
    assert find_deadline("为3年内新入职教师配备指导教师", 2026) == ""
    assert (find_months("年内创建示范校20所"), find_deadline("年内创建示范校20所", 2026)) == ([12], "年内")


@pytest.mark.parametrize(("text", "leads", "partners"), [
    ("深化家校协同育人，每学期召开家长会", [], []),  # 协同 as a manner, 家校 no unit
    ("由基础教育科牵头，各区县教育局配合。", ["基础教育科"], ["各区县教育局"]),
    ("由督导室牵头，教研室协同。", ["督导室"], ["教研室"]),  # 协同 ending the clause names a partner
])
def test_partner_words(text: str, leads: list[str], partners: list[str]) -> None:
    assert find_owners(text) == (leads, partners)
