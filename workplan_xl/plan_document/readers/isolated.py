"""Every plan reader run through workplan_xl.isolated (the one child-process mechanism, shared with
rosters and the 台账), with the sentences a plan file gets when the child does not return.

python-calamine (Rust) and PDFium (C++) can abort the whole process (a PanicException that derives from
BaseException, a hard abort, a crash), every reader can exhaust memory on a zip bomb or on a part that
inflates to hundreds of megabytes of XML, and a pathological PDF content stream or a web page of a
million nested tags can keep a reader busy for minutes. A plan is one file, so one fresh child per read
costs a fraction of a second and keeps the command alive: whatever happens in the child comes back as
one Chinese sentence naming the file.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workplan_xl.errors import InputFileError
from workplan_xl.isolated import MEMORY, TIMEOUT, Limited, run_limited
from workplan_xl.plan_document.readers.blocks import Block, ReaderWarning

SHEET_ADVICE = ("请在 Excel/WPS 中打开后另存为 .xlsx，或删去无关的工作表后再试", "请在 Excel/WPS 中打开后另存为 .xlsx 再试")
# documents: a 60-page PDF with ruled tables takes pdfplumber some seconds; nothing a plan holds needs more
DOCUMENT_MEMORY = 1536 << 20
DOCUMENT_TIMEOUT = 120.0
MAX_LINES = 50_000  # paragraphs and table rows: a 60-page plan has about 2,000
_DOCUMENT_ADVICE = {  # kind → what to do (after a timeout, after anything else)
    "docx": ("请在 Word/WPS 中打开后另存为 .docx，或改用 .txt 文件后再试", "请在 Word/WPS 中打开后另存为 .docx 再试"),
    "pdf": ("请改用 Word 或 .txt 文件，或重新导出 PDF 后再试", "请改用 Word 或 .txt 文件，或重新导出 PDF 后再试"),
    "html": ("请在浏览器中把正文复制到 Word 或 .txt 文件后再试", "请在浏览器中把正文复制到 Word 或 .txt 文件后再试"),
    "text": ("请确认这是工作要点的文本文件，删去无关内容后再试", "请确认这是工作要点的文本文件，删去无关内容后再试"),
    "csv": SHEET_ADVICE,
}


def run_isolated(func: Callable[..., Any], *args: Any, name: str, memory: int = MEMORY, timeout: float = TIMEOUT,
                 advice: tuple[str, str] = SHEET_ADVICE, what: str = "这份电子表格") -> Any:
    """``func(*args)`` in a child process; its result, or InputFileError naming ``name`` (the file):
    ``advice`` says what to do after a timeout and after anything else, ``what`` what the file is."""
    try:
        return run_limited(func, *args, memory=memory, timeout=timeout)
    except Limited as limited:
        if limited.code == "timeout":
            raise InputFileError(f"读取「{name}」超过 {int(timeout)} 秒仍未完成（文件可能过大或格式异常）：{advice[0]}。"
                                 ) from None
        if limited.code in ("memory", "crash"):
            raise InputFileError(f"「{name}」读取时占用内存过多或读取程序异常退出（文件可能过大、已损坏或是恶意文件）："
                                 f"{advice[1]}。") from None
        raise InputFileError(f"「{name}」{what}无法读取（文件可能已损坏或格式异常）：{advice[1]}。"
                             ) from RuntimeError(limited.detail)


def read_document(kind: str, path: Path, encoding: str | None = None, name: str | None = None) -> list[Block]:
    """Blocks of a Word ("docx"), PDF ("pdf"), web page ("html"), text ("text") or .csv ("csv") plan, read in a child
    process with DOCUMENT_MEMORY and DOCUMENT_TIMEOUT; the reader's ReaderWarnings are issued here again.
    ``name``: the file as the user gave it (a LibreOffice conversion reads a temporary copy)."""
    path = Path(path)
    name = name or path.name
    try:
        blocks, said = run_isolated(_read_document, kind, str(path), encoding, name, name=name,
                                    memory=DOCUMENT_MEMORY, timeout=DOCUMENT_TIMEOUT, advice=_DOCUMENT_ADVICE[kind],
                                    what="这份电子表格" if kind == "csv" else "这份文档")
    except InputFileError as error:  # the reader named the converted copy: the user knows their own file
        if name == path.name or f"「{path.name}」" not in str(error):
            raise
        raise type(error)(str(error).replace(f"「{path.name}」", f"「{name}」")) from error.__cause__
    for message in said:
        warnings.warn(ReaderWarning(message), stacklevel=2)
    return blocks


def _read_document(kind: str, path: str, encoding: str | None, name: str) -> tuple[list[Block], list[str]]:
    """Runs in the child: the blocks, and what the reader warned about (warnings stay in their process).
    Past MAX_LINES lines the parser (in the calling process) would work for minutes: refused here."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if kind == "docx":
            from workplan_xl.plan_document.readers.word import read_docx

            blocks = read_docx(Path(path))
        elif kind == "pdf":
            from workplan_xl.plan_document.readers.pdf import read_pdf

            blocks = read_pdf(Path(path))
        elif kind == "html":
            from workplan_xl.plan_document.readers.html import read_html

            blocks = read_html(Path(path), encoding)
        elif kind == "csv":
            from workplan_xl.plan_document.readers.sheet import read_csv

            blocks = read_csv(Path(path), encoding)
        else:
            from workplan_xl.plan_document.readers.text import read_text

            blocks = read_text(Path(path), encoding)
    lines = sum(len(b.rows) if b.kind == "table" else 1 for b in blocks)
    if lines > MAX_LINES:
        raise InputFileError(f"「{name}」有 {lines} 段（行）文字，远超一份工作计划的篇幅：请确认选对了文件，"
                             "或只保留计划的正文和任务表后再试。")
    return blocks, [str(w.message) for w in caught if issubclass(w.category, ReaderWarning)]
