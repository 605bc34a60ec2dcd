"""The Plan: the one in-memory contract between the steps. Plain dataclasses, JSON round trip, no I/O.

A Plan holds the document's parts (a notice may carry a 工作总结 and a 工作要点), their sections and
tasks, the quantitative indicators, the 配档表 (schedule) and the roster of reporting units.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA = "workplan-xl/plan@1"

COMPARATORS = (">=", ">", "<=", "<", "=", "~")
KINDS = ("target", "baseline", "achieved")
AGGREGATES = ("sum", "mean", "min", "max", "count", "owner", "none")  # owner: the owning office's single figure
STATUSES = ("未启动", "推进中", "已完成", "不适用")

# Units counted per unit add up across schools; rates and shares are averaged.
_SUM_UNITS = {"所", "个", "人", "名", "项", "次", "场", "间", "座", "台", "套", "册", "篇", "门", "节", "盏",
              "万元", "亿元", "元", "万个", "万人", "班", "校", "园", "家", "平方米", "亩", "课时", "件"}
_MEAN_UNITS = {"%", "个百分点", "‰", "分", "岁", "天", "小时", "学时"}


def default_aggregate(unit: str) -> str:
    """How an indicator's unit values combine: counts add up, rates are averaged."""
    if unit in _MEAN_UNITS:
        return "mean"
    if unit in _SUM_UNITS:
        return "sum"
    return "sum" if unit else "none"


@dataclass
class Indicator:
    id: str
    text: str
    metric: str = ""
    comparator: str = ">="
    value: float | None = None
    unit: str = ""
    kind: str = "target"
    aggregate: str = ""
    baseline: float | None = None
    task: str | None = None
    reporters: list[str] = field(default_factory=list)
    growth: bool = False  # a change (比上年增长12.4%, 提高2个百分点, 翻一番), not a level

    def __post_init__(self) -> None:
        if not self.aggregate:
            self.aggregate = default_aggregate(self.unit)


@dataclass
class Task:
    id: str
    number: str = ""
    title: str = ""
    text: str = ""
    measures: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    months: list[int] = field(default_factory=list)
    deadline: str = ""
    owners: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Section:
    id: str
    numeral: str = ""
    title: str = ""
    text: str = ""
    context: bool = False
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Part:
    kind: str = "plan"
    title: str = ""
    year: int | None = None
    sections: list[Section] = field(default_factory=list)


@dataclass
class ScheduleEntry:
    month: int | None = None
    period: str = ""
    text: str = ""
    owners: list[str] = field(default_factory=list)
    task: str | None = None


@dataclass
class Unit:
    code: str
    name: str
    type: str = ""
    contact: str = ""
    phone: str = ""


@dataclass
class Plan:
    title: str = ""
    year: int | None = None
    issuer: str = ""
    doc_number: str = ""
    issued: str = ""
    source: dict[str, str] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)
    schedule: list[ScheduleEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    coverage: float | None = None  # share of the body text (characters) placed in tasks and sections
    unplaced: list[str] = field(default_factory=list)  # body paragraphs placed nowhere, as written

    # -- walking -------------------------------------------------------------------------------
    def sections(self) -> Iterator[Section]:
        for part in self.parts:
            yield from part.sections

    def tasks(self) -> Iterator[Task]:
        for section in self.sections():
            yield from section.tasks

    def indicators(self) -> Iterator[Indicator]:
        for task in self.tasks():
            yield from task.indicators

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks() if t.id == task_id), None)

    def section_of(self, task_id: str) -> Section | None:
        return next((s for s in self.sections() if any(t.id == task_id for t in s.tasks)), None)

    def plan_part(self) -> Part | None:
        """The part the year's work is tracked against: the last 'plan' part, else the last part."""
        plans = [p for p in self.parts if p.kind == "plan"]
        return (plans or self.parts or [None])[-1]

    def fingerprint(self) -> str:
        """Identifies the plan across edits of its tasks: forms carry it, collect checks it."""
        key = "|".join([SCHEMA, self.title, str(self.year or ""), self.issuer, self.doc_number,
                        self.source.get("sha256", "")])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    # -- JSON ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, **asdict(self)}

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema {data.get('schema')!r} is not {SCHEMA}")
        plan = _build(cls, data)
        plan.parts = [_part(p) for p in data.get("parts", [])]
        plan.schedule = [_build(ScheduleEntry, e) for e in data.get("schedule", [])]
        plan.units = [_build(Unit, u) for u in data.get("units", [])]
        return plan

    @classmethod
    def from_json(cls, text: str) -> Plan:
        return cls.from_dict(json.loads(text))


def _build(cls: type, data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    nested = {"parts", "sections", "tasks", "indicators", "schedule", "units"}
    return cls(**{k: v for k, v in data.items() if k in names and k not in nested})


def _part(data: dict[str, Any]) -> Part:
    part = _build(Part, data)
    for s in data.get("sections", []):
        section = _build(Section, s)
        for t in s.get("tasks", []):
            task = _build(Task, t)
            task.indicators = [_build(Indicator, i) for i in t.get("indicators", [])]
            section.tasks.append(task)
        part.sections.append(section)
    return part


# -- ids -----------------------------------------------------------------------------------------
def next_id(prefix: str, taken: set[str]) -> str:
    """The next free id of the form T001, I001, S01 …: new rows never reuse an id."""
    width = 2 if prefix == "S" else 3
    numbers = [int(i[len(prefix):]) for i in taken if i.startswith(prefix) and i[len(prefix):].isdigit()]
    return f"{prefix}{(max(numbers, default=0) + 1):0{width}d}"


# -- who reports what --------------------------------------------------------------------------------
_COUNT_NOTE = re.compile(r"\s*[（(]\s*(?:共\s*)?\d+\s*[所个家名]\s*[）)]\s*$")  # "各中小学（18所）" shows a count
_EVERYONE = ("全部", "全体", "所有单位", "全部单位")


def _entry(entry: str) -> str:
    """A 填报对象 entry without the count describe_units adds: "各中小学（18所）" → "各中小学"."""
    return _COUNT_NOTE.sub("", entry.strip())


def _matches(entry: str, unit: Unit, types: frozenset[str] = frozenset()) -> bool:
    entry = _entry(entry)
    if not entry:
        return False
    if entry.startswith("各") and len(entry) > 2:  # 各中小学, 各幼儿园 name a unit type
        entry = entry[1:]
        if entry in types:  # a type of the roster names that type only, not a name containing it
            return entry == unit.type
    if entry in (unit.code, unit.name, unit.type):
        return True
    # 督导室 names 教育督导室; 市教研院 names 济南市教研院: one contains the other.
    return len(entry) >= 2 and (entry in unit.name or (len(unit.name) >= 2 and unit.name in entry))


def units_for(plan: Plan, item: Task | Indicator) -> list[Unit]:
    """填报对象 of a task or indicator, in roster order.

    Explicit reporters (codes, names or unit types) win; else a task's owners and partners that are on
    the roster; else every unit. An indicator without reporters follows its task.
    """
    entries = list(item.reporters)
    if not entries and isinstance(item, Indicator) and item.task:
        task = plan.task(item.task)
        if task is not None:
            return units_for(plan, task)
    if entries and any(_entry(e) in _EVERYONE for e in entries):
        return list(plan.units)
    types = frozenset(u.type for u in plan.units if u.type)
    if not entries and isinstance(item, Task):
        entries = item.owners + item.partners
        chosen = [u for u in plan.units if any(_matches(e, u, types) for e in entries)]
        return chosen or list(plan.units)
    if not entries:  # an indicator of no task and no reporters: everyone, as for a task without owners
        return list(plan.units)
    return [u for u in plan.units if any(_matches(e, u, types) for e in entries)]


def describe_units(roster: list[Unit], chosen: list[Unit]) -> str:
    """填报对象 as an officer reads it: "全部单位（30个）", "各中小学（18所）、青禾县教育督导室". A whole unit type
    is named by its type, the other units by name; units_for reads the text back to the same units."""
    if not chosen:
        return ""
    codes = {u.code for u in chosen}
    if len(roster) > 1 and len(codes) == len({u.code for u in roster}):
        return f"全部单位（{len(roster)}个）"
    by_type: dict[str, list[Unit]] = {}
    for unit in roster:
        by_type.setdefault(unit.type, []).append(unit)
    parts, named = [], set()
    for unit in chosen:
        members = by_type.get(unit.type, [])
        if unit.type and len(members) > 1 and all(m.code in codes for m in members):
            if unit.type not in named:
                named.add(unit.type)
                measure = "所" if any(w in unit.type for w in ("学", "校", "园")) else "个"
                parts.append(f"各{unit.type}（{len(members)}{measure}）")
        else:
            parts.append(unit.name or unit.code)
    return "、".join(parts)


def owners_first(plan: Plan, indicator: Indicator) -> list[Unit]:
    """An indicator's reporters with its task's 牵头单位 first (in the order they are named), then the
    配合单位, then the rest: whose figure counts for an indicator of the whole county."""
    reporters = units_for(plan, indicator)
    task = plan.task(indicator.task) if indicator.task else None
    entries = (task.owners + task.partners) if task is not None else []
    ranked = sorted(range(len(reporters)), key=lambda i: (next(
        (k for k, e in enumerate(entries) if _matches(e, reporters[i])), len(entries)), i))
    return [reporters[i] for i in ranked]


def default_aggregate_for(plan: Plan, indicator: Indicator) -> str:
    """汇总方式 as the plan means it: a figure the task's own offices report (no explicit 填报对象, the
    reporters are the task's 牵头/配合单位 on the roster) is one county figure, the owner's ("owner");
    figures every school reports add up (counts) or average (rates), as the unit says."""
    base = default_aggregate(indicator.unit)
    if base == "none" or indicator.reporters:
        return base
    task = plan.task(indicator.task) if indicator.task else None
    if task is None or task.reporters:
        return base
    entries = [e for e in task.owners + task.partners if e.strip()]
    named = [u for u in plan.units if any(_matches(e, u) for e in entries)]
    # offices named one by one (基教科、计财科), not a kind of unit (各中小学) that stands for many schools
    if named and len(named) <= len(entries):
        return "owner"
    return base


def apply_default_aggregates(plan: Plan) -> None:
    """Give each indicator whose 汇总方式 only follows its unit the plan's meaning (default_aggregate_for),
    once the roster is known: what wpx build writes into 指标跟踪, where the user can change it."""
    for indicator in plan.indicators():
        if indicator.aggregate == default_aggregate(indicator.unit):
            indicator.aggregate = default_aggregate_for(plan, indicator)


def items_for(plan: Plan, unit: Unit) -> tuple[list[Task], list[Indicator]]:
    """The tasks and indicators one unit reports on."""
    tasks = [t for t in plan.tasks() if any(u.code == unit.code for u in units_for(plan, t))]
    indicators = [i for i in plan.indicators() if i.kind != "achieved"
                  and any(u.code == unit.code for u in units_for(plan, i))]
    return tasks, indicators
