"""Mail and archives in the returns folder: a school mails its form (saved as .eml from Outlook,
Foxmail or a web mailbox) or sends all its files in one .zip (a mailbox's 打包下载). Each attachment
and member is a return of its own, whose source says where it came from ("邮件《主题》（发件人）的附件
x.xlsx", "压缩包 a.zip 中的 b.xlsx").

What a file is comes from its bytes, never its name. Members are unpacked into a temporary folder
that is removed after the run (nothing is written beside the inputs), each under its own base name
(never its path inside the archive: no traversal), within limits: member count, declared and actual
sizes, compression ratio, total size and nesting depth. Encrypted members, .rar, .7z and Outlook .msg
are not opened: they are named in 问题清单 with what to do. Parsing happens in this process but never
runs anything from a file, and every size is capped before bytes are held in memory."""

from __future__ import annotations

import datetime
import email
import email.errors
import email.header
import email.message
import email.utils
import hashlib
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from workplan_xl.cjk import safe_file_name
from workplan_xl.ledger import FileRecord
from workplan_xl.returns.interpret import REJECTED, Finding, Reading
from workplan_xl.returns.mail_headers import attachment_name, header_text, mail_time
from workplan_xl.returns.precheck import LIMITS, Limits
from workplan_xl.returns.sniff import (
    OLE2,
    ZIP_MAGIC,
    is_iwork_package,
    is_numbers_folder,
    part_name,
    skip_reason,
)
from workplan_xl.returns.worker import display_name

MAX_CONTAINER_BYTES = 200 * 1024 * 1024  # a mail or archive larger than this is not opened
MAX_MEMBERS = 500  # files in one archive or mail
MAX_TOTAL_BYTES = 300 * 1024 * 1024  # unpacked from one container, nested ones included
MAX_DEPTH = 3  # an archive in a mail in an archive is still fine; deeper is refused
_HEAD = 65536
# in part_name form (lower case, forward slashes): some exporters write [content_types].xml and xl\workbook.xml
_DOCUMENT_PARTS = ("xl/workbook.xml", "xl/workbook.bin", "mimetype", "word/document.xml", "[content_types].xml",
                   "_rels/.rels")
_DOCUMENT_FOLDERS = ("xl/", "word/", "ppt/", "docprops/", "customxml/", "_rels/", "meta-inf/manifest.xml")
_ODF_PARTS = ("content.xml", "styles.xml", "meta.xml", "settings.xml")
# Mail clients label GBK text as gb2312; GB18030 decodes both (and everything GBK adds).
_RESEND = "请解压后把其中的表格文件直接放进回表文件夹，或请报送单位直接发送表格文件（也可改用 .zip 打包）后重新运行。"
_NOT_OPENED = {
    "rar": ("压缩包「{name}」是 RAR 格式，wpx 不能直接读取其中的文件", _RESEND),
    "7z": ("压缩包「{name}」是 7z 格式，wpx 不能直接读取其中的文件", _RESEND),
    "msg": ("文件「{name}」是 Outlook 邮件（.msg），wpx 不能直接读取其中的附件",
            "请在 Outlook 中打开这封邮件，把附件另存到回表文件夹（或把邮件另存为 .eml）后重新运行。"),
    "gz": ("压缩包「{name}」是 gzip/tar 格式，wpx 不能直接读取其中的文件", _RESEND),
    "tnef": ("「{name}」是 Outlook 打包的 winmail.dat，wpx 不能直接读取其中的附件",
             "请发件单位在 Outlook 中改用 HTML 或纯文本格式重新发送邮件，或把表格另存后直接放进回表文件夹。"),
}
_TNEF_MAGIC = b"\x78\x9f\x3e\x22"


@dataclass(frozen=True)
class Unpacked:
    """A file taken out of a mail or archive (``reading`` None: to be read like any return), or a
    member or container that cannot be read, with the Reading that says why."""

    record: FileRecord
    reading: Reading | None = None


class _Budget:
    def __init__(self) -> None:
        self.total = 0


@contextmanager
def unpack_containers(files: list[Path], limits: Limits = LIMITS) -> Iterator[list[Path | Unpacked]]:
    """``files`` with every mail and archive replaced by what is inside it; the unpacked files live
    in a temporary folder until the block ends."""
    if not any(container_kind(p) for p in files if skip_reason(p) is None):
        yield list(files)
        return
    with tempfile.TemporaryDirectory(prefix="wpx-unpacked-") as folder:
        items: list[Path | Unpacked] = []
        for path in files:
            kind = container_kind(path) if skip_reason(path) is None else None
            if kind is None:
                items.append(path)
            else:
                items.extend(_unpack_file(path, kind, Path(folder), limits))
        yield items


def container_kind(path: Path) -> str | None:
    """"zip", "mail", "rar", "7z" or "msg" when the file's bytes are one; None for anything else
    (spreadsheets, Word and OpenDocument files are zips too, but not archives); "odd" for an entry
    that is no file to open (a link to nothing or to a folder, a pipe: opening one waits for ever)."""
    if not path.is_file() and (path.is_symlink() or not path.is_dir()):
        return "odd"
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD)
    except IsADirectoryError:  # collect lists a folder only when it is a Numbers package
        return "numbers" if is_numbers_folder(path) else None
    except OSError:
        return None
    return _kind(head, path)


def _unreadable(path: Path, key: str, name: str) -> FileRecord:
    """The record of a file whose bytes cannot be read: no size, no time, a hash of its path."""
    return FileRecord(path, key, name, 0, 0.0, "unreadable:" + hashlib.sha256(key.encode()).hexdigest())


def _odd_entry(path: Path, name: str) -> tuple[str, str]:
    """(problem, action) for a folder entry that is not a file to read."""
    try:
        target = os.readlink(path)
    except OSError:
        return f"「{name}」不是普通文件（是管道、套接字或设备），未读取", "请把回表文件本身放进回表文件夹后重新运行。"
    if path.is_dir():
        return (f"「{name}」是指向文件夹「{target}」的链接，链接的文件夹不收集（以免重复或循环）",
                "如需收集其中的回表，请把该文件夹本身放进回表文件夹，或把它作为回表文件夹给出后重新运行。")
    return f"「{name}」是失效的链接（指向的「{target}」不存在），未读取", "请把回表文件本身（不是链接）放进回表文件夹后重新运行。"


def _first_member(head: bytes) -> str:
    """The name in a zip's first local file header: Excel, WPS, LibreOffice and xlsxwriter put
    [Content_Types].xml or mimetype first, so most workbooks are told apart without reading the
    central directory."""
    if len(head) < 30:
        return ""
    length = int.from_bytes(head[26:28], "little")
    return head[30:30 + length].decode("cp437", "replace")


def _kind(head: bytes, source: Path | bytes) -> str | None:
    if head.startswith(ZIP_MAGIC):
        first = part_name(_first_member(head))
        if first in _DOCUMENT_PARTS or _document_part(first):
            return None
        try:
            with zipfile.ZipFile(source if isinstance(source, Path) else _bytes_io(source)) as archive:
                names = {part_name(n) for n in archive.namelist()}
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
            return None  # a cut-off workbook: the reader says so
        if names & set(_DOCUMENT_PARTS) or is_iwork_package(names) or any(map(_document_part, names)):
            return None  # a workbook, a document or an Apple iWork file (damaged or not): read (or named) as one
        return "zip"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"\x1f\x8b"):
        return "gz"
    if head.startswith(_TNEF_MAGIC):
        return "tnef"
    if head.startswith(OLE2):
        data = source if isinstance(source, bytes) else _read_capped(source, MAX_CONTAINER_BYTES)
        return "msg" if data is not None and "__substg1.0_".encode("utf-16-le") in data else None
    return "mail" if _looks_like_mail(head) else None


def _document_part(name: str) -> bool:
    """A part only an Office or OpenDocument package holds: a zip whose directory lost [Content_Types].xml
    or whose names were damaged is a damaged workbook, told so by the reader, not an archive of returns."""
    return name.startswith(_DOCUMENT_FOLDERS) or name.endswith(".rels") or name in _ODF_PARTS


def _bytes_io(data: bytes):  # noqa: ANN202 - io.BytesIO, kept local to the zip check
    import io

    return io.BytesIO(data)


def _looks_like_mail(head: bytes) -> bool:
    """An RFC 822 message: a block of headers with From and Subject (a web page saved as .mht has
    MIME headers but no Subject) before the first blank line."""
    block = head.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    names = set()
    for line in block.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            continue
        name, colon, _ = line.partition(b":")
        if not colon or not name or b" " in name.strip() or not name.strip().isascii():
            return False
        names.add(name.strip().lower())
    return b"from" in names and b"subject" in names


def _read_capped(path: Path, cap: int) -> bytes | None:
    with open(path, "rb") as handle:
        data = handle.read(cap + 1)
    return None if len(data) > cap else data


# -- containers ----------------------------------------------------------------------------------
def _unpack_file(path: Path, kind: str, folder: Path, limits: Limits) -> list[Unpacked]:
    key = os.fsencode(path).decode("utf-8", "backslashreplace")
    name = display_name(path)
    if kind == "numbers":
        return [_numbers_folder(path, key, name)]
    if kind == "odd":
        return [_refused(_unreadable(path, key, name), *_odd_entry(path, name))]
    try:
        stat = path.stat()
        data = _read_capped(path, MAX_CONTAINER_BYTES)
    except OSError as error:
        return [_refused(_unreadable(path, key, name), f"文件「{name}」打不开", "请确认文件没有被其他程序占用，或重新复制一份后再运行。",
                         f"unreadable: {error}")]
    record = FileRecord(path, key, name, stat.st_size, stat.st_mtime,
                        hashlib.sha256(data).hexdigest() if data is not None else _hash_file(path))
    label = f"压缩包 {name}" if kind == "zip" else name
    if data is None:
        return [_refused(record, f"「{name}」过大（{stat.st_size / 1048576:.0f} MB，上限 {MAX_CONTAINER_BYTES >> 20} MB），"
                                 "为安全起见未打开", _RESEND)]
    return _unpack(data, kind, record, label, folder, limits, 1, _Budget())


def _unpack(data: bytes, kind: str, record: FileRecord, label: str, folder: Path, limits: Limits, depth: int,
            budget: _Budget) -> list[Unpacked]:
    if kind in _NOT_OPENED:
        problem, action = _NOT_OPENED[kind]
        return [_refused(record, problem.format(name=record.name), action)]
    if kind == "zip":
        return _unpack_zip(data, record, label, folder, limits, depth, budget)
    return _unpack_mail(data, record, folder, limits, depth, budget)


def _member(data: bytes, member: str, label: str, key: str, mtime: float, folder: Path, limits: Limits,
            depth: int, budget: _Budget) -> list[Unpacked]:
    """One attachment or archive member: a nested container is opened (to MAX_DEPTH), anything else
    becomes a file of its own in the temporary folder, under its base name."""
    base = safe_file_name(PurePosixPath(member.replace("\\", "/")).name) or "未命名"
    sha = hashlib.sha256(data).hexdigest()
    path = folder / sha[:24] / base
    record = FileRecord(path, key, label, len(data), mtime, sha)
    kind = _kind(data[:_HEAD], data)
    if kind is not None:
        if depth >= MAX_DEPTH:
            return [_refused(record, f"「{label}」是套了 {depth + 1} 层的压缩包或邮件，为安全起见未打开", _RESEND)]
        return _unpack(data, kind, record, label, folder, limits, depth + 1, budget)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return [Unpacked(record)]


def _unpack_zip(data: bytes, record: FileRecord, label: str, folder: Path, limits: Limits, depth: int,
                budget: _Budget) -> list[Unpacked]:
    out: list[Unpacked] = []
    try:
        archive = zipfile.ZipFile(_bytes_io(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError) as error:
        return [_refused(record, f"压缩包「{record.name}」已损坏，无法打开", "请重新打包发送。", f"zip: {error}")]
    if len(infos) > MAX_MEMBERS:
        return [_refused(record, f"压缩包「{record.name}」中有 {len(infos)} 个文件（上限 {MAX_MEMBERS} 个），为安全起见未打开",
                         _RESEND)]
    with archive:
        for info in infos:
            name = _member_name(info)
            member_label = f"{label} 中的 {_shown(name)}"
            member_key = f"{record.key}#{name}"
            mtime = _zip_time(info, record.mtime)
            blank = FileRecord(record.path, member_key, member_label, info.file_size, mtime, _hash_name(member_key, info))
            if name.split("/")[-1].startswith(("~$", ".")) or name.startswith("__MACOSX/"):
                continue  # lock files and macOS resource forks packed along
            if info.flag_bits & 0x1:
                out.append(_refused(blank, f"「{member_label}」加了密码，无法读取", "请去掉压缩包的密码后重新发送。"))
                continue
            problem = _zip_size_problem(info, limits, budget)
            if problem:
                out.append(_refused(blank, f"「{member_label}」{problem}，为安全起见未读取", _RESEND))
                continue
            try:
                with archive.open(info) as handle:
                    content = handle.read(min(info.file_size, limits.max_file_bytes) + 1)
            except NotImplementedError as error:  # deflate64, PPMd…: written by tools zipfile does not follow
                out.append(_refused(blank, f"「{member_label}」的压缩方式不受支持", _RESEND, f"zip: {error}"))
                continue
            except (zipfile.BadZipFile, zlib.error, OSError, ValueError, RuntimeError,
                    EOFError) as error:  # a CRC error also catches a member larger than it declared
                out.append(_refused(blank, f"「{member_label}」已损坏，无法读取", "请重新打包发送。", f"zip: {error}"))
                continue
            budget.total += len(content)
            out.extend(_member(content, name, member_label, member_key, mtime, folder, limits, depth, budget))
    if not out:  # nothing inside but folders, lock files or resource forks: the archive itself is accounted for
        return [_refused(record, f"压缩包「{record.name}」里没有表格文件（是空的，或只有文件夹、临时文件）", _RESEND)]
    return out


def _zip_size_problem(info: zipfile.ZipInfo, limits: Limits, budget: _Budget) -> str:
    if info.file_size > limits.max_file_bytes:
        return f"过大（{info.file_size / 1048576:.1f} MB，上限 {limits.max_file_bytes >> 20} MB）"
    if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return f"压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍，疑似“压缩炸弹”）"
    if budget.total + info.file_size > MAX_TOTAL_BYTES:
        return f"使压缩包解开后超过 {MAX_TOTAL_BYTES >> 20} MB"
    return ""


def _member_name(info: zipfile.ZipInfo) -> str:
    """Windows' own zip tool and most Chinese ones write names in GBK without the UTF-8 flag;
    zipfile then decodes them as cp437. Undo that and try UTF-8, then GB18030."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _zip_time(info: zipfile.ZipInfo, fallback: float) -> float:
    try:
        return datetime.datetime(*info.date_time).timestamp()
    except (ValueError, OverflowError):
        return fallback


def _hash_name(key: str, info: zipfile.ZipInfo) -> str:
    """For a member that is not read: its place and CRC stand in for its bytes."""
    return hashlib.sha256(f"{key}\0{info.CRC}\0{info.file_size}".encode("utf-8", "replace")).hexdigest()


def _numbers_folder(path: Path, key: str, name: str) -> Unpacked:
    """A Numbers folder package, one return: its hash covers every file's name and bytes (up to the
    container cap; past it, names, sizes and times), so the same package is known on the next run."""
    from workplan_xl.returns.messages import file_problem
    from workplan_xl.returns.sniff import NUMBERS

    files = sorted(Path(folder) / n for folder, _, names in os.walk(path) for n in names)[:MAX_MEMBERS]  # no symlinked folders
    files = [p for p in files if p.is_file() and not p.is_symlink()]
    digest = hashlib.sha256()
    size, mtime = 0, path.stat().st_mtime
    for file in files:
        stat = file.stat()
        size, mtime = size + stat.st_size, max(mtime, stat.st_mtime)
        digest.update(file.relative_to(path).as_posix().encode("utf-8", "surrogateescape") + b"\x00")
        digest.update(_hash_file(file).encode() if size <= MAX_CONTAINER_BYTES else f"{stat.st_size}".encode())
    problem, action = file_problem("convert", name, NUMBERS)
    return _refused(FileRecord(path, key, name, size, mtime, digest.hexdigest()), problem, action)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _shown(name: str) -> str:
    return "".join(c if c.isprintable() else "�" for c in name)[:200]


def _refused(record: FileRecord, problem: str, action: str, detail: str = "") -> Unpacked:
    """The library's own words (English) go to the ledger's kind, never into the sentence."""
    return Unpacked(record, Reading(REJECTED, reason=problem, kind=detail[:300],
                                    findings=[Finding("", problem, action)]))


# -- mail ----------------------------------------------------------------------------------------
def _unpack_mail(data: bytes, record: FileRecord, folder: Path, limits: Limits, depth: int,
                 budget: _Budget) -> list[Unpacked]:
    message = email.message_from_bytes(data)  # compat32: raw header text, decoded below with GBK in mind
    subject = header_text(message.get("Subject")).strip() or "无主题"
    sender = email.utils.parseaddr(header_text(message.get("From")))[1]
    mtime = mail_time(message.get("Date"), record.mtime)
    label = f"邮件《{_shown(subject)[:60]}》" + (f"（{_shown(sender)}）" if sender else "")
    out: list[Unpacked] = []
    count = 0
    for part in message.walk():
        if part.is_multipart():
            continue
        name = attachment_name(part)
        if not name and part.get_content_disposition() != "attachment":
            continue  # the body of the mail
        count += 1
        name = name or f"附件{count}"
        member_label = f"{label}的附件 {_shown(name)}"
        member_key = f"{record.key}#{count}:{name}"
        if count > MAX_MEMBERS:
            break
        payload = part.get_payload(decode=True) or b""
        if len(payload) > limits.max_file_bytes or budget.total + len(payload) > MAX_TOTAL_BYTES:
            blank = FileRecord(record.path, member_key, member_label, len(payload), mtime,
                               hashlib.sha256(payload).hexdigest())
            out.append(_refused(blank, f"「{member_label}」过大（{len(payload) / 1048576:.1f} MB），为安全起见未读取",
                                "请删去表中插入的图片、附件等，只保留填报内容后重新发送。"))
            continue
        budget.total += len(payload)
        out.extend(_member(payload, name, member_label, member_key, mtime, folder, limits, depth, budget))
    if count == 0:
        out.append(_refused(record, f"{label}（文件「{record.name}」）没有附件", "请联系发件单位把填好的表格作为附件重新发送。"))
    return out


__all__ = ["MAX_DEPTH", "Unpacked", "container_kind", "unpack_containers"]
