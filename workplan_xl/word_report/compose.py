"""What the 工作总结 says: pure functions from a Progress to gongwen blocks, and the figures used.

Every figure comes from the Progress alone (the same object 汇总.xlsx prints), so each number in
the report can be found in the consolidated workbook; ``report_figures`` returns them for checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from workplan_xl.gongwen import Block, Table, format_number
from workplan_xl.plan import Indicator, Plan, Section
from workplan_xl.progress import MISSING, IndicatorProgress, Progress, TaskProgress

PLAN_WORDS = ("工作计划要点", "工作要点", "工作计划", "工作安排")  # longest first
_RATE_UNITS = {"%", "个百分点", "‰", "分", "岁", "天", "小时", "学时"}
_STATUS_ORDER = ("已完成", "推进中", "未启动", "不适用")


# -- wording -------------------------------------------------------------------------------------------
def plan_name(plan: Plan) -> str:
    """The plan's own title: 关于印发《X》的通知 → X; for a notice carrying last year's 总结 and this
    year's 要点 (2023年工作总结 2024年工作要点), the title of its plan part."""
    title = plan.title.strip()
    inner = re.search(r"《(.+?)》", title)
    if inner and ("印发" in title or "通知" in title):
        title = inner.group(1)
    part = plan.plan_part()
    if "工作总结" in title and part is not None and part.title and "工作总结" not in part.title:
        return part.title
    return title


def report_year(plan: Plan, day: date) -> int:
    """The year being summed up: the plan part's, else the plan's, else the report date's."""
    part = plan.plan_part()
    return (part.year if part is not None else None) or plan.year or day.year


def report_title(plan: Plan) -> str:
    """某县教育局2024年工作要点 → 某县教育局2024年工作总结; 2024年工作要点 → <issuer>2024年工作总结;
    a title without those words → issuer + year."""
    title, part = plan_name(plan), plan.plan_part()
    year = (part.year if part is not None else None) or plan.year
    if not any(w in title for w in PLAN_WORDS) and part is not None and any(w in part.title for w in PLAN_WORDS):
        title = part.title
    for word in PLAN_WORDS:
        if word in title and "工作总结" not in title:
            title = title.replace(word, "工作总结", 1)
            if year and str(year) not in title:
                title = title.replace("工作总结", f"{year}年工作总结", 1)
            return f"{plan.issuer}{title}" if title[0].isdigit() else title
    stem = plan.issuer or title
    if year and str(year) in stem:
        return f"{stem}工作总结"
    return f"{stem}{year}年工作总结" if year else f"{stem}工作总结"


_ADVERBS = ("进一步", "持续", "深入", "扎实", "切实", "全面", "着力", "大力", "积极", "不断", "稳步")
_VERBS = ("推进", "加强", "强化", "深化", "推动", "做好", "抓好", "实施", "开展", "落实")


def summary_heading(title: str) -> str:
    """A plan heading in summary wording where that is safe: 深入推进依法治校 → 依法治校,
    加强督学队伍建设 → 督学队伍建设. A compound heading ("提高站位，坚持方向"), one whose verb is not
    a plain "carry out" verb (提升办学质量), or a short remainder stays as written."""
    text = title.strip().rstrip("。；;.，,")
    if re.search(r"[，,；;：:、。]", text):
        return text
    rest = text
    while rest.startswith(_ADVERBS):
        rest = rest[len(next(a for a in _ADVERBS if rest.startswith(a))):]
    verb = next((v for v in _VERBS if rest.startswith(v)), None)
    if verb is None:
        return text
    rest = rest[len(verb):]
    if len(rest) < 4 or rest[0] in "和与及并好" or rest.startswith(_VERBS + _ADVERBS):
        return text
    return rest


def target_text(indicator: Indicator, short: bool = False) -> str:
    """目标 as written in a sentence (不低于95%) or a table cell (≥95%)."""
    if indicator.value is None:
        return "未设目标值" if not short else "—"
    value = f"{format_number(indicator.value)}{indicator.unit}"
    if short:
        return {">=": f"≥{value}", ">": f">{value}", "<=": f"≤{value}", "<": f"<{value}",
                "=": value, "~": f"{value}左右"}.get(indicator.comparator, value)
    rate = indicator.unit in _RATE_UNITS
    return {">=": f"不{'低' if rate else '少'}于{value}", ">": f"超过{value}",
            "<=": f"不{'高' if rate else '多'}于{value}", "<": f"{'低' if rate else '少'}于{value}",
            "=": value, "~": f"{value}左右"}.get(indicator.comparator, value)


def verdict(ip: IndicatorProgress) -> str:
    if ip.actual is None:
        return "未填"
    if ip.reached is None:
        return "未设目标"
    return "已达成" if ip.reached else "未达成"


def indicator_sentence(ip: IndicatorProgress) -> str:
    """普惠性幼儿园覆盖率目标95%左右，实际96.2%，已达成."""
    ind = ip.indicator
    name = ind.metric or ind.text
    target = "未设目标值" if ind.value is None else f"目标{target_text(ind)}"
    if ip.actual is None:
        return f"{name}{target}，暂无填报数据"
    actual = f"实际{format_number(ip.actual)}{ind.unit}"
    if ip.reached is None:
        return f"{name}{target}，{actual}"
    if ip.reached:
        return f"{name}{target}，{actual}，已达成"
    rate = f"（完成率{format_number(ip.rate, 1)}%）" if ip.rate is not None else ""
    return f"{name}{target}，{actual}，未达成{rate}"


def counts_sentence(tp: TaskProgress) -> str:
    """应报12个单位，已报10个，其中已完成6个、推进中3个、未启动1个."""
    expected, reported = len(tp.expected), sum(tp.counts.values())
    if reported == 0:
        return f"应报{expected}个单位，暂无单位报送完成情况"
    parts = [f"{status}{tp.counts[status]}个" for status in _STATUS_ORDER if tp.counts.get(status)]
    return f"应报{expected}个单位，已报{reported}个，其中" + "、".join(parts)


# -- choosing what units wrote -----------------------------------------------------------------------------
_ACTIONS = re.compile("完成|开展|组织|举办|召开|建成|新建|改扩建|新增|培训|覆盖|出台|印发|制定|建立|实现|达到|"
                      "验收|评估|督导|检查|创建|落实|推广|启动|上线|投入|配备|招聘|发放")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_NOT_WORD = re.compile(r"[^\w]")
_SPACE = re.compile(r"\s+")


def trim_note(text: str, limit: int = 90) -> str:
    """One or two whole sentences of a unit's 进展情况, without the closing punctuation."""
    text = _SPACE.sub("", text).strip()
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    if not sentences:
        return ""
    chosen = sentences[0]
    if len(sentences) > 1 and len(chosen) + len(sentences[1]) <= limit and len(chosen) < 40:
        chosen += sentences[1]
    if len(chosen) > limit:  # one long sentence: cut at the last comma that keeps it readable
        cut = max(chosen.rfind(c, 0, limit) for c in "，,、")
        chosen = chosen[:cut] if cut >= 20 else chosen[:limit]
    return chosen.rstrip("。！？!?；;，,、 ")


_SETBACK = re.compile("尚未|未启动|未开展|暂未|暂无|滞后|推迟|延期|无法")


def informativeness(note: str) -> float:
    """Concrete beats vague: numbers and named actions count most, then length (up to a point);
    a note about a setback ranks last (it belongs under 存在的问题, not 主要进展)."""
    score = (3 * len(re.findall(r"\d+(?:\.\d+)?", note)) + 2 * len(set(_ACTIONS.findall(note)))
             + min(len(note), 60) / 20)
    return score - 20 if _SETBACK.search(note) else score


def _key(note: str) -> str:
    return _NOT_WORD.sub("", note)


def _grams(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)}


def _similar(a: str, grams_a: set[str], b: str, grams_b: set[str]) -> bool:
    """Near-duplicates: one contains the other, or they share 60 % of their character pairs."""
    if a in b or b in a:
        return True
    union = len(grams_a | grams_b)
    return bool(union) and len(grams_a & grams_b) / union >= 0.6


def pick_notes(notes: list[tuple[str, str]], limit: int = 3) -> list[tuple[str, list[str]]]:
    """The ``limit`` most informative distinct notes, each with every unit that wrote (nearly) the
    same. Notes shorter than six characters ("无", "已完成") say nothing and are left out."""
    scored = []
    seen: dict[str, tuple[str, float | None]] = {}  # many units write the same words: analyse them once
    for order, (unit, raw) in enumerate(notes):
        if raw not in seen:
            note = trim_note(raw)
            seen[raw] = (note, informativeness(note) if len(_key(note)) >= 6 else None)
        note, score = seen[raw]
        if score is not None:
            scored.append((-score, order, note, unit))
    scored.sort()
    picked: list[tuple[str, set[str], str, list[str]]] = []  # (key, its character pairs, note, units)
    exact: dict[str, int] = {}
    keys: dict[str, str] = {}
    for _, _, note, unit in scored:
        key = keys.get(note) or keys.setdefault(note, _key(note))
        if key in exact:
            picked[exact[key]][3].append(unit)
            continue
        grams = _grams(key)
        same = next((i for i, (k, g, _, _) in enumerate(picked) if _similar(key, grams, k, g)), None)
        if same is None and len(picked) < limit:
            same = len(picked)
            picked.append((key, grams, note, []))
        if same is not None:
            picked[same][3].append(unit)
            exact[key] = same
    return [(note, units) for _, _, note, units in picked]


# -- structure -------------------------------------------------------------------------------------------
@dataclass
class ReportContent:
    title: str
    year: int
    issuer: str
    day: date
    body: list[Block] = field(default_factory=list)
    closing: list[Block] = field(default_factory=list)
    appendix: list[Block] = field(default_factory=list)


def tracked_sections(progress: Progress) -> list[tuple[Section, list[TaskProgress]]]:
    """The sections of the part the year is tracked against, each with its tasks' progress."""
    by_id = {tp.task.id: tp for tp in progress.tasks}
    part = progress.plan.plan_part()
    sections = part.sections if part is not None else []
    chosen = [(s, [by_id[t.id] for t in s.tasks if t.id in by_id]) for s in sections]
    chosen = [(s, tps) for s, tps in chosen if tps]
    if not chosen:  # tasks outside the plan part: keep them all rather than report nothing
        chosen = [(s, [by_id[t.id] for t in s.tasks if t.id in by_id]) for s in progress.plan.sections()]
        chosen = [(s, tps) for s, tps in chosen if tps]
    return chosen


def report_figures(progress: Progress) -> dict[str, object]:
    """Every figure the report prints, computed from the Progress only (the same object 汇总.xlsx
    is written from): totals, per task counts, per indicator target/actual/rate."""
    tasks = [tp for _, tps in tracked_sections(progress) for tp in tps]
    status = [tp.status for tp in tasks]
    reached = [ip.reached for ip in progress.indicators]
    return {
        "sections": len(tracked_sections(progress)),
        "tasks": len(tasks),
        "tasks_done": status.count("已完成"),
        "tasks_ongoing": status.count("推进中"),
        "tasks_not_started": status.count("未启动"),
        "tasks_unreported": status.count(MISSING),
        "units": len(progress.units),
        # the four states of count_states (已报 + 部分填报 = 已报送); they add up to "units"
        "units_reported": len(progress.reported),
        "units_partial": len(progress.partial),
        "units_missing": len(progress.missing),
        "units_with_problems": len(progress.unusable),
        "indicators": len(progress.indicators),
        "indicators_reached": reached.count(True),
        "indicators_not_reached": reached.count(False),
        "indicators_no_data": sum(1 for ip in progress.indicators if ip.actual is None),
        "task": {tp.task.id: {"expected": len(tp.expected), "reported": sum(tp.counts.values()), **tp.counts}
                 for tp in tasks},
        "indicator": {ip.indicator.id: {"target": ip.indicator.value, "actual": ip.actual, "rate": ip.rate,
                                        "reached": ip.reached} for ip in progress.indicators},
    }


def opening(progress: Progress, figures: dict[str, object], year: int) -> str:
    f = figures
    text = (f"{year}年，我们对照《{plan_name(progress.plan) or '年度工作要点'}》确定的{f['sections']}个方面"
            f"{f['tasks']}项重点任务，逐项推进落实。据各单位报送情况统计"
            + (f"（{progress.round}批次）" if progress.round else "")
            + f"，{f['tasks']}项任务中已完成{f['tasks_done']}项、推进中{f['tasks_ongoing']}项、"
              f"未启动{f['tasks_not_started']}项")
    if f["tasks_unreported"]:
        text += f"、暂无报送{f['tasks_unreported']}项"
    text += f"；应报送单位{f['units']}个，已报送{f['units_reported']}个"
    if f["units_partial"]:
        text += f"（其中部分填报{f['units_partial']}个）"
    if f["units_with_problems"]:
        text += f"，报送的文件无法使用{f['units_with_problems']}个"
    if f["units_missing"]:
        text += f"，未报送{f['units_missing']}个"
    if f["indicators"]:
        text += f"；跟踪量化指标{f['indicators']}项，已达成{f['indicators_reached']}项"
        if f["indicators_not_reached"]:
            text += f"、未达成{f['indicators_not_reached']}项"
        if f["indicators_no_data"]:
            text += f"、暂无数据{f['indicators_no_data']}项"
    return text + "。现将有关情况总结如下。"


def appendix_tables(progress: Progress) -> list[tuple[str, Table]]:
    tables = []
    if progress.indicators:
        rows = [[str(i), ip.indicator.metric or ip.indicator.text, target_text(ip.indicator, short=True),
                 f"{format_number(ip.actual)}{ip.indicator.unit}" if ip.actual is not None else "—",
                 f"{format_number(ip.rate, 1)}%" if ip.rate is not None else "—", verdict(ip)]
                for i, ip in enumerate(progress.indicators, start=1)]
        tables.append(("指标完成情况表", Table(["序号", "指标", "目标", "实际", "完成率", "状态"], rows,
                                          [9, 55, 24, 24, 22, 22],
                                          ["center", "left", "center", "center", "center", "center"])))
    tasks = [tp for _, tps in tracked_sections(progress) for tp in tps]
    if tasks:
        rows = [[str(i), tp.task.title or tp.task.text[:30], str(len(tp.expected)), str(sum(tp.counts.values())),
                 *(str(tp.counts.get(s, 0)) for s in ("已完成", "推进中", "未启动"))] for i, tp in enumerate(tasks, 1)]
        tables.append(("任务推进情况表", Table(["序号", "重点任务", "应报", "已报", "已完成", "推进中", "未启动"], rows,
                                          [10, 66, 16, 16, 16, 16, 16],
                                          ["center", "left", "center", "center", "center", "center", "center"])))
    rows = [[str(i), u.unit.name, u.state, received_text(u.received)] for i, u in enumerate(progress.units, 1)]
    tables.append(("报送情况表", Table(["序号", "单位", "状态", "报送时间"], rows, [10, 76, 26, 44],
                                      ["center", "left", "center", "center"])))
    return tables


def received_text(value: str) -> str:
    """2024-12-01T10:22:33 → 2024-12-01 10:22; anything else as it is."""
    match = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?", value or "")
    if not match:
        return value or "—"
    return f"{match[1]} {match[2]}" if match[2] else match[1]
