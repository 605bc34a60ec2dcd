"""Odd inputs a new user meets, through the CLI: a named pipe or device in any input role (one sentence
at once, never a wait for a child's time limit), and the outputs of wpx build kept out of returns
folders. Paths have Chinese characters and spaces."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_returns import make_plan

from workplan_xl.cli import cli
from workplan_xl.master_workbook import write_master_workbook

PIPES = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX's")


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def good_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_master_workbook(make_plan(units=3), tmp_path_factory.mktemp("台账") / "台账.xlsx")


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "督导 室" / "二〇二五 年"
    folder.mkdir(parents=True)
    return folder


def pipe(path: Path) -> Path:
    os.mkfifo(path)
    return path


def not_regular(role: str, path: Path, give: str) -> str:
    return f"错误：{role}「{path}」不是普通文件（是管道或设备）：请给出{give}本身的路径。\n"


# -- named pipes and devices ---------------------------------------------------------------------------
@PIPES
def test_a_named_pipe_as_the_roster_is_one_sentence(office: Path) -> None:
    plan = office / "计划 要点.json"
    plan.write_text(make_plan().to_json(), encoding="utf-8")
    roster = pipe(office / "填报 名单.xlsx")
    result = run("build", plan, "--units", roster, "-o", office / "台 账.xlsx")
    assert (result.exit_code, result.output) == (2, not_regular("填报单位名单", roster, "填报单位名单文件"))
    assert not (office / "台 账.xlsx").exists()


@pytest.mark.skipif(not Path("/dev/zero").exists() or not hasattr(os, "mkfifo"), reason="POSIX devices")
def test_a_device_as_the_roster_or_the_master_is_one_sentence(office: Path) -> None:
    plan = office / "计划 要点.json"
    plan.write_text(make_plan().to_json(), encoding="utf-8")
    result = run("build", plan, "--units", "/dev/zero", "-o", office / "台 账.xlsx")
    assert (result.exit_code, result.output) == (2, not_regular("填报单位名单", Path("/dev/zero"), "填报单位名单文件"))
    result = run("status", "/dev/zero")
    assert (result.exit_code, result.output) == (2, not_regular("台账", Path("/dev/zero"), "台账文件"))


@PIPES
@pytest.mark.parametrize("command", ["forms", "collect", "status", "report", "notices", "serve"])
def test_a_named_pipe_as_the_master_is_one_sentence_in_every_command(office: Path, command: str) -> None:
    master = pipe(office / "台账 管道.xlsx")
    (office / "回 表").mkdir()
    args = {"forms": ["-o", office / "填报 表"], "collect": [office / "回 表"], "status": [],
            "report": ["-o", office / "总 结.docx"], "notices": ["-o", office / "督办 通报"],
            "serve": ["--links", "--url", "http://10.0.0.5:8080"]}[command]
    result = run(command, master, *args)
    assert (result.exit_code, result.output) == (2, not_regular("台账", master, "台账文件"))


@PIPES
def test_a_named_pipe_as_the_ledger_or_a_return_is_one_sentence(office: Path, good_master: Path) -> None:
    master = office / "台账.xlsx"
    shutil.copy(good_master, master)
    returns = office / "回 表"
    returns.mkdir()
    ledger = pipe(office / "库 管道.db")
    for command in (["collect", master, returns, "--db", ledger, "--yes"], ["status", master, "--db", ledger],
                    ["report", master, "--db", ledger, "-o", office / "总 结.docx"],
                    ["notices", master, "--db", ledger, "-o", office / "督办 通报"]):
        result = run(*command)
        assert (result.exit_code, result.output) == (2, not_regular("台账数据库", ledger, "台账数据库文件（.db）"))
    sent = pipe(returns / "一中 回表.xlsx")
    result = run("collect", master, sent, "--yes")
    assert (result.exit_code, result.output) == (2, not_regular("回表", sent, "回表文件或文件夹"))
    assert not master.with_suffix(".db").exists()


@PIPES
def test_named_pipes_beside_the_master_are_not_opened_when_looking_for_its_ledger(office: Path,
                                                                                  good_master: Path) -> None:
    """Looking for another ledger or an earlier 汇总 beside the 台账 opens every .db and .xlsx there."""
    master = office / "台账.xlsx"
    shutil.copy(good_master, master)
    pipe(office / "旧 台账.db")
    pipe(office / "旧 汇总.xlsx")
    result = run("status", master)
    assert (result.exit_code, result.output) == (
        2, f"错误：找不到台账「台账.xlsx」的台账数据库：找的是「{master.with_suffix('.db')}」。如果数据库在别处或改过名，"
           f"请用 --db 指定它；如果还没有收集过回表，请先运行 wpx collect \"{master}\" 回表文件夹。\n")
    (office / "回 表").mkdir()
    result = run("collect", master, office / "回 表")
    assert result.exit_code == 0, result.output


# -- wpx build -o into a returns folder -----------------------------------------------------------------
def test_build_from_a_master_keeps_the_new_master_out_of_its_returns_folders(office: Path, good_master: Path) -> None:
    master = office / "台账.xlsx"
    shutil.copy(good_master, master)
    returns = office / "各校 回表"
    returns.mkdir()
    result = run("collect", master, returns, "--yes")
    assert result.exit_code == 0, result.output
    inside = returns / "台账 新版.xlsx"
    result = run("build", master, "-o", inside)
    assert (result.exit_code, result.output) == (
        2, f"错误：台账不能保存到「{inside}」，它在回表文件夹「{returns}」里：台账数据库记录过从这个文件夹收集回表，"
           "放在这里的文件下次收集时会被当成单位的回表读入。请用 -o 保存到回表文件夹以外的位置。\n")
    beside = office / "回表" / "台账 新版.xlsx"  # the convention: 回表 beside the 台账, wpx serve's folder
    result = run("build", master, "-o", beside)
    assert (result.exit_code, result.output) == (
        2, f"错误：台账不能保存到「{beside}」，它在回表文件夹「{beside.parent}」里：这是台账旁约定的回表文件夹"
           "（wpx serve 默认把回表存在这里），放在这里的文件下次收集时会被当成单位的回表读入。请用 -o 保存到回表文件夹以外的位置。\n")
    assert not inside.exists() and not beside.exists()
    elsewhere = office / "新 台账.xlsx"
    result = run("build", master, "-o", elsewhere)
    assert (result.exit_code, result.output) == (0, f"已写入台账：{elsewhere}\n")


# -- wording --------------------------------------------------------------------------------------------
def test_a_logical_cell_in_a_roster_header_is_shown_as_excel_shows_it(office: Path) -> None:
    import xlsxwriter

    plan = office / "计划 要点.json"
    plan.write_text(make_plan().to_json(), encoding="utf-8")
    roster = office / "填报 名单.xlsx"
    with xlsxwriter.Workbook(str(roster)) as workbook:
        sheet = workbook.add_worksheet()
        sheet.write_string(0, 0, "序号")
        sheet.write_boolean(0, 1, True)
        sheet.write_boolean(0, 2, False)
        sheet.write_string(0, 3, "学校名称")
        sheet.write_row(1, 0, [1, True, False, "第一中学"])
    result = run("build", plan, "--units", roster, "-o", office / "台 账.xlsx")
    assert (result.exit_code, result.output) == (
        2, "错误：填报单位名单「填报 名单.xlsx」缺少「代码」列：找到的列为「序号」「TRUE」「FALSE」「学校名称」，"
           "需要「代码」和「名称」两列（代码也可写作单位代码、学校代码、编号或编码）。\n")


def test_a_spreadsheet_of_another_kind_as_the_master_is_named_with_what_to_do(office: Path) -> None:
    from hostile_files import biff_workbook, ole_file, zip_file

    then = "，不是 wpx 生成的台账（台账是 .xlsx 工作簿）：请用 wpx build 生成的台账；如果它是在 Excel 或 WPS 里另存过的台账，" \
           "请再另存为 .xlsx（Excel 工作簿）后再试。"
    cases = {
        "旧版 台账.xls": (ole_file({"Workbook": biff_workbook()}), "Excel 97-2003 工作簿（.xls）"),
        "开放 台账.ods": (zip_file({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                                  "content.xml": "<office:document-content/>"}), "OpenDocument 表格（.ods）"),
        "改名 台账.xlsx": (zip_file({"[Content_Types].xml": '<Types><Override PartName="/xl/workbook.bin" ContentType='
                                  '"application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>',
                                  "_rels/.rels": '<Relationships><Relationship Id="r1" Type="http://schemas.openxml'
                                  'formats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/>'
                                  '</Relationships>', "xl/workbook.bin": b"\x83\x01\x00"}), "Excel 二进制工作簿（.xlsb）"),
    }
    for name, (data, kind) in cases.items():
        master = office / name
        master.write_bytes(data)
        for command in (["forms", master, "-o", office / "填报 表"], ["status", master]):
            result = run(*command)
            assert (result.exit_code, result.output) == (2, f"错误：「{name}」是{kind}{then}\n")
    page = office / "网页 台账.xlsx"
    page.write_text("<html><body><p>通知</p></body></html>", encoding="utf-8")
    result = run("report", page, "-o", office / "总 结.docx")
    assert (result.exit_code, result.output) == (2, "错误：「网页 台账.xlsx」是网页，不是台账：请给出 wpx build 生成的台账（.xlsx 文件）。\n")


# -- Apple iWork ----------------------------------------------------------------------------------------
def zipped(members: dict[str, bytes | str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def iwork(tag: str) -> bytes:
    """A current iWork file (Numbers, Pages and Keynote alike): Index/*.iwa parts, Metadata/, a preview."""
    return zipped({"Index/Document.iwa": b"\x00\x01" + tag.encode(), "Index/Metadata.iwa": b"\x00",
                   "Metadata/Properties.plist": "<plist/>", "preview.jpg": b"\xff\xd8\xff\xe0"})


def iwork09(tag: str, compressed: bool = True) -> bytes:
    """An iWork '09 file: the document's XML as index.xml(.gz) at the root, QuickLook/ previews."""
    import gzip

    index = {"index.xml.gz": gzip.compress(f"<sl:document>{tag}</sl:document>".encode())} if compressed else {
        "index.xml": f"<sf:document>{tag}</sf:document>"}
    return zipped({**index, "QuickLook/Thumbnail.jpg": b"\xff\xd8\xff\xe0", "QuickLook/Preview.pdf": b"%PDF-1.3\n",
                   "buildVersionHistory.plist": "<plist/>"})


IWORK_RETURN = ("如果它是 Numbers 表格，请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后重新报送；"
                "如果是 Pages 文稿或 Keynote 演示文稿，它不是回表，请另行报送。")


def test_iwork_files_in_a_returns_folder_are_named_by_their_extension(office: Path, good_master: Path) -> None:
    from openpyxl import load_workbook

    master = office / "台账.xlsx"
    shutil.copy(good_master, master)
    returns = office / "各校 回表"
    returns.mkdir()
    files = {"统计 表.numbers": iwork("n"), "总结 文稿.pages": iwork("p"), "汇报 演示.key": iwork("k"),
             "改名 一中.xlsx": iwork("x"), "旧版 文稿.pages": iwork09("p"), "旧版 表格.numbers": iwork09("n", False),
             "旧版 演示.key": iwork09("k")}
    for name, data in files.items():
        (returns / name).write_bytes(data)
    # a zip a school made that happens to hold an index.xml is still an archive: its members are read
    (returns / "打包 材料.zip").write_bytes(zipped({"index.xml": "<a/>", "说明.txt": "见附件".encode()}))
    result = run("collect", master, returns, "-o", office / "汇 总.xlsx", "--yes")
    assert result.exit_code == 3, result.output
    sheet = load_workbook(office / "汇 总.xlsx", read_only=True)["文件清单"]
    listed = {row[0]: (row[3], re.sub(r"（原文件已复制到隔离区：[^）]*）$", "", row[4]))
              for row in sheet.iter_rows(min_row=4, values_only=True)}
    numbers = "是Apple Numbers 表格，无法直接读取"
    assert listed == {
        "统计 表.numbers": ("未采用", f"文件「统计 表.numbers」{numbers}"),
        "旧版 表格.numbers": ("未采用", f"文件「旧版 表格.numbers」{numbers}"),
        "总结 文稿.pages": ("跳过", "不是电子表格（是Apple Pages 文稿）"),
        "旧版 文稿.pages": ("跳过", "不是电子表格（是Apple Pages 文稿）"),
        "汇报 演示.key": ("跳过", "不是电子表格（是Apple Keynote 演示文稿）"),
        "旧版 演示.key": ("跳过", "不是电子表格（是Apple Keynote 演示文稿）"),
        "改名 一中.xlsx": ("未采用", "文件「改名 一中.xlsx」是Apple iWork 文件（Numbers、Pages 或 Keynote 的文件），无法直接读取"),
        "压缩包 打包 材料.zip 中的 index.xml": ("跳过", "不是电子表格（是文本）"),
        "压缩包 打包 材料.zip 中的 说明.txt": ("跳过", "不是电子表格（是文本）"),
    }
    problems = load_workbook(office / "汇 总.xlsx", read_only=True)["问题清单"]
    advice = {row[0]: row[4] for row in problems.iter_rows(min_row=4, values_only=True)}
    assert advice["改名 一中.xlsx"].startswith(IWORK_RETURN)


IWORK_FILES = [("文稿 新版.pages", iwork("p")), ("演示 新版.key", iwork("k")), ("表格 新版.numbers", iwork("n")),
               ("不明 文件.xlsx", iwork("x")), ("文稿 旧版.pages", iwork09("p")), ("表格 旧版.numbers", iwork09("n"))]
PLAN_SENTENCES = {
    ".pages": "「{}」是Apple Pages 文稿，无法直接读取：请在 Pages 中选择“文件 → 导出为 → Word”，存为 .docx 后再试。",
    ".key": "「{}」是Apple Keynote 演示文稿，不是计划文档：请给出 Word（.docx）、文字版 PDF、网页（.html）、文本（.txt）"
            "或任务分解表（.xlsx）文件。",
    ".numbers": "「{}」是Apple Numbers 表格，无法直接读取：请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后再试。",
    ".xlsx": "「{}」是Apple iWork 文件（Numbers、Pages 或 Keynote 的文件），无法直接读取：请在原来的应用中选择“文件 → 导出为”，"
             "文稿存为 Word（.docx）、表格存为 Excel（.xlsx）后再试。",
}
MASTER_SENTENCES = {
    ".pages": "「{}」是Apple Pages 文稿，不是台账：请给出 wpx build 生成的台账（.xlsx 文件）。",
    ".key": "「{}」是Apple Keynote 演示文稿，不是台账：请给出 wpx build 生成的台账（.xlsx 文件）。",
    ".numbers": "「{}」是Apple Numbers 表格，不能直接作为台账读取：请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后再试。",
    ".xlsx": "「{}」是Apple iWork 文件（Numbers、Pages 或 Keynote 的文件），不是台账：请给出 wpx build 生成的台账（.xlsx 文件）；"
             "如果它是在 Numbers 里打开过的台账，请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后再试。",
}
ROSTER_SENTENCES = {
    ".numbers": "填报单位名单「{}」是Apple Numbers 表格，无法直接读取：请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后再试。",
    ".xlsx": "填报单位名单「{}」是Apple iWork 文件（Numbers、Pages 或 Keynote 的文件），无法直接读取：如果它是 Numbers 表格，"
             "请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后再试。",
}


@pytest.mark.parametrize(("name", "data"), IWORK_FILES, ids=[n for n, _ in IWORK_FILES])
def test_an_iwork_file_as_a_plan_a_master_or_a_roster_is_one_sentence(office: Path, name: str, data: bytes) -> None:
    given = office / name
    given.write_bytes(data)
    suffix = given.suffix
    result = run("parse", given)
    assert (result.exit_code, result.output) == (2, f"错误：{PLAN_SENTENCES[suffix].format(name)}\n")
    result = run("status", given)
    assert (result.exit_code, result.output) == (2, f"错误：{MASTER_SENTENCES[suffix].format(name)}\n")
    plan = office / "计划 要点.json"
    plan.write_text(make_plan().to_json(), encoding="utf-8")
    result = run("build", plan, "--units", given, "-o", office / "台 账.xlsx")
    roster = ROSTER_SENTENCES.get(suffix, "填报单位名单「{}」的格式不支持：请提供 .xlsx、.xls、.ods 或 .csv 文件。")
    assert (result.exit_code, result.output) == (2, f"错误：{roster.format(name)}\n")


def test_an_iwork_file_as_the_report_template_is_named(office: Path, good_master: Path) -> None:
    master = office / "台账.xlsx"
    shutil.copy(good_master, master)
    (office / "回 表").mkdir()
    assert run("collect", master, office / "回 表", "--yes").exit_code == 0
    for name, data, kind in (("公文 模板.pages", iwork("p"), "Apple Pages 文稿"),
                             ("旧版 模板.pages", iwork09("p"), "Apple Pages 文稿"),
                             ("模板.docx", iwork("d"), "Apple iWork 文件")):
        template = office / name
        template.write_bytes(data)
        result = run("report", master, "--template", template, "-o", office / "总 结.docx")
        assert (result.exit_code, result.output) == (
            2, f"错误：模板「{name}」是{kind}，不是 Word 文档：请在 Pages 中选择“文件 → 导出为 → Word”，存为 .docx 后再用作模板。\n")


@PIPES
def test_a_named_pipe_in_place_of_the_web_settings_is_one_sentence(office: Path, good_master: Path) -> None:
    master = office / "台账.xlsx"
    shutil.copy(good_master, master)
    settings = pipe(office / "台账.网页填报.json")
    result = run("serve", master, "--links", "--url", "http://10.0.0.5:8080")
    assert (result.exit_code, result.output) == (2, not_regular("网页填报设置", settings, "网页填报设置文件"))


@PIPES
def test_a_named_pipe_as_an_output_is_refused_not_waited_on_or_replaced(office: Path) -> None:
    plan = office / "计划 要点.json"
    plan.write_text(make_plan().to_json(), encoding="utf-8")
    json_pipe = pipe(office / "输出 管道.json")
    result = run("parse", plan, "--json", json_pipe)
    assert (result.exit_code, result.output) == (
        2, f"错误：Plan JSON不能保存为「{json_pipe}」：它不是普通文件（是管道或设备）。请用 --json 换一个文件名或位置。\n")
    master_pipe = pipe(office / "台账 管道.xlsx")
    result = run("build", plan, "-o", master_pipe)
    assert (result.exit_code, result.output) == (
        2, f"错误：台账不能保存为「{master_pipe}」：它不是普通文件（是管道或设备）。请用 -o 换一个文件名或位置。\n")
    assert not master_pipe.is_file()  # still the pipe, not replaced
