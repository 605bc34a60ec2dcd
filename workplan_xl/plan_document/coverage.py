"""How much of a document's body went into the Plan: each body paragraph is placed when its words are
a task's or a section's (title, a line of its text, or the title with the first line of its body),
so `wpx parse` can say "正文 96% 已归入任务" and list what it could not place — a plan read badly
shows at once. Words are compared without numbering, spaces and punctuation."""

from __future__ import annotations

import re
from typing import Any

from workplan_xl.plan import Plan
from workplan_xl.plan_document.cleaning import DATE_LINE, is_org_line
from workplan_xl.plan_document.numbering import numbered, plain

_NOT_WORD = re.compile(r"[\W_]+")
MAX_LISTED = 200  # unplaced paragraphs kept on the Plan


def _norm(text: str) -> str:
    return _NOT_WORD.sub("", text)


def _pieces(title: str, text: str) -> set[str]:
    lines = [ln for ln in (text or "").split("\n") if ln.strip()]
    out = {_norm(title), *(_norm(ln) for ln in lines)}
    if lines:
        out.add(_norm(title + lines[0]))
    return out


def measure_coverage(plan: Plan, items: list[Any]) -> None:
    """Set ``plan.coverage`` and ``plan.unplaced`` from the body ``items`` (paragraph strings and
    table blocks) the outline was built from. Tables are not counted: their rows are tasks or not."""
    placed: set[str] = set()
    for part in plan.parts:
        placed.add(_norm(part.title))
        for section in part.sections:
            placed |= _pieces(section.title, section.text)
            for task in section.tasks:
                placed |= _pieces(task.title, task.text)
    placed |= {_norm(e.text) for e in plan.schedule} | {_norm(plan.title)}
    placed.discard("")
    total = done = 0
    unplaced: list[str] = []
    for item in items:
        if not isinstance(item, str):
            continue
        text = plain(item)
        if not text or DATE_LINE.match(text) or is_org_line(text):
            continue  # a signature or a date closes the body; it is no work
        num = numbered(text)
        words = _norm(num.rest if num is not None else text)
        if not words:
            continue
        total += len(words)
        if words in placed or _norm(text) in placed:
            done += len(words)
        elif len(unplaced) < MAX_LISTED:
            unplaced.append(text)
    plan.coverage = round(done / total, 4) if total else None
    plan.unplaced = unplaced
