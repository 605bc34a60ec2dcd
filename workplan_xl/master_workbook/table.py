"""One data sheet of the master workbook as written: title row, header row, typed cell writes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from workplan_xl import xlsx_style
from workplan_xl.cjk import clean_text, column_width, display_width
from workplan_xl.master_workbook.layout import HEADER_ROW

# Room below the written rows where the dropdowns and status colours still apply to rows users add.
SPARE_ROWS = 500


class Table:
    """One data sheet: title row, header row, typed writes that remember values for column widths."""

    def __init__(self, workbook: Any, fmt: dict[str, Any], name: str, titles: list[str],
                 columns: list[tuple[str, str]]) -> None:
        self.ws = workbook.add_worksheet(name)
        self.fmt = fmt
        self.titles = titles  # longest first: the first that fits above the columns is written
        self.keys = [key for key, _ in columns]
        self.col = {key: i for i, key in enumerate(self.keys)}
        self.values: list[list[str]] = [[header] for _, header in columns]
        self.texts: dict[int, list[tuple[int, str]]] = {}  # row → (column, text) of wrapped cells
        self.row = HEADER_ROW
        for i, (_, header) in enumerate(columns):
            self.ws.write_string(HEADER_ROW, i, header, fmt["header"])

    def next_row(self, style: str | None = None) -> int:
        """Start a row; with ``style`` every cell gets that format first (a banded section row)."""
        self.row += 1
        if style:
            for i in range(len(self.keys)):
                self.ws.write_blank(self.row, i, None, self.fmt[style])
        return self.row

    def text(self, key: str, value: str, style: str = "text") -> None:
        # write_string always: a task text starting with "=" is text, never a formula.
        if not value.isprintable():  # the regex only for text that may hold control characters
            value = clean_text(value)
        value = value[:32767]
        if not value:
            self.ws.write_blank(self.row, self.col[key], None, self.fmt[style])
            return
        self.ws.write_string(self.row, self.col[key], value, self.fmt[style])
        self.values[self.col[key]].append(value)
        self.texts.setdefault(self.row, []).append((self.col[key], value))

    def number(self, key: str, value: float | None, style: str = "value") -> None:
        if value is None:
            self.ws.write_blank(self.row, self.col[key], None, self.fmt[style])
        else:
            self.ws.write_number(self.row, self.col[key], value, self.fmt[style])
            self.values[self.col[key]].append(str(int(value)) if float(value).is_integer() else repr(value))

    def formula(self, key: str, formula: str, cached: str | float, style: str = "value") -> None:
        # The cached result is written too: viewers that do not recalculate still show it.
        self.ws.write_formula(self.row, self.col[key], formula, self.fmt[style], cached)
        self.values[self.col[key]].append(str(cached))

    def cell(self, key: str, row: int | None = None, absolute_col: bool = False) -> str:
        return xl_rowcol_to_cell(self.row if row is None else row, self.col[key], col_abs=absolute_col)

    def last_row(self) -> int:
        return max(self.row, HEADER_ROW + 1) + SPARE_ROWS

    def finish(self, widths: Mapping[str, tuple[float, float]], hidden: tuple[str, ...] = (),
               autofilter: bool = True) -> None:
        """Column widths from CJK display width, row heights for wrapped text, hidden id columns,
        office print setup, autofilter."""
        width = {}
        for key, i in self.col.items():
            if key in hidden:
                self.ws.set_column(i, i, 10, None, {"hidden": True})
            else:
                low, high = widths.get(key, (6, 20))
                width[i] = column_width(self.values[i], low, high)
                self.ws.set_column(i, i, width[i])
        self._title(sum(width.values()))
        xlsx_style.fit_row(self.ws, HEADER_ROW, [(self.values[i][0], w) for i, w in width.items()], filtered=autofilter)
        for row, cells in self.texts.items():
            # Only cells that might wrap: 2 columns per character is the widest any text can be.
            wrapping = [(text, width[i]) for i, text in cells
                        if i in width and ("\n" in text or xlsx_style.NARROW_MAX * len(text) + 1 > width[i])]
            height = xlsx_style.wrapped_height(wrapping) if wrapping else None
            if height is not None:
                self.ws.set_row(row, height)
        xlsx_style.office_sheet(self.ws, HEADER_ROW)
        if autofilter:
            self.ws.autofilter(HEADER_ROW, 0, max(self.row, HEADER_ROW + 1), len(self.keys) - 1)

    def _title(self, total_width: float) -> None:
        """The title row, centred across the columns without merging cells (users sort and insert
        rows); a shorter title when the long one would be cut off in print (14 pt is wider than 11)."""
        fitting = [t for t in self.titles if display_width(t) * 1.35 + 2 <= total_width]
        title = clean_text(fitting[0] if fitting else self.titles[-1])
        self.ws.write_string(0, 0, title, self.fmt["heading"])
        for i in range(1, len(self.keys)):
            self.ws.write_blank(0, i, None, self.fmt["heading"])
        self.ws.set_row(0, 24)
