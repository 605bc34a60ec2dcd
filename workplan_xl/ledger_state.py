"""A round as the ledger holds it: THE state function (each roster unit 已报 / 部分填报 / 有问题 / 未报,
its file, its problems, the current values) and the figures computed from it. Every count any
document prints comes from round_state, through progress.count_states."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workplan_xl.errors import WorkplanError
from workplan_xl.ledger import NO_LEDGER, Ledger
from workplan_xl.ledger_schema import StoredEntries, payloads
from workplan_xl.plan import Plan, Unit
from workplan_xl.progress import (
    PARTIAL,
    PROBLEM,
    REPORTED,
    Entry,
    Problem,
    Progress,
    UnitReport,
    compute_progress,
)


@dataclass
class LedgerState:
    """A round as the ledger holds it: the inputs of compute_progress, plus the source files."""

    round: str
    units: list[UnitReport] = field(default_factory=list)
    entries: Iterable[Entry] = field(default_factory=list)  # StoredEntries when read from a ledger
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # unit code → current file
    duplicates: int = 0

    def progress(self, plan: Plan, entries: Iterable[Entry] | None = None) -> Progress:
        """The round's figures from its entries (or ``entries``, the same walked through a wrapper)."""
        return compute_progress(plan, self.entries if entries is None else entries, self.units, self.problems,
                                self.round)


def read_state(plan: Plan | None, db: Path, round: str | None = None, year_end: bool = False) -> LedgerState:
    """The ledger's current state for ``round`` (default: the latest collected, or with ``year_end`` the
    year-end round), over the plan's roster, or over the roster stored at the last collect when ``plan``
    is None."""
    with Ledger(db, create=False) as ledger:
        if round is None and year_end:
            round = ledger.year_end_round()
        if round is None:
            round = ledger.latest_round()
            if round is None:
                raise WorkplanError(NO_LEDGER)
        ledger.check_round(round)
        return round_state(ledger, plan.units if plan is not None else ledger.roster(), round)


def read_progress(plan: Plan, db: Path, round: str | None = None, year_end: bool = False) -> Progress:
    """Where the year stands according to the ledger (round: default the latest collected, or the
    year-end round with ``year_end``)."""
    return read_state(plan, db, round, year_end).progress(plan)


def round_state(ledger: Ledger, units: list[Unit], round: str) -> LedgerState:
    """THE state function: per round, each roster unit is exactly one of 已报 (a usable return),
    部分填报 (usable, required cells blank), 有问题 (only unusable files) or 未报. Every count any
    document prints comes from here (through count_states)."""
    state = LedgerState(round)
    subs = ledger.conn.execute(
        "SELECT id, file_name, received, mtime, unit_code, identified_by, status, blank, filled FROM submissions"
        " WHERE round = ? ORDER BY id", (round,)).fetchall()
    current = {s[4]: s for s in subs if s[6] == "accepted"}
    failures: dict[str, list[tuple]] = {}
    for s in subs:
        if s[6] == "rejected" and s[4]:
            failures.setdefault(s[4], []).append(s)
    count: dict[str, int] = {}
    for s in subs:
        count[s[4]] = count.get(s[4], 0) + 1
    problems_by_sub: dict[int, list[Problem]] = {}
    for sid, file, unit_name, cell, problem, action in ledger.conn.execute(
            "SELECT p.submission_id, p.file, p.unit, p.cell, p.problem, p.action FROM problems p"
            " JOIN submissions s ON s.id = p.submission_id WHERE s.round = ? AND s.status != 'superseded'"
            " ORDER BY p.file, p.submission_id, p.id", (round,)):
        problems_by_sub.setdefault(sid, []).append(Problem(file, unit_name, cell, problem, action))
    pins = ledger.pins(round)
    worse = _worse(ledger, round, current) if any(s[6] == "superseded" for s in subs) else {}
    shown: set[int] = set()
    extra: list[Problem] = []
    for unit in units:
        report = UnitReport(unit, submissions=count.get(unit.code, 0))
        accepted, failed = current.get(unit.code), failures.get(unit.code, [])
        if accepted is not None:
            # Files that came after the one in use and could not be used: named, with what is still used.
            later = [f for f in failed if (f[3], f[1], f[0]) > (accepted[3], accepted[1], accepted[0])]
            chosen = [accepted, *later]
            report.state = PARTIAL if accepted[7] else REPORTED
            report.blank = accepted[7]
            state.files[unit.code] = accepted[1]
            still = f"采用的仍是「{accepted[1]}」（{accepted[2].replace('T', ' ')[:16]} 收到）"
            for f in later:
                problems_by_sub[f[0]] = [Problem(p.file, p.unit, p.cell, f"{p.problem}；{still}" if not p.cell else
                                                 p.problem, p.action) for p in problems_by_sub.get(f[0], [])]
            if unit.code in pins:
                report.identified_by = f"{accepted[5]}；已指定采用"
            elif unit.code in worse:
                extra.append(worse[unit.code](unit))
        elif failed:
            chosen = sorted(failed, key=lambda f: (f[3], f[1], f[0]), reverse=True)  # the latest first
            report.state = PROBLEM
        else:
            chosen = []
        if chosen:
            report.file, report.received = chosen[0][1], chosen[0][2]
            report.identified_by = report.identified_by or chosen[0][5]
            report.problems = [p.problem for s in chosen for p in problems_by_sub.get(s[0], [])]
            report.problems += [p.problem for p in extra if p.unit == unit.name and p.file == chosen[0][1]]
            shown.update(s[0] for s in chosen)
        state.units.append(report)
    if current:
        _add_form_values(ledger, state, current)
    roster = {u.code for u in units}
    for s in subs:  # files that belong to no roster unit (or could not be identified) are listed too
        if s[0] not in shown and s[6] == "rejected" and s[4] not in roster:
            shown.add(s[0])
    state.problems = [p for sid in sorted(problems_by_sub) if sid in shown for p in problems_by_sub[sid]] + extra
    state.problems.sort(key=lambda p: p.file)
    # Roster order, then the order they were collected in; within a return, form order.
    position = {u.code: n for n, u in enumerate(units)}
    accepted = sorted((position.get(s[4], len(position)), s[0], s[8]) for s in current.values())
    state.entries = StoredEntries(ledger.path, [sid for _, sid, _ in accepted], sum(n for _, _, n in accepted))
    state.duplicates = ledger.conn.execute(
        "SELECT count(*) FROM sightings g JOIN submissions s ON s.id = g.submission_id"
        " WHERE g.duplicate = 1 AND s.round = ?", (round,)).fetchone()[0]
    return state

def _worse(ledger: Ledger, round: str, current: dict[str, tuple]) -> dict[str, Callable[[Unit], Problem]]:
    """Units whose current return fills fewer cells than one it superseded: used, but flagged."""
    filled = dict(ledger.conn.execute(
        "SELECT id, filled FROM submissions WHERE round = ? AND status = 'accepted' AND unit_code IN"
        " (SELECT unit_code FROM submissions WHERE round = ? AND status = 'superseded')", (round, round)))
    found: dict[str, Callable[[Unit], Problem]] = {}
    for unit_code, _sid, name, received, count in ledger.conn.execute(
            "SELECT unit_code, id, file_name, received, filled FROM submissions"
            " WHERE round = ? AND status = 'superseded' AND filled > 0 ORDER BY id", (round,)):
        now = current.get(unit_code)
        if now is None or now[0] not in filled or filled[now[0]] >= count:
            continue
        kept, had = filled[now[0]], count

        def flag(unit: Unit, now: tuple = now, name: str = name, received: str = received, kept: int = kept,
                 had: int = had) -> Problem:
            return Problem(now[1], unit.name, "整个文件",
                           f"这份回表填了 {kept} 项，少于之前收到的「{name}」（{received.replace('T', ' ')[:16]} 收到，"
                           f"{had} 项）；按规则采用了较新的这份，请核实",
                           f"如应采用之前那份，请运行 wpx collect 时加 --pin {unit.code}={name}。")
        found[unit_code] = flag
    return found

def _add_form_values(ledger: Ledger, state: LedgerState, current: dict[str, tuple]) -> None:
    """Each unit's 填报人 block, from its current (accepted) return."""
    form: dict[str, dict[str, str]] = {}
    for code, values in payloads(ledger.conn, [s[0] for s in current.values()], "unit_code, form"):
        for v in json.loads(values):
            form.setdefault(code, {})[v[2]] = v[3]
    for report in state.units:
        report.form = form.get(report.unit.code, {})


__all__ = ["LedgerState", "read_progress", "read_state", "round_state"]
