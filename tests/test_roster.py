"""read_roster: every format an office has at hand, loose headers, codes kept as text, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from workplan_xl.errors import InputFileError, RosterError
from workplan_xl.plan import Task, Unit
from workplan_xl.roster import code_text, guess_type, read_roster, units_from_owners

EXPECTED = [
    Unit("0012", "城关第一小学", "学校", "王老师", "13912345678"),
    Unit("1001", "城关中心幼儿园", "幼儿园", "", ""),
    Unit("1234567890123", "教育局基础教育科", "处室", "李科长", "0951-1234567"),
    Unit("2002", "阳光培训学堂", "其他", "", ""),
]


def _write_xlsx(path: Path) -> Path:
    """A roster as offices make them: a title above, loose header names, numeric and text codes."""
    workbook = xlsxwriter.Workbook(str(path))
    ws = workbook.add_worksheet("名单")
    ws.write_string(0, 0, "2025年填报单位名单")
    header = ["序号", "学校代码（必填）", "学校名称", "学段", "负责人", "联系电话"]
    ws.write_row(2, 0, header)
    ws.write_row(3, 0, [1])
    ws.write_string(3, 1, "0012")               # text code with a leading zero
    ws.write_row(3, 2, ["城关第一小学", "学校", "王老师"])
    ws.write_number(3, 5, 13912345678)          # a phone typed as a number
    ws.write_row(4, 0, [2])
    ws.write_number(4, 1, 1001)                 # a numeric code: calamine gives 1001.0
    ws.write_row(4, 2, ["城关中心幼儿园"])        # type blank: guessed from the name
    # row 6 left blank: spacing, skipped
    ws.write_row(6, 0, [3])
    ws.write_number(6, 1, 1234567890123)        # 13 digits stored as a number
    ws.write_row(6, 2, ["教育局基础教育科", "", "李科长", "0951-1234567"])
    ws.write_row(7, 0, [4, "2002", "阳光培训学堂"])
    workbook.close()
    return path


def _csv_text() -> str:
    return ("单位代码,单位名称,类型,联系人,电话\n"
            "0012,城关第一小学,学校,王老师,13912345678\n"
            "1001,城关中心幼儿园,,,\n"
            ",,,,\n"
            "1234567890123,教育局基础教育科,,李科长,0951-1234567\n"
            "2002,阳光培训学堂,,,\n")


def test_xlsx_with_title_row_loose_headers_and_numeric_codes(tmp_path: Path) -> None:
    assert read_roster(_write_xlsx(tmp_path / "名单.xlsx")) == EXPECTED


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gbk(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(_csv_text().encode(encoding))
    assert read_roster(path) == EXPECTED


@pytest.mark.libreoffice
def test_xls_and_ods_made_by_libreoffice(tmp_path: Path, lo_convert) -> None:
    source = _write_xlsx(tmp_path / "roster.xlsx")
    xls = lo_convert(source, "xls", tmp_path / "xls")
    ods = lo_convert(source, "ods", tmp_path / "ods")
    assert read_roster(xls) == EXPECTED
    assert read_roster(ods) == EXPECTED


def test_duplicate_codes_name_both_rows(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    rows = ["代码,名称"] + [f"{1000 + i},学校{i}" for i in range(1, 8)] + ["1003,另一所学校"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(RosterError) as error:
        read_roster(path)
    assert str(error.value) == "填报单位名单「名单.csv」第4行和第9行的代码「1003」重复：每个单位的代码必须唯一。"


def test_duplicate_codes_in_an_xlsx_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    ws = workbook.add_worksheet()
    ws.write_row(0, 0, ["代码", "名称"])
    ws.write_row(1, 0, ["002001", "城关一中"])
    ws.write_row(2, 0, ["002001", "城关二中"])  # copied down and not changed
    workbook.close()
    with pytest.raises(RosterError) as error:
        read_roster(path)
    assert str(error.value) == "填报单位名单「roster.xlsx」第2行和第3行的代码「002001」重复：每个单位的代码必须唯一。"


def test_blank_name_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("代码,名称,类型\n1001,一小,学校\n1002,,学校\n", encoding="utf-8")
    with pytest.raises(RosterError) as error:
        read_roster(path)
    assert str(error.value) == "填报单位名单「名单.csv」第3行的名称为空：请填写单位名称，或删除这一行。"


def test_blank_code_names_the_unit(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("代码,名称\n1001,一小\n,二小\n", encoding="utf-8")
    with pytest.raises(RosterError) as error:
        read_roster(path)
    assert str(error.value) == "填报单位名单「名单.csv」第3行的代码为空：请为「二小」填写代码。"


def test_missing_code_column_says_what_was_found_and_what_is_needed(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("序号,名称,类型\n1,一小,学校\n", encoding="utf-8")
    with pytest.raises(RosterError) as error:
        read_roster(path)
    assert str(error.value) == ("填报单位名单「名单.csv」缺少「代码」列：找到的列为「序号」「名称」「类型」，"
                                "需要「代码」和「名称」两列（代码也可写作单位代码、学校代码、编号或编码）。")


def test_missing_name_column(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("编号,联系人\n1,张三\n", encoding="utf-8")
    with pytest.raises(RosterError) as error:
        read_roster(path)
    assert str(error.value) == ("填报单位名单「名单.csv」缺少「名称」列：找到的列为「编号」「联系人」，"
                                "需要「代码」和「名称」两列（名称也可写作单位名称、学校名称、单位或学校）。")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "空.csv"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(RosterError, match="是空的"):
        read_roster(path)


def test_wrong_kind_of_file(tmp_path: Path) -> None:
    bad = tmp_path / "名单.docx"
    bad.write_bytes(b"x")
    with pytest.raises(InputFileError, match="格式不支持"):
        read_roster(bad)
    broken = tmp_path / "名单.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InputFileError, match="无法读取"):
        read_roster(broken)


@pytest.mark.parametrize(("name", "kind"), [
    ("城关中心幼儿园", "幼儿园"), ("第一中学", "学校"), ("实验小学", "学校"), ("九年一贯制学校", "学校"),
    ("中心小学", "学校"), ("基础教育科", "处室"), ("人事处", "处室"), ("办公室", "处室"), ("县教研室", "处室"),
    ("招生办", "处室"), ("学生资助管理中心", "处室"), ("县教育局", "其他"), ("阳光培训学堂", "其他"),
])
def test_guess_type(name: str, kind: str) -> None:
    assert guess_type(name) == kind


@pytest.mark.parametrize(("value", "text"), [
    (1001.0, "1001"), (1001, "1001"), ("0012", "0012"), (" 0012 ", "0012"), (1234567890123.0, "1234567890123"),
    (12.5, "12.5"), (None, ""), ("A-01", "A-01"),
])
def test_code_text(value: object, text: str) -> None:
    assert code_text(value) == text


def test_units_from_owners_in_order_of_first_appearance() -> None:
    tasks = [Task(id="T001", owners=["办公室"], partners=["基教科", "实验小学"]),
             Task(id="T002", owners=["基教科"], partners=["督导室", "办公室"])]
    assert units_from_owners(tasks) == [Unit("D01", "办公室", "处室"), Unit("D02", "基教科", "处室"),
                                        Unit("D03", "实验小学", "学校"), Unit("D04", "督导室", "处室")]
