"""wpx demo end to end, in a folder whose path has Chinese characters and spaces: every artefact is
written, the report speaks of the example's tasks and units, the units that never answered lead
报送情况, a second run (through the CLI) backs up the first and gives the same figures, and the
artefacts open in LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from workplan_xl.cli import cli
from workplan_xl.demo import BACKUP, run_demo
from workplan_xl.demo_returns import MISSING, XLS, simulate_returns
from workplan_xl.errors import OutputError

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "演示 目录" / "年 度"
    lines: list[str] = []
    result = run_demo(folder, echo=lines.append, soffice=SOFFICE)
    return result, "\n".join(lines)


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _sheet_rows(path: Path, sheet: str) -> list[tuple]:
    return list(load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))


def test_every_artefact_is_written(demo):
    result, output = demo
    assert " " in str(result.folder) and "演示" in str(result.folder)
    assert result.master.name == "台账.xlsx" and result.master.exists()
    assert len(result.forms) == 30 and all(p.exists() and p.suffix == ".xlsx" for p in result.forms)
    returned = [p for p in result.returns.iterdir() if p.is_file()]
    assert len(returned) == 29  # 30 units, two never answer, one answers twice
    assert result.consolidated.name == "汇总_2025-年度.xlsx" and result.consolidated.exists()  # the round's own file
    assert result.ledger.exists() and result.ledger.suffix == ".db"
    assert result.report.suffix == ".docx" and result.report.exists()
    assert result.notices and all(p.exists() for p in result.notices)
    assert result.collect_exit_code == 3  # the truncated file
    assert len(result.missing) == 2
    for step in ("【1/7 解析】", "【2/7 台账】", "【3/7 填报表】", "【4/7 模拟回表】", "【5/7 汇总】", "【6/7 工作总结】",
                 "【7/7 督办通报】"):
        assert step in output
    assert "退出码 3" in output
    assert output.splitlines()[-1].startswith("先看这里：") and "报送情况" in output.splitlines()[-1]
    if SOFFICE:
        assert any(p.suffix == ".xls" for p in returned)


def test_report_speaks_of_the_examples_tasks_and_units(demo):
    result, _ = demo
    text = _docx_text(result.report)
    assert "做好县级政府履行教育职责自评" in text or "县级政府履行教育职责" in text
    assert any(name in text for name in result.missing)
    assert "2025" in text


def test_missing_units_lead_the_report_sheet(demo):
    result, _ = demo
    rows = _sheet_rows(result.consolidated, "报送情况")
    header = next(i for i, row in enumerate(rows) if "名称" in row)
    column = rows[header].index("名称")
    listed = [row[column] for row in rows[header + 1:] if row[column]]
    assert len(listed) == 30
    assert set(listed[:2]) == set(result.missing)


def test_second_run_through_the_cli_backs_up_and_repeats_the_figures(demo):
    result, _ = demo
    before = {sheet: _sheet_rows(result.consolidated, sheet) for sheet in ("报送情况", "指标汇总", "明细")}
    outcome = CliRunner().invoke(cli, ["demo", str(result.folder)])
    assert outcome.exit_code == 0, outcome.output
    assert "上次的演示结果已移到" in outcome.output
    assert "先看这里：" in outcome.output
    backup = result.folder / BACKUP
    assert (backup / "汇总_2025-年度.xlsx").exists() and (backup / "台账.xlsx").exists()
    for sheet, rows in before.items():  # file times are set explicitly: the same figures and dates
        assert _sheet_rows(result.consolidated, sheet) == rows, sheet
        assert _sheet_rows(backup / "汇总_2025-年度.xlsx", sheet) == rows, sheet
    assert not (backup / BACKUP).exists()  # an older backup is replaced, never nested


def test_demo_refuses_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "我的文件.docx").write_bytes(b"x")
    with pytest.raises(OutputError, match="不是 wpx demo 建的演示文件夹"):
        run_demo(tmp_path, echo=lambda _: None)
    assert [p.name for p in tmp_path.iterdir()] == ["我的文件.docx"]


def test_without_libreoffice_the_xls_return_stays_xlsx(demo, tmp_path):
    from workplan_xl.master_workbook import read_master_workbook

    result, _ = demo
    plan = read_master_workbook(result.master)
    simulated = simulate_returns(plan, result.forms, tmp_path / "回表", soffice=None)
    odd = next(item for item in simulated if item.behaviour == XLS)
    assert odd.files[0].suffix == ".xlsx" and "未找到 LibreOffice" in odd.note
    assert sum(item.behaviour == MISSING for item in simulated) == 2
    # the same seed gives the same returns: same units, same names, same behaviour
    again = simulate_returns(plan, result.forms, tmp_path / "再一次", soffice=None)
    assert [(i.code, i.behaviour, [f.name for f in i.files]) for i in again] == \
        [(i.code, i.behaviour, [f.name for f in i.files]) for i in simulated]


@pytest.mark.libreoffice
def test_artefacts_open_in_libreoffice(demo, soffice, tmp_path):
    result, _ = demo
    sources = [result.master, result.consolidated, result.report]
    outdir = tmp_path / "pdf"
    cmd = [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, sources)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=240)  # one call for all three
    for source in sources:
        pdf = outdir / (source.stem + ".pdf")
        assert pdf.exists(), pdf
        assert pdf.stat().st_size > 5_000, pdf
