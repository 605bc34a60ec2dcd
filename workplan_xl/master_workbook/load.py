"""Any plan input → Plan: a 台账 written by wpx is recognised first (by its _meta sheet, not its
suffix), everything else — documents, spreadsheet task tables, Plan JSON — goes to plan_document.

This sits in master_workbook, after plan_document in the data flow, so plan_document never needs to
know about 台账 (dependencies point one way)."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from workplan_xl import plan_document
from workplan_xl.errors import WorkbookError
from workplan_xl.master_workbook.cells import not_a_master
from workplan_xl.master_workbook.layout import SHEET_META
from workplan_xl.master_workbook.read import read_master_workbook
from workplan_xl.plan import Plan

_WORKBOOK_LIMIT = 5 << 20  # a workbook part lists sheets; megabytes of it is not a 台账


def is_master_workbook(path: Path) -> bool:
    """True when ``path`` is an .xlsx package whose workbook lists the very hidden _meta sheet (a 台账, or
    a form, which read_master_workbook names as such)."""
    return SHEET_META in _sheet_names(path)


def _sheet_names(path: Path) -> list[str]:
    """The sheet names an .xlsx package's workbook part lists; [] for anything else. This runs in the
    main process, so a zip directory too long for a 台账 is not even opened (the child that reads the
    file names it)."""
    if not _few_entries(path):
        return []
    try:
        with zipfile.ZipFile(path) as zf:
            part = next((n for n in zf.namelist() if n.lower().lstrip("/") == "xl/workbook.xml"), None)
            if part is None or zf.getinfo(part).file_size > _WORKBOOK_LIMIT:
                return []
            root = fromstring(zf.read(part))
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, ParseError, DefusedXmlException,
            NotImplementedError, RuntimeError, EOFError, zlib.error):  # zlib.error: damaged deflated bytes
        return []
    return [el.get("name") or "" for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "sheet"]


def _few_entries(path: Path, most: int = 2000) -> bool:
    """Whether the zip's end record (the last bytes) counts at most ``most`` members: zipfile would
    build an object per member of the central directory before anything else could be checked."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - (1 << 16) - 22))
            tail = handle.read()
    except OSError:
        return False
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        return False
    return int.from_bytes(tail[end + 10:end + 12], "little") <= most  # 0xFFFF: ZIP64, more than a 台账 has


def load_plan(path: Path, encoding: str | None = None, include_other_parts: bool = False) -> Plan:
    """The Plan in ``path``: a wpx 台账 (with the user's edits), else whatever plan_document reads.

    ``include_other_parts`` keeps a 台账's untracked parts (a 工作总结) for rebuilding it."""
    path = Path(path)
    sheets = _sheet_names(path) if path.is_file() else []
    if SHEET_META in sheets:
        return read_master_workbook(path, include_other_parts=include_other_parts)
    if "报送情况" in sheets and "问题清单" in sheets:  # our own 汇总.xlsx holds task tables too: not a plan
        raise WorkbookError(not_a_master(path.name, sheets))
    return plan_document.read_plan(path, encoding=encoding)
