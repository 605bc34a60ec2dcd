"""A zip's central directory read straight from a file's bytes, for the plain packages spreadsheets
are (one disk, no zip64, no comment, nothing prepended, no extra fields): zipfile builds a ZipInfo of
twenty attributes per member, and a return has a dozen members of which sniffing reads two. Anything
else is left to zipfile (``read_directory`` gives None), so what is accepted is exactly what zipfile
accepts, with the same names, sizes and offsets."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from typing import IO

_END = struct.Struct("<4s4H2LH")  # zipfile's structEndArchive
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile's structCentralDir
_MAX_EXTRACT_VERSION = 63  # zipfile raises NotImplementedError beyond it


class Member:
    """The fields of zipfile.ZipInfo the checks and sniffing use (same names, same values)."""

    __slots__ = ("CRC", "compress_size", "compress_type", "file_size", "filename", "flag_bits", "header_offset",
                 "index", "orig_filename")

    def __init__(self, filename: str, flag_bits: int, compress_type: int, crc: int, compress_size: int,
                 file_size: int, header_offset: int, index: int) -> None:
        self.filename = self.orig_filename = filename
        self.flag_bits, self.compress_type, self.CRC = flag_bits, compress_type, crc
        self.compress_size, self.file_size, self.header_offset, self.index = compress_size, file_size, header_offset, index


class Package:
    """A plain zip's directory over its bytes, with the ZipFile methods sniffing and the pre-checks use;
    reading a member goes through a zipfile.ZipFile made on first need."""

    def __init__(self, data: bytes, members: list[Member], start_dir: int) -> None:
        self.data, self.filelist, self.start_dir = data, members, start_dir
        self.NameToInfo = {m.filename: m for m in members}  # the last of equal names, as zipfile keeps
        self._zip: zipfile.ZipFile | None = None

    def namelist(self) -> list[str]:
        return [m.filename for m in self.filelist]

    def infolist(self) -> list[Member]:
        return self.filelist

    def getinfo(self, name: str) -> Member:
        member = self.NameToInfo.get(name)
        if member is None:
            raise KeyError(f"There is no item named {name!r} in the archive")
        return member

    def zipfile(self) -> zipfile.ZipFile:
        if self._zip is None:
            self._zip = zipfile.ZipFile(io.BytesIO(self.data))
        return self._zip

    def read(self, name: str | Member) -> bytes:
        archive = self.zipfile()
        return archive.read(archive.filelist[name.index] if isinstance(name, Member) else name)

    def open(self, member: Member) -> IO[bytes]:
        archive = self.zipfile()
        return archive.open(archive.filelist[member.index])

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def decode_name(name: bytes, flags: int) -> str:
    """A member name as zipfile decodes it: UTF-8 when flagged, else cp437, which is ASCII for ASCII bytes
    (and ascii is a C codec, cp437 a Python one)."""
    if flags & 0x800:
        return name.decode("utf-8")
    return name.decode("ascii") if name.isascii() else name.decode("cp437")


Archive = zipfile.ZipFile | Package  # what sniff.open_zip gives; sniffing and the pre-checks take either


def read_directory(data: bytes) -> Package | None:
    """The directory of a plain zip, or None for zipfile to read (or refuse)."""
    end = len(data) - _END.size
    if end < 0 or data[end:end + 4] != b"PK\x05\x06":
        return None  # a comment after the directory, or no directory: zipfile searches
    _, disk, disk_of_directory, on_disk, count, size, offset, comment = _END.unpack_from(data, end)
    if comment or disk or disk_of_directory or on_disk != count or offset + size != end:
        return None  # something prepended, several disks, or a directory that is not where it says
    if end >= 20 and data[end - 20:end - 16] == b"PK\x06\x07":
        return None  # zip64
    members: list[Member] = []
    at = offset
    try:
        while at < end:
            if at + _CENTRAL.size > end:
                return None
            fields = _CENTRAL.unpack_from(data, at)
            (signature, _, _, extract_version, _, flags, compress_type, _, _, crc, compress_size, file_size,
             name_length, extra_length, comment_length, _, _, _, header_offset) = fields
            name_at = at + _CENTRAL.size
            at = name_at + name_length + extra_length + comment_length
            if (signature != b"PK\x01\x02" or extra_length or extract_version > _MAX_EXTRACT_VERSION or at > end
                    or 0xFFFFFFFF in (compress_size, file_size, header_offset)):
                return None
            name = decode_name(data[name_at:name_at + name_length], flags)
            if "\x00" in name or (os.sep != "/" and os.sep in name):
                return None  # ZipInfo would cut or rewrite the name
            members.append(Member(name, flags, compress_type, crc, compress_size, file_size, header_offset,
                                  len(members)))
    except (UnicodeDecodeError, struct.error):
        return None
    return Package(data, members, offset)
