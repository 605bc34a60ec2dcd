"""Old and other office formats read through LibreOffice (.doc .odt .rtf made by LibreOffice in the test)."""

from __future__ import annotations

from pathlib import Path

import fixtures_docs as docs
import pytest
from click.testing import CliRunner

from workplan_xl.cli import cli
from workplan_xl.plan import Plan
from workplan_xl.plan_document import read_plan


def _tasks(plan: Plan) -> list[tuple[str, str, list[str]]]:
    return [(s.title, t.title, t.owners) for p in plan.parts for s in p.sections for t in s.tasks]


@pytest.mark.parametrize("fmt", ["doc", "odt", "rtf"])
def test_office_formats_read_like_the_docx(tmp_path: Path, lo_convert, fmt: str) -> None:
    folder = tmp_path / "旧 格式"
    folder.mkdir()
    source = docs.numbered_with_attachment_docx(folder / "督导要点.docx")
    expected = _tasks(read_plan(source))
    # through .odt, as an office that keeps its files in LibreOffice would have them (LibreOffice 7.4
    # drops python-docx's tables when it writes .doc straight from them)
    odt = lo_convert(source, "odt", folder / "odt")
    converted = odt if fmt == "odt" else lo_convert(odt, fmt, folder / fmt)
    plan = read_plan(converted)
    assert _tasks(plan) == expected
    assert len(expected) >= 3
    assert plan.source["file"] == converted.name


def test_without_libreoffice_the_sentence_says_what_to_do(tmp_path: Path, lo_convert, monkeypatch) -> None:
    source = docs.numbered_with_attachment_docx(tmp_path / "要点.docx")
    odt = lo_convert(source, "odt", tmp_path / "odt")
    doc = lo_convert(odt, "doc", tmp_path / "doc")
    monkeypatch.setenv("WPX_SOFFICE", "")
    result = CliRunner().invoke(cli, ["parse", str(doc)])
    assert result.exit_code == 2
    assert result.output == ("错误：「要点.doc」是旧版 Word 文档（.doc），需要 LibreOffice 才能读取：请安装 LibreOffice（soffice），"
                             "或在 Word/WPS 中另存为 .docx 后再试。\n")
    result = CliRunner().invoke(cli, ["parse", str(odt)])
    assert result.exit_code == 2
    assert result.output == ("错误：「要点.odt」是OpenDocument 文档（.odt），需要 LibreOffice 才能读取：请安装 LibreOffice（soffice），"
                             "或在 Word/WPS 中另存为 .docx 后再试。\n")


def test_a_conversion_that_hangs_is_stopped(tmp_path: Path, monkeypatch) -> None:
    from workplan_xl.errors import InputFileError
    from workplan_xl.plan_document.readers import office

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    fake.chmod(0o755)
    path = tmp_path / "旧 文件.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 600)
    monkeypatch.setenv("WPX_SOFFICE", str(fake))
    monkeypatch.setattr(office, "TIME_LIMIT", 1)
    with pytest.raises(InputFileError) as err:
        read_plan(path)
    assert str(err.value) == ("「旧 文件.doc」是旧版 Word 文档（.doc），LibreOffice 转换超过 1 秒仍未完成："
                              "请在 Word/WPS 中另存为 .docx 后再试。")
