"""Table headers of plan documents and task-decomposition tables (任务分解表) read as task rows.

A header cell gets a role — time, task, detail, owner, partner, number, note — from the words every
bureau uses (时间/月份/完成时限, 重点工作/工作任务, 牵头单位/责任单位, 配合单位/协同配合单位, 序号).
"""

from __future__ import annotations

import re
from typing import Any

from workplan_xl.plan_document.numerals import MONTH_NUM, fold, month_int, squeeze
from workplan_xl.plan_document.units import split_units

# Checked in this order: 协同配合单位 is a partner before it is anything else, 完成时限 a time.
_ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("number", ("序号", "编号", "序")),
    ("partner", ("协同配合单位", "配合单位", "配合部门", "配合科室", "配合处室", "配合股室", "协办单位", "协同单位",
                 "协同部门", "参与单位", "协助单位", "支持单位", "支撑单位", "协作单位")),
    ("owner", ("主要责任单位", "牵头单位", "牵头部门", "牵头科室", "牵头处室", "责任单位", "责任科室", "责任部门",
               "责任处室", "责任股室", "牵头股室", "责任主体", "负责单位", "负责部门", "负责科室", "负责人", "责任人", "承办单位", "牵头领导")),
    ("time", ("完成时限", "完成时间", "时间安排", "时间节点", "推进时间", "实施时间", "进度安排", "时间进度", "时限",
              "时间", "月份", "月度", "日期", "月")),
    ("detail", ("具体措施", "工作措施", "主要措施", "推进措施", "任务内容", "具体内容", "工作要求", "目标要求",
                "工作目标", "具体工作", "实施步骤", "工作举措")),
    ("task", ("重点工作", "工作任务", "工作内容", "主要任务", "具体任务", "重点任务", "工作事项", "工作重点", "主要工作",
              "任务名称", "项目名称", "活动内容", "活动名称", "任务", "事项", "内容", "工作", "项目")),
    ("note", ("备注", "说明")),
]
DEADLINE_HEADERS = ("完成时限", "完成时间", "时限")


def header_role(cell: str, exact: bool = False) -> str:
    """The role of a header cell, '' when the cell is not a header word. ``exact`` asks for the
    whole cell to be the word (a flattened table's header lines, where '1月' must stay a month)."""
    text = re.sub(r"\s+", "", fold(cell)).rstrip(":：")
    if not text or len(text) > 12:
        return ""
    for role, words in _ROLES:
        if any(w == text if exact else w in text for w in words):
            return role
    return ""


def header_columns(row: list[str]) -> dict[str, int] | None:
    """Role → column of a header row; None unless it has a task column and one more role, and most
    of its non-empty cells are header words."""
    roles: dict[str, int] = {}
    filled = [c for c in row if c and c.strip()]
    known = 0
    for k, cell in enumerate(row):
        month = month_column(cell)
        if month:
            known += 1
            roles.setdefault(f"m{month}", k)  # a 配档表's month columns: a mark below means that month
            continue
        role = header_role(cell)
        if role:
            known += 1
            roles.setdefault(role, k)
    if "task" not in roles and "detail" in roles:
        roles["task"] = roles.pop("detail")
    if "task" not in roles or len(roles) < 2 or known < max(2, (len(filled) * 3 + 4) // 5):
        return None
    return roles


_MONTH_HEAD = re.compile(rf"^({MONTH_NUM})\s*月份?$")


def month_column(cell: str) -> int | None:
    """The month of a 配档表 column header ('3月', '三月', '10月份'), else None."""
    m = _MONTH_HEAD.match(re.sub(r"\s+", "", fold(cell or "")))
    return month_int(m.group(1)) if m else None


def row_months(row: list[str], cols: dict[str, int]) -> list[int]:
    """The months a row marks (●, √, ★, a word — any mark) in its month columns."""
    return sorted(int(key[1:]) for key, k in cols.items()
                  if key.startswith("m") and key[1:].isdigit() and k < len(row) and str(row[k]).strip())


def find_header(rows: list[list[str]], look: int = 3) -> tuple[int, dict[str, int]] | None:
    """The first header row within the first ``look`` rows (a title row may come first)."""
    for i, row in enumerate(rows[:look]):
        cols = header_columns(row)
        if cols is not None:
            return i, cols
    return None


def cell(row: list[str], cols: dict[str, int], role: str) -> str:
    k = cols.get(role)
    return squeeze(row[k]) if k is not None and k < len(row) and row[k] else ""


def unit_cell(row: list[str], cols: dict[str, int], role: str) -> list[str]:
    """The units of an owner or partner cell. A line break separates two units ('各学校\n各幼儿园'),
    where in a text cell it is only wrapping, so the lines are split before squeezing."""
    k = cols.get(role)
    if k is None or k >= len(row) or not row[k]:
        return []
    return split_units("、".join(squeeze(line) for line in row[k].splitlines()))


def is_group_row(row: list[str]) -> bool:
    """A row whose non-empty cells all say the same thing: a merged group title ('一、党建工作')."""
    values = {c.strip() for c in row if c and c.strip()}
    return len(values) == 1 and sum(1 for c in row if c and c.strip()) > 1


def tasks_from_table(block: Any) -> list[dict[str, Any]] | None:
    """The rows of a task-decomposition table (序号 · 任务 · 牵头单位 · 配合单位 · 完成时限) as dicts
    {number, title, text, owners, partners, deadline}; None when ``block`` is not such a table
    (no header with a task column and an owner or number column, or a month schedule).

    A row with an empty task cell but content in the detail column continues the task above (a
    merged task cell); group title rows are skipped.
    """
    rows = [list(r) for r in (getattr(block, "rows", None) or [])]
    if getattr(block, "kind", "table") != "table" or not rows:
        return None
    found = find_header(rows)
    if found is None:
        return None
    h, cols = found
    if "owner" not in cols and "number" not in cols:
        return None
    if is_schedule_header(rows[h], cols):
        return None
    tasks: list[dict[str, Any]] = []
    previous = ("", "")  # (number, task) cells of the row above: a vertically merged task repeats them
    for row in rows[h + 1:]:
        if not any(c and c.strip() for c in row) or is_group_row(row) or is_header_again(row, cols):
            continue
        task_text, detail = cell(row, cols, "task"), cell(row, cols, "detail")
        owners, partners = unit_cell(row, cols, "owner"), unit_cell(row, cols, "partner")
        here, previous = previous, (cell(row, cols, "number"), task_text)
        if tasks and task_text and (cell(row, cols, "number"), task_text) == here and "detail" in cols:
            task_text = ""  # the same merged task cell again: this row adds its measure to the task
        months = row_months(row, cols)
        if not task_text and tasks and detail:
            last = tasks[-1]
            if months:
                last["months"] = sorted(set(last.get("months", [])) | set(months))
            last["text"] = "\n".join(x for x in (last["text"], detail) if x)
            last["owners"] += [o for o in owners if o not in last["owners"]]
            last["partners"] += [p for p in partners if p not in last["partners"]]
            continue
        if not task_text and not detail:
            continue
        # the title is the lead phrase up to the first 。, the text the rest (and the detail column)
        title, _, rest = (task_text or detail).partition("。")
        body = "\n".join(x for x in (rest.strip(), detail if task_text else "") if x)
        tasks.append({"number": cell(row, cols, "number") or str(len(tasks) + 1), "title": title.strip(),
                      "text": body, "owners": owners,
                      "partners": [p for p in partners if p not in owners],
                      "deadline": re.sub(r"\s+", "", cell(row, cols, "time")),
                      **({"months": months} if months else {})})
    return tasks or None


def is_header_again(row: list[str], cols: dict[str, int]) -> bool:
    """The header repeated on every printed page of a long table (Word's 标题行重复, a pasted PDF)."""
    return header_columns(row) == cols


def is_schedule_header(row: list[str], cols: dict[str, int]) -> bool:
    """A month schedule puts the time first (时间 · 重点工作 · 责任单位); a task list puts its
    deadline after the task (任务 · 牵头单位 · 完成时限). 月份 always means a schedule."""
    if "time" not in cols:
        return False
    word = re.sub(r"\s+", "", fold(row[cols["time"]]))
    if "月" in word and not any(w in word for w in DEADLINE_HEADERS):
        return True
    return cols["time"] < cols["task"] and not any(w in word for w in DEADLINE_HEADERS)
