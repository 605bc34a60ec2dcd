"""Finding a form's tables in a return by their header row, wherever schools moved them: columns by
header text (a hint added to a header still counts), sheets by the header row they hold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

from workplan_xl.form_layout import HEADER_ROW


@dataclass
class Table:
    sheet: dict[str, Any]
    header_row: int
    columns: dict[str, int]  # header → column index


HEADER_JUNK = re.compile(r"[\s*＊:：]")


def norm_header(value: Any) -> str:
    return HEADER_JUNK.sub("", value) if isinstance(value, str) else ""


_HEADER_MAPS: dict[tuple[tuple[Any, ...], tuple[str, ...]], dict[str, int]] = {}  # header rows seen → their map
_HEADER_MAPS_SIZE = 256


def header_map(row: list[Any], headers: list[str]) -> dict[str, int]:
    """Header → column in a row. A header row recurs in every return of a form: its map is remembered
    (the rows that are not one are worked out each time, so they never crowd the header rows out)."""
    key = (tuple(row), tuple(headers))
    try:
        known = _HEADER_MAPS.get(key)
    except TypeError:  # a cell that cannot be a key (plain data never has one): worked out
        return _header_map(row, headers)
    if known is not None:  # equal rows: equal text cells (the others count as "" whatever they are)
        return dict(known)
    found = _header_map(row, headers)
    if len(found) >= 3 and len(_HEADER_MAPS) < _HEADER_MAPS_SIZE:
        _HEADER_MAPS[key] = dict(found)
    return found


def _header_map(row: list[Any], headers: list[str]) -> dict[str, int]:
    cells = [norm_header(v) for v in row]
    found: dict[str, int] = {}
    for i, text in enumerate(cells):
        if text in headers and text not in found:
            found[text] = i
    if len(found) < 2:
        return found  # not a header row; the prefix search below is only for headers with a hint added
    for header in sorted(headers, key=len, reverse=True):  # 完成状态（请选择） still counts
        if header not in found:
            taken = set(found.values())
            match = next((i for i, t in enumerate(cells) if i not in taken and t.startswith(header)), None)
            if match is not None:
                found[header] = match
    return found


def find_table(sheets: list[dict[str, Any]], name: str, columns: list[tuple[str, str | None]], id_header: str,
                inputs: tuple[str, ...]) -> Table | None:
    headers = [h for h, _ in columns]
    best: tuple[int, Table] | None = None
    # The form's own place first: a sheet of the expected name with its header at HEADER_ROW is the
    # usual case and settles it without scanning every row of every sheet.
    ordered = sorted(sheets, key=lambda s: s["name"] != name)
    for sheet in ordered:
        rows = sheet["rows"][:30]
        # HEADER_ROW first, then the others, made only as far as they are looked at (mostly not at all)
        first = (HEADER_ROW,) if HEADER_ROW < len(rows) else ()
        for r in chain(first, (r for r in range(len(rows)) if r != HEADER_ROW)):
            found = header_map(rows[r], headers)
            if len(found) < 3 or not any(h in found for h in inputs):
                continue
            score = len(found) + (5 if id_header in found else 0) + (1 if sheet["name"] == name else 0)
            if best is None or score > best[0]:
                best = (score, Table(sheet, r, found))
            if sheet["name"] == name and len(found) == len(headers):
                return best[1]
    return best[1] if best else None


@lru_cache(maxsize=1024)  # a form's few columns, named for every cell address a return gives
def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
