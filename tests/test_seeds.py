"""The five seed documents in ../shared/seeds against expected.json, item by item.

Each seed is parsed once with read_plan and round-tripped through the Plan JSON (what
`wpx parse --json -` prints), then every item of expected.json is asserted. Titles are compared the
way expected.json's "about" says: NFKC, no whitespace, a trailing 。/./: dropped.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS as CONFTEST_SEEDS

from workplan_xl.plan import Plan, Section, Task
from workplan_xl.plan_document import read_plan

SEEDS = CONFTEST_SEEDS  # ../shared/seeds, or WPX_SEEDS
_EXPECTED = json.loads((SEEDS / "expected.json").read_text("utf-8")) if (SEEDS / "expected.json").exists() else None
FILES = [s["file"] for s in _EXPECTED["seeds"]] if _EXPECTED else ["(seeds absent)"]
_PLANS: dict[str, Plan] = {}


def norm(text: str) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"[。.:]$", "", text)


@pytest.fixture(params=FILES)
def seed(request: pytest.FixtureRequest, seeds_dir: Path) -> tuple[dict[str, Any], Plan]:
    expected = next(s for s in json.loads((seeds_dir / "expected.json").read_text("utf-8"))["seeds"]
                    if s["file"] == request.param)
    if request.param not in _PLANS:
        plan = read_plan(seeds_dir / request.param)
        _PLANS[request.param] = Plan.from_json(plan.to_json())  # what `wpx parse --json -` gives
    return expected, _PLANS[request.param]


# -- finding things by expected.json's "where" ---------------------------------------------------------
def _part(plan: Plan, kind: str | None = None):
    if kind is None:
        return plan.plan_part()
    return next(p for p in plan.parts if p.kind == kind)


def _section(plan: Plan, numeral: str, kind: str | None = None) -> Section:
    part = _part(plan, kind)
    found = [s for s in part.sections if s.numeral == numeral]
    assert found, f"no section {numeral} in {[s.numeral for s in part.sections]}"
    return found[0]


def _where(plan: Plan, where: str) -> tuple[str, list[Task]]:
    """'section 二', 'task 11', 'section 三 task 2', 'summary section 一' → (text, tasks)."""
    words = where.split()
    kind = words.pop(0) if words[0] in ("summary", "plan") else None
    if words[0] == "section":
        section = _section(plan, words[1], kind)
        if len(words) == 4:
            task = section.tasks[int(words[3]) - 1]
            return _task_text(task), [task]
        text = "\n".join([section.title, section.text] + [_task_text(t) for t in section.tasks])
        return text, section.tasks
    assert words[0] == "task", where
    tasks = [t for s in _part(plan, kind).sections for t in s.tasks]
    task = tasks[int(words[1]) - 1]
    return _task_text(task), [task]


def _task_text(task: Task) -> str:
    return f"{task.title}\n{task.text}"


# -- the document ---------------------------------------------------------------------------------
def test_metadata(seed: tuple[dict[str, Any], Plan]) -> None:
    expected, plan = seed
    assert norm(plan.title) == norm(expected["title"])
    assert plan.year == expected["year"]
    if "issuer" in expected:
        assert plan.issuer == expected["issuer"]
    else:
        assert plan.issuer in expected["issuer_any_of"]
    assert plan.doc_number == expected["doc_number"]
    assert plan.issued == expected["issued"]
    assert plan.source["file"] == expected["file"]
    assert len(plan.source["sha256"]) == 64


def test_parts_and_sections(seed: tuple[dict[str, Any], Plan]) -> None:
    expected, plan = seed
    assert [(p.kind, p.year) for p in plan.parts] == [(p["kind"], p["year"]) for p in expected["parts"]]
    for part, want in zip(plan.parts, expected["parts"], strict=True):
        assert [s.numeral for s in part.sections] == [s["numeral"] for s in want["sections"]]
        for section, ws in zip(part.sections, want["sections"], strict=True):
            where = f"{part.kind} {section.numeral}"
            assert norm(section.title) == norm(ws["title"]), where
            assert section.context == ws["context"], where
            if isinstance(ws["tasks"], list):
                assert [norm(t.title) for t in section.tasks] == [norm(t) for t in ws["tasks"]], where
            else:
                assert len(section.tasks) == ws["tasks"], where
                if ws["tasks"] == 1:
                    assert norm(section.tasks[0].title) == norm(ws["title"]), where
            if "measures" in ws:
                assert sum(len(t.measures) for t in section.tasks) == ws["measures"], where


def test_ids_are_unique_and_ordered(seed: tuple[dict[str, Any], Plan]) -> None:
    _, plan = seed
    tasks = [t.id for t in plan.tasks()]
    assert tasks == [f"T{i:03d}" for i in range(1, len(tasks) + 1)]
    sections = [s.id for s in plan.sections()]
    assert sections == [f"S{i:02d}" for i in range(1, len(sections) + 1)]
    indicators = [i.id for i in plan.indicators()]
    assert len(set(indicators)) == len(indicators)
    assert all(plan.task(i.task) is not None for i in plan.indicators() if i.task)


# -- facts in the text ----------------------------------------------------------------------------
def test_must_contain(seed: tuple[dict[str, Any], Plan]) -> None:
    expected, plan = seed
    for item in expected.get("must_contain", []):
        text, _ = _where(plan, item["where"])
        assert item["text"] in text, f"{item['where']}: {item['why']}"


def test_months(seed: tuple[dict[str, Any], Plan]) -> None:
    expected, plan = seed
    for item in expected.get("months", []):
        _, tasks = _where(plan, item["where"])
        months = {m for t in tasks for m in t.months}
        assert set(item["months_include"]) <= months, f"{item['where']}: {item['text']} → {sorted(months)}"


def test_owners(seed: tuple[dict[str, Any], Plan]) -> None:
    expected, plan = seed
    for item in expected.get("owners", []):
        _, tasks = _where(plan, item["where"])
        owners = [o for t in tasks for o in t.owners]
        for name in item["owners_include"]:
            assert any(name in o for o in owners), f"{item['where']}: {item['text']} → {owners}"


def test_deadlines(seed: tuple[dict[str, Any], Plan]) -> None:
    expected, plan = seed
    for item in expected.get("deadlines", []):
        _, tasks = _where(plan, item["where"])
        deadlines = [t.deadline for t in tasks]
        assert any(str(item["year"]) in d for d in deadlines), f"{item['where']}: {item['text']} → {deadlines}"


def _same(found: Any, want: dict[str, Any]) -> bool:
    pairs = [(want["value"], want["unit"])]
    if want["unit"] in ("个", "人", "所", "名", "项") and want["value"] >= 10000:
        pairs.append((want["value"] / 10000, "万" + want["unit"]))  # 4万个 kept as 4 万个 also counts
    if not any(found.value is not None and abs(found.value - v) < 1e-6 and found.unit == u for v, u in pairs):
        return False
    if "comparator" in want and found.comparator != want["comparator"]:
        return False
    return "kind" not in want or found.kind == want["kind"]


def test_indicators(seed: tuple[dict[str, Any], Plan]) -> None:
    expected, plan = seed
    for want in expected.get("indicators", []):
        if want.get("part"):
            pool = [i for s in _part(plan, want["part"]).sections for t in s.tasks for i in t.indicators]
        else:
            pool = list(plan.indicators())
        close = [(i.text, i.value, i.unit, i.comparator, i.kind) for i in pool if i.value == want["value"]]
        assert any(_same(i, want) for i in pool), f"{want['text']} not found; same value: {close}"


# -- the 配档表 -------------------------------------------------------------------------------------
def test_schedule(seed: tuple[dict[str, Any], Plan]) -> None:
    expected, plan = seed
    want = expected.get("schedule")
    if want is None:
        assert plan.schedule == []
        return
    assert len(plan.schedule) == want["rows"]
    per_month = Counter(e.month for e in plan.schedule)
    assert {str(m): n for m, n in sorted(per_month.items())} == want["rows_per_month"]
    for example in want["examples"]:
        rows = [e for e in plan.schedule if e.month == example["month"] and norm(e.text) == norm(example["task"])]
        assert rows, f"{example['month']}月 {example['task']} missing"
        assert rows[0].owners == example["owners"]
    tasks = [t for s in plan.plan_part().sections for t in s.tasks]
    for link in want["links"]:
        rows = [e for e in plan.schedule if e.month == link["month"] and norm(e.text) == norm(link["task"])]
        assert rows, f"{link['month']}月 {link['task']} missing"
        assert rows[0].task == tasks[link["links_to_task"] - 1].id, link["task"]
