"""汇总.xlsx: 报送情况 · 任务汇总 · 指标汇总 · 明细 · 问题清单, written from a Progress (and, for 明细,
the current entries). Regenerated from the ledger on every collect, so overwriting it is safe.

Everything that came from a return is written as a string cell: "=HYPERLINK(…)", "=cmd|' /C calc'!A0"
or "+1+1" typed by a school arrive as inert text, never as a formula or a link. No timestamps: the
same ledger gives the same bytes.

    book.py     the workbook begun and finished (write_consolidated_workbook, start_consolidated_workbook)
    layout.py   formats, typed cells, widths, row heights, capped cells, figures rounded as the report does
    sheets.py   the sheets written through xlsxwriter (and the top of 明细)
    details.py  明细's rows (one per unit × item) as sheet XML (the part that is big)
    package.py  明细's rows spooled (in another process when there are many) and streamed into the package

The names below are imported when first used, so the process that makes 明细's rows (package.py) does
not load xlsxwriter and the other sheets.
"""


from workplan_xl import lazy_names

_WHERE = {"PRELOAD": "book", "check_output": "book",
          "start_consolidated_workbook": "book", "write_consolidated_workbook": "book"}
__all__ = ["check_output", "start_consolidated_workbook", "write_consolidated_workbook"]

__getattr__ = lazy_names(__name__, _WHERE)
