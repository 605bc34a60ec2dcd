"""Where an output may go, and what happens to the file it replaces — one rule for every writer.

An output never lands on an input: not on the master workbook 台账.xlsx, not on its ledger (.db), not
inside a returns folder being collected or known to be one (the ledger's, 回表 beside the 台账: the next
collect would read it as a unit's return), not on the
plan or template being read, and it has the extension of what is written (.xlsx for workbooks, .docx for
documents, .json for a Plan JSON). ``check_output`` says so in one sentence (OutputError, exit 2) before
anything is read or written.

A replaced output is never lost: ``move_aside`` puts the old file in the one 备份 folder beside it, named
after the time it was last saved (备份/汇总.20261207-101502.xlsx; -2, -3 … when that name is taken), and
the caller tells the user where. An old file with exactly the bytes about to be written is not copied.
"""

from __future__ import annotations

import datetime
import filecmp
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workplan_xl.errors import OutputError

BACKUP_FOLDER = "备份"
KINDS = {  # what is written → (extension, what the user calls it, an example name)
    "workbook": (".xlsx", "Excel 工作簿", "汇总.xlsx"),
    "master": (".xlsx", "Excel 工作簿", "台账.xlsx"),
    "document": (".docx", "Word 文档", "工作总结.docx"),
    "json": (".json", "JSON 文件", "plan.json"),
}


@dataclass
class Inputs:
    """The files and folders a command reads, which its outputs must leave alone."""

    master: Path | None = None  # 台账.xlsx
    ledger: Path | None = None  # 台账.db
    returns: list[Path] = field(default_factory=list)  # the returns folders (or files) being collected
    plan: Path | None = None  # the plan document being read (wpx build, wpx parse)
    others: dict[str, Path] = field(default_factory=dict)  # role → path (a roster, a template)
    collected: dict[Path, str] = field(default_factory=dict)  # returns folders known otherwise → how known

    def roles(self) -> Iterable[tuple[str, Path]]:
        if self.master is not None:
            yield "台账", self.master
        if self.ledger is not None:
            yield "台账数据库", self.ledger
            for suffix in ("-journal", "-wal", "-shm"):
                yield "台账数据库", self.ledger.with_name(self.ledger.name + suffix)
        if self.plan is not None:
            yield "正在读取的源文件", self.plan
        yield from self.others.items()


def same_file(a: Path, b: Path) -> bool:
    """The same file, however it is written (relative, through a symlink, in another letter case on
    Windows and macOS)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def _inside(path: Path, folder: Path) -> bool:
    path, folder = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    try:
        folder = folder.resolve()
        path = path.parent.resolve() / path.name
    except OSError:
        pass
    return os.path.normcase(str(folder)) in (os.path.normcase(str(p)) for p in path.parents)


def check_output(path: Path, kind: str, what: str, inputs: Inputs | None = None, option: str = "-o") -> None:
    """Refuse (one sentence) an output ``path`` of the wrong kind or on one of ``inputs``. ``what`` is
    the output as the user knows it (汇总表, 工作总结 …), ``option`` the one that names it."""
    path = Path(path)
    suffix, kind_name, example = KINDS[kind]
    if path.suffix.lower() != suffix:
        given = f"扩展名为「{path.suffix}」" if path.suffix else "没有扩展名"
        raise OutputError(f"{what}要保存为{kind_name}（{suffix}），而「{path}」{given}："
                          f"请用 {option} 给一个以 {suffix} 结尾的文件名，如 {path.parent / example}。")
    if path.exists() and not path.is_file() and not path.is_dir():  # writing to a named pipe waits for a reader
        raise OutputError(f"{what}不能保存为「{path}」：它不是普通文件（是管道或设备）。请用 {option} 换一个文件名或位置。")
    check_not_input(path, what, inputs, option)


def check_folder(folder: Path, what: str, inputs: Inputs | None = None) -> None:
    """Refuse an output folder that is an input file or lies inside a returns folder."""
    check_not_input(Path(folder), what, inputs)


def check_not_input(path: Path, what: str, inputs: Inputs | None, option: str = "-o") -> None:
    if inputs is None:
        return
    for role, source in inputs.roles():
        if same_file(path, source):
            raise OutputError(f"{what}不能保存为「{path}」：这是{role}，写入会把它覆盖。请用 {option} 换一个文件名或位置。")
    for source in inputs.returns:
        source = Path(source)
        if same_file(path, source) or (source.is_dir() and _inside(path, source)):
            where = f"回表文件夹「{source}」" if source.is_dir() else f"回表「{source}」"
            raise OutputError(f"{what}不能保存到{where}{'里' if source.is_dir() else ''}：下次收集时它会被当成单位的回表读入。"
                              f"请用 {option} 保存到回表文件夹以外的位置。")
    for folder, known in inputs.collected.items():
        if same_file(path, folder) or _inside(path, folder):
            where = f"回表文件夹「{folder}」" if same_file(path, folder) else f"「{path}」，它在回表文件夹「{folder}」里"
            raise OutputError(f"{what}不能保存到{where}：{known}，放在这里的文件下次收集时会被当成单位的回表读入。"
                              f"请用 {option} 保存到回表文件夹以外的位置。")


def backup_folder(path: Path) -> Path:
    """The one place old copies of the outputs in ``path``'s folder go."""
    return Path(path).parent / BACKUP_FOLDER


def backup_name(path: Path) -> Path:
    """备份/名称.YYYYMMDD-HHMMSS.扩展名 after the old file's own save time; -2, -3 … when taken."""
    path = Path(path)
    try:
        saved = datetime.datetime.fromtimestamp(path.stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        saved = datetime.datetime.now()
    stem = f"{path.stem}.{saved:%Y%m%d-%H%M%S}"
    folder = backup_folder(path)
    candidate, n = folder / f"{stem}{path.suffix}", 2
    while candidate.exists():
        candidate, n = folder / f"{stem}-{n}{path.suffix}", n + 1
    return candidate


def move_aside(path: Path, replacement: Path | bytes | None = None) -> Path | None:
    """Move an existing ``path`` into the 备份 folder beside it and return where it went; None when
    there is nothing there, or when it holds exactly ``replacement`` (a file or bytes) already."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        if isinstance(replacement, bytes):
            if path.stat().st_size == len(replacement) and path.read_bytes() == replacement:
                return None
        elif replacement is not None and filecmp.cmp(path, replacement, shallow=False):
            return None
        target = backup_name(path)
        target.parent.mkdir(exist_ok=True)
        os.replace(path, target)
    except OSError as error:
        raise OutputError(f"「{path}」无法移到{BACKUP_FOLDER}文件夹（{error.strerror or error}）：它可能正在 Excel、Word "
                          "或 WPS 中打开，请关闭后重新运行。") from error
    return target


def replace_output(temporary: Path, path: Path) -> Path | None:
    """Put a completely written ``temporary`` file in place of ``path``, the old one moved aside first
    (and put back if the replacement fails). Returns where the old copy went, or None."""
    backup = move_aside(path, replacement=temporary)
    try:
        os.replace(temporary, path)
    except OSError as error:
        if backup is not None and not path.exists():
            os.replace(backup, path)  # the old file back where the user left it
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"「{path.name}」无法写入（{error.strerror or error}）：文件可能正在 Excel、Word 或 WPS 中"
                          "打开，请关闭后重新运行。") from error
    return backup


def backup_note(backup: Path | None) -> str:
    """What the CLI adds when an old copy was kept."""
    return f"原文件已移到：{backup}" if backup is not None else ""
