"""Readers of plan documents: sniffing, text encodings, .docx list numbering, PDF, HTML, errors."""

from __future__ import annotations

import random
import subprocess
import warnings
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from workplan_xl.errors import InputFileError
from workplan_xl.plan_document.readers import Block, ReaderWarning, is_page_number, read_blocks, sniff
from workplan_xl.plan_document.readers.word_numbering import chinese_counting, format_number

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# Our own wording (never the seeds'): a small district plan.
PLAN_LINES = [
    "某某区教育局2031年工作要点",
    "",
    "一、加强课后服务管理",
    "（一）完善课后服务制度。全区中小学课后服务覆盖率达到100%。",
    "",
    "— 2 —",
    "",
    "（二）开展专项督导检查，6月底前完成。",
    "二、推进校园安全建设",
]


def texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if b.kind == "p"]


# ----------------------------------------------------------------------------------------- text

@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_encodings_are_detected(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "要点.txt"
    path.write_bytes("\r\n".join(PLAN_LINES).encode(codec) + b"\r\n"[: 2 if codec != "utf-16" else 0])
    blocks = read_blocks(path)
    assert sniff(path) == "text"
    # blank lines stay as Block("p", ""), the running page number goes
    assert texts(blocks) == [line for line in PLAN_LINES if line != "— 2 —"]
    assert all(b.page is None for b in blocks)


def test_text_encoding_override_and_unknown_name(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes("一、督导评估\n（一）学校自评".encode("gb18030"))
    assert texts(read_blocks(path, encoding="gb18030")) == ["一、督导评估", "（一）学校自评"]
    with pytest.raises(InputFileError) as err:
        read_blocks(path, encoding="gbk-x")
    assert str(err.value) == "不认识的编码「gbk-x」：请改用 utf-8、gb18030 或 utf-16 等编码名。"


def test_utf8_with_a_stray_byte_stays_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(("一、规范办学行为，全面落实课程方案。" * 10).encode() + "二".encode()[:2])
    with pytest.warns(ReaderWarning, match="--encoding"):
        blocks = read_blocks(path)
    assert blocks[0].text.startswith("一、规范办学行为") and blocks[0].text.endswith("\ufffd")


def test_random_bytes_never_crash(tmp_path: Path) -> None:
    rng = random.Random(7)
    binary = tmp_path / "noise.txt"
    binary.write_bytes(bytes(rng.randrange(256) for _ in range(5000)))
    with pytest.raises(InputFileError) as err:
        read_blocks(binary)
    assert str(err.value) == ("「noise.txt」不是可读取的文档（无法识别的二进制文件）："
                              "请给出 Word（.docx）、文字版 PDF、网页（.html）、文本（.txt）或任务分解表（.xlsx）文件。")
    # high bytes without control characters: decoded with replacement characters and a warning
    for seed in range(5):
        rng = random.Random(seed)
        noisy = tmp_path / f"noisy{seed}.txt"
        noisy.write_bytes(bytes(rng.choice(list(range(0x80, 0x100)) + [0x0a, 0x41]) for _ in range(3000)))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            blocks = read_blocks(noisy)
        assert blocks and all(b.kind == "p" for b in blocks)
        assert any(issubclass(w.category, ReaderWarning) for w in caught)


@pytest.mark.parametrize("prefix", [b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body><table><tr><td>", b"\xff\xfe", b"{"])
def test_random_bytes_behind_a_magic_number_never_crash(tmp_path: Path, prefix: bytes) -> None:
    for seed in range(6):
        rng = random.Random(seed)
        path = tmp_path / f"fuzz{seed}.docx"
        path.write_bytes(prefix + bytes(rng.randrange(256 if seed % 2 else 128) for _ in range(2000)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                blocks = read_blocks(path)
            except InputFileError as exc:
                assert str(exc).startswith(f"「{path.name}」")
            else:
                assert all(isinstance(b, Block) for b in blocks)


def test_truncated_docx_says_damaged(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("一、加强督导")
    path = tmp_path / "cut.docx"
    document.save(path)
    path.write_bytes(path.read_bytes()[:4000])
    with pytest.raises(InputFileError) as err:
        read_blocks(path)
    assert str(err.value) == "「cut.docx」已损坏（文件不完整，无法解压），无法读取：请重新下载或在 Word/WPS 中另存后再试。"


def test_markdown_headings_and_pipe_table(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text("# 2031年工作要点\n\n## 一、**队伍建设**\n\n- 一是加强培训\n\n"
                    "| 月份 | 工作 |\n|---|---|\n| 3月 | 开学检查 |\n\n结束语\n", encoding="utf-8")
    blocks = read_blocks(path)
    assert [b.text for b in blocks[:6]] == ["2031年工作要点", "", "一、队伍建设", "", "一是加强培训", ""]
    assert blocks[6] == Block("table", rows=[["月份", "工作"], ["3月", "开学检查"]])
    assert texts(blocks)[-1] == "结束语"


@pytest.mark.parametrize("line,expected", [
    ("— 3 —", True), ("- 12 -", True), ("第3页", True), ("第 3 页 共 9 页", True), ("－3－", True),
    ("3月", False), ("一、3项任务", False), ("第3页的内容如下", False),
])
def test_page_number_lines(line: str, expected: bool) -> None:
    assert is_page_number(line) is expected


# ----------------------------------------------------------------------------------------- docx

def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, style: str | None = None) -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/>{pstyle}<w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>')


def _add_numbering(document: docx.document.Document) -> None:
    """Real Word list numbering: an outline list 一、/（一）/1. (abstractNum 50, instances 50 and 51,
    the second restarting by startOverride) and a ① list linked to a paragraph style (abstractNum 51)."""
    numbering = document.part.numbering_part.element
    outline = parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="50"><w:multiLevelType w:val="multilevel"/>'
                        + _lvl(0, "chineseCounting", "%1、") + _lvl(1, "chineseCounting", "（%2）")
                        + _lvl(2, "decimal", "%3.") + "</w:abstractNum>")
    circled = parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="51">'
                        + _lvl(0, "decimalEnclosedCircle", "%1", style="Measure") + "</w:abstractNum>")
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    first_num.addprevious(outline)
    first_num.addprevious(circled)
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="50"><w:abstractNumId w:val="50"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="51"><w:abstractNumId w:val="50"/>'
                               '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="52"><w:abstractNumId w:val="51"/></w:num>'))
    style = document.styles.add_style("Measure", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.element.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W_NS}><w:numId w:val="52"/></w:numPr>'))


def _numbered(document: docx.document.Document, text: str, num_id: int, ilvl: int) -> None:
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _raw(paragraph_xml: str) -> object:
    return parse_xml(f'<w:p {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                     f"{paragraph_xml}</w:p>")


def make_numbered_docx(path: Path) -> Path:
    document = docx.Document()
    _add_numbering(document)
    document.add_paragraph("某某区教育督导室2031年工作要点")
    _numbered(document, "强化督导队伍建设", 50, 0)
    _numbered(document, "加强督学培训", 50, 1)
    _numbered(document, "每学期组织集中培训两次。", 50, 2)
    _numbered(document, "开展跟岗学习。", 50, 2)
    _numbered(document, "完善考核办法", 50, 1)
    _numbered(document, "修订责任督学考核细则。", 50, 2)
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["月份", "工作内容", "责任科室"], ["3月", "开学检查", "督导室"],
                             ["4月", "专项督导", "督导室"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    _numbered(document, "推进责任督学挂牌督导", 50, 0)
    _numbered(document, "落实经常性督导", 50, 1)
    document.add_paragraph("")
    document.add_paragraph("2032年工作打算")
    _numbered(document, "谋划新一轮评估", 51, 0)  # the same outline, restarted by startOverride
    _numbered(document, "做好迎检准备", 51, 0)
    document.add_paragraph("统筹推进三项措施", style="Measure")
    document.add_paragraph("建立问题台账", style="Measure")
    body = document.element.body
    # a text box, a tracked deletion, a tracked insertion, hidden text and a line break in one paragraph
    body.insert(len(body) - 1, _raw(
        "<w:r><w:t>保留正文</w:t></w:r>"
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r>'
        "<w:t>文本框文字</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        "<w:txbxContent><w:p><w:r><w:t>文本框文字</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
        '<w:del w:id="1" w:author="a"><w:r><w:delText>已删除</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>新插入</w:t></w:r></w:ins>'
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>"
        "<w:r><w:br/><w:t>换行后</w:t></w:r>"))
    document.save(path)
    return path


def test_docx_list_numbering_as_word_shows_it(tmp_path: Path) -> None:
    blocks = read_blocks(make_numbered_docx(tmp_path / "numbered.docx"))
    table_at = next(i for i, b in enumerate(blocks) if b.kind == "table")
    assert [b.text for b in blocks[:table_at]] == [
        "某某区教育督导室2031年工作要点",
        "一、强化督导队伍建设",
        "（一）加强督学培训",
        "1.每学期组织集中培训两次。",
        "2.开展跟岗学习。",
        "（二）完善考核办法",
        "1.修订责任督学考核细则。",  # level 3 restarted by the higher level
    ]
    assert blocks[table_at].rows == [["月份", "工作内容", "责任科室"], ["3月", "开学检查", "督导室"],
                                     ["4月", "专项督导", "督导室"]]
    assert [b.text for b in blocks[table_at + 1:]] == [
        "二、推进责任督学挂牌督导",
        "（一）落实经常性督导",
        "",
        "2032年工作打算",
        "一、谋划新一轮评估",  # a new list instance with startOverride starts again
        "二、做好迎检准备",
        "①统筹推进三项措施",  # numbering that comes from the paragraph style
        "②建立问题台账",
        "保留正文新插入",  # no text box, no deletion, no hidden text; the insertion kept
        "换行后",  # a line break splits the paragraph
    ]


def test_docx_merged_and_nested_cells(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    values = [["事项", "三月", "四月"], ["督导", "检查", "评估"], ["", "复查", "总结"]]
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(0, 1).merge(table.cell(0, 2)).text = "上半年"  # gridSpan
    table.cell(1, 0).merge(table.cell(2, 0))  # vMerge
    inner = table.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "甲", "乙"
    path = tmp_path / "merged.docx"
    document.save(path)
    [block] = read_blocks(path)
    assert block.rows == [["事项", "上半年", ""], ["督导", "检查", "评估"], ["督导", "复查", "总结\n甲 乙"]]


@pytest.mark.parametrize("n,fmt,expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
    (20, "chineseCountingThousand", "二十"), (31, "chineseCountingThousand", "三十一"),
    (3, "ideographTraditional", "丙"), (2, "decimalEnclosedCircle", "②"), (28, "upperLetter", "BB"),
    (3, "lowerLetter", "c"), (14, "upperRoman", "XIV"), (9, "lowerRoman", "ix"), (12, "decimalFullWidth", "１２"),
    (7, "decimal", "7"), (5, "somethingNew", "5"),
])
def test_number_formats(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


def test_chinese_counting_hundreds() -> None:
    assert [chinese_counting(n) for n in (100, 105, 110, 999)] == ["一百", "一百〇五", "一百一十", "九百九十九"]


def test_docx_zip_bomb_and_entities_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<a/>" + b" " * (8 << 20))
    with pytest.raises(InputFileError) as err:
        read_blocks(bomb)
    assert str(err.value) == ("「bomb.docx」解压后过大或压缩比异常（可能是恶意文件），为安全起见不予读取："
                              "请确认文件来源，或在 Word/WPS 中另存后再试。")
    laughs = tmp_path / "laughs.docx"
    with zipfile.ZipFile(laughs, "w") as zf:
        zf.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "哈哈">]>'
                    f'<w:document {W_NS}><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>')
    with pytest.raises(InputFileError) as err:
        read_blocks(laughs)
    assert str(err.value).startswith("「laughs.docx」含有不安全的 XML 内容")


# ----------------------------------------------------------------------------------------- pdf

@pytest.mark.libreoffice
def test_pdf_lines_tables_scans_and_passwords(tmp_path: Path, soffice: str) -> None:
    document = docx.Document()
    document.styles["Normal"].paragraph_format.first_line_indent = docx.shared.Pt(24)
    document.add_paragraph("某某区教育局2031年工作要点")
    body = "围绕课后服务质量提升，统筹安排校内资源，完善监督考核机制，确保各项举措落到实处。"
    for i, heading in enumerate(["一、加强课后服务管理", "二、推进校园安全建设"], 1):
        document.add_paragraph(heading)
        for j in range(1, 5):
            document.add_paragraph(f"{j}.第{i}部分第{j}项措施。" + body * 3)
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate([["月份", "工作内容", "责任科室"], ["3月", "开展春季开学检查，组织校园安全隐患排查", "安全科"],
                             ["4月", "召开督导工作会议", "督导室"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("表后说明文字。")
    document.sections[0].footer.paragraphs[0].text = "— 1 —"
    src = tmp_path / "src"
    src.mkdir()
    document.save(src / "plan.docx")
    scan = docx.Document()
    scan.add_picture(str(_png(tmp_path / "page.png")))
    scan.save(src / "scan.docx")
    mixed = docx.Document()
    mixed.add_paragraph("一、加强课后服务管理，全区中小学课后服务覆盖率达到100%。")
    mixed.add_page_break()
    mixed.add_picture(str(tmp_path / "page.png"))
    mixed.save(src / "mixed.docx")
    out = tmp_path / "pdf"
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    subprocess.run([soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    *(str(src / f"{n}.docx") for n in ("plan", "scan", "mixed"))], check=True, capture_output=True, timeout=180)
    password = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                '"DocumentOpenPassword":{"type":"string","value":"abc"}}')
    subprocess.run([soffice, profile, "--headless", "--convert-to", password, "--outdir", str(tmp_path / "locked"),
                    str(src / "plan.docx")], check=True, capture_output=True, timeout=180)

    pdf = out / "plan.pdf"
    assert sniff(pdf) == "pdf"
    blocks = read_blocks(pdf)
    lines = texts(blocks)
    assert lines[0] == "某某区教育局2031年工作要点"
    assert "一、加强课后服务管理" in lines and "二、推进校园安全建设" in lines
    assert not any(is_page_number(line) for line in lines)  # "— 1 —" footers removed
    assert {b.page for b in blocks} == {1, 2}
    [table_block] = [b for b in blocks if b.kind == "table"]
    assert table_block.rows == [["月份", "工作内容", "责任科室"], ["3月", "开展春季开学检查，组织校园安全隐患排查", "安全科"],
                                ["4月", "召开督导工作会议", "督导室"]]
    assert not any("召开督导工作会议" in line for line in lines)  # table text not repeated as lines
    assert lines[-1] == "表后说明文字。"
    # a blank block before each paragraph's first line, none inside it (also across the page break)
    paragraphs = "".join(line or "\n" for line in lines).split("\n")
    for i in (1, 2):
        for j in range(1, 5):
            assert f"{j}.第{i}部分第{j}项措施。" + body * 3 in paragraphs

    with pytest.raises(InputFileError) as err:
        read_blocks(out / "scan.pdf")
    assert str(err.value) == "「scan.pdf」是扫描件（图片）PDF，没有可读取的文字：请用文字版 PDF、Word 或 .txt 文件。"
    with pytest.warns(ReaderWarning) as caught:
        assert texts(read_blocks(out / "mixed.pdf")) == ["一、加强课后服务管理，全区中小学课后服务覆盖率达到100%。"]
    assert [str(w.message) for w in caught] == [
        "「mixed.pdf」第2页没有文字（可能是扫描图片），已跳过：请核对这些页的内容是否需要手工补录。"]
    with pytest.raises(InputFileError) as err:
        read_blocks(tmp_path / "locked" / "plan.pdf")
    assert str(err.value) == "「plan.pdf」是加密的 PDF（设有打开密码），无法读取：请去掉密码后再试。"


def _png(path: Path) -> Path:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * 120 for _ in range(80))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 120, 80, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


def test_handwritten_pdf_without_text_is_a_scan(tmp_path: Path) -> None:
    content = b"0 0 1 rg 100 100 200 300 re f"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    data, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (i, obj)
    xref = len(data)
    data += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path = tmp_path / "扫描.pdf"
    path.write_bytes(data)
    with pytest.raises(InputFileError) as err:
        read_blocks(path)
    assert str(err.value) == "「扫描.pdf」是扫描件（图片）PDF，没有可读取的文字：请用文字版 PDF、Word 或 .txt 文件。"


# ----------------------------------------------------------------------------------------- html

GOV_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>关于印发工作要点的通知_某某区人民政府</title>
<style>.x { color: red }</style><script>var menu = "首页";</script></head>
<body>
<div class="top-nav"><a href="/">首页</a> <a href="/x">政务公开</a></div>
<nav><ul><li>机构设置</li></ul></nav>
<table width="100%"><tr><td>
  <div class="article">
    <h1>某某区教育局2031年工作要点</h1>
    <p>各中小学：<br>现将工作要点印发给你们。</p>
    <p>一、加强课后
    服务管理</p>
    <p>　　（一）完善制度。覆盖率达到100%。</p>
    <div style="display:none">隐藏的统计代码</div>
    <table border="1">
      <tr><th>月份</th><th>工作内容</th><th>责任科室</th></tr>
      <tr><td rowspan="2">3月</td><td>开学检查</td><td>督导室</td></tr>
      <tr><td>安全排查</td><td>安全科</td></tr>
      <tr><td colspan="2">全年</td><td>各科室</td></tr>
    </table>
    <p>二、推进校园安全建设&nbsp;&nbsp;</p>
    <ul><li>一是完善预案<li>二是开展演练</ul>
  </div>
</td></tr></table>
<div id="footer">版权所有：某某区人民政府 备案号</div>
<script>document.write("统计")</script>
</body></html>
"""


def test_html_gbk_government_page(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(GOV_PAGE.replace("堃", "").encode("gbk"))
    assert sniff(path) == "html"
    blocks = read_blocks(path)
    assert [b.text if b.kind == "p" else b.rows for b in blocks] == [
        "某某区教育局2031年工作要点",
        "各中小学：",
        "现将工作要点印发给你们。",
        "一、加强课后服务管理",  # a source line break between Chinese characters is not a space
        "（一）完善制度。覆盖率达到100%。",
        [["月份", "工作内容", "责任科室"], ["3月", "开学检查", "督导室"], ["3月", "安全排查", "安全科"],
         ["全年", "", "各科室"]],
        "二、推进校园安全建设",
        "一是完善预案",
        "二是开展演练",
    ]


def test_html_declared_gb2312_with_gbk_characters(tmp_path: Path) -> None:
    path = tmp_path / "old.html"
    page = '<html><head><meta charset="gb2312"></head><body><p>一、王堃老师工作室</p></body></html>'
    path.write_bytes(page.encode("gbk"))  # 堃 is GBK, not GB2312: read as GB18030
    assert texts(read_blocks(path)) == ["一、王堃老师工作室"]
    utf8 = tmp_path / "utf8.html"
    utf8.write_text('<!doctype html><meta charset="utf-8"><p>二、督导</p>', encoding="utf-8")
    assert texts(read_blocks(utf8)) == ["二、督导"]


def test_html_nav_words_never_take_the_article_and_utf8_wins(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.html"
    article = "".join(f"<p>{n}、第{n}项工作的具体安排和要求。</p>" for n in "一二三")
    page = (f'<html><head><meta charset="gbk"></head><body><div class="nav">首页 | 政务公开</div>'
            f'<div id="main" class="has-sidebar">{article}</div></body></html>')
    path.write_bytes(page.encode("utf-8"))  # re-saved as UTF-8, the old declaration left in place
    assert texts(read_blocks(path)) == [f"{n}、第{n}项工作的具体安排和要求。" for n in "一二三"]


def test_mhtml_web_archive(tmp_path: Path) -> None:
    import quopri

    html = ('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
            "</head><body><p>一、推进督导改革</p><p>（一）完善责任督学制度。</p></body></html>")
    body = quopri.encodestring(html.encode("utf-8"))
    archive = (b"From: <Saved by Blink>\r\nSubject: =?utf-8?Q?x?=\r\nMIME-Version: 1.0\r\n"
               b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----B--x----"\r\n\r\n'
               b"------B--x----\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n"
               b"Content-Location: http://example.gov.cn/a.html\r\n\r\n" + body + b"\r\n------B--x------\r\n")
    path = tmp_path / "page.mhtml"
    path.write_bytes(archive)
    assert sniff(path) == "html"
    assert texts(read_blocks(path)) == ["一、推进督导改革", "（一）完善责任督学制度。"]


# ----------------------------------------------------------------------------------------- sniffing and errors

def _ole2(*streams: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + b"".join(name.encode("utf-16-le").ljust(64, b"\x00") for name in streams) + b"\x00" * 512


def test_kind_comes_from_the_bytes_not_the_suffix(tmp_path: Path) -> None:
    fake_docx = tmp_path / "plan.docx"
    fake_docx.write_text("一、加强督导\n二、规范办学\n", encoding="utf-8")
    assert sniff(fake_docx) == "text"
    assert texts(read_blocks(fake_docx)) == ["一、加强督导", "二、规范办学"]
    document = docx.Document()
    document.add_paragraph("一、加强督导")
    real = tmp_path / "plan.txt"
    document.save(real)
    assert sniff(real) == "docx"
    assert texts(read_blocks(real)) == ["一、加强督导"]
    as_json = tmp_path / "plan.json.txt"
    as_json.write_text('{"schema": "workplan-xl/plan@1"}', encoding="utf-8")
    assert sniff(as_json) == "json"


@pytest.mark.parametrize("name,data,kind,message", [
    ("old.doc", _ole2("Root Entry", "WordDocument", "1Table"), "doc",
     "「old.doc」是旧版 Word 文档（.doc），需要 LibreOffice 才能读取：请安装 LibreOffice（soffice），"
     "或在 Word/WPS 中另存为 .docx 后再试。"),
    ("locked.docx", _ole2("Root Entry", "EncryptionInfo", "EncryptedPackage"), "encrypted",
     "「locked.docx」设有打开密码（已加密），无法读取：请在 Word/WPS 中去掉密码后再试。"),
    ("old.xls", _ole2("Root Entry", "Workbook"), "xls",
     "「old.xls」这份电子表格无法读取（文件可能已损坏或格式异常）：请在 Excel/WPS 中打开后另存为 .xlsx 再试。"),
    ("empty.txt", b"", "empty", "「empty.txt」是空文件，没有任何文字：请检查是否选错了文件。"),
    ("blank.txt", " \r\n\t\u3000\n".encode(), "empty", "「blank.txt」是空文件，没有任何文字：请检查是否选错了文件。"),
    ("photo.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "binary",
     "「photo.docx」是 PNG 图片，不是计划文档：请给出 Word（.docx）、文字版 PDF、网页（.html）、文本（.txt）或任务分解表（.xlsx）文件。"),
])
def test_wrong_kinds_of_file(tmp_path: Path, name: str, data: bytes, kind: str, message: str,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPX_SOFFICE", "")  # as on a machine without LibreOffice
    path = tmp_path / name
    path.write_bytes(data)
    assert sniff(path) == kind
    with pytest.raises(InputFileError) as err:
        read_blocks(path)
    assert str(err.value) == message


def test_document_without_text(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("　　")
    path = tmp_path / "blank.docx"
    document.save(path)
    with pytest.raises(InputFileError) as err:
        read_blocks(path)
    assert str(err.value) == "「blank.docx」里没有可读取的文字：请检查是否选错了文件。"


def test_spreadsheet_zip_and_missing_file(tmp_path: Path) -> None:
    book = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert sniff(book) == "xlsx"
    with pytest.raises(InputFileError) as err:
        read_blocks(book)
    assert str(err.value) == "「台账.xlsx」这份电子表格无法读取（文件可能已损坏或格式异常）：请在 Excel/WPS 中打开后另存为 .xlsx 再试。"
    archive = tmp_path / "材料.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", "x")
    assert sniff(archive) == "zip"
    with pytest.raises(InputFileError) as err:
        read_blocks(archive)
    assert str(err.value) == ("「材料.zip」是压缩包，不是计划文档：请解压后给出其中的 Word（.docx）、文字版 PDF、"
                              "网页（.html）、文本（.txt）或任务分解表（.xlsx）文件。")
    missing = tmp_path / "没有.docx"
    with pytest.raises(InputFileError) as err:
        sniff(missing)
    assert str(err.value) == f"找不到文件「{missing}」：请检查路径和文件名是否正确。"


# ----------------------------------------------------------------------------------------- seeds

def test_seeds_read_as_lines(seeds_dir: Path) -> None:
    for seed in sorted(seeds_dir.glob("*.txt")):
        raw = seed.read_text(encoding="utf-8")
        blocks = read_blocks(seed)
        assert sniff(seed) == "text"
        assert all(b.kind == "p" for b in blocks)
        # one block per line, fewer only by the page numbers dropped
        assert len(raw.splitlines()) - 3 <= len(blocks) <= len(raw.splitlines())
        body = "".join(texts(blocks))
        assert "一、" in body and "教育" in body
        assert sum(1 for b in blocks if b.text == "") >= 10  # blank lines kept as paragraph boundaries


def test_pdf_table_continued_on_the_next_page() -> None:
    from workplan_xl.plan_document.readers.pdf import _continue_table

    rows = [["月份", "工作内容", "责任科室"], ["3月", "开展专项督导检查，形成问", "督导室"]]
    _continue_table(rows, [["", "题清单", ""], ["4月", "召开总结会", "督导室"]])
    assert rows == [["月份", "工作内容", "责任科室"], ["3月", "开展专项督导检查，形成问题清单", "督导室"],
                    ["4月", "召开总结会", "督导室"]]
    merged_group = [["3月", "开学检查", "督导室"]]
    _continue_table(merged_group, [["", "安全排查", "安全科"]])  # a row of a vertically merged month
    assert merged_group == [["3月", "开学检查", "督导室"], ["", "安全排查", "安全科"]]


def test_hostile_numbering_values_stay_small() -> None:
    assert format_number(10 ** 9, "upperLetter") == "1000000000"  # not a label of 38 million letters
    assert format_number(27, "upperLetter") == "AA"


def test_docx_tables_nested_past_the_recursion_limit(tmp_path: Path) -> None:
    inner = "<w:p><w:r><w:t>最内层</w:t></w:r></w:p>"
    for _ in range(1500):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl><w:p/>"
    path = tmp_path / "nested.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", f"<w:document {W_NS}><w:body>{inner}</w:body></w:document>")
    [block] = [b for b in read_blocks(path) if b.kind == "table"]
    assert "最内层" in str(block.rows)  # deep tables flattened into text, nothing lost
