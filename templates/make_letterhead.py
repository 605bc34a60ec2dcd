"""Build templates/letterhead_report.docx: an example 红头 (letterhead) template for `wpx report --template`.

    python templates/make_letterhead.py

It starts from the same GB/T 9704 page as the default template (A4, 37/35/28/26 mm, page numbers),
adds a red issuer line and rule, the placeholders, a 落款 and a 版记 (抄送) block. Copy the .docx,
change it in Word or WPS (keep the placeholders), and pass it with --template.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from workplan_xl import gongwen
from workplan_xl.gongwen import Para, Text, para

HERE = Path(__file__).resolve().parent


def _border(paragraph, side: str, color: str = "E60012", size: int = 18) -> None:  # noqa: ANN001
    ppr = paragraph.get_or_add_pPr()
    borders = parse_xml(f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{size}" w:space="4" '
                        f'w:color="{color}"/></w:pBdr>')
    ppr.find(qn("w:pStyle")).addnext(borders)  # the schema wants w:pBdr right after the style


def build_letterhead(path: Path = HERE / "letterhead_report.docx") -> Path:
    doc = gongwen.new_document()
    gongwen.write_blocks(doc, [
        Para("title", [Text("{{单位}}")], align="center"),  # 发文机关标志: red, large, centred
        para("plain", ""),
        para("title", "{{标题}}"),
        para("body", "{{正文}}"),
        para("plain", ""),
        Para("plain", [Text("{{单位}}")], align="right"),
        Para("plain", [Text("{{日期}}")], align="right"),
        para("plain", ""),
        Para("plain", [Text("抄送：县教育局，各中小学校、幼儿园。")]),
        Para("plain", [Text("{{单位}}办公室　　　　{{日期}}印发")]),
    ])
    paragraphs = doc.element.body.findall(qn("w:p"))
    mark = paragraphs[0]
    for run in mark.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        rpr.append(parse_xml(f'<w:color {nsdecls("w")} w:val="E60012"/>'))
        for tag in ("w:sz", "w:szCs"):  # 36 pt
            rpr.find(qn(tag)).set(qn("w:val"), "72")
        # w:color must precede w:sz in rPr
        color = rpr.find(qn("w:color"))
        rpr.find(qn("w:sz")).addprevious(color)
    _border(mark, "bottom")  # the red rule under the mark
    for p in paragraphs[5:7]:  # 落款: two characters in from the right, as GB/T 9704 wants
        p.find(qn("w:pPr")).append(parse_xml(f'<w:ind {nsdecls("w")} w:right="640" w:rightChars="200"/>'))
        _order(p.find(qn("w:pPr")))
    for p in paragraphs[8:10]:  # 版记: thin black rules above and below
        _border(p, "top" if p is paragraphs[8] else "bottom", color="000000", size=8)
    # keep_old=False: this file is built from source and tracked by git, so no 备份 copy is kept beside it
    return gongwen.save_document(doc, path, title="红头工作总结模板", author="workplan_xl", keep_old=False)


def _order(ppr) -> None:  # noqa: ANN001 - keep w:jc after w:ind, as the schema orders them
    jc = ppr.find(qn("w:jc"))
    if jc is not None:
        ppr.append(jc)


if __name__ == "__main__":
    print(build_letterhead())
    sys.exit(0)
