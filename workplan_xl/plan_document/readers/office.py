"""Old and other office formats (.doc .wps .odt .rtf; .et and .ods when python-calamine cannot read
them) through LibreOffice: converted headless into a temporary folder, with a time and (Linux) memory limit and a profile
of its own (-env:UserInstallation) so parallel runs and a LibreOffice the user has open do not collide,
then read by word.py or sheet.py. Without LibreOffice the sentence says to install it or save as .docx.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from workplan_xl.errors import InputFileError
from workplan_xl.plan_document.readers.blocks import Block

TIME_LIMIT = 180  # seconds: a 60-page .doc converts in a few seconds; a first start takes longer
MEMORY_LIMIT = 2048 << 20  # address space of LibreOffice (Linux); it converts a document within 1 GB
_NAMES = {"doc": "旧版 Word 文档（.doc）", "wps": "WPS 文字文档（.wps）", "odt": "OpenDocument 文档（.odt）",
          "rtf": "RTF 文档", "et": "WPS 表格（.et）", "ods": "OpenDocument 表格（.ods）"}


def find_soffice() -> str | None:
    """LibreOffice's command: WPX_SOFFICE, then soffice/libreoffice on PATH, then the usual places."""
    configured = os.environ.get("WPX_SOFFICE")
    if configured is not None:
        return configured or None  # WPX_SOFFICE="" means: do without LibreOffice
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    for candidate in ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
                      r"C:\Program Files\LibreOffice\program\soffice.exe"):
        if Path(candidate).is_file():
            return candidate
    return None


def read_office(path: Path, encoding: str | None = None, kind: str = "doc") -> list[Block]:
    """Blocks of a document LibreOffice can open: text documents as .docx, spreadsheets as .xlsx.

    ``kind`` names what the bytes looked like ("doc", "wps", "odt", "rtf", "et", "ods") for the sentence
    shown when LibreOffice is missing or fails."""
    path = Path(path)
    spreadsheet = kind in ("et", "ods", "xls")
    what = _NAMES.get(kind, "文档")
    soffice = find_soffice()
    if soffice is None:
        target = ".xlsx" if spreadsheet else ".docx"
        raise InputFileError(f"「{path.name}」是{what}，需要 LibreOffice 才能读取：请安装 LibreOffice（soffice），"
                             f"或在 Word/WPS 中另存为 {target} 后再试。")
    with tempfile.TemporaryDirectory(prefix="wpx-lo-") as tmp:
        folder = Path(tmp)
        source = folder / ("source" + (path.suffix.lower() if path.suffix.isascii() else ""))
        shutil.copyfile(path, source)  # an ASCII name: LibreOffice and the shell never see odd characters
        converted = convert(soffice, source, "xlsx" if spreadsheet else "docx", folder, f"「{path.name}」是{what}",
                            timeout=TIME_LIMIT)
        if spreadsheet:
            from workplan_xl.plan_document.readers.sheet import read_sheet

            return read_sheet(converted, name=path.name)
        from workplan_xl.plan_document.readers.isolated import read_document

        return read_document("docx", converted, name=path.name)


def convert(soffice: str, source: Path, fmt: str, folder: Path, said: str, timeout: int = TIME_LIMIT) -> Path:
    """``source`` converted by LibreOffice into ``folder`` as ``fmt``; InputFileError opening with ``said``
    (「name」是旧版 Word 文档（.doc）)."""
    profile = folder / "lo-profile"
    out = folder / "out"
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
           "--convert-to", fmt, "--outdir", str(out), str(source)]
    try:
        # its own session: on a timeout the whole LibreOffice process group goes, not only the launcher
        process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=os.name != "nt",
                                   preexec_fn=_limit_memory if sys.platform.startswith("linux") else None)
    except OSError as error:
        raise InputFileError(f"{said}，但无法启动 LibreOffice（{soffice}）：请检查 LibreOffice 是否安装完好，"
                             f"或在 Word/WPS 中另存为 .{fmt} 后再试。") from error
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise InputFileError(f"{said}，LibreOffice 转换超过 {timeout} 秒仍未完成：请在 Word/WPS 中另存为 .{fmt} 后再试。"
                             ) from None
    result = out / f"{source.stem}.{fmt}"
    if not result.is_file() or result.stat().st_size == 0:
        raise InputFileError(f"{said}，LibreOffice 无法转换它（文件可能已损坏、加了密码或不是文档）："
                             f"请在 Word/WPS 中打开并另存为 .{fmt} 后再试。")
    return result


def _limit_memory() -> None:
    """In the LibreOffice process before it starts: a hostile document ends its conversion, not the machine."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard),
                                            hard))


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        if os.name != "nt":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        pass
    process.wait(10)
