"""One small hierarchy of user-facing errors. The CLI turns any WorkplanError into one sentence and
a non-zero exit code in one place (cli.py); the messages are Chinese and say what to do."""


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
