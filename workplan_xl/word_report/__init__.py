"""The year-end 工作总结 (.docx, GB/T 9704): ``make_report`` for the CLI, ``write_report`` for a Progress.

compose.py decides what the report says (from the Progress alone); template.py puts it into the
shipped template or a user's own letterhead; gongwen.py does the 公文 layout.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from workplan_xl.gongwen import format_date, parse_date, save_document
from workplan_xl.ledger_place import require_ledger, returns_folders
from workplan_xl.outputs import Inputs, check_output
from workplan_xl.progress import Progress, counts_sentence
from workplan_xl.word_report.compose import (
    pick_notes,
    report_figures,
    report_title,
    report_year,
    summary_heading,
)
from workplan_xl.word_report.materials import materials_path, write_materials
from workplan_xl.word_report.summary import NEXT_STEPS, compose_report
from workplan_xl.word_report.template import (
    DEFAULT_TEMPLATE,
    build_default_template,
    fill_template,
    open_template,
    placeholders,
)


def write_report(progress: Progress, path: Path, template: Path | None = None, day: date | None = None,
                 moved: list[Path] | None = None) -> Path:
    """Write the 工作总结 for ``progress`` to ``path`` (an existing file is moved into 备份/ beside it, and
    where it went appended to ``moved``).

    ``template``: a user's .docx with {{标题}} and {{正文}} (optional {{年度}} {{单位}} {{日期}}); when it
    has {{日期}} the template's own 落款 is used instead of the generated one. ``day``: 成文日期
    (default today; pass it for reproducible output).
    """
    day = day or date.today()
    doc = open_template(template)
    has_date = any(name == "日期" for _, name in placeholders(doc))
    content = compose_report(progress, day, closing=not has_date)
    values = {"标题": content.title, "年度": str(content.year), "单位": content.issuer, "日期": format_date(day)}
    fill_template(doc, values, content.body, content.closing, content.appendix)
    return save_document(doc, Path(path), day=day, title=content.title, author=content.issuer, moved=moved)


def make_report(master: Path, output: Path | None = None, db: Path | None = None, round: str | None = None,
                template: Path | None = None, day: str | date | None = None,
                echo: Callable[[str], object] | None = None) -> Path:
    """wpx report: 台账.xlsx + its ledger → <年度>年工作总结.docx beside the master workbook; ``day`` is
    the 成文日期 (2025-12-20 or 2025年12月20日; default today). ``echo`` is told where an older copy went."""
    from workplan_xl.ledger_state import read_progress
    from workplan_xl.master_workbook import read_master_workbook

    day = parse_date(day)
    master = Path(master)
    db = Path(db) if db else master.with_suffix(".db")
    inputs = Inputs(master=master, ledger=db, others={"模板": Path(template)} if template else {},
                    collected=returns_folders(master, db))
    if output is not None:
        check_output(Path(output), "document", "工作总结", inputs)
        check_output(materials_path(Path(output)), "document", "素材汇编", inputs)
    plan = read_master_workbook(master)
    progress = read_progress(plan, require_ledger(master, db), round, year_end=True)  # year-end unless named
    if output is None:
        output = master.parent / f"{report_year(plan, day)}年工作总结.docx"
    moved: list[Path] = []
    path = write_report(progress, Path(output), template=template, day=day, moved=moved)
    if moved and echo is not None:
        echo(f"原工作总结已移到：{moved[0]}")
    # every unit's own words, beside the report (its own file: it grows with the roster)
    moved = []
    materials = write_materials(progress, materials_path(Path(output)), day=day, moved=moved)
    if echo is not None:
        if moved:
            echo(f"原素材汇编已移到：{moved[0]}")
        echo(f"已写入素材汇编：{materials}")
    if echo is not None:
        echo(f"工作总结依据批次「{progress.round or '未分批次'}」的回表（{counts_sentence(progress.units)}）。")
    return path


__all__ = ["DEFAULT_TEMPLATE", "NEXT_STEPS", "build_default_template", "compose_report", "make_report",
           "pick_notes", "report_figures", "report_title", "report_year", "summary_heading", "write_materials", "write_report"]
