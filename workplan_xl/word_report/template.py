"""Word templates for the 工作总结: the default one shipped in the package, and a small filler for
{{标题}} {{年度}} {{正文}} {{单位}} {{日期}} in a user's own .docx (letterhead, styles, page setup).

Why not docxtpl: it would add jinja2 and its own XML pre-processing for five fixed placeholders; the
one thing it solves that matters here (a placeholder split across runs by Word's spell-checker or
revision marks) takes a few lines: match on the paragraph's joined text, then edit the runs.

Regenerate the shipped template with ``python -m workplan_xl.word_report`` (see __main__.py).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from docx import Document as open_document
from docx.document import Document
from docx.oxml.ns import qn

from workplan_xl import gongwen
from workplan_xl.errors import InputFileError, TemplateFieldError, refuse_special_file

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
    if path is not None:
        check_template(source)
    try:
        doc = open_document(str(source))
        # python-docx resolves parts only when asked (headers and footers by placeholders, the core properties
        # when saving): a relationship marked External or pointing to a missing part fails there, so every
        # part the report uses is asked for here, in the template's sentence
        doc.core_properties, doc.styles  # noqa: B018
        found = {name for _, name in placeholders(doc)}
        if path is not None:
            gongwen.ensure_styles(doc)
            if not gongwen.has_footers(doc):
                gongwen.add_page_numbers(doc)
            _sane_page_setup(doc)
    except Exception as error:  # python-docx raises several kinds for a file that is not a .docx
        raise _cannot_open(source.name) from error
    missing = [f"{{{{{name}}}}}" for name in REQUIRED if name not in found]
    if missing:
        raise TemplateFieldError(f"模板「{source.name}」缺少占位符：{'、'.join(missing)}。请在模板中加入后再试。")
    return doc


# A user's template is a file from outside, opened by python-docx (lxml) in this process, because the
# document is filled and written here. What lxml is given is bounded first from the package's own
# declarations: zipfile never inflates a part past the size its directory declares (it stops there and
# checks the CRC), so the declared sizes bound the bytes; the markup in them bounds what lxml builds
# (about 16 bytes of memory per byte of XML). A letterhead template holds some 60 KB of XML.
PACKAGE_LIMIT = 200 << 20  # every part, images included
MARKUP_LIMIT = 20 << 20  # the parts that are not images or fonts: what lxml may parse (~330 MB built)
_BINARY = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"\x01\x00\x00\x00", b"\xd7\xcd\xc6\x9a",
           b"\x01\x00\x09\x00", b"\xd0\xcf\x11\xe0", b"PK\x03\x04", b"\x00\x01\x00\x00", b"OTTO", b"RIFF")


def check_template(source: Path) -> None:
    """Refuse, before python-docx allocates anything, a template whose zip directory declares a bomb
    (total size, entry count, compression ratio), whose markup is far larger than any template's, or
    whose XML declares a DTD or entities (Word never writes them). A file that is no zip at all is left
    to python-docx, whose failure has its own sentence."""
    name = source.name
    refuse_special_file(source, "模板", "Word 模板文件")
    try:
        with zipfile.ZipFile(source) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            bomb = any(i.file_size > (1 << 20) and i.file_size > 200 * max(i.compress_size, 1) for i in infos)
            if bomb or len(infos) > 10000 or sum(i.file_size for i in infos) > PACKAGE_LIMIT:
                raise InputFileError(f"模板「{name}」解压后过大或压缩比异常（可能是恶意文件），为安全起见不予打开："
                                     "请确认文件来源，或在 Word/WPS 中另存为 .docx 后再试。")
            parts = {i.filename.replace("\\", "/").lstrip("/").lower() for i in infos}
            if not {"[content_types].xml", "_rels/.rels"} <= parts:  # no Office package (a Pages or .zip file)
                from workplan_xl.returns.sniff import IWORK, is_iwork_package, iwork_kind

                if is_iwork_package(parts):
                    raise InputFileError(f"模板「{name}」是{iwork_kind(IWORK, name)}，不是 Word 文档：请在 Pages 中选择"
                                         "“文件 → 导出为 → Word”，存为 .docx 后再用作模板。")
                raise _cannot_open(name)
            markup = 0
            for info in infos:
                with zf.open(info) as part:
                    head = part.read(16)
                    if head.startswith(_BINARY):
                        continue  # an image, a font, an embedded object: python-docx keeps its bytes
                    markup += info.file_size
                    if markup > MARKUP_LIMIT:
                        raise InputFileError(f"模板「{name}」的文字和格式内容超过 {MARKUP_LIMIT >> 20} MB，远超一份模板的大小："
                                             "请确认选对了文件；模板只需红头、占位符和落款。")
                    data = head + part.read()
                if _declares_dtd(data):
                    raise InputFileError(f"模板「{name}」含有不安全的 XML 内容（实体或 DTD），为安全起见不予打开："
                                         "请在 Word/WPS 中另存为 .docx 后再试。")
    except InputFileError:
        raise  # an OSError too
    except zlib.error as error:  # a part's deflated bytes are damaged (python-docx would fail alike)
        raise InputFileError(f"模板「{name}」已损坏，无法打开：请在 Word/WPS 中打开它，另存为 .docx 后再试。") from error
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError,
            ValueError):
        return  # not a readable zip: python-docx says so below, in the template's sentence


# A template's page setup is copied into the report: a size or margin outside what the schema allows (a negative
# header distance, a number past 32 bits; found by fuzzing) would make Word repair the report. Such a value is
# replaced by the GB/T 9704 page's own; the others are the user's letterhead and stay as they are.
_PAGE_DEFAULTS = {"w:pgSz": {"w:w": "11906", "w:h": "16838"},
                  "w:pgMar": {"w:top": "2098", "w:right": "1474", "w:bottom": "1984", "w:left": "1587",
                              "w:header": "851", "w:footer": "1247", "w:gutter": "0"}}
_SIGNED = ("w:top", "w:bottom")
_TWIPS = re.compile(r"\d{1,5}")
_MEASURE = re.compile(r"\d+(?:\.\d+)?(?:mm|cm|in|pt|pc|pi)")


def _sane_page_setup(doc: Document) -> None:
    for sect in doc.element.body.iter(qn("w:sectPr")):
        for tag, defaults in _PAGE_DEFAULTS.items():
            element = sect.find(qn(tag))
            if element is None:
                continue
            for attribute, default in defaults.items():
                value = element.get(qn(attribute))
                if value is None:
                    continue
                plain = value[1:] if attribute in _SIGNED and value.startswith("-") else value
                if not (_TWIPS.fullmatch(plain) and int(plain) <= 31680 or _MEASURE.fullmatch(plain)):
                    element.set(qn(attribute), default)


def _cannot_open(name: str) -> InputFileError:
    return InputFileError(f"模板「{name}」无法打开：请确认它是 Word 文档（.docx）；"
                          ".doc、.wps、.dotx 请先在 Word/WPS 中另存为 .docx。")


def _declares_dtd(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[1:2] == b"\x00" or data[:1] == b"\x00":
        text = data.decode("utf-16", errors="ignore")  # an XML part may be UTF-16 (its BOM, or NULs)
        return "<!DOCTYPE" in text or "<!ENTITY" in text
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data


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
