"""cleaning.py: spaces inside Chinese text, chrome and boilerplate lines, paragraphs split by a break."""

from __future__ import annotations

import pytest

from workplan_xl.plan_document.cleaning import (
    ends_sentence,
    is_chrome,
    is_org_line,
    join_broken,
    normalise_line,
)


@pytest.mark.parametrize(("raw", "clean"), [
    # justification spaces inside CJK text
    ("组织开展随访督 导，规范办学行 为。", "组织开展随访督导，规范办学行为。"),
    ("全市教 育系统", "全市教育系统"),
    # spaces around numbers
    ("力争 2026 年全面达标", "力争2026年全面达标"),
    ("覆盖率达到 85%以上，较上年提高 1.5 个百分点", "覆盖率达到85%以上，较上年提高1.5个百分点"),
    (" 60%以上的学校", "60%以上的学校"),
    # a space between Latin words or numbers is kept
    ("推广 Office 365 应用，参加 PISA 2025 测试。", "推广Office 365应用，参加PISA 2025测试。"),
    # every kind of space becomes plain; bullets and edges go
    ("\u3000\u3000（一）\u2002强化督导。", "（一）强化督导。"),
    ("  • 发布机构:\xa0东湖区教育局", "发布机构:东湖区教育局"),
    ("一、\u00a0加强党建", "一、加强党建"),
    ("学\u200b校", "学校"),
    # a title-like line keeps the space between two issuers but not inside "的 通 知"
    ("中共东湖区委教育工委 东湖区教育局2025年工作要点", "中共东湖区委教育工委 东湖区教育局2025年工作要点"),
    ("东湖区教育局 关于印发 2025 年工作要点 的 通 知", "东湖区教育局 关于印发2025年工作要点的通知"),
    ("", ""),
])
def test_normalise_line(raw: str, clean: str) -> None:
    assert normalise_line(raw) == clean


@pytest.mark.parametrize("line", [
    "您当前浏览位置:首页>政务公开>部门文件",
    "当前位置：首页 > 通知公告",
    "首页>信息公开>计划总结",
    "扫一扫在手机打开当前页",
    "上一篇:",
    "下一篇：关于开展春季安全检查的通知",
    "附件下载",
    "字体：【大 中 小】",
    "信息来源:东湖区教育局 浏览次数: 字体:【 分享:",
    "浏览次数：128",
    "分享到：",
    "Produced By 某某网络 站群发布系统",
    "★文明城市 ★卫生城市",
    "抄报：市教育局，市民政局",
    "抄送:区委办公室",
    "东湖区教育局办公室 2025年3月1日印发",
    "2025年3月1日印发",
    "(此件公开发布)",
    "（此件主动公开）",
    "— 3 —",
    "第 2 页 共 5 页",
    "发布机构 东湖区教育局 所属分类 部门文件",
    "成文日期: 2025-02-26 发布日期: 2025-02-27",
    "索引号: 000000/2025-00001",
    "发文字号:东教发〔2025〕3号",
])
def test_chrome_lines(line: str) -> None:
    assert is_chrome(normalise_line(line))


@pytest.mark.parametrize("line", [
    "一、加强党的建设",
    "（一）完善督导问责机制。",
    "2025年，全区教育工作总的要求是：稳中求进。",
    "开展中小学生首页设计比赛。",
    "标题党现象要坚决纠正。",
    "分享典型经验，扩大辐射面。",
    "来源广泛的优质课程资源进校园。",
])
def test_content_is_not_chrome(line: str) -> None:
    assert not is_chrome(line)


@pytest.mark.parametrize(("line", "final"), [
    ("完成年度目标。", True), ("重点做好以下工作：", True), ("对标“优质均衡”。”", True),
    ("组织开展学校网", False), ("对照“资源配置、教育质量”", False), ("是否达标？", True), ("一是", False),
])
def test_ends_sentence(line: str, final: bool) -> None:
    assert ends_sentence(line) is final


def test_org_line() -> None:
    assert is_org_line("东湖区人民政府教育督导室")
    assert is_org_line("市教育学会秘书处")
    assert not is_org_line("2025年工作要点")
    assert not is_org_line("加强学会秘书处建设，明确职责。")


def test_join_across_page_break() -> None:
    lines = [
        "二、聚焦主业，办好学术交流",  # heading-only: never glued to its body
        "依托学术年会、专题研讨和学会网",
        "站等平台，推广典型经验。",
        "三、强化科研。抓好课题管理，按期组织结题。适",
        "时举办科研能力培训班。",
        "2025年工作要点",
        "一年来，围绕深化改革、优化营",
        "商环境，认真抓好以下工作：一是梳理事项，二",
        "是强化监管。",
        "对照“布局合理、质量优良”",
        "要求，逐校整改。",
        "9.开展专项督导，覆盖全部学校等工作",
        "10.常态化做好控辍保学工作。",
    ]
    assert join_broken(lines) == [
        "二、聚焦主业，办好学术交流",
        "依托学术年会、专题研讨和学会网站等平台，推广典型经验。",
        "三、强化科研。抓好课题管理，按期组织结题。适时举办科研能力培训班。",
        "2025年工作要点",
        "一年来，围绕深化改革、优化营商环境，认真抓好以下工作：一是梳理事项，二是强化监管。",
        "对照“布局合理、质量优良”要求，逐校整改。",
        "9.开展专项督导，覆盖全部学校等工作",
        "10.常态化做好控辍保学工作。",
    ]


def test_no_join_in_header() -> None:
    lines = ["东湖区教育学会", "2025年4月8日", "东湖区教育学会2025年工作计划", "2025年，学会坚持服务会员。",
             "东湖区教育局 关于印发2025年工作要点的通知", "各中小学、幼儿园：", "东湖区教育局",
             "附件：2025年重点工作配档表"]
    assert join_broken(lines) == lines


def test_full_width_digits_and_letters_become_ascii() -> None:
    assert normalise_line("２０２６年覆盖率达到９８．５％，ＡＩ教育") == "2026年覆盖率达到98.5%，AI教育"
    assert normalise_line("（一）加强党建：１、２") == "（一）加强党建：1、2"  # Chinese punctuation stays


def test_download_links_are_chrome() -> None:
    assert is_chrome("1.2026年教育督导工作任务清单.docx")
    assert is_chrome("附件2：安排表.xlsx（35KB）")
    assert not is_chrome("（一）推进数字校园建设，完成12所学校改造。")


def test_a_heading_over_two_lines_is_joined_only_when_it_cannot_end() -> None:
    assert join_broken(["一、加强教师队伍建设，", "全面提升专业素养", "（一）开展全员培训。"]) == [
        "一、加强教师队伍建设，全面提升专业素养", "（一）开展全员培训。"]
    assert join_broken(["四、深化《义务教育", "质量评价指南》落实"]) == ["四、深化《义务教育质量评价指南》落实"]
    # a complete heading stays a heading, even before a short line (undecidable without the layout)
    assert join_broken(["二、工作目标", "全年完成督导全覆盖"]) == ["二、工作目标", "全年完成督导全覆盖"]


def _long_paragraph(n: int) -> list[str]:
    return ["全区教育系统要加强党建工作，推进"] + ["各项工作落实并取得实效和" for _ in range(n)] + ["完成。"]


def test_joining_a_very_long_paragraph_is_linear() -> None:
    joined = join_broken(_long_paragraph(100000))
    assert len(joined) == 1 and joined[0].endswith("和完成。")
    assert _scaling(lambda n: join_broken(_long_paragraph(n)), 12500) < 24  # linear ≈ 8, quadratic ≈ 64


def _scaling(run, small: int, factor: int = 8) -> float:
    """How much longer `run(factor * small)` takes than `run(small)`, best of three each: about
    `factor` when linear, `factor ** 2` when quadratic. A ratio, not a stopwatch, so a loaded machine
    does not decide the test."""
    import time

    def best(n: int) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            run(n)
            times.append(time.perf_counter() - start)
        return min(times)

    return best(factor * small) / max(best(small), 1e-6)
