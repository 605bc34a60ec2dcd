"""The bundled example: a county 教育督导室's 2025 plan and its roster of 30 reporting units.

plan_2025.txt is the source text. ``write_example_docx`` turns it into the Word file a bureau would
really send: headings numbered by Word's own list numbering (numbering.xml, chineseCounting "一、" and
"（一）", restarted in every section), GB/T 9704-like fonts, and the 配档表 as a real table after 附件.
``write_example_roster`` writes roster.xlsx with six-digit text codes ("001001": leading zeros must
survive). Both are byte-reproducible, so a test can check the committed files against the generator.

Regenerate the shipped files with ``python -m workplan_xl.demo_examples``.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from importlib import resources
from pathlib import Path

from workplan_xl.plan import Unit

EXAMPLE_FILES = ("plan_2025.txt", "plan_2025.docx", "roster.xlsx")
ROSTER_HEADERS = ("单位代码", "单位名称", "类型", "联系人", "电话")
TABLE_HEADER = ("月份", "重点工作", "责任单位")  # the 配档表's columns
ISSUED = datetime(2025, 2, 18, 9, 0, 0)  # every generated file carries this date, never "now"

_OFFICES = ["青禾县教育督导室", "青禾县教育局基教股", "青禾县教育局计财股", "青禾县教育局安全股",
            "青禾县教育局人事股", "青禾县教研室"]
_SCHOOLS = ["青禾县第一中学", "青禾县第二中学", "青禾县实验中学", "青禾县城关初级中学", "青禾镇中学",
            "柳河镇中学", "石桥镇中学", "西坪乡九年一贯制学校", "青禾县实验小学", "青禾县城关第一小学",
            "青禾县城关第二小学", "青禾镇中心小学", "柳河镇中心小学", "石桥镇中心小学", "白沙乡中心小学",
            "东岭乡中心小学"]
_KINDERGARTENS = ["青禾县第一幼儿园", "青禾县第二幼儿园", "青禾县实验幼儿园", "柳河镇中心幼儿园",
                  "石桥镇中心幼儿园", "白沙乡中心幼儿园", "青禾县小太阳幼儿园", "青禾县启明星幼儿园"]
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
_GIVEN = ["建华", "秀英", "立新", "海燕", "志强", "春梅", "国庆", "丽娟", "晓东", "文静"]


def example_units() -> list[Unit]:
    """The 30 units of 青禾县: 6 bureau offices (the plan's owners), 16 schools, 8 kindergartens."""
    units = []
    for prefix, kind, names in (("001", "股室", _OFFICES), ("002", "中小学", _SCHOOLS),
                                ("003", "幼儿园", _KINDERGARTENS)):
        for i, name in enumerate(names, start=1):
            n = len(units)
            contact = _SURNAMES[n] + _GIVEN[n % len(_GIVEN)]
            units.append(Unit(f"{prefix}{i:03d}", name, kind, contact, f"0739-52{n * 37 % 100:02d}{n:03d}"))
    return units


def example_path(name: str) -> Path:
    """Path of a file shipped in workplan_xl/examples (works from a wheel and a source tree)."""
    return Path(str(resources.files("workplan_xl") / "examples" / name))


def _fixed_zip(data: bytes) -> bytes:
    """Re-zip with one fixed timestamp and order, so the same content gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, ISSUED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_example_roster(path: Path) -> Path:
    """roster.xlsx: 单位代码 (text, leading zeros), 单位名称, 类型, 联系人, 电话."""
    import xlsxwriter

    from workplan_xl.cjk import column_width

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": "青禾县教育督导填报单位名单", "author": "青禾县教育督导室",
                             "created": ISSUED})
    head = workbook.add_format({"bold": True, "font_name": "宋体", "border": 1, "bg_color": "#DDEBF7"})
    body = workbook.add_format({"font_name": "宋体", "border": 1, "num_format": "@"})
    sheet = workbook.add_worksheet("填报单位")
    rows = [[u.code, u.name, u.type, u.contact, u.phone] for u in example_units()]
    for col, header in enumerate(ROSTER_HEADERS):
        sheet.write_string(0, col, header, head)
        sheet.set_column(col, col, column_width([header] + [r[col] for r in rows]))
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            sheet.write_string(r, col, value, body)
    sheet.freeze_panes(1, 0)
    workbook.close()
    path.write_bytes(_fixed_zip(buffer.getvalue()))
    return path


# -- the Word plan ----------------------------------------------------------------------------------
_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_TASK = re.compile(r"^（[一二三四五六七八九十]+）")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_LEVEL = ('<w:abstractNum xmlns:w="{w}" w:abstractNumId="{id}"><w:multiLevelType w:val="singleLevel"/>'
          '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>'
          '<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/>'
          '</w:pPr><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:lvl>'
          '</w:abstractNum>')


class _Numbering:
    """Two list definitions in numbering.xml: sections "一、" and tasks "（一）" (restarted per section)."""

    def __init__(self, document) -> None:  # noqa: ANN001 - python-docx Document
        from docx.oxml import parse_xml

        self.root = document.part.numbering_part.element
        taken = [int(a.get(f"{{{_W}}}abstractNumId")) for a in self.root.findall(f"{{{_W}}}abstractNum")]
        first_num = self.root.find(f"{{{_W}}}num")
        self.abstract = {}
        for offset, (kind, text, font) in enumerate((("section", "%1、", "黑体"), ("task", "（%1）", "楷体_GB2312"))):
            abstract_id = max(taken, default=0) + 1 + offset
            element = parse_xml(_LEVEL.format(w=_W, id=abstract_id, text=text, font=font))
            # abstractNum elements must precede every num element (schema order)
            if first_num is not None:
                first_num.addprevious(element)
            else:
                self.root.append(element)
            self.abstract[kind] = abstract_id
        self.sections = self.new_list("section")
        self.tasks = self.sections

    def new_list(self, kind: str) -> int:
        num = self.root.add_num(self.abstract[kind])
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(1)
        return num.numId

    def apply(self, paragraph, num_id: int) -> None:  # noqa: ANN001 - python-docx Paragraph
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num_id


def _run(paragraph, text: str, font: str, size: float = 16, bold: bool = False,  # noqa: ANN001
         color: str | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def write_example_docx(path: Path, source: Path | None = None) -> Path:
    """The example plan as a Word document with real list numbering, from plan_2025.txt."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    lines = [line.strip() for line in (source or example_path("plan_2025.txt")).read_text("utf-8").splitlines()]
    lines = [line for line in lines if line]
    document = Document()
    document.core_properties.title = "青禾县教育督导室2025年工作要点"
    document.core_properties.author = "青禾县教育督导室"
    document.core_properties.created = document.core_properties.modified = ISSUED
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    numbering = _Numbering(document)

    def paragraph(align=None, indent: bool = True):  # noqa: ANN001, ANN202
        p = document.add_paragraph()
        fmt = p.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(28)
        if align is not None:
            fmt.alignment = align
        if indent:
            fmt.first_line_indent = Pt(32)
        return p

    # The .txt holds the 配档表 flattened, one cell per line from its header 月份 on: three per row.
    start = lines.index(TABLE_HEADER[0])
    cells = lines[start:]
    table_rows = [cells[i:i + len(TABLE_HEADER)] for i in range(0, len(cells), len(TABLE_HEADER))]
    in_attachment = False
    for i, line in enumerate(lines[:start]):
        following = lines[i + 1]
        if i == 0 and line.endswith("文件"):
            _run(paragraph(WD_ALIGN_PARAGRAPH.CENTER, False), line, "方正小标宋简体", 36, color="C00000")
        elif "〔" in line and line.endswith("号") and len(line) < 20:
            _run(paragraph(WD_ALIGN_PARAGRAPH.CENTER, False), line, "仿宋_GB2312")
        elif line.startswith("关于") or (line.endswith("工作要点") and len(line) < 30):
            _run(paragraph(WD_ALIGN_PARAGRAPH.CENTER, False), line, "方正小标宋简体", 22)
        elif line.endswith("："):
            _run(paragraph(indent=False), line, "仿宋_GB2312")
        elif _DATE.match(line) or (_DATE.match(following) and len(line) < 20):
            _run(paragraph(WD_ALIGN_PARAGRAPH.RIGHT, False), line, "仿宋_GB2312")
        elif line == "附件":
            document.add_page_break()
            _run(paragraph(indent=False), line, "黑体")
            in_attachment = True
        elif in_attachment:
            _run(paragraph(WD_ALIGN_PARAGRAPH.CENTER, False), line, "方正小标宋简体", 18)
        elif _SECTION.match(line):
            p = paragraph()
            numbering.apply(p, numbering.sections)
            _run(p, _SECTION.sub("", line), "黑体")
            numbering.tasks = numbering.new_list("task")  # （一） starts again in every section
        elif _TASK.match(line):
            p = paragraph()
            numbering.apply(p, numbering.tasks)
            lead, dot, rest = _TASK.sub("", line).partition("。")
            _run(p, lead + dot, "楷体_GB2312")
            if rest:
                _run(p, rest, "仿宋_GB2312")
        else:
            _run(paragraph(), line, "仿宋_GB2312")

    if tuple(table_rows[0]) != TABLE_HEADER or any(len(r) != len(TABLE_HEADER) for r in table_rows):
        raise ValueError("配档表应当从「月份」一行起每三行一行表格：月份、重点工作、责任单位。")
    table = document.add_table(rows=0, cols=len(table_rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate(table_rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 or len(text) < 5 else None
            _run(cell.paragraphs[0], text, "黑体" if r == 0 else "仿宋_GB2312", 12)
    table.autofit = False
    for column, width in zip(table.columns, (Mm(22), Mm(92), Mm(42)), strict=True):
        column.width = width  # LibreOffice reads the grid, Word the cells: set both
        for cell in column.cells:
            cell.width = width

    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))
    return path


def write_examples(folder: Path) -> list[Path]:
    """Regenerate plan_2025.docx and roster.xlsx in ``folder`` (plan_2025.txt is the source)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "plan_2025.txt"
    return [write_example_docx(folder / "plan_2025.docx", source if source.exists() else None),
            write_example_roster(folder / "roster.xlsx")]


if __name__ == "__main__":
    package = Path(str(resources.files("workplan_xl") / "examples"))
    copies = Path(__file__).resolve().parent.parent / "examples"  # the source tree's walk-through folder
    for written in write_examples(package):
        print(written)
    if copies.is_dir():
        for name in EXAMPLE_FILES:
            (copies / name).write_bytes((package / name).read_bytes())
            print(copies / name)
