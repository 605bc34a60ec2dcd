"""Consolidation: what many units wrote about one task, turned into a few claims an officer would sign.

Figures written with the same wording are added up ("开展专题培训12场" from one school and "开展12场专题
培训" from another are one figure, 专题培训 × 场); the sentences that remain are merged when they are
near-duplicates, and each claim keeps the units it stands for. Pure functions, no randomness, so the
same ledger gives the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from workplan_xl.gongwen import format_number

# Counting words a figure can be summed in. Rates (%), money in words and dates (年 月 日) are not.
_MEASURES = ("万元|亿元|万人次|人次|场次|课时|学时|小时|平方米|万册|元|场|次|人|名|所|个|项|篇|节|门|期|家|"
             "册|份|台|套|间|户|件|条|批|轮|支|本|种|处|园|班|堂|组|块|幅|张|部|天")
_FIGURE = re.compile(rf"(\d+(?:,\d{{3}})*(?:\.\d+)?)\s?(余|多)?\s?({_MEASURES})(?![\d%％])")
# Schools type with a Chinese input method: full-width digits and punctuation, spaces around numbers.
_WIDE = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")  # for finding figures only
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９％", "0123456789%")  # for text the report quotes
_CLAUSE = re.compile(r"[，。；;！？!?\n]+|,(?!\d{3}(?!\d))")  # 1,200 is a number, not two clauses
_SENTENCE = re.compile(r"(?<=[。；;！？!?\n])")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
# Words around a figure that do not change what is counted: 全年累计开展培训 = 开展培训.
_LEAD_FILLER = ("截至目前", "截至年底", "本年度", "本学年", "本学期", "上半年", "下半年", "年度内", "全年", "今年",
                "年内", "目前", "其中", "同时", "此外", "另外", "先后", "累计", "共计", "合计", "总计", "全校", "全园",
                "我校", "本校", "我园", "本园", "学校", "已经", "已", "共", "均", "还", "又", "并", "再", "今")
_LEAD_TAIL = ("达到", "超过", "共计", "累计", "合计", "达", "约", "近", "超", "逾", "计", "为", "共", "了", "各")
_SELF = re.compile(r"^(?:我校|本校|我园|本园|学校|全校|全园|我单位|本单位)")
# A figure after these is a rate or a part of another figure (每月到校2次, 其余2处), not a count to add up.
_PART_OF = ("其余", "剩余", "分别", "第")
_RATE_WORDS = ("每", "平均", "人均", "生均")


def _not_a_total(wording: str) -> bool:
    return wording.startswith(_PART_OF) or any(w in wording for w in _RATE_WORDS)


MAX_FIGURES = 4  # per task: the figures most units share


@dataclass
class Figure:
    """One counted thing: its wording (lead + measure), the total and every unit's part of it."""

    wording: str  # 开展专题培训
    measure: str  # 场
    parts: list[tuple[str, float]] = field(default_factory=list)  # (unit name, value) in first-seen order
    approximate: bool = False  # a unit wrote 120余人
    first: int = 0

    @property
    def total(self) -> float:
        return float(sum(v for _, v in self.parts))

    @property
    def units(self) -> list[str]:
        return [u for u, _ in self.parts]

    def text(self) -> str:
        """开展专题培训123场 (with 余 when a unit gave an approximate figure)."""
        return f"{self.wording}{format_number(self.total)}{'余' if self.approximate else ''}{self.measure}"


@lru_cache(maxsize=65536)
def _clean_lead(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for word in _LEAD_FILLER:
            if text.startswith(word) and len(text) > len(word) + 1:
                text, changed = text[len(word):], True
                break
        for word in _LEAD_TAIL:
            if text.endswith(word) and len(text) > len(word) + 1:
                text, changed = text[:-len(word)], True
                break
    text = text.replace("了", "")
    return text[2:] if text.startswith(("组织开展", "组织召开", "组织举办")) else text  # 组织开展培训 = 开展培训


@lru_cache(maxsize=65536)
def figures_in(text: str) -> tuple[tuple[str, str, float, bool, str], ...]:
    """(wording, measure, value, approximate, clause) for every countable figure in a unit's text.
    The wording is the words before the number plus, when the clause ends after the measure, the words
    after it ("开展12场专题培训" → 开展专题培训); a figure whose wording is not plain Chinese is left out."""
    found = []
    for clause in _CLAUSE.split(text.translate(_WIDE)):
        clause = _LIST_MARK.sub("", clause.strip())
        matches = list(_FIGURE.finditer(clause))
        start = 0
        for k, match in enumerate(matches):
            lead = clause[start:match.start()]
            start = match.end()
            tail = clause[match.end():] if k == len(matches) - 1 else ""
            if tail and (len(tail) > 10 or not _CJK.match(tail)):
                tail = ""
            lead = re.split(r"[、和与及]", lead)[-1] if k else lead
            wording = _clean_lead(lead.strip() + tail)
            if not (2 <= len(wording) <= 14 and _CJK.match(wording)) or _not_a_total(wording):
                continue
            number = float(match.group(1).replace(",", ""))
            found.append((wording, match.group(3), number, bool(match.group(2)), clause))
    return tuple(found)


def consolidate_figures(texts: list[tuple[str, str]]) -> list[Figure]:
    """Every figure across units, same wording summed. One unit often repeats a figure in 进展情况
    and 主要成效: per unit and wording the larger of its texts' totals counts, never both."""
    distinct = list(dict.fromkeys(text for _, text in texts))  # hundreds of units write the same words
    same = _same_wording({key for text in distinct for key, *_ in _text_figures(text)})
    mapped: dict[str, dict[tuple[str, str], float]] = {}
    figures: dict[tuple[str, str], Figure] = {}
    for order, text in enumerate(distinct):
        totals: dict[tuple[str, str], float] = {}
        for raw, value, approximate in _text_figures(text):
            key = same.get(raw, raw)
            totals[key] = totals.get(key, 0.0) + value
            figure = figures.get(key)
            if figure is None:
                figure = figures[key] = Figure(*key, first=order)
            figure.approximate |= approximate
        mapped[text] = totals
    by_unit: dict[str, list[str]] = {}
    for unit, text in texts:
        if mapped[text]:
            by_unit.setdefault(unit, []).append(text)
    parts: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for unit, its in by_unit.items():
        best = mapped[its[0]]
        if len(its) > 1:
            best = dict(best)
            for text in its[1:]:
                for key, value in mapped[text].items():
                    if value > best.get(key, 0.0):
                        best[key] = value
        for key, value in best.items():
            parts.setdefault(key, []).append((unit, value))
    for key, figure in figures.items():
        figure.parts = parts.get(key, [])
    return list(figures.values())


@lru_cache(maxsize=65536)
def _text_figures(text: str) -> tuple[tuple[tuple[str, str], float, bool], ...]:
    """One text's figures as ((wording, measure), value, approximate), the same wording added up."""
    totals: dict[tuple[str, str], tuple[float, bool]] = {}
    for wording, measure, value, approximate, _ in figures_in(text):
        total, approx = totals.get((wording, measure), (0.0, False))
        totals[(wording, measure)] = (total + value, approx or approximate)
    return tuple((key, value, approx) for key, (value, approx) in totals.items())


def _same_wording(keys: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """培训覆盖教职工 → 覆盖教职工: a wording that only adds a word or two before another's (same
    measure) counts the same thing; it is filed under the shorter one."""
    mapping = {}
    for wording, measure in keys:
        shorter = [w for w, m in keys if m == measure and len(w) >= 3 and w != wording
                   and wording.endswith(w) and len(wording) - len(w) <= 4]
        if shorter:
            mapping[(wording, measure)] = (min(shorter, key=lambda w: (len(w), w)), measure)
    return mapping


def chosen_figures(figures: list[Figure], limit: int = MAX_FIGURES) -> list[Figure]:
    """The figures most units share (ties: the first written), at most ``limit``."""
    return sorted(figures, key=lambda f: (-len(f.parts), f.first))[:limit]


def unit_claim(units: list[str], total_units: int | None = None) -> str:
    """Who a claim stands for: 城东一中 / 城东一中、城东二中 / 城东一中等12个单位."""
    if len(units) == 1:
        return units[0]
    if len(units) == 2:
        return "、".join(units)
    return f"{units[0]}等{len(units)}个单位"


def figure_sentence(figures: list[Figure]) -> str:
    """12个单位共开展专题培训123场、覆盖教职工3200人次，城东一中、城东二中共投入资金45万元."""
    groups: list[tuple[tuple[str, ...], list[Figure]]] = []
    for figure in figures:
        units = tuple(figure.units)
        for key, members in groups:
            if key == units:
                members.append(figure)
                break
        else:
            groups.append((units, [figure]))
    parts = []
    for units, members in groups:
        said = "、".join(f.text() for f in members)
        if len(units) == 1:
            parts.append(f"{units[0]}{said}")
        elif len(units) == 2:
            parts.append(f"{'、'.join(units)}共{said}")
        else:
            parts.append(f"{len(units)}个单位共{said}")
    return "，".join(parts)


_LIST_MARK = re.compile(r"^(?:\d+[.．、)）]|[（(]\d+[)）]|[①-⑳]|[一二三四五六七八九十]+[是、])")  # a school's own list
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")  # spaces beside Chinese: typing noise
_SPACE = re.compile(r"\s+")
# "Nothing to report" typed into 存在问题 or 下一步打算 is not a problem or a plan.
_NOTHING = re.compile(r"^(?:暂|目前|暂时)?(?:无|没有|未发现)(?:明显|突出)?(?:的)?(?:问题|困难|不足|打算)?$|^[-—/／\\.。、无]*$")
QUOTE_MAX = 100  # characters of one quoted sentence; a school's essay is cut at a comma


def quotable(sentence: str, limit: int = QUOTE_MAX) -> str:
    """One sentence short enough to quote: cut at the last comma before ``limit`` (else at ``limit``)."""
    if len(sentence) <= limit:
        return sentence
    cut = max(sentence.rfind(c, 0, limit) for c in "，,；;")
    return sentence[:cut] if cut >= limit // 3 else sentence[:limit]


@lru_cache(maxsize=65536)
def sentences(text: str) -> tuple[str, ...]:
    """A unit's text as sentences, without closing punctuation, spaces and the school's self-reference."""
    found = []
    for piece in _SENTENCE.split(text.translate(_WIDE_DIGITS)):
        piece = _SPACE.sub(" ", _CJK_SPACE.sub("", piece)).strip().strip("。；;！？!?，,、")
        piece = _SELF.sub("", _LIST_MARK.sub("", piece))
        if piece and not _NOTHING.match(piece):
            found.append(quotable(piece))
    return tuple(found)


@lru_cache(maxsize=65536)
def without_figures(sentence: str, stated: frozenset[tuple[str, str]]) -> str:
    """The sentence less the clauses whose figures the report already states."""
    keep = []
    for clause in re.split(r"，|,(?!\d{3}(?!\d))", sentence):
        figures = {(w, m) for w, m, *_ in figures_in(clause)}
        if figures and figures <= stated:
            continue
        keep.append(clause)
    return "，".join(c for c in keep if c)


_NOT_WORD = re.compile(r"[^\w]")


def _key(text: str) -> str:
    return _NOT_WORD.sub("", text)


_DATE_NOISE = re.compile(r"[\d年月日号]")


def loose_key(text: str) -> str:
    """The key near-duplicates are compared on: without digits and dates (3月20日完成调整 = 3月完成调整)."""
    return _DATE_NOISE.sub("", _key(text))


def _grams(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)}


def similar(a: str, b: str, threshold: float = 0.5) -> bool:
    """Near-duplicates: one contains the other, or they share ``threshold`` of their character pairs."""
    ka, kb = loose_key(a), loose_key(b)
    if ka in kb or kb in ka:
        return True
    ga, gb = _grams(ka), _grams(kb)
    union = len(ga | gb)
    return bool(union) and len(ga & gb) / union >= threshold


def merge_groups(items: list[tuple[str, str]], threshold: float = 0.5
                 ) -> list[tuple[str, list[str], list[int]]]:
    """(sentence, units, indices of the items merged) with near-duplicates merged into the most
    informative wording, in first-seen order. ``items`` are (unit, sentence); a unit is listed once."""
    groups: list[tuple[str, set[str], dict[str, None], dict[str, None], list[int]]] = []
    by_key: dict[str, int] = {}  # loose key → group
    by_text: dict[str, int | None] = {}  # sentence → group (None: too short to say anything)
    for n, (unit, sentence) in enumerate(items):
        if sentence in by_text:
            index = by_text[sentence]
        else:
            key = loose_key(sentence)
            index = by_key.get(key) if len(key) >= 4 else None
            if index is None and len(key) >= 4:
                grams = _grams(key)
                for i, (other, other_grams, *_) in enumerate(groups):
                    union = len(grams | other_grams)
                    if key in other or other in key or (union and len(grams & other_grams) / union >= threshold):
                        index = i
                        break
                if index is None:
                    index = len(groups)
                    groups.append((key, grams, {}, {}, []))
                by_key[key] = index
            by_text[sentence] = index
        if index is None:
            continue
        _, _, wordings, units, members = groups[index]
        wordings[sentence] = None
        units[unit] = None
        members.append(n)
    # The most informative wording stands for the group: the one with most figures, then the longest.
    return [(max(w, key=lambda s: (sum(c.isdigit() for c in s), len(s), s)), list(u), m)
            for _, _, w, u, m in groups]


def merge_sentences(items: list[tuple[str, str]], threshold: float = 0.5) -> list[tuple[str, list[str]]]:
    """(sentence, units) with near-duplicates merged, in first-seen order."""
    return [(sentence, units) for sentence, units, _ in merge_groups(items, threshold)]


def informative(sentence: str) -> float:
    """Concrete beats vague: numbers and length (up to a point)."""
    return 3 * len(re.findall(r"\d+(?:\.\d+)?", sentence)) + min(len(sentence), 60) / 20


def best_sentences(items: list[tuple[str, str]], limit: int = 3) -> list[tuple[str, list[str]]]:
    """The ``limit`` most informative distinct sentences (more units first, then more concrete), in
    the order first written."""
    merged = merge_sentences(items)
    ranked = sorted(range(len(merged)), key=lambda i: (-len(merged[i][1]), -informative(merged[i][0]), i))
    return [merged[i] for i in sorted(ranked[:limit])]


def attributed(sentence: str, units: list[str]) -> str:
    """城东一中等5个单位建立课后服务评价机制."""
    return f"{unit_claim(units)}{sentence}"


def claim_units(units: list[str]) -> str:
    """（城东一中等5个单位） after a claim."""
    return f"（{unit_claim(units)}）"


__all__ = ["Figure", "attributed", "best_sentences", "chosen_figures", "claim_units", "consolidate_figures",
           "figure_sentence", "figures_in", "merge_groups", "merge_sentences", "sentences", "similar", "unit_claim",
           "without_figures"]
