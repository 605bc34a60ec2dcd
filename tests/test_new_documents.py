"""Documents no engineer of the parser wrote it against: other bureaus', counties', schools' and
kindergartens' shapes, in our own wording (tests/fixtures_docs.py). Each test says what a bureau
officer reads in the document and asserts the parse holds exactly that.

The LibreOffice tests convert all their documents in one call (a module fixture), then compare the
PDF's parse with the parse of the .docx it came from.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import docx
import fixtures_docs as docs
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from workplan_xl.plan import Plan, Task
from workplan_xl.plan_document import read_plan


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tasks(plan: Plan) -> list[Task]:
    return list(plan.tasks())


def shape(plan: Plan) -> list[tuple[str, str, bool, list[str]]]:
    return [(s.numeral, s.title, s.context, [t.title for t in s.tasks]) for s in plan.sections()]


def figures(task: Task) -> list[tuple[float | None, str, str, str]]:
    return [(i.value, i.unit, i.comparator, i.kind) for i in task.indicators]


# -- 1. run-in headings at both levels ------------------------------------------------------------
def test_city_bureau_plan_with_run_in_headings(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, "要点.txt", docs.RUN_IN))
    assert (plan.title, plan.year, plan.issuer, plan.doc_number, plan.issued) == (
        "2026年全市教育工作要点", 2026, "江川市教育局", "江教发〔2026〕4号", "2026-02-20")
    assert [(p.kind, p.year) for p in plan.parts] == [("plan", 2026)]
    assert shape(plan) == [
        ("一", "加强党建引领，把牢教育发展方向", False, ["深化理论武装", "压实全面从严治党责任", "建强基层党组织"]),
        ("二", "扩大优质资源供给，推进基础教育优质均衡", False, ["扩充学位供给", "提高学前教育普惠水平", "推进集团化办学"]),
        ("三", "深化教育教学改革，提升育人质量", False, ["推进课堂教学改革", "加强体育美育劳动教育"]),
        ("四", "建设高素质教师队伍，夯实发展根基", False, ["加强师德师风建设", "实施名师培养工程"]),
        ("五", "守牢安全稳定底线，营造良好教育环境", False, ["守牢安全稳定底线，营造良好教育环境"]),
    ]
    sections = list(plan.sections())
    assert sections[0].text == "坚持把党的政治建设摆在首位，健全党组织领导的校长负责制运行机制。"  # the heading's own body
    t = tasks(plan)
    assert t[0].text.startswith("建立局党组理论学习中心组月学制度") and t[0].number == "（一）"
    assert (t[0].owners, t[1].owners, t[1].partners) == (["机关党委"], ["机关纪委"], ["组织人事科"])
    assert (t[3].owners, t[3].partners) == (["发展规划科"], ["计划财务科", "各区县教育局"])
    assert (t[5].owners, t[5].partners) == (["基础教育科"], ["各区县教育局"])  # 由A牵头，各区县教育局配合
    assert (t[1].months, t[1].deadline, t[3].months, t[3].deadline) == ([6], "6月底前", [9], "9月底前")
    assert (t[2].months, t[6].months, t[8].months) == ([12], [3, 4, 5], [3, 6, 9, 12])
    assert figures(t[0]) == [(12, "次", ">=", "target")]
    assert figures(t[3]) == [(15, "所", ">=", "target"), (12000, "个", ">=", "target")]
    assert figures(t[4]) == [(92, "%", ">=", "target"), (60, "%", ">=", "target")]
    assert figures(t[7]) == [(2, "小时", ">=", "target"), (58, "%", ">=", "target")]
    assert t[7].indicators[0].metric == "中小学生每天校内体育活动时间"
    assert figures(t[9]) == [(300, "名", ">=", "target"), (120, "学时", ">=", "target")]
    assert figures(t[10]) == [(4, "次", ">=", "target")]
    assert plan.schedule == [] and plan.warnings == []
    assert not any("印发" in x.text or "江川市教育局" in x.text for x in t)


# -- 2. a school plan whose top level is "1." ------------------------------------------------------
def test_school_plan_with_decimal_top_level(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, "学校计划.txt", docs.SCHOOL))
    assert (plan.title, plan.year, plan.issuer, plan.issued) == (
        "青禾路小学2025—2026学年第一学期工作计划", 2025, "青禾路小学", "2025-08-28")
    assert [(s.numeral, s.title) for s in plan.sections()] == [
        ("1", "加强德育工作，落实立德树人根本任务"), ("2", "提升教学质量，打造高效课堂"), ("3", "加强教师队伍建设"),
        ("4", "筑牢校园安全防线")]  # "1." and "2、" are one level
    t = tasks(plan)
    assert [x.number for x in t] == ["（1）", "（2）", "（3）"] * 2 + ["（1）", "（2）", "（1）", "（2）", "（3）"]
    assert t[0].measures == ["开学第一周开展入学适应教育", "每月评选“和美班级”", "建立学生成长记录袋，期末进行展示。"]
    assert (t[1].months, t[1].owners) == ([9, 10, 12], ["政教处"])
    assert t[2].partners == []  # 家校协同育人 names nobody
    assert figures(t[2]) == [(2, "次", ">=", "target"), (100, "%", ">=", "target")]
    assert figures(t[5]) == [(60, "分钟", "<=", "target")]
    assert (t[6].months, t[6].deadline) == ([], "")  # 3年内 is a duration, not 年内
    assert (t[7].months, t[7].deadline) == ([11], "11月底前")
    assert t[8].indicators == []  # 24小时值班制度 is how the gate is kept, not a figure
    assert figures(t[9]) == [(1, "次", ">=", "target"), (3, "分钟", "<=", "target")]
    assert t[9].indicators[0].metric == "组织消防和防震疏散演练"
    assert "青禾路小学" not in t[10].text  # the signature is not the last task's text


# -- 3. a county summary whose top level is "（一）" ------------------------------------------------
def test_county_summary_with_paren_top_level(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, "总结.txt", docs.SUMMARY))
    assert (plan.title, plan.year, plan.issuer, plan.issued) == (
        "临溪县教育局2025年工作总结", 2025, "临溪县教育局", "2026-01-08")
    assert [(p.kind, p.year) for p in plan.parts] == [("summary", 2025)]
    assert shape(plan) == [
        ("（一）", "基础教育提质扩容", False, ["学前教育普惠发展", "义务教育优质均衡", "高中教育多样发展"]),
        ("（二）", "教师队伍建设", False, ["补充师资力量", "提升专业素养"]),
        ("（三）", "教育保障水平", False, ["落实资助政策", "守牢安全底线"]),
    ]
    t = tasks(plan)
    assert [x.number for x in t] == ["1", "2", "3", "1", "2", "1", "2"]
    assert {i.kind for i in plan.indicators()} == {"achieved"}
    assert [(i.value, i.unit, i.comparator) for i in t[0].indicators] == [
        (3, "所", "="), (12, "所", "="), (97.5, "%", "="), (2.3, "个百分点", "=")]
    assert t[0].indicators[3].metric == "普惠性幼儿园覆盖率较上年提高"  # what rose, not only "较上年提高"
    assert [(i.value, i.unit) for i in t[1].indicators] == [(1.86, "亿元"), (5, "所"), (2400, "个")]
    assert [(i.value, i.unit) for i in t[2].indicators] == [(1386, "人"), (61.2, "%")]
    assert [(i.value, i.unit, i.comparator) for i in t[4].indicators] == [
        (86, "期", "="), (6200, "人次", ">"), (100, "%", "=")]  # 6200余人次: more than
    assert [(i.value, i.unit) for i in t[5].indicators] == [(2360, "万元"), (13000, "人次")]
    assert [(i.value, i.unit) for i in t[6].indicators] == [(48, "次"), (213, "处")]


# -- 4. Word: a task table that is the whole plan, and a numbered body with its table attached --------
def test_docx_task_table_is_the_plan(tmp_path: Path) -> None:
    plan = read_plan(docs.table_plan_docx(tmp_path / "任务清单.docx"))
    assert (plan.title, plan.year, plan.issuer, plan.issued) == (
        "北沙区教育体育局2026年重点工作任务清单", 2026, "北沙区教育体育局", "2026-01-15")
    assert [(s.numeral, s.title, len(s.tasks)) for s in plan.sections()] == [
        ("一", "党的建设", 2), ("二", "教育发展", 3), ("三", "安全稳定", 2)]  # the merged group rows
    t = tasks(plan)
    assert [x.number for x in t] == ["1", "2", "3", "4", "5", "6", "7"]
    assert t[1].title == "推进清廉学校建设，创建清廉示范学校10所" and t[1].text == ""
    assert [(x.owners, x.partners, x.deadline) for x in t] == [
        (["机关党委"], ["各股室"], "2026年12月"), (["纪检组"], ["组织人事股", "各中小学"], "2026年10月底前"),
        (["计划财务股"], ["基础教育股"], "2026年8月"), (["电教站"], ["计划财务股"], "2026年11月"),
        (["基础教育股"], ["教研室"], "全年"), (["安全股"], ["后勤服务中心"], "每学期"),
        (["安全股"], ["电教站"], "2026年6月底前")]
    assert [x.months for x in t] == [[12], [10], [8], [11], [], [], [6]]  # the 完成时限 month
    assert [figures(x) for x in t] == [
        [(6, "次", ">=", "target")], [(10, "所", ">=", "target")], [(360, "个", ">=", "target")],
        [(12, "所", ">=", "target")], [(35, "%", ">=", "target")], [(1, "次", ">=", "target")],
        [(100, "%", ">=", "target")]]  # each once: the title is not read twice
    assert t[5].indicators[0].metric == "开展校园食品安全专项检查每学期"
    assert plan.schedule == []


def test_docx_list_numbering_with_an_attached_task_table(tmp_path: Path) -> None:
    plan = read_plan(docs.numbered_with_attachment_docx(tmp_path / "督导要点.docx"))
    assert (plan.title, plan.year, plan.issuer, plan.issued) == (
        "南岭县教育局2026年教育督导工作要点", 2026, "南岭县教育局", "2026-02-27")
    assert shape(plan) == [  # the numerals come from numbering.xml, not from the text
        ("一", "强化督导职能", False, ["完善督导制度", "开展乡镇政府履行教育职责评价"]),
        ("二", "做实学校督导", False, ["落实责任督学挂牌督导", "开展幼儿园办园行为督导评估"]),
        ("三", "加强结果运用", False, ["建立问题整改台账"]),
    ]
    t = tasks(plan)
    assert [x.number for x in t] == ["（一）", "（二）", "（一）", "（二）", "（一）"]
    assert t[4].text == "督导发现的问题实行清单管理，整改完成率达到95%以上。"  # no signature, no 附件 line
    # the attached table gives every task its owners; the body's own deadline wins over the table's
    assert [(x.owners, x.partners) for x in t] == [
        (["督导室"], ["政策法规股"]), (["督导室"], ["各乡镇中心学校"]), (["督导室"], ["各中小学校", "幼儿园"]),
        (["督导室"], ["学前教育股"]), (["督导室"], ["相关股室"])]
    assert [x.deadline for x in t] == ["5月底前", "2026年10月", "全年", "9月至11月", "2026年12月"]
    assert (t[1].months, t[4].months) == ([10], [12])
    assert plan.warnings == []


# -- 5. kindergartens: month by month ----------------------------------------------------------------
def test_kindergarten_semester_plan_txt(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, "幼儿园计划.txt", docs.KINDERGARTEN))
    assert (plan.title, plan.year, plan.issuer) == ("小太阳幼儿园2025年秋季学期工作计划", 2025, "小太阳幼儿园")
    assert [(s.numeral, s.title, s.context) for s in plan.sections()] == [
        ("一", "指导思想", True), ("二", "工作目标", True), ("三", "具体工作安排", False)]  # its own heading kept
    t = tasks(plan)
    assert [(x.number, x.title) for x in t[:4]] == [
        ("9月", "做好新生入园适应工作，召开新生家长会"), ("9月", "开展“我上幼儿园啦”主题活动"),
        ("9月", "完成幼儿健康体检和建档工作"), ("10月", "开展国庆节爱国主题教育活动")]
    assert [x.months for x in t] == [[9]] * 3 + [[10]] * 3 + [[11]] * 2 + [[12]] * 3 + [[1, 2], [1]]
    by_month: dict[int, int] = {}
    for entry in plan.schedule:
        by_month[entry.month] = by_month.get(entry.month, 0) + 1
    assert by_month == {9: 3, 10: 3, 11: 2, 12: 3, 1: 2}  # "十月：", "十一月份工作安排" read as months
    assert [e.task for e in plan.schedule] == [x.id for x in t]
    # the goals' figures: the one a task clearly carries is tracked there, the others are reported
    assert [(i.value, i.unit, i.task) for i in t[2].indicators] == [(100, "%", t[2].id)]
    assert plan.warnings == [
        f"「工作目标」中的指标“体检率达到100%”已归入任务 {t[2].id}（完成幼儿健康体检和建档工作）的指标跟踪：请核对。",
        "「工作目标」中的指标“幼儿出勤率保持在90%以上”“教师参加园本培训每人不少于24学时”没有对应的任务，"
        "未纳入指标跟踪：如需跟踪，请在台账“指标跟踪”中补一行并填写所属任务。"]


def test_kindergarten_spring_plan_docx(tmp_path: Path) -> None:
    plan = read_plan(docs.kindergarten_docx(tmp_path / "春季计划.docx"))
    assert (plan.title, plan.year, plan.issuer, plan.issued) == (
        "金苗幼儿园2026年春季学期保教工作计划", 2026, "金苗幼儿园", "2026-02-16")
    t = tasks(plan)
    assert len(t) == sum(len(items) for _, items in docs.KINDERGARTEN_MONTHS) == 12
    assert [x.months for x in t] == [[2]] * 2 + [[3]] * 3 + [[4]] * 2 + [[5]] * 2 + [[6]] * 3
    assert [x.title for x in t][:3] == ["做好开学准备，组织全园卫生大扫除和消毒", "召开全体教职工会议，部署学期工作",
                                        "开展“学雷锋”主题活动"]  # Word's "1." labels are not in the titles
    assert figures(t[3]) == [(100, "%", ">=", "target")]
    assert [e.month for e in plan.schedule] == [2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 6]


# -- 7. a government web page ------------------------------------------------------------------------
def test_government_web_page_gbk(tmp_path: Path) -> None:
    plan = read_plan(docs.gov_page_html(tmp_path / "content_1234.html"))
    assert (plan.title, plan.year, plan.issuer, plan.doc_number, plan.issued) == (
        "松川县2026年教育督导工作要点", 2026, "松川县教育体育局", "松教体发〔2026〕9号", "2026-03-02")
    assert shape(plan) == [
        ("一", "总体要求", True, []),
        ("二", "重点任务", False, ["开展县域义务教育优质均衡发展督导", "推进中小学校责任督学挂牌督导",
                                "做好学生体质健康专项督导", "开展校外培训机构规范管理督查"]),
        ("三", "工作保障", False, ["加强组织领导", "严格督导问责"]),
    ]
    t = tasks(plan)
    assert t[-1].text == "对督导发现问题整改不到位的，依规依纪追究责任。"  # no attachment links, no chrome
    text = "\n".join(f"{x.title}\n{x.text}" for x in t) + "".join(s.text for s in plan.sections())
    for chrome in ("首页", "分享", "上一篇", "浏览次数", "ICP", "附件", ".docx", "打印"):
        assert chrome not in text
    assert [(i.metric, i.value, i.unit, i.comparator) for i in t[0].indicators] == [
        ("校际差异系数小学", 0.5, "", "<=")]  # a coefficient has no unit
    assert (t[1].owners, t[1].partners) == (["县教育督导室"], ["各学校"])
    assert figures(t[1]) == [(5, "所", "<=", "target"), (1, "次", ">=", "target")]
    assert (t[2].months, figures(t[2])) == ([5, 6], [(92, "%", ">=", "target")])


# -- 8. a GBK text from Windows ----------------------------------------------------------------------
def test_gbk_text_with_crlf_full_width_digits_and_parts(tmp_path: Path) -> None:
    path = docs.gbk_text(tmp_path / "计划.txt")
    assert b"\r\n" in path.read_bytes()
    plan = read_plan(path)
    assert (plan.title, plan.year, plan.issuer, plan.issued) == (
        "沙河镇中心学校2026年工作计划", 2026, "沙河镇中心学校", "2026-02-18")  # digits folded to ASCII
    assert [(p.kind, p.year, p.title) for p in plan.parts] == [
        ("summary", 2025, "2025年工作回顾"), ("plan", 2026, "2026年工作计划")]
    review = plan.parts[0].sections[0].tasks[0]
    assert [(i.value, i.unit, i.kind) for i in review.indicators] == [(100, "%", "achieved"), (98.5, "%", "achieved")]
    assert [(s.numeral, s.title) for s in plan.parts[1].sections] == [
        ("（一）", "加强党的建设"), ("（二）", "提升教育教学质量"), ("（三）", "改善办学条件")]  # "(一)" half-width
    t = plan.parts[1].sections
    assert [x.number for s in t for x in s.tasks] == ["1", "2", "1", "2", "3", "1", "2"]  # "1、"
    first = t[0].tasks
    assert first[0].title == "落实“第一议题”制度，每月开展集中学习不少于1次"
    assert figures(first[1]) == [(2, "所", ">=", "target")] and first[1].deadline == "年底前"
    assert first[1].indicators[0].metric == "创建党建品牌学校"
    assert (t[1].tasks[0].months, figures(t[1].tasks[1])) == ([4, 5], [(95, "%", ">=", "target")])
    assert figures(t[2].tasks[0]) == [(120, "万元", ">=", "target")] and t[2].tasks[0].months == [8]
    assert figures(t[2].tasks[1]) == [(3000, "册", ">=", "target")]


# -- 9. one notice: the plan first, the summary after --------------------------------------------------
def test_notice_with_the_plan_before_the_summary(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, "通知.txt", docs.PLAN_THEN_SUMMARY))
    assert (plan.year, plan.issuer, plan.doc_number, plan.issued) == (2026, "鹿鸣区教育督导室", "鹿督室〔2026〕2号", "2026-01-20")
    assert plan.title == "鹿鸣区教育督导室2026年工作要点 鹿鸣区教育督导室2025年工作总结"
    assert [(p.kind, p.year) for p in plan.parts] == [("plan", 2026), ("summary", 2025)]
    assert plan.plan_part() is plan.parts[0]  # the year's work is tracked against the plan, wherever it is
    plan_tasks, summary_tasks = (list(t for s in p.sections for t in s.tasks) for p in plan.parts)
    assert [x.title for x in plan_tasks] == ["健全督导机制", "深化学校督导", "加强质量监测"]
    assert [x.title for x in summary_tasks] == ["督导机制不断完善", "学校督导扎实开展", "质量监测有序推进"]
    assert [(x.months, x.deadline) for x in plan_tasks] == [([3], "3月底前"), ([12], "年内"), ([10], "10月底前")]
    assert {i.kind for x in plan_tasks for i in x.indicators} == {"target"}
    assert {i.kind for x in summary_tasks for i in x.indicators} == {"achieved"}
    assert [(i.value, i.unit) for i in summary_tasks[1].indicators] == [(42, "所"), (186, "个"), (97.8, "%")]


# -- LibreOffice: PDFs of the documents above, and of the seeds set in an office's fonts ---------------
def _gongwen_docx(lines: list[str], path: Path) -> Path:
    """Lines as paragraphs in 仿宋 + Times New Roman, 三号, justified (how an office sets a document)."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    normal.font.size = Pt(16)
    normal.paragraph_format.first_line_indent = Pt(32)
    normal.paragraph_format.alignment = 3
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> dict[str, Path]:
    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("pdf")
    made = [docs.supervision_docx(src / "supervision.docx"), docs.long_schedule_docx(src / "schedule.docx")]
    seeds = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"  # when beside the repository
    for seed in sorted(seeds.glob("*.txt")):
        lines = [ln.strip() for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip()]
        made.append(_gongwen_docx(lines, src / f"seed{seed.name[:3]}.docx"))
    profile = f"-env:UserInstallation=file://{tmp_path_factory.mktemp('lo')}"
    subprocess.run([soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(out), *map(str, made)],
                   check=True, capture_output=True, timeout=300)
    return {p.stem: p for p in (*made, *out.glob("*.pdf"))} | {f"{p.stem}.pdf": p for p in out.glob("*.pdf")}


def _same_parse(a: Plan, b: Plan) -> None:
    assert (a.title, a.year, a.issuer, a.doc_number, a.issued) == (b.title, b.year, b.issuer, b.doc_number, b.issued)
    assert [(s.numeral, s.title, s.text) for s in a.sections()] == [(s.numeral, s.title, s.text) for s in b.sections()]
    assert [(t.number, t.title, t.text, t.months, t.deadline, t.owners, t.partners, t.measures)
            for t in a.tasks()] == [(t.number, t.title, t.text, t.months, t.deadline, t.owners, t.partners, t.measures)
                                    for t in b.tasks()]
    assert [(i.text, i.value, i.unit, i.comparator, i.kind, i.task) for i in a.indicators()] == [
        (i.text, i.value, i.unit, i.comparator, i.kind, i.task) for i in b.indicators()]
    assert [(e.month, e.period, e.text, e.owners, e.task) for e in a.schedule] == [
        (e.month, e.period, e.text, e.owners, e.task) for e in b.schedule]


@pytest.mark.libreoffice
def test_supervision_plan_as_pdf(pdfs: dict[str, Path]) -> None:
    from_docx, from_pdf = read_plan(pdfs["supervision"]), read_plan(pdfs["supervision.pdf"])
    _same_parse(from_docx, from_pdf)  # every justified line and page break joined back
    assert (from_pdf.title, from_pdf.issuer, from_pdf.issued) == (
        "东岚区人民政府教育督导室2026年教育督导工作计划", "东岚区人民政府教育督导室", "2026-02-25")
    t = tasks(from_pdf)
    assert t[0].title == "统筹推进,双普验收"  # the half-width comma stays where it was typed
    assert ",," not in "".join(x.text for x in t)
    assert [s.text for s in from_pdf.sections()][0].startswith("全年完成对辖区内中小学校和幼儿园的督导全覆盖,义务")
    # 32名 only describes who visits; the figure to track is the visits
    assert figures(t[1]) == [(2, "次", ">=", "target"), (100, "%", ">=", "target")]
    assert t[1].indicators[0].metric == "责任督学每月到校"
    # the goal section's figure goes to the task that works on it
    goal = t[0].indicators[-1]
    assert (goal.value, goal.unit, goal.task) == (85, "%", t[0].id)


@pytest.mark.libreoffice
def test_quotes_and_commas_of_a_latin_font_come_back_in_place(pdfs: dict[str, Path]) -> None:
    """LibreOffice draws a line's Latin-font characters after its Chinese ones; the reader puts them
    back by their x: the PDF's text is the text that was typed, character for character."""
    from workplan_xl.plan_document.readers import read_blocks

    def flat(text: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    typed = flat("".join(docs.SUPERVISION_PARAGRAPHS))
    assert flat("".join(b.text for b in read_blocks(pdfs["supervision.pdf"]))) == typed


@pytest.mark.libreoffice
def test_schedule_table_over_several_pages(pdfs: dict[str, Path]) -> None:
    from_docx, from_pdf = read_plan(pdfs["schedule"]), read_plan(pdfs["schedule.pdf"])
    assert len(from_docx.schedule) == 48
    _same_parse(from_docx, from_pdf)  # rows the page breaks cut are joined, merged months carried on
    rows = docs.schedule_rows()[1:]
    assert [(e.month, e.text) for e in from_pdf.schedule] == [(int(r[0][:-1]), r[1]) for r in rows]
    assert [e.owners for e in from_pdf.schedule] == [[r[2]] + [p for p in r[3].split("、") if p] for r in rows]


@pytest.mark.libreoffice
@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seeds_as_office_pdfs_parse_like_their_text(seed: str, seeds_dir: Path, pdfs: dict[str, Path]) -> None:
    from workplan_xl.plan_document.readers import read_blocks

    source = next(seeds_dir.glob(f"{seed}_*.txt"))
    typed = re.sub(r"\s+", "", source.read_text("utf-8"))
    printed = re.sub(r"\s+", "", "".join(b.text for b in read_blocks(pdfs[f"seed{seed}.pdf"])))
    assert printed == typed  # quotes, ★ and half-width commas where they were typed
    text, pdf = read_plan(source), read_plan(pdfs[f"seed{seed}.pdf"])
    _same_parse(text, pdf)
    if seed == "002":
        assert len(pdf.schedule) == 89  # the flattened 配档表: cells wrapped over two printed lines joined


# -- hostile and broken input: one Chinese sentence, never a traceback, never minutes -------------------
def _must_fail_politely(path: Path, seconds: float = 60.0) -> str:  # a hang guard, not a benchmark
    import time

    from workplan_xl.errors import InputFileError, PlanStructureError

    start = time.perf_counter()
    try:
        read_plan(path)
        outcome = "ok"
    except (InputFileError, PlanStructureError) as error:
        message = str(error)
        assert "\n" not in message and re.search(r"[\u4e00-\u9fff]", message), message
        assert message.startswith(("「", "找不到", "没有权限", "不认识")), message
        outcome = "error"
    assert time.perf_counter() - start < seconds, path.name
    return outcome


def _zip_with(base: bytes, name: str, data: bytes) -> bytes:
    import io
    import zipfile

    zin = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in zin.infolist():
            if item.filename != name:
                zf.writestr(item, zin.read(item.filename))
        zf.writestr(name, data)
    return out.getvalue()


def test_hostile_inputs_end_in_one_sentence(tmp_path: Path) -> None:
    import random

    rnd = random.Random(20260301)
    base = docs.numbered_with_attachment_docx(tmp_path / "base.docx").read_bytes()
    heads = [b"PK\x03\x04", b"%PDF-1.7\n", b"<html><body>", b"{\\rtf1", b"\xef\xbb\xbf", b"\xff\xfe",
             b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", b'{"schema": ']
    n = 0
    for head in heads:
        for size in (10, 600, 6000):
            n += 1
            path = tmp_path / f"random{n}.docx"
            path.write_bytes(head + bytes(rnd.randrange(256) for _ in range(size)))
            assert _must_fail_politely(path) == "error"
    for cut in sorted(rnd.sample(range(100, len(base)), 12)):
        path = tmp_path / f"cut{cut}.docx"
        path.write_bytes(base[:cut])
        _must_fail_politely(path)
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    # numbering.xml with 2,000 lists of 9 levels, absurd start values and formats
    numbering = f"<w:numbering {w}>" + "".join(
        f'<w:abstractNum w:abstractNumId="{i}">' + "".join(
            f'<w:lvl w:ilvl="{lvl}"><w:start w:val="{rnd.randrange(-5, 10 ** 9)}"/>'
            f'<w:numFmt w:val="{rnd.choice(["chineseCounting", "upperLetter", "upperRoman", "bullet", "x"])}"/>'
            f'<w:lvlText w:val="%{lvl + 1}.%9%1、"/></w:lvl>' for lvl in range(9)) + "</w:abstractNum>"
        for i in range(2000)) + "".join(
        f'<w:num w:numId="{i}"><w:abstractNumId w:val="{i}"/></w:num>' for i in range(2000)) + "</w:numbering>"
    body = "".join(f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{rnd.choice(["0", "8", "99", "-1", "x"])}"/>'
                   f'<w:numId w:val="{rnd.randrange(2000)}"/></w:numPr></w:pPr><w:r><w:t>第{i}项工作。</w:t></w:r></w:p>'
                   for i in range(1000))
    document = f"<w:document {w}><w:body>{body}</w:body></w:document>"
    path = tmp_path / "numbering.docx"
    path.write_bytes(_zip_with(_zip_with(base, "word/numbering.xml", numbering.encode()), "word/document.xml",
                               document.encode()))
    _must_fail_politely(path)
    # tables nested 3,000 deep (Python's recursion limit is 1,000), in Word and on a web page
    inner = "<w:p><w:r><w:t>一、内层工作</w:t></w:r></w:p>"
    for _ in range(3000):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl><w:p/>"
    path = tmp_path / "nested.docx"
    path.write_bytes(_zip_with(base, "word/document.xml",
                               f"<w:document {w}><w:body><w:p><w:r><w:t>一、外层工作</w:t></w:r></w:p>{inner}"
                               "</w:body></w:document>".encode()))
    assert _must_fail_politely(path) == "ok"
    path = tmp_path / "nested.html"
    path.write_text("<html><body><p>一、工作</p>" + "<table><tr><td>" * 3000 + "二、内层" + "</td></tr></table>" * 3000,
                    encoding="utf-8")
    _must_fail_politely(path)
    # 10 MB on one line, and lines enough for 150,000 "tasks"
    path = tmp_path / "one-line.txt"
    path.write_text("一、加强党建工作，" + "推进各项工作落实，覆盖率达到95%，" * 330000, encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    assert _must_fail_politely(path) == "ok"
    path = tmp_path / "no-numbering.txt"
    path.write_text("一" * 10_000_000, encoding="utf-8")
    assert _must_fail_politely(path) == "error"
    path = tmp_path / "dump.txt"
    path.write_text(("（一）" + "甲" * 50 + "\n") * 150000, encoding="utf-8")
    assert _must_fail_politely(path) == "error"


@pytest.mark.libreoffice
def test_broken_pdfs_end_in_one_sentence(tmp_path: Path, pdfs: dict[str, Path]) -> None:
    import random

    rnd = random.Random(7)
    data = pdfs["supervision.pdf"].read_bytes()
    for cut in sorted(rnd.sample(range(20, len(data)), 10)):
        path = tmp_path / f"cut{cut}.pdf"
        path.write_bytes(data[:cut])
        _must_fail_politely(path)
    for k in range(10):
        flipped = bytearray(data)
        for _ in range(30):
            flipped[rnd.randrange(len(flipped))] = rnd.randrange(256)
        path = tmp_path / f"flipped{k}.pdf"
        path.write_bytes(bytes(flipped))
        _must_fail_politely(path)
