"""Remake the README's pictures: run the demo in a temporary folder, print its artefacts to PDF with
LibreOffice and turn one page of each into a PNG with pdftoppm.

    python docs/make_images.py            # writes docs/demo-*.png

Needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext, pdfinfo). Sheets are cut to the
top of their first page at 100-110 dpi so the text can be read, the report page is whole at 70 dpi;
each picture stays well under 300 KB.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from workplan_xl.demo import run_demo

DOCS = Path(__file__).resolve().parent
# picture name → (artefact, a text the wanted page shows, dpi, share of the page height kept from the top)
PICTURES = {
    "demo-master.png": ("master", "工作要点任务清单", 110, 0.55),
    "demo-form.png": ("form", "填报表（任务进展）", 110, 0.45),
    "demo-consolidated.png": ("consolidated", "回表报送情况", 100, 0.62),
    "demo-report.png": ("report", "工作总结", 70, 1.0),
}


def _page_with(pdf: Path, needle: str) -> int:
    """The first page whose text holds ``needle`` (1 when none does)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    for number, page in enumerate(text.split("\f"), start=1):
        if needle in page.replace(" ", ""):
            return number
    return 1


def _page_size(pdf: Path, page: int) -> tuple[float, float]:
    """Width and height of one page in points (pdfinfo: "Page size: 841.89 x 595.28 pts")."""
    info = subprocess.run(["pdfinfo", "-f", str(page), "-l", str(page), str(pdf)], check=True,
                          capture_output=True, text=True).stdout
    size = re.search(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)", info) or re.search(
        r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    return (float(size[1]), float(size[2])) if size else (595.0, 842.0)


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        print("需要 LibreOffice（soffice）和 poppler-utils（pdftoppm）才能生成图片。", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="wpx-images-") as tmp:
        work = Path(tmp)
        result = run_demo(work / "demo", echo=lambda _line: None, soffice=soffice)
        form = next(p for p in result.forms if "中学" in p.name)  # a school's form shows tasks and indicators
        artefacts = {"master": result.master, "form": form, "consolidated": result.consolidated,
                     "report": result.report}
        # Copy to ASCII names first: one LibreOffice call for all, and no two outputs share a stem.
        pdfdir = work / "pdf"
        pdfdir.mkdir()
        sources = []
        for key, path in artefacts.items():
            sources.append(pdfdir / f"{key}{path.suffix}")
            shutil.copyfile(path, sources[-1])
        subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(pdfdir), *map(str, sources)],
                       check=True, capture_output=True, timeout=300)
        for picture, (key, needle, dpi, keep) in PICTURES.items():
            pdf = pdfdir / f"{key}.pdf"
            page = _page_with(pdf, needle)
            width, height = _page_size(pdf, page)
            stem = work / picture.removesuffix(".png")
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                            "-x", "0", "-y", "0", "-W", str(round(width / 72 * dpi)),
                            "-H", str(round(height / 72 * dpi * keep)), "-singlefile", str(pdf), str(stem)],
                           check=True)
            shutil.copyfile(stem.with_suffix(".png"), DOCS / picture)
            size = (DOCS / picture).stat().st_size
            print(f"{DOCS / picture}  第 {page} 页  {size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
