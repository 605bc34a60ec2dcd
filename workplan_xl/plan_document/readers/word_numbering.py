"""Word's automatic list numbering, rendered as Word shows it ("一、", "（一）", "1.", "①").

python-docx's ``paragraph.text`` drops it, yet a plan's whole outline is often in it. This follows
numbering.xml: w:num → w:abstractNum (levels with numFmt, lvlText, start), w:lvlOverride/startOverride
(a new list that restarts), style-linked numbering (pStyle → numPr, and w:lvl/w:pStyle), and counters
that restart when a higher level appears (or never, with w:lvlRestart 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

_DIGITS = "〇一二三四五六七八九"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"


def chinese_counting(n: int, digits: str = "〇一二三四五六七八九", units: str = "十百千") -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百〇五 (Word's chineseCounting, up to 9999)."""
    if n <= 0 or n >= 10000:
        return str(n)
    parts, zero = [], False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d:
            if zero:
                parts.append(digits[0])
            parts.append(("" if (d == 1 and unit == units[0] and n < 20) else digits[d]) + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    # Word's lists go A … Z, AA, BB, … (the letter repeated), not spreadsheet-style AB; a hostile
    # w:start of 10^9 must not make a label of 38 million letters
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if 0 < n <= 26 * 20 else str(n)


def _from(table: str, n: int) -> str:
    return table[n - 1] if 0 < n <= len(table) else str(n)


def format_number(n: int, fmt: str) -> str:
    """One counter in one of Word's w:numFmt formats; unknown formats fall back to decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "koreanCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseDigitalTenThousand"):
        return chinese_counting(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return chinese_counting(n, _LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt in ("ideographTraditional",):
        return _from(_STEMS, n)
    if fmt in ("ideographZodiac",):
        return _from(_BRANCHES, n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _from(_CIRCLED, n)
    if fmt == "decimalEnclosedParen":
        return _from(_PAREN, n)
    if fmt == "decimalEnclosedFullstop":
        return _from(_FULLSTOP, n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False  # w:isLgl: every %n shown as decimal (1.1.1 under 一、)
    suffix: str = "tab"
    style: str | None = None  # w:pStyle: the paragraph style linked to this level


@dataclass
class Numbering:
    """numbering.xml and the numbering parts of styles.xml, plus the running counters."""

    w: str  # the WordprocessingML namespace in braces, e.g. "{http://…/main}"
    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    abstract_link: dict[str, str] = field(default_factory=dict)  # abstractNumId → numStyleLink style
    nums: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    overrides: dict[str, dict[int, tuple[int | None, Level | None]]] = field(default_factory=dict)
    style_num: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    style_based: dict[str, str] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, w: str, numbering: Element | None, styles: Element | None) -> Numbering:
        self = cls(w)
        if numbering is not None:
            for an in numbering.iter(w + "abstractNum"):
                abs_id = an.get(w + "abstractNumId", "")
                self.abstract[abs_id] = {
                    int(lvl.get(w + "ilvl", "0")): self._level(lvl) for lvl in an.iter(w + "lvl")}
                link = an.find(w + "numStyleLink")
                if link is not None:
                    self.abstract_link[abs_id] = link.get(w + "val", "")
            for num in numbering.iter(w + "num"):
                num_id = num.get(w + "numId", "")
                ref = num.find(w + "abstractNumId")
                self.nums[num_id] = ref.get(w + "val", "") if ref is not None else ""
                for ov in num.iter(w + "lvlOverride"):
                    so = ov.find(w + "startOverride")
                    lvl = ov.find(w + "lvl")
                    start = _int(so.get(w + "val")) if so is not None else None
                    self.overrides.setdefault(num_id, {})[int(ov.get(w + "ilvl", "0"))] = (
                        start, self._level(lvl) if lvl is not None else None)
        if styles is not None:
            for st in styles.iter(w + "style"):
                sid = st.get(w + "styleId", "")
                based = st.find(w + "basedOn")
                if based is not None:
                    self.style_based[sid] = based.get(w + "val", "")
                num_pr = st.find(f"{w}pPr/{w}numPr")
                if num_pr is not None:
                    self.style_num[sid] = _num_pr(w, num_pr)
        return self

    def _level(self, lvl: Element) -> Level:
        w = self.w

        def val(tag: str) -> str | None:
            el = lvl.find(w + tag)
            return None if el is None else el.get(w + "val")

        legal = lvl.find(w + "isLgl")
        return Level(
            fmt=val("numFmt") or "decimal", text=val("lvlText") or "", start=_int(val("start")) or 0,
            restart=_int(val("lvlRestart")), suffix=val("suff") or "tab", style=val("pStyle"),
            legal=legal is not None and legal.get(w + "val", "1") not in ("0", "false", "off"),
        )

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                return self.style_num[style]
            style = self.style_based.get(style)
        return None, None

    def label(self, num_pr: Element | None, style: str | None) -> tuple[str, str]:
        """(label, suffix) for one paragraph, advancing the counters; ("", "") if not numbered."""
        num_id, ilvl = _num_pr(self.w, num_pr) if num_pr is not None else (None, None)
        if num_id is None or ilvl is None:
            s_num, s_lvl = self._style_numbering(style)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return "", ""
        abs_id = self._resolve(self.nums[num_id])
        levels = self.abstract.get(abs_id, {})
        if ilvl is None:  # style-linked: the level whose w:pStyle names this style
            ilvl = next((i for i, lv in levels.items() if style and lv.style == style), 0)
        overrides = self.overrides.get(num_id, {})
        counters = self.counters.setdefault(abs_id, {})
        if num_id not in self.started:
            # A list instance with w:startOverride starts afresh at its first paragraph.
            self.started.add(num_id)
            for lvl_no, (start, _lvl) in overrides.items():
                if start is not None:
                    counters.pop(lvl_no, None)
        level = self._lvl(levels, overrides, ilvl)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else self._start(levels, overrides, ilvl)
        for deeper in [k for k in counters if k > ilvl]:
            restart = self._lvl(levels, overrides, deeper).restart
            if restart != 0 and (restart is None or ilvl < restart):
                del counters[deeper]
        if level.fmt == "bullet":
            return "", ""  # bullets are decoration, not numbering the outline could use

        def fill(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            value = counters.get(k, self._start(levels, overrides, k))
            fmt = "decimal" if level.legal and k < ilvl else self._lvl(levels, overrides, k).fmt
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", fill, level.text[:40])[:60], level.suffix

    def _resolve(self, abs_id: str) -> str:
        """Follow w:numStyleLink: a list style's abstractNum holds only a link to the real one."""
        for _ in range(5):
            link = self.abstract_link.get(abs_id)
            num_id = self.style_num.get(link, (None, None))[0] if link else None
            if not num_id or num_id not in self.nums:
                break
            abs_id = self.nums[num_id]
        return abs_id

    def _lvl(self, levels: dict[int, Level], overrides: dict, ilvl: int) -> Level:
        ov = overrides.get(ilvl)
        if ov and ov[1] is not None:
            return ov[1]
        return levels.get(ilvl, Level())

    def _start(self, levels: dict[int, Level], overrides: dict, ilvl: int) -> int:
        ov = overrides.get(ilvl)
        if ov and ov[0] is not None:
            return ov[0]
        return self._lvl(levels, overrides, ilvl).start


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _num_pr(w: str, num_pr: Element) -> tuple[str | None, int | None]:
    num = num_pr.find(w + "numId")
    lvl = num_pr.find(w + "ilvl")
    return (num.get(w + "val") if num is not None else None,
            _int(lvl.get(w + "val")) if lvl is not None else None)


_ASCII_END = re.compile(r"[0-9A-Za-z.)\]]$")
_ASCII_START = re.compile(r"^[0-9A-Za-z]")


def join_label(label: str, suffix: str, text: str) -> str:
    """Label and text as one string. Word puts a tab (or space) between them; we keep a space only
    where the two would otherwise run together ("1." + "2024年…"), never after "一、" or "（一）"."""
    if not label:
        return text
    if suffix != "nothing" and _ASCII_END.search(label) and _ASCII_START.search(text):
        return f"{label} {text}"
    return label + text
