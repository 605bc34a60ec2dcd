"""How long the plan readers take on a 60-page plan, against the obvious alternatives, side by side.

    python benchmarks/readers.py

Builds a 60-page plan (numbered headings and measures, two tables) as .docx, converts it to PDF with
LibreOffice when installed, and writes the same text as .txt and .html. Each reader runs 5 times; the
best CPU time is printed with the ratio to python-docx's paragraph.text / pdfplumber's extract_text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx
import pdfplumber

from workplan_xl.plan_document.readers import read_blocks

BODY = "围绕课后服务质量提升，统筹安排校内资源，完善监督考核机制，确保各项举措落到实处，2031年底前覆盖率达到95%以上。"


def best(fn, runs: int = 5) -> float:
    """Best CPU time of ``runs`` calls: steadier than wall time on a shared machine."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def build(folder: Path) -> Path:
    document = docx.Document()
    lines = []
    for i in range(1, 13):  # 12 parts × 12 measures of ~400 characters: about 60 pages
        heading = f"{'一二三四五六七八九十'[i - 1] if i <= 10 else '十' + '一二'[i - 11]}、第{i}部分重点工作"
        document.add_paragraph(heading)
        lines.append(heading)
        for j in range(1, 13):
            text = f"{j}.推进第{j}项措施。" + BODY * 10
            document.add_paragraph(text)
            lines.append(text)
        if i in (6, 12):
            table = document.add_table(rows=13, cols=3)
            table.style = "Table Grid"
            for r in range(13):
                for c, value in enumerate((f"{r}月", "开展专项督导检查，形成问题清单", "督导室")):
                    table.cell(r, c).text = value
    path = folder / "plan.docx"
    document.save(path)
    (folder / "plan.txt").write_text("\n\n".join(lines), encoding="utf-8")
    html = "".join(f"<p>{line}</p>" for line in lines)
    (folder / "plan.html").write_text(f'<html><head><meta charset="utf-8"></head><body>{html}</body></html>',
                                      encoding="utf-8")
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = build(folder)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        pdf = folder / "plan.pdf"
        if soffice:
            subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'lo'}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                           check=True, capture_output=True, timeout=180)
            with pdfplumber.open(pdf) as doc:
                print(f"PDF pages: {len(doc.pages)}")

        def python_docx() -> None:
            d = docx.Document(str(source))
            [p.text for p in d.paragraphs]
            [[c.text for c in row.cells] for t in d.tables for row in t.rows]

        def plain_pdf() -> None:
            with pdfplumber.open(pdf) as doc:
                [page.extract_text() for page in doc.pages]

        rows = [("docx", "read_blocks", lambda: read_blocks(source), "python-docx .text", python_docx)]
        if soffice:
            rows.append(("pdf", "read_blocks", lambda: read_blocks(pdf), "pdfplumber extract_text", plain_pdf))
        for name in ("txt", "html"):
            path = folder / f"plan.{name}"
            rows.append((name, "read_blocks", lambda path=path: read_blocks(path), "", None))
        print(f"{'kind':6} {'ours (CPU)':>10} {'alternative':>26} {'ratio':>7}")
        for kind, _, ours, alt_name, alt in rows:
            t_ours = best(ours)
            if alt is None:
                print(f"{kind:6} {t_ours * 1000:8.1f}ms")
                continue
            t_alt = best(alt)
            print(f"{kind:6} {t_ours * 1000:8.1f}ms {alt_name:>19} {t_alt * 1000:5.0f}ms {t_ours / t_alt:6.2f}x")
        blocks = read_blocks(source)
        print(f"docx blocks: {len(blocks)} ({sum(b.kind == 'table' for b in blocks)} tables)")


if __name__ == "__main__":
    sys.exit(main())
