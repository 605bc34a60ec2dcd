"""The layout of the master workbook 台账.xlsx: the contract between write.py and read.py.

Readers find columns by header text, never by position, because users insert and move columns.
Cell text conventions (lists joined with 、, months as "3、6、9月") live here so both sides agree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from workplan_xl.plan import ScheduleEntry

MASTER_SCHEMA = "workplan-xl/master@1"

SHEET_TASKS = "任务清单"
SHEET_SCHEDULE = "配档表"
SHEET_INDICATORS = "指标跟踪"
SHEET_UNITS = "填报单位"
SHEET_GUIDE = "说明"
SHEET_META = "_meta"

# Row 0 holds the sheet title, row 1 the header; data from row 2 (0-based, as xlsxwriter counts).
HEADER_ROW = 1

# (key, header). Keys are what the code uses; headers are what the user sees and what read.py looks for.
TASK_COLUMNS: list[tuple[str, str]] = [
    ("seq", "序号"), ("number", "任务编号"), ("section", "一级任务"), ("title", "重点任务"),
    ("text", "具体内容"), ("measures", "具体措施"), ("indicators", "量化指标"), ("owners", "牵头单位"),
    ("partners", "配合单位"), ("deadline", "完成时限"), ("months", "月度节点"), ("reporters", "填报对象"),
    ("note", "备注"), ("id", "任务ID"),
]
# Columns read back; the others (序号, 一级任务 of task rows, 量化指标) are views of other data.
TASK_REQUIRED = ("number", "section", "title", "text", "measures", "owners", "partners", "deadline",
                 "months", "reporters", "note", "id")

MONTHS = tuple(range(1, 13))
SCHEDULE_COLUMNS: list[tuple[str, str]] = [
    ("month", "月份"), ("period", "时段"), ("text", "工作内容"), ("owners", "责任单位"),
    ("task", "关联任务"), ("task_id", "任务ID"),
    *((f"m{m}", f"{m}月") for m in MONTHS),
]
SCHEDULE_REQUIRED = ("month", "period", "text", "owners", "task", "task_id")

INDICATOR_COLUMNS: list[tuple[str, str]] = [
    ("seq", "序号"), ("text", "指标"), ("task", "所属任务"), ("comparator", "比较"), ("value", "目标值"),
    ("unit", "单位"), ("baseline", "基线值"), ("aggregate", "汇总方式"), ("reporters", "填报对象"),
    ("actual", "实际值"), ("rate", "完成率（%）"), ("status", "状态"), ("id", "指标ID"), ("task_id", "任务ID"),
]
INDICATOR_REQUIRED = ("text", "task", "comparator", "value", "unit", "baseline", "aggregate", "reporters",
                      "id", "task_id")

UNIT_COLUMNS: list[tuple[str, str]] = [
    ("code", "代码"), ("name", "名称"), ("type", "类型"), ("contact", "联系人"), ("phone", "电话"),
]
UNIT_REQUIRED = ("code", "name", "type", "contact", "phone")

# 序号 of a context section's row (总体思路 …): a note, not a task.
NOTE_MARK = "说明"

SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "~": "≈"}
_SIGN_ALIASES = {**{v: k for k, v in SIGNS.items()}, **{k: k for k in SIGNS}, "＞": ">", "＜": "<",
                 "＝": "=", "≧": ">=", "≦": "<=", "约": "~", "左右": "~", "不少于": ">=", "不超过": "<="}
AGGREGATE_LABELS = {"owner": "取牵头单位值", "sum": "求和", "mean": "平均", "max": "最大", "min": "最小", "count": "计数",
                    "none": "不汇总"}
_AGGREGATE_ALIASES = {**{v: k for k, v in AGGREGATE_LABELS.items()}, **{k: k for k in AGGREGATE_LABELS},
                      "合计": "sum", "平均值": "mean", "最大值": "max", "最小值": "min", "牵头单位": "owner",
                      "取牵头单位": "owner", "牵头单位值": "owner", "唯一值": "owner"}
STATUS_REACHED, STATUS_MISSED, STATUS_BLANK, STATUS_NO_TARGET = "达成", "未达成", "未填", "无目标值"

_SPLIT = re.compile(r"[、,，;；/／\n]+")
_EVERY_MONTH = ("每月", "全年", "1-12月", "1—12月", "1～12月")
_RANGE = re.compile(r"(\d{1,2})\s*(?:月份?)?\s*[-—–~～至到]\s*(\d{1,2})")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def join_list(items: list[str]) -> str:
    return "、".join(i for i in items if i)


def split_list(text: str) -> list[str]:
    """"市教研院、基教处" or one per line → ["市教研院", "基教处"]."""
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def months_text(months: list[int]) -> str:
    """[3, 6, 9] → "3、6、9月"; three or more months in a row as a range, [1…6, 9] → "1—6、9月", so a
    half year does not wrap in a narrow column as "1、2、3、4、5 / 、6月". parse_months reads both back."""
    ordered = sorted(set(months))
    if ordered == list(MONTHS):
        return "每月"
    runs: list[list[int]] = []
    for month in ordered:
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = [f"{run[0]}—{run[-1]}" if len(run) >= 3 else "、".join(map(str, run)) for run in runs]
    return "、".join(parts) + "月" if parts else ""


def parse_months(text: str) -> list[int]:
    """"3、6、9月", "3月、6月", "3-5月", "每月"/"全年" → sorted month numbers."""
    text = text.strip()
    if not text:
        return []
    if any(word in text for word in _EVERY_MONTH):
        return list(MONTHS)
    found: set[int] = set()
    for start, end in _RANGE.findall(text):
        found.update(range(int(start), int(end) + 1))
    text = _RANGE.sub(" ", text)
    found.update(int(n) for n in re.findall(r"\d{1,2}", text))
    return sorted(m for m in found if 1 <= m <= 12)


_PERIODS = {"上半年": range(1, 7), "下半年": range(7, 13), "全年": range(1, 13), "第一季度": range(1, 4),
            "第二季度": range(4, 7), "第三季度": range(7, 10), "第四季度": range(10, 13), "一季度": range(1, 4),
            "二季度": range(4, 7), "三季度": range(7, 10), "四季度": range(10, 13), "春季": range(2, 7),
            "秋季": range(9, 13), "暑假": range(7, 9), "寒假": range(1, 3)}


def period_months(period: str) -> list[int]:
    """Months a 时段 covers ("上半年" → 1…6, "3—5月" → 3, 4, 5); [] when it names none."""
    for word, months in _PERIODS.items():
        if word in period:
            return list(months)
    return parse_months(period) if re.search(r"\d", period) else []


def composite_number(numeral: str, number: str) -> str:
    """任务编号 as the document reads it: 二 + （三） → "二（三）", 二 + 3 → "二.3", a section-task → "二"."""
    numeral, number = numeral.strip(), number.strip()
    if not number or number == numeral:  # a section that is itself the task may carry its own numeral
        return numeral
    if not numeral:
        return number
    if number.startswith(("（", "(")):
        return numeral + number
    return f"{numeral}.{number.rstrip('.．、')}"


def split_number(text: str, numeral: str) -> str:
    """The task's own number from a 任务编号 the user typed under a section numbered ``numeral``."""
    text, numeral = text.strip(), numeral.strip()
    if numeral and text.startswith(numeral) and len(text) > len(numeral):
        rest = text[len(numeral):]
        return rest[1:] if rest[0] in ".．、" else rest
    return "" if text == numeral else text


def sign(comparator: str) -> str:
    return SIGNS.get(comparator, comparator)


def comparator_of(text: str, default: str = ">=") -> str:
    return _SIGN_ALIASES.get(text.strip(), default)


def aggregate_of(text: str, default: str) -> str:
    return _AGGREGATE_ALIASES.get(text.strip(), default)


def cell_str(value: object) -> str:
    """A cell as text the way a user means it: 5.0 → "5", a date typed by the user → "2024年6月30日"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) == (0, 0, 0):
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).strip()


def cell_number(value: object) -> float | None:
    """A number from a cell: 95, "95", "95%", "约95" → 95.0; blank or no digits → None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _NUMBER.search(str(value).replace(",", "").replace("，", ""))
    return float(match.group()) if match else None


def cell_month(value: object) -> int | None:
    number = cell_number(value)
    return int(number) if number is not None and number.is_integer() and 1 <= number <= 12 else None


def schedule_key(entries: list[ScheduleEntry]) -> str:
    """Identifies a 配档表's content: read.py tells a generated, untouched one from the user's own."""
    rows = [[e.month, e.period, e.text, e.owners, e.task] for e in entries]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
