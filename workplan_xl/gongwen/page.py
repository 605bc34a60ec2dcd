"""The GB/T 9704 page: fonts and sizes, styles without theme fonts, A4 with the 22 × 28 grid, page
numbers on the outer side, and saving (backup of an existing file, reproducible bytes)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from docx import Document as open_document
from docx.document import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.run import Run

from workplan_xl.errors import OutputError
from workplan_xl.outputs import check_output, move_aside

# -- fonts and sizes -------------------------------------------------------------------------------
XBS, FANGSONG, HEITI, KAITI, SONG = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
SIZE_2, SIZE_3, SIZE_4, SIZE_S4 = 22.0, 16.0, 14.0, 12.0  # 2号, 3号, 4号, 小四 in points
# What Windows/WPS should use when the GB2312-era fonts are not installed (fontTable altName).
_ALT = {FANGSONG: "仿宋", KAITI: "楷体", XBS: "宋体", HEITI: "SimHei", SONG: "SimSun"}

# -- page (twips: 1 mm = 56.693 twips) ---------------------------------------------------------------
PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474  # 37, 35, 28, 26 mm
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845 twips = 156 mm
LINES, CHARS = 22, 28
LINE_PITCH = (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) // LINES  # 579 twips = 28.95 pt, exact; 22 fit
CHAR_PITCH = TEXT_W / CHARS  # 315.9 twips
# docGrid charSpace: the grid pitch minus the default (3号) font size, in 1/4096 pt.
CHAR_SPACE = round((TEXT_W / 20 / CHARS - SIZE_3) * 4096)
FOOTER_DISTANCE = 1247  # 22 mm: the "—" line sits about 7 mm below the text block


# -- runs --------------------------------------------------------------------------------------------
def set_run_font(run: Run, name: str, size_pt: float, bold: bool = False) -> Run:
    """Name ``name`` in w:ascii, w:hAnsi, w:eastAsia and w:cs, and set size and weight.

    Quotes, dashes and ellipses are "ambiguous" characters that Word may draw in the Western font;
    the same name in every slot plus ``w:hint="eastAsia"`` keeps them in the Chinese one.
    """
    rpr = run._r.get_or_add_rPr()
    set_rfonts(rpr, name)
    run.font.size = Pt(size_pt)
    sz_cs = rpr.find(qn("w:szCs"))
    if sz_cs is None:
        sz_cs = rpr.makeelement(qn("w:szCs"), {})
        rpr.find(qn("w:sz")).addnext(sz_cs)
    sz_cs.set(qn("w:val"), str(round(size_pt * 2)))
    run.font.bold = bold
    return run


def set_rfonts(rpr, name: str) -> None:  # noqa: ANN001 - a CT_RPr
    """All four rFonts slots of ``rpr`` (run or style properties) to ``name``, theme fonts removed."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), name)
    rfonts.set(qn("w:hint"), "eastAsia")


def highlight(run: Run) -> Run:
    """Mark text the officer must still write (yellow, as Word's 突出显示)."""
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


# -- styles -------------------------------------------------------------------------------------------
# Every paragraph style opts out of the document grid (w:snapToGrid 0) and 3号 text is condensed by
# 0.5 pt: LibreOffice gives a 16 pt glyph two cells of a 15.8 pt character grid (14 characters a
# line), while exact 28.95 pt line spacing and a 15.5 pt advance give 22 lines × 28 characters in
# Word, WPS and LibreOffice alike (29 × 15.5 pt no longer fit in 156 mm, 28 do with room to spare).
# The section keeps the 22 × 28 grid, so the page-setup dialog shows what GB/T 9704 asks for.
# autoSpace off: no extra gap between Chinese and the digits of "2024年" (公文 convention).
_GRID_OFF = '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/>'
_EXACT = f'<w:spacing w:line="{LINE_PITCH}" w:lineRule="exact" w:before="0" w:after="0"/>'
_BODY_PPR = _GRID_OFF + _EXACT + '<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/>'
_NOINDENT_PPR = _GRID_OFF + _EXACT
_TABLE_PPR = _GRID_OFF + '<w:spacing w:line="240" w:lineRule="auto" w:before="0" w:after="0"/><w:ind w:firstLine="0"/>'
CONDENSE = -10  # twentieths of a point, on 3号 text (see above)
# role → (style id, Chinese name, font, size, bold, paragraph properties)
ROLES: dict[str, tuple[str, str, str, float, bool, str]] = {
    "title": ("GWTitle", "公文标题", XBS, SIZE_2, False,
              f'<w:keepNext/>{_GRID_OFF}<w:spacing w:line="{LINE_PITCH}" w:lineRule="exact" w:before="0" '
              f'w:after="{LINE_PITCH}"/><w:jc w:val="center"/>'),
    "body": ("GWBody", "公文正文", FANGSONG, SIZE_3, False, _BODY_PPR),
    "h1": ("GWHeading1", "一级标题", HEITI, SIZE_3, False, "<w:keepNext/>" + _BODY_PPR),
    # keepNext: no heading left alone at the foot of a page
    "h2": ("GWHeading2", "二级标题", KAITI, SIZE_3, False, "<w:keepNext/>" + _BODY_PPR),
    "h3": ("GWHeading3", "三级标题", FANGSONG, SIZE_3, False, _BODY_PPR),
    "h4": ("GWHeading4", "四级标题", FANGSONG, SIZE_3, False, _BODY_PPR),
    "plain": ("GWPlain", "公文无缩进", FANGSONG, SIZE_3, False, _NOINDENT_PPR),
    "attach": ("GWAttachMark", "附件标识", HEITI, SIZE_3, False, "<w:keepNext/>" + _NOINDENT_PPR),
    "table": ("GWTableText", "表格文字", FANGSONG, SIZE_S4, False, _TABLE_PPR),
    "table_head": ("GWTableHead", "表格表头", HEITI, SIZE_S4, False, _TABLE_PPR + '<w:jc w:val="center"/>'),
    "page_number": ("GWPageNumber", "公文页码", SONG, SIZE_4, False,
                    _GRID_OFF + '<w:spacing w:line="240" w:lineRule="auto" w:before="0" w:after="0"/>'),
}


def rpr_xml(font: str, size: float, bold: bool = False, spacing: int = 0) -> str:
    half = round(size * 2)
    return (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" '
            f'w:hint="eastAsia"/>{"<w:b/><w:bCs/>" if bold else ""}'
            f'{f"<w:spacing w:val={chr(34)}{spacing}{chr(34)}/>" if spacing else ""}<w:sz w:val="{half}"/>'
            f'<w:szCs w:val="{half}"/></w:rPr>')


def ensure_styles(doc: Document) -> None:
    """Add the role styles a document lacks; styles a user template already defines are kept."""
    styles = doc.styles.element
    have = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    names = {s.find(qn("w:name")).get(qn("w:val")) for s in styles.findall(qn("w:style"))
             if s.find(qn("w:name")) is not None}
    for style_id, name, font, size, bold, ppr in ROLES.values():
        if style_id in have or name in names:
            continue
        styles.append(parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:qFormat/>'
            f'<w:pPr>{ppr}</w:pPr>{rpr_xml(font, size, bold, CONDENSE if size == SIZE_3 else 0)}</w:style>'))


def role_look(doc: Document, role: str) -> tuple[str, str, float, bool]:
    """(style id, font, size, bold) for a role, read from the document's own style so that a user
    template's fonts are honoured on the explicit run fonts too."""
    style_id, name, font, size, bold, _ = ROLES[role]
    cache = doc.__dict__.setdefault("_gw_looks", {})  # per document: asked once per run otherwise
    if role in cache:
        return cache[role]
    for style in doc.styles.element.findall(qn("w:style")):
        name_el = style.find(qn("w:name"))
        if style.get(qn("w:styleId")) == style_id or (name_el is not None and name_el.get(qn("w:val")) == name):
            style_id = style.get(qn("w:styleId"))
            rpr = style.find(qn("w:rPr"))
            if rpr is not None:
                rfonts, sz, b = rpr.find(qn("w:rFonts")), rpr.find(qn("w:sz")), rpr.find(qn("w:b"))
                if rfonts is not None and rfonts.get(qn("w:eastAsia")):
                    font = rfonts.get(qn("w:eastAsia"))
                if sz is not None:
                    size = int(sz.get(qn("w:val"))) / 2
                if b is not None:
                    bold = b.get(qn("w:val"), "1") not in ("0", "false")
            break
    cache[role] = (style_id, font, size, bold)
    return cache[role]


def _reset_styles(doc: Document) -> None:
    """Keep only the few built-in styles python-docx needs, without theme fonts; docDefaults 仿宋 3号."""
    styles = doc.styles.element
    keep = {"Normal", "DefaultParagraphFont", "TableNormal", "TableGrid", "NoList", "Header", "Footer"}
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in keep:
            styles.remove(style)
    for rfonts in styles.iter(qn("w:rFonts")):
        set_rfonts(rfonts.getparent(), FANGSONG)
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().remove(defaults)
    styles.insert(0, parse_xml(
        f'<w:docDefaults {nsdecls("w")}><w:rPrDefault>{rpr_xml(FANGSONG, SIZE_3)[:-8]}'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        '</w:docDefaults>'))
    normal = next(s for s in styles.findall(qn("w:style")) if s.get(qn("w:styleId")) == "Normal")
    for child in list(normal):
        if child.tag in (qn("w:rPr"), qn("w:pPr")):
            normal.remove(child)
    normal.append(parse_xml(f'<w:pPr {nsdecls("w")}><w:widowControl/><w:jc w:val="both"/></w:pPr>'))
    normal.append(parse_xml(rpr_xml(FANGSONG, SIZE_3).replace("<w:rPr>", f'<w:rPr {nsdecls("w")}>', 1)))


_FONT_TABLE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               f'<w:fonts {nsdecls("w")}>' + "".join(
                   f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                   '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                   for name, alt in _ALT.items()) + "</w:fonts>")


# -- page ---------------------------------------------------------------------------------------------
def setup_page(doc: Document) -> None:
    """A4 portrait, GB/T 9704 margins and the 22 × 28 document grid on every section."""
    for section in doc.sections:
        sect = section._sectPr
        for tag in ("w:pgSz", "w:pgMar", "w:docGrid"):
            old = sect.find(qn(tag))
            if old is not None:
                sect.remove(old)
        sect.append(parse_xml(f'<w:pgSz {nsdecls("w")} w:w="{PAGE_W}" w:h="{PAGE_H}"/>'))
        sect.append(parse_xml(
            f'<w:pgMar {nsdecls("w")} w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
            f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'))
        sect.append(parse_xml(f'<w:docGrid {nsdecls("w")} w:type="linesAndChars" w:linePitch="{LINE_PITCH}" '
                              f'w:charSpace="{CHAR_SPACE}"/>'))
        _order_sectpr(sect)


_SECT_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"]


def _order_sectpr(sect) -> None:  # noqa: ANN001 - CT_SectPr; the schema fixes the child order
    rank = {qn(f"w:{t}"): i for i, t in enumerate(_SECT_ORDER)}
    for child in sorted(sect, key=lambda c: rank.get(c.tag, 99)):
        sect.append(child)


def add_page_numbers(doc: Document) -> None:
    """"— 1 —" in 4号 宋体: odd pages on the right, even pages on the left, one character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
            footer.is_linked_to_previous = False
            ftr = footer._element
            for p in ftr.findall(qn("w:p")):
                ftr.remove(p)
            ftr.append(_page_number_paragraph(side, role_look(doc, "page_number")))


def _page_number_paragraph(side: str, look: tuple[str, str, float, bool]):  # noqa: ANN202
    style_id, font, size, _ = look
    rpr = rpr_xml(font, size)
    indent = f'w:{side}Chars="100" w:{side}="{round(size * 20)}"'

    def run(inner: str) -> str:
        return f"<w:r>{rpr}{inner}</w:r>"

    return parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style_id}"/><w:ind {indent}/><w:jc w:val="{side}"/></w:pPr>'
        + run('<w:t xml:space="preserve">— </w:t>') + run('<w:fldChar w:fldCharType="begin"/>')
        + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
        + run('<w:fldChar w:fldCharType="separate"/>') + run("<w:t>1</w:t>")
        + run('<w:fldChar w:fldCharType="end"/>') + run('<w:t xml:space="preserve"> —</w:t>') + "</w:p>")


def has_footers(doc: Document) -> bool:
    return any(s._sectPr.find(qn("w:footerReference")) is not None for s in doc.sections)


def new_document() -> Document:
    """An empty GB/T 9704 document: python-docx's default package with the theme fonts, Word-2010
    style variants and Letter page replaced by 公文 styles, A4 page, grid and page numbers."""
    doc = open_document()
    _reset_styles(doc)
    ensure_styles(doc)
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel_id)
        elif rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = _FONT_TABLE.encode("utf-8")
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # python-docx's own preview picture, not this document
            package_rels.pop(rel_id)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    setup_page(doc)
    add_page_numbers(doc)
    return doc


# -- saving -------------------------------------------------------------------------------------------
def backup_existing(path: Path) -> Path | None:
    """Move an existing output into the 备份 folder beside it (outputs.move_aside) instead of
    clobbering it; returns where it went."""
    return move_aside(path)


def save_document(doc: Document, path: Path, day: date | None = None, title: str = "",
                  author: str = "", moved: list[Path] | None = None, keep_old: bool = True) -> Path:
    """Save with fixed zip timestamps and core properties taken from the document's own date, so the
    same inputs give the same file. An existing file with other bytes is moved into 备份/ first and its
    new place appended to ``moved`` (``keep_old=False``: replaced, for the templates built from source)."""
    path = Path(path)
    check_output(path, "document", title or "文档")
    if not path.parent.is_dir():
        raise OutputError(f"文件夹「{path.parent}」不存在：请先创建它，或用 -o 换一个保存位置。")
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.comments, props.keywords, props.revision = "", "", 1
    if day is not None:
        props.created = props.modified = datetime(day.year, day.month, day.day)
    buffer, fixed = io.BytesIO(), io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), src.read(info.filename),
                         zipfile.ZIP_DEFLATED)
    data = fixed.getvalue()
    if keep_old:
        backup = move_aside(path, replacement=data)
        if backup is not None and moved is not None:
            moved.append(backup)
    try:
        path.write_bytes(data)
    except OSError as error:
        raise OutputError(f"文件「{path}」无法写入（{error.strerror or error}）：可能正在 Word/WPS 中打开，"
                          "请关闭后重试。") from error
    return path
