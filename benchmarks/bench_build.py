"""wpx build: how fast is a large 台账.xlsx written, against the same workbook written with openpyxl?

    python benchmarks/bench_build.py                 # 500 tasks, 1,000 indicators, 1,500 配档表 rows
    python benchmarks/bench_build.py --tasks 2000

Side by side in one run:
  write_master_workbook   what `wpx build` runs (xlsxwriter, in-memory mode); target < 2 s for 500 tasks
  openpyxl                the same cells (values, formulas, fonts, borders, fills, wrap), widths, row
                          heights, hidden columns, frozen header, print setup, dropdowns and very hidden
                          _meta, taken from the xlsxwriter file before the clock starts
  read_master_workbook    reading it back (openpyxl read-only), for scale
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from workplan_xl.master_workbook import read_master_workbook, write_master_workbook
from workplan_xl.plan import Indicator, Part, Plan, ScheduleEntry, Section, Task, Unit

OFFICES = ["办公室", "基础教育科", "督导室", "人事科", "计划财务科", "德育科", "教研室", "安全科", "体卫艺科",
           "职成教科", "学前教育科", "信息中心", "招生办", "资助中心", "后勤服务中心"]


def synthetic_plan(n_tasks: int) -> Plan:
    """n tasks in sections of 25; two indicators and three 月度节点 per task; three 配档表 rows per task."""
    sections, schedule = [], []
    for s in range(0, n_tasks, 25):
        tasks = []
        for n in range(s + 1, min(s + 25, n_tasks) + 1):
            owners = [OFFICES[n % len(OFFICES)]]
            months = sorted({n % 12 + 1, (n + 4) % 12 + 1, (n + 8) % 12 + 1})
            tasks.append(Task(
                id=f"T{n:04d}", number=f"（{n - s}）", title=f"推进第{n}项重点工作落地见效",
                text=f"围绕第{n}项工作，完善制度建设，加强过程督导，开展年度评估，形成可复制可推广的经验做法。" * 2,
                measures=["一是完善制度", "二是加强督导", "三是开展评估"], months=months,
                deadline=f"{months[-1]}月底", owners=owners, partners=[OFFICES[(n + 3) % len(OFFICES)]],
                indicators=[Indicator(f"I{2 * n - 1:04d}", f"第{n}项覆盖率达到95%", value=95, unit="%",
                                      task=f"T{n:04d}"),
                            Indicator(f"I{2 * n:04d}", f"第{n}项新建项目不少于{n}个", value=n, unit="个",
                                      task=f"T{n:04d}")]))
            schedule += [ScheduleEntry(month=m, text=f"第{n}项工作{m}月节点", owners=owners, task=f"T{n:04d}")
                         for m in months]
        sections.append(Section(id=f"S{len(sections) + 1:02d}", numeral=str(len(sections) + 1),
                                title=f"第{len(sections) + 1}部分重点工作", tasks=tasks))
    units = [Unit(f"{i:04d}", f"第{i}学校", "学校") for i in range(1, 301)]
    return Plan(title="某市教育局年度工作要点（基准测试）", year=2025, issuer="某市教育局",
                parts=[Part(sections=sections)], schedule=schedule, units=units)


def snapshot(path: Path) -> dict[str, Any]:
    """Everything the openpyxl writer needs to write the same workbook (taken outside the timing)."""
    wb = openpyxl.load_workbook(path)
    sheets = {}
    for ws in wb.worksheets:
        sheets[ws.title] = {
            "cells": [[(c.value, c.font.b, c.font.i, c.fill.fgColor.rgb if c.fill.fill_type else None)
                       for c in row] for row in ws.iter_rows()],
            "widths": {k: (d.min, d.max, d.width, d.hidden) for k, d in ws.column_dimensions.items()},
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
            "validations": [(v.sqref, v.formula1) for v in ws.data_validations.dataValidation],
            "state": ws.sheet_state,
        }
    return sheets


def write_with_openpyxl(sheets: dict[str, Any], path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    side = Side(style="thin")
    border = Border(left=side, right=side, top=side, bottom=side)
    wrap = Alignment(wrap_text=True, vertical="center")
    fonts = {(b, i): Font(name="宋体", size=11, bold=bool(b), italic=bool(i)) for b in (0, 1) for i in (0, 1)}
    fills: dict[str, PatternFill] = {}
    for name, sheet in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(sheet["cells"], start=1):
            for c, (value, bold, italic, fill) in enumerate(row, start=1):
                if value is None and fill is None and r > 2:
                    continue
                cell = ws.cell(r, c, value)
                cell.font = fonts[(bool(bold), bool(italic))]
                cell.border = border
                cell.alignment = wrap
                if fill:
                    cell.fill = fills.setdefault(fill, PatternFill("solid", fgColor=fill))
        for letter, (low, high, width, hidden) in sheet["widths"].items():
            dim = ws.column_dimensions[letter]
            dim.min, dim.max, dim.width, dim.hidden = low, high, width, hidden
        for r, height in sheet["heights"].items():
            ws.row_dimensions[r].height = height
        for sqref, formula in sheet["validations"]:
            dv = DataValidation(type="list", formula1=formula)
            dv.add(str(sqref))
            ws.add_data_validation(dv)
        if name != "_meta":
            ws.freeze_panes = "A3"
            ws.print_title_rows = "2:2"
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = 9
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.sheet_state = sheet["state"]
    wb.save(path)


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    plan = synthetic_plan(args.tasks)
    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = Path(folder) / "台账.xlsx", Path(folder) / "openpyxl.xlsx"
        t_ours = best_of(args.runs, lambda: write_master_workbook(plan, ours))
        sheets = snapshot(ours)
        t_theirs = best_of(args.runs, lambda: write_with_openpyxl(sheets, theirs))
        t_read = best_of(args.runs, lambda: read_master_workbook(ours))
        cells = sum(len(row) for s in sheets.values() for row in s["cells"])
        print(f"{args.tasks} tasks, {2 * args.tasks} indicators, {len(plan.schedule)} 配档表 rows, "
              f"{len(plan.units)} units: {cells:,} cells, best of {args.runs}")
        print(f"  write_master_workbook (xlsxwriter) {t_ours:6.2f} s  {ours.stat().st_size / 1024:7.0f} KB"
              f"   target < 2 s: {'ok' if t_ours < 2 else 'MISSED'}")
        print(f"  openpyxl, same content             {t_theirs:6.2f} s  {theirs.stat().st_size / 1024:7.0f} KB")
        print(f"  ratio openpyxl / xlsxwriter        {t_theirs / t_ours:6.2f} ×")
        print(f"  read_master_workbook               {t_read:6.2f} s")


if __name__ == "__main__":
    main()
