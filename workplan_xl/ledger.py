"""The ledger: a SQLite file beside the master workbook that keeps every file collect has seen, every
value it took from them and every problem it found. Nothing is deleted: a unit's later return
supersedes its earlier one, and both stay.

One collecting process writes at a time, so the ledger uses SQLite's classic rollback journal
(journal_mode=DELETE), not WAL: WAL keeps -wal/-shm side files next to the .db that office users copy,
sync (network drives, cloud folders) and mail separately from it, and a copied .db without its -wal
file silently loses the last runs. With DELETE the .db is the whole ledger whenever no run is active.
"""

from __future__ import annotations

import datetime
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from workplan_xl.errors import InputFileError, WorkplanError
from workplan_xl.ledger_schema import (
    FOLDERS,
    PINS,
    SCHEMA,
    SCHEMA_VERSION,
    VIEWS,
    convert,
)
from workplan_xl.plan import Unit
from workplan_xl.progress import (
    MISSING,
)
from workplan_xl.returns.interpret import Reading
from workplan_xl.returns.reading import READER_VERSION

LATER_RULE = ("同一单位同一批次有多份可用的回表时，以文件修改时间较晚者为准，时间相同按文件名排序（排在后面的为准）；"
              "空表、损坏或不属于本批次的文件不替换已采用的回表（可用 --pin 指定采用哪份）")
_YEAR_END = re.compile(r"年度|年终|全年|年底|年末|四季度|第四季度|[Qq]4|(?<![0-9])12月?$|-12$")
NO_LEDGER = "还没有收集过回表：请先运行 wpx collect。"

@dataclass(frozen=True)
class FileRecord:
    """What collect knows about a file before reading it."""

    path: Path
    key: str  # the path as text that SQLite accepts (undecodable bytes escaped)
    name: str  # the file name as shown to people
    size: int
    mtime: float
    sha256: str

    @property
    def received(self) -> str:
        return datetime.datetime.fromtimestamp(self.mtime).isoformat(timespec="seconds")


class Ledger:
    """An open ledger file. Use as a context manager; writes go through ``transaction()``."""

    def __init__(self, path: Path, create: bool = True) -> None:
        self.path = path
        self._older_readers: bool | None = None  # whether runs of older readers are in it (add_submission)
        if not create and not path.exists():
            raise WorkplanError(NO_LEDGER)
        try:
            self.conn = sqlite3.connect(str(path), isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=DELETE")
            # NORMAL: fewer fsyncs than FULL; the rollback journal still guards every transaction.
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                if not create:
                    raise WorkplanError(NO_LEDGER)
                self.conn.executescript(f"BEGIN;{SCHEMA}{VIEWS}{PINS}{FOLDERS}"
                                        f"INSERT INTO schema_version VALUES ({SCHEMA_VERSION});COMMIT;")
            elif "schema_version" not in tables:
                raise InputFileError(f"数据库「{path.name}」不是 wpx 的台账数据库：请用 --db 指定另一个文件名。")
            version = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            if version in (1, 2):
                self._convert(version)
                version = SCHEMA_VERSION
            if version != SCHEMA_VERSION:
                raise InputFileError(f"数据库「{path.name}」的版本（{version}）与本程序（{SCHEMA_VERSION}）不符：请升级 wpx，"
                                     "或用 --db 指定一个新的数据库文件。")
            self._upgrade()
        except sqlite3.DatabaseError as error:
            raise InputFileError(f"数据库「{path.name}」无法打开（{error}）：它可能已损坏或不是 wpx 的台账数据库，"
                                 "请用 --db 指定另一个文件名。") from None
        self._seen: dict[tuple[str, int, float], str] | None = None

    def _convert(self, version: int) -> None:
        """A version 1 or 2 ledger (a row per value in tables "values" and form_values; version 1 without
        form_values) becomes version 3 in one transaction: each submission's values move into its
        payload in their order, and the tables become the views of the same names."""
        try:
            with self.transaction():
                convert(self.conn, version)
        except sqlite3.OperationalError as error:
            if "readonly" in str(error) or "read-only" in str(error):
                raise InputFileError(f"数据库「{self.path.name}」是旧版本的台账数据库，需要转换成新格式，但它是只读的：请把它复制到"
                                     "可以写入的位置（或取消只读）后重新运行。") from None
            raise

    def _upgrade(self) -> None:
        """Additions to the schema that older ledgers of the same version lack: added in place."""
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(submissions)")}
        run_columns = {r[1] for r in self.conn.execute("PRAGMA table_info(runs)")}
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "blank" in columns and "pins" in tables and "returns_folders" in tables and "reader" in run_columns:
            return
        try:
            with self.transaction():
                if "blank" not in columns:
                    self.conn.execute("ALTER TABLE submissions ADD COLUMN blank TEXT NOT NULL DEFAULT ''")
                if "reader" not in run_columns:  # the runs before it: readers of version 1
                    self.conn.execute("ALTER TABLE runs ADD COLUMN reader INTEGER NOT NULL DEFAULT 1")
                self.conn.execute(PINS.strip())
                self.conn.execute(FOLDERS)
        except sqlite3.OperationalError:
            pass  # a read-only ledger: the state is read without pins and without 部分填报

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- runs and the roster ---------------------------------------------------------------------
    def start_run(self, round: str | None, fingerprint: str, units: list[Unit]) -> int:
        with self.transaction():
            run = self.conn.execute("INSERT INTO runs (round, plan_fingerprint, reader) VALUES (?, ?, ?)",
                                    (round, fingerprint, READER_VERSION)).lastrowid
            self.conn.execute("DELETE FROM roster")  # a snapshot of the current roster, for wpx status
            self.conn.executemany("INSERT INTO roster VALUES (?, ?, ?, ?)",
                                  [(i, u.code, u.name, u.type) for i, u in enumerate(units)])
        assert run is not None
        return run

    def note_folders(self, folders: list[Path]) -> None:
        """Remember the folders returns were collected from (outputs.py keeps forms and notices out)."""
        with self.transaction():
            self.conn.executemany("INSERT OR IGNORE INTO returns_folders "
                                  "VALUES (?, (SELECT coalesce(max(id), 0) FROM runs))",
                                  [(os.path.abspath(f),) for f in folders])

    def roster(self) -> list[Unit]:
        return [Unit(code, name, type_) for code, name, type_ in
                self.conn.execute("SELECT code, name, type FROM roster ORDER BY position")]

    def latest_round(self) -> str | None:
        row = self.conn.execute("SELECT round FROM runs WHERE round IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else row[0]

    def rounds(self) -> list[str]:
        """The rounds collected, in the order they were first collected."""
        return list(dict.fromkeys(r for (r,) in self.conn.execute(
            "SELECT round FROM runs WHERE round IS NOT NULL ORDER BY id")))

    def year_end_round(self) -> str:
        """The round a 年度工作总结 is drafted from: the only round, or the only one named as year-end
        (年度, 年终, 全年, 12月, -12, 四季度); else one sentence listing the rounds."""
        rounds = self.rounds()
        if not rounds:
            raise WorkplanError(NO_LEDGER)
        if len(rounds) == 1:
            return rounds[0]
        year_end = [r for r in rounds if _YEAR_END.search(r)]
        if len(year_end) == 1:
            return year_end[0]
        listed = "、".join(f"「{r or '未分批次'}」" for r in rounds)
        example = next((r for r in reversed(year_end or rounds) if r), "2025-年度")
        raise WorkplanError(f"台账数据库中有 {len(rounds)} 个批次（{listed}），无法确定年度工作总结用哪一个：请用 --round 指定，"
                            f"如 --round {example}。")

    def check_round(self, round: str) -> None:
        """A round asked for by name must have been collected."""
        rounds = [r for (r,) in self.conn.execute("SELECT DISTINCT round FROM runs WHERE round IS NOT NULL ORDER BY id")]
        if round not in rounds:
            known = "、".join(f"「{r or '未分批次'}」" for r in dict.fromkeys(rounds)) or "（无）"
            raise WorkplanError(f"批次「{round or '未分批次'}」还没有收集过回表：已收集的批次有 {known}，"
                                "请用 --round 指定其中之一，或先运行 wpx collect。")

    def finish_run(self, run: int, round: str) -> None:
        """Give the run and its submissions without a round of their own the run's round."""
        with self.transaction():
            self.conn.execute("UPDATE runs SET round = ? WHERE id = ?", (round, run))
            if self.older_readers():
                self._retire("sha256 IN (SELECT sha256 FROM submissions WHERE run_id = ? AND round IS NULL)", (run, round))
            self.conn.execute("UPDATE OR IGNORE submissions SET round = ? WHERE run_id = ? AND round IS NULL", (round, run))

    def older_readers(self) -> bool:
        """Whether runs of readers older than READER_VERSION are in the ledger (their refusals are redone)."""
        if self._older_readers is None:
            self._older_readers = self.conn.execute("SELECT 1 FROM runs WHERE reader < ? LIMIT 1",
                                                    (READER_VERSION,)).fetchone() is not None
        return self._older_readers

    def _retire(self, which: str, args: tuple[object, ...]) -> None:
        """The refusals and skips by older readers of bytes read again for a round (``which``: an SQL condition
        on sha256, its arguments, then the round) are kept, marked superseded by the new reading; their sha256
        is prefixed "retired:" (the ledger holds one verdict per bytes and round)."""
        self.conn.execute(
            f"UPDATE submissions SET status = 'superseded', sha256 = 'retired:' || sha256 WHERE {which} AND round IS ?"
            " AND status IN ('rejected', 'skipped') AND run_id IN (SELECT id FROM runs WHERE reader < ?)",
            (*args, READER_VERSION))

    # -- what has been seen ------------------------------------------------------------------------
    def known_hash(self, key: str, size: int, mtime: float) -> str | None:
        """The sha256 of a file seen before at this path with this size and time: no need to hash it."""
        if self._seen is None:
            self._seen = {(p, s, m): h for p, s, m, h in
                          self.conn.execute("SELECT path, size, mtime, sha256 FROM sightings")}
        return self._seen.get((key, size, mtime))

    def seen_at(self, sha256: str, place: str) -> bool:
        """Whether these bytes were seen before at ``place``: a path relative to the working folder (or
        to the returns folder's parent), so the same returns collected from another working folder,
        or after the folder was moved, are the same files and not copies of each other."""
        place = place.replace("\\", "/")
        for (path,) in self.conn.execute("SELECT path FROM sightings WHERE sha256 = ? UNION "
                                         "SELECT path FROM submissions WHERE sha256 = ?", (sha256, sha256)):
            path = path.replace("\\", "/")
            if path == place or path.endswith("/" + place):
                return True
        return False

    def evaluated(self, sha256: str, round: str | None) -> int | None:
        """The submission that already holds these bytes for ``round`` (None: for the round written
        on the form, or for any round when the form has none). A refusal or skip by older readers
        (runs.reader below READER_VERSION) does not count: the file is read again (see add_submission)."""
        rows = self.conn.execute(
            "SELECT s.id, s.round, s.file_round FROM submissions s JOIN runs r ON r.id = s.run_id WHERE s.sha256 = ?"
            " AND NOT (s.status IN ('rejected', 'skipped') AND r.reader < ?) ORDER BY s.id",
            (sha256, READER_VERSION)).fetchall()
        for sid, sround, file_round in rows:
            if (sround == round) if round is not None else (file_round is None or sround == file_round):
                return sid
        return None

    def file_round(self, submission: int) -> str | None:
        return self.conn.execute("SELECT file_round FROM submissions WHERE id = ?", (submission,)).fetchone()[0]

    def add_sighting(self, run: int, submission: int, record: FileRecord, duplicate: bool) -> None:
        if self._seen is not None and (record.key, record.size, record.mtime) in self._seen:
            return
        self.conn.execute("INSERT INTO sightings (run_id, submission_id, path, size, mtime, sha256, duplicate) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?)", (run, submission, record.key, record.size, record.mtime,
                                                           record.sha256, int(duplicate)))
        if self._seen is not None:
            self._seen[(record.key, record.size, record.mtime)] = record.sha256

    def add_submission(self, run: int, record: FileRecord, round: str | None, reading: Reading) -> int:
        """Record one file and what was read from it (call inside a transaction)."""
        if round is not None and self.older_readers():
            self._retire("sha256 = ?", (record.sha256, round))
        payload, filled, form = reading.stored()
        sid = self.conn.execute(
            "INSERT INTO submissions (run_id, file_name, path, sha256, size, mtime, received, round, file_round, kind,"
            " unit_code, unit_name, identified_by, plan_fingerprint, status, reason, blank, payload, filled, form)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run, record.name, record.key, record.sha256, record.size, record.mtime, record.received, round,
             reading.file_round, reading.kind, reading.unit_code, reading.unit_name, reading.identified_by,
             reading.plan_fingerprint, reading.status, reading.reason, "、".join(reading.blank),
             payload, filled, form)).lastrowid
        assert sid is not None
        if reading.findings:
            self.conn.executemany(
                "INSERT INTO problems (submission_id, file, unit, cell, problem, action) VALUES (?, ?, ?, ?, ?, ?)",
                [(sid, record.name, reading.unit_name, f.cell, f.problem, f.action) for f in reading.findings])
        self.add_sighting(run, sid, record, duplicate=False)
        return sid

    def settle(self, round: str) -> None:
        """Apply the supersede rule: per unit, the file the officer pinned, else the usable return with the
        latest file time (then the last file name, then the last collected) is current; the others are
        superseded, never deleted. Rejected files (blank, unreadable, foreign, another plan or round)
        are never candidates, so they cannot displace a usable return. A workbook comes before any CSV: a
        CSV keeps one of the form's two sheets, so one sent after the workbook is a copy that holds less."""
        rows = self.conn.execute(
            "SELECT id, unit_code, file_name FROM submissions s WHERE round = ? AND status IN ('accepted', 'superseded')"
            " AND filled > 0 ORDER BY unit_code, kind = 'csv', mtime DESC, file_name DESC, id DESC", (round,)).fetchall()
        pins = self.pins(round)
        candidates: dict[str, list[tuple[int, str]]] = {}
        for sid, unit, name in rows:
            candidates.setdefault(unit, []).append((sid, name))
        current = {unit: next((sid for sid, name in found if name == pins.get(unit)), found[0][0])
                   for unit, found in candidates.items()}
        with self.transaction():
            self.conn.executemany("UPDATE submissions SET status = ? WHERE id = ?",
                                  [("accepted" if current[unit] == sid else "superseded", sid) for sid, unit, _ in rows])
            # a usable-looking submission without any value (older ledgers kept blank forms so) is not current
            self.conn.execute("UPDATE submissions SET status = 'superseded' WHERE round = ? AND status = 'accepted'"
                              " AND filled = 0", (round,))

    # -- pins: the officer's choice of a unit's current file ----------------------------------------
    def pins(self, round: str) -> dict[str, str]:
        """unit code → the file name pinned for ``round`` (the latest choice per unit; '' lifts it)."""
        try:
            rows = self.conn.execute("SELECT unit_code, file_name FROM pins WHERE round = ? ORDER BY id",
                                     (round,)).fetchall()
        except sqlite3.OperationalError:  # a read-only ledger from before pins existed
            return {}
        return {code: name for code, name in dict(rows).items() if name}

    def pin(self, round: str, unit_code: str, file_name: str) -> None:
        """Record the officer's choice (file_name '' lifts the pin); it holds for later runs."""
        with self.transaction():
            self.conn.execute("INSERT INTO pins (round, unit_code, file_name, set_at) VALUES (?, ?, ?, ?)",
                              (round, unit_code, file_name, datetime.datetime.now().isoformat(timespec="seconds")))

    def check_pin(self, round: str, unit: Unit, file_name: str) -> None:
        """A pinned file must be a usable return of that unit in that round."""
        rows = self.conn.execute(
            "SELECT status, reason FROM submissions WHERE round = ? AND unit_code = ? AND file_name = ? ORDER BY id DESC",
            (round, unit.code, file_name)).fetchall()
        shown = f"{unit.name}（{unit.code}）"
        if not rows:
            names = [n for (n,) in self.conn.execute(
                "SELECT DISTINCT file_name FROM submissions WHERE round = ? AND unit_code = ? AND status IN"
                " ('accepted', 'superseded') ORDER BY id", (round, unit.code))]
            listed = "、".join(f"「{n}」" for n in names) or "（无）"
            raise WorkplanError(f"批次「{round or '未分批次'}」中没有{shown}名为「{file_name}」的回表，无法指定：该单位可用的回表有 "
                                f"{listed}，请从中选择（--pin 代码=文件名）。")
        if rows[0][0] not in ("accepted", "superseded"):
            raise WorkplanError(f"「{file_name}」不能指定为{shown}采用的回表：{rows[0][1] or '这份文件未能使用'}。"
                                "请指定该单位一份可用的回表。")


def round_file_name(round: str) -> str:
    """汇总.xlsx for the unnamed round, 汇总_2025-年度.xlsx for a named one: each round its own file."""
    if not round:
        return "汇总.xlsx"
    return "汇总_" + re.sub(r'[\\/:*?"<>|\s]+', "-", round).strip("-.")[:60] + ".xlsx"


__all__ = ["LATER_RULE", "MISSING", "NO_LEDGER", "FileRecord", "Ledger", "round_file_name"]
