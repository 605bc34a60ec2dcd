"""The numbering styles of Chinese official documents, recognised at the start of a paragraph.

Styles are ranked the way GB/T 9704 orders them (一、 > （一） > 1. > （1） > ①); which style is a
section and which a task is decided relative to what a part actually uses (outline.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = "零一二三四五六七八九"
CN_NUMERAL = "[一二三四五六七八九十百零〇]{1,4}"

# rank: lower is higher in the hierarchy; SHI is the paragraph-initial 一是/二是 of a 工作要点 written
# without headings (as deep as any style: it is the task level only where nothing else is used)
PART, H1, H2, H3, H4, H5, SHI = 0, 1, 2, 3, 4, 5, 6
HEADING_MARK = "\ue000"  # + level digit: a heading the reader saw by its style or font (no numeral)

_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (PART, re.compile(rf"^第\s*({CN_NUMERAL})\s*(?:部分|章|篇)\s*[、：:.．，,]?\s*")),
    # "一?" too: a 、 that an RTF or a code-page conversion turned into a question mark
    (H1, re.compile(rf"^({CN_NUMERAL})\s*(?:[、，,．.]|[?？](?=[\u4e00-\u9fff]))\s*(?=\S)")),
    (H2, re.compile(rf"^[（(]\s*({CN_NUMERAL})\s*[）)]\s*[、.．，,]?\s*(?=\S)")),
    (H3, re.compile(r"^(\d{1,4})\s*[.．、](?![\d.．])\s*(?=\S)")),
    (H4, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*[、.．]?\s*(?=\S)")),
    (H5, re.compile(r"^([①-⑳])\s*(?=\S)")),
    (SHI, re.compile(rf"^({CN_NUMERAL})\s*是\s*(?=[^\s，,。：:])")),
]
# A level-1 heading whose numeral fell out in the source: "、聚焦…"
_LOST = re.compile(r"^[、，]\s*(?=[\u4e00-\u9fff“\"《「])")


@dataclass(frozen=True)
class Numbered:
    """A paragraph that starts with a numbering mark."""

    rank: int          # PART, H1 … H5
    value: int | None  # 1-based position the numeral says; None when the numeral was lost
    mark: str          # the numeral in a canonical written form: "一", "（一）", "1", "（1）", "①"
    rest: str          # the paragraph without its numbering
    styled: bool = False  # a heading by style or font (HEADING_MARK), its value counted by the outline


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None if it is not a Chinese numeral."""
    text = text.replace("〇", "零")
    if not text or any(ch not in CN_DIGITS + "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS.index(ch)
    return total + current


def int_to_cn(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 99 → 九十九 (section numerals never go higher)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


def mark_for(rank: int, value: int) -> str:
    """The canonical numeral text of ``value`` in a style."""
    if rank == PART:
        return f"第{int_to_cn(value)}部分"
    if rank == H1:
        return int_to_cn(value)
    if rank == H2:
        return f"（{int_to_cn(value)}）"
    if rank == H3:
        return str(value)
    if rank == H4:
        return f"（{value}）"
    if rank == SHI:
        return f"{int_to_cn(value)}是"
    return chr(0x2460 + value - 1) if 1 <= value <= 20 else str(value)


def heading_line(level: int, text: str) -> str:
    """``text`` marked as a level-``level`` heading (1 = 一、, 2 = （一）, 3 = 1.) without a numeral."""
    return f"{HEADING_MARK}{max(1, min(level, 3))}{text}"


def plain(line: str) -> str:
    """``line`` without a heading mark."""
    return line[2:] if line.startswith(HEADING_MARK) else line


_STARTS = set("第一二三四五六七八九十百零〇（(0123456789０１２３４５６７８９①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳、，"
              + HEADING_MARK)


def numbered(line: str) -> Numbered | None:
    """The numbering at the start of ``line``, if any."""
    if not line or line[0] not in _STARTS:
        return None  # most body lines: no pattern to try
    if line[0] == HEADING_MARK:
        inner = numbered(line[2:])
        if inner is not None and inner.rank < SHI:
            return inner  # a styled heading that carries its numeral anyway
        return Numbered((H1, H2, H3)[int(line[1]) - 1] if line[1:2] in "123" else H1, None, "", line[2:].strip(),
                        styled=True)
    for rank, pattern in _PATTERNS:
        m = pattern.match(line)
        if m is None:
            continue
        raw = m.group(1)
        if rank in (PART, H1, H2, SHI):
            value = cn_to_int(raw)
            if value is None:
                continue
        elif rank == H5:
            value = ord(raw) - 0x2460 + 1
        else:
            value = int(raw)
            if rank == H3 and len(raw) == 4 and 1900 <= value <= 2100:
                continue  # "2026.3 …", "2026、…": a year, not item 2026
        mark = re.sub(r"\s+", "", m.group(0)).rstrip("、：:.．，,") if rank == PART and "部分" not in m.group(0) \
            else mark_for(rank, value)
        return Numbered(rank, value, mark, line[m.end():].strip())
    m = _LOST.match(line)
    if m is not None:
        return Numbered(H1, None, "", line[m.end():].strip())
    return None
