"""Reading returns safely: sniff the bytes, pre-check the zip and sheet extents, read in worker
processes with memory and time limits, then identify the unit and check the values.

    ReaderPool().read(paths)  → (index, plain data) per file, in worker processes
    interpret(data, PlanIndex(plan), round, file_name) → Reading (unit, values, findings)
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
from workplan_xl.returns.sniff import skip_reason
from workplan_xl.returns.worker import ReaderPool, inspect_file

__all__ = ["ACCEPTED", "BY_FILE_NAME", "BY_META", "BY_SHEET_CODE", "BY_SHEET_NAME", "LIMITS", "REJECTED", "SKIPPED",
           "Finding", "Limits", "PlanIndex", "ReaderPool", "Reading", "Value", "inspect_file", "interpret",
           "skip_reason"]
