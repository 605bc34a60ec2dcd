"""The layout of a unit's fill-in form: the contract between unit_forms.py (writes) and returns.py
(reads). Readers find columns by header text, never by position, because schools move columns."""

from __future__ import annotations

FORM_SCHEMA = "workplan-xl/form@1"
FORM_VERSION = "2"  # 2: the 填报人 block; version 1 forms (no block) are still collected

SHEET_GUIDE = "填报说明"
SHEET_TASKS = "任务进展"
SHEET_INDICATORS = "指标填报"
SHEET_META = "_meta"

# Row (0-based) of the header row on both data sheets; rows above hold the title, the unit line
# (填报单位（盖章）, where the printed copy is stamped) and a hint.
HEADER_ROW = 3
ROUND_LABEL = "报送批次"  # on the unit line: 填报单位（盖章）：…　单位代码：…　报送批次：2025-年度

# The 填报人 block below the table, where a printed form is signed: label → the ledger's field. One
# block per form (under the tasks, else under the indicators); its input cells are unlocked, and
# returns/interpret.py finds them by label. Forms of version 1 have no block and are collected as before.
CONTACT_FIELDS: list[tuple[str, str]] = [
    ("填报人", "filler"),
    ("审核人（单位负责人）", "reviewer"),
    ("联系电话", "phone"),
    ("填报日期", "fill_date"),
]

# (header, field) — field is the ledger's name for an input column, None for descriptive columns.
TASK_COLUMNS: list[tuple[str, str | None]] = [
    ("序号", None),
    ("任务编号", None),
    ("重点任务", None),
    ("具体内容", None),
    ("完成时限", None),
    ("完成状态", "status"),
    ("进展情况", "progress"),
    ("主要成效", "achievements"),
    ("存在问题", "difficulties"),
    ("下一步打算", "next_steps"),
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

FIELD_LABELS = {"status": "完成状态", "progress": "进展情况", "achievements": "主要成效",
                "difficulties": "存在问题", "next_steps": "下一步打算", "done_date": "完成时间",
                "evidence": "佐证材料", "remark": "备注", "value": "填报值",
                **{f: label for label, f in CONTACT_FIELDS}}


def cell_text(value: object) -> str:
    """A cell value as the text both the writer and any reader agree on (95, 95.0 and "95" → "95")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def locked_checksum(task_rows: list[dict[str, object]], indicator_rows: list[dict[str, object]]) -> str:
    """Checksum of the descriptive (locked) cells, keyed by header so moved columns still verify.

    Each row maps a descriptive header (those whose field is None in TASK_COLUMNS/INDICATOR_COLUMNS,
    except 序号) to its cell value; rows are taken in item-id order so moved rows verify too.
    """
    import hashlib

    def rows_text(rows: list[dict[str, object]], columns: list[tuple[str, str | None]], id_header: str) -> str:
        headers = [h for h, f in columns if f is None and h != "序号"]
        ordered = sorted(rows, key=lambda r: cell_text(r.get(id_header)))
        return "\x1e".join("\x1f".join(cell_text(r.get(h)) for h in headers) for r in ordered)

    text = rows_text(task_rows, TASK_COLUMNS, TASK_ID_HEADER) + "\x1d" + rows_text(
        indicator_rows, INDICATOR_COLUMNS, INDICATOR_ID_HEADER)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
