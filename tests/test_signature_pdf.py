"""The 落款 (发文机关署名 and 成文日期) as LibreOffice prints it: the date on one line, four characters from
the right edge (GB/T 9704-2012 7.3.5.1), the issuer on the line above it on the same page, centred over
the date — in the 工作总结, the 督办单 and the 通报 written through the CLI with --date."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_data import lo_batch

from workplan_xl.cli import cli

RIGHT_EDGE = (210 - 26) / 25.4 * 72  # the text block's right edge on A4, in points
CHAR = 15.8  # one character of the 28-a-line grid, in points


@pytest.fixture(scope="module")
def documents(tmp_path_factory, soffice: str) -> list[Path]:
    from workplan_xl.demo import run_demo

    root = tmp_path_factory.mktemp("sig")
    year = run_demo(root / "演示 年度", echo=lambda _line: None, soffice=None).master
    work = root / "督导 工作"
    work.mkdir()
    for name in ("台账.xlsx", "台账.db"):
        shutil.copyfile(year.parent / name, work / name)
    runner = CliRunner()
    report = work / "年度 总结.docx"
    assert runner.invoke(cli, ["report", str(work / "台账.xlsx"), "-o", str(report), "--date", "2025-12-20"]).exit_code == 0
    folder = work / "督办 通报"
    result = runner.invoke(cli, ["notices", str(work / "台账.xlsx"), "-o", str(folder), "--as-of", "2025-12-20",
                                 "--date", "2025年12月20日"])
    assert result.exit_code == 0, result.output
    notices = sorted(folder.glob("督办单_*.docx"), key=lambda p: p.stat().st_size)
    bulletin = next(folder.glob("关于*通报.docx"))
    return lo_batch(soffice, [report, bulletin, notices[0], notices[-1]], root / "pdf")


def _pdftotext(pdf: Path, page: int) -> list[str]:
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


@pytest.mark.libreoffice
def test_the_date_line_is_whole_on_the_issuers_page(documents: list[Path]) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) 未安装")
    import pdfplumber

    for pdf in documents:
        with pdfplumber.open(pdf) as document:
            pages = len(document.pages)
        found = []
        for page in range(1, pages + 1):
            lines = _pdftotext(pdf, page)
            for k, line in enumerate(lines):
                if line.replace(" ", "") == "2025年12月20日":
                    found.append((page, lines[k - 1].replace(" ", "")))
            assert not any(line.replace(" ", "") in ("日", "20日") for line in lines), (pdf.name, page, lines)
        assert found == [(found[0][0], "青禾县教育督导室")], (pdf.name, found)  # one date line, the 署名 above it


@pytest.mark.libreoffice
def test_the_date_is_four_characters_from_the_right_and_the_issuer_centred_over_it(documents: list[Path]) -> None:
    import pdfplumber

    for pdf in documents:
        with pdfplumber.open(pdf) as document:
            for page in document.pages:
                lines = page.extract_text_lines()
                for k, line in enumerate(lines):
                    if line["text"].replace(" ", "") != "2025年12月20日":
                        continue
                    name = lines[k - 1]
                    assert (RIGHT_EDGE - line["x1"]) / CHAR == pytest.approx(4, abs=0.35), pdf.name
                    # centred on the date; the estimate assumes half-width digits (仿宋), the fallback
                    # font here has wider ones, so allow about one character
                    centre, name_centre = (line["x0"] + line["x1"]) / 2, (name["x0"] + name["x1"]) / 2
                    assert abs(centre - name_centre) < 1.3 * CHAR, pdf.name
                    assert line["top"] - name["bottom"] < 2 * CHAR  # the next line, not further down
