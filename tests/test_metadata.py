"""metadata.py: title, issuer, 文号, date of issue and where the plan's content starts and ends."""

from __future__ import annotations

import pytest

from workplan_xl.plan_document.cleaning import normalise_line
from workplan_xl.plan_document.metadata import (
    content_range,
    find_doc_number,
    is_plan_title,
    iso_date,
    read_metadata,
    year_of,
)


@pytest.mark.parametrize(("text", "iso"), [
    ("2025年5月8日", "2025-05-08"), ("2025-03-22", "2025-03-22"), ("成文日期: 2025-2-6", "2025-02-06"),
    ("二〇二五年五月十二日", "2025-05-12"), ("2025年13月1日", ""), ("无日期", ""),
])
def test_iso_date(text: str, iso: str) -> None:
    assert iso_date(text) == iso


@pytest.mark.parametrize(("title", "year"), [
    ("东湖区2025年教育督导工作要点", 2025), ("2024 年工作总结", 2024),
    ("红星中学2024—2025学年第二学期工作计划", 2025), ("红星中学2024-2025学年第一学期工作计划", 2024),
    ("工作要点", None),
])
def test_year_of(title: str, year: int | None) -> None:
    assert year_of(title) == year


@pytest.mark.parametrize(("line", "number"), [
    ("东教督会字〔2025〕3号", "东教督会字〔2025〕3号"),
    ("东中教督办[2025]12号", "东中教督办[2025]12号"),
    ("发文字号:东教办〔2025〕1号", "东教办〔2025〕1号"),
    ("文号东教督发〔2025〕4号 发布日期2025-03-22", "东教督发〔2025〕4号"),
    ("东教发 〔 2025 〕 7 号", "东教发〔2025〕7号"),
    ("没有文号", ""),
])
def test_doc_number(line: str, number: str) -> None:
    assert find_doc_number([line]) == number


@pytest.mark.parametrize(("line", "title"), [
    ("东湖区2025年教育督导工作要点", True), ("2025年工作总结", True), ("小太阳幼儿园2025年春季学期工作计划", True),
    ("关于印发2025年工作要点的通知", False), ("一、2025年工作计划", False), ("附件：2025年重点工作安排", False),
    ("2025年，全区教育工作总的要求是：稳中求进。", False), ("东湖区教育局文件", False),
])
def test_is_plan_title(line: str, title: bool) -> None:
    assert is_plan_title(line) is title


RED_HEADER = """东湖区教育学会文件
东教学会字〔2025〕2号
东湖区教育学会 关于印发2025年工作计划要点的通知
各理事单位，各会员：
现将《东湖区教育学会2025年工作计划要点》印发给你们，请认真抓好落实。
东湖区教育学会
2025年4月8日
东湖区教育学会 2025 年工作计划要点
2025 年，学会坚持服务会员、服务决策。
一、加强自身建设
完善各项制度，保障学会运转。
抄报：区教育局
东湖区教育学会秘书处
2025年4月8日印发"""

WEB_PAGE = """您当前浏览位置:首页>政务公开>部门文件
关于印发《西岭县2025年教育督导工作要点》的通知
文 号 西教督发〔2025〕4号 发布日期 2025-03-25 公开时限 长期公开
发布机构 西岭县教育体育局 所属分类 部门文件
成文日期: 2025-03-20
各中小学、幼儿园:
现将《西岭县2025年教育督导工作要点》印发给你们,请遵照执行。
西岭县人民政府教育督导室
2025年3月20日
(此件公开发布)
西岭县2025年教育督导工作要点
一、总体思路
坚持问题导向。
二、重点任务
1.开展专项督导。
按照学校在平台上填报的数据组织核查（西教发〔2024〕9号）。
扫一扫在手机打开当前页"""

PLAIN_END = """东湖区教育督导委员会办公室文件
东教督办〔2025〕1号
东湖区教育督导委员会办公室2025年工作要点
一、强化督导评估
（一）开展综合督导。覆盖全部学校。
东湖区教育督导委员会办公室
2025年2月10日"""

TWO_LINE_TITLE = """东湖区教育局
2025年工作要点
一、加强党建
（一）落实主体责任。"""


def _lines(text: str) -> list[str]:
    return [normalise_line(line) for line in text.splitlines()]


def test_red_header_notice() -> None:
    lines = _lines(RED_HEADER)
    meta = read_metadata(lines)
    assert meta.title == "东湖区教育学会2025年工作计划要点"
    assert meta.issuer == "东湖区教育学会"
    assert meta.doc_number == "东教学会字〔2025〕2号"
    assert meta.issued == "2025-04-08"
    assert meta.notice_name == "东湖区教育学会2025年工作计划要点"
    start, end = content_range(lines)
    assert lines[start] == meta.title
    assert lines[end - 1] == "2025年4月8日印发"  # chrome is removed before content_range in the parser


def test_web_page_metadata_wins_over_signature() -> None:
    lines = _lines(WEB_PAGE)
    meta = read_metadata(lines)
    assert meta.issuer == "西岭县教育体育局"
    assert meta.doc_number == "西教督发〔2025〕4号"  # not the one quoted in the body
    assert meta.issued == "2025-03-20"  # 成文日期 before 发布日期
    assert meta.title == "西岭县2025年教育督导工作要点"


def test_closing_signature_and_date() -> None:
    lines = _lines(PLAIN_END)
    meta = read_metadata(lines)
    assert meta.issuer == "东湖区教育督导委员会办公室"
    assert meta.issued == "2025-02-10"
    start, end = content_range(lines)
    assert lines[start] == "东湖区教育督导委员会办公室2025年工作要点"
    assert lines[end - 1] == "（一）开展综合督导。覆盖全部学校。"


def test_title_on_two_lines() -> None:
    meta = read_metadata(_lines(TWO_LINE_TITLE))
    assert meta.title == "东湖区教育局2025年工作要点"


def test_no_title_skips_the_letter() -> None:
    lines = _lines("""各学校：
现将有关工作安排如下，请认真贯彻执行。
东湖区教育局
2025年1月5日
一、加强安全管理
（一）开展隐患排查。""")
    start, _ = content_range(lines)
    assert lines[start] == "一、加强安全管理"
    assert read_metadata(lines).issuer == "东湖区教育局"


def test_dates_with_full_width_digits() -> None:
    assert iso_date("２０２６年２月１８日") == "2026-02-18"


def test_web_page_issuer_when_a_pdf_lost_the_spaces_between_cells() -> None:
    meta = read_metadata(["发布机构 松川县教育体育局所属分类部门文件效力状", "松川县2026年教育督导工作要点", "一、总体要求"])
    assert meta.issuer == "松川县教育体育局"


def test_school_signature_is_an_issuer() -> None:
    meta = read_metadata(["青禾路小学2025年工作计划", "一、加强德育", "青禾路小学", "2025年8月28日"])
    assert (meta.issuer, meta.issued) == ("青禾路小学", "2025-08-28")
