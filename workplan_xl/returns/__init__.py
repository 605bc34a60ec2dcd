"""Reading returns safely: sniff the bytes, pre-check the zip and sheet extents, read in worker
processes with memory and time limits, then identify the unit and check the values. Each file is read
once: its bytes are hashed, sniffed, pre-checked and handed to the reader from memory.

    ReaderPool().read(paths)  → (index, plain data) per file, in worker processes
    interpret.interpret(data, PlanIndex(plan), round, file_name) → Reading (unit, values, findings)
    quarantine_copy(…)  → a copy of a rejected return in 隔离区 beside the ledger
"""


from workplan_xl import lazy_names

# Imported when first used: a child process that needs one module of this package (the 台账's reader
# takes precheck.py, 明细's maker plan_index.py) does not pay for the rest (~45 ms in each child).
# The function interpret is not among them: the submodule of that name would hide it.
_WHERE = {**dict.fromkeys(["ACCEPTED", "BY_FILE_NAME", "BY_META", "BY_SHEET_CODE", "BY_SHEET_NAME", "REJECTED", "SKIPPED",
                           "Finding", "PlanIndex", "Reading", "Value"], "interpret"),
          "LIMITS": "precheck", "Limits": "precheck", "QUARANTINE": "quarantine", "quarantine_copy": "quarantine",
          "quarantine_folder": "quarantine", "skip_reason": "sniff",
          **dict.fromkeys(["inspect_bytes", "inspect_file"], "worker"),
          **dict.fromkeys(["ReaderPool", "WorkerStartError", "default_workers"], "pool")}
__all__ = sorted(_WHERE)

__getattr__ = lazy_names(__name__, _WHERE)
