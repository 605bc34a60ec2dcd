"""What a 公文 is made of: heading numbers, number and date wording, paragraphs, tables and the
落款, written to a document as XML built once (fast for tables of thousands of rows)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from workplan_xl.cjk import clean_text, display_width, round_half_up
from workplan_xl.gongwen.page import CHAR_PITCH, TEXT_W, role_look, rpr_xml

# -- numbering and formatting ------------------------------------------------------------------------
_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numbers)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The GB/T 9704 sequence: 一、 （一） 1. （1）."""
    return {1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


def format_number(value: float | None, digits: int = 2) -> str:
    """96.0 → "96", 96.2 → "96.2", 95.125 → "95.13"; no thousands separators (公文 style)."""
    if value is None:
        return ""
    rounded = round_half_up(value, digits)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{digits}f}".rstrip("0").rstrip(".")


def format_date(day: date) -> str:
    """2024年12月5日: Arabic numerals, no zero padding (GB/T 9704 成文日期)."""
    return f"{day.year}年{day.month}月{day.day}日"


_DATE = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*")
BAD_DATE = "{what}「{text}」无法识别：请写成 {example} 的形式。"


def parse_date(text: str | date | None, what: str = "成文日期",
               example: str = "2025-12-20 或 2025年12月20日") -> date:
    """A date as typed on the command line: 2025-12-20, 2025/12/20, 2025.12.20, 2025年12月20日 (full-width
    digits too); None → today. Anything else is one sentence (OptionValueError, exit 2)."""
    from workplan_xl.errors import OptionValueError

    if text is None or isinstance(text, date):
        return text or date.today()
    match = _DATE.fullmatch(str(text).translate(_FULL_WIDTH_DIGITS))
    try:
        if not match:
            raise ValueError(text)
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise OptionValueError(BAD_DATE.format(what=what, text=text, example=example)) from error


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")


# -- blocks: what the report and the notices write ----------------------------------------------------
@dataclass
class Text:
    """A run: its text, an optional role whose font it takes (a 楷体 lead-in inside a body
    paragraph), and ``mark`` for text the officer must still write (highlighted)."""

    text: str
    role: str | None = None
    mark: bool = False


@dataclass
class Para:
    role: str
    runs: list[Text]
    align: str | None = None  # "center" | "right" | "left"; None: the style's
    left_chars: float | None = None  # left indent in characters
    page_break_before: bool = False
    right_chars: float | None = None  # right indent in characters (落款)
    keep_next: bool = False  # on the same page as the next paragraph (署名 with its date)
    keep_lines: bool = False  # never broken across lines of two pages
    keep_with_previous: bool = False  # the paragraph before ends on this one's page (落款 never alone)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths, scaled to the 156 mm text block
    aligns: list[str] = field(default_factory=list)  # per column: "center" | "left" | "right"
    label_column: bool = False  # a form (督办单): the first column is set like a header, no header row
    heights: dict[int, int] = field(default_factory=dict)  # row index → minimum height in twips


Block = Para | Table


def para(role: str, *parts: str | Text, **options: object) -> Para:
    return Para(role, [p if isinstance(p, Text) else Text(p) for p in parts], **options)  # type: ignore[arg-type]


def signature(issuer: str, day: date) -> list[Para]:
    """发文机关署名 and 成文日期 as GB/T 9704-2012 7.3.5.1 lays them out for a sealed document: one
    empty line after the text, the date right-aligned four characters from the right edge (so it can
    never wrap, whatever the fonts), the issuer's name centred over the date on the line above. A name
    too long to centre there keeps two characters from the edge and moves the date left with it. The
    three lines are kept together on one page (keepNext), each line unbroken (keepLines)."""
    when = format_date(day)
    name_w, date_w = display_width(issuer) / 2, display_width(when) / 2
    date_right = 4.0
    name_right = date_right + (date_w - name_w) / 2
    if name_right < 2:  # a long name: the date moves left so the name stays centred over it
        date_right += 2 - name_right
        name_right = 2.0
    blocks = [para("plain", "", keep_next=True, keep_with_previous=True),
              para("plain", when, align="right", right_chars=date_right, keep_lines=True)]
    if issuer:
        blocks.insert(1, para("plain", issuer, align="right", right_chars=name_right, keep_next=True,
                              keep_lines=True))
    return blocks


def write_blocks(doc: Document, blocks: Iterable[Block], before=None) -> None:  # noqa: ANN001
    """Append ``blocks`` to the body (or insert them before the element ``before``). Each block's XML
    is built as one string and parsed once: python-docx's per-cell API walks the whole table on
    every call (29 s for a 200-row table), this takes a fraction of a second for thousands of rows.
    Each block carries its own namespace declaration: moving a subtree whose prefixes are declared on
    a discarded parent makes lxml rewrite every node (15 s for a 2,000-row table)."""
    body = doc.element.body
    anchor = before if before is not None else body.find(qn("w:sectPr"))
    declared = f"<w:{{}} {nsdecls('w')}>"
    for block in blocks:
        xml = _table_xml(doc, block) if isinstance(block, Table) else _para_xml(doc, block)
        tag = "tbl" if isinstance(block, Table) else "p"
        element = parse_xml(declared.format(tag) + xml[len(f"<w:{tag}>"):])
        if anchor is not None:
            anchor.addprevious(element)
        else:
            body.append(element)
        if isinstance(block, Para) and block.keep_with_previous:
            _keep_next(element.getprevious())


def _keep_next(element) -> None:  # noqa: ANN001 - an lxml element
    """Give a body paragraph keepNext (its last lines move with the next paragraph when it must); after
    a table, its last row's paragraphs (Word and LibreOffice then keep that row with what follows)."""
    if element is not None and element.tag == qn("w:tbl"):
        rows = element.findall(qn("w:tr"))
        for paragraph in (rows[-1].iter(qn("w:p")) if rows else ()):
            _keep_next(paragraph)
        return
    if element is None or element.tag != qn("w:p"):
        return
    ppr = element.find(qn("w:pPr"))
    if ppr is None:
        ppr = parse_xml(f"<w:pPr {nsdecls('w')}/>")
        element.insert(0, ppr)
    if ppr.find(qn("w:keepNext")) is not None:
        return
    keep = parse_xml(f"<w:keepNext {nsdecls('w')}/>")
    style = ppr.find(qn("w:pStyle"))
    if style is not None:
        style.addnext(keep)
    else:
        ppr.insert(0, keep)


def _run_xml(doc: Document, text: Text, role: str) -> str:
    _, font, size, bold = role_look(doc, text.role or role)
    rpr = rpr_xml(font, size, bold)
    if text.mark:
        rpr = rpr.replace("</w:rPr>", '<w:highlight w:val="yellow"/></w:rPr>')
    lines = escape(clean_text(text.text)).split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    return f"<w:r>{rpr}{body}</w:r>"


_OUTLINE = {"h1": 0, "h2": 1, "h3": 2}  # Word's navigation pane shows these levels


def _para_xml(doc: Document, block: Para, extra_ppr: str = "") -> str:
    style_id = role_look(doc, block.role)[0]
    ppr = f'<w:pStyle w:val="{style_id}"/>'
    if block.keep_next:
        ppr += "<w:keepNext/>"
    if block.keep_lines:
        ppr += "<w:keepLines/>"
    if block.page_break_before:
        ppr += "<w:pageBreakBefore/>"
    ppr += extra_ppr
    indent = ""
    if block.left_chars is not None:
        indent += f'w:leftChars="{round(block.left_chars * 100)}" w:left="{round(block.left_chars * CHAR_PITCH)}" '
    if block.right_chars is not None:
        indent += f'w:rightChars="{round(block.right_chars * 100)}" w:right="{round(block.right_chars * CHAR_PITCH)}" '
    if indent:
        ppr += f'<w:ind {indent}w:firstLineChars="0" w:firstLine="0"/>'
    if block.align:
        ppr += f'<w:jc w:val="{ {"center": "center", "right": "right", "left": "left"}[block.align] }"/>'
    if block.role in _OUTLINE:
        # On the paragraph, not only the style, so a user template's own heading styles still navigate.
        ppr += f'<w:outlineLvl w:val="{_OUTLINE[block.role]}"/>'
    runs = "".join(_run_xml(doc, t, block.role) for t in block.runs)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"


_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


def _table_xml(doc: Document, table: Table) -> str:
    total = sum(table.widths)
    widths = [round(w / total * TEXT_W) for w in table.widths]
    aligns = (list(table.aligns) + ["center"] * len(widths))[: len(widths)]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)

    def row(cells: list[str], head: bool, height: int | None = None) -> str:
        tcs = []
        cells = (list(cells) + [""] * len(widths))[: len(widths)]
        for col, (text, width, align) in enumerate(zip(cells, widths, aligns, strict=True)):
            label = head or (table.label_column and col == 0)
            block = Para("table_head" if label else "table", [Text(str(text))], "center" if label else align)
            tcs.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                       f"{_para_xml(doc, block)}</w:tc>")
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if head else "")
        if height:
            trpr += f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>'
        return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(tcs)}</w:tr>"

    rows = [row(table.headers, True)] if table.headers else []
    rows += [row(r, False, table.heights.get(i)) for i, r in enumerate(table.rows)]
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')


def texts(doc: Document) -> Iterable[str]:
    """Every body paragraph's text, tables included, a line break as "\n" (for tests and checks)."""
    t_tag, br_tag = qn("w:t"), qn("w:br")
    for p in doc.element.body.iter(qn("w:p")):
        yield "".join((el.text or "") if el.tag == t_tag else "\n" for el in p.iter(t_tag, br_tag)
                      if el.tag == t_tag or el.get(qn("w:type")) in (None, "textWrapping"))


_TITLE_BREAKS = (r"推进情况", r"的通报", r"的通知", r"\d{4}年", r"工作总结")


def break_title(title: str, per_line: int = 20) -> str:
    """A 2号 title longer than a line (20 characters), broken at a point of meaning (GB/T 9704 asks
    for 梯形 or 菱形 lines, never a word cut in two): before 推进情况 / 的通报 / the year … ; a
    title with no such point is left for the word processor to wrap."""
    def width(text: str) -> float:
        return display_width(text) / 2

    if width(title) <= per_line:
        return title
    for pattern in _TITLE_BREAKS:
        for match in re.finditer(pattern, title):
            head, tail = title[: match.start()], title[match.start():]
            if head and width(head) <= per_line and width(tail) <= per_line:
                return f"{head}\n{tail}"
    return title
