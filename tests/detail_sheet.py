"""明细 read back value by value, and the values the ledger holds, for tests that check that every
accepted value lands in 明细 exactly once and nothing from a superseded or rejected file does.

明细 has one row per unit × item and a column per field; ``detail_values`` turns it back into one
(单位代码, 编号, field label, value) per filled cell, over 明细, 明细(2) …; ``ledger_values`` gives the same
from the ledger's "values" table with plain SQL, the item as 明细 numbers it (一.1 for a task, the id for
an indicator) and 填报值 as a number when it is one."""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from workplan_xl.form_layout import FIELD_LABELS
from workplan_xl.plan import Plan
from workplan_xl.returns.interpret import task_numbers

ITEM_HEADERS = ["单位代码", "单位名称", "类别", "编号", "事项"]


def detail_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """明细, 明细(2) …: each sheet's rows from the header row on."""
    book = load_workbook(path, read_only=True)
    found = {name: [list(r) for r in book[name].iter_rows(min_row=3, values_only=True)]
             for name in book.sheetnames if name == "明细" or name.startswith("明细(")}
    book.close()
    return found


def detail_values(path: Path) -> Counter[tuple[str, str, str, Any]]:
    """Every filled field cell of 明细 as (单位代码, 编号, field label, value)."""
    found: Counter[tuple[str, str, str, Any]] = Counter()
    for rows in detail_sheets(path).values():
        header = rows[0]
        assert header[:5] == ITEM_HEADERS and header[-2:] == ["说明", "来源文件"], header
        labels = header[5:-2]
        for row in rows[1:]:
            for label, value in zip(labels, row[5:-2], strict=True):
                if value is not None and value != "":
                    found[(row[0], row[3], label, _number(value) if label == FIELD_LABELS["value"] else value)] += 1
    return found


def ledger_values(db: Path, plan: Plan, statuses: tuple[str, ...] = ("accepted",),
                  round: str | None = None) -> Counter[tuple[str, str, str, Any]]:
    """The values of the ledger's submissions in ``statuses`` as detail_values gives them."""
    numbers = task_numbers(plan)
    marks = ", ".join("?" * len(statuses))
    query = ('SELECT v.unit_code, v.item_id, v.field, v.value FROM "values" v JOIN submissions s ON s.id = v.submission_id'
             f" WHERE s.status IN ({marks})")
    args: list[str] = list(statuses)
    if round is not None:
        query += " AND s.round = ?"
        args.append(round)
    with sqlite3.connect(db) as conn:
        found = conn.execute(query, args).fetchall()
    return Counter((unit, numbers.get(item, item), FIELD_LABELS[field], _number(value) if field == "value" else value)
                   for unit, item, field, value in found)


def _number(value: Any) -> Any:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return number if math.isfinite(number) else value
