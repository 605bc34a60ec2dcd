"""How long the 工作总结 takes for a big county: 2,000 units × 100 tasks (50 indicators), and how the
appendix tables compare with the obvious python-docx ways of filling a table.

    python benchmarks/bench_report.py [--units 2000] [--tasks 100] [--naive-rows 200]

Side by side, on the same rows (附表1 指标 + 附表2 报送情况):
  * ours: the rows' XML built as one string and parsed once (gongwen.write_blocks);
  * python-docx add_row() and row.cells once per row;
  * python-docx table.cell(r, c), which walks the whole table on every call: its time grows faster
    than the rows, so a long table is timed on --naive-rows/2 and --naive-rows rows and extrapolated
    with the growth those two timings show (labelled ≈).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from workplan_xl import gongwen
from workplan_xl.plan import Indicator, Part, Plan, Section, Task, Unit
from workplan_xl.progress import Entry, UnitReport, compute_progress
from workplan_xl.word_report import write_report
from workplan_xl.word_report.compose import appendix_tables

STATUSES = ["已完成", "推进中", "推进中", "未启动", "不适用"]
NOTES = ["已召开专题会议{n}次，制定实施方案", "开展专项检查{n}次，发现问题{m}个，已整改{k}个", "组织教师培训{n}场，覆盖{m}人",
         "按计划推进", "无", "完成自评报告，资料已归档", "新增学位{m}个，已投入使用", "尚未启动，已列入下季度计划"]
# 主要成效 / 存在问题 / 下一步打算 as schools write them: figures to add up, themes to merge
RESULTS = ["开展专题培训{n}场，覆盖教职工{m}人次。", "全年累计开展{n}场专题培训，投入资金{k}万元。",
           "组织主题活动{n}次，受益学生{m}人。工作经验在全县交流。", "制定完善制度{k}项，形成校本资源包。"]
DIFFICULTIES = ["专业教师数量不足。", "专业教师不足，部分课程难以开齐。", "经费保障不足，设备更新缓慢。",
                "部分家长配合度不高。", "场地紧张，活动难以开展。", ""]
NEXT = ["加强教师专业培训。", "积极争取上级经费支持。", "完善家校共育机制。", "实行月调度，确保年底前完成。", ""]


def big_progress(n_units: int, n_tasks: int, seed: int = 2024):
    rng = random.Random(seed)
    units = [Unit(f"{i:05d}", f"城东县第{i}学校", "学校") for i in range(1, n_units + 1)]
    sections = []
    for s in range(n_tasks // 10):
        tasks = []
        for t in range(10):
            k = s * 10 + t + 1
            task = Task(f"T{k:03d}", f"{t + 1}.", f"推进第{k}项重点工作", f"推进第{k}项重点工作。具体要求略。",
                        months=[rng.randint(3, 11)], reporters=["全部"])
            if k % 2:
                task.indicators = [Indicator(f"I{k:03d}", f"指标{k}", f"第{k}项工作覆盖率", ">=", 90.0, "%", task=task.id)]
            tasks.append(task)
        sections.append(Section(f"S{s + 1:02d}", gongwen.cn_number(s + 1), f"加强第{s + 1}方面工作建设", tasks=tasks))
    plan = Plan(title="城东县教育局2024年工作要点", year=2024, issuer="城东县教育局",
                parts=[Part("plan", sections=sections)], units=units)
    missing = set(rng.sample(range(n_units), n_units // 20))
    entries, reports = [], []
    for i, unit in enumerate(units):
        if i in missing:
            reports.append(UnitReport(unit))
            continue
        reports.append(UnitReport(unit, "已报", f"{unit.code}.xlsx", f"2024-11-{1 + i % 28:02d}T09:00:00"))
        for task in plan.tasks():
            entries.append(Entry(unit.code, task.id, "status", rng.choice(STATUSES)))
            note = rng.choice(NOTES).format(n=rng.randint(1, 9), m=rng.randint(10, 300), k=rng.randint(1, 9))
            entries.append(Entry(unit.code, task.id, "progress", note))
            figures = {"n": rng.randint(1, 9), "m": rng.randint(10, 300), "k": rng.randint(1, 9)}
            for field, pool in (("achievements", RESULTS), ("difficulties", DIFFICULTIES), ("next_steps", NEXT)):
                text = rng.choice(pool).format(**figures)
                if text:
                    entries.append(Entry(unit.code, task.id, field, text))
            for ind in task.indicators:
                entries.append(Entry(unit.code, ind.id, "value", f"{rng.uniform(80, 100):.1f}"))
    return compute_progress(plan, entries, reports, [], "2024-12")


def _python_docx_table(headers: list[str], rows: list[list[str]], mode: str) -> float:
    doc = gongwen.new_document()
    start = time.perf_counter()
    if mode == "cell":
        grid = doc.add_table(rows=len(rows) + 1, cols=len(headers))
        for c, header in enumerate(headers):
            grid.cell(0, c).text = header
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    else:
        grid = doc.add_table(rows=1, cols=len(headers))
        for cell, header in zip(grid.rows[0].cells, headers, strict=True):
            cell.text = header
        for row in rows:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = value
    return time.perf_counter() - start


def _naive_estimate(headers: list[str], rows: list[list[str]], limit: int) -> tuple[float, str]:
    """table.cell(r, c) on the whole table, or, for a long one, timed on limit/2 and limit rows and
    extrapolated with the growth exponent those two timings show."""
    if len(rows) <= limit:
        return _python_docx_table(headers, rows, "cell"), ""
    half = _python_docx_table(headers, rows[: limit // 2], "cell")
    full = _python_docx_table(headers, rows[:limit], "cell")
    exponent = math.log(full / half) / math.log(limit / (limit // 2))
    estimate = full * (len(rows) / limit) ** exponent
    return estimate, f"实测 {limit // 2} 行 {half:.1f} s、{limit} 行 {full:.1f} s，按 n^{exponent:.2f} 外推到 {len(rows)} 行"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--naive-rows", type=int, default=200, help="rows timed for table.cell(r, c)")
    args = parser.parse_args()

    start = time.perf_counter()
    progress = big_progress(args.units, args.tasks)
    print(f"生成 Progress（{args.units} 个单位 × {args.tasks} 项任务，{len(progress.indicators)} 项指标）："
          f"{time.perf_counter() - start:.1f} s（准备数据，不计入比较）")

    with tempfile.TemporaryDirectory() as tmp:
        start, cpu = time.perf_counter(), time.process_time()
        path = write_report(progress, Path(tmp) / "总结.docx", day=date(2024, 12, 5))
        whole, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = path.stat().st_size
    # CPU time as well: on a shared machine the wall clock also counts other people's work
    print(f"write_report 整份工作总结：{whole:.2f} s（CPU {cpu:.2f} s；{size // 1024} KB；目标 < 10 s）")

    tables = appendix_tables(progress)
    rows = sum(len(t.rows) for _, t in tables)
    doc = gongwen.new_document()
    start = time.perf_counter()
    gongwen.write_blocks(doc, [t for _, t in tables])
    ours = time.perf_counter() - start
    add_row = sum(_python_docx_table(t.headers, t.rows, "add_row") for _, t in tables)
    naive, notes = 0.0, []
    for _, table in tables:
        seconds, note = _naive_estimate(table.headers, table.rows, args.naive_rows)
        naive += seconds
        notes += [note] if note else []
    approx = "≈" if notes else " "

    print(f"\n附表（{rows} 行，同一份数据）")
    print(f"  本实现：XML 一次生成并解析      {ours:8.2f} s   {1:8.1f}×")
    print(f"  python-docx add_row()+cells    {add_row:8.2f} s   {add_row / ours:8.1f}×")
    print(f"  python-docx table.cell(r, c)  {approx}{naive:8.1f} s  {approx}{naive / ours:8.0f}×")
    for note in notes:
        print(f"    （table.cell：{note}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
