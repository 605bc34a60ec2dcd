"""Facts inside a task's text: months, the deadline, owners and the 一是…二是… measures.

Indicators live in indicators.py (re-exported here). Every rule works on wording shared by bureau
documents in general — time phrases, 牵头/负责/配合, 责任单位 brackets — never on one document's words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from workplan_xl.plan_document.indicators import find_indicators
from workplan_xl.plan_document.numerals import MONTH_NUM, fold, month_int
from workplan_xl.plan_document.tables import tasks_from_table
from workplan_xl.plan_document.units import LEAD_MARK, VERB_START, is_unit_name, split_units

__all__ = ["find_indicators", "find_months", "find_deadline", "deadline_date", "find_owners",
           "split_measures", "tasks_from_table"]

# -- months ------------------------------------------------------------------------------------------
_CN = "一二三四五六七八九十两零〇"
_MONTH = re.compile(rf"(?<![\d{_CN}])({MONTH_NUM})\s*月")
_MONTH_PAIR = re.compile(rf"(?<![\d{_CN}])({MONTH_NUM})\s*、\s*({MONTH_NUM})\s*月")
_MONTH_RANGE = re.compile(
    rf"(?<![\d{_CN}])({MONTH_NUM})\s*(?:月份?)?\s*(?:-|—|–|~|～|至|到|——)\s*(次年)?\s*({MONTH_NUM})\s*月")
_QUARTER = re.compile(r"(前)?(?:第)?([一二三四1-4])季度")
_PERIODS: list[tuple[re.Pattern[str], list[int]]] = [
    (re.compile(r"上半年"), list(range(1, 7))),
    (re.compile(r"下半年"), list(range(7, 13))),
    (re.compile(r"每个?月|按月|逐月|月月"), list(range(1, 13))),
    (re.compile(r"每(?:个)?季度|按季度?"), [3, 6, 9, 12]),
    (re.compile(r"春秋季?开学|春秋两季开学"), [2, 3, 8, 9]),
    (re.compile(r"春季(?:学期)?开学"), [2, 3]),
    (re.compile(r"秋季(?:学期)?开学"), [8, 9]),
    (re.compile(r"暑期|暑假"), [7, 8]),
    (re.compile(r"寒假"), [1, 2]),
    (re.compile(r"(?<![\d一二两三四五六七八九十几])(?:年底|年末|年内)|岁末"), [12]),  # not 3年内 (a duration)
    (re.compile(r"教师节"), [9]),
    (re.compile(r"国庆"), [10]),
    (re.compile(r"六一|儿童节"), [6]),
]


def find_months(text: str) -> list[int]:
    """Months (1–12) named by the time phrases in ``text``, sorted and unique.

    '4月份', '9月底前', '3月22日' give their month; '3月至5月' and '3-5月' the range; '11月至次年2月'
    wraps; 上半年 1–6, 下半年 7–12, 一季度 1–3, 每月 1–12, 春季开学 2–3, 秋季开学 8–9, 暑期 7–8,
    寒假 1–2, 年底/年内 12.
    """
    folded = fold(text)
    months: set[int] = set()
    for m in _MONTH_RANGE.finditer(folded):
        first, last = month_int(m[1]), month_int(m[3])
        if first and last:
            months.update(_span(first, last))
    for m in _MONTH_PAIR.finditer(folded):
        months.update(x for x in (month_int(m[1]), month_int(m[2])) if x)
    for m in _MONTH.finditer(folded):
        month = month_int(m[1])
        if month and (m[1].isdigit() or _cn_month_ok(folded, m.end())):
            months.add(month)
    for m in _QUARTER.finditer(folded):
        q = "一二三四".find(m[2]) + 1 if not m[2].isdigit() else int(m[2])
        months.update(range(1, 3 * q + 1) if m[1] else range(3 * q - 2, 3 * q + 1))
    for pattern, values in _PERIODS:
        if pattern.search(folded):
            months.update(values)
    return sorted(months)


def _span(first: int, last: int) -> list[int]:
    return list(range(first, last + 1)) if first <= last else list(range(first, 13)) + list(range(1, last + 1))


def _cn_month_ok(text: str, end: int) -> bool:
    """'九月份' and '十月底' are months; '一月一次' is a frequency, not January."""
    return not (end < len(text) and text[end] in _CN)


# -- deadlines ---------------------------------------------------------------------------------------
_DL_MONTH = re.compile(
    rf"(?:(\d{{4}})\s*年\s*)?(次年)?\s*(?:({MONTH_NUM})\s*(?:月份?)?\s*(?:-|—|~|～|至|到)\s*)?({MONTH_NUM})\s*月份?\s*"
    r"(?:(\d{1,2})\s*[日号])?\s*(底|末|上旬|中旬|下旬|初|中)?\s*(前|之前|以前|止|为止)?")
_DL_PERIOD = re.compile(r"(?:(\d{4})\s*年\s*|(?<![\d一二两三四五六七八九十几]))(上半年|下半年|年底|年末|年内|前[三二一]季度|第?[一二三四]季度|"
                        r"暑期|暑假|寒假|春季开学|秋季开学)\s*(前|之前|以前)?")
_DL_YEAR = re.compile(r"(力争|争取|确保|到|至|截至|截止|(?<![关对由基属等处])于|在|计划|预计)?\s*(\d{4})\s*年\s*(底|末|内)?\s*(前|之前|以前)?"
                      r"(?![\d\s]*(?:月|度|[-—~至到]\s*\d))")
_CUE = re.compile(r"完成|前|底|末|力争|截至|截止|为止|到位|结束")


def find_deadline(text: str, year: int | None = None) -> str:
    """The deadline phrase of ``text``, compact: '9月底前', '年底前', '2025年', '6月30日前', '上半年'.

    Phrases that say 前/底/截至/力争… win over bare months ('4月份召开…'); among equals the latest
    date wins (``year`` is the plan's year, used to compare). '' when the text names no time.
    """
    # titles in 《》 carry years and months that are not this task's time
    folded = re.sub(r"《[^》]{0,80}》", lambda m: "《" + " " * (len(m[0]) - 2) + "》", fold(text))
    candidates: list[tuple[bool, dt.date, int, str]] = []
    for pattern in (_DL_MONTH, _DL_PERIOD):
        for m in pattern.finditer(folded):
            if pattern is _DL_MONTH and not m[4][0].isdigit() and not _cn_month_ok(folded, m.end(4) + 1):
                continue
            phrase = _compact(m.group(0))
            strong = bool(m.lastindex and any(_CUE.search(g or "") for g in m.groups()[-3:]))
            strong = strong or bool(_CUE.match(folded, m.end()) or re.match(r"\s*(?:完成|结束)", folded[m.end():]))
            candidates.append((strong, *_when(phrase, year), phrase))
    for m in _DL_YEAR.finditer(folded):
        if m[1] or m[3] or m[4]:
            phrase = _compact(m.group(0)[len(m[1] or ""):])
            candidates.append((True, *_when(phrase, year), phrase))
    if not candidates:
        return ""
    best = max(candidates, key=lambda c: (c[0], c[1], c[2]))
    return best[3]


def _compact(phrase: str) -> str:
    phrase = re.sub(r"\s+", "", phrase)
    phrase = re.sub(r"(?:之|以)前$", "前", phrase)
    return phrase.replace("月份", "月")


def _when(phrase: str, year: int | None) -> tuple[dt.date, int]:
    """Sort key of a candidate: its date (a stand-in year when none is known) and its length."""
    base = year or 2000
    return deadline_date(phrase, base) or dt.date(base, 12, 31), len(phrase)


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$")
_SEASON_END = {"暑期": (8, 0), "暑假": (8, 0), "寒假": (2, 0), "春季开学": (3, 0), "秋季开学": (9, 0),
               "上半年": (6, 0), "下半年": (12, 0), "年底": (12, 0), "年末": (12, 0), "年内": (12, 0),
               "全年": (12, 0), "岁末": (12, 0)}


def deadline_date(deadline: str, year: int | None) -> dt.date | None:
    """The last day a deadline phrase allows: '9月底前' → 9-30, '上半年' → 6-30, '年底前' → 12-31,
    '2025年' → 2025-12-31, '6月30日前' → 6-30, '2024-09-30' as is, '9月上旬' → 9-10.

    A phrase without a year uses ``year``; None when neither gives one or the phrase is not a time.
    """
    text = re.sub(r"\s+", "", fold(deadline or ""))
    if not text:
        return None
    iso = _ISO.match(text)
    if iso:
        y, mo = int(iso[1]), int(iso[2])
        if not 1 <= mo <= 12:
            return None
        return _day(y, mo, int(iso[3]) if iso[3] else 0)
    ym = re.match(r"(\d{4})年", text)
    y = int(ym[1]) if ym else year
    if "次年" in text and y is not None:
        y += 1
    if y is None:
        return None
    m = _DL_MONTH.search(text)
    if m:
        month = month_int(m[4])
        if month:
            day = int(m[5]) if m[5] else {"上旬": 10, "初": 10, "中旬": 20, "中": 20}.get(m[6] or "", 0)
            return _day(y, month, day)
    q = _QUARTER.search(text)
    if q:
        n = "一二三四".find(q[2]) + 1 if not q[2].isdigit() else int(q[2])
        return _day(y, 3 * n, 0)
    for word, (month, day) in _SEASON_END.items():
        if word in text:
            return _day(y, month, day)
    if ym and re.fullmatch(r"\d{4}年(?:度)?(?:底|末|内)?(?:前)?", text):
        return dt.date(y, 12, 31)
    return None


def _day(year: int, month: int, day: int) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day, last) if day > 0 else last)


# -- owners ------------------------------------------------------------------------------------------
_LEAD_LABELS = ("牵头单位", "牵头部门", "牵头科室", "牵头处室", "牵头股室", "主要责任单位", "主责单位", "负责单位",
                "负责部门", "负责科室", "负责人", "主办单位")
_DUTY_LABELS = ("责任单位", "责任部门", "责任科室", "责任处室", "责任股室", "责任人", "承办单位", "实施单位")
_PARTNER_LABELS = ("协同配合单位", "配合单位", "配合部门", "配合科室", "配合处室", "配合股室", "协同单位", "协同部门",
                   "协办单位", "参与单位", "参加单位", "协助单位", "支持单位", "支撑单位", "支撑部门", "协作单位")
_ALL_LABELS = sorted(_LEAD_LABELS + _DUTY_LABELS + _PARTNER_LABELS, key=len, reverse=True)
_LABEL = re.compile("(" + "|".join(_ALL_LABELS) + r")\s*[:：]\s*")
_STOP = set("，,。；;：:！!？?（）()[]【】“”\"《》\n")
_JOINERS = re.compile(r"、|和|及|与|以及")
_MODALS = re.compile(r"(?:要|将|应|应当|须|需|必须|会|统一|主动|具体|负责|进一步)+$")
_AFTER_SUBJECT = re.compile(r"将|要(?![求点素害])|应当|应(?![用急对届助试答])|须|负责(?![人制同任的])|牵头|会同")


def find_owners(text: str) -> tuple[list[str], list[str]]:
    """(lead owners, partners) named in ``text``.

    Explicit labels win: '（责任单位：A、B）', '(牵头单位:A;配合单位:B、C)' — there collective names
    (各学校) count. Otherwise: '由A牵头', 'A负责', 'A牵头，B、C配合', 'A会同B', and an organisation
    subject of 将/要 ('督导室和基教科将跟踪…'). A plain '学校要…' names no owner.
    """
    folded = fold(text)
    labelled = _labelled(folded)
    if labelled[0] or labelled[1]:
        return labelled
    leads: list[str] = []
    partners: list[str] = []
    for m in _AFTER_SUBJECT.finditer(folded):
        subject = _subject(folded, m.start(), whole_clause=m[0] in ("将", "要", "应", "应当", "须"))
        if m[0] in ("牵头", "会同"):
            partners += _object_list(folded, m.end())
        leads += subject
    for m in re.finditer(r"配合|协同|协助|参与", folded):
        if folded[m.end():m.end() + 2] in ("单位", "部门"):
            continue
        # 协同/参与 name partners only where they end the clause ('B协同'); '家校协同育人' is a manner
        if m[0] in ("协同", "参与") and folded[m.end():m.end() + 1] not in ("", *_STOP):
            continue
        partners += _subject(folded, m.start(), whole_clause=False) or _collective_partners(folded, m.start())
    leads = _unique(leads)
    return leads, [p for p in _unique(partners) if p not in leads]


def _collective_partners(text: str, pos: int) -> list[str]:
    """'由A牵头，各学校配合': right after a 牵头 clause a collective name (各学校) is a partner too."""
    i = pos
    while i > 0 and text[i - 1] not in _STOP and pos - i < 30:
        i -= 1
    chunk = text[i:pos]
    if "牵头、" in chunk:  # '由A牵头、各学校配合': the run-in form, one clause
        chunk = chunk.rsplit("牵头、", 1)[1]
    elif not re.search(r"牵头\s*[，,、]\s*$", text[max(0, i - 30):i]):
        return []
    names = [p for p in _JOINERS.split(chunk.strip()) if p]
    return names if names and all(is_unit_name(n, allow_generic=True) for n in names) else []


def _labelled(text: str) -> tuple[list[str], list[str]]:
    text = LEAD_MARK.sub("<牵头>", text)  # its ')' must not end the bracket
    marks = list(_LABEL.finditer(text))
    groups: dict[str, list[str]] = {"lead": [], "duty": [], "partner": []}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        cut = re.search(r"[)）;；。\n]", text[m.end():end])
        value = text[m.end(): m.end() + cut.start()] if cut else text[m.end():end]
        label = m[1]
        group = "lead" if label in _LEAD_LABELS else "partner" if label in _PARTNER_LABELS else "duty"
        for name in split_units(value):
            if name.endswith("<牵头>"):
                groups["lead"].append(name[:-4])
            else:
                groups[group].append(name)
    leads = groups["lead"] or groups["duty"]
    partners = groups["partner"] + (groups["duty"] if groups["lead"] else [])
    leads = _unique(leads)
    return leads, [p for p in _unique(partners) if p not in leads]


def _subject(text: str, pos: int, whole_clause: bool) -> list[str]:
    """The organisations written just before ``pos``: '由督导室' → [督导室], '督导室和基教科' → both.

    With ``whole_clause`` the whole clause before ``pos`` must be that list (a sentence subject).
    """
    i = pos
    while i > 0 and text[i - 1] not in _STOP and pos - i < 40:
        i -= 1
    chunk = _MODALS.sub("", text[i:pos].strip())
    chunk = re.sub(r"^(?:由|请|并|同时|另外|另|此外)", "", chunk)
    if not chunk:
        return []
    parts = [p for p in _JOINERS.split(chunk) if p]
    if whole_clause:
        return parts if parts and all(is_unit_name(p) for p in parts) else []
    names: list[str] = []
    for part in reversed(parts):  # the run of unit names that ends at pos
        tail = re.split(r"由|是|在|对|把|的", part)[-1]
        if not is_unit_name(tail):
            break
        names.insert(0, tail)
        if tail != part:
            break
    return names


def _object_list(text: str, pos: int) -> list[str]:
    """'牵头电教站、财务审计科等科室' → the organisations led or joined; [] unless the words right
    after are unit names (so '牵头组建…' names nobody)."""
    m = re.match(r"[^，,。；;：:\n]{2,80}", text[pos:].lstrip())
    if not m:
        return []
    items = [p for p in re.split(r"、|和|及", m[0].split("等")[0]) if p]
    names = []
    for k, item in enumerate(items):
        if is_unit_name(item):
            names.append(item)
            continue
        if k < len(items) - 1:
            return []
        # the last name runs into the verb that follows: '会同市财政局制定…'
        head = next((item[:n] for n in range(2, len(item)) if is_unit_name(item[:n]) and VERB_START.match(item[n:])), "")
        if not head:
            return []
        names.append(head)
    return names


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        n = n.strip()
        if n and n not in out:
            out.append(n)
    return out


# -- measures ----------------------------------------------------------------------------------------
_ORDINALS = "一二三四五六七八九十"
_MARK = re.compile(r"(十[一二三四五六七八九]?|[一二三四五六七八九])\s*是")
# 统一是, 唯一是, 第一是 … : the numeral belongs to a word, not a list.
_WORD_BEFORE = set("统唯同第万进之单专划逐某")


def split_measures(text: str) -> list[str]:
    """The items of 一是…二是…三是… runs, each from after 'X是' to before the next 'Y是'.

    The numerals must run 一, 二, 三 … in order (so 总是/更是/还是 and stray numerals never split);
    a stray space or line break between numeral and 是 (a page break) still counts. [] without a run
    of at least 一是 and 二是.
    """
    marks = []
    for m in _MARK.finditer(text):
        prev = text[m.start() - 1] if m.start() else ""
        if prev in _WORD_BEFORE:
            continue
        marks.append((m.start(), m.end(), _numeral(m[1])))
    runs: list[list[tuple[int, int, int]]] = []
    used: set[int] = set()
    for k, mark in enumerate(marks):
        if mark[2] != 1 or k in used:
            continue
        run = [mark]
        for j in range(k + 1, len(marks)):
            if marks[j][2] == run[-1][2] + 1:
                run.append(marks[j])
                used.add(j)
            elif marks[j][2] == 1:
                break
        if len(run) >= 2:
            runs.append(run)
    measures: list[str] = []
    for r, run in enumerate(runs):
        limit = runs[r + 1][0][0] if r + 1 < len(runs) else len(text)
        for i, (_, end, _) in enumerate(run):
            stop = run[i + 1][0] if i + 1 < len(run) else limit
            item = re.sub(r"\s*\n\s*", "", text[end:stop]).strip().rstrip("，,；;、").strip()
            if item:
                measures.append(item)
    return measures


def _numeral(token: str) -> int:
    if token.startswith("十"):
        return 10 + (_ORDINALS.find(token[1]) + 1 if len(token) > 1 else 0)
    return _ORDINALS.find(token) + 1
