"""The master workbook 台账.xlsx: the Plan the user can see and edit, and the project file of the year.

    write_master_workbook(plan, path) -> path        任务清单 · 配档表 · 指标跟踪 · 填报单位 · 说明 · _meta
    read_master_workbook(path) -> Plan               the same Plan back, with the user's edits
    build_master_workbook(plan_file, output, roster) what `wpx build` runs
    load_plan(path) -> Plan                          a 台账 recognised first, else plan_document.read_plan
    read_master_plan(path) -> Plan                   the plan collect works with: a 台账 (or Plan JSON) with units

layout.py is the contract between write.py and read.py (sheet names, headers, cell text conventions);
cells.py reads a 台账's cells in a child process. The names below are imported when first used, so the
child (which imports cells.py, hence this package) does not pay for the writers and plan_document.
"""


from workplan_xl import lazy_names

_WHERE = {"MASTER_SCHEMA": "layout", "build_master_workbook": "build", "check_master_workbook": "read",
          "is_master_workbook": "load", "load_plan": "load", "read_master_workbook": "read",
          "start_master_workbook": "read", "read_master_plan": "read", "start_master_plan": "read",
          "write_master_workbook": "write"}
__all__ = sorted(_WHERE)

__getattr__ = lazy_names(__name__, _WHERE)
