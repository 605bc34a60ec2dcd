"""wpx report and wpx notices end to end: the demo's 台账.xlsx and ledger → .docx, through the CLI."""

from __future__ import annotations

import os
import random
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from workplan_xl import gongwen
from workplan_xl.cli import cli
from workplan_xl.word_report import make_report, report_figures


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Path:
    """A collected year (the bundled demo, in a folder with a Chinese name); returns its 台账.xlsx."""
    from workplan_xl.demo import run_demo

    result = run_demo(tmp_path_factory.mktemp("cli") / "青禾县年度工作", echo=lambda _line: None, soffice=None)
    return result.master


@pytest.fixture
def master(year: Path, tmp_path: Path) -> Path:
    """A private copy, so each test sees only its own outputs."""
    folder = tmp_path / "督导室台账"
    folder.mkdir()
    for name in ("台账.xlsx", "台账.db"):
        shutil.copyfile(year.parent / name, folder / name)
    return folder / "台账.xlsx"


def _texts(path: Path) -> list[str]:
    return list(gongwen.texts(docx.Document(str(path))))


def test_report_default_output_and_backup(master: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["report", str(master)])
    assert result.exit_code == 0, result.output
    out = master.parent / "2025年工作总结.docx"
    used = "工作总结依据批次「2025-年度」的回表（应报 30 个单位，已报 23 个，部分填报 4 个，有问题 1 个，未报 2 个）。\n"
    materials = master.parent / "2025年工作总结_素材汇编.docx"
    assert result.output == f"已写入素材汇编：{materials}\n{used}已写入工作总结：{out}\n"
    texts = _texts(out)
    assert texts[0] == "青禾县教育督导室2025年工作总结"
    assert "【请在此补充下一步工作打算】" not in texts  # written from the units' plans and the open work
    again = runner.invoke(cli, ["report", str(master)])  # the same bytes: nothing to keep
    assert again.exit_code == 0 and again.output == f"已写入素材汇编：{materials}\n{used}已写入工作总结：{out}\n"
    out.write_bytes(b"officer's edits")
    edited = runner.invoke(cli, ["report", str(master)])
    [backup] = (master.parent / "备份").iterdir()
    assert edited.exit_code == 0
    assert edited.output == f"原工作总结已移到：{backup}\n已写入素材汇编：{materials}\n{used}已写入工作总结：{out}\n"
    assert backup.read_bytes() == b"officer's edits" and backup.name.startswith("2025年工作总结.")


def test_materials_hold_every_units_own_words(master: Path) -> None:
    """素材汇编: per task, every unit that wrote something, its 进展情况/主要成效/存在问题/下一步打算 verbatim."""
    import sqlite3

    out = make_report(master, output=master.parent / "总结 草稿.docx", day=date(2025, 12, 20))
    materials = _texts(out.with_name("总结 草稿_素材汇编.docx"))
    assert materials[0] == "青禾县教育督导室2025年工作总结素材汇编"
    joined = "\n".join(materials)
    con = sqlite3.connect(master.with_suffix(".db"))
    rows = con.execute('SELECT v.value FROM "values" v JOIN submissions s ON s.id = v.submission_id '
                       "WHERE s.status = 'accepted' AND v.field IN ('achievements', 'difficulties', 'next_steps')"
                       ).fetchall()
    con.close()
    assert len(rows) > 50
    assert all(value.rstrip("。；;") in joined for (value,) in rows)
    assert re.search(r"\n青禾县第一中学：进展情况：.+；主要成效：", joined)


def test_report_figures_match_the_ledger(master: Path) -> None:
    from workplan_xl.ledger_state import read_progress
    from workplan_xl.master_workbook import read_master_workbook

    out = make_report(master, output=master.parent / "总结.docx", day=date(2025, 12, 20))
    plan = read_master_workbook(master)
    progress = read_progress(plan, master.with_suffix(".db"))
    figures = report_figures(progress)
    opening = _texts(out)[1]
    assert f"{figures['tasks']}项任务中已完成{figures['tasks_done']}项" in opening
    assert f"应报送单位{figures['units']}个，已报送{figures['units_reported']}个" in opening
    assert figures["units_reported"] == sum(1 for u in progress.units if u.state in ("已报", "部分填报"))
    assert f"跟踪量化指标{figures['indicators']}项，已达成{figures['indicators_reached']}项" in opening
    # per task, 附表 任务推进情况表 states its expected and reported units
    table = next(t for t in docx.Document(str(out)).tables if t.rows[0].cells[1].text == "重点任务")
    rows = {r.cells[1].text: [c.text for c in r.cells[2:4]] for r in table.rows[1:]}
    for tp in progress.tasks:
        assert rows[tp.task.title] == [str(len(tp.expected)), str(sum(tp.counts.values()))]
    assert "2025年12月20日" in _texts(out)


def test_report_with_a_template_missing_placeholders(master: Path, tmp_path: Path) -> None:
    template = tmp_path / "我的模板.docx"
    document = docx.Document()
    document.add_paragraph("{{标题}}")
    document.save(str(template))
    result = CliRunner().invoke(cli, ["report", str(master), "--template", str(template)])
    assert result.exit_code == 2
    assert result.output == "错误：模板「我的模板.docx」缺少占位符：{{正文}}。请在模板中加入后再试。\n"


def test_report_with_a_letterhead_template(master: Path, tmp_path: Path) -> None:
    template = tmp_path / "红头.docx"
    document = docx.Document()
    document.add_paragraph("青禾县教育督导室")
    document.add_paragraph("{{标题}}")
    document.add_paragraph("{{正文}}")
    document.save(str(template))
    out = tmp_path / "输出" / "总结.docx"
    out.parent.mkdir()
    result = CliRunner().invoke(cli, ["report", str(master), "--template", str(template), "-o", str(out)])
    assert result.exit_code == 0, result.output
    texts = _texts(out)
    assert texts[:2] == ["青禾县教育督导室", "青禾县教育督导室2025年工作总结"]
    assert texts[2].startswith("2025年，我们对照")


def test_notices_through_the_cli(master: Path, tmp_path: Path) -> None:
    folder = tmp_path / "督办通报"
    result = CliRunner().invoke(cli, ["notices", str(master), "-o", str(folder), "--as-of", "2025-12-20",
                                       "--date", "2025-12-20"])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in folder.glob("*.docx"))
    assert re.fullmatch(r"督办单和通报依据批次「2025-年度」的回表（应报 30 个单位.*）。\n已写入督办单和通报 (\d+) 份：.*\n",
                        result.output)
    count = int(re.search(r"(\d+) 份", result.output)[1])
    assert len(files) == count >= 2
    assert files[-1].startswith("督办单_") and any(f.startswith("关于") and f.endswith("推进情况的通报.docx") for f in files)
    notice = docx.Document(str(folder / next(f for f in files if f.startswith("督办单_"))))
    assert notice.tables[0].rows[0].cells[1].text.startswith("督办〔2025〕第")


def test_notices_with_a_bad_date(master: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["notices", str(master), "-o", str(tmp_path / "x"), "--as-of", "2025-13-40"])
    assert result.exit_code == 2
    assert result.output == "错误：日期「2025-13-40」无法识别：请写成 2024-09-30 的形式。\n"
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("typed", ["2025-12-20", "2025年12月20日", "2025/12/20", "２０２５-１２-２０"])
def test_report_date_option_sets_the_written_date(master: Path, typed: str) -> None:
    out = master.parent / "总结 定稿.docx"
    result = CliRunner().invoke(cli, ["report", str(master), "-o", str(out), "--date", typed])
    assert result.exit_code == 0, result.output
    texts = _texts(out)
    assert texts[-1] == "2025年12月20日" or "2025年12月20日" in texts
    assert docx.Document(str(out)).core_properties.created.date() == date(2025, 12, 20)


def test_notices_date_option_dates_every_notice(master: Path, tmp_path: Path) -> None:
    folder = tmp_path / "督办 通报"
    result = CliRunner().invoke(cli, ["notices", str(master), "-o", str(folder), "--as-of", "2025-09-30",
                                      "--date", "2025年10月8日"])
    assert result.exit_code == 0, result.output
    for path in folder.glob("*.docx"):
        assert "2025年10月8日" in _texts(path), path.name
        dates = [p.text for p in docx.Document(str(path)).paragraphs if re.fullmatch(r"\d+年\d+月\d+日", p.text)]
        assert dates == ["2025年10月8日"], path.name


@pytest.mark.parametrize("command", ["report", "notices"])
def test_a_bad_date_is_one_sentence(master: Path, tmp_path: Path, command: str) -> None:
    result = CliRunner().invoke(cli, [command, str(master), "-o", str(tmp_path / "x"), "--date", "12月20日"])
    assert result.exit_code == 2
    assert result.output == "错误：成文日期「12月20日」无法识别：请写成 2025-12-20 或 2025年12月20日 的形式。\n"
    assert not (tmp_path / "x").exists()


def _hostile_template(path: Path, document_xml: bytes, **options: object) -> Path:
    """The shipped letterhead template with its document part replaced."""
    letterhead = Path(__file__).parent.parent / "templates" / "letterhead_report.docx"
    with zipfile.ZipFile(letterhead) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                with target.open(info.filename, "w", **options) as part:  # type: ignore[arg-type]
                    part.write(document_xml)
            else:
                target.writestr(info, source.read(info))
    return path


W_DOCUMENT = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'


@pytest.mark.parametrize(("kind", "sentence"), [
    ("炸弹", "模板「{}」解压后过大或压缩比异常（可能是恶意文件），为安全起见不予打开：请确认文件来源，或在 Word/WPS 中另存为 .docx 后再试。"),
    ("实体", "模板「{}」含有不安全的 XML 内容（实体或 DTD），为安全起见不予打开：请在 Word/WPS 中另存为 .docx 后再试。"),
    ("UTF-16 实体", "模板「{}」含有不安全的 XML 内容（实体或 DTD），为安全起见不予打开：请在 Word/WPS 中另存为 .docx 后再试。"),
    ("很大", "模板「{}」的文字和格式内容超过 20 MB，远超一份模板的大小：请确认选对了文件；模板只需红头、占位符和落款。"),
], ids=["zip-bomb", "entities", "utf16-entities", "huge-markup"])
def test_a_hostile_template_is_refused_before_it_is_opened(master: Path, tmp_path: Path, kind: str,
                                                           sentence: str) -> None:
    folder = tmp_path / "外来 模板"
    folder.mkdir()
    template = folder / f"红头 {kind}.docx"
    if kind == "炸弹":  # 64 MB of blanks in 64 KB
        _hostile_template(template, W_DOCUMENT.encode() + b" " * (64 << 20))
    elif kind.endswith("实体"):
        laughs = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;'
                  '&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>' + W_DOCUMENT +
                  "<w:p><w:r><w:t>{{标题}}&c;</w:t></w:r></w:p><w:p><w:r><w:t>{{正文}}</w:t></w:r></w:p></w:body></w:document>")
        _hostile_template(template, laughs.encode("utf-16" if kind.startswith("UTF") else "utf-8"))
    else:  # 22 MB of paragraphs compressed only 11-fold: no bomb, but no template either
        rnd = random.Random(5)
        body = "".join(f"<w:p><w:r><w:t>{rnd.randrange(1 << 16):x}</w:t></w:r></w:p>" for _ in range(600_000))
        _hostile_template(template, (W_DOCUMENT + body + "</w:body></w:document>").encode())
    out = tmp_path / "总结.docx"
    result = CliRunner().invoke(cli, ["report", str(master), "--template", str(template), "-o", str(out)])
    assert (result.exit_code, result.output) == (2, f"错误：{sentence.format(template.name)}\n")
    assert not out.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX's")
def test_a_named_pipe_as_the_template_is_one_sentence_not_a_wait(master: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "红头 管道.docx"
    os.mkfifo(pipe)
    result = CliRunner().invoke(cli, ["report", str(master), "--template", str(pipe), "-o", str(tmp_path / "总结.docx")])
    assert (result.exit_code, result.output) == (
        2, f"错误：模板「{pipe}」不是普通文件（是管道或设备）：请给出 Word 模板文件本身的路径。\n")


def test_a_zip_that_is_no_office_package_as_the_template_is_no_word_document(master: Path, tmp_path: Path) -> None:
    """An Apple Pages '09 file (a zip of index.xml, whose XML declares a DOCTYPE, and a thumbnail) is no Word
    document: named as what it is, not that its XML is unsafe."""
    folder = tmp_path / "外来 模板"
    folder.mkdir()
    template = folder / "红头 苹果.pages"
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as pages:
        pages.writestr("index.xml", '<?xml version="1.0"?><!DOCTYPE sl:document><sl:document/>')
        pages.writestr("QuickLook/Thumbnail.jpg", b"\xff\xd8\xff\xe0 thumbnail")
    out = tmp_path / "总结.docx"
    result = CliRunner().invoke(cli, ["report", str(master), "--template", str(template), "-o", str(out)])
    assert (result.exit_code, result.output) == (
        2, "错误：模板「红头 苹果.pages」是Apple Pages 文稿，不是 Word 文档：请在 Pages 中选择“文件 → 导出为 → Word”，"
           "存为 .docx 后再用作模板。\n")
    assert not out.exists()


def _letterhead_with(path: Path, change) -> Path:  # noqa: ANN001 - change(name, bytes) -> bytes
    """The shipped letterhead template with its parts passed through ``change`` (found by fuzzing)."""
    letterhead = Path(__file__).parent.parent / "templates" / "letterhead_report.docx"
    with zipfile.ZipFile(letterhead) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info)))
    return path


def test_a_template_with_a_damaged_part_is_one_sentence(master: Path, tmp_path: Path) -> None:
    """Deflated bytes that do not inflate (a bit flipped in transit): zlib's error, not an internal error."""
    template = _letterhead_with(tmp_path / "外来 模板.docx", lambda _name, data: data)
    data = bytearray(template.read_bytes())
    at = data.index(b"word/document.xml")  # its local header's name; the deflated bytes follow it
    data[at + len("word/document.xml")] = 0x07  # a final block of the reserved type 3: never valid deflate
    template.write_bytes(bytes(data))
    out = tmp_path / "总结 稿.docx"
    result = CliRunner().invoke(cli, ["report", str(master), "--template", str(template), "-o", str(out)])
    assert (result.exit_code, result.output) == (
        2, "错误：模板「外来 模板.docx」已损坏，无法打开：请在 Word/WPS 中打开它，另存为 .docx 后再试。\n")
    assert not out.exists()


def test_a_template_whose_properties_are_an_external_link_is_one_sentence(master: Path, tmp_path: Path) -> None:
    """python-docx resolves the core properties only when saving; an External relationship failed there."""
    def external(name: str, data: bytes) -> bytes:
        if name != "_rels/.rels":
            return data
        return re.sub(rb'(Target="docProps/core.xml")', rb'\1 TargetMode="External"', data)

    template = _letterhead_with(tmp_path / "红头 外链.docx", external)
    out = tmp_path / "总结 稿.docx"
    result = CliRunner().invoke(cli, ["report", str(master), "--template", str(template), "-o", str(out)])
    assert (result.exit_code, result.output) == (
        2, "错误：模板「红头 外链.docx」无法打开：请确认它是 Word 文档（.docx）；.doc、.wps、.dotx 请先在 Word/WPS 中"
           "另存为 .docx。\n")
    assert not out.exists()


def test_a_template_whose_footer_relationship_is_gone_is_one_sentence(master: Path, tmp_path: Path) -> None:
    """document.xml names a footer by r:id that its relationships no longer hold (a damaged zip directory lost
    the .rels): python-docx's KeyError came when the placeholders were looked for, an internal error."""
    def drop_footer(name: str, data: bytes) -> bytes:
        if name != "word/_rels/document.xml.rels":
            return data
        return re.sub(rb'<Relationship Id="rId4"[^>]*/>', b"", data)

    template = _letterhead_with(tmp_path / "红头 缺页脚.docx", drop_footer)
    assert b'r:id="rId4"' in zipfile.ZipFile(template).read("word/document.xml")
    out = tmp_path / "总结 稿.docx"
    result = CliRunner().invoke(cli, ["report", str(master), "--template", str(template), "-o", str(out)])
    assert (result.exit_code, result.output) == (
        2, "错误：模板「红头 缺页脚.docx」无法打开：请确认它是 Word 文档（.docx）；.doc、.wps、.dotx 请先在 Word/WPS 中"
           "另存为 .docx。\n")
    assert not out.exists()


def test_a_template_page_setup_outside_the_schema_is_not_copied_into_the_report(master: Path, tmp_path: Path) -> None:
    """A negative header distance and a margin past 32 bits in the template's page setup were copied into the
    report as they were, a document Word repairs; they take the GB/T 9704 page's values, the rest stays."""
    def odd_margins(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        data = re.sub(rb'w:header="\d+"', b'w:header="-1"', data)
        return re.sub(rb'w:left="\d+"', b'w:left="99999999999"', data)

    template = _letterhead_with(tmp_path / "红头 页边距.docx", odd_margins)
    out = tmp_path / "总结 稿.docx"
    result = CliRunner().invoke(cli, ["report", str(master), "--template", str(template), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"已写入工作总结：{out}"
    margins = re.search(rb"<w:pgMar [^>]*>", zipfile.ZipFile(out).read("word/document.xml")).group(0)
    original = re.search(rb"<w:pgMar [^>]*>", zipfile.ZipFile(template).read("word/document.xml")).group(0)
    assert b'w:header="851"' in margins and b'w:left="1587"' in margins
    assert re.search(rb'w:top="\d+"', margins).group(0) == re.search(rb'w:top="\d+"', original).group(0)
