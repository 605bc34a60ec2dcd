"""Render page 1 of a sample 工作总结 and of a 督办单 to PNG for the README (re-runnable).

    python docs/render_report_samples.py      # writes docs/report-page1.png and docs/notice-page1.png

The sample year is the one the tests use (tests/report_data.py: a made-up county plan). Needs
LibreOffice (soffice) and pdftoppm. Machines without the GB fonts (仿宋_GB2312, 方正小标宋简体 …) get a
fontconfig alias to the nearest Noto CJK face for the picture only; the .docx keeps the GB names.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent / "tests"))

from report_data import sample_progress  # noqa: E402

from workplan_xl.notices import write_notices  # noqa: E402
from workplan_xl.word_report import write_report  # noqa: E402

DPI = 70
# GB font → a face a Linux machine usually has (serif for 仿宋/楷体/宋体/小标宋, sans for 黑体)
ALIASES = {"仿宋_GB2312": "Noto Serif CJK SC", "楷体_GB2312": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC",
           "方正小标宋简体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}


def _fontconfig(folder: Path) -> dict[str, str]:
    aliases = "".join(f"<alias binding=\"same\"><family>{gb}</family><prefer><family>{face}</family></prefer></alias>"
                      for gb, face in ALIASES.items())
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>{aliases}</fontconfig>",
                    encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        print("需要 LibreOffice（soffice）和 pdftoppm 才能生成图片。", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="wpx-report-images-") as tmp:
        work = Path(tmp)
        progress = sample_progress()
        report = write_report(progress, work / "report.docx", day=date(2024, 12, 5))
        notices = write_notices(progress, work / "notices", date(2024, 9, 30))
        notice = work / "notice.docx"
        shutil.copyfile(next(p for p in notices if p.name.startswith("督办单_10")), notice)
        subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(work), str(report), str(notice)],
                       check=True, capture_output=True, timeout=300, env=_fontconfig(work))
        for stem, picture in (("report", "report-page1.png"), ("notice", "notice-page1.png")):
            subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile",
                            str(work / f"{stem}.pdf"), str(work / stem)], check=True)
            shutil.copyfile(work / f"{stem}.png", DOCS / picture)
            print(f"{DOCS / picture}  {(DOCS / picture).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
