"""outline.py: parts, sections and tasks from cleaned paragraphs; end to end through parse_blocks and a
.docx with real Word list numbering. All fixtures are in our own wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from workplan_xl.errors import PlanStructureError
from workplan_xl.plan import Part
from workplan_xl.plan_document import format_outline, parse_blocks, read_plan
from workplan_xl.plan_document.numbering import H1, H2, H3, H4, H5, PART, cn_to_int, int_to_cn, numbered
from workplan_xl.plan_document.outline import build_outline
from workplan_xl.plan_document.readers import Block


def outline(text: str, title: str = "", year: int | None = None):
    return build_outline([line.strip() for line in text.strip().splitlines() if line.strip()], title, year)


def shape(part: Part) -> list[tuple[str, str, bool, list[str]]]:
    return [(s.numeral, s.title, s.context, [t.title for t in s.tasks]) for s in part.sections]


# -- numbering forms ------------------------------------------------------------------------------
@pytest.mark.parametrize(("line", "rank", "value", "mark", "rest"), [
    ("一、加强党建", H1, 1, "一", "加强党建"),
    ("十二、其他工作", H1, 12, "十二", "其他工作"),
    ("三．完善制度", H1, 3, "三", "完善制度"),
    ("（一）强化督导", H2, 1, "（一）", "强化督导"),
    ("(二) 健全机制", H2, 2, "（二）", "健全机制"),
    ("（十一）、其他", H2, 11, "（十一）", "其他"),
    ("1.开展培训", H3, 1, "1", "开展培训"),
    ("12、完成其他工作", H3, 12, "12", "完成其他工作"),
    ("3．组织评估", H3, 3, "3", "组织评估"),
    ("（1）每月一次", H4, 1, "（1）", "每月一次"),
    ("(2)按季度报送", H4, 2, "（2）", "按季度报送"),
    ("③建立台账", H5, 3, "③", "建立台账"),
    ("第二部分 2025年工作要点", PART, 2, "第二部分", "2025年工作要点"),
    ("、聚焦重点任务", H1, None, "", "聚焦重点任务"),
])
def test_numbering(line: str, rank: int, value: int | None, mark: str, rest: str) -> None:
    n = numbered(line)
    assert n is not None
    assert (n.rank, n.value, n.mark, n.rest) == (rank, value, mark, rest)


@pytest.mark.parametrize("line", ["2.88亿元用于校舍改造。", "2025年，全区教育工作", "总是健全机制", "一年来，督导工作",
                                  "（注：本表由办公室解释）", "1.5万名教师参加培训"])
def test_not_numbering(line: str) -> None:
    assert numbered(line) is None


def test_chinese_numerals() -> None:
    assert [cn_to_int(t) for t in ("一", "十", "十四", "二十", "九十九", "一百零五")] == [1, 10, 14, 20, 99, 105]
    assert [int_to_cn(n) for n in (1, 10, 14, 20, 99)] == ["一", "十", "十四", "二十", "九十九"]


# -- structures -----------------------------------------------------------------------------------
RUN_IN = """
青山区教育局2025年工作要点
2025年，全区教育工作总的要求是：稳中求进，提质增效。
一、总体要求。坚持立德树人，推动全区教育均衡发展。
二、重点任务
（一）推进学前教育普惠发展。扩大普惠性资源，新增学位800个。
1.新建公办幼儿园3所。
2.改扩建幼儿园2所。
（二）提升义务教育质量。实施课堂教学改革。
三、保障措施。加强组织领导，一是健全调度机制，二是强化考核。
"""


def test_run_in_headings_and_deeper_items() -> None:
    o = outline(RUN_IN)
    (part,) = o.parts
    assert (part.kind, part.year, part.title) == ("plan", 2025, "青山区教育局2025年工作要点")
    assert shape(part) == [
        ("一", "总体要求", True, []),
        ("二", "重点任务", False, ["推进学前教育普惠发展", "提升义务教育质量"]),
        ("三", "保障措施", False, ["保障措施"]),  # a section without items is its own task
    ]
    first = part.sections[1].tasks[0]
    assert first.number == "（一）"
    assert first.text == "扩大普惠性资源，新增学位800个。\n1.新建公办幼儿园3所。\n2.改扩建幼儿园2所。"
    assert part.sections[0].text == "坚持立德树人，推动全区教育均衡发展。"
    assert part.sections[2].tasks[0].text == "加强组织领导，一是健全调度机制，二是强化考核。"
    assert part.sections[2].tasks[0].number == "三"


def test_top_level_is_arabic() -> None:
    o = outline("""
红星中学2025年春季学期工作计划
本学期学校工作安排如下。
1.加强德育工作
（1）开展主题班会。每月组织一次。
（2）组织志愿服务活动。
2.提升教学质量
（1）推进集体备课。
①语文组每周一次。
3.做好校园安全工作。落实安全责任。
""")
    (part,) = o.parts
    assert shape(part) == [
        ("1", "加强德育工作", False, ["开展主题班会", "组织志愿服务活动"]),
        ("2", "提升教学质量", False, ["推进集体备课"]),
        ("3", "做好校园安全工作", False, ["做好校园安全工作"]),
    ]
    assert part.sections[1].tasks[0].text == "①语文组每周一次。"


def test_summary_with_top_level_paren() -> None:
    o = outline("""
向阳幼儿园2024年工作总结
（一）保教质量稳步提升
1.开展园本教研活动12次。
2.组织幼儿体能测试，合格率达到95%。
（二）安全工作扎实有效。全年组织应急演练10次。
""")
    (part,) = o.parts
    assert (part.kind, part.year) == ("summary", 2024)
    assert shape(part) == [
        ("（一）", "保教质量稳步提升", False, ["开展园本教研活动12次", "组织幼儿体能测试，合格率达到95%"]),
        ("（二）", "安全工作扎实有效", False, ["安全工作扎实有效"]),
    ]


def test_lost_numeral_and_running_numbers() -> None:
    o = outline("""
西岭县2025年教育督导工作要点
一、总体思路
坚持问题导向。
二、深化督导改革
1.强化领导。每月召开专题会议。
2.健全机制。完善问责制度。
、聚焦国检任务强力督导
3.提质增量。做好质量监测。
4.完成其他工作。
""")
    (part,) = o.parts
    assert shape(part) == [
        ("一", "总体思路", True, []),
        ("二", "深化督导改革", False, ["强化领导", "健全机制"]),
        ("三", "聚焦国检任务强力督导", False, ["提质增量", "完成其他工作"]),
    ]
    assert [t.number for s in part.sections for t in s.tasks] == ["1", "2", "3", "4"]
    assert o.warnings == ["「二」之后的标题“聚焦国检任务强力督导”缺少序号，已按顺序推断为“三”。"]


def test_restarting_numbers_and_mixed_parens() -> None:
    o = outline("""
一、强化督导
(一) 开展综合督导。覆盖全部学校。
（二）开展专项督导。
二、提升能力
(一)加强培训。
（二） 开展交流。
""", title="东湖区2025年督导工作要点", year=2025)
    (part,) = o.parts
    assert part.title == "东湖区2025年督导工作要点"
    assert shape(part) == [("一", "强化督导", False, ["开展综合督导", "开展专项督导"]),
                           ("二", "提升能力", False, ["加强培训", "开展交流"])]
    assert [t.number for t in part.sections[1].tasks] == ["（一）", "（二）"]
    assert o.warnings == []


def test_gap_in_numbering_is_warned() -> None:
    o = outline("一、甲项工作。做好甲。\n二、乙项工作。做好乙。\n四、丁项工作。做好丁。", title="2025年工作要点")
    assert [s.numeral for s in o.parts[0].sections] == ["一", "二", "四"]
    assert o.warnings == ["2025年工作要点的标题序号不连续：“二”之后是“四”。"]


def test_two_documents_in_one_notice() -> None:
    o = outline("""
2024年工作总结
一、督导评估有序开展。完成学校综合督导评估28所。
二、挂牌督导常态化。全年开展挂牌督导460余次。
2025年工作要点
2025年是规划收官之年。重点做好以下工作：
一、深化督导体制改革
（一）完善督导问责机制。
（二）健全督学队伍。
二、开展专项督导。围绕校园安全开展专项督导。
""")
    assert [(p.kind, p.year, p.title) for p in o.parts] == [("summary", 2024, "2024年工作总结"),
                                                             ("plan", 2025, "2025年工作要点")]
    assert shape(o.parts[0]) == [("一", "督导评估有序开展", False, ["督导评估有序开展"]),
                                 ("二", "挂牌督导常态化", False, ["挂牌督导常态化"])]
    assert shape(o.parts[1]) == [("一", "深化督导体制改革", False, ["完善督导问责机制", "健全督学队伍"]),
                                 ("二", "开展专项督导", False, ["开展专项督导"])]


def test_numbered_part_headings_become_parts() -> None:
    o = outline("""
东湖区教育督导室工作总结和计划
一、2024年工作总结
（一）督导评估有序开展。完成评估28所。
（二）挂牌督导常态化。
二、2025年工作计划
（一）深化督导改革。
""")
    assert [(p.kind, p.year) for p in o.parts] == [("summary", 2024), ("plan", 2025)]
    assert [s.numeral for s in o.parts[0].sections] == ["（一）", "（二）"]
    assert shape(o.parts[1]) == [("（一）", "深化督导改革", False, ["深化督导改革"])]


def test_month_by_month_plan() -> None:
    o = outline("""
小太阳幼儿园2025年春季学期工作计划
一、指导思想
以促进幼儿全面发展为目标。
二、月工作安排
二月份：
1.做好开学准备工作。
2.召开全体教职工会议。
三月份：
1.开展学雷锋主题活动。
四月份：开展春季亲子运动会，组织家长开放日活动。
""")
    (part,) = o.parts
    section = part.sections[1]
    assert [t.title for t in section.tasks] == ["做好开学准备工作", "召开全体教职工会议", "开展学雷锋主题活动",
                                                "开展春季亲子运动会，组织家长开放日活动"]
    assert [o.months[id(t)] for t in section.tasks] == [[2], [2], [3], [4]]


def test_attachment_lines_are_not_content() -> None:
    o = outline("2025年工作要点\n一、加强党建。落实责任。\n附件：2025年重点工作配档表\n附件1")
    assert o.parts[0].sections[0].tasks[0].text == "落实责任。"


# -- end to end -----------------------------------------------------------------------------------
def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    for line in text.strip().splitlines():
        out += [Block("p", line.strip()), Block("p", "")]
    return out


NOTICE = """
长河区人民政府教育督导室文件
长督室〔2025〕2号
长河区人民政府教育督导室关于印发2024年工作总结和2025年工作要点的通知
各中小学、幼儿园：
现将《2024年工作总结和2025年工作要点》印发给你们，请结合实际认真落实。
长河区人民政府教育督导室
2025年1月20日
2024年工作总结
一、督导评估有序开展。完成学校综合督导评估28所，群众满意度达97.5%。
二、挂牌督导常态化。全年开展挂牌督导460余次。
2025年工作要点
一、深化督导体制改革
（一）完善督导问责机制。由督导室牵头，6月底前出台问责办法。
（二）健全督学队伍。新聘兼职督学不少于20名。
二、开展专项督导。围绕校园安全开展专项督导，一是排查隐患，二是督促整改。
抄送：区教育局
长河区人民政府教育督导室 2025年1月20日印发
"""


def test_parse_blocks_end_to_end() -> None:
    plan = parse_blocks(blocks(NOTICE), source_name="通知.txt", sha256="0" * 64)
    assert plan.title == "2024年工作总结 2025年工作要点"
    assert (plan.year, plan.issuer, plan.doc_number, plan.issued) == (
        2025, "长河区人民政府教育督导室", "长督室〔2025〕2号", "2025-01-20")
    assert plan.source == {"file": "通知.txt", "sha256": "0" * 64}
    assert [s.id for s in plan.sections()] == ["S01", "S02", "S03", "S04"]
    assert [t.id for t in plan.tasks()] == ["T001", "T002", "T003", "T004", "T005"]
    summary, work = plan.parts
    assert any(i.kind == "achieved" and i.value == 97.5 for t in summary.sections[0].tasks for i in t.indicators)
    task = plan.task("T003")
    assert task is not None and task.title == "完善督导问责机制"
    assert 6 in task.months
    assert "督导室" in task.owners
    assert all(i.task == t.id and i.id.startswith("I") for t in plan.tasks() for i in t.indicators)
    assert len(plan.task("T005").measures) == 2
    assert "区教育局" not in plan.task("T005").text  # the 抄送 line is not content
    text = format_outline(plan)
    assert "【工作总结（2024年）】" in text and "【工作要点（2025年）】" in text
    assert "T003 （一）完善督导问责机制" in text


def test_no_structure_is_an_error() -> None:
    with pytest.raises(PlanStructureError) as info:
        parse_blocks(blocks("会议纪要\n今天开会讨论了有关事项。\n大家发表了意见。"), source_name="纪要.txt")
    assert str(info.value) == ("「纪要.txt」中找不到带编号的工作任务（如“一、”“（一）”“1.”）："
                               "请确认这是工作要点或工作计划。")


# -- a .docx whose numbering is Word's own list numbering -----------------------------------------
def _numbered_docx(path: Path) -> None:
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="nothing"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
    numbering = doc.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {w} w:abstractNumId="7">{lvl_xml}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="5"><w:abstractNumId w:val="7"/></w:num>'))

    def item(text: str, level: int) -> None:
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="5"/></w:numPr>'))

    doc.add_paragraph("北湖区教育局2025年工作要点")
    doc.add_paragraph("2025年，全区教育工作坚持稳中求进。")
    item("总体要求", 0)
    doc.add_paragraph("坚持立德树人根本任务。")
    item("重点任务", 0)
    item("推进学前教育普惠发展。新增学位600个。", 1)
    item("新建幼儿园2所。", 2)
    item("提升义务教育质量。", 1)
    item("加强队伍建设", 0)
    item("实施教师培训。", 1)
    doc.save(str(path))


def test_docx_with_word_list_numbering(tmp_path: Path) -> None:
    path = tmp_path / "要点.docx"
    _numbered_docx(path)
    plan = read_plan(path)
    (part,) = plan.parts
    assert plan.title == "北湖区教育局2025年工作要点"
    assert shape(part) == [
        ("一", "总体要求", True, []),
        ("二", "重点任务", False, ["推进学前教育普惠发展", "提升义务教育质量"]),
        ("三", "加强队伍建设", False, ["实施教师培训"]),
    ]
    assert [t.number for t in part.sections[1].tasks] == ["（一）", "（二）"]
    assert "1.新建幼儿园2所。" in part.sections[1].tasks[0].text
    assert plan.source["file"] == "要点.docx"


# -- task tables and month-by-month plans -----------------------------------------------------------
HEADER = ["序号", "重点任务", "主要责任单位", "协同配合单位", "完成时限"]
ROWS = [["1", "推进集团化办学。扩大优质资源覆盖面。", "基教股", "教研室、督导室", "2025年12月"],
        ["2", "深化课堂教学改革。", "教研室", "各学校", "2025年9月"],
        ["3", "加强校园安全管理。", "安全股", "", "2025年6月底前"]]


@pytest.mark.parametrize("merged", [True, False])
def test_task_table_with_group_rows(merged: bool) -> None:
    def group(label: str) -> list[str]:
        # a merged cell repeats in every column (Word), or sits in the first one only (PDF)
        return [label] * 5 if merged else [label, "", "", "", ""]

    rows = [HEADER, group("一、教育质量提升"), ROWS[0], ROWS[1], group("二、教育保障"), ROWS[2]]
    plan = parse_blocks([Block("p", "南山县2025年教育重点工作任务分解"), Block("table", rows=rows)])
    assert plan.title == "南山县2025年教育重点工作任务分解"
    (part,) = plan.parts
    assert shape(part) == [("一", "教育质量提升", False, ["推进集团化办学", "深化课堂教学改革"]),
                           ("二", "教育保障", False, ["加强校园安全管理"])]
    first = plan.task("T001")
    assert first is not None
    assert (first.owners, first.partners, first.deadline) == (["基教股"], ["教研室", "督导室"], "2025年12月")


def test_task_table_inside_a_section() -> None:
    plan = parse_blocks([Block("p", "南山县2025年教育工作要点"), Block("p", "一、教育质量提升"),
                         Block("table", rows=[HEADER, *ROWS]), Block("p", "二、其他工作。做好上级交办的其他工作。")])
    (part,) = plan.parts
    assert shape(part) == [("一", "教育质量提升", False, ["推进集团化办学", "深化课堂教学改革", "加强校园安全管理"]),
                           ("二", "其他工作", False, ["其他工作"])]
    assert [t.id for t in plan.tasks()] == ["T001", "T002", "T003", "T004"]


def test_month_by_month_plan_end_to_end() -> None:
    plan = parse_blocks(blocks("""
小太阳幼儿园2025年春季学期工作计划
一、指导思想
以促进幼儿全面发展为目标。
二、每月工作安排
二月份：
1.做好开学准备工作。
2.召开全体教职工会议。
三月份：
1.开展学雷锋主题活动。
四月份：
1.举办春季亲子运动会。
五月份：
1.组织家长开放日活动。
"""))
    (part,) = plan.parts
    assert [s.title for s in part.sections][0] == "指导思想"
    tasks = list(plan.tasks())
    assert [t.title for t in tasks] == ["做好开学准备工作", "召开全体教职工会议", "开展学雷锋主题活动",
                                        "举办春季亲子运动会", "组织家长开放日活动"]
    assert [t.months for t in tasks] == [[2], [2], [3], [4], [5]]
    assert [e.task for e in plan.schedule] == [t.id for t in tasks]


def test_attachment_after_the_body_is_not_tasks() -> None:
    o = outline("""
2025年工作要点
一、加强党建。落实主体责任。
二、强化督导
1.开展综合督导。
附件：督导评估指标
附件
督导评估指标
1.办学条件达标。
2.师资配备到位。
""")
    assert shape(o.parts[0]) == [("一", "加强党建", False, ["加强党建"]), ("二", "强化督导", False, ["开展综合督导"])]
    assert o.parts[0].sections[1].tasks[0].text == ""


# -- the same plan as .docx and as a PDF printed by LibreOffice -----------------------------------
def _indented_docx(path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.size = Pt(16)

    def para(text: str, indent: bool = True) -> None:
        p = doc.add_paragraph(text)
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)  # GB/T 9704: two characters

    para("北湖区教育局2025年工作要点", indent=False)
    para("2025年，全区教育工作坚持稳中求进、提质增效，办好人民满意的教育。")
    body = "围绕年度目标任务，坚持问题导向和结果导向，细化工作清单，明确责任分工和完成时限，加强过程调度和督促检查。" * 3
    outline_ = [("坚持立德树人，全面加强学校思想政治工作和德育工作体系建设", ["推进思政课程改革", "加强班主任队伍建设"]),
                ("推进均衡发展", ["扩大优质学位供给", "提升乡村学校质量"]),
                ("强化督导评估", ["开展综合督导", "健全督学队伍", "做好质量监测"])]
    for s, (heading, tasks) in enumerate(outline_):
        para(f"{'一二三'[s]}、{heading}")  # the first heading is longer than a printed line
        for k, title in enumerate(tasks):
            para(f"（{'一二三'[k]}）{title}。{body}由督导室牵头，9月底前完成。")
    doc.save(str(path))


@pytest.mark.libreoffice
def test_pdf_lines_rejoin_into_the_docx_paragraphs(tmp_path: Path, lo_convert) -> None:
    docx = tmp_path / "plan.docx"
    _indented_docx(docx)
    pdf = lo_convert(docx, "pdf", tmp_path / "pdf")
    from_docx, from_pdf = read_plan(docx), read_plan(pdf)
    assert [s.title for s in from_pdf.sections()] == [s.title for s in from_docx.sections()]
    assert from_pdf.parts[0].sections[0].title == "坚持立德树人，全面加强学校思想政治工作和德育工作体系建设"
    assert [(t.title, t.text) for t in from_pdf.tasks()] == [(t.title, t.text) for t in from_docx.tasks()]
    assert len(list(from_pdf.tasks())) == 7


def test_chapters_that_are_not_documents_are_sections() -> None:
    o = outline("""
东湖区2025年教育工作要点
第一部分 指导思想
坚持立德树人。
第二部分 主要任务
一、加强党建。落实主体责任。
二、推进改革。深化评价改革。
第三部分 保障措施
加强组织领导。
""")
    (part,) = o.parts
    assert shape(part) == [("第一部分", "指导思想", True, []),
                           ("第二部分", "主要任务", False, ["加强党建", "推进改革"]),
                           ("第三部分", "保障措施", False, ["保障措施"])]


def test_only_context_sections_is_an_error() -> None:
    with pytest.raises(PlanStructureError):
        parse_blocks(blocks("2025年工作要点\n一、指导思想\n坚持立德树人。\n二、基本原则\n坚持问题导向。"), source_name="a.txt")


def test_attachment_list_and_signature_before_the_attachment() -> None:
    items = ["某区2026年工作要点", "一、强化督导", "（一）完善制度。修订规程。", "附件：1.重点任务分解表",
             "2.责任督学联系学校安排表", "某区教育局", "2026年2月1日", "附件1", "重点任务分解表", "二、其他内容"]
    result = build_outline(items)
    [part] = result.parts
    assert [(s.numeral, [t.text for t in s.tasks]) for s in part.sections] == [("一", ["修订规程。"])]


def test_a_part_written_as_prose_is_one_task() -> None:
    items = ["某校2026年工作计划", "第一部分 2025年工作回顾", "全年巩固率达到100%，各项工作稳步推进。",
             "第二部分 2026年工作计划", "一、加强党建", "（一）落实学习制度。每月学习一次。"]
    result = build_outline(items, "某校2026年工作计划", 2026)
    assert [(p.kind, p.year, [s.title for s in p.sections]) for p in result.parts] == [
        ("summary", 2025, ["2025年工作回顾"]), ("plan", 2026, ["加强党建"])]
    review = result.parts[0].sections[0].tasks[0]
    assert (review.title, review.text) == ("2025年工作回顾", "全年巩固率达到100%，各项工作稳步推进。")


def test_the_heading_of_a_month_list_names_its_section() -> None:
    text = ["某园2025年秋季工作计划", "一、指导思想", "坚持保教并重。", "二、具体工作安排", "九月份：", "1.新生入园。",
            "十月份：", "1.国庆活动。", "十一月份：", "1.亲子运动会。"]
    plan = parse_blocks([Block("p", line) for line in text])
    assert [(s.numeral, s.title, [t.title for t in s.tasks]) for s in plan.sections()] == [
        ("一", "指导思想", []), ("二", "具体工作安排", ["新生入园", "国庆活动", "亲子运动会"])]


def test_too_many_tasks_is_no_plan() -> None:
    blocks = [Block("p", f"（{n % 9 + 1}）第{n}项工作。") for n in range(12000)]
    with pytest.raises(PlanStructureError) as err:
        parse_blocks(blocks, "清单.txt")
    assert str(err.value) == ("「清单.txt」中有 12000 个带编号的段落，远超一份工作计划的规模（上限 5000 项任务）："
                              "请确认选对了文件；确是计划的，请按部分拆成几个文件分别读取。")
