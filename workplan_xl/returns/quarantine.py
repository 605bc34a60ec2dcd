"""The quarantine folder (隔离区) beside the ledger: a copy of every return that was not used because
it is hostile, unreadable, of another plan or round, or of no known unit, so the office keeps what
was sent even when the school's mail is gone.

Files are copied, never moved: the returns folder stays as the user left it. A copy is named
<first 12 hex digits of its sha256>_<the file's own name, made safe>, never after anything found
inside the return, so the same bytes are kept once however often and under whatever names they come."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from workplan_xl.cjk import safe_file_name

QUARANTINE = "隔离区"


def quarantine_folder(db: Path) -> Path:
    """Where the copies of rejected returns go: 隔离区 beside the ledger."""
    return Path(db).parent / QUARANTINE


def quarantine_name(sha256: str, file_name: str) -> str:
    return f"{sha256[:12]}_{safe_file_name(file_name)}"


def quarantine_copy(source: Path, sha256: str, file_name: str, folder: Path) -> str:
    """Copy ``source`` into ``folder`` (unless a copy of these bytes is there) and return the copy's
    name. ``sha256`` is the hash collect recorded; if the file has changed since, the copy is named
    after the bytes actually copied. Raises OSError when the copy cannot be made."""
    name = quarantine_name(sha256, file_name)
    if (folder / name).is_file():
        return name
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".{os.getpid()}.copying"
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as reader, open(temp, "wb") as writer:
            for chunk in iter(lambda: reader.read(1 << 20), b""):
                digest.update(chunk)
                writer.write(chunk)
        stat = os.stat(source)
        os.utime(temp, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the copy shows when it was sent
        actual = digest.hexdigest()
        if actual != sha256:
            name = quarantine_name(actual, file_name)
        if (folder / name).is_file():
            temp.unlink()
        else:
            os.replace(temp, folder / name)
    finally:
        temp.unlink(missing_ok=True)
    return name
