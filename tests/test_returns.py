"""Reading returns: sniffing, pre-checks, worker processes, identifying the unit, reading values.

The helpers at the top (make_plan, make_forms, fill, hostile files) are shared with test_ledger,
test_collect and test_cli_collect, which import them from here."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hostile_files import biff2_worksheet, ole_file
from openpyxl import load_workbook

from workplan_xl.form_layout import HEADER_ROW, SHEET_INDICATORS, SHEET_META, SHEET_TASKS
from workplan_xl.plan import Indicator, Part, Plan, Section, Task, Unit
from workplan_xl.returns import (
    BY_FILE_NAME,
    BY_META,
    BY_SHEET_CODE,
    Limits,
    PlanIndex,
    Value,
    inspect_file,
    skip_reason,
    worker,
)
from workplan_xl.returns.interpret import interpret
from workplan_xl.returns.precheck import LIMITS, Refused, check_zip
from workplan_xl.returns.sniff import sniff
from workplan_xl.returns.values import FieldError, field_entry, field_value, normalise_status
from workplan_xl.returns.worker import inspect_bytes
from workplan_xl.unit_forms import write_unit_forms

# -- shared helpers ---------------------------------------------------------------------------------


def make_plan(units: int = 4, title: str = "某区教育局2024年工作要点", year: int = 2024) -> Plan:
    """A small plan of our own wording: two sections, three tasks, two indicators."""
    t1 = Task("T001", "1", "推进课后服务提质", "推进课后服务提质。一是丰富课程，二是加强管理。", deadline="6月底前")
    t2 = Task("T002", "2", "加强校园安全管理", "加强校园安全管理，开展隐患排查。", months=[3, 9])
    t3 = Task("T003", "1", "开展教师培训", "开展教师全员培训。")
    t1.indicators = [Indicator("I001", "课后服务覆盖率达到95%", "课后服务覆盖率", ">=", 95, "%", task="T001")]
    t3.indicators = [Indicator("I002", "培训教师不少于300人", "培训教师人数", ">=", 300, "人", task="T003")]
    names = ["第一中学", "第二中学", "实验小学", "城关幼儿园", "育才学校", "东城小学", "西城中学", "南湖小学"]
    roster = [Unit(str(1001 + i), names[i] if i < len(names) else f"第{i + 1}学校", "学校") for i in range(units)]
    return Plan(title=title, year=year, issuer="某区教育局", parts=[Part("plan", title, year, [
        Section("S01", "一", "办好人民满意教育", tasks=[t1, t2]),
        Section("S02", "二", "建设高素质教师队伍", tasks=[t3])])], units=roster)


def make_forms(plan: Plan, folder: Path, round: str = "") -> dict[str, Path]:
    """Forms written by the real unit_forms, keyed by unit code."""
    paths = write_unit_forms(plan, folder, round=round)
    return {p.name.split("_", 1)[0]: p for p in paths}


def default_answers(code: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    tasks = {"T001": {"完成状态": "已完成", "进展情况": f"{code}课后服务全覆盖", "完成时间": "2024-05-20"},
             "T002": {"完成状态": "推进中", "进展情况": f"{code}完成春季排查", "佐证材料": "排查台账"},
             "T003": {"完成状态": "未启动", "备注": f"{code}下半年开展"}}
    return tasks, {"I001": 96, "I002": 80}


def fill(form: Path, out: Path, tasks: dict[str, dict[str, Any]] | None = None,
         indicators: dict[str, Any] | None = None, as_text: bool = False, edit: Any = None) -> Path:
    """Fill a form with openpyxl as a school would: only the input cells, found by header.
    ``as_text`` stores text that starts with = as a string cell (as Excel does for text typed
    after an apostrophe), not as a formula."""
    code = form.name.split("_", 1)[0]
    default_tasks, default_indicators = default_answers(code)
    tasks = default_tasks if tasks is None else tasks
    indicators = default_indicators if indicators is None else indicators
    workbook = load_workbook(form)
    for name, answers, id_header, value_header in ((SHEET_TASKS, tasks, "任务ID", None),
                                                   (SHEET_INDICATORS, indicators, "指标ID", "填报值")):
        sheet = workbook[name]
        cols = {c.value: c.column for c in sheet[HEADER_ROW + 1]}
        for r in range(HEADER_ROW + 2, sheet.max_row + 1):
            item = sheet.cell(r, cols[id_header]).value
            if item not in answers:
                continue
            values = answers[item] if value_header is None else {value_header: answers[item]}
            for header, value in values.items():
                cell = sheet.cell(r, cols[header])
                cell.value = value
                if as_text and isinstance(value, str):
                    cell.data_type = "s"
    if edit is not None:
        edit(workbook)
    workbook.save(out)
    return out


def xlsx_bytes(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="xml" ContentType="application/xml"/></Types>')
_SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def patched(source: Path, out: Path, replace: dict[str, bytes], extra: dict[str, bytes] | None = None,
            compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A copy of an .xlsx with some parts replaced (the way hostile files are made)."""
    with zipfile.ZipFile(source) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts.update(replace)
    parts.update(extra or {})
    out.write_bytes(xlsx_bytes(parts, compression))
    return out


def zip_bomb(source: Path, out: Path) -> Path:
    """A form whose first worksheet unzips to 200 MB of zeros (a few hundred KB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name == "xl/worksheets/sheet1.xml":
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(info, "w", force_zip64=True) as member:
                    chunk = b"0" * (1 << 20)
                    for _ in range(200):
                        member.write(chunk)
            else:
                dst.writestr(name, src.read(name))
    out.write_bytes(buffer.getvalue())
    return out


def billion_laughs(source: Path, out: Path) -> Path:
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
           + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    return patched(source, out, {"xl/sharedStrings.xml": lol.encode()})


def xfd_sheet(source: Path, out: Path, dimension: str = "A1:XFD1048576", part: str = "xl/worksheets/sheet1.xml") -> Path:
    """A sheet (sheet 1, 填报说明, unless ``part`` says which) claims a cell at XFD1048576; with a lying
    dimension the pre-check cannot see it and python-calamine aborts the reading process."""
    sheet = (_SHEET_OPEN + f'<dimension ref="{dimension}"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is>'
             '</c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
    return patched(source, out, {part: sheet.encode()})


ENCRYPTED = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
             + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000)
TASK_PART = "xl/worksheets/sheet2.xml"  # 任务进展 in a form wpx writes
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(200))
HTML = "<html><head><meta charset='utf-8'></head><body><table><tr><td>完成状态</td></tr></table></body></html>".encode()
TEXT = "单位：第一中学\n完成状态：已完成\n".encode("gb18030")


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan()


@pytest.fixture(scope="module")
def forms(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_forms(plan, tmp_path_factory.mktemp("forms"))


def read(path: Path) -> dict[str, Any]:
    return inspect_file(str(path))


# -- sniffing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("data, kind, what", [
    (PNG, "other", "图片"), (HTML, "other", "网页"), (TEXT, "other", "文本"), (b"%PDF-1.7\n", "other", "PDF 文件"),
    (ENCRYPTED, "encrypted", ""), (b"", "empty", ""),
    (xlsx_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), "ods", ""),
    (xlsx_bytes({"word/document.xml": "<w/>"}), "other", "Word 文档"),
    (xlsx_bytes({"xl/workbook.xml": "<w/>"}), "xlsx", ""),
    (ole_file({"PowerPoint Document": b"\0"}), "other", "演示文稿"),
    (ole_file({"VisioDocument": b"\0"}), "other", "Visio 绘图"),
    (xlsx_bytes({"[Content_Types].xml": "<Types/>", "visio/document.xml": "<v/>"}), "other", "Visio 绘图"),  # .vsdx
    (xlsx_bytes({"[Content_Types].xml": "<Types/>", "Documents/1/Pages/1.fpage": "<p/>"}), "other", "XPS 文档"),
    (ole_file({"Contents": b"CHNKINK"}, {"Quill": {"QuillSub": b"\0"}}), "other", "Publisher 文档"),
    (ole_file({"Something": b"\0"}), "other", "未知格式"),
    (biff2_worksheet(), "other", "Excel 4.0 或更早版本的工作簿"),
    (b"\x09\x04\x06\x00\x00\x00\x10\x00\x00\x00" + b"\x0a\x00\x00\x00", "other", "Excel 4.0 或更早版本的工作簿"),  # BIFF4
    (b"\x09\x00\x04\x00ab\x99\x99", "other", "未知格式"),  # a BOF's shape with no sheet type after it
])
def test_sniff_by_bytes_not_suffix(data: bytes, kind: str, what: str) -> None:
    sniffed = sniff(data)
    assert (sniffed.kind, sniffed.what) == (kind, what)


def test_truncated_zip_is_recognised(forms: dict[str, Path], tmp_path: Path) -> None:
    data = forms["1001"].read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    assert sniff(data[: len(data) // 2]).kind == "truncated"
    assert read(cut) == {"status": "refused", "code": "truncated", "detail": ""}


@pytest.mark.parametrize("name, reason", [
    ("~$回表.xlsx", "Excel/WPS/LibreOffice 打开文件时留下的临时锁定文件"),
    (".~lock.回表.xlsx#", "Excel/WPS/LibreOffice 打开文件时留下的临时锁定文件"),
    (".DS_Store", "操作系统生成的系统文件"), ("Thumbs.db", "操作系统生成的系统文件"), (".hidden.xlsx", "隐藏文件"),
    ("1001_第一中学.xlsx", None),
])
def test_skip_reason(name: str, reason: str | None) -> None:
    assert skip_reason(Path(name)) == reason


# -- pre-checks ------------------------------------------------------------------------------------


def test_zip_bomb_refused_from_the_directory(forms: dict[str, Path], tmp_path: Path) -> None:
    bomb = zip_bomb(forms["1001"], tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 2_000_000
    result = read(bomb)
    assert (result["status"], result["code"]) == ("refused", "bomb")


def test_high_ratio_member_refused_even_under_the_total(forms: dict[str, Path], tmp_path: Path) -> None:
    small = patched(forms["1001"], tmp_path / "ratio.xlsx", {}, {"xl/media/zeros.bin": b"\x00" * (5 << 20)})
    with pytest.raises(Refused) as refused:
        check_zip(small)
    assert refused.value.code == "bomb" and "压缩比" in refused.value.detail


def test_entity_declarations_refused(forms: dict[str, Path], tmp_path: Path) -> None:
    result = read(billion_laughs(forms["1001"], tmp_path / "lol.xlsx"))
    assert (result["code"], result["detail"]) == ("entities", "xl/sharedStrings.xml")


def test_doctype_hidden_behind_a_long_prolog_refused(forms: dict[str, Path], tmp_path: Path) -> None:
    sheet = ('<?xml version="1.0"?><!--' + "x" * 5000 + '--><!DOCTYPE x [<!ENTITY a "b">]>' + _SHEET_OPEN[21:]
             + "<sheetData/></worksheet>")
    result = read(patched(forms["1001"], tmp_path / "long.xlsx", {"xl/worksheets/sheet2.xml": sheet.encode()}))
    assert result["code"] == "entities"


@pytest.mark.parametrize("prolog, root", [
    (b'<?xml version="1.0"?><!-- <a> -->' + b" " * 5000, False),  # an element only inside a comment
    (b'<?xml version="1.0"?><?pi <a> ?>' + b" " * 5000, False),  # or inside a processing instruction
    (b'<?xml version="1.0"?>\n<!-- note --><worksheet>' + b" " * 5000, True),
    (b'<?unclosed <a>' + b" " * 5000, True),  # an unclosed PI is not taken out, so <a> counts (as before)
])
def test_a_long_prolog_needs_an_element_outside_comments(prolog: bytes, root: bool) -> None:
    from workplan_xl.returns.precheck import check_prolog

    if root:
        check_prolog(prolog[:4096], "x.xml")
    else:
        with pytest.raises(Refused):
            check_prolog(prolog[:4096], "x.xml")


def test_every_xml_part_is_checked_whatever_its_name_or_encoding(forms: dict[str, Path], tmp_path: Path) -> None:
    # the relationships can point a reader at any part name; UTF-16 must not hide a DOCTYPE
    hidden = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><sst/>')
    result = read(patched(forms["1001"], tmp_path / "bin.xlsx", {}, {"xl/strings.bin": hidden}))
    assert (result["code"], result["detail"]) == ("entities", "xl/strings.bin")
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><sst/>'.encode("utf-16")
    result = read(patched(forms["1001"], tmp_path / "u16.xlsx", {"xl/sharedStrings.xml": utf16}))
    assert (result["code"], result["detail"]) == ("entities", "xl/sharedStrings.xml")
    # a worksheet stored under another folder still has its extent checked
    sheet = (_SHEET_OPEN + '<dimension ref="A1:XFD1048576"/><sheetData/></worksheet>').encode()
    result = read(patched(forms["1001"], tmp_path / "elsewhere.xlsx", {}, {"xl/other/s.xml": sheet}))
    assert result["code"] == "extent"


def test_stored_and_deflated_parts_checked_alike(forms: dict[str, Path], tmp_path: Path) -> None:
    stored = patched(forms["1001"], tmp_path / "stored.xlsx", {}, compression=zipfile.ZIP_STORED)
    assert read(stored)["status"] == "read"
    assert read(billion_laughs(stored, tmp_path / "lol.xlsx"))["code"] == "entities"
    damaged = bytearray(forms["1001"].read_bytes())
    damaged[40:60] = b"\xff" * 20  # inside the first part's compressed bytes
    assert inspect_bytes(bytes(damaged))["status"] == "refused"


def test_bytes_and_file_read_alike(forms: dict[str, Path]) -> None:
    assert inspect_bytes(forms["1002"].read_bytes()) == read(forms["1002"])


def test_absurd_dimension_refused_before_reading(forms: dict[str, Path], tmp_path: Path) -> None:
    result = read(xfd_sheet(forms["1001"], tmp_path / "xfd.xlsx"))
    assert (result["code"], result["detail"]) == ("extent", "1048576 行 × 16384 列")


def test_size_and_entry_limits(forms: dict[str, Path], tmp_path: Path) -> None:
    assert inspect_file(str(forms["1001"]), Limits(max_file_bytes=1000))["code"] == "too_big"
    many = patched(forms["1001"], tmp_path / "many.xlsx", {}, {f"xl/media/{i}.txt": b"x" for i in range(30)})
    assert inspect_file(str(many), Limits(max_entries=20))["code"] == "structure"


@pytest.mark.parametrize("data, code, detail", [
    (ENCRYPTED, "encrypted", ""), (PNG, "not_spreadsheet", "图片"), (HTML, "not_spreadsheet", "网页"),
    (TEXT, "not_spreadsheet", "文本"), (b"", "empty", ""),
])
def test_refused_kinds(tmp_path: Path, data: bytes, code: str, detail: str) -> None:
    path = tmp_path / "x.xls"
    path.write_bytes(data)
    assert read(path) == {"status": "refused", "code": code, "detail": detail}


def test_a_good_form_reads_as_plain_data(forms: dict[str, Path]) -> None:
    result = read(forms["1001"])
    assert result["status"] == "read" and result["kind"] == "xlsx"
    sheets = {s["name"]: s for s in result["sheets"]}
    assert set(sheets) == {"填报说明", SHEET_TASKS, SHEET_INDICATORS, SHEET_META}
    assert sheets[SHEET_META]["visible"] == "veryhidden"  # calamine exposes very hidden sheets
    assert all(type(v) in (str, int, float, bool) for s in sheets.values() for row in s["rows"] for v in row)


# -- in the worker ---------------------------------------------------------------------------------


def test_in_the_worker_only_the_sheets_looked_at_are_read(plan: Plan, forms: dict[str, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The worker reads a worksheet when interpret first looks at it: 填报说明 is never read, and the
    # Reading is the one the whole workbook gives.
    path = fill(forms["1001"], tmp_path / "1001.xlsx")
    index = PlanIndex(plan)
    looked_at: list[str] = []
    read_sheet = worker._fill
    monkeypatch.setattr(worker, "_fill", lambda book, entry, limits: looked_at.append(entry["name"])
                        or read_sheet(book, entry, limits))
    lazy = worker._answer(str(path), LIMITS, (index, None))
    assert sorted(looked_at) == sorted([SHEET_META, SHEET_TASKS, SHEET_INDICATORS])
    whole = interpret(read(path), index, None, path.name)
    assert lazy.status == "accepted" and lazy.values and lazy.sha256
    assert (lazy.values, lazy.findings, lazy.unit_code, lazy.blank) == (whole.values, whole.findings, whole.unit_code,
                                                                       whole.blank)


def test_a_sheet_beyond_the_cell_limit_refuses_the_file_when_read_late(plan: Plan, forms: dict[str, Path],
                                                                       tmp_path: Path) -> None:
    # No <dimension> to refuse it beforehand: the reader's own extent refuses the file, whether the
    # sheet is read with all the others or only when interpret looks at it.
    with zipfile.ZipFile(fill(forms["1001"], tmp_path / "filled.xlsx")) as archive:
        sheets = {n: re.sub(rb"<dimension[^>]*/>", b"", archive.read(n)) for n in archive.namelist()
                  if n.startswith("xl/worksheets/sheet")}
    path = patched(tmp_path / "filled.xlsx", tmp_path / "大表.xlsx", sheets)
    index, limits = PlanIndex(plan), Limits(max_cells=60)  # 填报说明 and _meta are smaller, 任务进展 is not
    late = worker._answer(str(path), limits, (index, None))
    whole = interpret(inspect_file(str(path), limits), index, None, path.name)
    assert late.status == whole.status == "rejected" and late.findings == whole.findings
    assert late.reason == whole.reason and late.reason.startswith(f"文件「大表.xlsx」的工作表声称有极大的范围（{SHEET_TASKS}: ")
    assert late.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# -- values ----------------------------------------------------------------------------------------


def test_values_typed_alike_read_alike_every_time() -> None:
    # field_entry remembers what it read, by the cell's type too: TRUE is not the number 1
    for _ in range(2):
        assert field_entry("value", 1.0, "%", 95) == ("1", "1", "")
        assert field_entry("value", 0.96, "%", 95) == ("96", "0.96", "「0.96」是百分比格式，按96计")
        assert field_entry("status", " 完成 ", "", None) == ("已完成", "完成", "「完成」按已完成计")
        with pytest.raises(FieldError):
            field_entry("value", True, "%", 95)
        with pytest.raises(FieldError):
            field_entry("status", "差不多了")
    assert field_entry("progress", " a\x00b ") == ("ab", "ab", "")


@pytest.mark.parametrize("typed, status", [
    ("完成", "已完成"), ("已完成", "已完成"), ("✓", "已完成"), ("是", "已完成"), (" 已完成 ", "已完成"),
    ("进行中", "推进中"), ("正在推进", "推进中"), ("推进", "推进中"), ("未开始", "未启动"), ("没开始", "未启动"),
    ("未启动", "未启动"), ("无", "不适用"), ("不涉及", "不适用"), ("—", "不适用"), ("不适用", "不适用"),
])
def test_status_words(typed: str, status: str) -> None:
    assert normalise_status(typed)[0] == status


def test_unknown_status_is_a_problem_the_school_can_fix() -> None:
    with pytest.raises(FieldError) as error:
        normalise_status("差不多了")
    assert error.value.problem == "完成状态「差不多了」不是可选项，该任务的完成状态未计入"
    assert error.value.action == "完成状态只能填 未启动/推进中/已完成/不适用（可从下拉列表选择），请改正后重新发送。"


@pytest.mark.parametrize("typed, value, note", [
    ("95%", "95", "「95%」按95计"), ("９５", "95", "「９５」按95计"), ("1,234", "1234", "「1,234」按1234计"),
    ("约95", "95", "「约95」按95计"), ("95左右", "95", "「95左右」按95计"), (" 95 ", "95", ""), (95.0, "95", ""),
    (0.96, "96", "「0.96」是百分比格式，按96计"), ("九十五", "95", "「九十五」按95计"), ("九十五点五", "95.5", "「九十五点五」按95.5计"),
])
def test_numbers_with_notes(typed: Any, value: str, note: str) -> None:
    assert field_value("value", typed, "%", 95) == (value, note)


def test_text_that_is_not_a_number_is_not_used() -> None:
    with pytest.raises(FieldError) as error:
        field_value("value", "基本达到", "%", 95)
    assert error.value.problem == "填报值「基本达到」不是数字，未计入汇总"


@pytest.mark.parametrize("typed, value", [
    ("2024年3月", "2024-03"), ("2024.3.15", "2024-03-15"), ("2024/3/15", "2024-03-15"), ("2024-03-15", "2024-03-15"),
    (45366, "2024-03-15"), ("6月底前", "6月底前"),
])
def test_dates(typed: Any, value: str) -> None:
    assert field_value("done_date", typed)[0] == value


def test_text_cleaned_and_capped() -> None:
    assert field_value("progress", "a\x00b\x07c\ud800d")[0] == "abcd"
    value, note = field_value("progress", "字" * 40000)
    assert len(value) == 32767 and note == "进展情况超过 32767 字，只保留前 32767 字"


# -- interpreting a form ---------------------------------------------------------------------------


def interpret_file(path: Path, plan: Plan, round: str | None = None):
    return interpret(read(path), PlanIndex(plan), round, path.name)


def test_filled_form_by_hidden_info(plan: Plan, forms: dict[str, Path], tmp_path: Path) -> None:
    reading = interpret_file(fill(forms["1001"], tmp_path / "随便起的名字.xlsx"), plan)
    assert (reading.status, reading.unit_code, reading.identified_by) == ("accepted", "1001", BY_META)
    assert reading.findings == []
    got = {(v.item_id, v.field): v.value for v in map(Value._make, reading.values)}
    assert got == {("T001", "status"): "已完成", ("T001", "progress"): "1001课后服务全覆盖",
                   ("T001", "done_date"): "2024-05-20", ("T002", "status"): "推进中",
                   ("T002", "progress"): "1001完成春季排查", ("T002", "evidence"): "排查台账",
                   ("T003", "status"): "未启动", ("T003", "remark"): "1001下半年开展",
                   ("I001", "value"): "96", ("I002", "value"): "80"}


def test_summary_cells_read_back_and_old_layout_still_collected(plan: Plan, forms: dict[str, Path],
                                                                tmp_path: Path) -> None:
    """主要成效 / 存在问题 / 下一步打算 arrive in the ledger's values; a form sent out before those
    columns existed (the old layout) is read as before, its checksum still verified."""
    answers = {"T001": {"完成状态": "已完成", "主要成效": "开展课后服务课程12门，覆盖学生860人",
                        "存在问题": "师资不足", "下一步打算": "引入校外资源"}}
    reading = interpret_file(fill(forms["1001"], tmp_path / "新表.xlsx", tasks=answers, indicators={}), plan)
    got = {(v.item_id, v.field): v.value for v in map(Value._make, reading.values)}
    assert got == {("T001", "status"): "已完成", ("T001", "achievements"): "开展课后服务课程12门，覆盖学生860人",
                   ("T001", "difficulties"): "师资不足", ("T001", "next_steps"): "引入校外资源"}

    def old_layout(workbook: Any) -> None:
        sheet = workbook[SHEET_TASKS]
        headers = [c.value for c in sheet[HEADER_ROW + 1]]
        for header in ("下一步打算", "存在问题", "主要成效"):
            sheet.delete_cols(headers.index(header) + 1)

    old = fill(forms["1002"], tmp_path / "旧表.xlsx", tasks={"T001": {"完成状态": "推进中", "进展情况": "已排课"}},
               indicators={}, edit=None)
    workbook = load_workbook(old)
    old_layout(workbook)
    workbook.save(old)
    reading = interpret_file(old, plan)
    # only the 部分填报 line (T002, T003 and the indicators are left blank): no checksum complaint
    assert (reading.status, reading.unit_code) == ("accepted", "1002")
    assert [f.problem for f in reading.findings if not f.problem.startswith("部分填报：")] == []
    assert {(v.item_id, v.field): v.value for v in map(Value._make, reading.values)} == {
        ("T001", "status"): "推进中", ("T001", "progress"): "已排课"}


def test_form_of_another_plan_is_not_used(plan: Plan, tmp_path: Path) -> None:
    other = make_plan(title="另一个区2024年工作要点")
    form = make_forms(other, tmp_path / "other")["1001"]
    reading = interpret_file(fill(form, tmp_path / "x.xlsx"), plan)
    assert reading.status == "rejected" and reading.values == []
    assert reading.findings[0].problem == "这份填报表属于另一份工作要点「另一个区2024年工作要点」，不是本台账的填报表，未使用"


def test_form_of_another_round_is_not_used(plan: Plan, tmp_path: Path) -> None:
    form = make_forms(plan, tmp_path / "r", round="2024-06")["1002"]
    reading = interpret_file(fill(form, tmp_path / "x.xlsx"), plan, round="2024-12")
    assert reading.status == "rejected"
    assert reading.findings[0].problem == "这是「2024-06」批次的填报表，本次收集的是「2024-12」批次，未使用"
    assert interpret_file(tmp_path / "x.xlsx", plan, round="2024-06").status == "accepted"
    assert interpret_file(tmp_path / "x.xlsx", plan, round=None).file_round == "2024-06"


def _set_unit_line(text: str):
    def edit(workbook):
        for name in (SHEET_TASKS, SHEET_INDICATORS):
            workbook[name].cell(2, 1).value = text
    return edit


def test_meta_claims_another_unit_than_the_sheet(plan: Plan, forms: dict[str, Path], tmp_path: Path) -> None:
    # Checksum verifies: trust _meta, but say both.
    reading = interpret_file(fill(forms["1001"], tmp_path / "a.xlsx", edit=_set_unit_line("单位代码：1002 单位名称：第二中学")),
                             plan)
    assert (reading.status, reading.unit_code) == ("accepted", "1001")
    assert reading.findings[0].problem == ("表内单位行写的是「第二中学（1002）」，隐藏信息是「第一中学（1001）」，"
                                           "按隐藏信息计为「第一中学」的回表")

    # Checksum does not verify either: not used.
    def both(workbook):
        _set_unit_line("单位代码：1002 单位名称：第二中学")(workbook)
        workbook[SHEET_TASKS].cell(HEADER_ROW + 2, 3).value = "改过的任务"
    reading = interpret_file(fill(forms["1001"], tmp_path / "b.xlsx", edit=both), plan)
    assert reading.status == "rejected" and reading.values == []
    assert "第二中学（1002）" in reading.findings[0].problem and "第一中学（1001）" in reading.findings[0].problem


def test_changed_descriptions_warn_but_values_count(plan: Plan, forms: dict[str, Path], tmp_path: Path) -> None:
    def edit(workbook):
        workbook[SHEET_TASKS].cell(HEADER_ROW + 2, 4).value = "学校改写的具体内容"
    reading = interpret_file(fill(forms["1001"], tmp_path / "c.xlsx", edit=edit), plan)
    assert reading.status == "accepted" and len(reading.values) == 10
    assert reading.findings[0].problem == "表中任务描述被改动过（与下发的填报表不一致），填报内容仍按任务ID计入"


def _copy_to_new_workbook(form: Path, out: Path, sheet_names: dict[str, str], move: bool = False,
                          unit_line: str | None = None) -> Path:
    """What a school does when it copies the content into a workbook of its own: no _meta, its own
    sheet names, columns maybe in another order."""
    from openpyxl import Workbook

    source = load_workbook(form)
    target = Workbook()
    target.remove(target.active)
    for old, new in sheet_names.items():
        rows = [list(r) for r in source[old].iter_rows(values_only=True)]
        if move:  # move the last visible input column to the front
            rows = [[r[-3]] + r[:-3] + r[-2:] for r in rows]
        if unit_line is not None:
            rows[1] = [unit_line]
        sheet = target.create_sheet(new)
        for row in rows:
            sheet.append(row)
    target.save(out)
    return out


def test_copied_workbook_with_renamed_sheets_and_moved_columns(plan: Plan, forms: dict[str, Path],
                                                               tmp_path: Path) -> None:
    filled = fill(forms["1003"], tmp_path / "f.xlsx")
    copy = _copy_to_new_workbook(filled, tmp_path / "我们的表.xlsx", {SHEET_TASKS: "Sheet1", SHEET_INDICATORS: "Sheet2"},
                                 move=True)
    reading = interpret_file(copy, plan)
    assert (reading.status, reading.unit_code, reading.identified_by) == ("accepted", "1003", BY_SHEET_CODE)
    assert len(reading.values) == 10 and reading.findings == []


def test_units_named_in_a_text_longest_name_first() -> None:
    plan = make_plan(units=3)
    plan.units.append(Unit("1009", "第一中学分校", "学校"))
    index = PlanIndex(plan)
    assert [u.code for u in index.units_in("填报单位：第一中学分校")] == ["1009"]  # not also 第一中学
    assert [u.code for u in index.units_in("第二中学与第一中学")] == ["1001", "1002"]  # roster order for equal lengths
    assert [u.code for u in index.units_in("1003 第二中学")] == ["1003", "1002"]  # codes first, as whole tokens
    assert index.units_in("10031 学校") == []


def test_copied_workbook_identified_by_file_name(plan: Plan, forms: dict[str, Path], tmp_path: Path) -> None:
    filled = fill(forms["1004"], tmp_path / "f.xlsx")
    copy = _copy_to_new_workbook(filled, tmp_path / "城关幼儿园回表（最终版）.xlsx",
                                 {SHEET_TASKS: SHEET_TASKS, SHEET_INDICATORS: SHEET_INDICATORS}, unit_line="")
    reading = interpret_file(copy, plan)
    assert (reading.unit_code, reading.identified_by) == ("1004", BY_FILE_NAME)
    unnamed = _copy_to_new_workbook(filled, tmp_path / "回表.xlsx", {SHEET_TASKS: SHEET_TASKS}, unit_line="")
    reading = interpret_file(unnamed, plan)
    assert reading.status == "rejected"
    assert reading.findings[0].problem.startswith("无法确定「回表.xlsx」是哪个单位的回表")


def test_merged_input_cells_count_for_the_first_row(plan: Plan, forms: dict[str, Path], tmp_path: Path) -> None:
    def merge(workbook):
        sheet = workbook[SHEET_TASKS]
        sheet.merge_cells(start_row=HEADER_ROW + 2, end_row=HEADER_ROW + 3, start_column=7, end_column=7)
    tasks, _ = default_answers("1002")
    reading = interpret_file(fill(forms["1002"], tmp_path / "m.xlsx", tasks=tasks, edit=merge), plan)
    progress = {v.item_id: v for v in map(Value._make, reading.values) if v.field == "progress"}
    assert progress["T001"].value == "1002课后服务全覆盖" and "合并单元格 G5:G6" in progress["T001"].note
    assert "T002" not in progress
    assert reading.findings[0].cell == f"{SHEET_TASKS}!G5:G6"
    assert reading.findings[0].problem == "「进展情况」第 5–6 行合并成了一个单元格，内容只计入第 5 行，其余 1 行的「进展情况」按未填处理"


def test_rows_without_a_known_id_are_not_used(plan: Plan, forms: dict[str, Path], tmp_path: Path) -> None:
    def edit(workbook):
        sheet = workbook[SHEET_TASKS]
        ids = [c.value for c in sheet[HEADER_ROW + 1]].index("任务ID") + 1
        sheet.cell(HEADER_ROW + 2, ids).value = "T999"
        sheet.cell(HEADER_ROW + 2, 2).value = "九"
        sheet.cell(HEADER_ROW + 5, 6).value = "已完成"  # a row the school added below the table
    reading = interpret_file(fill(forms["1001"], tmp_path / "i.xlsx", edit=edit), plan)
    problems = [f.problem for f in reading.findings]
    assert "第 5 行的任务ID「T999」不是台账中的任务，该行内容未计入" in problems
    assert "第 8 行没有任务ID，无法对应到台账中的任务，该行内容未计入" in problems
    assert {v.item_id for v in map(Value._make, reading.values)} == {"T002", "T003", "I001", "I002"}


def test_formula_text_control_characters_and_long_cells_arrive_as_text(plan: Plan, forms: dict[str, Path],
                                                                       tmp_path: Path) -> None:
    payloads = {"T001": {"进展情况": "=HYPERLINK(\"http://x\",\"点我\")", "佐证材料": "=cmd|' /C calc'!A0"},
                "T002": {"进展情况": "+1+1", "备注": "-2+3"}, "T003": {"进展情况": "@SUM(1)", "备注": "a_x0001_b_x001F_c"}}  # Excel's escapes for control characters
    reading = interpret_file(fill(forms["1001"], tmp_path / "p.xlsx", tasks=payloads, as_text=True), plan)
    got = {(v.item_id, v.field): v.value for v in map(Value._make, reading.values)}
    assert got[("T001", "progress")] == "=HYPERLINK(\"http://x\",\"点我\")"
    assert got[("T001", "evidence")] == "=cmd|' /C calc'!A0"
    assert got[("T003", "remark")] == "abc"
    long = interpret_file(fill(forms["1001"], tmp_path / "l.xlsx", tasks={"T001": {"进展情况": "长" * 32767}}), plan)
    assert [len(v.value) for v in map(Value._make, long.values) if v.field == "progress"] == [32767]


def test_unfilled_form_is_flagged(plan: Plan, forms: dict[str, Path]) -> None:
    reading = interpret_file(forms["1001"], plan)
    assert reading.status == "rejected" and reading.values == []
    assert [f.problem for f in reading.findings] == ["回表中没有填写任何内容（空表），未使用"]


def test_not_a_form_at_all(plan: Plan, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", "电话"])
    workbook.save(tmp_path / "通讯录.xlsx")
    reading = interpret_file(tmp_path / "通讯录.xlsx", plan)
    assert reading.status == "rejected"
    assert reading.findings[0].problem == "文件「通讯录.xlsx」不是本次下发的填报表（找不到「任务进展」或「指标填报」表）"


def test_picture_sent_as_evidence_is_skipped_but_renamed_one_is_a_problem(plan: Plan, tmp_path: Path) -> None:
    (tmp_path / "照片.png").write_bytes(PNG)
    (tmp_path / "1002_回表.xlsx").write_bytes(PNG)
    assert interpret_file(tmp_path / "照片.png", plan).status == "skipped"
    reading = interpret_file(tmp_path / "1002_回表.xlsx", plan)
    assert (reading.status, reading.unit_code) == ("rejected", "1002")
    assert (reading.findings[0].problem, reading.findings[0].action) == (
        "文件「1002_回表.xlsx」实际上不是 Excel 文件（是图片）", "请用 Excel 或 WPS 打开下发的填报表，填写后另存为 .xlsx 再发送。")
