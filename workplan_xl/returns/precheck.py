"""Checks made before any reader touches a return: size, the zip directory (bombs, too many parts),
XML prologs (no DOCTYPE/ENTITY: entity expansion) and the sheet extents each worksheet claims.

python-calamine allocates a worksheet's whole claimed extent up front and aborts the process when it
cannot (a 4 KB sheet claiming a cell at XFD1048576 asks for 512 GB), so absurd extents are refused
here; a sheet that lies about its extent is left to the worker's memory limit."""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024
    max_entries: int = 2000
    max_unzipped_bytes: int = 100 * 1024 * 1024
    max_ratio: float = 100.0  # compression ratio, checked on members bigger than ratio_floor
    ratio_floor: int = 1024 * 1024
    max_cells: int = 5_000_000  # rows × columns a worksheet may claim
    prolog_bytes: int = 4096


LIMITS = Limits()


class Refused(Exception):
    """A return that is not read; ``code`` names the reason, ``detail`` the figures."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
_ROOT = re.compile(rb"<(?![?!])")


def check_size(size: int, limits: Limits = LIMITS) -> None:
    if size > limits.max_file_bytes:
        raise Refused("too_big", f"{size / 1048576:.1f} MB")


def check_zip(path: Path, limits: Limits = LIMITS) -> None:
    """Refuse zip bombs, oversized or encrypted members, DOCTYPEs and absurd sheet extents."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_entries:
                raise Refused("structure", f"{len(infos)} 个部件")
            total = sum(i.file_size for i in infos)
            if total > limits.max_unzipped_bytes:
                raise Refused("bomb", f"解压后 {total / 1048576:.0f} MB")
            for info in infos:
                if info.flag_bits & 0x1:
                    raise Refused("encrypted")
                if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
                        info.compress_size, 1):
                    raise Refused("bomb", f"{info.filename} 压缩比 {info.file_size // max(info.compress_size, 1)}:1")
            for info in infos:
                name = info.filename.lower()
                if name.endswith((".xml", ".rels")):
                    with archive.open(info) as member:
                        prolog = member.read(limits.prolog_bytes)
                    check_prolog(prolog, info.filename, limits)
                    if name.startswith("xl/worksheets/"):
                        check_dimension(prolog, info.filename, limits)
    except zipfile.BadZipFile as error:
        raise Refused("truncated", str(error)) from None
    except (EOFError, zlib.error, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError,
            OSError) as error:
        raise Refused("damaged", f"{type(error).__name__}: {error}") from None


def check_prolog(prolog: bytes, name: str, limits: Limits = LIMITS) -> None:
    """No DOCTYPE or ENTITY declarations (entity expansion), and the root element must start within
    the first bytes so nothing can hide behind a long prolog."""
    lowered = prolog.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise Refused("entities", name)
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", prolog, flags=re.S)
    if len(prolog) >= limits.prolog_bytes and not _ROOT.search(body):
        raise Refused("entities", name)


def check_dimension(prolog: bytes, name: str, limits: Limits = LIMITS) -> None:
    match = _DIMENSION.search(prolog)
    if not match:
        return
    first_col, first_row, last_col, last_row = (g.decode("ascii") if g else None for g in match.groups())
    if last_col is None:
        last_col, last_row = first_col, first_row
    if not last_col or not last_row:
        return
    rows = int(last_row) - int(first_row or 1) + 1
    cols = column_number(last_col) - column_number(first_col or "A") + 1
    if rows * cols > limits.max_cells or int(last_row) > 1048576 or column_number(last_col) > 16384:
        raise Refused("extent", f"{name}: {match.group(0).decode('ascii', 'replace')}")


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number

