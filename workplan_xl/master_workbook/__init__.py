"""The master workbook 台账.xlsx: the Plan the user can see and edit, and the project file of the year.

    write_master_workbook(plan, path) -> path        任务清单 · 配档表 · 指标跟踪 · 填报单位 · 说明 · _meta
    read_master_workbook(path) -> Plan               the same Plan back, with the user's edits
    build_master_workbook(plan_file, output, roster) what `wpx build` runs
    load_plan(path) -> Plan                          a 台账 recognised first, else plan_document.read_plan

layout.py is the contract between write.py and read.py (sheet names, headers, cell text conventions).
"""

from workplan_xl.master_workbook.build import build_master_workbook
from workplan_xl.master_workbook.layout import MASTER_SCHEMA
from workplan_xl.master_workbook.load import is_master_workbook, load_plan
from workplan_xl.master_workbook.read import check_master_workbook, read_master_workbook
from workplan_xl.master_workbook.write import write_master_workbook

__all__ = ["MASTER_SCHEMA", "build_master_workbook", "check_master_workbook", "is_master_workbook", "load_plan", "read_master_workbook",
           "write_master_workbook"]
