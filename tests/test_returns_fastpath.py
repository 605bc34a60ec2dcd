"""The reader's fast paths give what the general paths give: a member read straight from the file's
bytes is what zipfile reads (or zipfile's own error), and a member remembered as checked is checked
again whenever its bytes, its name or the limits differ."""

from __future__ import annotations

import io
import zipfile

import pytest
from test_unpack import utf8_zip

from workplan_xl.returns.precheck import LIMITS, Limits, Refused, check_archive
from workplan_xl.returns.sniff import open_zip, read_member

_SHEET = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
          b'spreadsheetml/2006/main"><dimension ref="A1:Z100"/><sheetData/></worksheet>')


def _both(data: bytes, name: str) -> tuple[object, object]:
    """(what zipfile gives, what read_member gives): the bytes, or the class of the error raised."""
    answers = []
    for read in (lambda archive: archive.read(name), lambda archive: read_member(archive, data, name)):
        archive = zipfile.ZipFile(io.BytesIO(data))
        try:
            answers.append(read(archive))
        except Exception as error:  # noqa: BLE001 - the error's class is the answer compared
            answers.append(type(error))
    return answers[0], answers[1]


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_member_read_from_the_bytes_is_what_zipfile_reads(compression: int) -> None:
    members = {"[Content_Types].xml": b"<Types/>" * 50, "_rels/.rels": b"<Relationships/>", "empty.xml": b"",
               "名字.xml": "中文内容".encode() * 100}
    data = utf8_zip(members, compression)
    for name, content in members.items():
        assert _both(data, name) == (content, content)
    start = data.index(b"_rels/.rels") + len("_rels/.rels")  # the first byte of that member's data
    flipped = _flip(data, start)  # a stored member's bytes changed: a CRC error; a deflated one's: broken
    zipfile_answer, fast_answer = _both(flipped, "_rels/.rels")
    assert fast_answer == zipfile_answer and not isinstance(zipfile_answer, bytes)
    renamed = data.replace(b"_rels/.rels", b"_rels/.relz", 1)  # the local header names another part
    assert _both(renamed, "_rels/.rels") == (zipfile.BadZipFile, zipfile.BadZipFile)


def test_a_member_that_passed_is_checked_again_when_anything_differs() -> None:
    good = utf8_zip({"xl/worksheets/sheet1.xml": _SHEET, "docProps/app.xml": b"<Properties/>"})
    check_archive(open_zip(good), good, LIMITS)
    check_archive(open_zip(good), good, LIMITS)  # remembered: passes again
    with pytest.raises(Refused) as refused:  # the same bytes under stricter limits
        check_archive(open_zip(good), good, Limits(max_cells=100))
    assert refused.value.code == "extent"
    hostile = utf8_zip({"xl/worksheets/sheet1.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
                    + _SHEET[38:], "docProps/app.xml": b"<Properties/>"})
    for _ in range(2):  # a refusal is never remembered as a pass
        with pytest.raises(Refused) as refused:
            check_archive(open_zip(hostile), hostile, LIMITS)
        assert (refused.value.code, refused.value.detail) == ("entities", "xl/worksheets/sheet1.xml")
    stored = utf8_zip({"xl/worksheets/sheet1.xml": _SHEET.replace(b"A1:Z100", b"A1:XFD1048576")},
                  zipfile.ZIP_STORED)
    with pytest.raises(Refused) as refused:
        check_archive(open_zip(stored), stored, LIMITS)
    assert refused.value.code == "extent"


def test_a_remembered_header_row_maps_as_when_first_seen() -> None:
    from workplan_xl.returns.tables import header_map

    headers = ["序号", "任务ID", "完成状态", "进展情况", "备注"]
    row = [1.0, "序号", " 任务ID ", "完成状态（请选择）", "进展情况*", "备注"]
    first = header_map(row, headers)
    assert first == {"序号": 1, "任务ID": 2, "进展情况": 4, "备注": 5, "完成状态": 3}
    first["序号"] = 99  # the caller's copy: changing it changes nothing remembered
    assert header_map(list(row), headers) == header_map([True, *row[1:]], headers) == {
        "序号": 1, "任务ID": 2, "进展情况": 4, "备注": 5, "完成状态": 3}
    assert header_map(["序号", "x"], headers) == {"序号": 0}  # not a header row


def test_plain_rows_convert_only_what_is_not_plain() -> None:
    import datetime

    from workplan_xl.returns.worker import MAX_COLUMNS, _plain_rows

    wide = ["x"] * (MAX_COLUMNS + 3)
    assert _plain_rows([["a", 1.0, ""], wide, [""], []]) == [["a", 1.0], wide[:MAX_COLUMNS]]
    rows = [["a", datetime.date(2024, 6, 30), ""], ["b", datetime.datetime(2024, 6, 30, 8, 30), None],
            wide[:MAX_COLUMNS] + [datetime.time(8, 0)], [True, 2, "c"]]
    assert _plain_rows(rows) == [["a", "2024-06-30"], ["b", "2024-06-30T08:30:00"], wide[:MAX_COLUMNS],
                                 [True, 2, "c"]]


def _fields(archive: object) -> list[tuple[object, ...]]:
    return [(i.filename, i.orig_filename, i.flag_bits, i.compress_type, i.CRC, i.compress_size, i.file_size,
             i.header_offset) for i in archive.infolist()]  # type: ignore[attr-defined]


def test_a_plain_directory_read_by_hand_is_what_zipfile_reads() -> None:
    from workplan_xl.returns.zipdir import Package, read_directory

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/工作表.xml", "中文".encode() * 300, compress_type=zipfile.ZIP_STORED)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("[Content_Types].xml", b"<Types>second</Types>")
    data = buffer.getvalue()
    package = read_directory(data)
    reference = zipfile.ZipFile(io.BytesIO(data))
    assert isinstance(package, Package) and isinstance(open_zip(data), Package)
    assert _fields(package) == _fields(reference) and package.namelist() == reference.namelist()
    assert package.start_dir == reference.start_dir
    assert package.getinfo("[Content_Types].xml").header_offset == reference.getinfo("[Content_Types].xml").header_offset
    assert [package.read(m) for m in package.infolist()] == [reference.read(i) for i in reference.infolist()]
    assert package.read("[Content_Types].xml") == b"<Types>second</Types>"  # the last of equal names
    with package.open(package.infolist()[1]) as member:
        assert member.read() == "中文".encode() * 300


def _with_extra() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("a.xml")
        info.extra = b"\xfe\xca\x00\x00"
        archive.writestr(info, b"<a/>")
    return buffer.getvalue()


@pytest.mark.parametrize("case", ["comment", "prepended", "extra field", "cut directory", "cut end"])
def test_any_other_directory_is_left_to_zipfile(case: str) -> None:
    from workplan_xl.returns.zipdir import read_directory

    plain = utf8_zip({"a.xml": b"<a/>", "b.xml": b"<b/>"})
    data = {"comment": plain[:-2] + b"\x02\x00hi", "prepended": b"MZ" * 50 + plain, "extra field": _with_extra(),
            "cut directory": plain[:plain.index(b"PK\x01\x02") + 20] + plain[-22:], "cut end": plain[:-5]}[case]
    assert read_directory(data) is None
    try:
        reference = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        assert open_zip(data) is None  # refused as before: the file reads as cut off
    else:
        archive = open_zip(data)
        assert isinstance(archive, zipfile.ZipFile) and _fields(archive) == _fields(reference)
