"""Text PDF plans: one block per printed line, tables kept as tables.

Two engines, both installed with pdfplumber: PDFium (pypdfium2, pdfplumber's own dependency) reads the
lines of ordinary pages about 30 times faster than pdfminer, which matters for a 60-page plan; pages
with ruling lines (a 配档表) go through pdfplumber, whose table finder keeps tables as tables.

A PDF has no paragraphs, only lines, so the reader marks where a paragraph starts with a blank block
(Block("p", "")): before a line that is indented past the text's left edge (first-line indent, centred
titles), that follows a short line (the previous paragraph ended), or that follows a wider gap than
the usual line pitch. A line continuing a paragraph has no blank before it, also on a new page, so
the parser can join a paragraph the page break split. Running page numbers ("— 3 —", "- 3 -",
"第3页", a bare number) at the top or bottom of a page are dropped. Ruled tables come out as table
blocks in their place on the page, their text is not repeated as lines, and a table the page breaks
split is joined into one however many pages it runs over (its repeated header rows dropped, a row a
break cut in two joined again). Characters come in the order of their x on the line, not the order
the PDF draws them (LibreOffice draws a line's Latin-font commas, quotes and digits last).
"""

from __future__ import annotations

import re
import statistics
import warnings
from pathlib import Path
from typing import Any

from workplan_xl.errors import InputFileError
from workplan_xl.plan_document.readers.blocks import Block, ReaderWarning, clean_line, is_page_number

_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_LIST_START = re.compile(r"^(?:\d{1,3}[.、．)）]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[）)]|[①-⑳]|[一二三四五六七八九十]{1,3}[、是])")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_ASCII_WORD = re.compile(r"[0-9A-Za-z%.,)]")
_LINE_RUN = re.compile(r"[^\r\n]+")
_RULED = 3  # path objects on a page from which it may hold a ruled table

Page = tuple[int, list[dict[str, Any]], list[tuple[float, list[list[str]]]], bool]


def _encrypted(name: str) -> InputFileError:
    return InputFileError(f"「{name}」是加密的 PDF（设有打开密码），无法读取：请去掉密码后再试。")


def _damaged(name: str) -> InputFileError:
    return InputFileError(f"「{name}」已损坏，无法作为 PDF 读取：请重新导出 PDF，或改用 Word、.txt 文件。")


def read_pdf(path: Path) -> list[Block]:
    """Blocks of a text PDF; InputFileError for encrypted, damaged or scanned (image-only) PDFs."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    name = path.name
    pages: list[Page] = []
    ruled: list[int] = []
    try:
        doc = pdfium.PdfDocument(path.read_bytes())  # bytes: PDFium's own file opening trips on Chinese paths on Windows
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise _encrypted(name) from None
        raise _damaged(name) from None
    try:
        for index in range(len(doc)):
            page = doc[index]
            # raw calls: pypdfium2's object wrappers cost more than reading the page's text
            kinds = [pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, i))
                     for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))]
            images = pdfium_c.FPDF_PAGEOBJ_IMAGE in kinds or pdfium_c.FPDF_PAGEOBJ_FORM in kinds
            if kinds.count(pdfium_c.FPDF_PAGEOBJ_PATH) >= _RULED:
                ruled.append(index)
                pages.append((index + 1, [], [], images))
            else:
                pages.append((index + 1, _pdfium_lines(page), [], images))
            page.close()
    except pdfium.PdfiumError:
        raise _damaged(name) from None
    finally:
        doc.close()
    if ruled:
        _plumb(path, pages, ruled)
    blocks = _layout(pages)
    # A scan (or a drawing) has no text layer at all; a short text PDF (a one-line notice) is no scan.
    if not any(lines or rows for _, lines, rows, _ in pages):
        raise InputFileError(f"「{name}」是扫描件（图片）PDF，没有可读取的文字：请用文字版 PDF、Word 或 .txt 文件。")
    if _unreadable(blocks):
        raise InputFileError(
            f"「{name}」中的文字无法识别（字体缺少编码信息，读出来是乱码）：请改用 Word 或 .txt 文件。")
    empty = [str(no) for no, lines, rows, images in pages if images and not lines and not rows]
    if empty:
        warnings.warn(ReaderWarning(
            f"「{name}」第{'、'.join(empty)}页没有文字（可能是扫描图片），已跳过：请核对这些页的内容是否需要手工补录。"
        ), stacklevel=3)
    return blocks


def _pdfium_lines(page: Any) -> list[dict[str, Any]]:
    """Lines of one page shaped as pdfplumber's (text, x0, x1, top, bottom; top from the top edge).

    PDFium's page text has its own line breaks, and spaces it made up where glyphs stand apart:
    those are kept only between Latin words or digits, or across a gap wider than a character, so
    "3 月" and "2031 年" come out as "3月" and "2031年" like the .docx text.

    PDFium gives characters in the order the PDF draws them. LibreOffice draws a line's text in one
    run per font, so with a Latin font for ASCII (a 仿宋 + Times New Roman document) the half-width
    commas, quotes and digits of a line may come after its Chinese text ("理念“”,"). Where a run of
    such characters is out of place, the line is put back in the order of the characters' x."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    rect = pdfium_c.FS_RECTF()

    def box(t: int) -> tuple[float, float, float, float] | None:
        c = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, t)
        if c < 0 or not pdfium_c.FPDFText_GetLooseCharBox(textpage, c, rect):
            return None
        return rect.left, rect.bottom, rect.right, rect.top

    def generated(t: int) -> bool:
        c = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, t)
        return c < 0 or bool(pdfium_c.FPDFText_IsGenerated(textpage, c))

    out = []
    for m in _LINE_RUN.finditer(text):
        start, end = m.start(), m.end()
        first, last = box(start), box(end - 1)
        if first is None or last is None:
            continue
        line = m.group()
        if _FOREIGN.search(line) and _out_of_order(line, start, box, generated):
            record = _reordered(line, start, box, generated)
            if record is not None:
                record["top"], record["bottom"] = height - record.pop("y1"), height - record.pop("y0")
                out.append(record)
            continue
        chars = list(line)
        spaces = [k for k, ch in enumerate(chars) if ch == " "] if " " in chars else []
        for k in spaces:
            if k in (0, len(chars) - 1):
                continue
            if not generated(start + k):
                continue  # a real space in the text
            left, right = box(start + k - 1), box(start + k + 1)
            latin = _ASCII_WORD.match(chars[k - 1]) and _ASCII_WORD.match(chars[k + 1])
            # a space's width between two Chinese characters (justification moves them 0.2 pt) is a
            # typed space ("工委 市教育局"); between Chinese and Latin text LibreOffice adds its own gap
            both = bool(_CJK.match(chars[k - 1]) and _CJK.match(chars[k + 1]))
            wide = left is not None and right is not None and \
                right[0] - left[2] > (0.2 if both else 1.0) * (left[3] - left[1])
            if not (latin or wide):
                chars[k] = ""
        out.append({"text": "".join(chars), "x0": first[0], "x1": last[2],
                    "top": height - max(first[3], last[3]), "bottom": height - min(first[1], last[1])})
    textpage.close()
    return out


# Characters a Chinese document draws in its Latin font (ASCII, curly quotes, ★, —, …): their runs
# are the ones LibreOffice may draw apart from the line's Chinese text.
_FOREIGN = re.compile(r"[^\u3001-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def _out_of_order(line: str, start: int, box: Any, generated: Any) -> bool:
    """Whether a run of Latin-font characters stands left of the character drawn before it, or the
    character after it stands left of the run (a few boxes per run instead of one per character)."""
    for m in _FOREIGN.finditer(line):
        drawn = [t for t in range(start + m.start(), start + m.end()) if not generated(t)]
        if not drawn:
            continue
        a, b = drawn[0], drawn[-1]
        before = next((t for t in range(a - 1, start - 1, -1) if not generated(t)), None)
        after = next((t for t in range(b + 1, start + len(line)) if not generated(t)), None)
        run_first, run_last = box(a), box(b)
        if run_first is None or run_last is None:
            continue
        tolerance = 0.3 * max(run_first[3] - run_first[1], 1.0)
        if before is not None and (prev := box(before)) is not None and run_first[0] < prev[0] - tolerance:
            return True
        if after is not None and (nxt := box(after)) is not None and nxt[0] < run_last[0] - tolerance:
            return True
    return False


def _reordered(line: str, start: int, box: Any, generated: Any) -> dict[str, Any] | None:
    """The line's drawn characters in the order of their x, PDFium's made-up spaces dropped and a
    space put back only between Latin words or numbers set apart."""
    chars = []
    for k, ch in enumerate(line):
        if ch == " " and generated(start + k):
            continue
        b = box(start + k)
        if b is not None:
            chars.append((b[0], k, ch, b))
    if not chars:
        return None
    chars.sort(key=lambda c: (c[0], c[1]))
    text = chars[0][2]
    for (_, _, a, ba), (_, _, b, bb) in zip(chars, chars[1:], strict=False):
        latin = _ASCII_WORD.match(a) and _ASCII_WORD.match(b)
        chinese = _CJK.match(a) and _CJK.match(b)
        if a != " " and b != " " and (latin or chinese) and bb[0] - ba[2] > 0.2 * (ba[3] - ba[1]):
            text += " "
        text += b
    boxes = [c[3] for c in chars]
    return {"text": text, "x0": boxes[0][0], "x1": max(b[2] for b in boxes),
            "y0": min(b[1] for b in boxes), "y1": max(b[3] for b in boxes)}


def _plumb(path: Path, pages: list[Page], ruled: list[int]) -> None:
    """Pages with ruling lines through pdfplumber: tables found, their text kept out of the lines."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            for index in ruled:
                page = pdf.pages[index]
                if _doubled(page.chars):
                    page = page.dedupe_chars()  # fake bold: each glyph printed twice
                tables = _tables(page)
                boxes = [t.bbox for t in tables]
                text_page = page.filter(lambda o, boxes=boxes: not _inside(o, boxes)) if boxes else page
                lines = text_page.extract_text_lines(return_chars=False)
                rows = [(t.bbox[1], [[_cell(c) for c in r] for r in t.extract()]) for t in tables]
                pages[index] = (index + 1, lines, rows, pages[index][3])
    except Exception:  # pdfminer raises many kinds of errors on broken files
        raise _damaged(path.name) from None


def _doubled(chars: list[dict[str, Any]]) -> bool:
    """Whether glyphs are printed twice at (nearly) the same place; deduping costs as much as reading."""
    seen: set[tuple[str, int, int]] = set()
    doubled = 0
    for c in chars:
        key = (c["text"], round(c["x0"]), round(c["top"]))
        doubled += key in seen
        seen.add(key)
    return doubled > 0.05 * len(chars)


def _unreadable(blocks: list[Block]) -> bool:
    """Text from fonts without a Unicode map: (cid:12) from pdfminer, private-use or control characters."""
    text = "".join(b.text for b in blocks).replace(" ", "")
    bad = text.count("(cid:") * 7 + sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff" or ch in "\ufffd\ufffe")
    return len(text) > 0 and bad > 0.3 * len(text)


def _tables(page: Any) -> list[Any]:
    # A single ruled box around text (a framed note) is not a table; a table has 2+ rows or columns.
    return [t for t in page.find_tables() if len(t.rows) > 1 or len(t.columns) > 1]


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    if obj.get("object_type") != "char":
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _cell(text: str | None) -> str:
    """A cell's wrapped lines joined back: nothing between CJK, a space between Latin words, and a
    newline kept before a line that starts a list item ("1.", "（2）", "①")."""
    if not text:
        return ""
    lines = [clean_line(line) for line in text.split("\n")]
    out = ""
    for line in filter(None, lines):
        if not out:
            out = line
        elif _LIST_START.match(line):
            out += "\n" + line
        elif _CJK.match(out[-1]) or _CJK.match(line[0]):
            out += line
        else:
            out += " " + line
    return out


def _layout(pages: list[tuple[int, list[dict[str, Any]], list[tuple[float, list[list[str]]]], bool]]) -> list[Block]:
    """Lines and tables in reading order, page numbers removed, paragraph starts marked by blanks."""
    for _, lines, _, _ in pages:
        for i in (-1, 0):  # last lines first, so index 0 stays valid
            while lines and (is_page_number(lines[i]["text"]) or _BARE_NUMBER.match(lines[i]["text"].strip())):
                lines.pop(i)
            if not lines:
                break
    every = [line for _, lines, _, _ in pages for line in lines]
    left = _quantile([line["x0"] for line in every], 0.1) if every else 0.0
    right = _quantile([line["x1"] for line in every], 0.9) if every else 0.0
    size = (statistics.median(line["bottom"] - line["top"] for line in every) if every else 0) or 10.0
    pitches = [b["top"] - a["top"] for _, lines, _, _ in pages for a, b in zip(lines, lines[1:], strict=False)
               if 0 < b["top"] - a["top"] < 4 * size]
    pitch = statistics.median(pitches) if pitches else 1.5 * size
    out: list[Block] = []
    prev: dict[str, Any] | None = None
    table_end = 0  # the page the last table block ends on (a table may run over several pages)
    for no, lines, tables, _ in pages:
        items: list[tuple[float, int, Any]] = [(line["top"], 1, line) for line in lines]
        items += [(top, 0, rows) for top, rows in tables]
        prev_top = None
        for k, (top, is_line, item) in enumerate(sorted(items, key=lambda t: (t[0], t[1]))):
            if not is_line:
                last = out[-1] if out else None
                if k == 0 and last and last.kind == "table" and table_end == no - 1 and _same_width(last, item):
                    # a table the page break split: one table, its repeated header row dropped
                    _continue_table(last.rows, item[1:] if item[0] == last.rows[0] else item)
                else:
                    out.append(Block("table", rows=item, page=no))
                table_end = no
                prev = None
                continue
            text = clean_line(item["text"])
            starts = (prev is None or item["x0"] > left + 0.9 * size or prev["x1"] < right - 2 * size
                      or (prev_top is not None and top - prev_top > 1.4 * pitch))
            if starts and out:
                out.append(Block("p", "", page=no))
            out.append(Block("p", text, page=no))
            prev, prev_top = item, top
    return out


def _continue_table(rows: list[list[str]], more: list[list[str]]) -> None:
    """Append the rows a page break moved on. A row the break cut in two comes on as a row whose
    first cell is empty and whose later short cells (an owner, a month) are empty too, while the row
    above has them: its halves are joined cell by cell. A row of a vertically merged group has those
    later cells filled, so it stays a row."""
    if more and rows:
        first, above = more[0], rows[-1]
        filled = [i for i, cell in enumerate(first) if cell]
        cut = (not first[0] and filled and len(first) == len(above)
               and any(not first[i] and above[i] for i in range(filled[0] + 1, len(first))))
        if cut:
            rows[-1] = [_cell(a + "\n" + b) if a and b else a or b for a, b in zip(above, first, strict=True)]
            more = more[1:]
    rows.extend(more)


def _same_width(block: Block, rows: list[list[str]]) -> bool:
    return bool(block.rows and rows) and len(block.rows[0]) == len(rows[0])


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
