"""wpx collect against the obvious alternatives, side by side in one run, at 1,000 and 10,000 returns.

    python benchmarks/bench_collect.py                    1,000 and 10,000 returns
    python benchmarks/bench_collect.py --sizes 2000       other sizes

(a) collect_returns end to end, in a fresh process as `wpx collect` runs: sniffing, pre-checks, reading
    in worker processes, identifying the unit, checking values, the SQLite ledger and 汇总.xlsx (all
    sheets, 明细 with every value, 文件清单). Its peak memory: VmHWM of the collecting process and the
    largest reader process's ru_maxrss.
(b) a plain consolidation script doing less: pd.read_excel(engine="openpyxl") of each file's two
    sheets, one concatenated table, to_excel. No checks, no ledger, no summary sheets.
(c) a bare python-calamine read of every sheet of every file in one process (to_python), writing
    nothing: the floor for any reader of these files in Python.

Ratios are wall time (what the user waits); CPU time is printed beside (collect's own process and its
readers together). On a machine other work keeps busy, (a) loses more wall time than (b) and (c): its
two readers and the collecting process need the cores that a single process does not.

Returns are generated with the real form content (unit_forms.build_contents: ids, _meta, checksum)
and written already filled by a small xlsxwriter writer here, in two processes (filling thousands of
forms through openpyxl would take longer than the benchmark itself)."""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import xlsxwriter

from workplan_xl.form_layout import (
    HEADER_ROW,
    INDICATOR_COLUMNS,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_TASKS,
    TASK_COLUMNS,
)
from workplan_xl.plan import Indicator, Part, Plan, Section, Task, Unit
from workplan_xl.unit_forms.content import FormContent, build_contents

STATUSES = ("已完成", "推进中", "未启动", "已完成", "推进中")


def bench_plan(units: int) -> Plan:
    """A plan the size of a city bureau's 工作要点: 4 sections, 24 tasks, 12 indicators."""
    sections = []
    numerals = "一二三四"
    n = 0
    for s in range(4):
        tasks = []
        for t in range(6):
            n += 1
            task = Task(f"T{n:03d}", str(t + 1), f"第{n}项重点任务", f"围绕第{n}项重点任务，一是完善制度，二是加强督导，三是抓好落实。",
                        deadline="12月底前")
            if n % 2 == 0:
                unit = "%" if n % 4 == 0 else "所"
                task.indicators = [Indicator(f"I{n // 2:03d}", f"指标{n // 2}达到95{unit}", f"指标{n // 2}", ">=",
                                             95.0 if unit == "%" else 50.0, unit, task=task.id)]
            tasks.append(task)
        sections.append(Section(f"S{s + 1:02d}", numerals[s], f"第{s + 1}部分", tasks=tasks))
    roster = [Unit(str(100000 + i), f"第{i + 1}学校", "学校") for i in range(units)]
    return Plan(title="某市教育局2024年工作要点", year=2024, issuer="某市教育局",
                parts=[Part("plan", "某市教育局2024年工作要点", 2024, sections)], units=roster)


def filled_bytes(content: FormContent, seed: int) -> bytes:
    """One unit's form as the school sends it back: the real descriptive cells and _meta, inputs filled."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    for name, columns, rows in ((SHEET_TASKS, TASK_COLUMNS, content.task_rows),
                                (SHEET_INDICATORS, INDICATOR_COLUMNS, content.indicator_rows)):
        sheet = workbook.add_worksheet(name)
        sheet.write_string(0, 0, content.title_line)
        sheet.write_string(1, 0, content.unit_line)
        for c, (header, _) in enumerate(columns):
            sheet.write_string(HEADER_ROW, c, header)
        for i, row in enumerate(rows):
            r = HEADER_ROW + 1 + i
            inputs = ({"完成状态": STATUSES[(seed + i) % 5], "进展情况": f"已按计划推进第{i + 1}项工作，完成阶段目标。",
                       "完成时间": "2024-06-30", "佐证材料": "工作台账、会议纪要"} if name == SHEET_TASKS
                      else {"填报值": float(90 + (seed + i) % 10)})
            for c, (header, _) in enumerate(columns):
                value = inputs.get(header, row.get(header, i + 1 if header == "序号" else ""))
                if isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                elif value:
                    sheet.write_string(r, c, str(value))
    meta = workbook.add_worksheet(SHEET_META)
    for r, (key, value) in enumerate(content.meta):
        meta.write_string(r, 0, key)
        meta.write_string(r, 1, value)
    meta.very_hidden()
    workbook.close()
    return buffer.getvalue()


def _write_chunk(args: tuple[list[FormContent], int, str]) -> int:
    contents, start, folder = args
    for i, content in enumerate(contents):
        Path(folder, f"{content.unit_code}_{content.unit_name}回表.xlsx").write_bytes(filled_bytes(content, start + i))
    return len(contents)


def generate(plan: Plan, folder: Path) -> Path:
    """The master workbook and one filled return per unit; returns the master's path."""
    from workplan_xl.master_workbook import write_master_workbook

    folder.mkdir(parents=True, exist_ok=True)
    master = write_master_workbook(plan, folder / "台账.xlsx")
    returns = folder / "回表"
    returns.mkdir(exist_ok=True)
    contents = build_contents(plan, plan.units)
    chunks = [(contents[i:i + 100], i, str(returns)) for i in range(0, len(contents), 100)]
    with ProcessPoolExecutor(2) as pool:
        sum(pool.map(_write_chunk, chunks))
    return master


def run_reading(master: Path) -> tuple[float, float]:
    """Reading and interpreting only: all in this process (unsafe for real returns) vs the worker pool."""
    from workplan_xl.master_workbook.read import read_master_plan
    from workplan_xl.returns import PlanIndex, ReaderPool, inspect_file
    from workplan_xl.returns.interpret import interpret

    index = PlanIndex(read_master_plan(master))
    files = sorted((master.parent / "回表").iterdir())
    start = time.perf_counter()
    for path in files:
        interpret(inspect_file(str(path)), index, None, path.name)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    done = sum(1 for _ in ReaderPool().read(files, (index, None)))
    pooled = time.perf_counter() - start
    assert done == len(files)
    return serial, pooled


def run_pandas(folder: Path, output: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the plain consolidation script."""
    import pandas as pd

    start, cpu = time.perf_counter(), time.process_time()
    frames = []
    for path in sorted(folder.iterdir()):
        sheets = pd.read_excel(path, sheet_name=[SHEET_TASKS, SHEET_INDICATORS], header=HEADER_ROW, engine="openpyxl")
        for name, frame in sheets.items():
            frame.insert(0, "文件", path.name)
            frame.insert(1, "工作表", name)
            frames.append(frame)
    pd.concat(frames, ignore_index=True).to_excel(output, index=False, engine="openpyxl")
    return time.perf_counter() - start, time.process_time() - cpu


_MEASURE = """
import resource, sys, time
from pathlib import Path
from workplan_xl.collect import collect_returns
master = Path(sys.argv[1])
start, cpu = time.perf_counter(), time.process_time()
result = collect_returns(master, [master.parent / "回表"])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu += children.ru_utime + children.ru_stime  # the reader processes, all joined by now
# ru_maxrss survives fork+exec (a child starts with its parent's high-water mark); VmHWM does not.
status = Path("/proc/self/status")
hwm = [int(l.split()[1]) for l in status.read_text().splitlines() if l.startswith("VmHWM")] if status.exists() else []
me = hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(elapsed, cpu, result.read, len(result.state.entries), me, kids)
"""


def measure_in_fresh_process(master: Path) -> tuple[float, float, int, int, float, float]:
    """Collect in a new process: wall and CPU seconds (its own and its readers'), its peak RSS (VmHWM)
    and its largest reader's (ru_maxrss of children, an upper bound)."""
    master.with_suffix(".db").unlink(missing_ok=True)
    shutil.rmtree(master.parent / "隔离区", ignore_errors=True)
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(master)], check=True, capture_output=True, text=True)
    elapsed, cpu, read, entries, me, kids = out.stdout.split()
    return float(elapsed), float(cpu), int(read), int(entries), int(me) / 1024, int(kids) / 1024  # KB → MB


def run_calamine(folder: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of a bare python-calamine read of every sheet of every file."""
    import python_calamine

    start, cpu = time.perf_counter(), time.process_time()
    for path in sorted(folder.iterdir()):
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python()
        workbook.close()
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="numbers of returns, comma-separated")
    parser.add_argument("--folder", type=Path, default=None, help="keep the generated files here")
    parser.add_argument("--pandas-up-to", type=int, default=10_000,
                        help="run (b) only for sizes up to this (it reads about 50 files/s on an idle machine)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wpx-bench-") as tmp:
        base = args.folder or Path(tmp)
        for n in (int(x) for x in args.sizes.split(",")):
            t = time.perf_counter()
            master = generate(bench_plan(n), base / f"n{n}")
            print(f"== {n} returns (generated in {time.perf_counter() - t:.1f} s)")
            ours, ours_cpu, read, entries, me, kids = measure_in_fresh_process(master)
            bare, bare_cpu = run_calamine(master.parent / "回表")
            print(f"(a) wpx collect (checks, ledger, 汇总.xlsx, {entries} values in 明细): {ours:6.1f} s  {n / ours:7.1f} files/s"
                  f"  (CPU {ours_cpu:.1f} s, readers included)")
            print(f"(c) bare python-calamine read of every sheet, one process:   {bare:6.1f} s  {n / bare:7.1f} files/s"
                  f"  (CPU {bare_cpu:.1f} s)")
            if n <= args.pandas_up_to:
                theirs, theirs_cpu = run_pandas(master.parent / "回表", base / "pandas.xlsx")
                print(f"(b) openpyxl + pandas read_excel/concat/to_excel:            {theirs:6.1f} s  {n / theirs:7.1f} files/s"
                      f"  (CPU {theirs_cpu:.1f} s)")
                print(f"ratio (b)/(a): {theirs / ours:.1f}× wall time, {theirs_cpu / ours_cpu:.1f}× CPU time")
            print(f"ratio (c)/(a): {bare / ours:.2f}× wall time, {bare_cpu / ours_cpu:.2f}× CPU time "
                  f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
            print(f"collect's peak RSS: {me:.0f} MB (collecting process), {kids:.0f} MB (largest reader process)")
            shutil.rmtree(master.parent, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
