"""The 填报人 block below a form's table(s): 填报人, 审核人（单位负责人）, 联系电话, 填报日期, read back by
label (a value in the cells to the right, or typed into the label cell itself)."""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Any

from workplan_xl.form_layout import CONTACT_FIELDS
from workplan_xl.returns.reading import FORM, Reading
from workplan_xl.returns.tables import HEADER_JUNK, Table, column_letter, norm_header
from workplan_xl.returns.values import clean_cell, field_value

_CONTACT_LABELS = {HEADER_JUNK.sub("", label): name for label, name in CONTACT_FIELDS}
_CONTACT_LABELS["审核人"] = _CONTACT_LABELS["单位负责人"] = "reviewer"  # a label shortened by hand
# Every label starts with one of these once junk is stripped: a cheap test that spares the data rows
_CONTACT_FIRST = frozenset(label[:1] for label in _CONTACT_LABELS)
_JUNK_CHARS = " \t\r\n\u3000*＊:："
_CONTACT_LEAD = _CONTACT_FIRST | frozenset(_JUNK_CHARS)  # a label cell's first character, junk or not
_IS_STR = str.__instancecheck__  # isinstance(cell, str), callable from filter()
_FIRST = itemgetter(slice(0, 1))  # a text's first character ("" for "")
_CONTACT_TYPED = re.compile(r"^(" + "|".join(map(re.escape, sorted(_CONTACT_LABELS, key=len, reverse=True)))
                            + r")[:：\s]+(.+)$", re.S)


def contact_label(value: Any) -> str:
    """The field of a 填报人 block label cell, or ""."""
    return _CONTACT_LABELS.get(norm_header(value), "") if isinstance(value, str) and len(value) < 30 else ""


def read_contact(reading: Reading, tables: list[Table]) -> None:
    """The 填报人 block below the table(s): each label's value is the first filled cell to its right
    before the next label. A value typed into the label cell itself ("填报人：张三") counts too."""
    found: dict[str, tuple[str, str]] = {}
    for table in tables:
        sheet, rows = table.sheet["name"], table.sheet["rows"]
        for r in range(table.header_row + 1, len(rows)):
            row = rows[r]
            if _CONTACT_LEAD.isdisjoint(map(_FIRST, filter(_IS_STR, row))):
                continue  # no text cell starts as a label can (most rows: one pass in C, not a loop here)
            for c in [c for c, cell in enumerate(row) if isinstance(cell, str) and cell[:1] in _CONTACT_LEAD
                      and len(cell) <= 200 and cell.lstrip(_JUNK_CHARS)[:1] in _CONTACT_FIRST]:
                cell = row[c]
                name, value, where = contact_label(cell), "", c
                if name:
                    for k in range(c + 1, min(len(row), c + 6)):
                        if contact_label(row[k]):
                            break
                        if clean_cell(row[k]).strip():
                            value, where = row[k], k
                            break
                elif typed := _CONTACT_TYPED.match(cell.strip()):
                    name, value = _CONTACT_LABELS[norm_header(typed.group(1))], typed.group(2)
                if name and name not in found and clean_cell(value).strip():
                    found[name] = (value, f"{sheet}!{column_letter(where)}{r + 1}")
    for _, name in CONTACT_FIELDS:
        if name in found:
            raw, cell = found[name]
            value, note = field_value("done_date" if name == "fill_date" else "remark", raw)
            reading.values.append((FORM, "", name, value, clean_cell(raw), note, cell))
