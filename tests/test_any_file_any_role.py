"""Any file in any role, through the CLI: every kind tests/hostile_files.py makes, as a plan (wpx parse),
as the 台账 (every command that takes one), as a roster (wpx build --units) and as a return (wpx collect).
Never exit 1, never a traceback, never a reader's English; for a chosen set, the exact sentence.
Paths have Chinese characters and spaces. Each 台账 and roster read starts a child process (~0.2 s), so
the kinds meet the six 台账 commands in turn, and a chosen few meet every command with the exact sentence."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hostile_files import corpus, install_panicking_calamine, xlsx_bytes
from openpyxl import load_workbook
from test_returns import fill, make_forms, make_plan

from workplan_xl.cli import cli
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook

PLAN = Path(__file__).resolve().parent.parent / "workplan_xl" / "examples" / "plan_2025.txt"
KINDS = corpus()
MASTER_COMMANDS = ("collect", "report", "status", "notices", "serve")
# What a reader's own words look like; Chinese sentences name Excel, WPS, Word, PDF, LibreOffice only.
ENGLISH = re.compile(r"Traceback|\b\w*(?:Error|Exception|Warning)\b|\bFile\b|\bline \d|\bErrno\b|\bNone\b|"
                     r"\b(?:not|cannot|invalid|unexpected|object|module)\b")
NOT_MASTER = "「{}」不是 wpx 生成的台账（无法作为 .xlsx 工作簿打开）：请先用 wpx build 生成台账。"
NO_META = "「{}」不是 wpx 生成的台账（缺少 _meta 工作表）：请先用 wpx build 生成台账。"
UNSAFE_MASTER = "「{}」不是 wpx 生成的台账（结构异常，为安全起见未读取）：请先用 wpx build 生成台账。"
FOREIGN = ("「{}」不是 wpx 生成的台账，或已损坏（读取时出错）：请确认选的是 wpx build 生成的台账.xlsx；"
           "如果是在 Excel/WPS 里改过的台账，请另存为 .xlsx 后再试。")


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_clean(result: Result, where: Path, codes: tuple[int, ...] = (2,)) -> None:
    """Not exit 1, no traceback, no English from a library (the paths of the test left aside)."""
    assert result.exit_code in codes, result.output
    assert result.exit_code != 1
    text = result.output.replace(str(where), "")
    assert "Traceback" not in text
    assert ENGLISH.search(text) is None, text


def place(tmp_path: Path, kind: str) -> Path:
    name, data = KINDS[kind]
    file = tmp_path / "外来 文件" / name
    file.parent.mkdir(parents=True)
    file.write_bytes(data)
    return file


def master_args(command: str, master: Path) -> list[object]:
    folder = master.parent
    if command == "forms":
        return ["forms", master, "-o", folder / "填报 表"]
    if command == "collect":
        (folder / "回 表").mkdir(exist_ok=True)
        return ["collect", master, folder / "回 表"]
    if command == "notices":
        return ["notices", master, "-o", folder / "督办 通报"]
    if command == "serve":
        return ["serve", master, "--links", "--url", "http://10.0.0.5:8080"]
    return [command, master]


# -- the 台账 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_any_file_as_the_master(tmp_path: Path, kind: str) -> None:
    master = place(tmp_path, kind)
    command = ("forms", *MASTER_COMMANDS)[list(KINDS).index(kind) % (len(MASTER_COMMANDS) + 1)]
    result = run(*master_args(command, master))
    assert_clean(result, tmp_path)
    assert result.output.startswith("错误：") and f"「{master.name}」" in result.output
    assert result.output.count("\n") == 1  # one sentence


XLS_MASTER = ("「{}」是Excel 97-2003 工作簿（.xls），不是 wpx 生成的台账（台账是 .xlsx 工作簿）：请用 wpx build "
              "生成的台账；如果它是在 Excel 或 WPS 里另存过的台账，请再另存为 .xlsx（Excel 工作簿）后再试。")
EXACT = [("实体炸弹", UNSAFE_MASTER), ("声明范围极大 xlsx", UNSAFE_MASTER), ("声明范围极大 xls", XLS_MASTER),
         ("样式 TypeError", NO_META), ("XML 不完整", NO_META), ("截断的 zip", NOT_MASTER),
         ("PNG 改名", "「{}」是图片，不是台账：请给出 wpx build 生成的台账（.xlsx 文件）。"),
         ("加密 xlsx", "台账「{}」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。")]


@pytest.mark.parametrize(("kind", "sentence", "command"), [
    *((kind, sentence, "forms") for kind, sentence in EXACT),  # one reading for every command: two kinds meet all
    *((kind, sentence, command) for kind, sentence in EXACT[:4:3] for command in MASTER_COMMANDS),
], ids=lambda value: value if len(value) < 20 else "")
def test_a_hostile_master_is_one_sentence(tmp_path: Path, kind: str, sentence: str, command: str) -> None:
    master = place(tmp_path, kind)
    result = run(*master_args(command, master))
    assert (result.exit_code, result.output) == (2, f"错误：{sentence.format(master.name)}\n")


@pytest.fixture
def panicking_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """python_calamine replaced by one whose reader panics (hostile_files.install_panicking_calamine)."""
    install_panicking_calamine(tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def good_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_master_workbook(make_plan(units=4), tmp_path_factory.mktemp("台账") / "台账.xlsx")


@pytest.mark.parametrize("command", ["forms", *MASTER_COMMANDS])
def test_a_reader_panic_on_the_master_is_one_sentence(tmp_path: Path, good_master: Path, panicking_reader: None,
                                                      command: str) -> None:
    master = tmp_path / "督导 室" / "台账.xlsx"
    master.parent.mkdir()
    shutil.copy(good_master, master)
    result = run(*master_args(command, master))
    assert (result.exit_code, result.output) == (2, f"错误：{FOREIGN.format('台账.xlsx')}\n")


def test_the_master_is_read_within_a_time_limit(tmp_path: Path, good_master: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import workplan_xl.master_workbook.read as read

    master = tmp_path / "督导 室" / "台账.xlsx"
    master.parent.mkdir()
    shutil.copy(good_master, master)
    monkeypatch.setattr(read, "MASTER_TIMEOUT", 0.001)
    result = run(*master_args("forms", master))
    assert (result.exit_code, result.output) == (2, "错误：读取台账「台账.xlsx」超过 0 秒仍未完成（文件过大或结构异常）："
                                                    "请确认选的是 wpx build 生成的台账.xlsx；如果是在 Excel/WPS 里改过的台账，"
                                                    "请另存为 .xlsx 后再试。\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the address-space limit is set on Linux only")
def test_the_master_is_read_within_a_memory_limit(tmp_path: Path, good_master: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import workplan_xl.master_workbook.read as read

    master = tmp_path / "督导 室" / "台账.xlsx"
    master.parent.mkdir()
    shutil.copy(good_master, master)
    monkeypatch.setattr(read, "MASTER_MEMORY", 64 * 1024 * 1024)  # less than the reader needs to load it
    result = run(*master_args("collect", master))
    assert (result.exit_code, result.output) == (
        2, "错误：读取「台账.xlsx」时占用内存过多或读取程序异常退出（文件过大、已损坏，或不是 wpx 生成的台账）："
           "请确认选的是 wpx build 生成的台账.xlsx；如果是在 Excel/WPS 里改过的台账，请另存为 .xlsx 后再试。\n")


def test_a_normal_master_still_reads_in_every_command(tmp_path: Path, good_master: Path) -> None:
    master = tmp_path / "督导 室" / "台账.xlsx"
    master.parent.mkdir()
    shutil.copy(good_master, master)
    assert run(*master_args("forms", master)).exit_code == 0
    result = run(*master_args("collect", master))
    assert result.exit_code == 0, result.output
    assert run("status", master).exit_code == 0


def test_an_ordinary_workbook_as_the_master_names_what_is_missing(tmp_path: Path) -> None:
    master = tmp_path / "外来 文件" / "成绩 统计.xlsx"
    master.parent.mkdir()
    master.write_bytes(xlsx_bytes([["姓名", "语文"]]))
    result = run(*master_args("report", master))
    assert (result.exit_code, result.output) == (
        2, "错误：「成绩 统计.xlsx」不是 wpx 生成的台账（缺少 _meta 工作表）：请先用 wpx build 生成台账。\n")


# -- a plan (wpx parse) ------------------------------------------------------------------------------
FIND_NO_TASKS = "「{}」中找不到带编号的工作任务（如“一、”“（一）”“1.”）：请确认这是工作要点或工作计划。"
NO_TASK_TABLE = ("「{}」中找不到任务表（表头应有“重点任务”或“工作任务”一列，以及“牵头单位”“完成时限”等列）："
                 "请确认这是任务分解表或工作计划。")
LOCKED = "「{}」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。"
NEEDS_LIBREOFFICE = "「{}」是{}，需要 LibreOffice 才能读取：请安装 LibreOffice（soffice），或在 Word/WPS 中另存为 .docx 后再试。"
PLAN_SENTENCES = {
    "加密 xls": LOCKED, "加密 ods": LOCKED,
    "实体炸弹": "「{}」含有不安全的内容（XML 实体声明，位于 xl/worksheets/sheet1.xml），为安全起见未读取：请在 Excel/WPS 中"
            "打开后另存为 .xlsx 再试。",
    "声明范围极大 xls": "「{}」的工作表声称有极大的范围（65536 行 × 256 列），为安全起见未读取：请在 Excel/WPS 中打开后另存为 .xlsx 再试。",
    "声明范围极大 ods": "「{}」的工作表声称有极大的范围（10000 行 × 1000 列），为安全起见未读取：请在 Excel/WPS 中打开后另存为 .xlsx 再试。",
    "声明范围极大 xlsx": "「{}」的工作表声称有极大的范围（1048576 行 × 16384 列），为安全起见未读取：请在 Excel/WPS 中打开后另存为 .xlsx 再试。",
    "很短的文字 PDF": FIND_NO_TASKS,  # a text layer, however short, is no scan
    "没有文字的 PDF": "「{}」是扫描件（图片）PDF，没有可读取的文字：请用文字版 PDF、Word 或 .txt 文件。",
    "Excel 2003 XML": NO_TASK_TABLE,  # read (returns/markup_sheets.py), and no task table in it
    "单文件 ODS": "「{}」里没有可读取的文字：请检查是否选错了文件。",  # read: an empty sheet
    "Numbers": "「{}」是Apple Numbers 表格，无法直接读取：请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后再试。",
    "嵌入表格的 Word": NEEDS_LIBREOFFICE.format("{}", "旧版 Word 文档（.doc）"),
    "嵌入表格的 Word 改名 xls": NEEDS_LIBREOFFICE.format("{}", "旧版 Word 文档（.doc）"),
    "嵌入表格的 Word 目录损坏": NEEDS_LIBREOFFICE.format("{}", "旧版 Word 文档（.doc）"),
    "RTF": NEEDS_LIBREOFFICE.format("{}", "RTF 文档"),
    "RTF 改名 doc": NEEDS_LIBREOFFICE.format("{}", "RTF 文档"),
    "CR 换行 CSV": NO_TASK_TABLE, "UTF-16 CSV": NO_TASK_TABLE, "工作簿部件换了位置": NO_TASK_TABLE,
    "截断的 zip": "「{}」已损坏（文件不完整，无法解压），无法读取：请重新下载或在 Word/WPS 中另存后再试。",
    "Excel 2.x 工作表": "「{}」是Excel 4.0 或更早版本的工作簿，无法直接读取：请用 Excel 或 WPS 打开，另存为 .xlsx 后再试。",
    "Excel 95 工作簿": "「{}」是Excel 5.0/95 格式的旧工作簿，无法直接读取：请在 Excel/WPS 中打开后另存为 .xlsx 再试。",
    "XPS 打印件": "「{}」是XPS 文档，不是计划文档：请给出 Word（.docx）、文字版 PDF、网页（.html）、文本（.txt）或任务分解表（.xlsx）文件。",
}


@pytest.mark.parametrize("kind", KINDS)
def test_any_file_as_a_plan(tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPX_SOFFICE", "")  # what an office without LibreOffice sees (LibreOffice: below)
    plan = place(tmp_path, kind)
    result = run("parse", plan)
    assert_clean(result, tmp_path)
    assert f"「{plan.name}」" in result.output and result.output.count("\n") == 1
    if kind in PLAN_SENTENCES:
        assert result.output == f"错误：{PLAN_SENTENCES[kind].format(plan.name)}\n"


# -- a roster (wpx build --units) ----------------------------------------------------------------------
NOT_A_WORKBOOK = "填报单位名单「{}」无法读取（不是表格文件，是Word 文档）：请提供 .xlsx、.xls、.ods 或 .csv 文件。"
ROSTER_SENTENCES = {
    "嵌入表格的 Word 改名 xls": NOT_A_WORKBOOK, "嵌入表格的 Word 目录损坏": NOT_A_WORKBOOK,
    "加密 xls": "填报单位名单「{}」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。",
    "声明范围极大 xlsx": "填报单位名单「{}」的工作表声称有极大的范围（1048576 行 × 16384 列），"
                   "为安全起见未读取：请用 Excel 或 WPS 打开后另存为 .xlsx 再试。",
    "Excel 2.x 工作表": "填报单位名单「{}」是Excel 4.0 或更早版本的工作簿，无法直接读取：请用 Excel 或 WPS 打开，另存为 .xlsx 后再试。",
    "Excel 95 工作簿": "填报单位名单「{}」是Excel 5.0/95 格式的旧工作簿，无法直接读取：请用 Excel 或 WPS 打开，另存为 .xlsx 后再试。",
}


@pytest.fixture(scope="module")
def plan_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("计划") / "计划.json"
    path.write_text(make_plan().to_json(), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", KINDS)
def test_any_file_as_a_roster(tmp_path: Path, kind: str, plan_json: Path) -> None:
    roster = place(tmp_path, kind)
    result = run("build", plan_json, "--units", roster, "-o", tmp_path / "台 账.xlsx")
    assert_clean(result, tmp_path, codes=(0, 2))
    if result.exit_code == 0:  # odd but valid: its units are in the 台账
        assert kind in ("工作簿部件换了位置", "CR 换行 CSV", "UTF-16 CSV", "样式 TypeError")
        units = read_master_workbook(tmp_path / "台 账.xlsx").units
        assert [(u.code, u.name) for u in units] == [("1001", "第一中学"), ("1002", "城关小学")]
    else:
        assert f"「{roster.name}」" in result.output and result.output.count("\n") == 1
        assert not (tmp_path / "台 账.xlsx").exists()
    if kind in ROSTER_SENTENCES:
        assert result.output == f"错误：{ROSTER_SENTENCES[kind].format(roster.name)}\n"


# -- a return (wpx collect) ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, dict[str, tuple]]:
    """Every kind in one returns folder, collected once."""
    base = tmp_path_factory.mktemp("回表") / "督导 室"
    base.mkdir()
    master = write_master_workbook(make_plan(units=4), base / "台账.xlsx")
    returns = base / "回 表"
    returns.mkdir()
    for name, data in KINDS.values():
        (returns / name).write_bytes(data)
    result = run("collect", master, returns)
    rows = list(load_workbook(base / "汇总.xlsx", read_only=True)["文件清单"].iter_rows(values_only=True))
    return result, base, {row[0]: row for row in rows[3:]}


RETURN_FATES = {  # kind → (fate, reason) in 文件清单
    "嵌入表格的 Word": ("跳过", "不是电子表格（是Word 文档）"),
    "嵌入表格的 Word 改名 xls": ("未采用", "文件「附件 表.xls」实际上不是 Excel 文件（是Word 文档）"),
    "嵌入表格的 Word 目录损坏": ("未采用", "文件「附件 2.xls」实际上不是 Excel 文件（是Word 文档）"),
    "Numbers": ("未采用", "文件「苹果.numbers」是Apple Numbers 表格，无法直接读取"),
    "RTF": ("跳过", "不是电子表格（是RTF 文档）"),
    "很短的文字 PDF": ("跳过", "不是电子表格（是PDF 文件）"),
    "加密 xls": ("未采用", "文件「加密.xls」加了密码，无法读取"),
    "声明范围极大 xls": ("未采用", "文件「大表.xls」的工作表声称有极大的范围（65536 行 × 256 列），为安全起见未读取"),
    "Excel 2.x 工作表": ("未采用", "文件「老版本.xls」是Excel 4.0 或更早版本的工作簿，无法直接读取"),
    "Visio 绘图": ("跳过", "不是电子表格（是Visio 绘图）"),
    "Excel 95 工作簿": ("未采用", "文件「九五版.xls」是Excel 5.0/95 格式的旧工作簿，无法直接读取"),
    "XPS 打印件": ("跳过", "不是电子表格（是XPS 文档）"),
}


def test_a_folder_of_every_kind_is_collected(collected) -> None:
    result, base, listed = collected
    assert_clean(result, base, codes=(3,))  # 3: returns with problems
    assert set(listed) == {name for name, _ in KINDS.values()}  # every file accounted for


@pytest.mark.parametrize("kind", KINDS)
def test_any_file_as_a_return(collected, kind: str) -> None:
    _, _, listed = collected
    name = KINDS[kind][0]
    fate, reason = listed[name][3], re.sub(r"（原文件已复制到隔离区：.*）$", "", listed[name][4] or "")
    assert fate in ("跳过", "未采用"), (fate, reason)
    assert reason and ENGLISH.search(reason) is None, reason
    if kind in RETURN_FATES:
        assert (fate, reason) == RETURN_FATES[kind]


def test_a_return_with_lower_case_backslash_part_names_is_read_not_unpacked(tmp_path: Path) -> None:
    """Some exporters (an old Apache POI, Chinese attendance systems) write [content_types].xml and
    xl\\worksheets\\sheet1.xml: still a workbook, read as one, never opened as a zip of loose files."""
    import zipfile

    base = tmp_path / "督导 室"
    base.mkdir()
    plan = make_plan(units=2)
    master = write_master_workbook(plan, base / "台账.xlsx")
    filled = fill(make_forms(plan, tmp_path / "填报表")["1001"], tmp_path / "填好.xlsx")
    returns = base / "回 表"
    returns.mkdir()
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(returns / "第一中学 考勤系统导出.xlsx", "w",
                                                            zipfile.ZIP_DEFLATED) as odd:
        for info in sorted(source.infolist(), key=lambda i: i.filename != "[Content_Types].xml"):
            odd.writestr(info.filename.lower().replace("/", "\\"), source.read(info))
    result = run("collect", master, returns)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("回表文件 1 个：新读入 1 个，已登记过 0 个，与其他文件内容相同 0 个，跳过 0 个")
    rows = list(load_workbook(base / "汇总.xlsx", read_only=True)["文件清单"].iter_rows(values_only=True))[3:]
    assert [(r[0], r[3]) for r in rows] == [("第一中学 考勤系统导出.xlsx", "采用")]


# -- files LibreOffice makes -----------------------------------------------------------------------------
@pytest.mark.libreoffice
def test_an_rtf_plan_is_told_as_rtf_and_read(tmp_path: Path, lo_convert, monkeypatch: pytest.MonkeyPatch) -> None:
    rtf = lo_convert(PLAN.with_suffix(".docx"), "rtf", tmp_path / "转换")
    plan = tmp_path / "计划 文件" / "工作要点 旧版.doc"  # RTF under a .doc name, as offices save it
    plan.parent.mkdir()
    shutil.copy(rtf, plan)
    result = run("parse", plan)
    assert result.exit_code == 0, result.output
    assert "合计：" in result.output and "项任务" in result.output
    monkeypatch.setenv("WPX_SOFFICE", "")
    result = run("parse", plan)
    assert result.output == f"错误：{NEEDS_LIBREOFFICE.format(plan.name, 'RTF 文档')}\n"


@pytest.mark.libreoffice
def test_a_one_line_pdf_is_no_scan(tmp_path: Path, lo_convert) -> None:
    text = tmp_path / "通知.txt"
    text.write_text("关于召开会议的通知\n", encoding="utf-8")
    pdf = tmp_path / "计划 文件" / "会议 通知.pdf"
    pdf.parent.mkdir()
    shutil.copy(lo_convert(text, "pdf", tmp_path / "转换"), pdf)
    result = run("parse", pdf)
    assert (result.exit_code, result.output) == (2, f"错误：{FIND_NO_TASKS.format(pdf.name)}\n")


@pytest.mark.libreoffice
def test_a_word_document_sent_as_a_return_is_named_so(tmp_path: Path, lo_convert) -> None:
    doc = lo_convert(PLAN.with_suffix(".docx"), "doc", tmp_path / "转换")
    base = tmp_path / "督导 室"
    base.mkdir()
    master = write_master_workbook(make_plan(units=4), base / "台账.xlsx")
    (base / "回 表").mkdir()
    shutil.copy(doc, base / "回 表" / "第一中学 回表.xls")
    result = run("collect", master, base / "回 表")
    assert_clean(result, base, codes=(3,))
    rows = list(load_workbook(base / "汇总.xlsx", read_only=True)["文件清单"].iter_rows(values_only=True))
    assert rows[3][3] == "未采用"
    assert rows[3][4].startswith("文件「第一中学 回表.xls」实际上不是 Excel 文件（是Word 文档）")


def test_a_zip_of_thousands_of_parts_is_refused_unopened(tmp_path: Path, good_master: Path) -> None:
    """wpx parse looks for a 台账's _meta in the main process: not in a zip directory longer than a
    台账 has (the child that reads it as a spreadsheet refuses it)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(good_master) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for n in range(2500):
            target.writestr(f"customXml/item{n}.xml", "<a/>")
    plan = tmp_path / "外来 文件" / "台账 副本.xlsx"
    plan.parent.mkdir()
    plan.write_bytes(buffer.getvalue())
    result = run("parse", plan)
    assert (result.exit_code, result.output) == (
        2, f"错误：「{plan.name}」结构异常（{2500 + len(zipfile.ZipFile(good_master).infolist())} 个部件），为安全起见未读取："
           "请在 Excel/WPS 中打开后另存为 .xlsx 再试。\n")
