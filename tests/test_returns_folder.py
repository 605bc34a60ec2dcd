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
from workplan_xl.returns.reading import Reading, Value
from workplan_xl.returns_folder import file_record, files_seen, list_files, place, same_place


def test_list_files_is_sorted_and_leaves_our_own_files_out(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.xlsx", "b/1.xlsx", "a.xlsx", "台账.xlsx", "台账.db", "汇总.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    found = list_files([tmp_path], exclude=[tmp_path / "台账.xlsx", tmp_path / "台账.db", tmp_path / "汇总.xlsx"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.xlsx", "b/1.xlsx", "b/2.xlsx"]
    with pytest.raises(InputFileError) as error:
        list_files([tmp_path / "没有"])
    assert str(error.value) == f"找不到回表文件夹或文件「{tmp_path / '没有'}」：请检查路径是否正确。"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and links as POSIX has them")
def test_links_and_pipes_are_listed_and_linked_folders_not_entered(tmp_path: Path) -> None:
    # listed, to be named in 文件清单 (unpack.container_kind says "odd" before anything opens them)
    (tmp_path / "别处").mkdir()
    (tmp_path / "别处" / "3.xlsx").write_bytes(b"x")
    returns = tmp_path / "回表"
    returns.mkdir()
    (returns / "1.xlsx").write_bytes(b"x")
    os.mkfifo(returns / "管道.xlsx")
    (returns / "断链.xlsx").symlink_to(tmp_path / "没有.xlsx")
    (returns / "链接 文件夹").symlink_to(tmp_path / "别处", target_is_directory=True)
    found = list_files([returns])
    assert [p.name for p in found] == ["1.xlsx", "断链.xlsx", "管道.xlsx", "链接 文件夹"]  # 3.xlsx not reached


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


def test_files_seen_says_what_became_of_each_file(tmp_path: Path) -> None:
    # 文件清单's rows: the fate after the supersede rule, the sub-folder, and a duplicate named by its first
    returns = tmp_path / "回表"
    (returns / "二 批").mkdir(parents=True)
    names = ("一中 旧.xlsx", "二 批/一中 新.xlsx", "说明.png", "一中 新 副本.xlsx")
    records = {}
    for n, name in enumerate(names):
        path = returns / name
        path.write_bytes(b"x" * (n + 1))
        os.utime(path, (1_700_000_000 + n, 1_700_000_000 + n))
        records[name] = file_record(path)
    values = [Value("task", "T001", "status", "已完成", "已完成")]
    with Ledger(tmp_path / "台账.db") as ledger:
        run = ledger.start_run("", "fp", [])
        with ledger.transaction():
            old = ledger.add_submission(run, records[names[0]], "", Reading(
                "accepted", unit_code="1001", unit_name="第一中学", values=values))
            new = ledger.add_submission(run, records[names[1]], "", Reading(
                "accepted", unit_code="1001", unit_name="第一中学", values=values))
            skipped = ledger.add_submission(run, records[names[2]], "", Reading("skipped", reason="不是电子表格（是图片）"))
        ledger.settle("")
        fates = {records[names[0]].key: (old, False, names[0]), records[names[1]].key: (new, False, "一中 新.xlsx"),
                 records[names[2]].key: (skipped, False, names[2]), records[names[3]].key: (new, True, names[3])}
        rows = files_seen(ledger, fates, [returns], [tmp_path])
    assert rows == [
        [names[0], "", "第一中学", "被替代", "同一单位报了多份，以修改时间较晚的一份为准；这一份保留在数据库里"],
        ["一中 新.xlsx", "二 批", "第一中学", "采用", "已计入批次「未分批次」"],
        [names[2], "", "", "跳过", "不是电子表格（是图片）"],
        [names[3], "", "第一中学", "重复", "与「一中 新.xlsx」内容完全相同，只算一份"],
    ]
