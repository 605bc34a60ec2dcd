"""The SQLite ledger: one submission per bytes and round, the supersede rule, nothing deleted, and
the round as read_progress sees it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_returns import make_plan

from workplan_xl.errors import InputFileError, WorkplanError
from workplan_xl.ledger import NO_LEDGER, FileRecord, Ledger
from workplan_xl.ledger_state import read_progress, read_state, round_state
from workplan_xl.progress import MISSING, PROBLEM, REPORTED
from workplan_xl.returns import Finding, Reading, Value
from workplan_xl.returns.reading import READER_VERSION


def record(name: str, sha: str, mtime: float = 1_700_000_000.0) -> FileRecord:
    return FileRecord(Path("/r") / name, f"/r/{name}", name, 100, mtime, sha)


def accepted(code: str, status: str = "已完成", findings: list[Finding] | None = None) -> Reading:
    return Reading("accepted", unit_code=code, unit_name={"1001": "第一中学", "1002": "第二中学"}.get(code, code),
                   identified_by="按隐藏信息识别", file_round="",
                   values=[Value("task", "T001", "status", status, status), Value("indicator", "I001", "value", "96", "96%",
                                                                             "「96%」按96计")],
                   findings=findings or [])


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger(tmp_path / "台账.db") as opened:
        yield opened


def add(ledger: Ledger, run: int, rec: FileRecord, reading: Reading, round: str = "") -> int:
    with ledger.transaction():
        return ledger.add_submission(run, rec, round, reading)


def test_schema_and_journal_mode(ledger: Ledger) -> None:
    tables = {r[0] for r in ledger.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"schema_version", "runs", "roster", "submissions", "problems", "sightings", "pins"} <= tables
    views = {r[0] for r in ledger.conn.execute("SELECT name FROM sqlite_master WHERE type='view'")}
    assert views == {"values", "form_values"}
    assert ledger.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert ledger.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 3


def test_values_are_one_row_each_in_plain_sql(ledger: Ledger) -> None:
    plan = make_plan()
    run = ledger.start_run("", "fp", plan.units)
    reading = accepted("1001")
    reading.values.append(Value("form", "", "contact", "张老师", "张老师", "", "填报!B30"))
    sid = add(ledger, run, record("a.xlsx", "h1"), reading)
    rows = ledger.conn.execute('SELECT submission_id, unit_code, item_kind, item_id, field, value, raw, note, cell'
                               ' FROM "values" ORDER BY submission_id, position').fetchall()
    assert rows == [(sid, "1001", "task", "T001", "status", "已完成", "已完成", "", ""),
                    (sid, "1001", "indicator", "I001", "value", "96", "96%", "「96%」按96计", "")]
    assert ledger.conn.execute("SELECT unit_code, field, value, cell FROM form_values").fetchall() == [
        ("1001", "contact", "张老师", "填报!B30")]
    assert ledger.conn.execute("SELECT filled FROM submissions").fetchone()[0] == 2


def test_a_reading_packed_by_the_reader_is_stored_as_the_same_rows(ledger: Ledger) -> None:
    plan = make_plan()
    run = ledger.start_run("", "fp", plan.units)
    readings = [accepted("1001"), accepted("1001")]
    for reading in readings:
        reading.values.append(Value("form", "", "contact", "张老师", "张老师", "", "填报!B30"))
    assert readings[1].pack().values == [] and readings[1].stored() == readings[0].stored()
    first, second = (add(ledger, run, record(f"{n}.xlsx", f"h{n}"), r) for n, r in enumerate(readings))
    stored = 'SELECT item_kind, item_id, field, value, raw, note, cell FROM "values" WHERE submission_id = ?'
    assert ledger.conn.execute(stored, (second,)).fetchall() == ledger.conn.execute(stored, (first,)).fetchall() != []
    assert ledger.conn.execute("SELECT DISTINCT filled, form FROM submissions").fetchall() == [
        (2, '[["form","","contact","张老师","张老师","","填报!B30"]]')]


_VERSION_2 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE runs (id INTEGER PRIMARY KEY, round TEXT, plan_fingerprint TEXT NOT NULL);
CREATE TABLE roster (position INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL);
CREATE TABLE submissions (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, file_name TEXT NOT NULL,
    path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL, received TEXT NOT NULL,
    round TEXT, file_round TEXT, kind TEXT NOT NULL DEFAULT '', unit_code TEXT NOT NULL DEFAULT '',
    unit_name TEXT NOT NULL DEFAULT '', identified_by TEXT NOT NULL DEFAULT '',
    plan_fingerprint TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
    blank TEXT NOT NULL DEFAULT '', UNIQUE (sha256, round));
CREATE TABLE "values" (submission_id INTEGER NOT NULL, unit_code TEXT NOT NULL, item_kind TEXT NOT NULL,
    item_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, raw TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', cell TEXT NOT NULL DEFAULT '');
CREATE TABLE problems (id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL, file TEXT NOT NULL,
    unit TEXT NOT NULL, cell TEXT NOT NULL, problem TEXT NOT NULL, action TEXT NOT NULL);
CREATE TABLE sightings (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, submission_id INTEGER NOT NULL,
    path TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL, sha256 TEXT NOT NULL,
    duplicate INTEGER NOT NULL DEFAULT 0);
CREATE TABLE form_values (submission_id INTEGER NOT NULL, unit_code TEXT NOT NULL, field TEXT NOT NULL,
    value TEXT NOT NULL, raw TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', cell TEXT NOT NULL DEFAULT '');
CREATE TABLE pins (id INTEGER PRIMARY KEY, round TEXT NOT NULL, unit_code TEXT NOT NULL,
    file_name TEXT NOT NULL, set_at TEXT NOT NULL);
INSERT INTO schema_version VALUES (2);
INSERT INTO runs VALUES (1, '2025-年度', 'fp');
INSERT INTO roster VALUES (0, '1001', '第一中学', '学校'), (1, '1002', '第二中学', '学校');
INSERT INTO submissions (id, run_id, file_name, path, sha256, size, mtime, received, round, unit_code, unit_name,
    status) VALUES (1, 1, '旧.xlsx', '/r/旧.xlsx', 'h1', 10, 100, '2025-12-01T08:00:00', '2025-年度', '1001',
    '第一中学', 'superseded'), (2, 1, '新.xlsx', '/r/新.xlsx', 'h2', 10, 200, '2025-12-02T08:00:00', '2025-年度',
    '1001', '第一中学', 'accepted');
INSERT INTO "values" VALUES (1, '1001', 'task', 'T001', 'status', '推进中', '推进中', '', 'B5'),
    (2, '1001', 'task', 'T001', 'status', '已完成', '已完成', '', 'B5'),
    (2, '1001', 'indicator', 'I001', 'value', '96', '96%', '「96%」按96计', 'C5');
INSERT INTO form_values VALUES (2, '1001', 'contact', '李老师', '李老师', '', 'B20');
"""


def test_a_version_2_ledger_is_converted_and_keeps_every_value(tmp_path: Path) -> None:
    db = tmp_path / "旧 台账.db"
    sqlite3.connect(db).executescript(_VERSION_2)
    plan = make_plan()
    with Ledger(db) as ledger:
        assert ledger.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 3
        assert ledger.conn.execute('SELECT submission_id, item_id, value, raw, note, cell FROM "values"'
                                   " ORDER BY submission_id, position").fetchall() == [
            (1, "T001", "推进中", "推进中", "", "B5"), (2, "T001", "已完成", "已完成", "", "B5"),
            (2, "I001", "96", "96%", "「96%」按96计", "C5")]
        assert dict(ledger.conn.execute("SELECT id, filled FROM submissions")) == {1: 1, 2: 2}
        # its runs were made by readers of version 1: what they refused is read again (ledger.evaluated)
        assert {r for (r,) in ledger.conn.execute("SELECT reader FROM runs")} == {1}
        assert ledger.older_readers()
        run = ledger.start_run("2025-年度", "fp", plan.units)
        assert ledger.conn.execute("SELECT reader FROM runs WHERE id = ?", (run,)).fetchone() == (READER_VERSION,)
    state = read_state(plan, db, "2025-年度")
    assert [(e.unit_code, e.item_id, e.value) for e in state.entries] == [("1001", "T001", "已完成"), ("1001", "I001", "96")]
    assert state.units[0].form == {"contact": "李老师"} and state.units[0].state == REPORTED
    read_state(plan, db, "2025-年度")  # opened again: already version 3


def test_a_read_only_old_ledger_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "旧.db"
    sqlite3.connect(db).executescript(_VERSION_2)

    def read_only(self: Ledger) -> None:  # what SQLite says on a read-only file or share (root ignores chmod)
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(Ledger, "transaction", read_only)
    with pytest.raises(InputFileError) as raised:
        read_state(make_plan(), db, "2025-年度")
    assert str(raised.value) == ("数据库「旧.db」是旧版本的台账数据库，需要转换成新格式，但它是只读的：请把它复制到可以写入的位置"
                                 "（或取消只读）后重新运行。")
    assert sqlite3.connect(db).execute("SELECT max(version) FROM schema_version").fetchone()[0] == 2


def test_same_bytes_twice_is_one_submission(ledger: Ledger) -> None:
    plan = make_plan()
    run = ledger.start_run("", "fp", plan.units)
    first = add(ledger, run, record("a.xlsx", "h1"), accepted("1001"))
    assert ledger.evaluated("h1", "") == first
    assert ledger.evaluated("h1", None) == first  # the form's own round ("") is where it was taken
    assert ledger.evaluated("h1", "2024-12") is None  # another round evaluates it afresh
    with pytest.raises(sqlite3.IntegrityError):
        add(ledger, run, record("copy of a.xlsx", "h1"), accepted("1001"))
    assert ledger.conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1


def test_later_file_supersedes_nothing_deleted(ledger: Ledger) -> None:
    plan = make_plan()
    run = ledger.start_run("", "fp", plan.units)
    old = add(ledger, run, record("z-old.xlsx", "h1", mtime=100.0), accepted("1001", "推进中"))
    same_time_a = add(ledger, run, record("a.xlsx", "h2", mtime=200.0), accepted("1001", "未启动"))
    same_time_b = add(ledger, run, record("b.xlsx", "h3", mtime=200.0), accepted("1001", "已完成"))
    ledger.settle("")
    status = dict(ledger.conn.execute("SELECT id, status FROM submissions"))
    # the latest time wins; at the same time the name sorted last wins
    assert status == {old: "superseded", same_time_a: "superseded", same_time_b: "accepted"}
    assert ledger.conn.execute('SELECT count(*) FROM "values"').fetchone()[0] == 6
    state = round_state(ledger, plan.units, "")
    assert [(e.item_id, e.value) for e in state.entries] == [("T001", "已完成"), ("I001", "96")]
    assert state.units[0].file == "b.xlsx" and state.units[0].submissions == 3


def test_unit_states_and_problems(ledger: Ledger) -> None:
    plan = make_plan()
    run = ledger.start_run("", "fp", plan.units)
    add(ledger, run, record("1001.xlsx", "h1"), accepted("1001"))
    add(ledger, run, record("1002.xlsx", "h2"), accepted("1002", findings=[
        Finding("任务进展!F5", "完成状态「好」不是可选项", "请改正")]))
    broken = Reading("rejected", reason="文件不完整", unit_code="1003", unit_name="实验小学", identified_by="按文件名识别",
                     findings=[Finding("", "文件「1003.xlsx」不完整（可能下载或复制中断）", "请重新发送。")])
    add(ledger, run, record("1003.xlsx", "h3"), broken)
    unknown = Reading("rejected", reason="不是 Excel", findings=[Finding("", "文件「x.xls」实际上不是 Excel 文件（是网页）", "…")])
    add(ledger, run, record("x.xls", "h4"), unknown)
    add(ledger, run, record("~$1001.xlsx", "h5"), Reading("skipped", reason="锁定文件"))
    ledger.settle("")
    state = round_state(ledger, plan.units, "")
    # a usable return with a bad cell is reported (the cell is in 问题清单); 有问题 is only unusable files
    assert [u.state for u in state.units] == [REPORTED, REPORTED, PROBLEM, MISSING]
    assert state.units[2].problems == ["文件「1003.xlsx」不完整（可能下载或复制中断）"]
    assert [(p.file, p.unit, p.cell) for p in state.problems] == [
        ("1002.xlsx", "第二中学", "任务进展!F5"), ("1003.xlsx", "实验小学", ""), ("x.xls", "", "")]


def test_a_fixed_resend_hides_the_older_failure(ledger: Ledger) -> None:
    plan = make_plan()
    run = ledger.start_run("", "fp", plan.units)
    failed = Reading("rejected", unit_code="1001", findings=[Finding("", "文件「a.xlsx」加了密码，无法读取", "去掉密码")])
    add(ledger, run, record("a.xlsx", "h1", mtime=100.0), failed)
    add(ledger, run, record("b.xlsx", "h2", mtime=200.0), accepted("1001"))
    ledger.settle("")
    state = round_state(ledger, plan.units, "")
    assert state.units[0].state == REPORTED and state.problems == []


def test_sightings_let_unchanged_files_skip_hashing(ledger: Ledger) -> None:
    run = ledger.start_run("", "fp", [])
    rec = record("a.xlsx", "h1")
    add(ledger, run, rec, accepted("1001"))
    assert ledger.known_hash(rec.key, rec.size, rec.mtime) == "h1"
    assert ledger.known_hash(rec.key, rec.size, rec.mtime + 1) is None


def test_read_progress(tmp_path: Path) -> None:
    plan = make_plan()
    db = tmp_path / "台账.db"
    with Ledger(db) as ledger:
        run = ledger.start_run("2024-06", "fp", plan.units)
        add(ledger, run, record("1001.xlsx", "h1"), accepted("1001"), round="2024-06")
        ledger.finish_run(run, "2024-06")
        ledger.settle("2024-06")
    progress = read_progress(plan, db)
    assert progress.round == "2024-06"
    assert [u.state for u in progress.units] == [REPORTED, MISSING, MISSING, MISSING]
    t001 = next(t for t in progress.tasks if t.task.id == "T001")
    assert t001.counts["已完成"] == 1 and [u.code for u in t001.missing] == ["1002", "1003", "1004"]
    assert progress.indicators[0].values == [("1001", 96.0)]
    with pytest.raises(WorkplanError) as error:
        read_state(plan, db, round="其他批次")
    assert str(error.value) == ("批次「其他批次」还没有收集过回表：已收集的批次有 「2024-06」，"
                                "请用 --round 指定其中之一，或先运行 wpx collect。")


def test_no_ledger_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(WorkplanError) as error:
        read_progress(make_plan(), tmp_path / "none.db")
    assert str(error.value) == NO_LEDGER == "还没有收集过回表：请先运行 wpx collect。"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputFileError) as error:
        Ledger(junk)
    assert str(error.value).startswith("数据库「junk.db」无法打开")
    other = tmp_path / "other.db"
    sqlite3.connect(other).executescript("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
    with pytest.raises(InputFileError) as error:
        Ledger(other)
    assert str(error.value) == "数据库「other.db」不是 wpx 的台账数据库：请用 --db 指定另一个文件名。"
    newer = tmp_path / "newer.db"
    Ledger(newer).__exit__()
    sqlite3.connect(newer).executescript("UPDATE schema_version SET version = 9;")
    with pytest.raises(InputFileError) as error:
        Ledger(newer)
    assert "版本（9）与本程序（3）不符" in str(error.value)
