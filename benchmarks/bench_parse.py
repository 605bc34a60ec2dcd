"""How long `read_plan` takes on a 60-page plan (~78,000 characters, 300 tasks), as .txt, .docx, .pdf and
an old Word .doc (LibreOffice's conversion included), and on a 300-row Excel task table (.xlsx).

Run: python benchmarks/bench_parse.py [--runs 7]

Side by side, the naive alternatives: python-docx reading every paragraph's text of the .docx, and
pdfplumber extracting the text of every page of the PDF LibreOffice prints from it (no numbering, no
outline), to show what the whole parse costs on top of just getting the text out; for the Excel table,
openpyxl reading every cell's value. Target: read_plan under 1 s (the .doc: LibreOffice starts in a
fresh profile every time, a few seconds). The PDF and .doc rows need LibreOffice.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workplan_xl.plan_document import read_plan  # noqa: E402

VERBS = ["推进", "深化", "健全", "完善", "落实", "加强", "提升", "优化", "开展", "组织", "实施", "强化"]
THINGS = ["集团化办学", "课后服务", "校园安全", "督学队伍", "质量监测", "家校共育", "劳动教育", "科学教育",
          "教师培训", "学位供给", "食品安全", "心理健康", "体育美育", "数字校园", "评价改革", "控辍保学"]
UNITS = ["督导室", "基教科", "教研室", "安全科", "人事科", "计财科", "体卫艺科", "教师发展中心"]
FILLER = ("围绕年度目标任务，坚持问题导向和结果导向，细化工作清单，明确责任分工和完成时限，"
          "加强过程调度和督促检查，及时总结推广典型经验，确保各项工作取得实效")


def plan_lines(sections: int = 10, per_section: int = 30, seed: int = 7) -> list[str]:
    """A plan in our own wording: 10 sections × 30 tasks, each task ~250 characters."""
    rnd = random.Random(seed)
    lines = ["东湖区教育局", "2025年工作要点", "2025年，全区教育工作坚持稳中求进、提质增效。"]
    n = 0
    for s in range(1, sections + 1):
        from workplan_xl.plan_document.numbering import int_to_cn

        lines.append(f"{int_to_cn(s)}、{rnd.choice(VERBS)}{rnd.choice(THINGS)}，办好人民满意的教育")
        for _ in range(per_section):
            n += 1
            thing = rnd.choice(THINGS)
            body = (f"{rnd.choice(VERBS)}{thing}工作，由{rnd.choice(UNITS)}牵头，{rnd.choice(UNITS)}配合。{FILLER}。"
                    f"一是{rnd.choice(VERBS)}{rnd.choice(THINGS)}，二是{rnd.choice(VERBS)}{rnd.choice(THINGS)}。"
                    f"{rnd.randint(1, 12)}月底前完成，覆盖率达到{rnd.randint(80, 99)}%以上，新增{rnd.randint(2, 60)}所。"
                    f"{FILLER}。" + (f"{FILLER}。" if n % 2 else ""))
            lines.append(f"（{int_to_cn(n - (s - 1) * per_section)}）{rnd.choice(VERBS)}{thing}。{body}")
    lines += ["东湖区教育局", "2025年1月10日"]
    return lines


def schedule_rows(count: int = 60, seed: int = 7) -> list[list[str]]:
    """A 配档表 attachment: 时间 · 重点工作 · 责任单位, five rows a month."""
    rnd = random.Random(seed)
    rows = [["时间", "重点工作", "责任单位"]]
    for k in range(count):
        rows.append([f"{k // 5 + 1}月", f"{rnd.choice(VERBS)}{rnd.choice(THINGS)}专项工作", rnd.choice(UNITS)])
    return rows


def write_files(folder: Path) -> tuple[Path, Path, int]:
    from docx import Document

    lines = plan_lines()
    rows = schedule_rows()
    txt = folder / "plan60.txt"
    attachment = ["附件", "2025年重点工作配档表", *("\t".join(row) for row in rows)]
    txt.write_text("\n\n".join(lines) + "\n\n" + "\n".join(attachment) + "\n", encoding="utf-8")
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.add_paragraph("附件")
    doc.add_paragraph("2025年重点工作配档表")
    table = doc.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    docx = folder / "plan60.docx"
    doc.save(str(docx))
    return txt, docx, sum(len(x) for x in lines)


def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm up imports and caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def python_docx_text(path: Path) -> list[str]:
    from docx import Document

    return [p.text for p in Document(str(path)).paragraphs]


def _pdf_of(docx: Path) -> Path | None:
    """The .docx printed to PDF by LibreOffice, or None where LibreOffice is not installed."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("(LibreOffice not found: the PDF row is skipped)")
        return None
    profile = f"-env:UserInstallation={(docx.parent / 'lo-profile').as_uri()}"
    subprocess.run([soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
                   check=True, capture_output=True, timeout=300)
    return docx.with_suffix(".pdf")


def task_table_xlsx(folder: Path, rows: int = 300, seed: int = 7) -> Path:
    """A 重点任务分解表 as offices send it: a merged title row, a note, the header on row 4, a merged
    section row every 30 tasks, multi-line measure cells, owners joined by 、 and line breaks."""
    import xlsxwriter

    rnd = random.Random(seed)
    path = folder / "分解表300.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("任务分解")
    wrap = workbook.add_format({"text_wrap": True})
    sheet.merge_range(0, 0, 0, 5, "东湖区教育局2026年重点工作任务分解表")
    sheet.merge_range(1, 0, 1, 5, "说明：完成时限为最迟时间。")
    sheet.write_row(3, 0, ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"])
    r = 4
    from workplan_xl.plan_document.numbering import int_to_cn

    for n in range(1, rows + 1):
        if n % 30 == 1:
            sheet.merge_range(r, 0, r, 5, f"{int_to_cn(n // 30 + 1)}、{rnd.choice(VERBS)}{rnd.choice(THINGS)}")
            r += 1
        measure = f"{rnd.choice(VERBS)}{rnd.choice(THINGS)}，新增{rnd.randint(2, 60)}所。\n{FILLER}。"
        sheet.write_row(r, 0, [n, f"{rnd.choice(VERBS)}{rnd.choice(THINGS)}", measure, rnd.choice(UNITS),
                               f"{rnd.choice(UNITS)}、\n{rnd.choice(UNITS)}", f"2026年{rnd.randint(1, 12)}月底前"], wrap)
        r += 1
    workbook.close()
    return path


def openpyxl_cells(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for _ in row)
    workbook.close()
    return count


def _doc_of(docx: Path) -> Path | None:
    """The .docx saved as Word 97–2003 (.doc) by LibreOffice (through .odt, which keeps the tables)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("(LibreOffice not found: the .doc row is skipped)")
        return None
    profile = f"-env:UserInstallation={(docx.parent / 'lo-profile').as_uri()}"
    for fmt, src in (("odt", docx), ("doc", docx.with_suffix(".odt"))):
        subprocess.run([soffice, profile, "--headless", "--convert-to", fmt, "--outdir", str(docx.parent), str(src)],
                       check=True, capture_output=True, timeout=300)
    return docx.with_suffix(".doc")


def pdfplumber_text(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        txt, docx, chars = write_files(Path(tmp))
        plan = read_plan(txt)
        tasks = sum(1 for _ in plan.tasks())
        docx_plan = read_plan(docx)
        print(f"plan: {chars:,} characters (~{chars / 1300:.0f} pages), {tasks} tasks, "
              f"{sum(1 for _ in plan.indicators())} indicators, 配档表 {len(plan.schedule)} rows "
              f"(.docx: {sum(1 for _ in docx_plan.tasks())} tasks, {len(docx_plan.schedule)} rows); "
              f"median of {args.runs} runs")
        t_txt = median_time(lambda: read_plan(txt), args.runs)
        t_docx = median_time(lambda: read_plan(docx), args.runs)
        t_naive = median_time(lambda: python_docx_text(docx), args.runs)
        print(f"read_plan .txt            {t_txt * 1000:8.1f} ms")
        print(f"read_plan .docx           {t_docx * 1000:8.1f} ms")
        print(f"python-docx text only     {t_naive * 1000:8.1f} ms   (no outline; read_plan .docx / this = "
              f"{t_docx / t_naive:.2f}×)")
        pdf = _pdf_of(docx)
        t_pdf = 0.0
        if pdf is not None:
            t_pdf = median_time(lambda: read_plan(pdf), args.runs)
            t_plumber = median_time(lambda: pdfplumber_text(pdf), max(1, args.runs // 3))
            print(f"read_plan .pdf            {t_pdf * 1000:8.1f} ms   (PDF made by LibreOffice)")
            print(f"pdfplumber text only      {t_plumber * 1000:8.1f} ms   (no outline; read_plan .pdf / this = "
                  f"{t_pdf / t_plumber:.2f}×)")
        xlsx = task_table_xlsx(Path(tmp))
        sheet_plan = read_plan(xlsx)
        t_xlsx = median_time(lambda: read_plan(xlsx), args.runs)
        t_openpyxl = median_time(lambda: openpyxl_cells(xlsx), args.runs)
        print(f"read_plan .xlsx           {t_xlsx * 1000:8.1f} ms   (300-row task table: "
              f"{sum(1 for _ in sheet_plan.tasks())} tasks in {sum(1 for _ in sheet_plan.sections())} sections; "
              f"reader in a child process)")
        print(f"openpyxl cells only       {t_openpyxl * 1000:8.1f} ms   (no tasks; read_plan .xlsx / this = "
              f"{t_xlsx / t_openpyxl:.2f}×)")
        doc = _doc_of(docx)
        if doc is not None:
            doc_plan = read_plan(doc)
            t_doc = median_time(lambda: read_plan(doc), max(1, args.runs // 3))
            print(f"read_plan .doc            {t_doc * 1000:8.1f} ms   (60 pages, LibreOffice conversion included: "
                  f"{sum(1 for _ in doc_plan.tasks())} tasks, {len(doc_plan.schedule)} 配档表 rows)")
        print("target < 1000 ms:", "met" if max(t_txt, t_docx, t_pdf, t_xlsx) < 1.0 else "NOT met",
              "(.txt .docx .pdf .xlsx)")


if __name__ == "__main__":
    main()
