"""Odd and hostile files of our own making, with the traits real ones have: OLE2 compound files with
capitalised stream names or an Excel object inside a Word document, BIFF records declaring huge sheets
or a password, packages whose workbook part is not where it usually is, flat spreadsheet formats, …"""

from __future__ import annotations

import io
import struct
import zipfile

SECTOR = 512
_END, _FREE, _FAT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def ole_file(streams: dict[str, bytes], storages: dict[str, dict[str, bytes]] | None = None) -> bytes:
    """A compound file (MS-CFB, version 3) with ``streams`` at the root and ``storages`` (name → its
    streams) beside them. Streams are padded to 4,096 bytes so none lives in the mini stream."""
    storages = storages or {}
    # Directory: root, then root-level entries chained through their right siblings.
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "child": _FREE, "right": _FREE, "data": b""}]
    root_level: list[int] = []
    for name, data in streams.items():
        root_level.append(len(entries))
        entries.append({"name": name, "type": 2, "child": _FREE, "right": _FREE, "data": data.ljust(4096, b"\0")})
    for name, inner in storages.items():
        root_level.append(len(entries))
        storage = {"name": name, "type": 1, "child": _FREE, "right": _FREE, "data": b""}
        entries.append(storage)
        first = len(entries)
        for n, (inner_name, data) in enumerate(inner.items()):
            entries.append({"name": inner_name, "type": 2, "child": _FREE, "data": data.ljust(4096, b"\0"),
                            "right": first + n + 1 if n + 1 < len(inner) else _FREE})
        storage["child"] = first if inner else _FREE
    for a, b in zip(root_level, root_level[1:], strict=False):
        entries[a]["right"] = b
    entries[0]["child"] = root_level[0] if root_level else _FREE
    while len(entries) % 4:
        entries.append({"name": "", "type": 0, "child": _FREE, "right": _FREE, "data": b""})
    # Sectors: [FAT][directory …][stream data …]
    dir_sectors = len(entries) // 4
    body: list[bytes] = []
    fat: list[int] = [_FAT]
    fat += [1 + i + 1 if i + 1 < dir_sectors else _END for i in range(dir_sectors)]
    for entry in entries:
        data = entry["data"]
        if not data:
            entry["start"], entry["size"] = _END if entry["type"] != 5 else _END, 0
            continue
        count = -(-len(data) // SECTOR)
        entry["start"], entry["size"] = len(fat), len(data)
        fat += [len(fat) + i + 1 if i + 1 < count else _END for i in range(count)]
        body.append(data.ljust(count * SECTOR, b"\0"))
    assert len(fat) <= SECTOR // 4, "a test file fits one FAT sector"
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [_FREE] * (SECTOR // 4 - len(fat))))
    directory = b"".join(_entry(e) for e in entries)
    header = bytearray(SECTOR)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, _END, 0, _END, 0)
    struct.pack_into("<I", header, 0x4C, 0)
    header[0x50:SECTOR] = b"\xff" * (SECTOR - 0x50)
    return bytes(header) + fat_sector + directory + b"".join(body)


def _entry(entry: dict) -> bytes:
    name = entry["name"].encode("utf-16-le")
    raw = bytearray(128)
    raw[:len(name)] = name
    struct.pack_into("<HBB", raw, 64, len(name) + 2 if entry["name"] else 0, entry["type"], 1)
    struct.pack_into("<III", raw, 68, _FREE, entry["right"], entry["child"])
    struct.pack_into("<II", raw, 116, entry.get("start", _END), entry.get("size", 0))
    return bytes(raw)


def biff_record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def biff_workbook(rows: int = 10, cols: int = 5, password: bool = False) -> bytes:
    """A BIFF8 workbook stream's records: BOF, [FILEPASS], …, a sheet's BOF and DIMENSIONS, EOF."""
    bof = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    records = [bof]
    if password:
        records.append(biff_record(0x002F, b"\x01\x00" + b"\x00" * 52))
    records += [biff_record(0x000A), biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6)),
                biff_record(0x0200, struct.pack("<IIHHH", 0, rows, 0, cols, 0)), biff_record(0x000A)]
    return b"".join(records)


def zip_file(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 6, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def relocated_xlsx(source: bytes, folder: str = "data", backslashes: bool = False) -> bytes:
    """The same workbook with its workbook part moved out of xl/ (to ``folder``/workbook.xml), as some
    exporters write it: the package's relationships and content types say where it went."""
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    moved: dict[str, bytes | str] = {}
    for name, data in members.items():
        new = name.replace("xl/", f"{folder}/", 1) if name.startswith("xl/") else name
        if name.endswith((".rels", ".xml")):  # part names in relationships and content types
            data = data.replace(b"/xl/workbook.xml", f"/{folder}/workbook.xml".encode()).replace(
                b"xl/workbook.xml", f"{folder}/workbook.xml".encode()).replace(b"/xl/", f"/{folder}/".encode())
        if backslashes:
            new = new.replace("/", "\\")
        moved[new] = data
    return zip_file(moved)
