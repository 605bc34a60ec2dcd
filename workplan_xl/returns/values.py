"""Values typed by schools → the values the ledger keeps, each with a note on how it was read, or a
FieldError that says (to the school) why it was not used."""

from __future__ import annotations

from typing import Any

from workplan_xl.cjk import clean_text, number_text, parse_date, parse_number
from workplan_xl.form_layout import FIELD_LABELS, cell_text

MAX_TEXT = 32767  # Excel's limit for one cell

_STATUS_WORDS = {
    "已完成": ("已完成", "完成", "完成了", "已经完成", "全部完成", "已办结", "办结", "已落实", "已完结", "完结",
            "✓", "√", "✔", "☑", "是", "done", "yes", "y", "100%"),
    "推进中": ("推进中", "进行中", "正在推进", "推进", "正在进行", "实施中", "正在实施", "持续推进", "在推进",
            "部分完成", "已启动", "启动", "正在落实", "落实中", "有序推进"),
    "未启动": ("未启动", "没开始", "未开始", "尚未启动", "尚未开始", "还没开始", "没有开始", "未实施", "暂未启动"),
    "不适用": ("不适用", "无", "不涉及", "无此项", "无此项工作", "无需", "—", "-", "——", "－", "/", "／",
            "n/a", "na", "不需要"),
}
_STATUS = {word: status for status, words in _STATUS_WORDS.items() for word in words}


class FieldError(ValueError):
    """A value that is not used: ``problem`` and ``action`` go to 问题清单."""

    def __init__(self, problem: str, action: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.action = action


def clean_cell(value: Any) -> str:
    """Cell text without control characters and lone surrogates, within Excel's cell limit."""
    return clean_text(cell_text(value))[:MAX_TEXT]


def normalise_status(value: Any) -> tuple[str, str]:
    text = clean_cell(value)
    key = "".join(text.split()).lower().rstrip("。.")
    status = _STATUS.get(key)
    if status is None:
        raise FieldError(f"完成状态「{text[:40]}」不是可选项，该任务的完成状态未计入",
                         "完成状态只能填 未启动/推进中/已完成/不适用（可从下拉列表选择），请改正后重新发送。")
    return status, ("" if status == text else f"「{text}」按{status}计")


_MEMO: dict[tuple[str, str], tuple[str, str] | tuple[str, str, str]] = {}  # (field, text) → result or error
_MEMO_FIELDS = ("status", "done_date")  # a few words and dates, typed alike by hundreds of schools
_MEMO_SIZE = 4096


def field_value(field: str, raw: Any, unit: str = "", target: float | None = None) -> tuple[str, str]:
    """(value, note) for one input cell; raises FieldError when the value cannot be used."""
    if field in _MEMO_FIELDS and raw.__class__ is str and len(raw) <= 40:
        known = _MEMO.get((field, raw))
        if known is None:
            try:
                known = _field_value(field, raw, unit, target)
            except FieldError as error:
                known = ("error", error.problem, error.action)
            if len(_MEMO) < _MEMO_SIZE:
                _MEMO[(field, raw)] = known
        if len(known) == 3:
            raise FieldError(known[1], known[2])
        return known  # type: ignore[return-value]
    return _field_value(field, raw, unit, target)


TEXT_FIELDS = frozenset(("progress", "achievements", "difficulties", "next_steps", "evidence", "remark"))
_ENTRIES: dict[tuple[Any, ...], tuple[str, str, str] | tuple[str, str]] = {}  # field_entry's memo
_ENTRY_FIELDS = frozenset(("status", "done_date", "value"))
_NUMBERS = frozenset((float, int))


def field_entry(field: str, raw: Any, unit: str = "", target: float | None = None) -> tuple[str, str, str]:
    """(value, raw text kept, note) for one input cell: field_value plus the cell's text as typed
    (a text field keeps its value). Raises FieldError as field_value does. The few words, dates and
    figures hundreds of schools type alike are remembered (by type too: True is not 1)."""
    if field in TEXT_FIELDS:
        # field_value's text branch, inlined: the long texts of a return differ from school to school
        text = clean_text(raw.strip() if raw.__class__ is str else cell_text(raw))
        if len(text) > MAX_TEXT:
            return text[:MAX_TEXT], text[:MAX_TEXT], f"{FIELD_LABELS.get(field, field)}超过 {MAX_TEXT} 字，只保留前 {MAX_TEXT} 字"
        return text, text, ""
    kind = raw.__class__
    if field in _ENTRY_FIELDS and (kind in _NUMBERS or kind is str and len(raw) <= 40):
        key = (field, kind, raw, unit, target)
        known = _ENTRIES.get(key)
        if known is None:
            try:
                value, note = field_value(field, raw, unit, target)
                known = (value, clean_cell(raw), note)
            except FieldError as error:
                known = (error.problem, error.action)
            if len(_ENTRIES) < _MEMO_SIZE:
                _ENTRIES[key] = known
        if len(known) == 2:
            raise FieldError(known[0], known[1])
        return known  # type: ignore[return-value]
    value, note = field_value(field, raw, unit, target)
    return value, clean_cell(raw), note


def _field_value(field: str, raw: Any, unit: str, target: float | None) -> tuple[str, str]:
    if field == "status":
        return normalise_status(raw)
    if field == "value":
        return _number(raw, unit, target)
    if field == "done_date":
        try:
            return parse_date(raw)
        except (ValueError, OverflowError):
            return clean_cell(raw), ""  # free text such as "6月底前" is kept as written
    text = clean_text(cell_text(raw))
    if len(text) > MAX_TEXT:
        return text[:MAX_TEXT], f"{FIELD_LABELS.get(field, field)}超过 {MAX_TEXT} 字，只保留前 {MAX_TEXT} 字"
    return text, ""


def _number(raw: Any, unit: str, target: float | None) -> tuple[str, str]:
    try:
        number, note = parse_number(raw)
    except ValueError:
        shown = clean_cell(raw)[:40]
        raise FieldError(f"填报值「{shown}」不是数字，未计入汇总",
                         f"请在「填报值」列只填数字（单位{('「' + unit + '」') if unit else ''}已在「单位」列），"
                         "如 95，改正后重新发送。") from None
    # 95% typed into a General cell becomes 0.95 with a percent format; the form asks for 95.
    if unit == "%" and isinstance(raw, float) and 0 < number < 1 and target is not None and target > 1:
        scaled = round(number * 100, 6)
        return number_text(scaled), f"「{number_text(number)}」是百分比格式，按{number_text(scaled)}计"
    return number_text(number), note


# Units that count whole things: a negative or fractional figure is a typing slip more often than not.
COUNT_UNITS = {"所", "个", "人", "名", "项", "次", "场", "间", "座", "台", "套", "册", "篇", "门", "节", "盏", "班", "校",
               "园", "家", "件", "万人", "万个"}
_PERCENT_UNITS = {"%", "％"}
_SCALE = 5.0  # a single figure beyond 5× the target, or under a fifth of it, is worth a second look


def implausible(number: float, unit: str, target: float | None, comparator: str = ">=",
                aggregate: str = "") -> str:
    """Why a number taken as typed looks wrong ('' when it does not): the reason for a 请核实 line.
    The scale check only applies to figures that stand for the whole indicator (not to one school's
    contribution to a sum)."""
    shown = number_text(number)
    if unit in _PERCENT_UNITS and not 0 <= number <= 100:
        return f"填报值 {shown} 是百分比，应在 0–100 之间"
    if unit in COUNT_UNITS:
        if number < 0:
            return f"填报值 {shown} 是负数，而单位是「{unit}」"
        if not float(number).is_integer() and not unit.startswith("万"):
            return f"填报值 {shown} 不是整数，而单位是「{unit}」"
    if aggregate in ("sum", "count") or target is None or target <= 0 or number <= 0:
        return ""
    ratio = number / target
    target_shown = f"{number_text(target)}{unit}"
    if ratio > _SCALE:
        return f"填报值 {shown} 比目标值 {target_shown} 大 {_SCALE:g} 倍以上，数量级可能不对"
    if ratio < 1 / _SCALE and comparator not in ("<=", "<"):
        return f"填报值 {shown} 不到目标值 {target_shown} 的五分之一，数量级可能不对"
    return ""
