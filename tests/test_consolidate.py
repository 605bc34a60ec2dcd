"""word_report/consolidate.py: figures found in school prose, summed by wording; sentences merged."""

from __future__ import annotations

import pytest

from workplan_xl.word_report.consolidate import (
    chosen_figures,
    consolidate_figures,
    figure_sentence,
    figures_in,
    merge_sentences,
    sentences,
)


@pytest.mark.parametrize(("text", "found"), [
    ("本学期开展专题培训12场，覆盖教职工360人次。", [("开展专题培训", "场", 12), ("覆盖教职工", "人次", 360)]),
    ("全年累计开展12场专题培训", [("开展专题培训", "场", 12)]),
    ("我校开展了专题培训８场", [("开展专题培训", "场", 8)]),  # full-width digit, 我校, 了
    ("组织开展专题培训 5 场", [("开展专题培训", "场", 5)]),  # spaces typed around the number
    ("受益学生达1,200余人", [("受益学生", "人", 1200)]),
    ("投入资金45.5万元，新增学位270个", [("投入资金", "万元", 45.5), ("新增学位", "个", 270)]),
    ("组织教研活动16场和读书分享会3次", [("组织教研活动", "场", 16), ("读书分享会", "次", 3)]),
    ("覆盖率达到98%", []),  # a rate is not added up
    ("责任区督学每月到校2次", []),  # nor a frequency
    ("排查隐患23处，其余2处列入维修计划", [("排查隐患", "处", 23)]),  # 其余 is a part of the 23
    ("3月20日完成调整，2024年启动", []),  # dates
])
def test_figures_in_school_prose(text: str, found: list[tuple[str, str, float]]) -> None:
    assert [(w, m, v) for w, m, v, *_ in figures_in(text)] == found


def test_same_wording_summed_once_per_unit() -> None:
    texts = [("一中", "开展专题培训12场，覆盖教职工360人次。"), ("一中", "开展专题培训12场。"),  # 进展情况 and 主要成效
             ("二中", "全年累计开展8场专题培训，培训覆盖教职工达200人次"), ("三小", "投入资金10万元")]
    figures = chosen_figures(consolidate_figures(texts))
    assert [(f.wording, f.measure, f.total, f.units) for f in figures] == [
        ("开展专题培训", "场", 20.0, ["一中", "二中"]), ("覆盖教职工", "人次", 560.0, ["一中", "二中"]),
        ("投入资金", "万元", 10.0, ["三小"])]
    assert figure_sentence(figures) == "一中、二中共开展专题培训20场、覆盖教职工560人次，三小投入资金10万元"
    many = [(f"第{i}校", f"开展专题培训{i}场") for i in range(1, 6)]
    assert figure_sentence(chosen_figures(consolidate_figures(many))) == "5个单位共开展专题培训15场"


def test_sentences_and_merging() -> None:
    assert sentences("1.开展培训１２场，效果好。\n2、我校组织活动。一是做了这个；二是做了那个") == (
        "开展培训12场，效果好", "组织活动", "做了这个", "做了那个")
    merged = merge_sentences([("甲", "建立课后服务评价机制"), ("乙", "建立了课后服务评价机制"), ("丙", "3月20日完成调整"),
                              ("丁", "3月完成调整"), ("戊", "完善家校沟通渠道，每月召开家长会"), ("己", "无")])
    assert merged == [("建立了课后服务评价机制", ["甲", "乙"]), ("3月20日完成调整", ["丙", "丁"]),
                      ("完善家校沟通渠道，每月召开家长会", ["戊"])]


def test_what_schools_type_that_says_nothing_or_too_much() -> None:
    assert [sentences(t) for t in ("暂无问题", "无", "没有", "/", "——")] == [()] * 5
    assert sentences("暂无专项经费") == ("暂无专项经费",)  # a real problem that starts like "nothing"
    assert sentences("Completed 3 trainings 开展 培训 3 场") == ("Completed 3 trainings开展培训3场",)
    essay = sentences("很长的句子，" * 30)[0]
    assert len(essay) <= 100 and essay.endswith("很长的句子")  # cut at a comma
    assert [(w, v) for w, _, v, *_ in figures_in("1、开展培训3场\n2、覆盖教师120人次")] == [("开展培训", 3), ("覆盖教师", 120)]
