"""The roster (填报单位名单): who reports. read_roster(path) -> units, with the checks a user can act on.

A roster comes from whatever the office has at hand: an .xlsx/.xls/.ods export (read with
python-calamine) or a .csv saved by Excel in UTF-8 or GBK. The header row may sit under a title, and
its names vary (单位代码, 学校名称, 学段 …), so columns are matched loosely; codes always stay text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from workplan_xl.cjk import clean_text
from workplan_xl.csv_text import CsvError, text_rows
from workplan_xl.errors import InputFileError, RosterError, refuse_special_file
from workplan_xl.plan import Task, Unit

FIELDS = ("code", "name", "type", "contact", "phone")
HEADERS = {"code": "代码", "name": "名称", "type": "类型", "contact": "联系人", "phone": "电话"}
UNIT_TYPES = ("学校", "幼儿园", "处室", "其他")

# Aliases in order of preference; the first one found wins when a sheet has several.
_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("代码", "单位代码", "学校代码", "编号", "编码", "单位编号", "学校编号", "单位编码", "学校编码"),
    "name": ("名称", "单位名称", "学校名称", "单位", "学校", "单位全称", "学校全称"),
    "type": ("类型", "单位类型", "学段", "类别", "学校类型"),
    "contact": ("联系人", "负责人", "填报人"),
    "phone": ("电话", "联系电话", "手机", "手机号", "手机号码", "联系方式"),
}
# Fallback when no alias matches exactly: a word inside the header ("单位代码（必填）").
# Checked in this order: 单位代码 is a code, not a name; 负责人电话 is a phone, not a contact.
_CONTAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("code", ("代码", "编码", "编号")),
    ("phone", ("电话", "手机")),
    ("type", ("类型", "学段", "类别")),
    ("contact", ("联系人", "负责人", "填报人")),
    ("name", ("名称", "单位", "学校")),
)
_HEADER_NOISE = re.compile(r"[\s*＊:：]|（[^）]*）|\([^)]*\)")
_SCAN_ROWS = 10
_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".et", ".xlsb",  # by content: see roster_sheets
             ".xml", ".fods", ".htm", ".html", ".mht", ".mhtml", ".numbers")


def read_roster(path: Path) -> list[Unit]:
    """The units of a roster file (.xlsx .xls .ods .csv), in file order, checked.

    Raises RosterError for a missing 代码/名称 column, blank names or codes, or duplicate codes.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    from workplan_xl.returns.sniff import NUMBERS, is_numbers_folder

    refuse_special_file(path, "填报单位名单", "填报单位名单文件")
    if is_numbers_folder(path):  # a Numbers document kept as a folder package
        raise InputFileError(_refusal(path.name, "convert", NUMBERS))
    if suffix not in _SUFFIXES:
        raise InputFileError(f"填报单位名单「{path.name}」的格式不支持：请提供 .xlsx、.xls、.ods 或 .csv 文件。")
    if not path.is_file():
        raise InputFileError(f"找不到填报单位名单「{path}」：请检查文件名和位置。")
    sheets = [_read_csv(path)] if suffix == ".csv" else _read_workbook(path)
    return units_from_rows(sheets, path.name)


def units_from_rows(sheets: Sequence[list[tuple[int, list[object]]]], file_name: str,
                    where: str = "填报单位名单") -> list[Unit]:
    """Units from the rows of one or more sheets ((row number, cells) pairs): the first sheet whose
    header has both a code and a name column is the roster."""
    first_header: list[str] | None = None
    for rows in sheets:
        found = _find_header(rows)
        if found is None:
            continue
        index, columns, header = found
        if "code" in columns and "name" in columns:
            return check_units(_units(rows[index + 1:], columns), f"{where}「{file_name}」")
        first_header = first_header if first_header is not None else header
    if first_header is None:
        first_header = next(([_text(c) for c in cells if _text(c)] for rows in sheets
                             for _, cells in rows if any(_text(c) for c in cells)), None)
    if first_header is None:
        raise RosterError(f"{where}「{file_name}」是空的：请在第一行写表头（代码、名称、类型、联系人、电话），"
                          "下面每行一个单位。")
    columns = _match_columns([_text(c) for c in first_header])
    found_text = _shown_header(first_header)
    missing = "代码" if "code" not in columns else "名称"
    aliases = "代码也可写作单位代码、学校代码、编号或编码" if missing == "代码" else "名称也可写作单位名称、学校名称、单位或学校"
    raise RosterError(f"{where}「{file_name}」缺少「{missing}」列：找到的列为{found_text}，"
                      f"需要「代码」和「名称」两列（{aliases}）。")


def _shown_header(header: list[str]) -> str:
    """The header cells as one line for a sentence: a cell's line breaks and tabs as one space, long cells
    and long headers cut (a data file's header can be paragraphs long)."""
    cells = [" ".join(h.split()) for h in header if h and h.strip()]
    shown = "".join(f"「{c[:20]}…」" if len(c) > 20 else f"「{c}」" for c in cells[:8])
    return (shown + (f"等 {len(cells)} 列" if len(cells) > 8 else "")) or "（无）"


def check_units(rows: Iterable[tuple[int, Unit]], where: str) -> list[Unit]:
    """Blank names, blank codes and duplicate codes stop the run with the row numbers to fix.

    ``where`` names the file (and sheet) the rows come from: 填报单位名单「roster.xlsx」."""
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for row, unit in rows:
        if not unit.name:
            raise RosterError(f"{where}第{row}行的名称为空：请填写单位名称，或删除这一行。")
        if not unit.code:
            raise RosterError(f"{where}第{row}行的代码为空：请为「{unit.name}」填写代码。")
        if unit.code in seen:
            raise RosterError(f"{where}第{seen[unit.code]}行和第{row}行的代码「{unit.code}」重复：每个单位的代码必须唯一。")
        seen[unit.code] = row
        if not unit.type:
            unit.type = guess_type(unit.name)
        units.append(unit)
    return units


def guess_type(name: str) -> str:
    """A unit type from its name: 幼儿园, 学校, 处室 (科、处、室、办、中心), else 其他."""
    if "幼儿园" in name:
        return "幼儿园"
    if any(word in name for word in ("小学", "中学", "学校", "一贯制", "初中", "高中", "中专", "职专")):
        return "学校"
    if name.endswith(("科", "处", "室", "办", "中心")):
        return "处室"
    return "其他"


def code_text(value: object) -> str:
    """A unit code as text: 1001.0 (a number cell) → "1001", "0012" stays, 13 digits keep all digits, a
    logical cell TRUE."""
    if value is None:
        return ""
    if isinstance(value, bool):  # as Excel and WPS show a logical cell, not Python's True
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return clean_text(str(value)).strip()


# -- reading the files ------------------------------------------------------------------------------
def _read_workbook(path: Path) -> list[list[tuple[int, list[object]]]]:
    """A roster workbook's rows, read in a child process with the limits returns have: a roster comes
    from outside like a return, and a native reader may abort, or allocate what a file declares."""
    from workplan_xl.isolated import Limited, run_limited

    try:
        found = run_limited(roster_sheets, str(path))
    except Limited as limited:
        found = ("refused", limited.code, limited.detail)
    if found[0] == "text":  # text under a spreadsheet's name: taken if it is a CSV with a roster's header
        rows = _rows_of_text(found[1], path.name)
        header = _find_header(rows)
        if header is not None and {"code", "name"} <= set(header[1]):
            return [rows]
        found = ("refused", "not_spreadsheet", "文本")
    if found[0] == "rows":
        return found[1]
    raise InputFileError(_refusal(path.name, found[1], found[2]))


def _refusal(name: str, code: str, detail: str) -> str:
    """The sentence for a roster that is not read; the reader's own words stay out of it."""
    from workplan_xl.returns.messages import file_problem
    from workplan_xl.returns.sniff import IWORK, KEYNOTE, NUMBERS, PAGES, iwork_kind

    what = f"填报单位名单「{name}」"
    detail = iwork_kind(detail, name)
    if code == "convert" and detail in (PAGES, KEYNOTE):  # an iWork file whose name says it is no spreadsheet
        code = "not_spreadsheet"
    if code == "convert" and detail == IWORK:
        return (f"{what}是Apple iWork 文件（Numbers、Pages 或 Keynote 的文件），无法直接读取：如果它是 Numbers 表格，"
                "请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后再试。")
    if code == "encrypted":
        return f"{what}加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。"
    if code == "not_spreadsheet":
        return f"{what}无法读取（不是表格文件，是{detail}）：请提供 .xlsx、.xls、.ods 或 .csv 文件。"
    if code == "convert" and detail == NUMBERS:
        return f"{what}是Apple Numbers 表格，无法直接读取：请在 Numbers 中选择“文件 → 导出为 → Excel”，存为 .xlsx 后再试。"
    if code == "convert":
        return f"{what}是{detail}，无法直接读取：请用 Excel 或 WPS 打开，另存为 .xlsx 后再试。"
    if code in ("read_error", "error", "damaged", "truncated", "empty"):
        return f"{what}无法读取（文件损坏或不是表格文件）：请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"
    problem, _ = file_problem(code, name, detail)
    return f"{what}{problem.split('」', 1)[1]}：请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"


def roster_sheets(path: str) -> tuple[Any, ...]:
    """In the child process: ("rows", sheets), ("text", bytes) or ("refused", code, detail). The same
    pre-checks as for returns run first: size, zip bombs, XML entities, declared sheet extents."""
    import python_calamine

    from workplan_xl.returns.markup_sheets import MARKUP_KINDS, read_markup_sheets
    from workplan_xl.returns.precheck import LIMITS, Refused, check_archive, check_size, check_xls
    from workplan_xl.returns.sniff import ZIP_MAGIC, is_spreadsheet_kind, open_zip, sniff

    try:
        check_size(Path(path).stat().st_size)
        data = Path(path).read_bytes()
        archive = open_zip(data) if data.startswith(ZIP_MAGIC) else None
        sniffed = sniff(data, archive)
        if sniffed.kind == "other":
            if sniffed.what == "文本":
                return ("text", data)
            if sniffed.what in MARKUP_KINDS:  # 2003 XML, .fods, a web page: the returns' own readers
                sheets = read_markup_sheets(data, sniffed.what, LIMITS, max_sheets=50, max_rows=20_000,
                                            max_columns=40)  # a roster's columns come first
                return ("rows", [[(i + 1, cells) for i, cells in enumerate(s["rows"])] for s in sheets])
            raise Refused("convert" if is_spreadsheet_kind(sniffed.what) else "not_spreadsheet", sniffed.what)
        if sniffed.kind in ("empty", "encrypted", "truncated"):
            raise Refused(sniffed.kind)
        if archive is not None:
            check_archive(archive, data, LIMITS)
        elif sniffed.kind == "xls":
            check_xls(data, LIMITS)
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except python_calamine.PasswordError:
            raise Refused("encrypted") from None
        sheets = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            if sheet.height * sheet.width > LIMITS.max_cells:
                raise Refused("extent", f"{sheet.height} 行 × {sheet.width} 列")
            start = sheet.start[0] if sheet.start else 0
            sheets.append([(start + i + 1, list(cells)) for i, cells in enumerate(sheet.to_python())])
        return ("rows", sheets)
    except Refused as refused:
        return ("refused", refused.code, refused.detail)


def _read_csv(path: Path) -> list[tuple[int, list[object]]]:
    from workplan_xl.returns.precheck import Refused, check_size

    try:
        check_size(path.stat().st_size)
    except Refused as refused:
        raise InputFileError(_refusal(path.name, refused.code, refused.detail)) from None
    return _rows_of_text(path.read_bytes(), path.name)


def _rows_of_text(data: bytes, name: str) -> list[tuple[int, list[object]]]:
    """A CSV or tab-separated roster, as Excel saves it (csv_text.py: encodings, line ends)."""
    try:
        return [(i + 1, list(cells)) for i, cells in enumerate(text_rows(data))]
    except CsvError:
        raise InputFileError(f"填报单位名单「{name}」无法按 CSV 读取（格式不规范，或某一格的内容过长）："
                             "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。") from None


# -- header and rows -------------------------------------------------------------------------------
def _text(value: object) -> str:
    return code_text(value)


def _normalise_header(text: str) -> str:
    return _HEADER_NOISE.sub("", text)


def _match_columns(header: list[str]) -> dict[str, int]:
    """Field → column index; exact aliases first (in preference order), then words inside a header."""
    names = [_normalise_header(h) for h in header]
    columns: dict[str, int] = {}
    for field, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in names:
                columns[field] = names.index(alias)
                break
    taken = set(columns.values())
    for field, words in _CONTAINS:
        if field in columns:
            continue
        for index, name in enumerate(names):
            if index not in taken and name and any(w in name for w in words):
                columns[field] = index
                taken.add(index)
                break
    return columns


def _find_header(rows: list[tuple[int, list[object]]]) -> tuple[int, dict[str, int], list[str]] | None:
    """The row among the first ten whose cells match the most known column names."""
    best: tuple[int, dict[str, int], list[str]] | None = None
    for index, (_, cells) in enumerate(rows[:_SCAN_ROWS]):
        header = [_text(c) for c in cells]
        columns = _match_columns(header)
        if columns and (best is None or len(columns) > len(best[1])):
            best = (index, columns, header)
    return best


def _units(rows: list[tuple[int, list[object]]], columns: dict[str, int]) -> Iterable[tuple[int, Unit]]:
    for row, cells in rows:
        values = {f: _text(cells[i]) if i < len(cells) else "" for f, i in columns.items()}
        if not any(_text(c) for c in cells):
            continue  # blank rows are spacing, not units
        yield row, Unit(code=values.get("code", ""), name=values.get("name", ""), type=values.get("type", ""),
                        contact=values.get("contact", ""), phone=values.get("phone", ""))


def units_from_owners(tasks: Iterable[Task]) -> list[Unit]:
    """A roster when none is given: the tasks' 牵头单位 and 配合单位 in order of first appearance, coded
    D01, D02 … — the offices of the bureau itself, so type 处室 unless the name says school."""
    names: dict[str, None] = {}
    for task in tasks:
        for name in [*task.owners, *task.partners]:
            names.setdefault(name.strip(), None)
    units = []
    for n, name in enumerate((n for n in names if n), start=1):
        kind = guess_type(name)
        units.append(Unit(code=f"D{n:02d}", name=name, type=kind if kind in ("学校", "幼儿园") else "处室"))
    return units
