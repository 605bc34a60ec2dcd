"""Word, PDF, web-page and text plans are read in a child process with memory and time limits
(plan_document/readers/isolated.py): a reader that dies, panics, hangs or eats memory ends in one
sentence naming the file, exit 2, through the CLI — the hostile files made here."""

from __future__ import annotations

import json
import os
import random
import struct
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from workplan_xl.cli import cli
from workplan_xl.plan_document.readers import isolated

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ENDED = "读取时占用内存过多或读取程序异常退出（文件可能过大、已损坏或是恶意文件）："
PDF_ADVICE = "请改用 Word 或 .txt 文件，或重新导出 PDF 后再试。"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "督导 室" / "计划 文件"
    path.mkdir(parents=True)
    return path


def parse(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["parse", str(path)])
    return result.exit_code, result.output


def fake_pdf_reader(where: Path, monkeypatch: pytest.MonkeyPatch, opening: str) -> Path:
    """A pypdfium2 whose PdfDocument runs ``opening`` (Python lines): first on sys.path, which the
    child process inherits, so the real child-process path is what is tested."""
    package = where / "假 读取器" / "pypdfium2"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "import os, signal, time\n\n"
        "class PanicException(BaseException):  # what pyo3 and other native bindings raise past Exception\n"
        "    pass\n\n"
        "class PdfiumError(Exception):\n    pass\n\n"
        "def PdfDocument(data):\n" + "".join(f"    {line}\n" for line in opening.splitlines()), encoding="utf-8")
    (package / "raw.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(package.parent))
    monkeypatch.delitem(sys.modules, "pypdfium2", raising=False)
    pdf = where / "年度 计划.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    return pdf


def test_a_pdf_reader_that_panics_is_one_sentence(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = fake_pdf_reader(folder, monkeypatch, "raise PanicException('called `Option::unwrap()` on a `None` value')")
    assert parse(pdf) == (2, f"错误：「年度 计划.pdf」这份文档无法读取（文件可能已损坏或格式异常）：{PDF_ADVICE}\n")


def test_a_pdf_reader_that_crashes_is_one_sentence(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = fake_pdf_reader(folder, monkeypatch, "os.kill(os.getpid(), signal.SIGSEGV)")
    assert parse(pdf) == (2, f"错误：「年度 计划.pdf」{ENDED}{PDF_ADVICE}\n")


def test_a_pdf_reader_that_hangs_is_stopped(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = fake_pdf_reader(folder, monkeypatch, "time.sleep(60)")
    monkeypatch.setattr(isolated, "DOCUMENT_TIMEOUT", 2.0)
    result = CliRunner().invoke(cli, ["build", str(pdf), "-o", str(folder / "台账.xlsx")])
    assert (result.exit_code, result.output) == (
        2, f"错误：读取「年度 计划.pdf」超过 2 秒仍未完成（文件可能过大或格式异常）：{PDF_ADVICE}\n")
    assert not (folder / "台账.xlsx").exists()


def _docx(path: Path, body: str, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        zf.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    f"<w:document {W}><w:body>{body}</w:body></w:document>")
    return path


def test_a_docx_that_inflates_a_thousandfold_is_refused(folder: Path) -> None:
    path = folder / "炸弹 计划.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f"<w:document {W}><w:body>".encode())
            block = b" " * (64 << 20)
            for _ in range(5):  # 320 MB of blanks in 320 KB
                part.write(block)
    assert path.stat().st_size < 1 << 20
    assert parse(path) == (2, "错误：「炸弹 计划.docx」解压后过大或压缩比异常（可能是恶意文件），为安全起见不予读取："
                              "请确认文件来源，或在 Word/WPS 中另存后再试。\n")


def test_a_docx_whose_xml_eats_the_memory_limit_is_one_sentence(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Under the zip checks (22 MB of XML at a ratio of 11), but 1.2 million elements take more than the
    # child is allowed (lowered here so the test stays quick; 1.5 GB by default).
    rnd = random.Random(7)
    path = _docx(folder / "很长的 计划.docx",
                 "".join(f"<w:p><w:r><w:t>{rnd.randrange(1 << 16):x}</w:t></w:r></w:p>" for _ in range(400_000)))
    monkeypatch.setattr(isolated, "DOCUMENT_MEMORY", 200 << 20)
    assert parse(path) == (2, f"错误：「很长的 计划.docx」{ENDED}请在 Word/WPS 中打开后另存为 .docx 再试。\n")


def test_a_web_page_of_a_million_nested_tags_is_stopped(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = folder / "深 网页.html"
    path.write_text("<html><body>" + "<div>" * 1_000_000 + "一、工作" + "</div>" * 1_000_000 + "</body></html>",
                    encoding="utf-8")
    monkeypatch.setattr(isolated, "DOCUMENT_TIMEOUT", 3.0)  # the page takes the reader about 13 s
    assert parse(path) == (2, "错误：读取「深 网页.html」超过 3 秒仍未完成（文件可能过大或格式异常）："
                              "请在浏览器中把正文复制到 Word 或 .txt 文件后再试。\n")


def test_a_text_far_longer_than_any_plan_is_refused(folder: Path) -> None:
    path = folder / "日志 导出.txt"
    path.write_text("".join(f"{i}. 第{i}行记录\n" for i in range(1, 60_001)), encoding="utf-8")
    assert parse(path) == (2, "错误：「日志 导出.txt」有 60000 段（行）文字，远超一份工作计划的篇幅：请确认选对了文件，"
                              "或只保留计划的正文和任务表后再试。\n")


def test_a_reader_warning_crosses_from_the_child(folder: Path) -> None:
    path = folder / "乱码 计划.txt"
    path.write_bytes("2026年督导工作要点\n一、加强督政工作\n1. 开展专项督导，全年完成12所学校的督导评估。\n"
                     "二、提升评估质量\n1. 完成义务教育质量监测。\n".encode() + b"\xff\xfe\xfd\n")
    result = CliRunner().invoke(cli, ["parse", str(path), "--json", str(folder / "plan.json")])
    assert result.exit_code == 0, result.output
    assert json.loads((folder / "plan.json").read_text(encoding="utf-8"))["warnings"] == [
        "「乱码 计划.txt」中有无法按 utf-8 识别的字节，已用 � 代替：如有乱码，请用 --encoding 指定正确的编码（如 gb18030）。"]


def test_a_conversion_that_hangs_is_one_sentence(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workplan_xl.plan_document.readers import office

    fake = folder / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n", encoding="utf-8")  # LibreOffice's child hangs too
    fake.chmod(0o755)
    path = folder / "旧 计划.rtf"
    path.write_bytes(b"{\\rtf1\\ansi \\par}")
    monkeypatch.setenv("WPX_SOFFICE", str(fake))
    monkeypatch.setattr(office, "TIME_LIMIT", 1)
    assert parse(path) == (2, "错误：「旧 计划.rtf」是RTF 文档，LibreOffice 转换超过 1 秒仍未完成：请在 Word/WPS 中另存为 .docx 后再试。\n")


def test_a_conversion_that_eats_memory_is_one_sentence(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workplan_xl.plan_document.readers import office

    if not sys.platform.startswith("linux"):
        pytest.skip("the address-space limit is Linux's")
    fake = folder / "soffice"  # LibreOffice choking on a hostile document: it allocates 600 MB, then writes
    fake.write_text(f"#!{sys.executable}\nimport sys, pathlib\nblock = bytearray(600 << 20)\n"
                    "out = pathlib.Path(sys.argv[sys.argv.index('--outdir') + 1])\nout.mkdir()\n"
                    "(out / 'source.docx').write_bytes(b'PK not really')\n", encoding="utf-8")
    fake.chmod(0o755)
    path = folder / "旧 计划.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 600)
    monkeypatch.setenv("WPX_SOFFICE", str(fake))
    monkeypatch.setattr(office, "MEMORY_LIMIT", 3000 << 20)  # room for it: what it wrote is read, and named as
    assert parse(path) == (2, "错误：「旧 计划.doc」已损坏，无法作为 Word 文档读取：请在 Word/WPS 中打开并另存为 .docx 后再试。\n")
    monkeypatch.setattr(office, "MEMORY_LIMIT", 300 << 20)
    assert parse(path) == (2, "错误：「旧 计划.doc」是旧版 Word 文档（.doc），LibreOffice 无法转换它（文件可能已损坏、加了密码或不是文档）："
                              "请在 Word/WPS 中打开并另存为 .docx 后再试。\n")


def _looping_ole(path: Path) -> Path:
    """A 12 KB compound file (4 KB sectors) whose directory chain points at itself."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HH", header, 0x1E, 12, 6)
    struct.pack_into("<IIII", header, 0x30, 1, 0, 4096, 0xFFFFFFFE)  # directory at sector 1; no mini FAT
    struct.pack_into("<II", header, 0x44, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *[0xFFFFFFFF] * 108)  # the FAT is sector 0
    fat = struct.pack("<1024I", 0xFFFFFFFD, 1, *[0xFFFFFFFF] * 1022)  # sector 1 → sector 1
    path.write_bytes(bytes(header) + b"\x00" * 3584 + fat + b"\x00" * 4096)
    return path


def test_a_compound_file_whose_chain_loops_is_sniffed_without_following_it(folder: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from workplan_xl.returns.ole import Ole, OleError

    path = _looping_ole(folder / "环 计划.doc")
    with pytest.raises(OleError):
        Ole(path.read_bytes())  # it followed the loop a million times (4 GB) before
    monkeypatch.setenv("WPX_SOFFICE", "")
    start = time.monotonic()
    assert parse(path) == (2, "错误：「环 计划.doc」是旧版 Word 文档（.doc），需要 LibreOffice 才能读取：请安装 LibreOffice（soffice），"
                              "或在 Word/WPS 中另存为 .docx 后再试。\n")
    assert time.monotonic() - start < 10  # 36 s and 4.3 GB in the main process before


def test_a_file_far_larger_than_any_plan_is_refused_before_it_is_read(folder: Path) -> None:
    path = folder / "扫描 合集.pdf"
    with open(path, "wb") as handle:  # sparse: 201 MB that take no room on the disk
        handle.write(b"%PDF-1.7\n")
        handle.truncate(201 << 20)
    for command in (["parse", str(path)], ["build", str(path), "-o", str(folder / "台账.xlsx")]):
        result = CliRunner().invoke(cli, command)
        assert (result.exit_code, result.output) == (
            2, "错误：「扫描 合集.pdf」有 201 MB，远超一份工作计划的大小（上限 200 MB）：请确认选对了文件；"
               "PDF 请在导出时选“最小文件大小”后再试。\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX's")
def test_a_named_pipe_given_as_the_plan_is_one_sentence_not_a_wait(folder: Path) -> None:
    pipe = folder / "计划 管道.docx"
    os.mkfifo(pipe)
    assert parse(pipe) == (2, f"错误：「{pipe}」不是普通文件（是管道或设备）：请给出计划文档本身的路径。\n")
