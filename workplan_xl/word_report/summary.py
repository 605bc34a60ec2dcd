"""The body of the 工作总结 in the shape real summaries take: per plan section what was done (figures
summed across units, the distinct things units did, the indicators in prose), then 存在的问题 and
下一步工作打算 from what the units wrote plus the tasks and indicators still behind.

A sentence said once is not said again anywhere in the report (``Said``), so a problem many units
share under several tasks appears once, under the section where most of them raised it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from workplan_xl.gongwen import Block, Para, Text, cn_number, format_number, heading_number, para, signature
from workplan_xl.plan import Section
from workplan_xl.progress import IndicatorProgress, Progress, TaskProgress
from workplan_xl.word_report.compose import (
    ReportContent,
    appendix_tables,
    opening,
    report_figures,
    report_title,
    report_year,
    summary_heading,
    target_text,
    tracked_sections,
)
from workplan_xl.word_report.consolidate import (
    Figure,
    _key,
    chosen_figures,
    claim_units,
    consolidate_figures,
    figure_sentence,
    merge_groups,
    merge_sentences,
    sentences,
    similar,
    unit_claim,
    without_figures,
)

NEXT_STEPS = "【请在此补充下一步工作打算】"
MAX_NOTES = 3  # distinct sentences per task besides its figures
MAX_ITEMS = 8  # problems or plans per section; the rest are in the 素材汇编
TASKS_PER_PARAGRAPH = 3  # when a section has many tasks, 一是/二是 run on in paragraphs of this many


@dataclass
class Said:
    """What the report has said already: keys of sentences, to say nothing twice."""

    keys: list[str] = field(default_factory=list)

    def new(self, sentence: str) -> bool:
        key = _key(sentence)
        if any(key == k or (len(key) >= 8 and similar(key, k, 0.8)) for k in self.keys):
            return False
        self.keys.append(key)
        return True


def task_phrase(tp: TaskProgress) -> str:
    return (tp.task.title or tp.task.text[:20]).strip().rstrip("。；;.，,")


def task_figures(tp: TaskProgress) -> list[Figure]:
    """The figures the report states for a task, from 进展情况 and 主要成效 together."""
    texts = tp.progress_notes + tp.texts.get("achievements", [])
    return chosen_figures(consolidate_figures(texts))


def indicator_prose(ip: IndicatorProgress) -> str:
    """课后服务覆盖率目标不低于95%，实际96.2%，完成率101.3%，已达成（应报12个单位、已报10个）."""
    ind = ip.indicator
    name = ind.metric or ind.text
    target = "未设目标值" if ind.value is None else f"目标{target_text(ind)}"
    if ip.actual is None:
        text = f"{name}{target}，暂无填报数据"
    else:
        text = f"{name}{target}，实际{format_number(ip.actual)}{ind.unit}"
        if ip.rate is not None:
            text += f"，完成率{format_number(ip.rate, 1)}%"
        if ip.reached is not None:
            text += "，已达成" if ip.reached else "，未达成"
    notes = []
    if ip.expected and ip.actual is not None and len(ip.values) < len(ip.expected):
        notes.append(f"应报{len(ip.expected)}个单位、已报{len(ip.values)}个，为部分数据")
    if ip.notes:
        notes.append(f"{unit_claim([u for u, _ in ip.notes])}的填报值经换算，请核实")
    if ip.conflict:  # a single figure the reporters disagree on: say what was taken
        notes.append(ip.conflict)
    return text + (f"（{'；'.join(notes)}）" if notes else "")


def task_content(tp: TaskProgress, indicators: list[IndicatorProgress], said: Said) -> str:
    """What units did on one task, as sentences ending in 。 (may be empty)."""
    figures = task_figures(tp)
    stated = frozenset((f.wording, f.measure) for f in figures)
    claims = [figure_sentence(figures)] if figures else []
    items = [(unit, rest) for unit, text in tp.progress_notes + tp.texts.get("achievements", [])
             for rest in _candidates(text, stated)]
    merged = merge_sentences(items)
    ranked = sorted(range(len(merged)), key=lambda i: (-len(merged[i][1]), -_concrete(merged[i][0]), i))
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) >= MAX_NOTES:
            break
        if said.new(merged[i][0]):
            chosen.append(i)
    claims += [f"{merged[i][0]}{claim_units(merged[i][1])}" for i in sorted(chosen)]
    text = "；".join(claims) + "。" if claims else ""
    if not claims:
        reported = sum(tp.counts.values())
        if reported:
            counts = "、".join(f"{s}{tp.counts[s]}个" for s in ("已完成", "推进中", "未启动", "不适用") if tp.counts.get(s))
            text = f"{reported}个单位报送了完成状态，其中{counts}。"
    if indicators:
        text += "；".join(indicator_prose(ip) for ip in indicators) + "。"
    return text


@lru_cache(maxsize=65536)
def _candidates(text: str, stated: frozenset[tuple[str, str]]) -> tuple[str, ...]:
    """A unit's sentences worth quoting: less the figures already stated, not a setback, not empty."""
    found = []
    for sentence in sentences(text):
        rest = without_figures(sentence, stated)
        if len(_key(rest)) >= 6 and not _setback(rest):
            found.append(rest)
    return tuple(found)


def _concrete(sentence: str) -> float:
    return sum(c.isdigit() for c in sentence) + min(len(sentence), 60) / 20


_SETBACKS = ("尚未", "未启动", "未开展", "暂未", "滞后", "推迟", "延期")


def _setback(sentence: str) -> bool:
    return any(w in sentence for w in _SETBACKS)


def section_blocks(section: Section, tps: list[TaskProgress], by_task: dict[str, list[IndicatorProgress]],
                   said: Said) -> list[Block]:
    """One plan section's paragraphs: a single task framed by 围绕; a few tasks as （一）（二）
    paragraphs; many tasks as 一是/二是 run on in paragraphs of TASKS_PER_PARAGRAPH."""
    single = len(tps) == 1 and (not tps[0].task.number or tps[0].task.title == section.title)
    if single:
        tp = tps[0]
        return [para("body", f"围绕{task_phrase(tp)}，" + task_content(tp, by_task.get(tp.task.id, []), said))]
    heading = summary_heading(section.title or section.text[:20])
    intro = f"围绕{heading}，重点抓了以下{_count_word(len(tps))}项工作。" if len(tps) > 1 else ""
    if len(tps) <= 4:
        blocks: list[Block] = [para("body", intro)] if intro else []
        for k, tp in enumerate(tps, start=1):
            lead = heading_number(2, k) + summary_heading(task_phrase(tp)) + "。"
            content = task_content(tp, by_task.get(tp.task.id, []), said) or "正在推进。"
            blocks.append(para("body", Text(lead, role="h2"), content))
        return blocks
    runs = [intro]
    paragraphs: list[str] = []
    for k, tp in enumerate(tps, start=1):
        content = task_content(tp, by_task.get(tp.task.id, []), said) or "正在推进。"
        runs.append(f"{cn_number(k)}是{task_phrase(tp)}。{content}")
        if len(runs) >= TASKS_PER_PARAGRAPH + (1 if not paragraphs else 0) or k == len(tps):
            paragraphs.append("".join(runs))
            runs = []
    return [para("body", p) for p in paragraphs]


def _count_word(n: int) -> str:
    return "两" if n == 2 else cn_number(n)


def grouped_texts(progress: Progress, name: str) -> list[tuple[Section, list[tuple[str, list[str]]]]]:
    """Every unit's 存在问题 (or 下一步打算) as merged sentences, each placed once, under the plan
    section whose tasks most of its units wrote it for."""
    sections = tracked_sections(progress)
    items: list[tuple[str, str]] = []
    homes: list[int] = []  # the section of each item
    for s, (_, tps) in enumerate(sections):
        for tp in tps:
            for unit, text in tp.texts.get(name, []):
                for sentence in sentences(text):
                    items.append((unit, sentence))
                    homes.append(s)
    placed: dict[int, list[tuple[str, list[str]]]] = {}
    for sentence, units, members in merge_groups(items):
        votes = Counter(homes[i] for i in members)
        home = min(votes, key=lambda s: (-votes[s], s))
        placed.setdefault(home, []).append((sentence, units))
    return [(sections[s][0], placed[s]) for s in sorted(placed)]


def listed(entries: list[tuple[str, list[str]]], said: Said) -> tuple[str, int]:
    """一是……（城东一中等3个单位）；二是…… and how many were left for the 素材汇编."""
    parts = []
    for sentence, units in entries:
        if len(parts) >= MAX_ITEMS:
            break
        if said.new(sentence):
            parts.append(f"{cn_number(len(parts) + 1)}是{sentence}{claim_units(units)}")
    left = len(entries) - len(parts)
    return "；".join(parts), max(left, 0)


def problem_blocks(progress: Progress, said: Said) -> list[tuple[str, str]]:
    """存在的问题: (lead, text) pairs — what units reported, tasks behind, indicators not met, reporting."""
    parts: list[tuple[str, str]] = []
    reported = grouped_texts(progress, "difficulties")
    if reported:
        texts = []
        for section, entries in reported:
            text, left = listed(entries, said)
            if text:
                more = f"另有{left}条个别反映，见素材汇编" if left else ""
                texts.append(f"在{summary_heading(section.title or section.text[:20])}方面，{text}"
                             + (f"；{more}" if more else "") + "。")
        if texts:
            parts.append(("各单位反映的困难和问题。", "".join(texts)))
    tasks = [tp for _, tps in tracked_sections(progress) for tp in tps]
    open_tasks = [tp for tp in tasks if tp.status != "已完成"]
    if open_tasks:
        idle = [tp for tp in open_tasks if tp.counts.get("未启动", 0)]
        text = f"{len(tasks)}项重点任务中，{len(open_tasks)}项尚未全部完成"
        if idle:
            names = "".join(f"“{summary_heading(task_phrase(tp))}”" for tp in idle[:5])
            units = sum(tp.counts.get("未启动", 0) for tp in idle)
            text += f"，其中{names}{'等' if len(idle) > 5 else ''}{len(idle)}项仍有单位未启动，共涉及{units}个单位次"
        parts.append(("部分任务推进不平衡。", text + "。"))
    behind = [ip for ip in progress.indicators if ip.reached is False]
    no_data = [ip for ip in progress.indicators if ip.actual is None]
    if behind or no_data:
        # Named with their 完成率 only: the full sentence stands under the task already.
        texts = []
        if behind:
            names = "、".join(f"{ip.indicator.metric or ip.indicator.text}（完成率{format_number(ip.rate, 1)}%）"
                             if ip.rate is not None else (ip.indicator.metric or ip.indicator.text) for ip in behind)
            texts.append(f"{names}{len(behind)}项指标未达到年度目标")
        if no_data:
            texts.append(f"另有{len(no_data)}项指标暂无填报数据")
        parts.append(("部分指标未达预期。", "，".join(texts) + "。"))
    if progress.missing:
        names = [u.unit.name for u in progress.missing]
        listed_names = "、".join(names[:10]) + ("等" if len(names) > 10 else "")
        parts.append(("报送工作有待加强。",
                      f"应报送的{len(progress.units)}个单位中，{len(names)}个未报送（{listed_names}）。"))
    troubled, partial = len(progress.unusable), len(progress.partial)  # the states of count_states
    if troubled or partial:
        states = "，".join(x for x in (f"{troubled}个单位报送的文件无法使用（未计入统计）" if troubled else "",
                                      f"{partial}个单位部分填报（有必填内容未填）" if partial else "") if x)
        parts.append(("报送质量有待提高。", f"{states}，已在汇总表“问题清单”中逐条列明。"))
    return parts


def next_step_blocks(progress: Progress, said: Said) -> list[tuple[str, str]]:
    """下一步工作打算: per section, what the units plan, then the work still open there."""
    plans = {id(section): entries for section, entries in grouped_texts(progress, "next_steps")}
    behind = {ip.indicator.task for ip in progress.indicators if ip.reached is False}
    parts = []
    for section, tps in tracked_sections(progress):
        texts = []
        if id(section) in plans:
            text, left = listed(plans[id(section)], said)
            if text:
                texts.append(text + (f"；另有{left}条打算见素材汇编" if left else ""))
        open_tasks = [tp for tp in tps if tp.status != "已完成"]
        if open_tasks:
            names = "".join(f"“{summary_heading(task_phrase(tp))}”" for tp in open_tasks[:4])
            more = "等" if len(open_tasks) > 4 else ""
            texts.append(f"对{names}{more}尚未全部完成的{len(open_tasks)}项任务，明确时间节点，督促相关单位加快推进")
        lagging = [ip for ip in progress.indicators if ip.indicator.task in {tp.task.id for tp in tps}
                   and ip.indicator.task in behind and ip.reached is False]
        if lagging:
            texts.append("推动" + "、".join(f"{ip.indicator.metric or ip.indicator.text}达到{target_text(ip.indicator)}"
                                          for ip in lagging))
        if texts:
            parts.append((summary_heading(section.title or section.text[:20]) + "。", "；".join(texts) + "。"))
    return parts


def compose_report(progress: Progress, day: date, closing: bool = True) -> ReportContent:
    """The whole 工作总结: lead paragraph, one part per plan section, 存在的问题, 下一步工作打算, 附表."""
    plan = progress.plan
    year = report_year(plan, day)
    figures = report_figures(progress)
    content = ReportContent(report_title(plan), year, plan.issuer, day)
    body = content.body
    body.append(para("body", opening(progress, figures, year)))
    by_task: dict[str, list[IndicatorProgress]] = {}
    for ip in progress.indicators:
        by_task.setdefault(ip.indicator.task or "", []).append(ip)
    said = Said()
    n = 0
    for n, (section, tps) in enumerate(tracked_sections(progress), start=1):
        body.append(para("h1", heading_number(1, n) + summary_heading(section.title or section.text[:20])))
        body.extend(section_blocks(section, tps, by_task, said))
    loose = by_task.get("", [])
    if loose:
        body.append(para("body", "其他量化指标方面，" + "；".join(indicator_prose(ip) for ip in loose) + "。"))

    body.append(para("h1", heading_number(1, n + 1) + "存在的问题"))
    problems = problem_blocks(progress, said)
    for k, (lead, text) in enumerate(problems, start=1):
        body.append(para("body", Text(heading_number(2, k) + lead, role="h2"), text))
    if not problems:
        body.append(para("body", "对照年度任务和指标，各项工作总体按计划推进，未发现突出问题。"))
    body.append(para("h1", heading_number(1, n + 2) + "下一步工作打算"))
    steps = next_step_blocks(progress, said)
    for k, (lead, text) in enumerate(steps, start=1):
        body.append(para("body", Text(heading_number(2, k) + lead, role="h2"), text))
    if not steps:
        body.append(para("body", Text(NEXT_STEPS, mark=True)))

    tables = appendix_tables(progress)
    if tables:
        body.append(para("body", ""))
        for k, (name, _) in enumerate(tables, start=1):
            prefix = "附表：" if k == 1 else ""
            body.append(Para("body", [Text(f"{prefix}{k}.{name}")], left_chars=None if k == 1 else 5))
    if closing:
        content.closing = signature(plan.issuer, day)
    for k, (name, table) in enumerate(tables, start=1):
        content.appendix += [para("attach", f"附表{k}", page_break_before=True), para("title", name), table]
    return content


__all__ = ["compose_report", "NEXT_STEPS", "Said", "indicator_prose", "next_step_blocks", "problem_blocks", "section_blocks",
           "task_content", "task_figures"]
