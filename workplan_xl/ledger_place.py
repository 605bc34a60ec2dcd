"""Where the ledger of a master workbook is, and what to say when it is not there.

The ledger is 台账.db beside 台账.xlsx (or the file given with --db). When it is missing the commands
that read it say so, and where they looked — not "nothing collected yet", which is false when the
台账 was renamed, moved or copied without its .db. ``wpx collect`` asks before it starts a new, empty
ledger for a 台账 whose returns were evidently collected before (another wpx ledger of the same plan
beside it, or a 汇总 made from one), since everything the old ledger knew would be missing from the
new one's 汇总 and reports.
"""

from __future__ import annotations

import os
import sqlite3
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from defusedxml import ElementTree

from workplan_xl.errors import WorkplanError, refuse_special_file

_LOOK_AT = 200  # files of a folder looked at for evidence, at most


def default_ledger(master: Path, db: Path | None = None) -> Path:
    return Path(db) if db is not None else Path(master).with_suffix(".db")


def other_ledgers(master: Path, db: Path, fingerprint: str | None = None) -> list[Path]:
    """wpx ledgers in the master workbook's folder other than ``db`` (of the plan with ``fingerprint``,
    when given), that hold at least one collect."""
    found = []
    for path in sorted(Path(master).parent.glob("*.db"))[:_LOOK_AT]:
        if path.absolute() == Path(db).absolute() or not path.is_file():  # SQLite waits on a named pipe
            continue
        rows = _read_only(path, "SELECT DISTINCT plan_fingerprint FROM runs")
        if rows is None:
            continue  # not a wpx ledger
        prints = {r[0] for r in rows}
        if prints and (fingerprint is None or fingerprint in prints):
            found.append(path)
    return found


def earlier_summaries(master: Path, plan_title: str) -> list[Path]:
    """汇总 workbooks of this plan beside the master workbook (wpx writes the title 「… 汇总表」 into
    their document properties)."""
    wanted = f"{plan_title} 汇总表".strip()
    found = []
    for path in sorted(Path(master).parent.glob("*.xlsx"))[:_LOOK_AT]:
        if not path.is_file():  # opening a named pipe waits for ever
            continue
        try:
            with zipfile.ZipFile(path) as archive:
                info = archive.getinfo("docProps/core.xml")
                if info.file_size > 65536:
                    continue
                root = ElementTree.fromstring(archive.read(info))
        except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError, EOFError,
                NotImplementedError, RuntimeError, zlib.error):  # any damaged .xlsx beside the 台账: not one
            continue
        title = root.find("{http://purl.org/dc/elements/1.1/}title")
        if title is not None and (title.text or "").strip() == wanted:
            found.append(path)
    return found


RETURNS_FOLDER = "回表"  # beside the 台账: wpx serve's returns folder unless told otherwise


def returns_folders(master: Path, db: Path | None = None) -> dict[Path, str]:
    """Folders returns are collected from, each with why it is known to be one: those the ledger records
    (collect and serve note them), and 回表 beside the 台账 (the convention). Forms and notices written into
    one would be read as returns by the next collect."""
    master = Path(master)
    found = {Path(os.path.abspath(master.parent / RETURNS_FOLDER)):
             "这是台账旁约定的回表文件夹（wpx serve 默认把回表存在这里）"}
    path = default_ledger(master, db)
    if path.is_file():
        # not a wpx ledger, or one from before the table: the convention still holds
        rows = _read_only(path, "SELECT path FROM returns_folders ORDER BY path") or []
        for (folder,) in rows:
            found.setdefault(Path(folder), "台账数据库记录过从这个文件夹收集回表")
    return found


def missing_ledger_message(master: Path, db: Path) -> str:
    """The sentence for a ledger file that is not there."""
    master, db = Path(master), Path(db)
    others = other_ledgers(master, db)
    hint = (f"同一文件夹里有台账数据库「{others[0].name}」，如果是它，请加 --db \"{others[0]}\"；" if others else
            "如果数据库在别处或改过名，请用 --db 指定它；")
    return (f"找不到台账「{master.name}」的台账数据库：找的是「{db}」。{hint}"
            f"如果还没有收集过回表，请先运行 wpx collect \"{master}\" 回表文件夹。")


def require_ledger(master: Path, db: Path | None = None) -> Path:
    """The ledger's path; one sentence (exit 2) when the file is not there."""
    path = default_ledger(master, db)
    refuse_special_file(path, "台账数据库", "台账数据库文件（.db）")
    if not path.is_file():
        raise WorkplanError(missing_ledger_message(master, path))
    return path


def confirm_new_ledger(master: Path, db: Path, plan_title: str, fingerprint: str,
                       confirm: Callable[[str], bool] | None) -> None:
    """Before collect creates ``db``: when this 台账's returns were collected before (another ledger of
    the plan, or a 汇总 of it, beside the 台账), ask ``confirm``; no answer or "no" is one sentence."""
    refuse_special_file(db, "台账数据库", "台账数据库文件（.db）")  # SQLite would wait on a pipe
    if Path(db).exists():
        return
    others = other_ledgers(master, db, fingerprint)
    summaries = [] if others else earlier_summaries(master, plan_title)
    if not others and not summaries:
        return
    evidence = (f"同一文件夹里已有本台账的台账数据库「{others[0].name}」" if others else
                f"同一文件夹里有由本台账收集生成的汇总表「{summaries[0].name}」，但它所依据的台账数据库不在这里")
    question = (f"台账数据库「{db}」还不存在，而{evidence}。新建一个空的台账数据库并从头收集吗？")
    if confirm is not None and confirm(question):
        return
    use = f"--db \"{others[0]}\"" if others else "--db 指定原来的台账数据库（如从原工作文件夹复制 .db 文件到台账旁边）"
    raise WorkplanError(f"没有新建台账数据库「{db.name}」，也没有收集：{evidence}。请用 {use}；"
                        "确实要从头收集时，加 --yes 重新运行。")


def _read_only(path: Path, query: str) -> list[tuple] | None:
    """``query``'s rows from a database opened read-only (nothing is created or changed), None when it
    is not one that has what the query asks for."""
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute(query).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
