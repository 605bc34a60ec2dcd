"""find_indicators: every phrase form, the negatives, and the indicators of the seed documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from workplan_xl.plan_document.indicators import find_indicators


def only(text: str, part_kind: str = "plan"):
    found = find_indicators(text, part_kind)
    assert len(found) == 1, [(i.text, i.value, i.unit) for i in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator", "kind"),
    [
        ("学前教育普惠率稳定在92%左右", 92, "%", "~", "target"),
        ("公办园在园幼儿占比达58%", 58, "%", ">=", "target"),
        ("优质园占比超过70%", 70, "%", ">", "target"),
        ("力争义务教育巩固率达到 99.5%以上", 99.5, "%", ">=", "target"),
        ("新增公办学位2万个", 20000, "个", ">=", "target"),
        ("新增公办学位2.5万个", 25000, "个", ">=", "target"),
        ("安排改薄资金1.36亿元", 1.36, "亿元", ">=", "target"),
        ("奖补经费 45.6 万元", 45.6, "万元", ">=", "target"),
        ("培训不少于300名班主任", 300, "名", ">=", "target"),
        ("建成智慧校园示范校12所", 12, "所", ">=", "target"),
        ("新建8所乡镇寄宿制学校", 8, "所", ">=", "target"),
        ("结对帮扶项目6个以上", 6, "个", ">=", "target"),
        ("至少举办3场专题讲座", 3, "场", ">=", "target"),
        ("大班额比例控制在3%以内", 3, "%", "<=", "target"),
        ("学生近视率不超过40%", 40, "%", "<=", "target"),
        ("辍学率低于0.5%", 0.5, "%", "<", "target"),
        ("约800人参加", 800, "人", "~", "target"),
        ("参训教师300余人", 300, "人", ">", "target"),
        ("优良率提高2个百分点", 2, "个百分点", ">=", "target"),
        ("参与学生达 1,250 人", 1250, "人", ">=", "target"),
        ("覆盖率达到９０％", 90, "%", ">=", "target"),  # full-width digits and percent
        ("每周体育课不少于4节", 4, "节", ">=", "target"),
        ("目前，毛入园率为91.2%", 91.2, "%", "=", "baseline"),
        ("现有公办幼儿园48所", 48, "所", "=", "baseline"),
        ("全区共有中小学76所", 76, "所", "=", "baseline"),
    ],
)
def test_phrase_forms(text: str, value: float, unit: str, comparator: str, kind: str) -> None:
    found = only(text)
    assert (found.value, found.unit, found.comparator, found.kind) == (value, unit, comparator, kind)
    assert found.id == ""


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("家长满意度达97.4%", 97.4, "%", "="),
        ("累计培训教师 1520 人次", 1520, "人次", "="),
        ("较上年提高了 0.8 个百分点", 0.8, "个百分点", "="),
        ("捐赠图书价值 12.5 万元", 12.5, "万元", "="),
    ],
)
def test_summary_figures_are_achieved(text: str, value: float, unit: str, comparator: str) -> None:
    found = only(text, "summary")
    assert (found.value, found.unit, found.kind) == (value, unit, "achieved")
    assert found.comparator == comparator


def test_summary_future_wording_stays_a_target() -> None:
    assert only("下一步力争覆盖率达到95%", "summary").kind == "target"


def test_text_metric_and_aggregate() -> None:
    found = only("推进普惠发展，普惠性幼儿园覆盖率稳定在95%左右。")
    assert found.text == "普惠性幼儿园覆盖率稳定在95%左右"
    assert found.metric == "普惠性幼儿园覆盖率"
    assert found.aggregate == "mean"
    count = only("新建30所市级“书香校园”。")
    assert count.metric == "新建市级“书香校园”"
    assert count.aggregate == "sum"


def test_two_indicators_in_one_clause_list() -> None:
    found = find_indicators("力争公办园占比达到 55%以上、普惠园覆盖率达到 85%以上，入园率达到 92%以上")
    assert [(i.value, i.comparator) for i in found] == [(55, ">="), (85, ">="), (92, ">=")]
    assert found[1].text == "普惠园覆盖率达到85%以上"  # justification spaces dropped


@pytest.mark.parametrize(
    "text",
    [
        "2024年工作要点", "表扬2023年度先进集体", "3月5日召开推进会", "教基〔2024〕1号", "市中教体行[2021]26号",
        "启动第二批项目", "做好第38个教师节庆祝活动", "开展第20届艺术节", "第 3 批示范校", "开展第三轮评审",
        "完善第一期项目", "利用3年左右时间打造", "实施三年行动计划", "“十四五”规划", "三位一体的督导体系",
        "坚定“四个自信”", "完善“2+N”督政评价体系", "联系电话：0531-86012345", "3个月内完成整改",
        "5个工作日内反馈", "印发《关于做好2021年5项重点工作的通知》", "开展“五个一”活动", "落实“4DS+”管理",
        "用好“2141”工作法", "面向3-6岁儿童", "G20峰会", "1.加强党的建设", "12.完成其他工作",
    ],
)
def test_not_indicators(text: str) -> None:
    assert find_indicators(text) == []


# -- the seed documents ------------------------------------------------------------------------------
def _parts(seed: dict, text: str) -> dict[str, str]:
    """{'plan': text} or, for a notice holding a summary and a plan, both halves split at the line
    that is the plan's own title (the second title of the document)."""
    kinds = [p["kind"] for p in seed["parts"]]
    if kinds != ["summary", "plan"]:
        return {"plan": text}
    lines = text.splitlines()
    at = next(k for k, line in enumerate(lines)
              if re.fullmatch(r"\s*\d{4}\s*年\s*工作要点\s*", line) and k > 20)
    return {"summary": "\n".join(lines[:at]), "plan": "\n".join(lines[at:])}


def _seeds(seeds_dir: Path) -> list[dict]:
    return json.loads((seeds_dir / "expected.json").read_text(encoding="utf-8"))["seeds"]


def test_seed_indicators_found(seeds_dir: Path) -> None:
    checked = 0
    for seed in _seeds(seeds_dir):
        text = (seeds_dir / seed["file"]).read_text(encoding="utf-8")
        parts = _parts(seed, text)
        found = {kind: find_indicators(body, kind) for kind, body in parts.items()}
        for want in seed["indicators"]:
            kind = want.get("part", "plan")
            hits = [i for i in found[kind]
                    if (i.value == want["value"] and i.unit == want["unit"])
                    or (i.value * 10000 == want["value"] and i.unit == "万" + want["unit"])]
            assert hits, f"{seed['file']}: {want['text']} not found"
            hit = hits[0]
            assert hit.kind == want["kind"], (seed["file"], want["text"], hit.kind)
            if "comparator" in want:
                assert hit.comparator == want["comparator"], (seed["file"], want["text"], hit.comparator)
            checked += 1
    assert checked == 21


def test_seed_negatives(seeds_dir: Path) -> None:
    """Years, ordinals, document numbers and durations in the seeds give no indicators."""
    for seed in _seeds(seeds_dir):
        text = (seeds_dir / seed["file"]).read_text(encoding="utf-8")
        for kind, body in _parts(seed, text).items():
            for ind in find_indicators(body, kind):
                assert not 1990 <= ind.value <= 2030 or ind.unit not in ("", "个", "项"), ind
                assert "第" not in ind.text[max(0, ind.text.find(str(int(ind.value))) - 1):][:1], ind
    by_file = {s["file"][:3]: s for s in _seeds(seeds_dir)}
    plan_002 = find_indicators((seeds_dir / by_file["002"]["file"]).read_text(encoding="utf-8"))
    values = {(i.value, i.unit) for i in plan_002}
    assert (40, "个") not in values        # 第40个教师节
    assert (3, "年") not in values         # 3年左右时间
    assert not any(i.value in (2141, 20) and i.unit in ("", "届") for i in plan_002)
    assert len(find_indicators((seeds_dir / by_file["000"]["file"]).read_text(encoding="utf-8"))) == 0
    text_001 = (seeds_dir / by_file["001"]["file"]).read_text(encoding="utf-8")
    assert not any(i.value in (4, 5) for i in find_indicators(text_001))  # 〔2024〕4号, 〔2020〕5号
    text_004 = (seeds_dir / by_file["004"]["file"]).read_text(encoding="utf-8")
    assert not any(i.value in (26, 1, 2020, 2021) for i in find_indicators(text_004, "summary"))


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("目前已建成幼儿园30所", ["baseline"]),
        ("目前全县共有幼儿园60所，今年新增5所", ["baseline", "target"]),
        ("去年全市新建幼儿园20所", ["baseline"]),
        ("比去年增加5所", ["target"]),
        ("优良率较上年提高2个百分点", ["target"]),
        ("全县幼儿园60所，其中，公办园39所", ["target", "target"]),
        ("全县共有幼儿园60所，其中，公办园39所", ["baseline", "baseline"]),
    ],
)
def test_baseline_or_target(text: str, kinds: list[str]) -> None:
    assert [i.kind for i in find_indicators(text)] == kinds


# -- durations, frequencies, times of day and ages (the rules in the module docstring) ------------------
@pytest.mark.parametrize("text", [
    "落实门卫值守和24小时值班制度", "3天内完成整改", "每天锻炼1小时", "每周开展2次大课间活动", "每年举办1次运动会",
    "下午5点30分放学", "17时30分前离校", "年满6周岁儿童入学", "招收3-6岁幼儿", "提供7×24小时在线服务",
])
def test_durations_routines_and_times_are_not_indicators(text: str) -> None:
    assert find_indicators(text) == []


@pytest.mark.parametrize(("text", "value", "unit", "comparator"), [
    ("确保学生每天校内体育活动时间不少于2小时", 2, "小时", ">="),  # a duration with a comparator word
    ("演练时间控制在3分钟以内", 3, "分钟", "<="),
    ("累计开展志愿服务1200小时", 1200, "小时", ">="),            # a total
    ("每学期召开家长会不少于2次", 2, "次", ">="),                # a frequency made a target
])
def test_durations_and_frequencies_with_a_comparator_are(text: str, value: float, unit: str, comparator: str) -> None:
    found = only(text)
    assert (found.value, found.unit, found.comparator) == (value, unit, comparator)


def test_a_count_that_describes_the_subject_gives_way() -> None:
    found = only("全区32名责任督学每月到校不少于2次")
    assert (found.value, found.unit, found.metric) == (2, "次", "责任督学每月到校")
    assert [i.value for i in find_indicators("对28所中小学校开展办学质量综合评价")] == [28]  # alone it counts


def test_metric_words() -> None:
    change = find_indicators("普惠性幼儿园覆盖率达到97.5%，较上年提高2.3个百分点", "summary")[1]
    assert change.metric == "普惠性幼儿园覆盖率较上年提高"  # what rose
    assert only("组织校际联片教研，每学期不少于4次").metric == "组织校际联片教研每学期"  # what is done so often
    assert only("年底前创建党建品牌学校2所").metric == "创建党建品牌学校"  # the time phrase is not the metric
    assert only("9月底前新建幼儿园3所").metric == "新建幼儿园"
    assert only("1.幼儿出勤率保持在90%以上").text == "幼儿出勤率保持在90%以上"  # list numbering dropped
    assert only("组织消防和防震疏散演练各1次").metric == "组织消防和防震疏散演练"


def test_coefficient_without_unit() -> None:
    found = only("校际差异系数小学控制在0.50以内")
    assert (found.metric, found.value, found.unit, found.comparator, found.aggregate) == (
        "校际差异系数小学", 0.5, "", "<=", "mean")


def test_long_text_is_read_in_linear_time() -> None:
    from test_cleaning import _scaling

    text = "推进各项工作落实，覆盖率达到95%，" * 50000  # one sentence of 900,000 characters
    found = find_indicators(text)
    assert _scaling(lambda n: find_indicators("推进各项工作落实，覆盖率达到95%，" * n), 6250) < 24
    assert len(found) == 200  # a text with more figures than that is a data dump, not a task
