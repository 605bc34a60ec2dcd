"""Just enough of the OLE2 compound file format (MS-CFB) to tell what an .xls/.doc/.et really is and
what its sheets declare, without a reader allocating anything: the names at the root of the storage
(compared case-insensitively: WORKBOOK, BOOK and Workbook are all a workbook), one stream's first
bytes, and the BIFF records a workbook stream opens with (FILEPASS: a password; DIMENSIONS: the
extent each sheet declares, which the reader would allocate)."""

from __future__ import annotations

import struct

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF


class OleError(ValueError):
    """The compound file's own tables are damaged."""


class Ole:
    def __init__(self, data: bytes) -> None:
        if not data.startswith(OLE2) or len(data) < 512:
            raise OleError("不是 OLE2 复合文件")
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise OleError("扇区大小异常")
        self.size = 1 << shift
        self.mini_cutoff = struct.unpack_from("<I", data, 0x38)[0]
        dir_start, = struct.unpack_from("<I", data, 0x30)
        minifat_start, = struct.unpack_from("<I", data, 0x3C)
        difat_start, difat_count = struct.unpack_from("<II", data, 0x44)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
        # No chain or table is longer than the file: a loop in a chain (a 12 KB file whose directory chain
        # points at itself) would otherwise be followed until memory runs out.
        self.sectors = len(data) // self.size
        sector, seen = difat_start, 0
        while sector < _END and seen < min(difat_count, self.sectors):
            words = struct.unpack_from(f"<{self.size // 4}I", self._sector(sector))
            fat_sectors += [s for s in words[:-1] if s < _END]
            sector, seen = words[-1], seen + 1
        self.fat: list[int] = []
        for s in fat_sectors[:self.sectors // (self.size // 4) + 1]:  # more would describe sectors past the end
            self.fat += struct.unpack_from(f"<{self.size // 4}I", self._sector(s))
        self.entries = self._entries(self._chain(dir_start))
        self.minifat: list[int] = []
        if minifat_start < _END:
            raw = self._chain(minifat_start)
            self.minifat = list(struct.unpack_from(f"<{len(raw) // 4}I", raw))
        root = self.entries[0] if self.entries else None
        # The root entry's own stream (its start sector, index 5) holds every stream under the cutoff;
        # a damaged one spoils only those streams (stream() says so), not the names sniff.py looks at.
        try:
            self.ministream = self._chain(root[5]) if root and root[5] < _END else b""
        except OleError:
            self.ministream = b""

    def _sector(self, number: int) -> bytes:
        start = (number + 1) * self.size
        if start >= len(self.data):  # a last sector may be short, not missing
            raise OleError("扇区超出文件")
        return self.data[start:start + self.size]

    def _chain(self, start: int, limit: int | None = None) -> bytes:
        parts, sector, steps = [], start, 0
        while sector < _END:
            if sector >= len(self.fat) or steps > self.sectors:
                raise OleError("扇区链损坏")
            parts.append(self._sector(sector))
            steps += 1
            if limit is not None and steps * self.size >= limit:
                break
            sector = self.fat[sector]
        return b"".join(parts)

    @staticmethod
    def _entries(raw: bytes) -> list[tuple[str, int, int, int, int, int, int]]:
        """(name, type, left, right, child, start sector, size) per 128-byte directory entry."""
        out = []
        for at in range(0, len(raw) - 127, 128):
            length, = struct.unpack_from("<H", raw, at + 64)
            name = raw[at:at + max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
            kind = raw[at + 66]
            left, right, child = struct.unpack_from("<III", raw, at + 68)
            start, size = struct.unpack_from("<II", raw, at + 116)
            out.append((name, kind, left, right, child, start, size))
        return out

    def root_names(self) -> dict[str, int]:
        """Lower-cased names of the entries at the root of the storage → their entry index."""
        names: dict[str, int] = {}
        if not self.entries:
            return names
        todo, seen = [self.entries[0][4]], set()
        while todo:
            index = todo.pop()
            if index >= len(self.entries) or index in seen:
                continue
            seen.add(index)
            name, kind, left, right = self.entries[index][:4]
            if kind in (1, 2):  # storage or stream
                names.setdefault(name.lower(), index)
            todo += [left, right]
        return names

    def stream(self, index: int, limit: int | None = None) -> bytes:
        """A stream's bytes (its first ``limit`` bytes or a little more, when given)."""
        _, _, _, _, _, start, size = self.entries[index]
        if size < self.mini_cutoff:
            parts, sector, steps = [], start, 0
            while sector < _END and steps * 64 < size:
                if sector >= len(self.minifat) or steps > len(self.ministream) // 64:
                    raise OleError("短扇区链损坏")
                parts.append(self.ministream[sector * 64:(sector + 1) * 64])
                sector, steps = self.minifat[sector], steps + 1
            return b"".join(parts)[:size]
        return self._chain(start, limit)[:size if limit is None else min(size, limit + self.size)]


def biff_version(stream: bytes) -> int:
    """The BIFF version a workbook stream's first BOF record states (0x0500: Excel 5.0/95, 0x0600:
    Excel 97 and later), or 0 when it opens with no BOF."""
    if len(stream) < 6 or stream[:2] != b"\x09\x08":
        return 0
    version, = struct.unpack_from("<H", stream, 4)
    return version


def biff_facts(stream: bytes) -> tuple[bool, list[tuple[int, int]]]:
    """(a FILEPASS record: the workbook has a password, [(rows, columns) each DIMENSIONS declares])
    from a BIFF5/8 workbook stream. Records are walked, never interpreted beyond that."""
    at, encrypted, extents = 0, False, []
    end = len(stream) - 4
    while at <= end:
        kind, length = struct.unpack_from("<HH", stream, at)
        if kind == 0x002F and not extents:  # FILEPASS comes right after the workbook's BOF
            encrypted = True
            break
        if kind == 0x0200 and length >= 14:  # BIFF8 DIMENSIONS: rwMic, rwMac (4 bytes each), colMic, colMac
            first, last, first_col, last_col = struct.unpack_from("<IIHH", stream, at + 4)
            extents.append((max(0, last - first), max(0, last_col - first_col)))
        elif kind == 0x0200 and length == 10:  # BIFF5: rows in 2 bytes
            first, last, first_col, last_col = struct.unpack_from("<HHHH", stream, at + 4)
            extents.append((max(0, last - first), max(0, last_col - first_col)))
        elif kind == 0x0000 and length == 0:
            break  # padding at the end of the stream
        at += 4 + length
    return encrypted, extents
