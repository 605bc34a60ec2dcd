"""The returns folders as collect sees them: every file listed in a fixed order (our own outputs left
out, a Numbers package one file, links and pipes listed to be named), each file's record (path, size, time and sha256,
hashed only when the ledger does not know the path, size and time), and a file's place relative to the
working folder, which stays the same when the whole folder is moved or copied."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from workplan_xl.errors import InputFileError, refuse_special_file
from workplan_xl.ledger import FileRecord, Ledger
from workplan_xl.returns.sniff import is_numbers_folder
from workplan_xl.returns.worker import display_name


def same_place(recorded: str, key: str, roots: list[Path]) -> bool:
    """Whether the path a submission was recorded under is this file's, though the run that recorded it
    named it from another working folder (relative to another directory, or before the folder moved):
    the same test as Ledger.seen_at."""
    if recorded == key:
        return True
    recorded, here = recorded.replace("\\", "/"), place(Path(key), roots)
    return recorded == here or recorded.endswith("/" + here)


def place(path: Path, roots: list[Path]) -> str:
    """A file's path relative to the first of ``roots`` (the working folder, then the returns folders'
    parents) that holds it: what stays the same when the whole folder is moved or copied."""
    absolute = Path(os.path.abspath(path))
    for root in roots:
        try:
            return absolute.relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            continue
    return absolute.name


def file_record(path: Path, ledger: Ledger | None = None) -> FileRecord:
    """Stat and (unless the ledger already knows this path, size and time) hash a file."""
    key = os.fsencode(path).decode("utf-8", "backslashreplace")
    name = display_name(path)
    try:
        stat = path.stat()
        size, mtime = stat.st_size, stat.st_mtime
        sha = ledger.known_hash(key, size, mtime) if ledger is not None else None
        if sha is None:
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            sha = digest.hexdigest()
    except OSError:  # a lock file held by Excel, a file removed meanwhile: the reader will say so
        size, mtime = 0, 0.0
        sha = "unreadable:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    return FileRecord(path, key, name, size, mtime, sha)


def list_files(sources: list[Path], exclude: list[Path] = ()) -> list[Path]:
    """Every file under the sources, in a fixed order; our own master, ledger, output and quarantine
    folder left out."""
    skip = set()
    for path in exclude:
        path = Path(path).absolute()
        skip.update({path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal"),
                     path.with_name(path.name + "-shm")})
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            for folder, dirs, names in os.walk(source):  # symlinked folders are not followed, but listed
                dirs[:] = sorted(d for d in dirs if (Path(folder) / d).absolute() not in skip)
                packages = [d for d in dirs if is_numbers_folder(Path(folder) / d)  # one file, as the Mac shows it
                            or (Path(folder) / d).is_symlink()]
                dirs[:] = [d for d in dirs if d not in packages]
                found.extend(Path(folder) / n for n in sorted(names + packages))
        elif source.is_file():
            found.append(source)
        else:
            refuse_special_file(source, "回表", "回表文件或文件夹")
            raise InputFileError(f"找不到回表文件夹或文件「{source}」：请检查路径是否正确。")
    # A link to nothing or to a folder, a named pipe or a device is listed too (every entry is accounted
    # for in 文件清单); unpack.container_kind names it before anything opens it.
    unique = dict.fromkeys(p for p in found if p.absolute() not in skip)
    return sorted(unique, key=lambda p: (str(p.parent), p.name))


_FATES = {"accepted": "采用", "superseded": "被替代", "rejected": "未采用", "skipped": "跳过"}


def files_seen(ledger: Ledger, fates: dict[str, tuple[int | None, bool, str]], sources: list[Path],
               roots: list[Path]) -> list[list[str]]:
    """文件清单: each file this run found, in the order taken, and what became of it (from the ledger,
    after the supersede rule was applied)."""
    ids = sorted({sid for sid, _, _ in fates.values() if sid is not None})
    known: dict[int, tuple[str, str, str, str, str | None, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for sid, *row in ledger.conn.execute(
                "SELECT id, file_name, unit_name, status, reason, round, path FROM submissions WHERE id IN"
                f" ({','.join('?' * len(chunk))})", chunk):
            known[sid] = tuple(row)  # type: ignore[assignment]
    folders = [s for s in sources if s.is_dir()]
    out = []
    for key, (sid, duplicate, shown) in fates.items():
        where = Path(key).absolute()
        folder = next((str(where.parent.relative_to(f)) for f in folders if where.is_relative_to(f)), str(where.parent))
        name, unit, status, reason, file_round, first = known.get(sid, ("", "", "", "", None, key)) if (
            sid is not None) else ("", "", "", "", None, key)
        if duplicate or not same_place(first, key, roots):  # the bytes were recorded from another file
            fate, why = "重复", f"与「{name}」内容完全相同，只算一份" if name else "与另一文件内容完全相同，只算一份"
        else:
            fate, why = _FATES.get(status, status), reason
            if status == "superseded" and not reason:
                why = "同一单位报了多份，以修改时间较晚的一份为准；这一份保留在数据库里"
            elif status == "accepted" and not reason:
                why = f"已计入批次「{file_round or '未分批次'}」"
        out.append([shown, "" if folder == "." else folder, unit, fate, why])
    return out
