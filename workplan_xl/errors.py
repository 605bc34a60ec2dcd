"""One small hierarchy of user-facing errors. The CLI turns any WorkplanError into one sentence and
a non-zero exit code in one place (cli.py); the messages are Chinese and say what to do."""

from __future__ import annotations

from pathlib import Path


class WorkplanError(Exception):
    """Base class: a problem the user can fix. ``str(error)`` is the sentence shown to them."""

    exit_code = 2


class InputFileError(WorkplanError, OSError):
    """A file is missing, unreadable, of the wrong kind, empty, encrypted or damaged."""


class PlanStructureError(WorkplanError, ValueError):
    """A document holds no recognisable plan structure (no numbered sections or tasks)."""


class WorkbookError(WorkplanError, ValueError):
    """A workbook is not a workplan_xl master workbook, or of another schema version."""


class RosterError(WorkplanError, ValueError):
    """A roster (填报单位) has duplicate codes, blank names or missing columns."""


class TemplateFieldError(WorkplanError, ValueError):
    """A Word template lacks placeholders the report needs."""


class OutputError(WorkplanError, OSError):
    """An output cannot be written (folder missing, file open in Excel/WPS, no permission)."""


class OptionValueError(WorkplanError, ValueError):
    """An option's value cannot be understood (a date such as --as-of 2024-13-40)."""


def refuse_special_file(path: Path, role: str, give: str) -> None:
    """One check for every input file (plan, 台账, roster, template, return, ledger): opening a named pipe
    waits for ever for a writer and a device such as /dev/zero reads without end, so a path that exists
    and is neither a regular file nor a folder is refused before anything opens it. ``role`` names the
    file (台账, 模板; "" for a plan), ``give`` what the user should give instead."""
    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        space = " " if give[:1].isascii() else ""
        raise InputFileError(f"{role}「{path}」不是普通文件（是管道或设备）：请给出{space}{give}本身的路径。")
