"""The returns folders as collect sees them: every file listed in a fixed order (our own outputs and
named pipes left out, a Numbers package one file), each file's record (path, size, time and sha256,
hashed only when the ledger does not know the path, size and time), and a file's place relative to the
working folder, which stays the same when the whole folder is moved or copied."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from workplan_xl.errors import InputFileError
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
            for folder, dirs, names in os.walk(source):  # symlinked folders are not followed
                dirs[:] = sorted(d for d in dirs if (Path(folder) / d).absolute() not in skip)
                packages = [d for d in dirs if is_numbers_folder(Path(folder) / d)]  # one file, as the Mac shows it
                dirs[:] = [d for d in dirs if d not in packages]
                found.extend(Path(folder) / n for n in sorted(names + packages))
        elif source.is_file():
            found.append(source)
        else:
            raise InputFileError(f"找不到回表文件夹或文件「{source}」：请检查路径是否正确。")
    # Regular files only: opening a named pipe (or a device) left in the folder would wait for ever.
    unique = dict.fromkeys(p for p in found if p.absolute() not in skip and (p.is_file() or is_numbers_folder(p)))
    return sorted(unique, key=lambda p: (str(p.parent), p.name))
