"""Reading returns safely: sniff the bytes, pre-check the zip and sheet extents, read in worker
processes with memory and time limits, then identify the unit and check the values. Each file is read
once: its bytes are hashed, sniffed, pre-checked and handed to the reader from memory.

    ReaderPool().read(paths)  → (index, plain data) per file, in worker processes
    interpret(data, PlanIndex(plan), round, file_name) → Reading (unit, values, findings)
    quarantine_copy(…)  → a copy of a rejected return in 隔离区 beside the ledger
"""

from workplan_xl.returns.interpret import (
    ACCEPTED,
    BY_FILE_NAME,
    BY_META,
    BY_SHEET_CODE,
    BY_SHEET_NAME,
    REJECTED,
    SKIPPED,
    Finding,
    PlanIndex,
    Reading,
    Value,
    interpret,
)
from workplan_xl.returns.precheck import LIMITS, Limits
from workplan_xl.returns.quarantine import QUARANTINE, quarantine_copy, quarantine_folder
from workplan_xl.returns.sniff import skip_reason
from workplan_xl.returns.worker import ReaderPool, WorkerStartError, inspect_bytes, inspect_file

__all__ = ["ACCEPTED", "BY_FILE_NAME", "BY_META", "BY_SHEET_CODE", "BY_SHEET_NAME", "LIMITS", "QUARANTINE", "REJECTED",
           "SKIPPED", "Finding", "Limits", "PlanIndex", "ReaderPool", "Reading", "Value", "WorkerStartError",
           "inspect_bytes", "inspect_file", "interpret", "quarantine_copy", "quarantine_folder", "skip_reason"]
