"""The ledger's SQLite schema, its conversion from older versions, and the values as stored.

A submission's values are kept in its own row as JSON (see VIEWS for why and how plain SQL still
sees one row per value); StoredEntries reads a round's back as they are walked."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from workplan_xl.progress import Entry
from workplan_xl.returns.interpret import FORM
from workplan_xl.returns.reading import encode_values

# 2: form_values (the 填报人 block). 3: a submission's values are kept in it as one JSON array (payload),
# with "values" and form_values as views over it; older ledgers are converted when opened.
SCHEMA_VERSION = 3
# What was read from a file is stored with the file, as JSON arrays of [kind, item_id, field, value,
# raw, note, cell]: payload the task and indicator values, form the 填报人 block (填报人, 审核人,
# 联系电话, 填报日期 …), each in form order. A return's hundred values are one row
# written and one row read back, several times cheaper than a row each. For plain SQL the ledger
# still shows them one row each, in the views "values" and form_values; `position` is the value's
# place in its array.
VIEWS = """
CREATE VIEW "values" AS SELECT s.id AS submission_id, s.unit_code AS unit_code,
    json_extract(j.value, '$[0]') AS item_kind, json_extract(j.value, '$[1]') AS item_id,
    json_extract(j.value, '$[2]') AS field, json_extract(j.value, '$[3]') AS value,
    json_extract(j.value, '$[4]') AS raw, json_extract(j.value, '$[5]') AS note,
    json_extract(j.value, '$[6]') AS cell, j.key AS position
    FROM submissions s, json_each(s.payload) j;
CREATE VIEW form_values AS SELECT s.id AS submission_id, s.unit_code AS unit_code,
    json_extract(j.value, '$[2]') AS field, json_extract(j.value, '$[3]') AS value,
    json_extract(j.value, '$[4]') AS raw, json_extract(j.value, '$[5]') AS note,
    json_extract(j.value, '$[6]') AS cell, j.key AS position
    FROM submissions s, json_each(s.form) j;
"""

SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE runs (id INTEGER PRIMARY KEY, round TEXT, plan_fingerprint TEXT NOT NULL,
                   reader INTEGER NOT NULL DEFAULT 1);  -- returns.reading.READER_VERSION of the run
CREATE TABLE roster (position INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,                       -- the order in which files were collected
    run_id INTEGER NOT NULL REFERENCES runs(id),
    file_name TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,
    size INTEGER NOT NULL, mtime REAL NOT NULL, received TEXT NOT NULL,
    round TEXT,                                   -- the round it was collected for
    file_round TEXT,                              -- the round written on the form (_meta), if any
    kind TEXT NOT NULL DEFAULT '',
    unit_code TEXT NOT NULL DEFAULT '', unit_name TEXT NOT NULL DEFAULT '', identified_by TEXT NOT NULL DEFAULT '',
    plan_fingerprint TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'superseded', 'skipped')),
    reason TEXT NOT NULL DEFAULT '',
    blank TEXT NOT NULL DEFAULT '',               -- required cells left blank (部分填报), joined by 、
    payload TEXT NOT NULL DEFAULT '[]',           -- the task and indicator values read from it (see VIEWS)
    filled INTEGER NOT NULL DEFAULT 0,            -- how many
    form TEXT NOT NULL DEFAULT '[]',              -- its 填报人 block
    UNIQUE (sha256, round)
);
CREATE TABLE problems (
    id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL REFERENCES submissions(id),
    file TEXT NOT NULL, unit TEXT NOT NULL, cell TEXT NOT NULL, problem TEXT NOT NULL, action TEXT NOT NULL
);
CREATE INDEX problems_by_submission ON problems(submission_id);
-- every place a file was seen; a second path with the same bytes is a duplicate, not a submission
CREATE TABLE sightings (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, submission_id INTEGER NOT NULL REFERENCES submissions(id),
    path TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL, sha256 TEXT NOT NULL,
    duplicate INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sightings_by_path ON sightings(path, size, mtime);
"""
# Added after the first release; created (or the column added) when an older ledger is opened.
PINS = """
CREATE TABLE IF NOT EXISTS pins (
    id INTEGER PRIMARY KEY, round TEXT NOT NULL, unit_code TEXT NOT NULL,
    file_name TEXT NOT NULL,                      -- '' lifts the pin; the latest row per unit counts
    set_at TEXT NOT NULL
);
"""
# The folders returns were collected from (absolute paths), so forms and notices are never written into one.
FOLDERS = "CREATE TABLE IF NOT EXISTS returns_folders (path TEXT PRIMARY KEY, first_run INTEGER NOT NULL);"


def convert(conn: sqlite3.Connection, version: int) -> None:
    """A version 1 or 2 ledger (a row per value in tables "values" and form_values; version 1 without
    form_values) becomes version 3 (call inside a transaction): each submission's values move into its
    payload in their order, and the tables become the views of the same names."""
    payloads: dict[int, list[list[str]]] = {}
    for sid, *value in conn.execute(
            'SELECT submission_id, item_kind, item_id, field, value, raw, note, cell FROM "values" ORDER BY rowid'):
        payloads.setdefault(sid, []).append(value)
    forms: dict[int, list[list[str]]] = {}
    if version == 2:
        for sid, *value in conn.execute(
                "SELECT submission_id, field, value, raw, note, cell FROM form_values ORDER BY rowid"):
            forms.setdefault(sid, []).append([FORM, "", *value])
    for column, default in (("payload", "'[]'"), ("filled", "0"), ("form", "'[]'")):
        conn.execute(f"ALTER TABLE submissions ADD COLUMN {column} "
                          f"{'INTEGER' if column == 'filled' else 'TEXT'} NOT NULL DEFAULT {default}")
    conn.executemany("UPDATE submissions SET payload = ?, filled = ? WHERE id = ?",
                          [(dumps(values), len(values), sid) for sid, values in payloads.items()])
    conn.executemany("UPDATE submissions SET form = ? WHERE id = ?",
                          [(dumps(values), sid) for sid, values in forms.items()])
    conn.execute('DROP TABLE "values"')
    conn.execute("DROP TABLE IF EXISTS form_values")
    for statement in filter(str.strip, VIEWS.split(";")):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))


dumps = encode_values  # the one JSON form of stored values


def payloads(conn: sqlite3.Connection, ids: list[int], columns: str) -> Iterator[tuple]:
    """``columns`` of the submissions ``ids``, in that order, a few hundred read at a time."""
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = {r[0]: r[1:] for r in conn.execute(
            f"SELECT id, {columns} FROM submissions WHERE id IN ({','.join('?' * len(chunk))})", chunk)}
        for sid in chunk:
            yield rows[sid]


class StoredEntries(Iterable[Entry]):
    """The values of a round's current returns, read from the ledger each time they are walked, a few
    hundred returns at a time: a province's round holds millions, more than should sit in memory twice
    (once for the figures, once for 明细)."""

    def __init__(self, db: Path, submissions: list[int], count: int) -> None:
        self.db, self.submissions, self.count = db, submissions, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Entry]:
        for sid, code, values in self._payloads():
            for v in values:
                yield Entry(code, v[1], v[2], v[3], v[5], sid)

    def groups(self) -> Iterator[tuple[str, list[list[str]]]]:
        """progress.value_groups: (unit code, its values as stored) per return."""
        for _, code, values in self._payloads():
            yield code, values

    def _payloads(self) -> Iterator[tuple[int, str, list[list[str]]]]:
        conn = sqlite3.connect(f"{Path(self.db).absolute().as_uri()}?mode=ro", uri=True)
        try:
            for sid, (code, payload) in zip(self.submissions, payloads(conn, self.submissions, "unit_code, payload"),
                                            strict=True):
                yield sid, code, json.loads(payload)
        finally:
            conn.close()
