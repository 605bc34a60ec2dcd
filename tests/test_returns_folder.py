"""returns_folder.py: what collect finds in the returns folders, each file's record, and a file's
place relative to the working folder."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

import pytest

from workplan_xl.errors import InputFileError
from workplan_xl.ledger import Ledger
from workplan_xl.returns.reading import Reading
from workplan_xl.returns_folder import file_record, list_files, place, same_place


def test_list_files_is_sorted_and_leaves_our_own_files_out(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.xlsx", "b/1.xlsx", "a.xlsx", "台账.xlsx", "台账.db", "汇总.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "b" / "管道.xlsx")  # would make any reader wait for ever: left out
    found = list_files([tmp_path], exclude=[tmp_path / "台账.xlsx", tmp_path / "台账.db", tmp_path / "汇总.xlsx"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.xlsx", "b/1.xlsx", "b/2.xlsx"]
    with pytest.raises(InputFileError) as error:
        list_files([tmp_path / "没有"])
    assert str(error.value) == f"找不到回表文件夹或文件「{tmp_path / '没有'}」：请检查路径是否正确。"


def test_a_file_is_hashed_unless_the_ledger_knows_its_path_size_and_time(tmp_path: Path) -> None:
    path = tmp_path / "回表 一.xlsx"
    path.write_bytes(b"PK\x03\x04 bytes")
    record = file_record(path)
    assert (record.name, record.size, record.sha256) == ("回表 一.xlsx", 10, hashlib.sha256(path.read_bytes()).hexdigest())
    with Ledger(tmp_path / "台账.db") as ledger:
        run = ledger.start_run("", "fp", [])
        with ledger.transaction():
            ledger.add_submission(run, dataclasses.replace(record, sha256="known"), None, Reading("skipped"))
        ledger._seen = None  # read the sightings again, as a later run would
        assert file_record(path, ledger).sha256 == "known"  # same path, size and time: not read again
        os.utime(path, (1, 1))
        assert file_record(path, ledger).sha256 == record.sha256  # another time: hashed


def test_a_files_place_is_relative_to_the_working_folder(tmp_path: Path) -> None:
    work, returns = tmp_path / "工作 文件夹", tmp_path / "工作 文件夹" / "回表"
    returns.mkdir(parents=True)
    file = returns / "一中.xlsx"
    assert place(file, [work]) == "回表/一中.xlsx"
    assert place(tmp_path / "别处.xlsx", [work]) == "别处.xlsx"  # outside every root: its name
    # recorded from another working folder (or before the folder moved): the same file
    assert same_place("D:\\旧位置\\回表\\一中.xlsx", str(file), [work])
    assert same_place(str(file), str(file), [work]) and not same_place("回表/二中.xlsx", str(file), [work])
