"""wpx forms: how fast are N unit forms written, against the same forms written with openpyxl?

    python benchmarks/bench_forms.py            # 2,000 forms
    python benchmarks/bench_forms.py --count 300 --no-openpyxl-pool

Side by side in one run, from the same FormContent objects (the same cells, formats, column widths,
row heights, validations, protection and very hidden _meta):
  openpyxl, one process           the obvious alternative
  openpyxl, worker processes      the alternative given the same parallelism
  xlsxwriter, each form built     workplan_xl's sheet writer called once per form (in-memory mode)
  write_unit_forms, one process   each distinct layout built once, every unit's form stamped from it
  write_unit_forms                what `wpx forms` runs (worker processes above 200 forms)

Timed in interleaved rounds (each writer does the same batch in turn), so a machine that other work
slows down slows every writer alike and the ratios stay meaningful.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

import workplan_xl.unit_forms as unit_forms
from workplan_xl.form_layout import (
    HEADER_ROW,
    INDICATOR_COLUMNS,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_TASKS,
    TASK_COLUMNS,
)
from workplan_xl.plan import STATUSES, Indicator, Part, Plan, Section, Task, Unit
from workplan_xl.unit_forms import build_contents, form_bytes, form_names, write_unit_forms
from workplan_xl.unit_forms.content import FormContent
from workplan_xl.unit_forms.sheets import (
    GUIDE_WIDTHS,
    INDICATOR_LINES,
    INDICATOR_SPEC,
    TASK_LINES,
    TASK_SPEC,
    column_widths,
    row_height,
)
from workplan_xl.xlsx_style import wrapped_height

TYPES = ["小学", "初中", "幼儿园", "高中", "处室"]


def synthetic_plan(n_units: int) -> Plan:
    """5 sections × 8 tasks, 16 indicators; reporters mix types, owners, explicit codes and everyone."""
    units = [Unit(f"U{i:04d}", f"第{i}{TYPES[i % 5] if TYPES[i % 5] != '处室' else '科室'}", TYPES[i % 5])
             for i in range(1, n_units + 1)]
    sections = []
    for s in range(5):
        tasks = []
        for t in range(8):
            n = s * 8 + t + 1
            task = Task(f"T{n:03d}", str(n), f"重点任务第{n}项推进落实",
                        f"围绕第{n}项工作，一是完善制度建设；二是加强过程督导；三是开展年度评估，形成可复制经验。",
                        deadline=f"{(n % 12) + 1}月底")
            if n % 4 == 0:
                task.reporters = [TYPES[n % 5]]
            elif n % 4 == 1:
                task.reporters = ["全部"]
            elif n % 4 == 2:
                task.reporters = [units[(n * 7 + k * 13) % n_units].code for k in range(6)]
            else:
                task.owners = ["基础教育科"]
            if n % 5 == 0:
                task.indicators = [Indicator(f"I{n:03d}{k}", f"指标{n}-{k}达到95%", metric=f"指标{n}-{k}",
                                             value=95 - k, unit="%", task=task.id) for k in range(2)]
            tasks.append(task)
        sections.append(Section(f"S{s + 1:02d}", "一二三四五"[s], f"第{s + 1}部分", tasks=tasks))
    return Plan(title="某市2024年教育工作要点", year=2024, issuer="某市教育局", issued="2024-02-01",
                parts=[Part(sections=sections)], units=units)


# -- the same form with openpyxl ---------------------------------------------------------------------
def openpyxl_form(content: FormContent, path: Path, password: str = "") -> None:
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="宋体", size=11)
    wrap = Alignment(vertical="center", wrap_text=True)
    yellow = PatternFill("solid", fgColor="FFF2CC")
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    unlocked = Protection(locked=False)
    wb = Workbook()
    guide = wb.active
    guide.title = SHEET_GUIDE
    guide.cell(1, 1, f"{content.title_line} 填报说明").font = Font(name="宋体", size=16, bold=True)
    for i, (label, line) in enumerate(content.guide):
        for col, value in ((1, label), (2, line)):
            cell = guide.cell(3 + i, col, value)
            cell.font, cell.border, cell.alignment = font, border, wrap
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = GUIDE_WIDTHS
    for i, (label, line) in enumerate(content.guide):
        if height := wrapped_height([(label, GUIDE_WIDTHS[0]), (line, GUIDE_WIDTHS[1])]):
            guide.row_dimensions[3 + i].height = height
    guide.protection.sheet = True
    for name, columns, spec, rows, label, lines in (
            (SHEET_TASKS, TASK_COLUMNS, TASK_SPEC, content.task_rows, "任务进展填报表", TASK_LINES),
            (SHEET_INDICATORS, INDICATOR_COLUMNS, INDICATOR_SPEC, content.indicator_rows, "指标填报表",
             INDICATOR_LINES)):
        ws = wb.create_sheet(name)
        ws.cell(1, 1, f"{content.title_line} {label}").font = Font(name="宋体", size=16, bold=True)
        ws.cell(2, 1, content.unit_line).font = font
        ws.cell(3, 1, "黄色单元格为填报区").font = font
        headers = [h for h, _ in columns]
        widths = column_widths(spec, headers, rows)
        for col, header in enumerate(headers, 1):
            cell = ws.cell(HEADER_ROW + 1, col, header)
            cell.font, cell.border, cell.fill = Font(name="宋体", size=11, bold=True), border, header_fill
            letter = cell.column_letter
            ws.column_dimensions[letter].width = widths[header]
            ws.column_dimensions[letter].hidden = spec[header][0] == "id"
        for index, row in enumerate(rows):
            r = HEADER_ROW + 2 + index
            ws.row_dimensions[r].height = row_height(spec, headers, widths, row, lines)
            for col, header in enumerate(headers, 1):
                kind = spec[header][0]
                value = index + 1 if header == "序号" else (None if kind.startswith("input") else row.get(header))
                cell = ws.cell(r, col, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # keep "=…" as text
                cell.font, cell.border, cell.alignment = font, border, wrap
                if kind.startswith("input"):
                    cell.fill, cell.protection = yellow, unlocked
                    if kind == "input_date":
                        cell.number_format = "@"
        if rows:
            last = HEADER_ROW + 1 + len(rows)
            if name == SHEET_TASKS:
                dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                                    errorTitle="完成状态填写有误", error="请从下拉列表中选择")
                dv.add(f"F{HEADER_ROW + 2}:F{last}")
            else:
                dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                                    allow_blank=True, errorTitle="填报值有误", error="请填写数字，不要带单位或%")
                dv.add(f"G{HEADER_ROW + 2}:G{last}")
            ws.add_data_validation(dv)
        ws.freeze_panes = ws.cell(HEADER_ROW + 2, 1)
        ws.print_title_rows = f"{HEADER_ROW + 1}:{HEADER_ROW + 1}"
        ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", 9
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.protection.sheet = True
        ws.protection.formatColumns = ws.protection.formatRows = False
        if password:
            ws.protection.password = password
    meta = wb.create_sheet(SHEET_META)
    for key, value in content.meta:
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    wb.save(path)


def _openpyxl_chunk(jobs: list[tuple[FormContent, Path]]) -> int:
    for content, path in jobs:
        openpyxl_form(content, path)
    return len(jobs)


def _xlsxwriter_serial(jobs: list[tuple[FormContent, Path]]) -> None:
    for content, path in jobs:
        path.write_bytes(form_bytes(content))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="number of units (forms)")
    parser.add_argument("--rounds", type=int, default=10,
                        help="interleave the writers in this many rounds, so a busy machine slows all alike")
    parser.add_argument("--no-openpyxl-pool", action="store_true", help="skip openpyxl with worker processes")
    args = parser.parse_args()
    plan = synthetic_plan(args.count)
    contents = build_contents(plan, plan.units)
    names = form_names(contents, plan.title)
    cells = sum(len(c.task_rows) * len(TASK_COLUMNS) + len(c.indicator_rows) * len(INDICATOR_COLUMNS)
                for c in contents) / len(contents)
    workers = min(4, os.cpu_count() or 1)
    print(f"{len(contents)} 份填报表，平均每份约 {cells:.0f} 个数据单元格；CPU {os.cpu_count()} 核，"
          f"进程池 {workers} 个 worker；Python {sys.version.split()[0]}；分 {args.rounds} 轮交替计时")
    labels = {"opx": "openpyxl，单进程", "opx_pool": f"openpyxl，{workers} 进程",
              "xw": "xlsxwriter 逐份生成，单进程", "wpx1": "write_unit_forms，单进程",
              "wpx": "write_unit_forms（wpx forms 实际路径）"}
    if args.no_openpyxl_pool:
        del labels["opx_pool"]
    seconds = dict.fromkeys(labels, 0.0)
    root = Path(tempfile.mkdtemp(prefix="bench_forms_"))
    size = -(-len(contents) // args.rounds)
    try:
        for r in range(args.rounds):
            part = slice(r * size, (r + 1) * size)
            batch = list(zip(contents[part], names[part], strict=True))
            codes = [c.unit_code for c, _ in batch]

            def jobs(key: str, batch=batch, r=r) -> list[tuple[FormContent, Path]]:
                folder = root / f"{key}{r}"
                folder.mkdir()
                return [(c, folder / n) for c, n in batch]

            def pooled(todo: list[tuple[FormContent, Path]]) -> None:
                with ProcessPoolExecutor(workers) as pool:
                    list(pool.map(_openpyxl_chunk, [todo[i:i + 25] for i in range(0, len(todo), 25)]))

            def serial_wpx(_: list, codes: list[str] = codes, r: int = r) -> None:
                threshold, unit_forms.POOL_THRESHOLD = unit_forms.POOL_THRESHOLD, 10**9
                try:
                    write_unit_forms(plan, root / f"wpx1_{r}", codes=codes)
                finally:
                    unit_forms.POOL_THRESHOLD = threshold

            runs = {"opx": lambda j: _openpyxl_chunk(j), "opx_pool": pooled, "xw": _xlsxwriter_serial,
                    "wpx1": serial_wpx,
                    "wpx": lambda j, codes=codes, r=r: write_unit_forms(plan, root / f"wpx{r}", codes=codes)}
            for key in labels:
                todo = jobs(key) if key in ("opx", "opx_pool", "xw") else []
                start = time.perf_counter()
                runs[key](todo)
                seconds[key] += time.perf_counter() - start
            done = min((r + 1) * size, len(contents))
            print(f"  第 {r + 1}/{args.rounds} 轮完成（{done} 份）", flush=True)
        rates = {k: len(contents) / seconds[k] for k in labels}
        for key, label in labels.items():
            print(f"{label:<34} {seconds[key]:7.2f} s  {rates[key]:8.1f} 份/s")
        print(f"xlsxwriter 逐份生成 / openpyxl 单进程        = {rates['xw'] / rates['opx']:5.1f}×")
        print(f"write_unit_forms 单进程 / openpyxl 单进程    = {rates['wpx1'] / rates['opx']:5.1f}×")
        print(f"write_unit_forms / openpyxl 单进程           = {rates['wpx'] / rates['opx']:5.1f}×")
        if "opx_pool" in rates:
            print(f"write_unit_forms / openpyxl {workers} 进程          = {rates['wpx'] / rates['opx_pool']:5.1f}×")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
