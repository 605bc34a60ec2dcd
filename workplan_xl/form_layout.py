"""The layout of a unit's fill-in form: the contract between unit_forms.py (writes) and returns.py
(reads). Readers find columns by header text, never by position, because schools move columns."""

from __future__ import annotations

FORM_SCHEMA = "workplan-xl/form@1"
FORM_VERSION = "1"

SHEET_GUIDE = "填报说明"
SHEET_TASKS = "任务进展"
SHEET_INDICATORS = "指标填报"
SHEET_META = "_meta"

# Row (0-based) of the header row on both data sheets; rows above hold the title and the unit line.
HEADER_ROW = 3

# (header, field) — field is the ledger's name for an input column, None for descriptive columns.
TASK_COLUMNS: list[tuple[str, str | None]] = [
    ("序号", None),
    ("任务编号", None),
    ("重点任务", None),
    ("具体内容", None),
    ("完成时限", None),
    ("完成状态", "status"),
    ("进展情况", "progress"),
    ("完成时间", "done_date"),
    ("佐证材料", "evidence"),
    ("备注", "remark"),
    ("任务ID", None),
]
INDICATOR_COLUMNS: list[tuple[str, str | None]] = [
    ("序号", None),
    ("指标", None),
    ("所属任务", None),
    ("比较", None),
    ("目标值", None),
    ("单位", None),
    ("填报值", "value"),
    ("说明", "remark"),
    ("指标ID", None),
]
TASK_ID_HEADER = "任务ID"
INDICATOR_ID_HEADER = "指标ID"

# _meta holds one key and one value per row, column A and B.
META_KEYS = ("schema", "plan_fingerprint", "plan_title", "unit_code", "unit_name", "round",
             "form_version", "checksum", "task_ids", "indicator_ids")

COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "~": "≈"}

FIELD_LABELS = {"status": "完成状态", "progress": "进展情况", "done_date": "完成时间",
                "evidence": "佐证材料", "remark": "备注", "value": "填报值"}
