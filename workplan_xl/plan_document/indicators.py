"""Quantitative indicators in plan text: '普惠性幼儿园覆盖率稳定在95%左右' → metric, ~, 95, %.

An indicator is an Arabic number followed by a unit of count, money or rate. Years, dates, document
numbers, ordinals (第…), durations (3个月, 3年), numbers inside 《titles》 and short “names”, codes and
phone numbers are not indicators; Chinese-numeral counts (三位一体, 四个自信) are never taken.

Decided for time words, because a 台账 can only track what adds up or averages across units:
- a duration (小时, 天, 分钟) is a quantity only with a comparator word ('不少于2小时', '控制在3分钟以内')
  or a total ('累计…1200小时'); '24小时值班', '3天内', '每天锻炼1小时' describe how work is done;
- a frequency ('每周2次', '每月开展1次') is a routine, not a target, unless a comparator word makes it
  one ('每学期不少于2次', '每周体育课不少于4节');
- times of day ('17时30分') and ages ('3-6岁', '6周岁') are never indicators.
A count that only describes a subject ('全区32名责任督学每月到校不少于2次') gives way to the figure
with the comparator in the same clause. A coefficient with a comparator ('差异系数控制在0.50以内') is
an indicator without a unit.
"""

from __future__ import annotations

import re

from workplan_xl.plan import Indicator
from workplan_xl.plan_document.numerals import fold, squeeze

# Longest first so 个百分点 wins over 个 and 人次 over 人.
_UNITS = sorted(["个百分点", "百分点", "平方米", "公里", "千米", "台套", "人次", "课时", "学时", "小时", "分钟", "%", "‰",
                 "元", "所", "个",
                 "项", "名", "人", "位", "班", "次", "场", "间", "座", "台", "套", "册", "篇", "门", "节",
                 "盏", "校", "园", "家", "亩", "件", "支", "批", "期", "处", "条", "本", "部", "种", "张",
                 "辆", "户", "天", "分", "棵", "株"], key=len, reverse=True)

_NUMBER = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<more1>[余多])?\s*(?P<mult>[万亿])?\s*"
    r"(?P<more2>[余多])?\s*(?P<unit>" + "|".join(map(re.escape, _UNITS)) + ")")

# A unit character that starts a longer word is not a unit: 3个月 (a duration), 台账, 期间, 名单 …
_NOT_AFTER = {
    "个": ("月", "工作日", "学期", "年", "星期", "季度", "小时"), "名": ("单", "称", "额"),
    "次": ("年", "日"), "期": ("间", "末", "中", "限"), "部": ("门", "分", "署"),
    "处": ("室", "理", "置"), "台": ("账",), "节": ("日", "约", "点"), "本": ("科", "地", "年", "部", "级"),
    "位": ("置",), "支": ("持", "付", "出", "教", "部"), "分": ("钟", "之", "类", "配", "别", "析", "享", "层", "工", "批", "校", "园", "数"),
    "校": ("区", "长", "园"), "园": ("区", "长", "所"), "家": ("长", "庭"), "条": ("例", "件"),
    "元": ("旦",), "人": ("民", "才"), "天": ("内", "以内", "之内"), "小时": ("内", "以内", "之内"),
    "班": ("子", "级", "主任"), "门": ("类", "户"), "种": ("类",), "场": ("所", "地", "景"),
    "间": ("隔",), "批": ("次", "准", "复"), "件": ("事",), "张": ("贴",),
}

_QUALIFIER = re.compile(r"\s*(及以上|以上|及以下|以下|以内|之内|左右|上下)")

# Verbs right before the number, longest first within each comparator.
_VERBS: list[tuple[str, tuple[str, ...]]] = [
    (">=", ("不少于", "不低于", "不小于", "至少", "最少")),
    ("<=", ("不超过", "不高于", "不多于", "不大于", "最多", "控制在", "降低至", "降低到", "降至", "降到",
            "压减到", "压减至", "压缩到", "压缩至", "缩减到", "减少到", "减少至")),
    ("<", ("低于", "少于", "小于")),
    (">", ("超过", "高于", "多于", "大于", "突破")),
    ("~", ("稳定在", "保持在", "维持在", "大约", "约", "接近", "近")),
    (">=", ("提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "增长至", "增至", "达到",
            "达")),
    ("=", ("总计", "合计", "共有", "共计", "现有", "为", "是", "有", "共", "计")),
]
_ALL_VERBS = sorted({v for _, vs in _VERBS for v in vs}, key=len, reverse=True)

_CLAUSE_STOP = set(",;:!?()[]【】。，；：！？（）\n")
_SENTENCE_STOP = set("。!?！？\n")
_LEAD_FILLER = re.compile(r"(?:\s*(?:\d{1,2}[.、](?!\d)|[(（]\d{1,2}[)）]|[①-⑳]|、|[一二三四五六七八九十]是|力争|确保|争取|力求|截至目前|目前|现在|当前|其中|同时|并且|并|全年|年内|要(?![求点])|将|已经|已)\s*)+")
_NOW = re.compile(r"目前|现有|共有|已有|已经|已建|已达|截至|截止|现状|当前|现阶段|(?<![较比同])(?:去年|上年度|上一年)")
_BASELINE = re.compile(r"目前|现有|共有|现状|截至|截止|已有|当前|现在|现阶段|(?<![较比同])(?:去年|上年|上一年)")
_TARGET = re.compile(r"力争|确保|争取|力求|计划|目标|预计|新增|新建|建成|遴选|培育|支持|提高|提升|增加|增至|"
                     r"达到|超过|不少于|不低于|稳定在|控制在|实现|完成|开工|认定|创建|打造|招聘|培训|举办|"
                     r"组织|开展|选派|建设")
_FUTURE = re.compile(r"力争|计划|争取|预计|确保|下一步|明年|来年|今后")
MAX_PER_TEXT = 200
# Durations: quantities only with a comparator word or a total (see the module docstring).
_DURATIONS = {"小时", "天", "分钟"}
_TOTAL = re.compile(r"累计|共计|合计|总计|时长|时数")
_FREQUENCY = re.compile(r"每(?:个)?(?:天|日|周|星期|月|季度?|学期|学年|年|两周|半月|半年|节课?)")
# Words that say how a figure compares: a verb of these classes or a qualifier makes a comparator.
_STRONG_VERBS = sorted({v for c, vs in _VERBS if c != "=" for v in vs if len(v) >= 2}, key=len, reverse=True)
_STRONG_START = re.compile("|".join(map(re.escape, _STRONG_VERBS)))
# A time phrase at the head of a metric ('年底前创建…', '9月底前完成…') says when, not what.
_TIME_LEAD = re.compile(r"^(?:到|至|在|于)?(?:(?:\d{4}年)?\d{1,2}月份?(?:底|末|上旬|中旬|下旬)?|\d{4}年(?:底|末)?|年底|年末|"
                        r"年内|上半年|下半年)(?:前|以前|之前)?(?=\S)")
_COMPARE_LEAD = re.compile(r"^(?:较|比|同比|环比|与上年相比|比上年|较上年|较去年)")
_COEFFICIENT = re.compile(
    r"(?P<metric>[^，,。；;：:！？!?\n]{0,16}?(?:系数|指数))(?P<between>[^，,。；;：:\d\n]{0,6}?)"
    r"(?P<verb>" + "|".join(map(re.escape, _STRONG_VERBS)) + r")\s*(?P<num>\d+(?:\.\d+)?)(?![\d.%])")
# A change rather than a level: the verb right before the figure (not 提高到/增长至, which name the level).
_GROWTH_VERB = re.compile(r"(?:增长|提高|提升|增加|上升|下降|降低|减少|增幅为?|降幅为?)(?:了)?\s*$")
_COMPARED = re.compile(r"比|较|同比|环比|增幅|降幅")
_RANGE_LOW = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:-|—|–|~|～|至|到)\s*$")
_RATIO = re.compile(r"(?P<metric>[\u4e00-\u9fff]{0,8}比)(?P<verb>[^，,。；;：:\d\n]{0,6}?)"
                    r"(?P<a>\d+(?:\.\d+)?)\s*[:：比]\s*(?P<b>\d+(?:\.\d+)?)(?![\d.:：])")
_RATIO_HINT = re.compile(r"\d\s*[:：比]\s*\d")
_DOUBLING = re.compile(r"翻(?P<n>[一两二三四])番|翻番")
_WIDE_QUOTES = (("《", "》", 60), ("“", "”", 24), ("\"", "\"", 24), ("〔", "〕", 8), ("[", "]", 8))


def _masked(text: str) -> list[tuple[int, int]]:
    """Spans inside 《titles》, short “names” and 〔year〕 brackets: their numbers name things."""
    spans = []
    for left, right, limit in _WIDE_QUOTES:
        i = 0
        while (i := text.find(left, i)) >= 0:
            j = text.find(right, i + 1)
            if j < 0:
                break
            if j - i <= limit:
                spans.append((i, j + 1))
            i = j + 1
    return spans


def _clause_start(text: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and text[i - 1] not in _CLAUSE_STOP and pos - i < 40:
        i -= 1
    return i


def _comparator(before: str, qualifier: str, more: bool) -> tuple[str, str]:
    """(comparator, verb) from the words around the number; '' when the wording says nothing."""
    verb = next((v for v in _ALL_VERBS if before.endswith(v)), "")
    if qualifier in ("左右", "上下"):
        return "~", verb
    if qualifier.endswith("以上"):
        return ">=", verb
    if qualifier.endswith("以下") or qualifier in ("以内", "之内"):
        return "<=", verb
    if more:
        return ">", verb
    for comparator, verbs in _VERBS:
        if verb in verbs:
            return comparator, verb
    return "", verb


def _kind(part_kind: str, sentence_before: str, clause_before: str, verb: str) -> str:
    """achieved in a summary; in a plan, baseline when the words place the figure in the present
    (目前/现有/已有… in its clause, or in its sentence with no goal verb), else target."""
    if _FUTURE.search(clause_before):
        return "target"
    if part_kind == "summary":
        return "achieved"
    if _NOW.search(clause_before):
        return "baseline"
    if _TARGET.search(clause_before):
        return "target"
    if _BASELINE.search(sentence_before) or verb in ("为", "是", "有", "现有", "共有", "共计", "总计", "合计"):
        return "baseline"
    return "target"


def find_indicators(text: str, part_kind: str = "plan") -> list[Indicator]:
    """The quantitative spans in ``text`` in reading order, each an Indicator with id ''.

    ``part_kind`` "summary" makes reported figures "achieved". Values are plain numbers: 4万个 is
    40000 个, while money keeps its scale (2.88亿元 stays 2.88 亿元). The comparator comes from the
    wording (达到/不少于/以上 ≥, 超过 >, 不超过/以内 ≤, 低于 <, 左右/约 ~); without one a target is ≥
    and a baseline or achievement is =.
    """
    folded = fold(text)
    masked = _masked(folded)
    found: list[tuple[Indicator, int, bool]] = []  # (indicator, start of its clause, comparator worded)
    floor = ss = scanned = 0
    for m in _NUMBER.finditer(folded):
        if len(found) >= MAX_PER_TEXT:
            break  # a task with hundreds of figures is a data dump, not a plan: the first ones do
        start, end = m.start("num"), m.end()
        low = _RANGE_LOW.search(folded, max(0, start - 12), start)
        if low is not None and _is_range(folded, low):
            start = low.start(1)  # '3-5所', '1至2项': the range from its low end, which must be met
        elif any(a <= m.start("num") < b for a, b in masked) or not _is_quantity(folded, m):
            continue
        if any(a <= start < b for a, b in masked):
            continue
        unit, value = m["unit"], float((low[1] if low is not None and start == low.start(1) else m["num"]).replace(",", ""))
        if m["mult"]:
            if unit == "元":
                unit = m["mult"] + "元"
            else:
                value *= 10000 if m["mult"] == "万" else 100000000
        q = _QUALIFIER.match(folded, end)
        qualifier = q.group(1) if q else ""
        end = q.end() if q else end
        raw_cs = _clause_start(folded, start, floor)
        lead = _LEAD_FILLER.match(folded, raw_cs)
        cs = lead.end() if lead else raw_cs
        before = squeeze(folded[cs:start])
        comparator, verb = _comparator(before, qualifier, bool(m["more1"] or m["more2"]))
        ranged = start != m.start("num")
        if ranged and not comparator:
            comparator = ">="
        worded = bool(qualifier or m["more1"] or m["more2"] or (verb and comparator != "="))
        clause = folded[raw_cs:start]
        if not worded and ((unit in _DURATIONS and not _TOTAL.search(clause)) or _FREQUENCY.search(clause)):
            continue  # a duration or a routine, not a figure to track (module docstring)
        after_end = _tail_end(folded, end)
        while scanned < start:  # the sentence's start, found going forward: linear in the text
            if folded[scanned] in _SENTENCE_STOP:
                ss = scanned + 1
            scanned += 1
        kind = _kind(part_kind, folded[max(ss, start - 300):start], clause, verb)
        growth = bool(_GROWTH_VERB.search(before)) and (unit in ("%", "个百分点", "百分点", "‰")
                                                         or bool(_COMPARED.search(clause)))
        if growth:  # '比上年增长12.4%' in a plan is the growth to reach, whatever 上年 suggests
            kind = "achieved" if part_kind == "summary" else "target" if kind == "baseline" else kind
        if not comparator or (kind != "target" and comparator == ">=" and verb in ("达", "达到")):
            comparator = ">=" if kind == "target" else "="
        metric = squeeze(before[: len(before) - len(verb)] if verb else before)
        metric = _metric(metric, folded, raw_cs, ss, found)
        metric = squeeze(metric + squeeze(folded[end:after_end]).rstrip("的"))
        indicator = Indicator(id="", text=squeeze(text[cs:after_end]), metric=metric or unit,
                              comparator=comparator, value=_tidy(value), unit=unit, kind=kind, growth=growth)
        if unit == "分钟":
            indicator.aggregate = "mean"
        if found and not found[-1][2] and worded and not any(c in _CLAUSE_STOP for c in folded[floor:start]):
            found.pop()  # '32名责任督学每月到校不少于2次': the count only describes the subject
        found.append((indicator, raw_cs, worded))
        floor = end
    indicators = [i for i, _, _ in found]
    coefficients = _coefficients(text, folded, part_kind, masked)
    if _RATIO_HINT.search(folded):  # cheap test first: most texts hold no ratio
        coefficients += _ratios(text, folded, part_kind, masked)
    if "翻" in folded:
        coefficients += _doublings(text, folded, part_kind)
    if coefficients:
        indicators = sorted(indicators + coefficients, key=lambda i: folded.find(fold(i.text)))
    return indicators


def _tail_end(text: str, end: int) -> int:
    """Where the words after a figure stop: a clause stop, a 、, another number, or a comparator
    word that starts the next figure's phrase ('32名责任督学每月到校|不少于2次')."""
    i = end
    while i < len(text) and i - end < 20 and text[i] not in _CLAUSE_STOP and text[i] != "、" \
            and not text[i].isdigit() and not (i > end and _STRONG_START.match(text, i)):
        i += 1
    return i


def _metric(metric: str, text: str, clause_start: int, sentence_start: int,
            found: list[tuple[Indicator, int, bool]]) -> str:
    """The metric's words made readable: a leading time phrase dropped ('年底前创建…' → '创建…'),
    a comparison completed by the figure it compares ('…覆盖率达到97.5%，较上年提高2.3个百分点'), and a
    bare frequency given the action of the clause before ('组织联片教研，每学期不少于4次')."""
    timed = _TIME_LEAD.match(metric)
    if timed and timed.end() < len(metric):
        metric = metric[timed.end():]
    metric = metric.rstrip("各")
    if _COMPARE_LEAD.match(metric) and found and found[-1][1] >= sentence_start:
        return squeeze(found[-1][0].metric + metric)
    if (not metric or _FREQUENCY.fullmatch(metric)) and clause_start > sentence_start + 1:
        prev_start = _clause_start(text, clause_start - 1, sentence_start)
        previous = squeeze(text[prev_start:clause_start - 1])
        if previous and not any(ch.isdigit() for ch in previous):
            lead = _LEAD_FILLER.match(previous)
            return squeeze((previous[lead.end():] if lead else previous) + metric)
    return metric


def _coefficients(text: str, folded: str, part_kind: str, masked: list[tuple[int, int]]) -> list[Indicator]:
    """'校际差异系数控制在0.50以内': a coefficient or index with a comparator word, no unit."""
    out = []
    for m in _COEFFICIENT.finditer(folded):
        start = m.start("num")
        if any(a <= start < b for a, b in masked):
            continue
        q = _QUALIFIER.match(folded, m.end())
        qualifier = q.group(1) if q else ""
        comparator, _ = _comparator(m["verb"], qualifier, False)
        end = q.end() if q else m.end()
        metric_start = m.start("metric")
        lead = _LEAD_FILLER.match(folded, metric_start)
        metric_start = lead.end() if lead else metric_start
        out.append(Indicator(id="", text=squeeze(text[metric_start:end]),
                             metric=squeeze(folded[metric_start:m.start("verb")]), comparator=comparator or ">=",
                             value=_tidy(float(m["num"])), unit="", kind="achieved" if part_kind == "summary"
                             else "target", aggregate="mean"))
    return out


def _is_range(text: str, low: re.Match[str]) -> bool:
    """'3-5所', '1至2项' — not '2025-2026学年' (years), '第3-5' (ordinals), '7-8月' or a code."""
    i = low.start(1) - 1
    prev = text[i] if i >= 0 else ""
    if prev == "第" or prev.isascii() and (prev.isalnum() or prev in ".+#/_-"):
        return False
    return not (len(low[1]) == 4 and low[1].startswith(("19", "20")))


def _ratios(text: str, folded: str, part_kind: str, masked: list[tuple[int, int]]) -> list[Indicator]:
    """'师生比达到1:13', '生师比不高于13:1': a ratio kept as its second term over a first term of 1
    (value 13, unit '1:'), or its first over a second of 1 (unit ':1')."""
    out = []
    for m in _RATIO.finditer(folded):
        if any(a <= m.start("a") < b for a, b in masked) or re.search(r"\d", m["verb"]):
            continue
        a, b = float(m["a"]), float(m["b"])
        if a != 1 and b != 1:
            continue  # 3:2 scores, times (8:30) — not a ratio to track
        value, unit = (b, "1:") if a == 1 else (a, ":1")
        comparator, verb = _comparator(m["verb"], "", False)
        out.append(Indicator(id="", text=squeeze(text[m.start("metric"):m.end()]), metric=squeeze(m["metric"]),
                             comparator=comparator if comparator not in ("", ">=") or verb not in ("达到", "达")
                             else "~", value=_tidy(value), unit=unit,
                             kind="achieved" if part_kind == "summary" else "target", aggregate="none"))
    return out


def _doublings(text: str, folded: str, part_kind: str) -> list[Indicator]:
    """'实现翻一番' (a growth of 100%), '翻两番' (300%)."""
    out = []
    for m in _DOUBLING.finditer(folded):
        times = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4}.get(m["n"] or "一", 1)
        start = _clause_start(folded, m.start(), 0)
        out.append(Indicator(id="", text=squeeze(text[start:m.end()]), metric=squeeze(folded[start:m.start()]) or "增长",
                             comparator=">=", value=float(2 ** times - 1) * 100, unit="%",
                             kind="achieved" if part_kind == "summary" else "target", growth=True, aggregate="none"))
    return out


def _is_quantity(text: str, m: re.Match[str]) -> bool:
    start = m.start("num")
    i = start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    prev = text[i] if i >= 0 else ""
    if prev == "第" or prev.isascii() and (prev.isalnum() or prev in ".+#/_"):
        return False  # an ordinal, or part of a code (G7, 4DS+, v2, 2+N)
    if prev in "-—~～" and i > 0 and (text[i - 1].isdigit() or text[i - 1] in "%"):
        return False  # the far end of a range such as 3-6岁 or 90%-95%
    if m["unit"] == "分" and re.search(r"\d\s*[点时:]\s*$", text[max(0, i - 4):i + 1]):
        return False  # a time of day: 5点30分, 17时30分
    if len(m["num"].replace(",", "").split(".")[0]) >= 9:
        return False  # phone numbers, ids
    rest = text[m.end():m.end() + 3]
    if any(rest.startswith(w) for w in _NOT_AFTER.get(m["unit"], ())):
        return False
    after = text[m.end():m.end() + 2].lstrip()
    return not (after[:1] in "-—~～" and after[1:2].isdigit())  # the near end of a range


def _tidy(value: float) -> float:
    return float(round(value, 6))
