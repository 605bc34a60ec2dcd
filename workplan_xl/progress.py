"""Where the year stands: the plan combined with the current returns. Pure computation, no I/O.

The ledger produces the inputs (current values, one UnitReport per roster unit, problems);
the consolidated workbook, the report and the notices all read the same Progress, so every figure
in the 工作总结 can be traced to 汇总.xlsx.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from workplan_xl.cjk import number_text
from workplan_xl.plan import STATUSES, Indicator, Plan, Task, Unit, owners_first, units_for

REPORTED, PARTIAL, PROBLEM, MISSING = "已报", "部分填报", "有问题", "未报"
STATES = (REPORTED, PARTIAL, PROBLEM, MISSING)  # a unit is in exactly one of these per round
USABLE = (REPORTED, PARTIAL)  # a usable return is in: its values count


def count_states(units: list[UnitReport]) -> dict[str, int]:
    """How many units are in each state: the one count every document prints (报送情况, wpx status,
    collect's summary, the 工作总结, the 通报 and the 督办单)."""
    counts = dict.fromkeys(STATES, 0)
    for unit in units:
        counts[unit.state] += 1
    return counts


def counts_sentence(units: list[UnitReport]) -> str:
    """应报 N 个单位，已报 a 个，部分填报 b 个，有问题 c 个，未报 d 个 (the four add up to N)."""
    n = count_states(units)
    return (f"应报 {len(units)} 个单位，已报 {n[REPORTED]} 个，部分填报 {n[PARTIAL]} 个，有问题 {n[PROBLEM]} 个，"
            f"未报 {n[MISSING]} 个")
SUMMARY_FIELDS = ("achievements", "difficulties", "next_steps")  # what a 工作总结 is written from


@dataclass(slots=True)  # a province's collect holds millions: 48 bytes less each without a __dict__
class Entry:
    """One current (accepted, not superseded) value from a return."""

    unit_code: str
    item_id: str
    field: str
    value: str
    note: str = ""
    submission_id: int | None = None


@dataclass
class UnitReport:
    """One roster unit's reporting state in a round."""

    unit: Unit
    state: str = MISSING
    file: str = ""
    received: str = ""
    identified_by: str = ""
    problems: list[str] = field(default_factory=list)
    submissions: int = 0
    blank: str = ""  # 部分填报: the required cells left blank in the current return
    form: dict[str, str] = field(default_factory=dict)  # the 填报人 block of the current return, by field


@dataclass
class Problem:
    """One line of 问题清单, in words a school can act on."""

    file: str
    unit: str
    cell: str
    problem: str
    action: str


@dataclass
class TaskProgress:
    task: Task
    section: str
    expected: list[Unit]
    counts: dict[str, int]
    missing: list[Unit]
    progress_notes: list[tuple[str, str]]  # (unit name, 进展情况)
    status: str  # 已完成 / 推进中 / 未启动 / 未报
    statuses: dict[str, str] = field(default_factory=dict)  # unit code → 完成状态 (督办单 need it per unit)
    # 主要成效 / 存在问题 / 下一步打算 as the units wrote them: field → [(unit name, text)], in ledger order
    texts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class IndicatorProgress:
    indicator: Indicator
    expected: list[Unit]
    values: list[tuple[str, float]]  # (unit code, number)
    actual: float | None
    rate: float | None  # 完成率 in percent
    reached: bool | None  # None: nothing reported or no target
    notes: list[tuple[str, str]] = field(default_factory=list)  # (unit name, how a value was read), to verify
    conflict: str = ""  # a single-value indicator whose reporters disagree: what was taken, for the data notes


@dataclass
class Progress:
    plan: Plan
    round: str
    units: list[UnitReport]
    tasks: list[TaskProgress]
    indicators: list[IndicatorProgress]
    problems: list[Problem]

    @property
    def reported(self) -> list[UnitReport]:
        """Units with a usable return (已报 or 部分填报): an unreadable file is not a report."""
        return [u for u in self.units if u.state in USABLE]

    @property
    def missing(self) -> list[UnitReport]:
        return [u for u in self.units if u.state == MISSING]

    @property
    def unusable(self) -> list[UnitReport]:
        """有问题: only files that could not be used."""
        return [u for u in self.units if u.state == PROBLEM]

    @property
    def partial(self) -> list[UnitReport]:
        return [u for u in self.units if u.state == PARTIAL]

    @property
    def counts(self) -> dict[str, int]:
        return count_states(self.units)


def aggregate(values: list[float], how: str) -> float | None:
    """Combine the units' numbers as the indicator's 汇总方式 says."""
    if not values or how == "none":
        return None
    if how == "sum":
        return float(sum(values))
    if how == "mean":
        return float(statistics.fmean(values))
    if how == "min":
        return float(min(values))
    if how == "max":
        return float(max(values))
    if how == "count":
        return float(len(values))
    raise ValueError(f"unknown aggregate {how!r}")


def judge(indicator: Indicator, actual: float | None) -> tuple[float | None, bool | None]:
    """完成率 (percent) and whether the target is reached. '左右' allows 2 % of the target below it."""
    target = indicator.value
    if actual is None or target is None:
        return None, None
    comparator = indicator.comparator
    if comparator in ("<=", "<"):
        rate = 100.0 if actual == 0 else min(target / actual * 100, 999.0)
        return round(rate, 1), actual <= target if comparator == "<=" else actual < target
    rate = round(actual / target * 100, 1) if target else None
    if comparator == ">":
        return rate, actual > target
    if comparator == "~":
        return rate, actual >= target * 0.98
    if comparator == "=":
        return rate, abs(actual - target) < 1e-9
    return rate, actual >= target


def _task_status(counts: Counter[str], expected: int, reported: int) -> str:
    if reported == 0:
        return MISSING
    done = counts.get("已完成", 0) + counts.get("不适用", 0)
    if done == reported == expected and counts.get("已完成", 0):
        return "已完成"
    if counts.get("未启动", 0) == reported:
        return "未启动"
    return "推进中"


def value_groups(entries: Iterable[Entry]) -> Iterator[tuple[str, Sequence[Sequence[str]]]]:
    """(unit code, its values) per return, each value laid out as the ledger stores it (v[1] item id,
    v[2] field, v[3] value, v[5] note). The ledger's StoredEntries gives its JSON rows as they are
    (``groups()``), without making an Entry of each of a round's million values; a list of Entry is
    grouped so too."""
    groups = getattr(entries, "groups", None)
    return groups() if groups is not None else _grouped(entries)


def _grouped(entries: Iterable[Entry]) -> Iterator[tuple[str, Sequence[Sequence[str]]]]:
    code: str | None = None
    values: list[tuple[str, ...]] = []
    for e in entries:
        if e.unit_code != code and values:
            yield code or "", values
            values = []
        code = e.unit_code
        values.append(("", e.item_id, e.field, e.value, "", e.note))
    if values:
        yield code or "", values


def compute_progress(plan: Plan, entries: Iterable[Entry], units: list[UnitReport],
                     problems: list[Problem], round: str = "") -> Progress:
    """The figures of a round, in one pass over ``entries`` (a round's values are read as they are
    walked, never held): per task the units' statuses and texts, per indicator the figures."""
    names = {u.code: u.name for u in plan.units}
    text_fields = ("progress", *SUMMARY_FIELDS)
    # item → unit → value, per field; a unit's later value of the same field replaces its earlier one
    statuses: dict[str, dict[str, str]] = {}
    texts: dict[str, dict[str, dict[str, str]]] = {}
    figures: dict[str, dict[str, tuple[str, str]]] = {}  # item → unit → (value, note)
    for code, values in value_groups(entries):
        for v in values:
            f = v[2]
            if f == "status":
                if v[3] in STATUSES:
                    statuses.setdefault(v[1], {})[code] = v[3]
            elif f == "value":
                figures.setdefault(v[1], {})[code] = (v[3], v[5])
            elif f in text_fields and (text := v[3].strip()):
                texts.setdefault(v[1], {}).setdefault(f, {})[code] = text

    tasks = []
    for section in plan.sections():
        for task in section.tasks:
            expected = units_for(plan, task)
            by_unit = statuses.get(task.id, {})
            said = texts.get(task.id, {})
            counts = Counter(by_unit.values())
            notes = [(names.get(code, code), text) for code, text in said.get("progress", {}).items()]
            # A unit counts for a task only with a 完成状态: a row with progress text and a blank status is
            # listed among the missing, so 已报 + 未报 = 应报 and the status columns add up to 已报.
            missing = [u for u in expected if u.code not in by_unit]
            summary = {name: [(names.get(code, code), text) for code, text in said[name].items()]
                       for name in SUMMARY_FIELDS if said.get(name)}
            tasks.append(TaskProgress(task, section.title, expected,
                                      {s: counts.get(s, 0) for s in STATUSES}, missing, notes,
                                      _task_status(counts, len(expected), len(by_unit)), by_unit, summary))

    indicators = []
    for indicator in plan.indicators():
        if indicator.kind == "achieved":
            continue
        values, value_notes = [], []
        for code, (value, note) in figures.get(indicator.id, {}).items():
            try:
                values.append((code, float(value)))
            except ValueError:
                continue
            if note:
                value_notes.append((names.get(code, code), note))
        conflict = ""
        if indicator.aggregate == "owner":
            actual, conflict = _owner_figure(plan, indicator, values, names)
            if conflict:
                files = {u.unit.code: u.file for u in units}
                problems = [*problems, Problem("、".join(dict.fromkeys(files.get(c, "") for c, _ in values if files.get(c))),
                                               "、".join(names.get(c, c) for c, _ in values), "",
                                               f"指标「{indicator.metric or indicator.text}」{conflict}",
                                               "请与各单位核实正确的数；如这项指标确应合计各单位的数，请在台账“指标跟踪”的"
                                               "“汇总方式”中改为求和。")]
        else:
            actual = aggregate([v for _, v in values], indicator.aggregate)
        rate, reached = judge(indicator, actual)
        indicators.append(IndicatorProgress(indicator, units_for(plan, indicator), values,
                                            actual, rate, reached, value_notes, conflict))
    return Progress(plan, round, units, tasks, indicators, problems)


def _owner_figure(plan: Plan, indicator: Indicator, values: list[tuple[str, float]],
                  names: dict[str, str]) -> tuple[float | None, str]:
    """One figure for the whole county: the 牵头单位's, never a sum or mean of everyone who typed one.
    Returns (figure, conflict): conflict says who reported what and what was taken when they disagree."""
    if not values:
        return None, ""
    by_code = dict(values)
    if len(set(by_code.values())) == 1:
        return values[0][1], ""
    listed = "、".join(f"{names.get(c, c)} {number_text(v)}" for c, v in values)
    ranked = owners_first(plan, indicator)
    owner = ranked[0].code if ranked else ""
    if owner in by_code:
        # no brackets inside: the report puts this note in （…） after the figure
        return by_code[owner], (f"各单位填报不一致：{listed}；按牵头单位{names.get(owner, owner)}填报的 "
                                f"{number_text(by_code[owner])} 计，未求和也未平均")
    return None, f"各单位填报不一致：{listed}；牵头单位没有填报，暂不计入"
