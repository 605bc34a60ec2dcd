"""Defects a mutation fuzzer found (real outputs of wpx and LibreOffice, cut, bit-flipped, renamed inside,
edited in their XML), each as a small mutant of our own making, through the CLI with the exact sentence."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner
from test_collect import Kit, kit, sheet_rows  # noqa: F401 - kit is a fixture

from workplan_xl.cli import cli


def rezip(source: Path, target: Path, rename: dict[str, str | None]) -> Path:
    """``source``'s members written again, some renamed or (None) left out."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            name = rename.get(info.filename, info.filename)
            if name is not None:
                new.writestr(name, old.read(info))
    return target


def collect(kit: Kit, folder: Path, tmp_path: Path):  # noqa: ANN201, F811 - click's Result
    return CliRunner().invoke(cli, ["collect", str(kit.master), str(folder), "-o", str(tmp_path / "汇总 表.xlsx"),
                                    "--db", str(tmp_path / "台账.db"), "-y"])


def good_returns(kit: Kit, tmp_path: Path) -> Path:  # noqa: F811
    folder = tmp_path / "回表 文件夹"
    folder.mkdir()
    for path in kit.returns.values():
        shutil.copy2(path, folder / path.name)
    return folder


def test_a_workbook_that_lost_its_main_parts_is_damaged_not_an_archive(kit: Kit, tmp_path: Path) -> None:  # noqa: F811
    """A return whose [Content_Types].xml and workbook part names were damaged (bits flipped in the zip
    directory) was opened as an archive of returns: its XML parts became "files" with English zipfile
    errors in 问题清单, and the file itself was missing from 文件清单."""
    folder = good_returns(kit, tmp_path)
    rezip(kit.returns["1002"], folder / "坏了 的回表.xlsx",
          {"[Content_Types].xml": None, "_rels/.rels": "_rels/.relz", "xl/workbook.xml": "xl/workbooc.xml"})
    result = collect(kit, folder, tmp_path)
    assert result.exit_code == 3, result.output
    problems = sheet_rows(tmp_path / "汇总 表.xlsx", "问题清单")
    assert [(r[0], r[3]) for r in problems] == [("坏了 的回表.xlsx", "文件「坏了 的回表.xlsx」不完整（可能下载或复制中断）")]
    files = {r[0]: r[3] for r in sheet_rows(tmp_path / "汇总 表.xlsx", "文件清单")}
    assert files == {"1001回表.xlsx": "采用", "1002回表.xlsx": "采用", "1003回表.xlsx": "采用", "坏了 的回表.xlsx": "未采用"}
