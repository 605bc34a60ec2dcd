"""Defects a mutation fuzzer found (real outputs of wpx and LibreOffice, cut, bit-flipped, renamed inside,
edited in their XML), each as a small mutant of our own making, through the CLI with the exact sentence."""

from __future__ import annotations

import os
import shutil
import struct
import time
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


def damage_deflate(data: bytes, member: str) -> bytes:
    """``member``'s deflated bytes made invalid (its first block given the reserved type 3), the zip's
    tables left as they were: a bit flipped in transit, as zipfile meets it only when inflating."""
    at = 0
    while True:
        at = data.index(b"PK\x03\x04", at)
        name_length, extra_length = struct.unpack_from("<HH", data, at + 26)
        if data[at + 30:at + 30 + name_length] == member.encode():
            start = at + 30 + name_length + extra_length
            return data[:start] + b"\x07" + data[start + 1:]
        at += 4


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


def test_a_workbook_whose_zip_directory_lists_nothing_is_named(kit: Kit, tmp_path: Path) -> None:  # noqa: F811
    """The end record's entry count and directory size zeroed (a flipped field): zipfile lists no member, so
    the file was unpacked as an empty archive and vanished from 汇总.xlsx altogether."""
    folder = good_returns(kit, tmp_path)
    data = bytearray(kit.returns["1002"].read_bytes())
    end = data.rindex(b"PK\x05\x06")
    data[end + 8:end + 16] = bytes(8)  # entries on this disk, in all, the directory's size
    (folder / "目录 空了.xlsx").write_bytes(bytes(data))
    assert zipfile.ZipFile(folder / "目录 空了.xlsx").namelist() == []
    result = collect(kit, folder, tmp_path)
    assert result.exit_code == 3, result.output
    problems = sheet_rows(tmp_path / "汇总 表.xlsx", "问题清单")
    assert [(r[0], r[3]) for r in problems] == [("目录 空了.xlsx", "文件「目录 空了.xlsx」不完整（可能下载或复制中断）")]
    assert {r[0]: r[3] for r in sheet_rows(tmp_path / "汇总 表.xlsx", "文件清单")}["目录 空了.xlsx"] == "未采用"


def test_an_archive_with_no_file_in_it_is_named(kit: Kit, tmp_path: Path) -> None:  # noqa: F811
    """A .zip holding only a folder and a lock file: nothing to read, and it used to leave no trace."""
    folder = good_returns(kit, tmp_path)
    with zipfile.ZipFile(folder / "打包 回表.zip", "w") as archive:
        archive.writestr("回表/", b"")
        archive.writestr("回表/~$1002回表.xlsx", b"lock")
    result = collect(kit, folder, tmp_path)
    assert result.exit_code == 3, result.output
    problems = sheet_rows(tmp_path / "汇总 表.xlsx", "问题清单")
    assert [(r[0], r[3]) for r in problems] == [
        ("打包 回表.zip", "压缩包「打包 回表.zip」里没有表格文件（是空的，或只有文件夹、临时文件）")]
    assert {r[0]: r[3] for r in sheet_rows(tmp_path / "汇总 表.xlsx", "文件清单")}["打包 回表.zip"] == "未采用"


def test_a_master_with_a_damaged_workbook_part_is_one_sentence_to_parse(kit: Kit, tmp_path: Path) -> None:  # noqa: F811
    """wpx parse looks for _meta in the workbook part itself first; zlib's error there was an internal error."""
    master = tmp_path / "督导室 台账" / "台账.xlsx"
    master.parent.mkdir()
    master.write_bytes(damage_deflate(kit.master.read_bytes(), "xl/workbook.xml"))
    result = CliRunner().invoke(cli, ["parse", str(master)])
    assert (result.exit_code, result.output) == (2, "错误：「台账.xlsx」已损坏，无法读取：请在 Excel/WPS 中打开后另存为 .xlsx 再试。\n")


def test_a_damaged_workbook_beside_the_master_does_not_stop_collect(kit: Kit, tmp_path: Path) -> None:  # noqa: F811
    """Before starting a new ledger, collect looks at the .xlsx files beside the 台账 for an earlier 汇总; one
    whose document properties do not inflate ended the run in an internal error."""
    work = tmp_path / "工作 文件夹"
    work.mkdir()
    master = Path(shutil.copy(kit.master, work / "台账.xlsx"))
    (work / "别人的 表格.xlsx").write_bytes(damage_deflate(kit.returns["1001"].read_bytes(), "docProps/core.xml"))
    folder = good_returns(kit, tmp_path)
    result = CliRunner().invoke(cli, ["collect", str(master), str(folder), "-o", str(work / "汇总 表.xlsx")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == ("回表文件 3 个：新读入 3 个，已登记过 0 个，与其他文件内容相同 0 个，跳过 0 个"
                                             "（临时文件、系统文件或非表格附件）。")


def test_a_plan_whose_document_part_does_not_inflate_is_called_damaged(tmp_path: Path) -> None:
    """Named as a damaged Word document (was: the reader's catch-all sentence)."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("某县教育局2025年工作要点")
    doc.add_paragraph("一、加强课后服务")
    plan = tmp_path / "要点 文件" / "工作 要点.docx"
    plan.parent.mkdir()
    doc.save(str(plan))
    plan.write_bytes(damage_deflate(plan.read_bytes(), "word/document.xml"))
    result = CliRunner().invoke(cli, ["parse", str(plan)])
    assert (result.exit_code, result.output) == (
        2, "错误：「工作 要点.docx」已损坏，无法作为 Word 文档读取：请在 Word/WPS 中打开并另存为 .docx 后再试。\n")


def test_a_cut_off_web_page_does_not_displace_a_whole_return(kit: Kit, tmp_path: Path) -> None:  # noqa: F811
    """A school's form saved as a web page and cut off in transit: the rows before the cut were read, the
    later file became the unit's current return with fewer values and the unit went from 已报 to 部分填报."""
    from markup_files import web_page

    folder = good_returns(kit, tmp_path)
    old = (folder / "1002回表.xlsx").stat().st_mtime
    os.utime(folder / "1002回表.xlsx", (old - 86400, old - 86400))
    page = web_page(kit.returns["1002"])
    cut = folder / "1002 网页版 回表.htm"
    cut.write_bytes(page[:page.rindex(b"<td")])  # the page ends inside its last table
    result = collect(kit, folder, tmp_path)
    assert result.exit_code == 3, result.output
    problems = sheet_rows(tmp_path / "汇总 表.xlsx", "问题清单")
    assert [(r[0], r[3]) for r in problems] == [
        ("1002 网页版 回表.htm", "文件「1002 网页版 回表.htm」不完整（可能下载或复制中断）；采用的仍是「1002回表.xlsx」"
                                f"（{time.strftime('%Y-%m-%d %H:%M', time.localtime(old - 86400))} 收到）")]
    states = {r[0]: r[3] for r in sheet_rows(tmp_path / "汇总 表.xlsx", "报送情况")}
    assert states["1002"] == "已报"
