"""A workbook small enough to live in the compound file's mini stream (under 4,096 bytes, as writers
other than Excel leave it, and as python-calamine's own password.xls is): its BIFF records are still
read before any reader, so a password is named as one and an Excel 95 workbook is not read as garbage."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_files import biff5_workbook, biff_workbook
from openpyxl import load_workbook
from test_returns import make_plan

from workplan_xl.cli import cli
from workplan_xl.master_workbook import write_master_workbook
from workplan_xl.returns.ole import Ole

_END, _FREE, _FAT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def mini_stream_ole(name: str, stream: bytes) -> bytes:
    """A version-3 compound file whose one stream sits in the mini stream: sectors are
    [FAT][directory][mini FAT][the root's stream, i.e. the mini stream …]."""
    assert len(stream) < 4096
    mini = stream.ljust(-(-len(stream) // 64) * 64, b"\0")
    minis = len(mini) // 64
    big = -(-len(mini) // 512)
    fat = [_FAT, _END, _END] + [3 + i + 1 if i + 1 < big else _END for i in range(big)]
    minifat = [i + 1 if i + 1 < minis else _END for i in range(minis)]

    def entry(label: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = bytearray(128)
        encoded = label.encode("utf-16-le")
        raw[:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded) + 2 if label else 0, kind, 1)
        struct.pack_into("<III", raw, 68, _FREE, _FREE, child)
        struct.pack_into("<II", raw, 116, start, size)
        return bytes(raw)

    directory = (entry("Root Entry", 5, 1, 3, len(mini)) + entry(name, 2, _FREE, 0, len(stream))
                 + entry("", 0, _FREE, _END, 0) * 2)
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, 2, 1, _END, 0)
    struct.pack_into("<I", header, 0x4C, 0)
    header[0x50:] = b"\xff" * (512 - 0x50)
    table = struct.pack("<128I", *(fat + [_FREE] * (128 - len(fat))))
    mini_table = struct.pack("<128I", *(minifat + [_FREE] * (128 - len(minifat))))
    return bytes(header) + table + directory + mini_table + mini.ljust(big * 512, b"\0")


LOCKED = mini_stream_ole("Workbook", biff_workbook(password=True))
OLD = mini_stream_ole("Book", biff5_workbook([("代码", 1), ("第一中学", 1001)]))


def test_a_stream_in_the_mini_stream_is_read() -> None:
    ole = Ole(LOCKED)
    assert ole.stream(ole.root_names()["workbook"]) == biff_workbook(password=True)


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def base(tmp_path: Path) -> Path:
    folder = tmp_path / "督导 室"
    (folder / "外来 文件").mkdir(parents=True)
    return folder


@pytest.mark.parametrize(("data", "sentence"), [
    (LOCKED, "填报单位名单「{}」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。"),
    (OLD, "填报单位名单「{}」是Excel 5.0/95 格式的旧工作簿，无法直接读取：请用 Excel 或 WPS 打开，另存为 .xlsx 后再试。"),
], ids=["加密", "Excel 95"])
def test_a_small_xls_as_a_roster(base: Path, data: bytes, sentence: str) -> None:
    roster = base / "外来 文件" / "单位 名单.xls"
    roster.write_bytes(data)
    plan = base / "计划.json"
    plan.write_text(make_plan().to_json(), encoding="utf-8")
    result = run("build", plan, "--units", roster, "-o", base / "台 账.xlsx")
    assert (result.exit_code, result.output) == (2, f"错误：{sentence.format(roster.name)}\n")


@pytest.mark.parametrize(("data", "sentence"), [
    (LOCKED, "台账「{}」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。"),
    (OLD, "「{}」是Excel 5.0/95 格式的旧工作簿，不是 wpx 生成的台账（台账是 .xlsx 工作簿）：请用 wpx build 生成的台账；"
          "如果它是在 Excel 或 WPS 里另存过的台账，请再另存为 .xlsx（Excel 工作簿）后再试。"),
], ids=["加密", "Excel 95"])
def test_a_small_xls_as_the_master(base: Path, data: bytes, sentence: str) -> None:
    master = base / "外来 文件" / "台账 旧.xls"
    master.write_bytes(data)
    result = run("status", master)
    assert (result.exit_code, result.output) == (2, f"错误：{sentence.format(master.name)}\n")


def test_small_xls_returns_are_named(base: Path) -> None:
    master = write_master_workbook(make_plan(units=2), base / "台账.xlsx")
    returns = base / "回 表"
    returns.mkdir()
    (returns / "加密 回表.xls").write_bytes(LOCKED)
    (returns / "九五 回表.xls").write_bytes(OLD)
    result = run("collect", master, returns)
    assert result.exit_code == 3, result.output
    rows = list(load_workbook(base / "汇总.xlsx", read_only=True)["文件清单"].iter_rows(values_only=True))[3:]
    fates = {r[0]: (r[3], re.sub(r"（原文件已复制到隔离区：.*）$", "", r[4])) for r in rows if r[0]}
    assert fates["加密 回表.xls"] == ("未采用", "文件「加密 回表.xls」加了密码，无法读取")
    assert fates["九五 回表.xls"] == ("未采用", "文件「九五 回表.xls」是Excel 5.0/95 格式的旧工作簿，无法直接读取")
