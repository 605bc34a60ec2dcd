"""Plain text (.txt) and Markdown (.md) plans: one block per line, blank lines kept."""

from __future__ import annotations

import re
from pathlib import Path

from workplan_xl.cjk import clean_text
from workplan_xl.plan_document.readers.blocks import Block, clean_line, decode_text, is_page_number

_LINE_BREAK = re.compile(r"\r\n|[\r\n\f\v\x85\u2028\u2029]")


def read_text(path: Path, encoding: str | None = None) -> list[Block]:
    """One "p" block per line; a blank line stays as Block("p", "") because it marks a paragraph
    boundary (the parser joins lines split by a page break only where there was none). Running page
    numbers ("— 3 —", "第3页") are dropped. For .md/.markdown, headings, emphasis, list bullets and
    links are unwrapped and pipe tables become table blocks."""
    text, _ = decode_text(path.read_bytes(), path.name, encoding)
    # a line with tabs keeps its leading tabs: the empty first cells of a pasted table row (text_tables.py)
    lines = [clean_line(line) if "\t" not in line.strip() else clean_text(line).strip(" \u3000\xa0\ufeff").rstrip("\t")
             for line in _LINE_BREAK.split(text)]
    if text.endswith(("\n", "\r")):
        lines.pop()  # the final newline ends the last line, it does not start a blank one
    if path.suffix.lower() in (".md", ".markdown"):
        return markdown_blocks(lines)
    from workplan_xl.plan_document.readers.text_tables import text_tables

    return text_tables([Block("p", line) for line in lines if not is_page_number(line)])


_MD_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s?|[-*+]\s+|\[[ xX]\]\s+)+")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_TABLE_SEP = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")


def _md_inline(line: str) -> str:
    line = _MD_PREFIX.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    return line.replace("**", "").replace("__", "").replace("`", "").strip()


def _md_cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [_md_inline(cell.replace("\\|", "|")) for cell in re.split(r"(?<!\\)\|", line)]


def markdown_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    i, fenced = 0, False
    while i < len(lines):
        line = lines[i]
        if line.startswith("```") or line.startswith("~~~"):
            fenced = not fenced
        elif fenced:
            blocks.append(Block("p", line))
        elif "|" in line and i + 1 < len(lines) and _MD_TABLE_SEP.match(lines[i + 1]):
            rows = [_md_cells(line)]
            i += 2
            while i < len(lines) and "|" in lines[i]:
                rows.append(_md_cells(lines[i]))
                i += 1
            width = max(len(r) for r in rows)
            blocks.append(Block("table", rows=[r + [""] * (width - len(r)) for r in rows]))
            continue
        elif _MD_RULE.match(line):
            blocks.append(Block("p", ""))
        elif not is_page_number(line):
            blocks.append(Block("p", _md_inline(line)))
        i += 1
    return blocks
