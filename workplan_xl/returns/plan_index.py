"""The plan's lookups that identifying a return and reading its rows need, built once per collect
run and sent to each reader process once."""

from __future__ import annotations

import re

from workplan_xl.plan import Plan, Unit


class PlanIndex:
    """The plan's lookups, built once per collect run."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.fingerprint = plan.fingerprint()
        self.units = {u.code: u for u in plan.units}
        by_name = sorted(plan.units, key=lambda u: -len(u.name))
        self.names: dict[str, tuple[int, Unit]] = {}  # name → (place among the longest first, unit)
        for place, unit in enumerate(by_name):
            if unit.name:
                self.names.setdefault(unit.name, (place, unit))
        self.name_lengths = sorted({len(n) for n in self.names})
        self.name_starts = {n[:2] for n in self.names}  # a name can only begin where one of these does
        self.tasks = {t.id: t for t in plan.tasks()}
        self.indicators = {i.id: i for i in plan.indicators() if i.kind != "achieved"}
        numbers = task_numbers(plan)
        self.task_numbers = _unique({n: i for i, n in numbers.items() if n}, list(numbers.values()))
        # An indicator row without its 指标ID (a re-save that drops hidden columns: web pages) is found
        # by what the form's 指标 column shows (the metric) or by the indicator's text.
        labels = [(label, i.id) for i in self.indicators.values()
                  for label in dict.fromkeys((i.text.strip(), (i.metric or i.text).strip()))]
        self.indicator_texts = _unique(dict(labels), [label for label, _ in labels])

    def units_in(self, text: str) -> list[Unit]:
        """Roster units named in a text by code (a whole token) or by name (longest names first)."""
        found: list[Unit] = []
        for token in re.findall(r"[0-9A-Za-z]+", text):
            unit = self.units.get(token)
            if unit and unit not in found:
                found.append(unit)
        # Only the names that occur at all, found by looking up the text's substrings of the names'
        # lengths (a roster has thousands of names, a unit line a few dozen characters).
        starts, lengths = self.name_starts, self.name_lengths
        present = {text[i:i + n] for i in range(len(text)) if text[i:i + 2] in starts or text[i] in starts
                   for n in lengths if i + n <= len(text)} & self.names.keys()
        rest = text
        for name in sorted(present, key=lambda n: self.names[n][0]):
            unit = self.names[name][1]
            if name in rest:
                rest = rest.replace(name, "\x00")
                if unit not in found:
                    found.append(unit)
        return found


def task_numbers(plan: Plan) -> dict[str, str]:
    """任务编号 as the forms and the master workbook show it (二.3, 二（三）)."""
    from workplan_xl.master_workbook.layout import composite_number

    return {t.id: composite_number(s.numeral, t.number) for s in plan.sections() for t in s.tasks}


def _unique(mapping: dict[str, str], keys: list[str]) -> dict[str, str]:
    return {k: v for k, v in mapping.items() if keys.count(k) == 1}
