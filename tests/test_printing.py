"""What an officer prints and hands out, on the demo and on a run of seed 002 with a roster of our own:
任务清单 shows each task once with its 填报对象 filled in, and no row of 台账, a form or 汇总.xlsx is lower
in LibreOffice than its content needs (LibreOffice's own optimal height, read through UNO)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import IN_CI, find_soffice

from workplan_xl.cli import cli
from workplan_xl.collect import collect_returns
from workplan_xl.demo_returns import fill_form
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook
from workplan_xl.plan import Plan, Unit, units_for
from workplan_xl.plan_document import read_plan
from workplan_xl.unit_forms import make_unit_forms
from workplan_xl.xlsx_style import ROW_MAX

SYSTEM_PYTHON = "/usr/bin/python3"
UNO_SCRIPT = Path(__file__).with_name("uno_row_heights.py")
TOLERANCE = 0.3  # points: LibreOffice stores heights in 1/100 mm


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("printing") / "演示 一年"
    result = CliRunner().invoke(cli, ["demo", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def seed_roster(plan: Plan) -> list[Unit]:
    """Offices named after the plan's own 牵头单位 (the first eight), and schools of one type."""
    owners = list(dict.fromkeys(o for t in plan.tasks() for o in t.owners if 2 <= len(o) <= 12))[:8]
    offices = [Unit(f"K{n:02d}", name, "处室") for n, name in enumerate(owners, 1)]
    schools = [Unit(f"X{n:02d}", f"第{n}实验学校", "中小学") for n in range(1, 7)]
    return offices + schools


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("seed") / "种子 002"
    folder.mkdir()
    source = next(seeds_dir.glob("002_*"))
    plan = read_plan(source)
    plan.units = seed_roster(plan)
    master = write_master_workbook(plan, folder / "台账.xlsx")
    forms = make_unit_forms(master, folder / "填报表", round="2024-年度")
    returns = folder / "回表"
    returns.mkdir()
    rng = random.Random(2)
    again = read_master_workbook(master)
    for form in forms[:4]:
        fill_form(form, returns / form.name, rng, again)
    collect_returns(master, [returns], round="2024-年度")
    return folder


def task_rows(master: Path) -> tuple[list[str], list[list[object]]]:
    sheet = openpyxl.load_workbook(master)["任务清单"]
    header = [c.value for c in sheet[2]]
    return header, [[c.value for c in row] for row in sheet.iter_rows(min_row=3) if any(c.value for c in row)]


# -- 任务清单: each task once, 填报对象 filled ---------------------------------------------------------
@pytest.mark.parametrize("run", ["demo", "seed_run"])
def test_each_task_once_and_reporters_filled(run: str, request: pytest.FixtureRequest) -> None:
    folder = request.getfixturevalue(run)
    master = folder / "台账.xlsx"
    header, rows = task_rows(master)
    col = {h: i for i, h in enumerate(header)}
    texts = [r[col["具体内容"]] for r in rows if r[col["具体内容"]]]
    assert len(texts) == len(set(texts)), "a text shown twice"
    plan = read_master_workbook(master)
    tasks = {t.id: t for t in plan.tasks()}
    task_ids = [r[col["任务ID"]] for r in rows if r[col["任务ID"]] in tasks]
    assert sorted(task_ids) == sorted(tasks)  # every task has exactly one row
    for r in rows:
        if r[col["任务ID"]] in tasks:
            assert r[col["填报对象"]], f"填报对象 empty on {r[col['任务编号']]}"
    # a section that is its own task: a heading row without text, then its one task row
    for section in plan.sections():
        if len(section.tasks) == 1 and section.tasks[0].number in ("", section.numeral):
            heading = next(r for r in rows if r[col["任务ID"]] == section.id)
            assert heading[col["具体内容"]] is None and heading[col["一级任务"]] == section.title
            assert section.text == section.tasks[0].text  # read back whole
    assert all(not t.reporters for t in plan.tasks())  # untouched cells stay derived


def test_demo_reporters_read_like_an_officer_writes_them(demo: Path) -> None:
    header, rows = task_rows(demo / "台账.xlsx")
    col = {h: i for i, h in enumerate(header)}
    plan = read_master_workbook(demo / "台账.xlsx")
    schools = [u for u in plan.units if u.type == "中小学"]
    shown = {r[col["任务编号"]]: r[col["填报对象"]] for r in rows if r[col["任务ID"]]}
    assert shown["三（二）"] == f"各中小学（{len(schools)}所）"
    assert shown["六"] == "青禾县教育督导室"
    for task in plan.tasks():  # what is shown is who gets the task in wpx forms
        assert len(units_for(plan, task)) >= 1


def test_an_edited_reporters_cell_is_honoured_by_forms(demo: Path, tmp_path: Path) -> None:
    master = tmp_path / "台账 改.xlsx"
    master.write_bytes((demo / "台账.xlsx").read_bytes())
    workbook = openpyxl.load_workbook(master)
    sheet = workbook["任务清单"]
    header = [c.value for c in sheet[2]]
    number, reporters = header.index("任务编号") + 1, header.index("填报对象") + 1
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, number).value == "三（二）")
    plan = read_master_workbook(demo / "台账.xlsx")
    kindergartens = [u for u in plan.units if u.type == "幼儿园"]
    sheet.cell(row, reporters).value = f"各幼儿园（{len(kindergartens)}所）"
    workbook.save(master)
    result = CliRunner().invoke(cli, ["forms", str(master), "-o", str(tmp_path / "表 格")])
    assert result.exit_code == 0, result.output
    edited = read_master_workbook(master)
    task = next(t for t in edited.tasks() if t.number == "（二）" and t.title.startswith("开展中小学校"))
    assert task.reporters == [f"各幼儿园（{len(kindergartens)}所）"]
    assert [u.code for u in units_for(edited, task)] == [u.code for u in kindergartens]
    holders = []
    for path in (tmp_path / "表 格").glob("*.xlsx"):
        ids = {str(v) for row in openpyxl.load_workbook(path, read_only=True)["任务进展"].iter_rows(values_only=True)
               for v in row if v}
        if task.id in ids:
            holders.append(path.name.split("_", 1)[0])
    assert sorted(holders) == sorted(u.code for u in kindergartens)


# -- row heights in LibreOffice -----------------------------------------------------------------------
def uno_available() -> bool:
    if find_soffice() is None or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


def measure(files: list[Path], profile: Path) -> list[dict[str, object]]:
    if not uno_available():
        if IN_CI:
            pytest.fail("CI=true 但 LibreOffice 或 python3-uno（/usr/bin/python3）不可用：.ci/run 应当安装它们")
        pytest.skip("LibreOffice 或 Debian 的 python3-uno 未安装：行高测试跳过")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    done = subprocess.run([SYSTEM_PYTHON, str(UNO_SCRIPT), find_soffice() or "soffice", str(profile),
                           *map(str, files)], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.parametrize("run", ["demo", "seed_run"])
def test_no_row_is_lower_than_libreoffice_needs(run: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = request.getfixturevalue(run)
    # the files wpx writes: a return's rows hold what the school typed, at the heights wpx gave them
    files = [folder / "台账.xlsx", sorted((folder / "填报表").glob("*.xlsx"))[0], next(folder.glob("汇总*.xlsx"))]
    rows = measure(files, tmp_path / "lo profile")
    sheets = {(r["file"], r["sheet"]) for r in rows}
    assert {("台账.xlsx", s) for s in ("任务清单", "配档表", "指标跟踪", "填报单位", "说明")} <= sheets
    assert {(files[2].name, s) for s in ("报送情况", "任务汇总", "指标汇总", "明细", "问题清单")} <= sheets
    assert {s for f, s in sheets if f == files[1].name} == {"填报说明", "任务进展", "指标填报"}
    # Excel's rows stop at 409 pt: a longer text is cut there whatever one writes (its cell holds it all)
    short = [r for r in rows if float(r["optimal"]) > float(r["written"]) + TOLERANCE
             and float(r["written"]) < ROW_MAX - TOLERANCE]
    assert not short, f"{len(short)} rows lower than LibreOffice's optimal height, e.g. {short[:5]}"
    assert len(rows) > 100
    print(f"{run}: {len(rows)} rows measured", file=sys.stderr)


# -- 通报 and 督办单 -----------------------------------------------------------------------------------------
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def notices_of(folder: Path, tmp_path: Path) -> Path:
    """The run's 督办单 and 通报: the demo's own, or written now for the seed run."""
    if (folder / "督办通报").is_dir():
        return folder / "督办通报"
    out = tmp_path / "督办 通报"
    result = CliRunner().invoke(cli, ["notices", str(folder / "台账.xlsx"), "--as-of", "2024-12-20",
                                      "--date", "2024-12-20", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("run", ["demo", "seed_run"])
def test_notice_tables_label_tasks_with_full_numbers(run: str, request: pytest.FixtureRequest,
                                                     tmp_path: Path) -> None:
    import docx

    from workplan_xl.master_workbook.layout import composite_number

    folder = request.getfixturevalue(run)
    out = notices_of(folder, tmp_path)
    plan = read_master_workbook(folder / "台账.xlsx")
    bulletin = next(p for p in out.glob("*.docx") if not p.name.startswith("督办单"))
    appendix = docx.Document(bulletin).tables[-1]
    labels = [row.cells[1].text for row in appendix.rows[1:]]
    assert len(labels) == len(set(labels)) == len(list(plan.tasks()))  # none ambiguous
    for section in plan.sections():
        for task in section.tasks:
            number = composite_number(section.numeral, task.number)
            label = next(x for x in labels if x.startswith(number) and task.title[:6] in x)
            rest = label[len(number):]
            assert rest[0] in "、 " or number.endswith("）"), label  # never 六加强自身建设
    header = appendix._tbl.find(f"{W}tr").find(f"{W}trPr")
    assert header.find(f"{W}tblHeader") is not None  # repeated when the table breaks
    for path in out.glob("督办单_*.docx"):
        table = docx.Document(path).tables[0]
        rows = table._tbl.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr").find(f"{W}tblHeader") is not None
        assert [c.text for c in table.rows[0].cells][0] == "编号"
        assert all(r.find(f"{W}trPr").find(f"{W}cantSplit") is not None for r in rows)
        items = [r.cells[1].text for r in table.rows if r.cells[0].text.startswith("督办事项")]
        assert items and all(any(x in item for x in "（、 ") for item in items)


def test_headings_keep_with_the_next_paragraph(demo: Path) -> None:
    import docx

    bulletin = next(p for p in (demo / "督办通报").glob("*.docx") if not p.name.startswith("督办单"))
    styles = {s.name: s for s in docx.Document(bulletin).styles}
    for name in ("公文标题", "一级标题", "二级标题", "附件标识"):
        assert styles[name].paragraph_format.keep_with_next, name


def test_a_short_notice_fits_one_page_and_a_long_one_repeats_its_header(demo: Path, tmp_path: Path,
                                                                        soffice: str) -> None:
    import docx
    import pdfplumber
    from conftest import convert

    checked = 0
    for path in sorted((demo / "督办通报").glob("督办单_*.docx")):
        items = sum(1 for r in docx.Document(path).tables[0].rows if r.cells[0].text.startswith("督办事项"))
        pdf = convert(soffice, path, "pdf", tmp_path / path.stem)
        with pdfplumber.open(pdf) as document:
            pages = [p.extract_text() or "" for p in document.pages]
        receipt = next(i for i, text in enumerate(pages) if "督办事项落实情况回执" in text)
        if items <= 2:
            assert receipt == 1, f"{path.name}: {items} items on {receipt} pages"  # one page, then the 回执
            checked += 1
        else:
            for text in pages[1:receipt]:  # a page the table runs onto starts with its header row
                if any(label in text for label in ("督办事项", "依据", "当前状态", "督办要求", "反馈时限")):
                    assert text.lstrip().startswith("编号"), text[:40]
    assert checked >= 3
