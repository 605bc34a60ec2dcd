"""A 台账's cells, read in a child process (workplan_xl.isolated.run_limited, from read.py): the same
pre-checks returns get, then python-calamine. This module stays light (the child imports it, not the
rest of the package), and everything it raises is a sentence the parent raises again.

python-calamine, not openpyxl: every command reads the 台账 first and waits for it, and in a fresh
child importing openpyxl alone took ~0.25 s against ~0.04 s for the whole read with calamine. The
cells come out as read.py has always taken them: None for an empty cell, numbers, text, dates."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from workplan_xl.errors import InputFileError, WorkbookError
from workplan_xl.master_workbook.layout import (
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_SCHEDULE,
    SHEET_TASKS,
    SHEET_UNITS,
)
from workplan_xl.returns.precheck import Limits, check_size

MASTER_LIMITS = Limits(max_file_bytes=100 * 1024 * 1024, max_unzipped_bytes=500 * 1024 * 1024)
MASTER_MEMORY = 1536 * 1024 * 1024  # address space of the child: openpyxl on a 台账 of up to 100 MB
MASTER_TIMEOUT = 120.0


def foreign(name: str) -> str:
    return (f"「{name}」不是 wpx 生成的台账，或已损坏（读取时出错）：请确认选的是 wpx build 生成的台账.xlsx；"
            "如果是在 Excel/WPS 里改过的台账，请另存为 .xlsx 后再试。")


def read_sheets(file: str) -> dict[str, list[list[Any]]]:
    """In the child process: every sheet's values (read-only, cached formula results).

    The pre-checks returns get run first (zip bombs, XML entities, absurd declared extents), before
    openpyxl sees the file, and whatever openpyxl raises on a foreign workbook becomes one sentence
    (the details stay for --verbose)."""
    import python_calamine

    from workplan_xl.returns.precheck import EXCEL_95, Refused, check_xls, check_zip
    from workplan_xl.returns.sniff import NUMBERS, iwork_kind, sniff

    path = Path(file)
    not_master = f"「{path.name}」不是 wpx 生成的台账（无法作为 .xlsx 工作簿打开）：请先用 wpx build 生成台账。"
    try:
        with open(path, "rb") as handle:
            data = handle.read(MASTER_LIMITS.max_file_bytes + 1)
    except PermissionError as error:
        raise InputFileError(f"台账「{path.name}」无法读取：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。") from error
    except OSError as error:
        raise InputFileError(f"台账「{path.name}」无法读取（{error.strerror or '读取出错'}）：请确认文件完整后重试。") from error
    kind = ""
    try:
        check_size(len(data), MASTER_LIMITS)
        sniffed = sniff(data)
        kind = sniffed.kind
        if kind == "encrypted":
            raise Refused("encrypted")
        if iwork_kind(sniffed.what, path.name) == NUMBERS:
            raise WorkbookError(f"「{path.name}」是Apple Numbers 表格，不能直接作为台账读取：请在 Numbers 中选择"
                                "“文件 → 导出为 → Excel”，存为 .xlsx 后再试。")
        if kind == "xls":
            check_xls(data, MASTER_LIMITS)  # a password or an Excel 95 workbook is named as what it is
        if kind != "xlsx":
            raise WorkbookError(not_xlsx(path.name, kind, sniffed.what))
        check_zip(data, MASTER_LIMITS)
    except Refused as refused:
        if refused.code == "convert" and refused.detail == EXCEL_95:
            raise WorkbookError(not_xlsx(path.name, "xls95", EXCEL_95)) from None
        if refused.code == "extent" and kind == "xls":  # not read either way: said as for any .xls
            raise WorkbookError(not_xlsx(path.name, kind, "")) from None
        if refused.code == "encrypted":
            raise WorkbookError(f"台账「{path.name}」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。") from None
        if refused.code in ("truncated", "damaged"):
            raise WorkbookError(not_master) from refused
        raise WorkbookError(f"「{path.name}」不是 wpx 生成的台账（结构异常，为安全起见未读取）：请先用 wpx build 生成台账。"
                            ) from refused
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except MemoryError:
        raise
    except python_calamine.PasswordError:
        raise WorkbookError(f"台账「{path.name}」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。") from None
    except Exception as error:  # noqa: BLE001 - the reader's own error: not a workbook it can open
        raise WorkbookError(not_master) from error
    except BaseException as error:  # a Rust panic (a BaseException): a workbook the reader trips on
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        raise WorkbookError(foreign(path.name)) from error
    try:
        names = workbook.sheet_names
        if SHEET_META not in names:
            raise WorkbookError(not_a_master(path.name, names))
        sheets = {}
        for name in (SHEET_TASKS, SHEET_SCHEDULE, SHEET_INDICATORS, SHEET_UNITS, SHEET_META):
            if name not in names:
                continue  # _table() names the missing sheet
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets[name] = [[None if v == "" else v for v in row] for row in rows]
        return sheets
    except (WorkbookError, MemoryError):
        raise
    except BaseException as error:  # noqa: BLE001 - a foreign workbook's oddities are the user's to fix, not a crash
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        raise WorkbookError(foreign(path.name)) from error
    finally:
        workbook.close()


_SPREADSHEETS = {"xls": "Excel 97-2003 工作簿（.xls）", "xls95": "Excel 5.0/95 格式的旧工作簿",
                 "xlsb": "Excel 二进制工作簿（.xlsb）", "ods": "OpenDocument 表格（.ods）"}


def not_xlsx(name: str, kind: str, what: str) -> str:
    """What to say about a 台账 that is no .xlsx package: its real kind (sniff.py's), and what to do."""
    from workplan_xl.returns.sniff import IWORK, is_spreadsheet_kind, iwork_kind

    what = iwork_kind(what, name)
    if what == IWORK:
        return (f"「{name}」是Apple iWork 文件（Numbers、Pages 或 Keynote 的文件），不是台账：请给出 wpx build 生成的台账"
                "（.xlsx 文件）；如果它是在 Numbers 里打开过的台账，请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后再试。")
    if kind in _SPREADSHEETS or is_spreadsheet_kind(what):
        return (f"「{name}」是{_SPREADSHEETS.get(kind, what)}，不是 wpx 生成的台账（台账是 .xlsx 工作簿）：请用 wpx build "
                "生成的台账；如果它是在 Excel 或 WPS 里另存过的台账，请再另存为 .xlsx（Excel 工作簿）后再试。")
    if kind == "other" and what != "未知格式":
        return f"「{name}」是{what}，不是台账：请给出 wpx build 生成的台账（.xlsx 文件）。"
    return f"「{name}」不是 wpx 生成的台账（无法作为 .xlsx 工作簿打开）：请先用 wpx build 生成台账。"


def not_a_master(name: str, sheets: list[str]) -> str:
    """What to say about an .xlsx without _meta: our own 汇总 is named as such, anything else as not ours."""
    if "报送情况" in sheets and "问题清单" in sheets:
        return (f"「{name}」是 wpx collect 生成的汇总表，不是台账：请给出台账文件（wpx build 生成的，如 台账.xlsx），"
                "台账数据库就在它旁边。")
    return f"「{name}」不是 wpx 生成的台账（缺少 _meta 工作表）：请先用 wpx build 生成台账。"
