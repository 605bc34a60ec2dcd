"""Word templates for the 工作总结: the default one shipped in the package, and a small filler for
{{标题}} {{年度}} {{正文}} {{单位}} {{日期}} in a user's own .docx (letterhead, styles, page setup).

Why not docxtpl: it would add jinja2 and its own XML pre-processing for five fixed placeholders; the
one thing it solves that matters here (a placeholder split across runs by Word's spell-checker or
revision marks) takes a few lines: match on the paragraph's joined text, then edit the runs.

Regenerate the shipped template with ``python -m workplan_xl.word_report`` (see __main__.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document as open_document
from docx.document import Document
from docx.oxml.ns import qn

from workplan_xl import gongwen
from workplan_xl.errors import InputFileError, TemplateFieldError

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "report.docx"
FIELDS = ("标题", "年度", "正文", "单位", "日期")
REQUIRED = ("正文", "标题")
_PLACEHOLDER = re.compile(r"\{\{\s*(" + "|".join(FIELDS) + r")\s*\}\}")


def build_default_template(path: Path = DEFAULT_TEMPLATE) -> Path:
    """The shipped template: a GB/T 9704 page with the title and body placeholders."""
    doc = gongwen.new_document()
    gongwen.write_blocks(doc, [gongwen.para("title", "{{标题}}"), gongwen.para("body", "{{正文}}")])
    return gongwen.save_document(doc, Path(path), title="工作总结模板", author="workplan_xl", keep_old=False)


def open_template(path: Path | None) -> Document:
    """The user's template (its page setup and named styles kept; missing 公文 styles added), or the
    shipped default. A template must hold {{正文}} and {{标题}}."""
    source = Path(path) if path is not None else DEFAULT_TEMPLATE
    try:
        doc = open_document(str(source))
    except Exception as error:  # python-docx raises several kinds for a file that is not a .docx
        raise InputFileError(f"模板「{source.name}」无法打开：请确认它是 Word 文档（.docx）；"
                             ".doc、.wps、.dotx 请先在 Word/WPS 中另存为 .docx。") from error
    found = {name for _, name in placeholders(doc)}
    missing = [f"{{{{{name}}}}}" for name in REQUIRED if name not in found]
    if missing:
        raise TemplateFieldError(f"模板「{source.name}」缺少占位符：{'、'.join(missing)}。请在模板中加入后再试。")
    if path is not None:
        gongwen.ensure_styles(doc)
        if not gongwen.has_footers(doc):
            gongwen.add_page_numbers(doc)
    return doc


def _paragraphs(doc: Document):  # noqa: ANN202 - lxml elements
    """Every w:p of the body, tables, headers and footers."""
    yield from doc.element.body.iter(qn("w:p"))
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from part._element.iter(qn("w:p"))


def _own_texts(p) -> list:  # noqa: ANN001 - the w:t of this paragraph, not of a text box inside it
    texts = []
    for t in p.iter(qn("w:t")):
        owner = t.getparent()
        while owner is not None and owner.tag != qn("w:p"):
            owner = owner.getparent()
        if owner is p:
            texts.append(t)
    return texts


def placeholders(doc: Document) -> list[tuple[object, str]]:
    """(paragraph, field name) for each placeholder, matched on the paragraph's joined run text."""
    found = []
    for p in _paragraphs(doc):
        text = "".join(t.text or "" for t in _own_texts(p))
        if "{{" in text:
            found += [(p, m.group(1)) for m in _PLACEHOLDER.finditer(text)]
    return found


def replace_in_paragraph(p, values: dict[str, str]) -> None:  # noqa: ANN001
    """Replace placeholders even when Word split them over runs: the replacement goes into the run
    where the placeholder starts (keeping that run's formatting); the rest of it is cut from the
    following runs."""
    texts = _own_texts(p)
    joined = "".join(t.text or "" for t in texts)
    starts, position = [], 0
    for t in texts:
        starts.append(position)
        position += len(t.text or "")

    def locate(offset: int) -> int:
        return next(i for i, s in enumerate(starts) if s <= offset < s + len(texts[i].text or ""))

    for match in reversed(list(_PLACEHOLDER.finditer(joined))):
        if match.group(1) not in values:
            continue
        first, last = locate(match.start()), locate(match.end() - 1)
        head = texts[first].text[: match.start() - starts[first]]
        tail = texts[last].text[match.end() - starts[last]:]
        if first == last:
            texts[first].text = head + values[match.group(1)] + tail
        else:
            texts[first].text = head + values[match.group(1)]
            for t in texts[first + 1:last]:
                t.text = ""
            texts[last].text = tail
        for t in texts[first:last + 1]:
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def fill_template(doc: Document, values: dict[str, str], body: list[gongwen.Block],
                  closing: list[gongwen.Block], appendix: list[gongwen.Block]) -> None:
    """Fill the simple fields, put the generated body where {{正文}} stands and the attachments after
    the template's own date line (or after the body): GB/T 9704 puts 附件 after 署名 and 日期, before
    the 版记 a letterhead template may end with."""
    found = placeholders(doc)
    body_p = next(p for p, name in found if name == "正文")
    date_p = next((p for p, name in found if name == "日期"), None)
    for p in {id(p): p for p, name in found if name != "正文"}.values():
        replace_in_paragraph(p, values)
    gongwen.write_blocks(doc, body + (closing if date_p is None else []), before=body_p)
    if date_p is None:
        gongwen.write_blocks(doc, appendix, before=body_p)
    else:
        anchor = date_p
        while anchor.getparent() is not None and anchor.getparent().tag != qn("w:body"):
            anchor = anchor.getparent()
        after = anchor.getnext()
        gongwen.write_blocks(doc, appendix, before=after if after is not None and after.tag != qn("w:sectPr") else None)
    replace_in_paragraph(body_p, {"正文": ""})
    parent = body_p.getparent()
    if not "".join(t.text or "" for t in _own_texts(body_p)).strip() and (
            parent.tag == qn("w:body") or len(parent.findall(qn("w:p"))) > 1):
        parent.remove(body_p)
