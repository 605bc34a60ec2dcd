"""The outline of a plan: parts (a notice may carry a 总结 and a 要点), sections and leaf tasks.

Levels are relative: in each part the highest numbering style used (一、 or （一） or 1. …) is the
section level, and within a section the next style used below it is the task level; deeper items
stay in the task's text. A section with no numbered items (and not a context section such as 总体
要求) is itself one task. Works on cleaned paragraphs (str) with tables (any object) in between.

A part that a later title line opens ("第一部分 2025年工作回顾") but that is written as prose is one
section that is itself one task. "附件" alone on a line ends the body when the body has tasks: the
signature and date before it are dropped, a list of attachment names after "附件：1.…" is no content,
and a task table among the attachments is kept for enrich.py (its owners and deadlines).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from workplan_xl.plan import Part, Section, Task
from workplan_xl.plan_document.cleaning import DATE_LINE, is_org_line
from workplan_xl.plan_document.metadata import is_plan_title, year_of
from workplan_xl.plan_document.numbering import (
    H1,
    H2,
    H3,
    PART,
    SHI,
    Numbered,
    cn_to_int,
    int_to_cn,
    mark_for,
    numbered,
    plain,
)
from workplan_xl.plan_document.titles import is_context, kind_of, split_title

_MONTH = re.compile(r"^((?:1[0-2]|0?[1-9])|十[一二]|[一二三四五六七八九十])\s*月份?(?:\s*[：:]\s*|$)(.*)$")
_STRONG_PART = re.compile(r"(?:19|20)\d{2}\s*年.*(总结|回顾|要点|计划|安排|打算)|工作(总结|回顾|要点|计划|打算)$")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*([:：].*)?$")
_ATTACHMENT_START = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")

TableReader = Callable[[Any], "list[dict[str, Any]] | None"]


def _month_of(label: str) -> int:
    return int(label) if label.isdigit() else (cn_to_int(label) or 0)


@dataclass
class _Para:
    text: str = ""
    table: Any = None
    num: Numbered | None = None


@dataclass
class Outline:
    parts: list[Part] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    months: dict[int, list[int]] = field(default_factory=dict)  # id(task) -> months from 月 labels
    spans: dict[int, str] = field(default_factory=dict)         # id(task) -> full text for facts
    attached: list[dict[str, Any]] = field(default_factory=list)  # rows of a task table in the attachments


@dataclass
class _Table:
    rows: list[list[str]]
    kind: str = "table"


def _group_label(row: list[str]) -> str:
    """The title of a group row in a task table ("一、教育质量提升" across merged cells), else ''."""
    values = [str(c).strip() for c in row if c and str(c).strip()]
    if len(values) > 1 and len(set(values)) == 1:
        return values[0]
    if len(values) == 1 and (n := numbered(values[0])) is not None and n.rank <= H2 and len(row) > 1:
        return values[0]
    return ""


def _table_groups(table: Any) -> list[tuple[str, _Table]]:
    """A task table split at its group rows, each group with the header rows above the first group."""
    rows = [list(r) for r in (getattr(table, "rows", None) or [])]
    marks = [i for i, row in enumerate(rows) if _group_label(row)]
    groups = []
    for k, i in enumerate(marks):
        end = marks[k + 1] if k + 1 < len(marks) else len(rows)
        groups.append((_group_label(rows[i]), _Table(rows[: marks[0]] + rows[i + 1:end])))
    return groups


def _text_of(table: Any) -> str:
    rows = getattr(table, "rows", None) or []
    return "\n".join("；".join(str(c).strip() for c in row if str(c).strip()) for row in rows)


class _Builder:
    def __init__(self, outline: Outline, read_table: TableReader | None):
        self.outline = outline
        self.read_table = read_table

    # -- parts ---------------------------------------------------------------------------------
    def parts(self, paras: list[_Para], title: str, year: int | None) -> None:
        """Split at part titles: the plan's own title line, and later title lines that name another
        kind or year of document ("2024年工作总结" … "2025年工作要点", or "第二部分 2025年工作要点")."""
        chunks: list[tuple[str, list[_Para]]] = []
        current: tuple[str, list[_Para]] | None = None
        opened: set[int] = set()  # chunks a later title line opened: a part of a notice, not its head
        for i, p in enumerate(paras):
            text = p.text
            if p.num is not None and p.num.rank == PART:
                text = p.num.rest
                is_title = is_plan_title(text) or bool(_STRONG_PART.search(text))
            else:
                is_title = p.table is None and p.num is None and is_plan_title(text)
            if is_title and i > 0:
                # a later title line opens a new part only if it names another kind or year
                known = current[0] if current else title
                is_title = year_of(text) is not None and (
                    kind_of(text), year_of(text)) != (kind_of(known), year_of(known) or year)
            if is_title:
                current = (text, [])
                if i > 0:
                    opened.add(len(chunks))
                chunks.append(current)
            elif current is None:
                current = (title, [p])
                chunks.append(current)
            else:
                current[1].append(p)
        for k, (part_title, body) in enumerate(chunks):
            self._promoted_or_part(part_title, body, year, prose=k in opened)

    def _promoted_or_part(self, title: str, paras: list[_Para], year: int | None, prose: bool = False) -> None:
        heads = [p for p in paras if p.num is not None and p.num.value is not None]
        top = min((p.num.rank for p in heads if p.num), default=None)
        tops = [p for p in heads if p.num and p.num.rank == top]
        if len(tops) >= 2 and all(_STRONG_PART.search(p.num.rest) and "。" not in p.num.rest
                                  for p in tops if p.num):
            # "一、2023年工作总结 … 二、2024年工作计划": the top headings are the parts.
            chunk: list[_Para] = []
            chunk_title = ""
            for p in paras:
                if p in tops and p.num is not None:
                    if chunk_title:
                        self._part(chunk_title, chunk, year, prose=True)
                    chunk_title, chunk = p.num.rest, []
                elif chunk_title:
                    chunk.append(p)
            self._part(chunk_title, chunk, year, prose=True)
            return
        self._part(title, paras, year, prose)

    def _part(self, title: str, paras: list[_Para], year: int | None, prose: bool = False) -> None:
        part = Part(kind=kind_of(title), title=title, year=year_of(title) or year)
        ranks = [p.num.rank for p in paras if p.num is not None and p.num.value is not None]
        if not ranks and not any(p.num for p in paras) and not any(p.table is not None for p in paras):
            text = "\n".join(p.text for p in paras if p.text)
            if prose and text:
                # "第一部分 2025年工作回顾" written as prose: the part is one section, itself one task
                task = Task(id="", number="", title=title, text=text)
                self.outline.spans[id(task)] = text
                part.sections.append(Section(id="", numeral="", title=title, text=text, tasks=[task]))
            if paras or title:
                self.outline.parts.append(part)
            return
        top = min(ranks) if ranks else H1
        groups: list[tuple[_Para, list[_Para]]] = []
        for p in paras:
            if p.num is not None and (p.num.rank == top or p.num.value is None):
                groups.append((p, []))
            elif groups:
                groups[-1][1].append(p)
            elif p.table is not None and self.read_table is not None and self.read_table(p.table):
                # a task table before any heading: its group rows ("一、…") are the sections
                for label, sub in _table_groups(p.table) or [(title, p.table)]:
                    groups.append((_Para(label, None, numbered(label)), [_Para("", sub, None)]))
        previous = 0
        for head, body in groups:
            previous = self._section(part, head, body, top, previous)
        self.outline.parts.append(part)

    # -- sections -------------------------------------------------------------------------------
    def _section(self, part: Part, head: _Para, body: list[_Para], top: int, previous: int) -> int:
        num = head.num
        if num is None:
            value, numeral, rest = previous, "", head.text
        elif num.value is None:
            value = previous + 1
            numeral = mark_for(top, value) if top in (H1, H3) else int_to_cn(value)
            after = mark_for(top, previous) if previous else "开头"
            rest = num.rest
            self.outline.warnings.append(
                f"「{after}」之后的标题“{rest[:20]}”缺少序号，已按顺序推断为“{numeral}”。")
        else:
            value, numeral, rest = num.value, num.mark, num.rest
            if previous and value != previous + 1:
                self.outline.warnings.append(
                    f"{part.title or '正文'}的标题序号不连续：“{mark_for(top, previous)}”之后是“{numeral}”。")
        title, lead_body = split_title(rest)
        section = Section(id="", numeral=numeral, title=title, context=is_context(title))
        part.sections.append(section)

        intro: list[str] = [lead_body] if lead_body else []
        if section.context:
            intro += [p.text if p.table is None else _text_of(p.table) for p in body]
            section.text = "\n".join(t for t in intro if t)
            return value

        sub = [p.num.rank for p in body if p.num is not None and p.num.value is not None and p.num.rank > top]
        task_rank = min(sub) if sub else None
        month_labels = [p for p in body if p.num is None and p.table is None and _MONTH.match(p.text)]
        use_months = len(month_labels) >= 2
        current: Task | None = None
        lines: list[str] = []
        month = 0

        def close() -> None:
            if current is not None:
                current.text = "\n".join(t for t in lines if t)
                if current.text and self.outline.spans.get(id(current)) == current.title:
                    # a heading-only item ('（一）加强思政课建设', a styled heading): its facts are below it
                    self.outline.spans[id(current)] = f"{current.title}。{current.text}"

        for p in body:
            if p.table is not None:
                rows = self.read_table(p.table) if self.read_table else None
                if rows:
                    close()
                    current, lines = None, []
                    for row in rows:
                        section.tasks.append(self._table_task(row, month))
                    continue
                (lines if current is not None else intro).append(_text_of(p.table))
                continue
            m = _MONTH.match(p.text) if use_months and p.num is None else None
            if m is not None:
                close()
                current, lines = None, []
                month = _month_of(m.group(1))
                if m.group(2) or task_rank is None:
                    label = p.text[: m.start(2)].rstrip("：: ") if m.group(2) else p.text.rstrip("：: ")
                    current = self._task(section, label, m.group(2) or label, month)
                    lines = [current.text]
                continue
            if p.num is not None and p.num.rank == task_rank and p.num.value is not None:
                close()
                current = self._task(section, p.num.mark, p.num.rest, month)
                lines = [current.text]
            elif current is not None:
                lines.append(p.text)
            else:
                intro.append(p.text)
        close()
        section.text = "\n".join(t for t in intro if t)
        if not section.tasks:
            task = Task(id="", number=numeral, title=title, text=section.text)
            self.outline.spans[id(task)] = "。".join(t for t in (title, section.text) if t)
            section.tasks.append(task)
        return value

    def _task(self, section: Section, number: str, rest: str, month: int) -> Task:
        title, body = split_title(rest)
        task = Task(id="", number=number, title=title, text=body)
        self.outline.spans[id(task)] = rest
        if month:
            self.outline.months[id(task)] = [month]
        section.tasks.append(task)
        return task

    def _table_task(self, row: dict[str, Any], month: int) -> Task:
        task = Task(id="", number=str(row.get("number") or ""), title=str(row.get("title") or ""),
                    text=str(row.get("text") or ""), owners=list(row.get("owners") or []),
                    partners=list(row.get("partners") or []), deadline=str(row.get("deadline") or ""))
        self.outline.spans[id(task)] = "。".join(t for t in (task.title, task.text) if t)
        months = ([month] if month else []) + list(row.get("months") or [])
        if task.deadline:  # a 完成时限 cell ('2026年10月底前') names the month the work is due
            from workplan_xl.plan_document.facts import find_months

            months += find_months(task.deadline)
        if months:
            self.outline.months[id(task)] = sorted(set(months))
        return task


def _is_name_line(text: str) -> bool:
    """A title without sentence punctuation: an attachment's name."""
    return len(text) <= 60 and not any(p in text for p in "。，,；;：:")


def _trim_signature(paras: list[_Para]) -> None:
    """Drop the signature and date that close the body before its attachments."""
    while paras and paras[-1].table is None and paras[-1].num is None and (
            DATE_LINE.match(paras[-1].text) or is_org_line(paras[-1].text)):
        paras.pop()


_RUN_HEAD_MAX = 30  # characters of a plain line that heads a 一是… run


def _count_headings(paras: list[_Para]) -> None:
    """Headings without numerals get their place in the count of their level: styled ones (the
    reader marked them), and a short plain line without a full stop right before a 一是 paragraph
    (a 工作要点 whose parts are headed by plain lines, each over its own 一是…二是… run)."""
    for k, p in enumerate(paras[:-1]):
        after = paras[k + 1].num
        if (p.num is None and p.table is None and after is not None and after.rank == SHI and after.value == 1
                and len(p.text) <= _RUN_HEAD_MAX and not any(c in p.text for c in "。；;，,：:")
                and not _MONTH.match(p.text)):
            p.num = Numbered(H1, None, "", p.text, styled=True)
    counters: dict[int, int] = {}
    for p in paras:
        if p.num is not None and p.num.styled and _MONTH.match(p.text):
            p.num = None  # a bold '三月' is a month label: the month logic reads it
        if p.num is None:
            continue
        rank = p.num.rank
        for deeper in [r for r in counters if r > rank]:
            del counters[deeper]
        if p.num.styled:
            counters[rank] = counters.get(rank, 0) + 1
            p.num = replace(p.num, value=counters[rank])
        elif p.num.value is not None:
            counters[rank] = p.num.value


def build_outline(items: list[Any], title: str = "", year: int | None = None,
                  read_table: TableReader | None = None) -> Outline:
    """Parts, sections and tasks of a plan's content.

    ``items`` are the cleaned paragraphs (str) from the plan's title line to its last line, with
    table blocks (anything with ``rows``) in between; ``title`` and ``year`` name the part when the
    content carries no title line of its own. ``read_table`` turns a task table into task dicts.
    """
    paras: list[_Para] = []
    attachment = None  # where the attachments start: "附件" / "附件2" alone on a line, after the body
    listed: Numbered | None = None  # the last item of a list of attachments ("附件：1.… 2.…")
    for item in items:
        if isinstance(item, str):
            if not item or _ATTACHMENT.match(item):
                if attachment is None and _ATTACHMENT_START.match(item) and any(p.num for p in paras):
                    _trim_signature(paras)
                    attachment = len(paras)
                listed = numbered(re.sub(r"^附\s*件\s*[:：]\s*", "", item)) if item else None
                continue
            num = numbered(item)
            if listed is not None and num is not None and num.rank == listed.rank and num.value is not None \
                    and listed.value is not None and num.value == listed.value + 1 and _is_name_line(num.rest):
                listed = num  # "2.某某安排表" under "附件：1.…": the list goes on
                continue
            listed = None
            paras.append(_Para(plain(item), None, num))
        else:
            listed = None
            paras.append(_Para("", item, None))
    _count_headings(paras)
    outline = Outline()
    if attachment is not None:
        _Builder(outline, read_table).parts(paras[:attachment], title, year)
        outline.parts = [p for p in outline.parts if p.sections]
        if any(s.tasks for p in outline.parts for s in p.sections):
            # a task table among the attachments gives the body's tasks their owners and deadlines
            for p in paras[attachment:]:
                rows = read_table(p.table) if p.table is not None and read_table else None
                outline.attached += rows or []
            return outline
        outline = Outline()  # the body holds no tasks: they are in the attachment (a task table)
    _Builder(outline, read_table).parts(paras, title, year)
    outline.parts = [p for p in outline.parts if p.sections]
    return outline
