"""word_report: what the 工作总结 says, its figures, templates, and how LibreOffice shows it."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from report_data import lo_batch, sample_plan, sample_progress

from workplan_xl import gongwen
from workplan_xl.errors import InputFileError, TemplateFieldError
from workplan_xl.plan import Indicator, Part, Plan
from workplan_xl.progress import IndicatorProgress
from workplan_xl.word_report import (
    DEFAULT_TEMPLATE,
    NEXT_STEPS,
    build_default_template,
    pick_notes,
    report_figures,
    report_title,
    summary_heading,
    write_report,
)
from workplan_xl.word_report.compose import counts_sentence, indicator_sentence, trim_note

DAY = date(2024, 12, 5)


@pytest.fixture(scope="module")
def progress():
    return sample_progress()


@pytest.fixture(scope="module")
def report(progress, tmp_path_factory) -> Path:
    return write_report(progress, tmp_path_factory.mktemp("report") / "2024年工作总结.docx", day=DAY)


def _texts(path: Path) -> list[str]:
    return list(gongwen.texts(docx.Document(str(path))))


# -- wording ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("title", "issuer", "year", "expected"), [
    ("城东县教育督导室2024年工作要点", "", 2024, "城东县教育督导室2024年工作总结"),
    ("城东县教育局2024年工作计划要点", "", 2024, "城东县教育局2024年工作总结"),
    ("城东县教育局2024年度工作计划", "", 2024, "城东县教育局2024年度工作总结"),
    ("关于印发《城东县教育局2024年工作要点》的通知", "城东县教育局", 2024, "城东县教育局2024年工作总结"),
    ("城东县教育督导室工作要点", "", 2024, "城东县教育督导室2024年工作总结"),
    ("教育督导重点任务清单", "城东县教育督导室", 2024, "城东县教育督导室2024年工作总结"),
    ("2024年工作要点", "城东县教育局", 2024, "城东县教育局2024年工作总结"),
])
def test_report_title(title: str, issuer: str, year: int, expected: str) -> None:
    assert report_title(Plan(title=title, issuer=issuer, year=year)) == expected


def test_report_title_of_a_notice_with_a_summary_and_a_plan() -> None:
    plan = Plan(title="2023年工作总结 2024年工作要点", issuer="城东县教育督导室", year=2024,
                parts=[Part("summary", "2023年工作总结", 2023), Part("plan", "2024年工作要点", 2024)])
    assert report_title(plan) == "城东县教育督导室2024年工作总结"


def test_seed_plans_give_clean_headings(seeds_dir: Path) -> None:
    """Real plans (read from ../shared/seeds): a report for each, every heading the plan's own words or
    a tail of them (nothing garbled), the title a 工作总结 of the plan's year."""
    from workplan_xl.plan import Unit
    from workplan_xl.plan_document import read_plan
    from workplan_xl.progress import UnitReport, compute_progress
    from workplan_xl.word_report.compose import tracked_sections
    from workplan_xl.word_report.summary import compose_report

    for path in sorted(seeds_dir.glob("*.txt")):
        plan = read_plan(path)
        plan.units = [Unit("01", "单位一")]
        progress = compute_progress(plan, [], [UnitReport(plan.units[0])], [], "")
        content = compose_report(progress, DAY)
        year = plan.plan_part().year or plan.year
        assert f"{year}年" in content.title and content.title.endswith("工作总结"), path.name
        assert content.title.count("工作总结") == 1 and content.title.count("年") == 1, path.name
        for section, tps in tracked_sections(progress):
            for title in [section.title] + [tp.task.title for tp in tps]:
                heading = summary_heading(title)
                assert heading and title.rstrip("。；;.，,").endswith(heading), (path.name, title, heading)
        h1 = [b.runs[0].text for b in content.body if isinstance(b, gongwen.Para) and b.role == "h1"]
        assert len(h1) == len(tracked_sections(progress)) + 2, path.name


@pytest.mark.parametrize(("heading", "expected"), [
    ("深入推进依法治校", "依法治校"),
    ("加强督学队伍建设", "督学队伍建设"),
    ("扎实做好校园安全工作", "校园安全工作"),
    ("深化教育督导体制机制改革", "教育督导体制机制改革"),
    ("持续提升办学质量", "持续提升办学质量"),  # 提升 is not a plain "carry out" verb: keep
    ("加强自身建设，保障高效运转", "加强自身建设，保障高效运转"),  # compound: keep
    ("推进改革", "推进改革"),  # too short a remainder
    ("加强和改进督导工作", "加强和改进督导工作"),  # would start with 和
    ("推进落实减负措施", "推进落实减负措施"),  # verb after verb
    ("总体要求。", "总体要求"),
])
def test_summary_heading(heading: str, expected: str) -> None:
    assert summary_heading(heading) == expected


def test_counts_and_indicator_sentences_read_as_specified(progress) -> None:
    tp = progress.tasks[0]
    tp = type(tp)(tp.task, tp.section, tp.expected * 4, {"未启动": 1, "推进中": 3, "已完成": 6, "不适用": 0},
                  [], [], "推进中")
    assert counts_sentence(tp) == "应报12个单位，已报10个，其中已完成6个、推进中3个、未启动1个"
    ind = Indicator("I9", "覆盖率达到95%左右", "普惠性幼儿园覆盖率", "~", 95.0, "%")
    assert indicator_sentence(IndicatorProgress(ind, [], [], 96.2, 101.3, True)) == \
        "普惠性幼儿园覆盖率目标95%左右，实际96.2%，已达成"
    count = Indicator("I8", "新建幼儿园3所", "新建幼儿园", ">=", 3.0, "所")
    assert indicator_sentence(IndicatorProgress(count, [], [], 2.0, 66.7, False)) == \
        "新建幼儿园目标不少于3所，实际2所，未达成（完成率66.7%）"
    assert indicator_sentence(IndicatorProgress(count, [], [], None, None, None)) == "新建幼儿园目标不少于3所，暂无填报数据"


def test_trim_and_pick_notes() -> None:
    assert trim_note("完成自评。整改问题5项。另有说明若干条，详见附件材料，此处不再赘述，敬请谅解。") == "完成自评。整改问题5项"
    notes = [("甲校", "无"), ("乙校", "已完成"), ("丙校", "正在推进相关工作，尚未启动实地督导。"),
             ("丁校", "开展专项督导3次，发现问题12个，已整改10个。"),
             ("戊校", "开展专项督导3次，发现问题12个，已整改10个"),
             ("己校", "开展专项督导 3 次，发现问题 12 个，已整改 9 个。"),
             ("庚校", "组织全体教师参加培训，覆盖率100%。"), ("辛校", "按计划推进各项工作。")]
    picked = pick_notes(notes)
    assert picked[0] == ("开展专项督导3次，发现问题12个，已整改10个", ["丁校", "戊校", "己校"])
    assert picked[1][0] == "组织全体教师参加培训，覆盖率100%"
    assert len(picked) == 3 and all("尚未" not in note for note, _ in picked)
    assert all(note not in ("无", "已完成") for note, _ in picked)


# -- the document ----------------------------------------------------------------------------------------
def test_report_follows_the_plan_and_the_returns(report: Path, progress) -> None:
    texts = _texts(report)
    assert texts[0] == "城东县教育督导室2024年工作总结"
    headings = [t for t in texts if re.match(r"^[一二三四五六七八九十]+、", t)]
    assert headings == ["一、教育督导体制机制改革", "二、学前教育普惠发展", "三、督导结果运用", "四、存在的问题",
                        "五、下一步工作打算"]
    task_lines = [t for t in texts[:texts.index("四、存在的问题")] if t.startswith("（")]
    assert len(task_lines) == 8 and "围绕教育督导体制机制改革，重点抓了以下两项工作。" in texts
    # figures with the same wording are added up across units and say how many units they stand for
    assert task_lines[0].startswith("（一）完善督学责任区制度。城东县第一中学、城东县第二中学共按学段划分督学责任区6个、配备专职督学12名")
    # near-identical sentences are one, attributed to both schools
    assert "3月20日完成调整（城东县第一中学、城东县第二中学）" in task_lines[0]
    assert "城东县实验小学、城东县第一中学共整改问题13项" in task_lines[1]  # 8 (主要成效) + 5 (进展情况)
    assert "普惠性幼儿园覆盖率目标95%左右，实际96.2%，完成率101.3%，已达成（应报3个单位、已报2个，为部分数据）" in task_lines[2]
    # a unit repeating a figure in 进展情况 and 主要成效 counts once (16 场, not 20)
    assert "组织教研活动16场" in task_lines[3] and "20场" not in task_lines[3]
    problems = texts[texts.index("四、存在的问题") + 1: texts.index("五、下一步工作打算")]
    assert [p[:3] for p in problems] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert problems[0].startswith("（一）各单位反映的困难和问题。在教育督导体制机制改革方面，一是部分督学专业能力不足"
                                  "（城东县第一中学、城东县实验小学）。")
    assert "保教人员流动性大（城东县第一幼儿园）" in problems[0]
    assert "城东县北街小学、城东县机关幼儿园" in problems[3]
    steps = texts[texts.index("五、下一步工作打算") + 1: texts.index("附表：1.指标完成情况表") - 1]
    assert "下半年迎接实地督导（城东县第一中学）" in steps[0] and "组织督学参加专题培训（城东县实验小学）" in steps[0]
    assert "暑期完成剩余隐患整改（城东县第二中学）" in steps[2] and NEXT_STEPS not in texts
    body = [t for t in texts[1:texts.index("附表：1.指标完成情况表")] if t]
    said = [s for t in body for s in re.split(r"[。；]", re.sub(r"^（.）", "", t)) if len(s) > 6]
    assert len(said) == len(set(said)), [s for s in said if said.count(s) > 1]
    assert "城东县人民政府教育督导室" in texts and "2024年12月5日" in texts


def test_opening_figures_trace_to_progress(report: Path, progress) -> None:
    figures = report_figures(progress)
    # recompute independently from the Progress
    assert figures["tasks"] == len(progress.tasks) == 8
    assert figures["tasks_done"] == sum(tp.status == "已完成" for tp in progress.tasks) == 2
    assert figures["units_reported"] == sum(u.state in ("已报", "部分填报") for u in progress.units) == 9
    assert figures["indicators_reached"] == sum(ip.reached is True for ip in progress.indicators) == 2
    opening = _texts(report)[1]
    numbers = [int(n) for n in re.findall(r"(\d+)(?:个|项)", opening)]
    assert numbers == [figures["sections"], figures["tasks"], figures["tasks"], figures["tasks_done"],
                       figures["tasks_ongoing"], figures["tasks_not_started"], figures["units"],
                       figures["units_reported"], figures["units_with_problems"], figures["units_missing"],
                       figures["indicators"], figures["indicators_reached"],
                       figures["indicators_not_reached"]]
    for tp in progress.tasks:
        row = figures["task"][tp.task.id]
        assert row["reported"] == sum(tp.counts.values()) and row["expected"] == len(tp.expected)


def test_every_run_names_its_east_asian_font_and_page_is_gbt9704(report: Path) -> None:
    doc = docx.Document(str(report))
    runs = list(doc.element.body.iter(qn("w:r")))
    assert len(runs) > 50
    for r in runs:
        fonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) and fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii"))
    margins = doc.sections[0]._sectPr.find(qn("w:pgMar"))
    assert [margins.get(qn(f"w:{k}")) for k in ("top", "bottom", "left", "right")] == ["2098", "1984", "1587", "1474"]
    marked = [r for r in runs if r.find(qn("w:rPr")).find(qn("w:highlight")) is not None]
    assert marked == []  # no placeholder: 下一步工作打算 is written from the returns
    first = doc.paragraphs[0]
    assert first.style.name == "公文标题" and first.runs[0].font.size.pt == 22
    # headings navigate in Word (outline level 1 = w:val 0) and keep 黑体
    outlined = [p for p in doc.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:outlineLvl")) is not None]
    assert [p.text for p in outlined][:2] == ["一、教育督导体制机制改革", "二、学前教育普惠发展"] and len(outlined) == 5
    assert {p._p.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) for p in outlined} == {"0"}
    assert {p.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for p in outlined} == {"黑体"}


def test_appendix_tables(report: Path) -> None:
    doc = docx.Document(str(report))
    indicators, tasks, units = doc.tables
    assert [c.text for c in tasks.rows[0].cells] == ["序号", "重点任务", "应报", "已报", "已完成", "推进中", "未启动"]
    assert [c.text for c in tasks.rows[1].cells] == ["1", "完善督学责任区制度", "3", "3", "3", "0", "0"]
    assert [c.text for c in indicators.rows[0].cells] == ["序号", "指标", "目标", "实际", "完成率", "状态"]
    assert [c.text for c in indicators.rows[1].cells] == ["1", "普惠性幼儿园覆盖率", "95%左右", "96.2%", "101.3%", "已达成"]
    assert [c.text for c in indicators.rows[2].cells][2:] == ["≥3所", "2所", "66.7%", "未达成"]
    assert len(indicators.rows) == 6 and len(units.rows) == 13
    assert [c.text for c in units.rows[8].cells] == ["8", "城东县北街小学", "未报", "—"]
    assert [c.text for c in units.rows[1].cells][3] == "2024-11-02 09:01"
    for table in (indicators, units):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    texts = _texts(report)
    assert texts.index("附表1") > texts.index("2024年12月5日") and "附表：1.指标完成情况表" in texts
    assert texts[texts.index("附表：1.指标完成情况表") + 1:][:2] == ["2.任务推进情况表", "3.报送情况表"]


# -- templates ----------------------------------------------------------------------------------------------
def test_shipped_template_is_the_generated_one(tmp_path: Path) -> None:
    fresh = build_default_template(tmp_path / "report.docx")
    with zipfile.ZipFile(fresh) as a, zipfile.ZipFile(DEFAULT_TEMPLATE) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml"):
            assert a.read(name) == b.read(name), f"{name}: run python -m workplan_xl.word_report"
        assert "Theme=" not in b.read("word/styles.xml").decode("utf-8")


def _letterhead(path: Path, split: bool = True, fields: tuple[str, ...] = ("标题", "正文")) -> Path:
    """A user's own template: red issuer line, other margins, placeholders split across runs."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(30), Mm(25)
    head = doc.add_paragraph()
    run = head.add_run("城东县人民政府教育督导室文件")
    run.font.color.rgb = RGBColor(0xCC, 0, 0)
    if "标题" in fields:
        p = doc.add_paragraph()
        if split:  # as Word stores it after a spell check: {{标 + 题}}
            p.add_run("{{标")
            p.add_run("题}}").bold = True
        else:
            p.add_run("{{标题}}")
    doc.add_paragraph("报送年度：{{ 年度 }}年")
    if "正文" in fields:
        doc.add_paragraph("{{正文}}")
    doc.add_paragraph("{{单位}}")
    p = doc.add_paragraph()
    p.add_run("{{日")
    p.add_run("期}}")
    doc.add_paragraph("抄送：县教育局。")
    doc.save(str(path))
    return path


def test_user_template_is_honoured(progress, tmp_path: Path) -> None:
    template = _letterhead(tmp_path / "红头.docx")
    out = write_report(progress, tmp_path / "总结.docx", template=template, day=DAY)
    doc = docx.Document(str(out))
    texts = _texts(out)
    assert texts[0] == "城东县人民政府教育督导室文件"
    assert texts[1] == "城东县教育督导室2024年工作总结"
    assert doc.paragraphs[1].runs[0].text == "城东县教育督导室2024年工作总结"  # in the run where {{ began
    assert "报送年度：2024年" in texts
    assert texts[3].startswith("2024年，我们对照")  # the body stands where {{正文}} was
    date_at = texts.index("2024年12月5日")
    assert texts[date_at - 1] == "城东县人民政府教育督导室"
    assert texts[date_at + 1] == "附表1"  # attachments after the template's own 落款 …
    assert texts[-1] == "抄送：县教育局。"  # … and before its 版记
    assert texts.count("2024年12月5日") == 1  # no second, generated 落款
    assert not any("{{" in t for t in texts)
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 30 and round(section.left_margin.mm) == 25
    assert gongwen.has_footers(doc)  # page numbers added to a template without footers
    assert doc.styles["公文正文"] is not None


def test_example_letterhead_in_templates_folder(progress, tmp_path: Path) -> None:
    template = Path(__file__).resolve().parent.parent / "templates" / "letterhead_report.docx"
    texts = _texts(write_report(progress, tmp_path / "红头.docx", template=template, day=DAY))
    assert texts[:4] == ["城东县人民政府教育督导室", "", "城东县教育督导室2024年工作总结", texts[3]]
    assert texts[3].startswith("2024年，我们对照")
    assert texts[-2:] == ["抄送：县教育局，各中小学校、幼儿园。", "城东县人民政府教育督导室办公室　　　　2024年12月5日印发"]
    assert texts.index("附表1") > texts.index("2024年12月5日") and texts.count("2024年12月5日") == 1


@pytest.mark.parametrize(("fields", "missing"), [((), "{{正文}}、{{标题}}"), (("标题",), "{{正文}}"),
                                                 (("正文",), "{{标题}}")])
def test_template_missing_placeholders(progress, tmp_path: Path, fields: tuple[str, ...], missing: str) -> None:
    template = _letterhead(tmp_path / "x.docx", fields=fields)
    with pytest.raises(TemplateFieldError) as error:
        write_report(progress, tmp_path / "out.docx", template=template, day=DAY)
    assert str(error.value) == f"模板「x.docx」缺少占位符：{missing}。请在模板中加入后再试。"
    assert not (tmp_path / "out.docx").exists()


def test_template_that_is_not_a_docx(progress, tmp_path: Path) -> None:
    bad = tmp_path / "旧模板.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 not a docx")
    with pytest.raises(InputFileError) as error:
        write_report(progress, tmp_path / "out.docx", template=bad, day=DAY)
    assert str(error.value).startswith("模板「旧模板.doc」无法打开：")


def test_existing_report_is_backed_up(progress, tmp_path: Path) -> None:
    path = tmp_path / "2024年工作总结.docx"
    path.write_bytes(b"officer's edits")
    moved: list[Path] = []
    write_report(progress, path, day=DAY, moved=moved)
    [backup] = (tmp_path / "备份").iterdir()
    assert moved == [backup] and backup.read_bytes() == b"officer's edits"
    assert _texts(path)[0] == "城东县教育督导室2024年工作总结"


def test_plan_without_indicators_or_issuer(tmp_path: Path) -> None:
    plan = sample_plan()
    plan.issuer = ""
    for task in plan.tasks():
        task.indicators = []
    out = write_report(sample_progress(plan), tmp_path / "r.docx", day=DAY)
    doc = docx.Document(str(out))
    assert len(doc.tables) == 2 and "附表：1.任务推进情况表" in _texts(out)


@pytest.mark.libreoffice
def test_libreoffice_shows_a_gongwen(report: Path, soffice: str, tmp_path: Path) -> None:
    import subprocess

    import pdfplumber

    [pdf] = lo_batch(soffice, [report], tmp_path)
    with pdfplumber.open(pdf) as document:
        assert 4 <= len(document.pages) <= 8
        first = document.pages[0]
        assert (round(first.width), round(first.height)) == (595, 842)
        text = first.extract_text().replace(" ", "")
        assert "城东县教育督导室2024年工作总结" in text and "—1—" in text
        title = [c for c in first.chars if c["text"] == "城"][0]
        assert round(title["size"]) == 22
        body = [c for c in first.chars if c["text"] == "我"][0]
        assert round(body["size"]) == 16
        assert "—2—" in document.pages[1].extract_text().replace(" ", "")
        # 附表: every number stays on one line (a wrapped 101.3% would come out as two words)
        words = [w for page in document.pages for w in page.extract_words()]
        assert {"101.3%", "96.2%", "85.43%", "66.7%"} <= {w["text"] for w in words}
        stamps = [w for w in words if w["text"] == "2024-11-02"]
        assert stamps and any(abs(w["top"] - stamps[0]["top"]) < 2 for w in words if w["text"] == "09:01")
        headings = [w for w in words if w["text"] in ("已完成", "推进中", "未启动") and w["x0"] > 300]
        assert len(headings) >= 3  # the 任务推进情况表 header, each on one line
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "page1")], check=True)
    assert (tmp_path / "page1.png").stat().st_size > 5000
