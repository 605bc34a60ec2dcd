"""gongwen: GB/T 9704 page, fonts, numbering, page numbers, blocks, saving."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from report_data import lo_batch

from workplan_xl import gongwen
from workplan_xl.errors import OutputError
from workplan_xl.gongwen import Para, Table, Text, para


def _rfonts(element) -> dict[str, str]:
    rfonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in rfonts.attrib.items()}


@pytest.mark.parametrize(("name", "size", "bold"), [
    ("仿宋_GB2312", 16, False), ("黑体", 16, False), ("楷体_GB2312", 16, False), ("方正小标宋简体", 22, False),
    ("宋体", 14, True), ("仿宋_GB2312", 12, True),
])
def test_set_run_font_sets_all_four_slots(name: str, size: float, bold: bool) -> None:
    doc = docx.Document()
    run = doc.add_paragraph().add_run("“督导”——检查……")
    run.font.name = "Calibri"  # python-docx sets ascii/hAnsi only; the helper must take over
    run._r.rPr.rFonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")
    gongwen.set_run_font(run, name, size, bold=bold)
    fonts = _rfonts(run._r)
    assert {fonts[k] for k in ("ascii", "hAnsi", "eastAsia", "cs")} == {name}
    assert fonts["hint"] == "eastAsia" and "eastAsiaTheme" not in fonts
    rpr = run._r.rPr
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == str(size * 2)
    assert rpr.find(qn("w:szCs")).get(qn("w:val")) == str(size * 2)
    assert bool(run.font.bold) is bold


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (31, "三十一"),
                                         (99, "九十九"), (100, "100")])
def test_cn_number(n: int, text: str) -> None:
    assert gongwen.cn_number(n) == text


@pytest.mark.parametrize(("level", "n", "text"), [(1, 3, "三、"), (2, 11, "（十一）"), (3, 2, "2."), (4, 5, "（5）")])
def test_heading_number(level: int, n: int, text: str) -> None:
    assert gongwen.heading_number(level, n) == text


@pytest.mark.parametrize(("value", "text"), [(96.0, "96"), (96.2, "96.2"), (95.126, "95.13"), (1200.0, "1200"),
                                             (0.5, "0.5"), (None, ""), (-0.0, "0"), (3, "3")])
def test_format_number(value: float | None, text: str) -> None:
    assert gongwen.format_number(value) == text


def test_format_date_has_no_zero_padding() -> None:
    assert gongwen.format_date(date(2024, 12, 5)) == "2024年12月5日"
    assert gongwen.format_date(date(2025, 1, 9)) == "2025年1月9日"


def test_page_arithmetic_gives_22_lines_of_28_characters() -> None:
    assert abs(gongwen.TEXT_W / 56.6929 - 156) < 0.2  # text block width in mm
    text_h = gongwen.PAGE_H - gongwen.MARGIN_TOP - gongwen.MARGIN_BOTTOM
    assert abs(text_h / 56.6929 - 225) < 0.2
    assert gongwen.LINE_PITCH == 579 and gongwen.LINE_PITCH * 22 <= text_h < gongwen.LINE_PITCH * 23
    advance = (16 * 20 + gongwen.page.CONDENSE)  # twips per 3号 character after condensing
    assert 28 * advance <= gongwen.TEXT_W < 29 * advance


def test_new_document_page_grid_footers_and_no_theme_fonts(tmp_path: Path) -> None:
    path = gongwen.save_document(gongwen.new_document(), tmp_path / "空白.docx")
    doc = docx.Document(str(path))
    sect = doc.sections[0]._sectPr
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
    assert {k: margins.get(qn(f"w:{k}")) for k in ("top", "bottom", "left", "right")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}
    grid = sect.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and grid.get(qn("w:linePitch")) == "579"
    assert int(grid.get(qn("w:charSpace"))) < 0  # 28 characters of 3号 need a pitch below 16 pt
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = doc.sections[0].footer._element, doc.sections[0].even_page_footer._element
    for footer, side in ((odd, "right"), (even, "left")):
        p = footer.find(qn("w:p"))
        assert p.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == side
        assert p.find(qn("w:pPr")).find(qn("w:ind")).get(qn(f"w:{side}Chars")) == "100"
        assert "".join(t.text for t in p.iter(qn("w:t"))) == "— 1 —"
        assert "PAGE" in "".join(t.text for t in p.iter(qn("w:instrText")))
        for r in p.iter(qn("w:r")):
            assert _rfonts(r)["eastAsia"] == "宋体" and r.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")) == "28"
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
        names = z.namelist()
    assert "Theme=" not in styles and "cstheme" not in styles
    assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


@pytest.mark.parametrize(("role", "font", "size"), [("title", "方正小标宋简体", 22), ("body", "仿宋_GB2312", 16),
                                                    ("h1", "黑体", 16), ("h2", "楷体_GB2312", 16), ("h3", "仿宋_GB2312", 16),
                                                    ("h4", "仿宋_GB2312", 16), ("table", "仿宋_GB2312", 12)])
def test_role_styles(role: str, font: str, size: int) -> None:
    doc = gongwen.new_document()
    style_id, got_font, got_size, _ = gongwen.role_look(doc, role)
    assert (got_font, got_size) == (font, size)
    style = next(s for s in doc.styles.element.findall(qn("w:style")) if s.get(qn("w:styleId")) == style_id)
    ppr = style.find(qn("w:pPr"))
    if role in ("body", "h1", "h2", "h3", "h4"):
        assert ppr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
        spacing = ppr.find(qn("w:spacing"))
        assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
    if role == "title":
        assert ppr.find(qn("w:jc")).get(qn("w:val")) == "center"
    if role == "table":
        assert ppr.find(qn("w:spacing")).get(qn("w:line")) == "240"


def test_user_styles_win_over_defaults() -> None:
    doc = docx.Document()
    style = doc.styles.add_style("公文正文", 1)
    gongwen.set_rfonts(style.element.get_or_add_rPr(), "仿宋")
    gongwen.ensure_styles(doc)
    assert gongwen.role_look(doc, "body")[1] == "仿宋"
    assert sum(1 for s in doc.styles.element.findall(qn("w:style"))
               if s.find(qn("w:name")).get(qn("w:val")) == "公文正文") == 1


def test_write_blocks_runs_tables_and_marks() -> None:
    doc = gongwen.new_document()
    rows = [[str(i), f"单位{i}", "已报", "2024-11-01"] for i in range(1, 501)]
    gongwen.write_blocks(doc, [
        para("title", "关于“双减”——督导……的通报"),
        para("body", Text("（一）任务。", role="h2"), "正文“引号”——破折号……省略号"),
        para("body", Text("【请补充】", mark=True)),
        Table(["序号", "单位", "状态", "报送时间"], rows, [10, 76, 26, 44]),
    ])
    body = doc.element.body
    for r in body.iter(qn("w:r")):
        fonts = _rfonts(r)
        assert fonts["eastAsia"] == fonts["ascii"] == fonts["hAnsi"] == fonts["cs"]
    second = body.findall(qn("w:p"))[1]
    assert [_rfonts(r)["eastAsia"] for r in second.findall(qn("w:r"))] == ["楷体_GB2312", "仿宋_GB2312"]
    mark = body.findall(qn("w:p"))[2].find(qn("w:r")).find(qn("w:rPr")).find(qn("w:highlight"))
    assert mark.get(qn("w:val")) == "yellow"
    table = doc.tables[0]
    assert len(table.rows) == 501 and len(table.columns) == 4
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert sum(int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))) == pytest.approx(
        gongwen.TEXT_W, abs=3)
    assert table._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:insideH")).get(qn("w:val")) == "single"
    assert table.rows[500].cells[1].text == "单位500"


@pytest.mark.parametrize(("issuer", "when"), [("城东县人民政府教育督导室", date(2024, 12, 5)), ("督导室", date(2024, 12, 25)),
                                              ("", date(2024, 1, 1))])
def test_signature_follows_gbt9704(issuer: str, when: date) -> None:
    """7.3.5.1: the date right-aligned four characters from the right, the issuer centred over it; the
    three lines kept on one page and with the text before them."""
    blocks = gongwen.signature(issuer, when)
    assert blocks[0].runs[0].text == "" and blocks[0].keep_next and blocks[0].keep_with_previous
    date_block = blocks[-1]
    assert date_block.runs[0].text == gongwen.format_date(when) and " " not in date_block.runs[0].text
    assert date_block.align == "right" and date_block.keep_lines
    date_width = len(date_block.runs[0].text) - sum(c.isdigit() for c in date_block.runs[0].text) / 2
    if issuer:
        name = blocks[1]
        assert name.align == "right" and name.keep_next and name.keep_lines
        centre = date_block.right_chars + date_width / 2
        assert name.right_chars + len(issuer) / 2 == pytest.approx(centre)
        assert name.right_chars >= 2
        if len(issuer) <= date_width + 4:
            assert date_block.right_chars == 4
    else:
        assert date_block.right_chars == 4 and len(blocks) == 2


def test_signature_xml_keeps_the_lines_together(tmp_path: Path) -> None:
    doc = gongwen.new_document()
    gongwen.write_blocks(doc, [para("body", "最后一段正文。"), *gongwen.signature("城东县教育督导室", date(2025, 12, 20))])
    body, blank, name, when = doc.element.body.findall(qn("w:p"))
    for p in (body, blank, name):
        assert p.pPr.find(qn("w:keepNext")) is not None
    assert when.pPr.find(qn("w:keepLines")) is not None and when.pPr.find(qn("w:keepNext")) is None
    ind = when.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:rightChars")) == "400" and when.pPr.find(qn("w:jc")).get(qn("w:val")) == "right"
    assert docx.Document(str(gongwen.save_document(doc, tmp_path / "落款.docx", title="t"))).paragraphs[-1].text \
        == "2025年12月20日"


@pytest.mark.parametrize(("title", "expected"), [
    ("城东县教育督导室2024年工作总结", "城东县教育督导室2024年工作总结"),
    ("关于城东县教育督导室2024年工作要点推进情况的通报", "关于城东县教育督导室2024年工作要点\n推进情况的通报"),
    ("某某市某某区教育和体育局2024年教育督导工作总结", "某某市某某区教育和体育局\n2024年教育督导工作总结"),
])
def test_break_title(title: str, expected: str) -> None:
    assert gongwen.break_title(title) == expected


def test_save_is_reproducible_and_backs_up(tmp_path: Path) -> None:
    def build() -> docx.document.Document:
        doc = gongwen.new_document()
        gongwen.write_blocks(doc, [para("body", "同样的输入")])
        return doc

    first = gongwen.save_document(build(), tmp_path / "一.docx", day=date(2024, 12, 5), title="t")
    second = gongwen.save_document(build(), tmp_path / "二.docx", day=date(2024, 12, 5), title="t")
    assert first.read_bytes() == second.read_bytes()
    moved: list[Path] = []
    again = gongwen.save_document(build(), tmp_path / "一.docx", day=date(2024, 12, 5), title="t", moved=moved)
    assert again == first and moved == [] and not (tmp_path / "备份").exists()  # same bytes: nothing to keep
    gongwen.save_document(build(), tmp_path / "一.docx", moved=moved)
    [backup] = moved
    assert backup.parent == tmp_path / "备份" and backup.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["一.docx", "二.docx", "备份"]


def test_save_into_missing_folder_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as error:
        gongwen.save_document(gongwen.new_document(), tmp_path / "没有" / "a.docx")
    assert str(error.value) == f"文件夹「{tmp_path / '没有'}」不存在：请先创建它，或用 -o 换一个保存位置。"


@pytest.mark.libreoffice
def test_libreoffice_renders_22_lines_of_28_characters(soffice: str, tmp_path: Path) -> None:
    import pdfplumber

    doc = gongwen.new_document()
    gongwen.write_blocks(doc, [para("title", "版式检查")] + [
        Para("plain", [Text("甲乙丙丁戊己庚辛壬癸" * 14)]) for _ in range(12)])
    path = gongwen.save_document(doc, tmp_path / "grid.docx")
    [pdf] = lo_batch(soffice, [path], tmp_path / "pdf")
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == 3
        page = document.pages[1]
        assert (round(page.width), round(page.height)) == (595, 842)
        lines = [line.replace(" ", "") for line in page.extract_text().splitlines()]
        body = [line for line in lines if "甲" in line or "癸" in line]
        assert len(body) == 22 and all(len(line) == 28 for line in body)
        assert lines[-1] == "—2—"
        # the text block starts 37 mm from the top and 28 mm from the left
        top = min(c["top"] for c in page.chars if c["text"] in "甲乙丙丁戊己庚辛壬癸")
        left = min(c["x0"] for c in page.chars if c["text"] in "甲乙丙丁戊己庚辛壬癸")
        assert abs(left - 28 / 25.4 * 72) < 2 and abs(top - 37 / 25.4 * 72) < 8
        footer = [c for c in page.chars if c["text"] == "2"]
        assert footer and footer[0]["x0"] < 300  # page 2 is even: number on the left


def test_signature_after_a_table_keeps_the_last_row_with_it() -> None:
    doc = gongwen.new_document()
    gongwen.write_blocks(doc, [Table([], [["编号", "督办〔2025〕第1号"], ["反馈时限", "2025年12月27日前"]], [28, 128]),
                               *gongwen.signature("城东县教育督导室", date(2025, 12, 20))])
    rows = doc.element.body.find(qn("w:tbl")).findall(qn("w:tr"))
    assert all(p.pPr.find(qn("w:keepNext")) is not None for p in rows[-1].iter(qn("w:p")))
    assert all(p.pPr.find(qn("w:keepNext")) is None for p in rows[0].iter(qn("w:p")))
