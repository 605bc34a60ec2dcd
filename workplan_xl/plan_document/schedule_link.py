"""Which task a 配档表 row belongs to, where the wording makes it clear.

A row is scored against every task by the character bigrams they share, each weighted by how rare it
is among the tasks (a bigram in every task, like 工作 or 推进, says nothing). The row goes to the best
task only when that task covers enough of the row's weight and clearly beats the runner-up;
otherwise it stays unlinked — a wrong link is worse than none.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from workplan_xl.plan_document.numerals import fold

# Characters that join words rather than carry meaning; a bigram holding one is skipped.
_FUNCTION = set("的了和与及等并之于以其把被将是对在为从向由、")
_RUN = re.compile(r"[\u3400-\u9fff]+")

MIN_SCORE = 0.3     # share of the row's weight the best task must cover
MIN_LEAD = 1.5      # how many times the runner-up's score the best must reach


def bigrams(text: str) -> set[str]:
    """The character bigrams of the CJK runs of ``text``, without function characters."""
    out: set[str] = set()
    for run in _RUN.findall(fold(text)):
        for a, b in zip(run, run[1:], strict=False):
            if a not in _FUNCTION and b not in _FUNCTION:
                out.add(a + b)
    return out


def link_schedule(entries: list[Any], tasks: list[Any]) -> None:
    """Set each entry's ``task`` to the id of the task it clearly belongs to, else None (in place)."""
    for entry, k in zip(entries, best_tasks([e.text for e in entries], tasks), strict=True):
        entry.task = tasks[k].id if k is not None else None


def best_tasks(texts: list[str], tasks: list[Any]) -> list[int | None]:
    """For each text, the index of the task it clearly belongs to (by shared rare bigrams), else None."""
    if not tasks:
        return [None] * len(texts)
    grams = [bigrams(f"{t.title} {t.text} {' '.join(getattr(t, 'measures', []) or [])}") for t in tasks]
    df = Counter(g for gs in grams for g in gs)
    n = len(tasks)
    weight = {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}
    unseen = math.log((n + 1) / 0.5)
    out: list[int | None] = []
    for text in texts:
        row = bigrams(text)
        total = sum(weight.get(g, unseen) for g in row)
        if total <= 0:
            out.append(None)
            continue
        scores = sorted(((sum(weight[g] for g in row & gs) / total, k) for k, gs in enumerate(grams)),
                        reverse=True)
        best, k = scores[0]
        second = scores[1][0] if len(scores) > 1 else 0.0
        out.append(k if best >= MIN_SCORE and best >= MIN_LEAD * second else None)
    return out
