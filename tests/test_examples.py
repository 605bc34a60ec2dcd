"""The bundled example: real Word numbering, .docx and .txt parse alike, the roster keeps text codes,
the committed files match their generator, and examples/ holds byte-identical copies."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from workplan_xl.demo_examples import (
    EXAMPLE_FILES,
    ROSTER_HEADERS,
    example_path,
    example_units,
    write_example_docx,
    write_example_roster,
)
from workplan_xl.plan import units_for

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def plans():
    from workplan_xl.plan_document import read_plan

    return read_plan(example_path("plan_2025.docx")), read_plan(example_path("plan_2025.txt"))


def test_top_level_examples_are_byte_identical_copies():
    for name in EXAMPLE_FILES:
        assert (ROOT / "examples" / name).read_bytes() == example_path(name).read_bytes(), name
    assert (ROOT / "examples" / "README.md").exists()


def test_docx_uses_real_list_numbering():
    with zipfile.ZipFile(example_path("plan_2025.docx")) as z:
        numbering = z.read("word/numbering.xml").decode("utf-8")
    assert 'w:numFmt w:val="chineseCounting"' in numbering
    assert 'w:lvlText w:val="%1、"' in numbering
    assert 'w:lvlText w:val="（%1）"' in numbering

    document = Document(str(example_path("plan_2025.docx")))
    numbered = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    # six sections 一…六 and twelve tasks （一）…, none with its number typed as text
    assert len(numbered) == 18
    assert not any(re.match(r"^[（(]?[一二三四五六七八九十]+[）)、]", p.text) for p in numbered)
    assert numbered[0].text == "总体思路"
    # tasks restart at （一） in each section: each section's tasks use their own list instance
    task_lists = {p._p.pPr.numPr.numId.val for p in numbered if p.text != "总体思路" and "。" in p.text}
    assert len(task_lists) == 4

    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["月份", "重点工作", "责任单位"]
    assert len(table.rows) == 25
    body = document.element.body
    attachment = next(p for p in document.paragraphs if p.text == "附件")
    assert list(body).index(attachment._p) < list(body).index(table._tbl)


def test_generator_reproduces_the_committed_files(tmp_path):
    docx = write_example_docx(tmp_path / "plan.docx")
    fresh, committed = Document(str(docx)), Document(str(example_path("plan_2025.docx")))
    assert [p.text for p in fresh.paragraphs] == [p.text for p in committed.paragraphs]
    assert [[c.text for c in r.cells] for r in fresh.tables[0].rows] == \
        [[c.text for c in r.cells] for r in committed.tables[0].rows]

    roster = write_example_roster(tmp_path / "roster.xlsx")
    rows = lambda path: list(load_workbook(path).active.iter_rows(values_only=True))  # noqa: E731
    assert rows(roster) == rows(example_path("roster.xlsx"))


def test_docx_text_is_the_txt_with_numbers_as_numbering():
    document = Document(str(example_path("plan_2025.docx")))
    lines = [line.strip() for line in example_path("plan_2025.txt").read_text("utf-8").splitlines()]
    stripped = [re.sub(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)", "", line) for line in lines if line]
    # the .txt carries the 配档表 flattened, one cell per line; the .docx as a table
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert [p.text for p in document.paragraphs if p.text] + cells == stripped


def test_roster_has_30_units_with_text_codes():
    from workplan_xl.roster import read_roster

    units = read_roster(example_path("roster.xlsx"))
    assert len(units) == 30
    assert all(re.fullmatch(r"00[123]\d{3}", u.code) for u in units)
    assert units[0].code == "001001"
    assert [u.code for u in units] == [u.code for u in example_units()]
    assert {u.type for u in units} == {"股室", "中小学", "幼儿园"}
    header = next(load_workbook(example_path("roster.xlsx")).active.iter_rows(values_only=True))
    assert header == ROSTER_HEADERS


def test_docx_and_txt_parse_to_the_same_outline(plans):
    docx, txt = plans

    def outline(plan):
        return ([(s.title, s.context, [(t.title, t.months, t.owners, t.measures) for t in s.tasks])
                 for s in plan.sections()],
                sorted((i.value, i.unit, i.comparator) for i in plan.indicators()),
                [(e.month, e.text, e.owners, e.task) for e in plan.schedule])

    assert outline(docx) == outline(txt)
    for plan in plans:
        assert plan.doc_number == "青教督〔2025〕2号"
        assert plan.year == 2025
        assert plan.issued == "2025-02-18"


def test_example_outline_has_what_the_demo_relies_on(plans):
    plan = plans[0]
    sections = list(plan.sections())
    assert [s.title for s in sections][:2] == ["总体思路", "强化督政，压实教育工作责任"]
    assert sections[0].context and not sections[0].tasks
    assert len(sections) == 6
    assert len(list(plan.tasks())) == 13  # twelve （一） tasks and section 六 as one task
    first = sections[1].tasks[0]
    assert first.title == "做好县级政府履行教育职责自评"
    assert {"督导室", "计财股"} <= set(first.owners)
    assert 3 in first.months
    found = {(i.value, i.unit, i.comparator) for i in plan.indicators()}
    for expected in [(1200, "个", ">="), (92, "%", ">="), (60, "人次", ">="), (95, "%", "~"), (3, "%", "<=")]:
        assert expected in found, expected
    measures = next(t for t in plan.tasks() if t.title == "加强督学专题培训").measures
    assert len(measures) == 3
    assert len(plan.schedule) == 24
    assert {e.month for e in plan.schedule} == set(range(1, 13))


def test_owners_named_in_the_plan_route_to_roster_units(plans):
    from workplan_xl.roster import read_roster

    plan = plans[0]
    plan.units = read_roster(example_path("roster.xlsx"))
    by_title = {t.title: {u.type for u in units_for(plan, t)} | {u.name for u in units_for(plan, t)}
                for t in plan.tasks()}
    routed = {t.title: units_for(plan, t) for t in plan.tasks()}
    assert [u.name for u in routed["做好县级政府履行教育职责自评"]] == ["青禾县教育督导室", "青禾县教育局计财股"]
    # 各中小学 / 各幼儿园 name a unit type of the roster
    assert {u.type for u in routed["开展中小学校规范办学专项督导"]} == {"中小学"}
    assert len(routed["开展中小学校规范办学专项督导"]) == 16
    assert {u.type for u in routed["开展幼儿园保育教育质量评估"]} == {"幼儿园"}
    assert "青禾县教育局安全股" in by_title["加强校园安全督导"] and len(routed["加强校园安全督导"]) == 25
    # every office the plan names as an owner is on the roster: no task falls back to "every unit"
    assert all(len(units) < 30 for units in routed.values())
