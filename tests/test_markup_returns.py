"""Returns in the markup kinds calamine does not read — Excel 2003 XML, flat ODS, Excel/LibreOffice web
pages — are read through the worker like any .xlsx (wpx collect, exact sentences and exit codes):
real files written by LibreOffice from a filled form, files of our own with the odd traits of other
writers, and hostile ones (entity bombs, huge declared repeats, deep nesting, cut-off files)."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from detail_sheet import detail_values
from markup_files import fods, frame_export, spreadsheetml, web_archive, web_page
from openpyxl import load_workbook
from test_returns import fill, make_forms, make_plan

from workplan_xl.cli import cli
from workplan_xl.form_layout import SHEET_INDICATORS
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook
from workplan_xl.returns import inspect_bytes

# What the filled form of 1001 holds (test_returns.default_answers), as 明细 shows it (a row per item)
WANTED = [("一.1", "完成状态", "已完成"), ("一.1", "进展情况", "1001课后服务全覆盖"), ("一.1", "完成时间", "2024-05-20"),
          ("一.2", "完成状态", "推进中"), ("一.2", "进展情况", "1001完成春季排查"), ("一.2", "佐证材料", "排查台账"),
          ("二.1", "完成状态", "未启动"), ("二.1", "备注", "1001下半年开展"), ("I001", "填报值", 96), ("I002", "填报值", 80)]
RESEND = "请用 Excel 或 WPS 打开下发的填报表，填写后另存为 .xlsx 再发送。"


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("markup") / "督导室 2024"
    base.mkdir()
    master = write_master_workbook(make_plan(units=4), base / "台账.xlsx")
    forms = make_forms(read_master_workbook(master), base / "填报表")
    return master, fill(forms["1001"], base / "1001.xlsx")


def _project(year: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "项目 目录"
    (project / "回表 收到的").mkdir(parents=True)
    shutil.copy(year[0], project / "台账.xlsx")
    return project / "台账.xlsx", project / "回表 收到的"


def _rows(path: Path, sheet: str) -> list[tuple]:
    return [tuple(r) for r in load_workbook(path, read_only=True)[sheet].iter_rows(min_row=4, values_only=True)]


def _collect(master: Path, returns: Path):
    return CliRunner().invoke(cli, ["collect", str(master), str(returns)])


def assert_read_as_1001(master: Path, name: str, identified: str = "按隐藏信息识别") -> None:
    """The unit is 已报 from the file ``name``, with the form's values in 明细 and in the ledger."""
    out = master.parent / "汇总.xlsx"
    status = {r[0]: r for r in _rows(out, "报送情况")}
    assert status["1001"][3:7] == ("已报", status["1001"][4], name, identified)
    details = [value[1:] for value in detail_values(out).elements() if value[0] == "1001"]  # row by row, column by column
    assert details == WANTED
    assert {r[-1] for r in _rows(out, "明细")} == {name}
    with sqlite3.connect(master.with_suffix(".db")) as db:
        stored = db.execute('SELECT item_id, field, value FROM "values" JOIN submissions s ON s.id = submission_id'
                            " WHERE s.file_name = ? AND s.status = 'accepted' ORDER BY item_id, field", (name,)).fetchall()
    assert ("I001", "value", "96") in stored and ("T001", "status", "已完成") in stored and len(stored) == len(WANTED)


# -- files of our own making -----------------------------------------------------------------------
@pytest.mark.parametrize(("name", "make", "kind"), [
    ("第一中学 2003格式.xml", spreadsheetml, "xml2003"),
    ("第一中学 回表.xls", spreadsheetml, "xml2003"),  # renamed .xls, as schools do
    ("第一中学 单文件.fods", fods, "fods"),
    ("第一中学 网页.htm", web_page, "html"),
    ("第一中学 网页 GBK.xls", lambda x: web_page(x, "gb2312"), "html"),
    ("第一中学 单个文件网页.mht", web_archive, "html"),
])
def test_a_return_in_markup_is_read_like_an_xlsx(year, tmp_path: Path, name: str, make, kind: str) -> None:
    master, returns = _project(year, tmp_path)
    (returns / name).write_bytes(make(year[1]))
    result = _collect(master, returns)
    assert result.exit_code == 0, result.output
    assert "已报 1 个" in result.output
    assert_read_as_1001(master, name)
    with sqlite3.connect(master.with_suffix(".db")) as db:
        assert db.execute("SELECT kind FROM submissions").fetchall() == [(kind,)]


SPREADSHEETML = ('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-'
                 'microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" '
                 'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:html="http://www.w3.org/TR/REC-html40">'
                 '<ss:Worksheet ss:Name="表 一"><Table>'
                 '<Row><Cell ss:MergeAcross="2"><Data ss:Type="String">标题</Data></Cell><Cell><Data ss:Type="Number">'
                 '1.5</Data></Cell></Row>'
                 '<Row ss:Index="3"><Cell ss:Index="2" ss:MergeDown="1"><ss:Data ss:Type="String" xmlns="http://www.w3.org/'
                 'TR/REC-html40"><B>加</B><Font html:Color="#FF0000">粗</Font>的字</ss:Data><Comment><ss:Data>批注'
                 '</ss:Data></Comment></Cell><Cell><Data ss:Type="DateTime">2024-05-20T00:00:00.000</Data></Cell>'
                 '<Cell><Data ss:Type="DateTime">2024-05-20T08:30:00.000</Data></Cell><Cell><Data ss:Type="Boolean">1'
                 '</Data></Cell><Cell ss:Index="9"><Data ss:Type="String">两行&#10;文字</Data></Cell></Row>'
                 '<Row ss:Span="2"/><Row><Cell><Data ss:Type="Number">-7</Data></Cell><Cell/></Row>'
                 '</Table></ss:Worksheet><Worksheet ss:Name="_meta"><Table><Row><Cell><Data ss:Type="String">schema'
                 '</Data></Cell></Row></Table><WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>'
                 'SheetVeryHidden</Visible></WorksheetOptions></Worksheet><Worksheet ss:Name="隐藏"><x:WorksheetOptions>'
                 '<x:Visible>SheetHidden</x:Visible></x:WorksheetOptions></Worksheet></Workbook>').encode()


def test_spreadsheetml_cells_land_where_excel_shows_them() -> None:
    read = inspect_bytes(SPREADSHEETML)
    assert read["status"] == "read" and read["kind"] == "xml2003"
    first, meta, hidden = read["sheets"]
    assert first == {"name": "表 一", "visible": "visible", "truncated": False,
                     "merged": [[0, 0, 0, 2], [2, 1, 3, 1]],
                     "rows": [["标题", "", "", 1.5], [], ["", "加粗的字", "2024-05-20", "2024-05-20T08:30:00", True, "", "", "",
                                                       "两行\n文字"], [], [], [], [-7.0]]}
    assert (meta["name"], meta["visible"], meta["rows"]) == ("_meta", "veryhidden", [["schema"]])
    assert (hidden["name"], hidden["visible"], hidden["rows"]) == ("隐藏", "hidden", [])
    # WPS may declare GB2312 (expat reads no multi-byte encoding but UTF-8/16); UTF-16 with a BOM too
    gbk = SPREADSHEETML.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="GB2312"?>')
    assert inspect_bytes(gbk.encode("gb18030"))["sheets"] == read["sheets"]
    utf16 = SPREADSHEETML.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    assert inspect_bytes(utf16.encode("utf-16"))["sheets"] == read["sheets"]


FODS_ODD = ('<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:'
            'opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:automatic-styles><style:style '
            'style:name="ta9" style:family="table"><style:table-properties table:display="false"/></style:style>'
            '</office:automatic-styles><office:body><office:spreadsheet><table:table table:name="甲">'
            '<table:table-row><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="2" '
            'office:value-type="string"><text:p>第一段</text:p><text:p>第<text:span>二</text:span>段<text:s text:c="3"/>'
            'a<text:tab/>b<text:line-break/>c</text:p></table:table-cell><table:covered-table-cell/><table:table-cell '
            'office:value-type="percentage" office:value="0.96"><text:p>96%</text:p></table:table-cell></table:table-row>'
            '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/>'
            '<table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>'
            '</table:table-row><table:table-row><table:table-cell office:value-type="date" office:date-value='
            '"2024-05-20"><text:p>5月20日</text:p></table:table-cell><table:table-cell office:value-type="boolean" '
            'office:boolean-value="false"><text:p>FALSE</text:p></table:table-cell><table:table-cell><text:p>无类型'
            '<office:annotation><text:p>批注</text:p></office:annotation></text:p></table:table-cell></table:table-row>'
            '<table:table-row table:number-rows-repeated="1048571"><table:table-cell table:number-columns-repeated='
            '"16384"/></table:table-row></table:table><table:table table:name="_meta" table:style-name="ta9">'
            '<table:table-row><table:table-cell office:value-type="string"><text:p>schema</text:p></table:table-cell>'
            '</table:table-row></table:table></office:spreadsheet></office:body></office:document>').encode()


def test_fods_repeats_spans_and_paragraphs() -> None:
    read = inspect_bytes(FODS_ODD)
    assert read["status"] == "read" and read["kind"] == "fods"
    first, meta = read["sheets"]
    assert first == {"name": "甲", "visible": "visible", "truncated": False, "merged": [[0, 0, 1, 1]],
                     "rows": [["第一段\n第二段   a\tb\nc", "", 0.96], ["", "", 3.0], ["", "", 3.0],
                              ["2024-05-20", False, "无类型"]]}
    assert (meta["name"], meta["visible"], meta["rows"]) == ("_meta", "hidden", [["schema"]])


WEB = ('<html><body><p>说明文字</p><table><tr><td colspan="2" rowspan="2">合并<br>两行</td><td x:num="0.96">96%</td>'
       '<td sdval="12" sdnum="2052;">12</td><td x:num>1,200</td><td x:num="45432">2024-05-20</td><td x:bool="TRUE">TRUE'
       '</td></tr><tr><td>&nbsp; 第二&amp;行 </td><td><table><tr><td>里</td><td>层</td></tr></table></td></tr>'
       '<tr><td rowspan="99">长</td><td>甲</td></tr><tr><td>乙</td></tr></table>'
       '<h1>Sheet 2: <em>第二张</em></h1><table><tr><th>表头</th></tr></table></body></html>').encode()


def test_web_page_tables_spans_and_numbers() -> None:
    read = inspect_bytes(b'<html xmlns:x="urn:schemas-microsoft-com:office:excel">' + WEB[6:])
    assert read["status"] == "read" and read["kind"] == "html"
    first, second = read["sheets"]
    assert first == {"name": "表1", "visible": "visible", "truncated": False,
                     "merged": [[0, 0, 1, 1], [2, 0, 3, 0]],
                     "rows": [["合并\n两行", "", 0.96, 12.0, 1200.0, "2024-05-20", True], ["", "", "第二&行", "里 层"],
                              ["长", "甲"], ["", "乙"]]}
    assert (second["name"], second["rows"]) == ("第二张", [["表头"]])


# -- real files: LibreOffice writes them from a filled form ------------------------------------------
def lo_to(soffice: str, source: Path, fmt: str, outdir: Path) -> Path:
    from conftest import convert

    return convert(soffice, source, fmt, outdir)


def lo_spreadsheetml(soffice: str, xlsx: Path, outdir: Path) -> Path:
    """LibreOffice's own "MS Excel 2003 XML" export. Its XSLT recurses once per repeated column and
    gives up (writes nothing) on a form's 16,000 repeated blank columns, and expands a million blank
    rows: so the form goes through LibreOffice's flat ODS first, with the blank runs past the form
    cut down, and LibreOffice writes the 2003 XML from that."""
    flat = lo_to(soffice, xlsx, "fods", outdir / "fods")
    text = flat.read_text(encoding="utf-8")
    text = re.sub(r' table:number-(?:columns|rows)-repeated="\d{4,}"', "", text)
    trimmed = outdir / "trimmed" / (xlsx.stem + ".fods")
    trimmed.parent.mkdir(parents=True)
    trimmed.write_text(text, encoding="utf-8")
    return lo_to(soffice, trimmed, "xml:MS Excel 2003 XML", outdir / "xml")


@pytest.mark.libreoffice
@pytest.mark.parametrize(("fmt", "name", "identified"), [
    ("fods", "第一中学 另存.fods", "按隐藏信息识别"), ("xml", "第一中学 另存 2003.xml", "按隐藏信息识别"),
    # LibreOffice's web page leaves out hidden sheets and columns (_meta, 任务ID, 指标ID): the unit comes
    # from the unit line, the rows from 任务编号 and the 指标 column, as for any re-saved return
    ("html:HTML (StarCalc)", "第一中学 另存网页.xls", "按表内单位代码识别")])
def test_libreoffice_markup_returns_are_read(year, tmp_path: Path, soffice: str, fmt: str, name: str,
                                             identified: str) -> None:
    master, returns = _project(year, tmp_path)
    written = (lo_spreadsheetml(soffice, year[1], tmp_path / "lo") if fmt == "xml"
               else lo_to(soffice, year[1], fmt, tmp_path / "lo"))
    shutil.copy(written, returns / name)
    result = _collect(master, returns)
    assert result.exit_code == 0, result.output
    assert_read_as_1001(master, name, identified)  # LibreOffice keeps _meta in .fods (hidden) and 2003 XML
    _validate(master.parent / "汇总.xlsx")


def _validate(path: Path) -> None:
    from test_ooxml import _validator  # skips locally without ../shared, fails in CI

    run = subprocess.run([sys.executable, str(_validator()), str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert ", 0 errors, 0 warnings" in run.stdout, run.stdout[-3000:]


# -- hostile and broken ----------------------------------------------------------------------------
BOMB_2003 = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
             '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><?mso-application progid="Excel.Sheet"?><Workbook xmlns='
             '"urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell><Data>&c;</Data></Cell></Row>'
             '</Table></Worksheet></Workbook>').encode()
FODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document xmlns:office="urn:oasis:names:tc:opendocument:'
             'xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:'
             'names:tc:opendocument:xmlns:table:1.0" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
             '<office:body><office:spreadsheet><table:table table:name="表">{rows}</table:table></office:spreadsheet>'
             '</office:body></office:document>')
BOMB_FODS = FODS_HEAD.format(doctype='<!DOCTYPE d [<!ENTITY a "啊啊啊啊"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
                             rows='<table:table-row><table:table-cell office:value-type="string"><text:p>&b;</text:p>'
                                  "</table:table-cell></table:table-row>").encode()
BILLION_ROWS = FODS_HEAD.format(doctype="", rows='<table:table-row table:number-rows-repeated="1000000000"><table:table-'
                                'cell office:value-type="string"><text:p>已完成</text:p></table:table-cell>'
                                "</table:table-row>").encode()
WIDE_REPEAT = FODS_HEAD.format(doctype="", rows='<table:table-row><table:table-cell table:number-columns-repeated='
                               '"200000000" office:value-type="float" office:value="1"/></table:table-row>').encode()
SPACES = FODS_HEAD.format(doctype="", rows='<table:table-row><table:table-cell office:value-type="string"><text:p>'
                          '完成<text:s text:c="200000000"/>状态</text:p></table:table-cell></table:table-row>').encode()
FAR_ROW = ('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-'
           'microsoft-com:office:spreadsheet"><Worksheet ss:Name="任务进展"><Table><Row><Cell ss:Index="16384"><Data '
           'ss:Type="String">完成状态</Data></Cell></Row><Row ss:Index="1000000"><Cell><Data ss:Type="String">x</Data>'
           "</Cell></Row></Table></Worksheet></Workbook>").encode()
NESTED = ("<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body>" + "<table><tr><td>" * 10000 + "深"
          + "</td></tr></table>" * 10000 + "</body></html>").encode()


def _sentence(name: str, code: str, detail: str = "") -> str:
    return {
        "entities": f"文件「{name}」含有不安全的内容（XML 实体声明，位于 文件开头），为安全起见未读取",
        "extent": f"文件「{name}」的工作表声称有极大的范围（{detail}），为安全起见未读取",
        "truncated": f"文件「{name}」不完整（可能下载或复制中断）",
        "foreign": f"文件「{name}」不是本次下发的填报表（找不到「任务进展」或「指标填报」表）",
    }[code]


def test_hostile_markup_returns_end_in_one_sentence_each(year, tmp_path: Path) -> None:
    master, returns = _project(year, tmp_path)
    whole_2003, whole_fods = spreadsheetml(year[1]), fods(year[1])
    files = {
        "实体 炸弹.xml": (BOMB_2003, "entities", ""),
        "实体 炸弹.fods": (BOMB_FODS, "entities", ""),
        "十亿行.fods": (BILLION_ROWS, "extent", "1000000000 行 × 1 列"),
        "两亿列.fods": (WIDE_REPEAT, "extent", "1 行 × 200000000 列"),
        "远处.xml": (FAR_ROW, "extent", "任务进展: 1000000 行 × 16384 列"),
        "两亿空格.fods": (SPACES, "foreign", ""),
        "半截 2003.xml": (whole_2003[:len(whole_2003) // 2], "truncated", ""),
        "半截.fods": (whole_fods[:len(whole_fods) // 2], "truncated", ""),
        "一万层.htm": (NESTED, "foreign", ""),
        # a web page that ends inside a table was cut off (was: what is there is read, and a cut-off page then
        # displaced the school's whole return with fewer values; found by fuzzing)
        "半截 网页.xls": (web_page(year[1])[:2000], "truncated", ""),
    }
    for name, (data, _, _) in files.items():
        (returns / name).write_bytes(data)
    result = _collect(master, returns)
    assert result.exit_code == 3, result.output
    problems = {r[0]: (r[3], r[4]) for r in _rows(master.parent / "汇总.xlsx", "问题清单")}
    assert set(problems) == set(files)
    for name, (_, code, detail) in files.items():
        assert problems[name][0] == _sentence(name, code, detail), name
        if code != "foreign":
            assert problems[name][1].startswith(RESEND if code != "truncated" else "请重新发送。"), name
    fates = {r[0]: r[3] for r in _rows(master.parent / "汇总.xlsx", "文件清单")}
    assert set(fates.values()) == {"未采用"}


# -- rosters in the same kinds; Apple Numbers in every role ---------------------------------------------
ROSTER_ROWS = [["填报单位名单"], [], ["代码", "名称", "类型"], [1001, "第一中学", "学校"], ["0012", "城关幼儿园", "幼儿园"]]


def _roster_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in ROSTER_ROWS:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize(("name", "make"), [("名单 2003.xml", spreadsheetml), ("名单.fods", fods), ("名单 网页.xls", web_page)])
def test_rosters_in_markup_are_read(tmp_path: Path, name: str, make) -> None:
    roster = tmp_path / "名 单" / name
    roster.parent.mkdir()
    roster.write_bytes(make(_roster_xlsx(tmp_path / "名单.xlsx")))
    plan = ROOT / "workplan_xl" / "examples" / "plan_2025.txt"
    result = CliRunner().invoke(cli, ["build", str(plan), "--units", str(roster), "-o", str(tmp_path / "台账.xlsx")])
    assert result.exit_code == 0, result.output
    units = read_master_workbook(tmp_path / "台账.xlsx").units
    assert [(u.code, u.name, u.type) for u in units] == [("1001", "第一中学", "学校"), ("0012", "城关幼儿园", "幼儿园")]


def _numbers_zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return buffer.getvalue()


NUMBERS_DOC = _numbers_zip({"Index/Document.iwa": b"\x00\x01\x02", "Index/Tables/DataList-1.iwa": b"\x00",
                            "Metadata/DocumentIdentifier": b"0F0E"})
NUMBERS_WHOLE = _numbers_zip({"Index.zip": NUMBERS_DOC, "Metadata/Properties.plist": b"<plist/>",
                              "preview.jpg": b"\xff\xd8\xff\xe0"})
EXPORT = "请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后重新报送。"


def test_numbers_returns_are_named_not_unpacked(year, tmp_path: Path) -> None:
    master, returns = _project(year, tmp_path)
    (returns / "第二中学 统计.numbers").write_bytes(NUMBERS_DOC)
    (returns / "第一中学 打包.numbers").write_bytes(NUMBERS_WHOLE)  # a package zipped whole: Index.zip inside
    package = returns / "实验小学 文件夹.numbers"  # a package as macOS keeps it: a folder
    for member, data in {"Index.zip": NUMBERS_DOC, "Metadata/Properties.plist": b"<plist/>",
                         "preview.jpg": b"\xff\xd8\xff\xe0", "Data/图片-1.png": b"\x89PNG\r\n"}.items():
        (package / member).parent.mkdir(parents=True, exist_ok=True)
        (package / member).write_bytes(data)
    result = _collect(master, returns)
    assert result.exit_code == 3, result.output
    out = master.parent / "汇总.xlsx"
    names = ["实验小学 文件夹.numbers", "第一中学 打包.numbers", "第二中学 统计.numbers"]
    problems = {r[0]: r[3:5] for r in _rows(out, "问题清单")}
    assert sorted(problems) == sorted(names)
    for name in names:
        assert problems[name][0] == f"文件「{name}」是Apple Numbers 表格，无法直接读取"
        assert problems[name][1].startswith(EXPORT)
    files = {r[0]: r[3] for r in _rows(out, "文件清单")}
    assert files == dict.fromkeys(names, "未采用")  # the folder is one file, its parts are not listed
    states = {r[0]: r[3] for r in _rows(out, "报送情况")}
    assert states == {"1001": "有问题", "1002": "有问题", "1003": "有问题", "1004": "未报"}  # each sent one
    again = _collect(master, returns)  # the same folder package is known on the next run
    assert again.exit_code == 3 and "新读入 0 个，已登记过 3 个" in again.output


def test_numbers_as_roster_and_as_master_is_one_sentence(year, tmp_path: Path) -> None:
    roster = tmp_path / "名单 苹果.numbers"
    roster.write_bytes(NUMBERS_DOC)
    plan = ROOT / "workplan_xl" / "examples" / "plan_2025.txt"
    result = CliRunner().invoke(cli, ["build", str(plan), "--units", str(roster), "-o", str(tmp_path / "台账.xlsx")])
    assert result.exit_code == 2
    assert result.output == ("错误：填报单位名单「名单 苹果.numbers」是Apple Numbers 表格，无法直接读取：请在 Numbers 中选择"
                             "“文件 → 导出为 → Excel”，存为 .xlsx 后再试。\n")
    (tmp_path / "回表").mkdir()
    for command in (["forms", str(roster), "-o", str(tmp_path / "表")], ["collect", str(roster), str(tmp_path / "回表")]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2
        assert result.output == ("错误：「名单 苹果.numbers」是Apple Numbers 表格，不能直接作为台账读取：请在 Numbers 中选择"
                                 "“文件 → 导出为 → Excel”，存为 .xlsx 后再试。\n")


# -- .xlsb, WPS .et and CSV returns ------------------------------------------------------------------
def test_xlsb_and_et_returns_are_read(year, tmp_path: Path) -> None:
    """.xlsb written by a real XLSB writer (pyxlsbwriter: LibreOffice cannot write .xlsb), the _meta
    sheet hidden; WPS's .et is an .xlsx or .xls under another name."""
    pyxlsbwriter = pytest.importorskip("pyxlsbwriter")
    master, returns = _project(year, tmp_path)
    workbook = load_workbook(year[1])
    with pyxlsbwriter.XlsbWriter(str(returns / "第一中学 二进制.xlsb")) as writer:
        for sheet in workbook.worksheets:
            writer.add_sheet(sheet.title, hidden=sheet.sheet_state != "visible")
            writer.write_sheet([[c.value for c in row] for row in sheet.iter_rows()])
    forms = make_forms(read_master_workbook(master), tmp_path / "填报表")
    fill(forms["1002"], returns / "第二中学 WPS表格.et")
    result = _collect(master, returns)
    assert result.exit_code == 0, result.output
    out = master.parent / "汇总.xlsx"
    states = {r[0]: r[3:7] for r in _rows(out, "报送情况")}
    assert states["1001"][0] == states["1002"][0] == "已报"
    assert (states["1001"][2], states["1002"][2]) == ("第一中学 二进制.xlsb", "第二中学 WPS表格.et")
    assert [value[1:] for value in detail_values(out).elements() if value[0] == "1001"] == WANTED
    assert _rows(out, "问题清单") == []
    with sqlite3.connect(master.with_suffix(".db")) as db:
        kinds = dict(db.execute("SELECT file_name, kind FROM submissions"))
    assert (kinds["第一中学 二进制.xlsb"], kinds["第二中学 WPS表格.et"]) == ("xlsb", "xlsx")


# LibreOffice's CSV filter: comma, double quote, UTF-8 (76), from line 1, …, the form's second sheet (任务进展)
LO_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2"
CSV_RESEND = "请用 Excel 或 WPS 打开下发的填报表，填写后直接保存为 .xlsx 再发送（不要另存为 CSV；重新发送的回表会替换这一份）。"


def _lo_text_export(soffice: str, source: Path, filter: str, folder: Path) -> str:
    """The text LibreOffice's CSV/text filter makes of ``source`` (UTF-8), in its own profile."""
    folder.mkdir()
    subprocess.run([soffice, f"-env:UserInstallation={(folder / '.lo').as_uri()}", "--headless", "--norestore",
                    "--convert-to", filter, "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    [exported] = [p for p in folder.iterdir() if p.is_file()]
    return exported.read_text(encoding="utf-8")


def _unicode_text_indicators(master: Path, tmp_path: Path) -> bytes:
    """School 1002's filled 指标填报 sheet as Excel's "Unicode 文本" saves it: UTF-16, tab-separated."""
    forms = make_forms(read_master_workbook(master), tmp_path / "填报表")
    filled = load_workbook(fill(forms["1002"], tmp_path / "1002.xlsx"))[SHEET_INDICATORS]
    lines = ["\t".join("" if c.value is None else str(c.value) for c in row) for row in filled.iter_rows()]
    return "\r\n".join(lines).encode("utf-16")


def test_a_csv_return_counts_its_one_sheet_and_the_lost_table_is_blank(year, tmp_path: Path, soffice: str) -> None:
    """"另存为 CSV" keeps the sheet on screen: its values count, the unit is 部分填报 for the table the CSV
    lost, and the school is told to send the workbook. Made by LibreOffice's CSV filter, then kept as
    Excel on Chinese Windows writes it (GBK) with Excel for Mac's CR-only line ends; and a UTF-16
    tab-separated 指标填报 sheet ("Unicode 文本") under a .csv name. A note beside them stays a note."""
    master, returns = _project(year, tmp_path)
    text = _lo_text_export(soffice, year[1], LO_CSV, tmp_path / "导出 CSV").replace("\r\n", "\n").replace("\n", "\r")
    (returns / "第一中学 另存为.csv").write_bytes(text.encode("gb18030"))
    (returns / "第二中学 指标.csv").write_bytes(_unicode_text_indicators(master, tmp_path))
    (returns / "说明.txt").write_text("佐证材料另行报送，特此说明。", encoding="utf-8")
    result = _collect(master, returns)
    assert result.exit_code == 3, result.output
    assert "部分填报 2 个" in result.output
    out = master.parent / "汇总.xlsx"
    states = {r[0]: r[3:7] for r in _rows(out, "报送情况")}
    assert states["1001"][0] == states["1002"][0] == "部分填报"
    assert (states["1001"][2], states["1002"][2]) == ("第一中学 另存为.csv", "第二中学 指标.csv")
    # every task cell the school typed is in 明细, as the CSV keeps it (a date stays the text shown)
    assert [v[1:] for v in detail_values(out).elements() if v[0] == "1001"] == [w for w in WANTED if not w[0].startswith("I")]
    assert [v[1:] for v in detail_values(out).elements() if v[0] == "1002"] == [("I001", "填报值", 96), ("I002", "填报值", 80)]
    problems = {(r[0], r[2]): r[3:5] for r in _rows(out, "问题清单")}
    assert problems[("第一中学 另存为.csv", "整个文件")] == (
        "文件「第一中学 另存为.csv」是另存为的 CSV 文本，只保留了「任务进展」一张表：其中的内容已计入，「指标填报」表没有保留，按未填处理",
        CSV_RESEND)
    assert problems[("第二中学 指标.csv", "整个文件")] == (
        "文件「第二中学 指标.csv」是另存为的 CSV 文本，只保留了「指标填报」一张表：其中的内容已计入，「任务进展」表没有保留，按未填处理",
        CSV_RESEND)
    assert problems[("第一中学 另存为.csv", "指标「课后服务覆盖率」")][0] == (
        "部分填报：2 处必填内容未填（指标「课后服务覆盖率」（CSV 中没有「指标填报」表）、指标「培训教师人数」（CSV 中没有"
        "「指标填报」表）），这些任务或指标按未填处理")
    assert problems[("第二中学 指标.csv", "任务「推进课后服务提质」")][0].startswith("部分填报：3 处必填内容未填（")
    files = {r[0]: r[2:] for r in _rows(out, "文件清单")}
    assert files["说明.txt"][1:] == ("跳过", "不是电子表格（是文本）")
    assert files["第一中学 另存为.csv"][1] == files["第二中学 指标.csv"][1] == "采用"
    with sqlite3.connect(master.with_suffix(".db")) as db:
        kinds = dict(db.execute("SELECT file_name, kind FROM submissions"))
    assert kinds["第一中学 另存为.csv"] == kinds["第二中学 指标.csv"] == "csv"


LO_TAB_TEXT = "txt:Text - txt - csv (StarCalc):9,34,76,1,,0,false,true,false,false,false,2"  # tabs, the 任务进展 sheet


def test_a_form_saved_as_tab_separated_text_is_read_and_a_note_is_not(year, tmp_path: Path, soffice: str) -> None:
    """Excel's "文本文件（制表符分隔）" (GBK on Chinese Windows) and "Unicode 文本" (UTF-16) save the sheet on
    screen as .txt: read like a CSV (its sheet counts, the other is blank). A .txt note, even one with tabs,
    stays a note."""
    master, returns = _project(year, tmp_path)
    text = _lo_text_export(soffice, year[1], LO_TAB_TEXT, tmp_path / "导出 文本")
    (returns / "第一中学 文本.txt").write_bytes(text.encode("gb18030"))
    (returns / "第二中学 Unicode.txt").write_bytes(_unicode_text_indicators(master, tmp_path))
    (returns / "说明.txt").write_text("附件\t佐证材料\t另行报送\n指标\t见表\t完成状态\n", encoding="utf-8")
    result = _collect(master, returns)
    assert result.exit_code == 3, result.output
    out = master.parent / "汇总.xlsx"
    states = {r[0]: r[3:7] for r in _rows(out, "报送情况")}
    assert (states["1001"][0], states["1001"][2]) == ("部分填报", "第一中学 文本.txt")
    assert (states["1002"][0], states["1002"][2]) == ("部分填报", "第二中学 Unicode.txt")
    assert [v[1:] for v in detail_values(out).elements() if v[0] == "1001"] == [w for w in WANTED if not w[0].startswith("I")]
    assert [v[1:] for v in detail_values(out).elements() if v[0] == "1002"] == [("I001", "填报值", 96), ("I002", "填报值", 80)]
    problems = {(r[0], r[2]): r[3:5] for r in _rows(out, "问题清单")}
    assert problems[("第一中学 文本.txt", "整个文件")] == (
        "文件「第一中学 文本.txt」是另存为的文本文件（制表符分隔），只保留了「任务进展」一张表：其中的内容已计入，「指标填报」表没有保留，"
        "按未填处理", CSV_RESEND)
    files = {r[0]: r[2:] for r in _rows(out, "文件清单")}
    assert files["说明.txt"][1:] == ("跳过", "不是电子表格（是文本）")


def test_a_csv_that_is_not_a_form_or_not_csv_is_named(year, tmp_path: Path) -> None:
    master, returns = _project(year, tmp_path)
    (returns / "名单.csv").write_bytes("代码,名称\n1001,第一中学\n".encode("utf-8-sig"))
    (returns / "超长.csv").write_bytes(b"a,b\n1," + b"x" * 200_000 + b"\n")  # one cell beyond the csv module's field limit
    result = _collect(master, returns)
    assert result.exit_code == 3, result.output
    problems = {r[0]: (r[3], r[4].split("（原文件已复制到隔离区")[0]) for r in _rows(master.parent / "汇总.xlsx", "问题清单")}
    assert problems["名单.csv"] == ("文件「名单.csv」不是本次下发的填报表（找不到「任务进展」或「指标填报」表）",
                                  "请用下发的填报表重新填写后发送。")
    assert problems["超长.csv"] == ("文件「超长.csv」无法按 CSV 文本读取（格式不规范，或某一格的内容过长）", CSV_RESEND)


def test_an_excel_frame_page_is_named_and_its_folder_accounted_for(year, tmp_path: Path) -> None:
    """Excel's multi-sheet 网页: the frame page has no table (the sheets are files of its .files folder);
    it is named with what to do, and each file of the folder is listed as skipped, never read as a return
    of its own (a sheet file alone would be half a return)."""
    master, returns = _project(year, tmp_path)
    written = frame_export(year[1], returns, "第一中学 网页")
    result = _collect(master, returns)
    assert result.exit_code == 3, result.output
    out = master.parent / "汇总.xlsx"
    [problem] = _rows(out, "问题清单")
    assert problem[3] == "文件「第一中学 网页.htm」是Excel“网页”的主页面（各工作表在同名的 .files 文件夹里），无法直接读取"
    assert problem[4].startswith("请用 Excel 或 WPS 打开，另存为 .xlsx 后重新报送。")
    files = {r[0]: (r[1], r[3], r[4]) for r in _rows(out, "文件清单")}
    assert set(files) == {p.name for p in written}
    for path in written[1:]:
        assert files[path.name] == ("第一中学 网页.files", "跳过", "Excel“网页”「第一中学 网页」的附属文件（各工作表、样式），随主页面一起处理")
    assert {r[0]: r[3] for r in _rows(out, "报送情况")}["1001"] == "有问题"


@pytest.mark.parametrize(("name", "data", "sentence"), [
    ("名单 炸弹.xml", BOMB_2003, "填报单位名单「名单 炸弹.xml」含有不安全的内容（XML 实体声明，位于 文件开头），为安全起见未读取："
                              "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"),
    ("名单 十亿行.fods", BILLION_ROWS, "填报单位名单「名单 十亿行.fods」的工作表声称有极大的范围（1000000000 行 × 1 列），"
                                   "为安全起见未读取：请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"),
])
def test_hostile_markup_rosters_are_one_sentence(tmp_path: Path, name: str, data: bytes, sentence: str) -> None:
    roster = tmp_path / name
    roster.write_bytes(data)
    plan = ROOT / "workplan_xl" / "examples" / "plan_2025.txt"
    result = CliRunner().invoke(cli, ["build", str(plan), "--units", str(roster), "-o", str(tmp_path / "台账.xlsx")])
    assert result.exit_code == 2
    assert result.output == f"错误：{sentence}\n"


def test_a_csv_is_read_up_to_the_row_cap_only() -> None:
    # ten million one-cell rows (20 MB): the reader stops at the cap instead of making them all
    result = inspect_bytes(b"1\n" * 10_000_000, name="很长.csv")
    [sheet] = result["sheets"]
    assert (result["kind"], sheet["truncated"], len(sheet["rows"])) == ("csv", True, 5000)
    assert inspect_bytes(b"1\n" * 10, name="notes.txt")["detail"] == "文本"  # named as a note: not a table


def test_a_csv_copy_sent_after_the_workbook_does_not_replace_it(year, tmp_path: Path) -> None:
    """A CSV keeps one of the form's two sheets: sent after the unit's workbook (a second export, a copy for
    someone), it would leave the workbook's indicators blank. The workbook stays current, whatever the times;
    a CSV alone is still used, and the officer can still --pin the CSV."""
    master, returns = _project(year, tmp_path)
    workbook = returns / "第一中学.xlsx"
    shutil.copy(year[1], workbook)
    rows = [[c.value for c in row] for row in load_workbook(year[1])["任务进展"].iter_rows()]
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in r] for r in rows])
    copy = returns / "第一中学 另存一份.csv"
    copy.write_text(text.getvalue(), encoding="utf-8-sig")
    os.utime(workbook, (1_750_000_000, 1_750_000_000))
    os.utime(copy, (1_750_090_000, 1_750_090_000))  # a day later
    result = _collect(master, returns)
    assert result.exit_code == 0, result.output
    out = master.parent / "汇总.xlsx"
    states = {r[0]: r[3:6] for r in _rows(out, "报送情况")}
    assert (states["1001"][0], states["1001"][2]) == ("已报", "第一中学.xlsx")
    files = {r[0]: r[3] for r in _rows(out, "文件清单")}
    assert files == {"第一中学.xlsx": "采用", "第一中学 另存一份.csv": "被替代"}
    pinned = CliRunner().invoke(cli, ["collect", str(master), str(returns), "--pin", "1001=第一中学 另存一份.csv"])
    assert pinned.exit_code == 3, pinned.output
    states = {r[0]: r[3:6] for r in _rows(out, "报送情况")}
    assert (states["1001"][0], states["1001"][2]) == ("部分填报", "第一中学 另存一份.csv")


def test_a_file_an_older_reader_refused_is_read_again_after_an_upgrade(year, tmp_path: Path) -> None:
    """A CSV refused by a wpx before CSV returns were read: the next collect reads it again (the ledger
    keeps the old verdict, marked superseded), once; files read by this version are not read again."""
    master, returns = _project(year, tmp_path)
    shutil.copy(year[1], returns / "第一中学.xlsx")
    rows = [[c.value for c in row] for row in load_workbook(fill(
        make_forms(read_master_workbook(master), tmp_path / "填报表")["1002"], tmp_path / "1002.xlsx"))["任务进展"].iter_rows()]
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in r] for r in rows])
    (returns / "第二中学.csv").write_text(text.getvalue(), encoding="utf-8-sig")
    assert _collect(master, returns).exit_code == 3
    assert {r[0]: r[3] for r in _rows(master.parent / "汇总.xlsx", "报送情况")}["1002"] == "部分填报"
    db = master.with_suffix(".db")
    with sqlite3.connect(db) as conn:  # as the older version left it: the CSV refused, by readers of version 1
        conn.execute("UPDATE submissions SET status = 'rejected', reason = '旧版本：CSV 不作为回表读取', payload = '[]',"
                     " filled = 0, blank = '' WHERE file_name = '第二中学.csv'")
        conn.execute("DELETE FROM problems WHERE file = '第二中学.csv'")
        conn.execute("INSERT INTO problems (submission_id, file, unit, cell, problem, action) SELECT id, file_name,"
                     " unit_name, '整个文件', reason, '请另存为 .xlsx' FROM submissions WHERE file_name = '第二中学.csv'")
        conn.execute("UPDATE runs SET reader = 1")
    again = _collect(master, returns)
    assert again.exit_code == 3, again.output
    assert again.output.startswith("回表文件 2 个：新读入 1 个，已登记过 1 个，"), again.output
    out = master.parent / "汇总.xlsx"
    assert {r[0]: r[3] for r in _rows(out, "报送情况")}["1002"] == "部分填报"
    assert all("旧版本" not in str(r[3]) for r in _rows(out, "问题清单"))
    with sqlite3.connect(db) as conn:
        kept = conn.execute("SELECT status, reason, substr(sha256, 1, 8) FROM submissions WHERE file_name = '第二中学.csv'"
                            " ORDER BY id").fetchall()
    assert kept == [("superseded", "旧版本：CSV 不作为回表读取", "retired:"), ("accepted", "", kept[1][2])]
    third = _collect(master, returns)
    assert third.output.startswith("回表文件 2 个：新读入 0 个，已登记过 2 个，"), third.output


def test_a_return_without_meta_is_held_to_the_round_its_unit_line_shows(year, tmp_path: Path) -> None:
    # a CSV keeps no _meta, but the unit line keeps 报送批次: last year's CSV is not taken into this round
    master, returns = _project(year, tmp_path)
    forms = make_forms(read_master_workbook(master), tmp_path / "填报表")
    for code, shown in (("1001", "2023-年度"), ("1002", "2024-年度")):
        rows = [["" if c.value is None else c.value for c in row]
                for row in load_workbook(fill(forms[code], tmp_path / f"{code}.xlsx"))["任务进展"].iter_rows()]
        rows[1][0] = f"{rows[1][0]}　报送批次：{shown}"
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        (returns / f"{code} {shown}.csv").write_text(text.getvalue(), encoding="utf-8-sig")
    result = CliRunner().invoke(cli, ["collect", str(master), str(returns), "--round", "2024-年度"])
    assert result.exit_code == 3, result.output
    out = master.parent / "汇总_2024-年度.xlsx"
    states = {r[0]: (r[3], r[5]) for r in _rows(out, "报送情况")}
    assert states["1002"] == ("部分填报", "1002 2024-年度.csv") and states["1001"][0] == "有问题"
    problems = {r[0]: r[3:5] for r in _rows(out, "问题清单")}
    assert problems["1001 2023-年度.csv"][0] == "表内写的报送批次是「2023-年度」，本次收集的是「2024-年度」批次，未使用"
