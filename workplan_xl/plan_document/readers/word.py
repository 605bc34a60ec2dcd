"""Word (.docx) plans: paragraphs and tables in document order, list numbering included.

The XML is read directly (zip directory checked first, defusedxml for every part) rather than through
python-docx: a .docx plan is untrusted input too, and the numbering has to be followed anyway.
Text boxes, tracked deletions, moved-away text, hidden text and field codes are left out; tracked
insertions are kept. A line break inside a paragraph (Shift+Enter, w:br, w:cr) splits it into two
blocks, like <br> in HTML, because plans often put a heading and its body in one paragraph that way.

Tables: each row has one entry per grid column. A horizontally merged cell (w:gridSpan) gives its text
to the first column and "" to the others; a vertically merged cell (w:vMerge) repeats the text of
its first row in the rows below, so each row of a 配档表 stands on its own. Nested tables are
flattened into the cell's text (cells joined by a space, rows by a newline).
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from workplan_xl.errors import InputFileError
from workplan_xl.plan_document.numbering import heading_line, numbered
from workplan_xl.plan_document.readers.blocks import Block, check_zip, clean_line
from workplan_xl.plan_document.readers.word_headings import paragraph_level, style_levels
from workplan_xl.plan_document.readers.word_numbering import Numbering, join_label

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAX_NESTING = 20  # tables in tables; Python's recursion limit would be reached near 200


def read_docx(path: Path) -> list[Block]:
    """Blocks of a .docx file (see the module docstring for what is kept and how tables look)."""
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(path, zf)
            doc_name = _main_part(zf)
            root = _xml(zf, doc_name)
            if root is None:
                raise KeyError(doc_name)
            rels = _rels(zf, doc_name)
            numbering = _xml(zf, rels.get("numbering", "word/numbering.xml"))
            styles = _xml(zf, rels.get("styles", "word/styles.xml"))
    except DefusedXmlException:  # a ValueError too: must come first
        raise InputFileError(
            f"「{path.name}」含有不安全的 XML 内容（实体或 DTD），为安全起见不予读取：请在 Word/WPS 中另存后再试。"
        ) from None
    except (zipfile.BadZipFile, KeyError, ParseError, EOFError, NotImplementedError, RuntimeError,
            ValueError, zlib.error):
        raise InputFileError(
            f"「{path.name}」已损坏，无法作为 Word 文档读取：请在 Word/WPS 中打开并另存为 .docx 后再试。"
        ) from None
    w = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else f"{{{W_MAIN}}}"
    reader = _Body(w, Numbering.load(w, numbering, styles), style_levels(w, styles))
    body = root.find(w + "body")
    out: list[Block] = []
    if body is not None:
        reader.walk(body, out)
    return out


def _xml(zf: zipfile.ZipFile, name: str) -> Element | None:
    try:
        data = zf.read(name)
    except KeyError:
        return None
    return fromstring(data, forbid_dtd=True)


def _main_part(zf: zipfile.ZipFile) -> str:
    for target, kind in _rel_targets(zf, "_rels/.rels", ""):
        if kind == "officeDocument":
            return target
    return "word/document.xml"


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    return {kind: target for target, kind in _rel_targets(zf, f"{folder}/_rels/{name}.rels", folder)}


def _rel_targets(zf: zipfile.ZipFile, rels_name: str, folder: str) -> list[tuple[str, str]]:
    root = _xml(zf, rels_name)
    if root is None:
        return []
    out = []
    for rel in root.iter(_PKG_REL + "Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out.append((full, rel.get("Type", "").rsplit("/", 1)[-1]))
    return out


class _Body:
    def __init__(self, w: str, numbering: Numbering, levels: dict[str, int] | None = None) -> None:
        self.w = w
        self.numbering = numbering
        self.levels = levels or {}  # styleId → heading level
        # Subtrees whose text Word does not show in the flow of the document.
        self.skip = {w + t for t in ("del", "moveFrom", "pPr", "rPr", "instrText", "delInstrText", "delText",
                                     "drawing", "pict", "object", "sdtPr", "sdtEndPr", "fldData", "rt",
                                     "footnoteReference", "endnoteReference", "commentReference")}
        self.skip |= {_MC + "AlternateContent"}  # text boxes (mc:Choice and its mc:Fallback copy)
        self.depth = 0  # tables inside tables being read

    def walk(self, container: Element, out: list[Block]) -> None:
        w = self.w
        for child in container:
            tag = child.tag
            if tag == w + "p":
                self.paragraph(child, out)
            elif tag == w + "tbl":
                if self.depth >= _MAX_NESTING:
                    # tables nested this deep are no plan layout: their text, without recursion
                    text = clean_line(" ".join(t.text or "" for t in child.iter(w + "t")))
                    out.append(Block("p", text))
                    continue
                self.depth += 1
                try:
                    out.append(Block("table", rows=self.table(child)))
                finally:
                    self.depth -= 1
            elif tag == w + "sdt":
                content = child.find(w + "sdtContent")
                if content is not None:
                    self.walk(content, out)
            elif tag in (w + "customXml", w + "ins", w + "moveTo", w + "smartTag"):
                self.walk(child, out)

    def paragraph(self, p: Element, out: list[Block]) -> None:
        w = self.w
        ppr = p.find(w + "pPr")
        style = num_pr = None
        parts: list[str] = []
        self.runs(p, parts)
        text = "".join(parts)
        if ppr is not None:
            el = ppr.find(w + "pStyle")
            style = el.get(w + "val") if el is not None else None
            num_pr = ppr.find(w + "numPr")
            if not text.strip() and ppr.find(f"{w}rPr/{w}del") is not None:
                return  # a paragraph deleted with tracked changes: gone in the final view
        label, suffix = self.numbering.label(num_pr, style)
        lines = [clean_line(line) for line in text.split("\n")]
        if label and lines[0]:
            lines[0] = join_label(label, suffix, lines[0])
        elif len(lines) == 1 and lines[0] and self.depth == 0 and numbered(lines[0]) is None:
            level = paragraph_level(w, p, style, self.levels, lines[0])
            if level is not None:  # a heading by style or font, without a numeral
                lines[0] = heading_line(level, lines[0])
        out.extend(Block("p", line) for line in lines)

    def runs(self, el: Element, parts: list[str]) -> None:
        w = self.w
        for child in el:
            tag = child.tag
            if tag == w + "t":
                parts.append(child.text or "")
            elif tag in self.skip:
                continue
            elif tag == w + "r":
                if not self._hidden(child):
                    self.runs(child, parts)
            elif tag in (w + "tab", w + "ptab"):
                parts.append("\t")
            elif tag in (w + "br", w + "cr"):
                parts.append("\n")
            elif tag == w + "noBreakHyphen":
                parts.append("-")
            elif tag == w + "sym":
                char = chr(int(child.get(w + "char", "20"), 16) if _is_hex(child.get(w + "char")) else 32)
                parts.append("" if 0xE000 <= ord(char) <= 0xF8FF else char)  # symbol-font glyphs
            else:
                self.runs(child, parts)  # w:hyperlink, w:ins, w:moveTo, w:sdt, w:fldSimple, w:smartTag …

    def _hidden(self, run: Element) -> bool:
        vanish = run.find(f"{self.w}rPr/{self.w}vanish")
        return vanish is not None and vanish.get(self.w + "val", "true") not in ("0", "false", "off")

    def table(self, tbl: Element) -> list[list[str]]:
        w = self.w
        grid: list[list[str]] = []
        merged_from: dict[int, str] = {}  # grid column → text of the cell that started a vMerge
        for tr in self._children(tbl, w + "tr"):
            trpr = tr.find(w + "trPr")
            if trpr is not None and trpr.find(w + "del") is not None:
                continue  # a row deleted with tracked changes
            row: list[str] = [""] * _val_int(w, trpr, "gridBefore")
            for tc in self._children(tr, w + "tc"):
                tcpr = tc.find(w + "tcPr")
                span = max(1, _val_int(w, tcpr, "gridSpan") or 1)
                vmerge = tcpr.find(w + "vMerge") if tcpr is not None else None
                col = len(row)
                if vmerge is not None and vmerge.get(w + "val", "continue") == "continue":
                    text = merged_from.get(col, "")
                else:
                    text = self.cell_text(tc)
                    if vmerge is not None:
                        merged_from[col] = text
                    else:
                        merged_from.pop(col, None)
                row.extend([text] + [""] * (span - 1))
            grid.append(row)
        width = max((len(r) for r in grid), default=0)
        return [r + [""] * (width - len(r)) for r in grid]

    def _children(self, el: Element, tag: str) -> list[Element]:
        """Rows of a table or cells of a row, looking through content controls and custom XML."""
        w = self.w
        out = []
        for child in el:
            if child.tag == tag:
                out.append(child)
            elif child.tag in (w + "sdt", w + "customXml", w + "sdtContent"):
                out.extend(self._children(child, tag))
        return out

    def cell_text(self, tc: Element) -> str:
        blocks: list[Block] = []
        self.walk(tc, blocks)
        lines = []
        for b in blocks:
            if b.kind == "table":
                lines.extend(" ".join(c for c in r if c) for r in b.rows)
            elif b.text:
                lines.append(b.text)
        return "\n".join(line for line in lines if line)


def _val_int(w: str, parent: Element | None, tag: str) -> int:
    el = parent.find(w + tag) if parent is not None else None
    try:
        return int(el.get(w + "val", "0")) if el is not None else 0
    except ValueError:
        return 0


def _is_hex(value: str | None) -> bool:
    try:
        return value is not None and 0 < int(value, 16) < 0x110000
    except ValueError:
        return False
