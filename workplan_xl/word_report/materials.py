"""The 素材汇编 beside the 工作总结: per plan section and task, every unit's own words (进展情况, 主要成效,
存在问题, 下一步打算), attributed, for the officer who wants to quote a school or check what the summary
merged. A separate file, so the 工作总结 stays the length of a 工作总结 however many units there are."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workplan_xl.gongwen import Block, Text, heading_number, para, save_document
from workplan_xl.progress import Progress
from workplan_xl.word_report.compose import report_title, report_year, tracked_sections
from workplan_xl.word_report.template import fill_template, open_template

LABELS = (("progress", "进展情况"), ("achievements", "主要成效"), ("difficulties", "存在问题"),
          ("next_steps", "下一步打算"))


def materials_path(report: Path) -> Path:
    """2025年工作总结.docx → 2025年工作总结_素材汇编.docx."""
    return report.with_name(f"{report.stem}_素材汇编{report.suffix}")


def material_blocks(progress: Progress) -> list[Block]:
    """Sections as 一、, tasks as （一）, then one paragraph per unit that wrote something."""
    blocks: list[Block] = [para("body", "本汇编按工作要点的任务顺序，逐单位列出填报表中“进展情况”“主要成效”“存在问题”"
                                        "“下一步打算”的原文，供撰写、修改工作总结时查对和引用。")]
    for n, (section, tps) in enumerate(tracked_sections(progress), start=1):
        blocks.append(para("h1", heading_number(1, n) + (section.title or section.text[:20]).rstrip("。")))
        for k, tp in enumerate(tps, start=1):
            by_unit: dict[str, dict[str, str]] = {}
            for unit, text in tp.progress_notes:
                by_unit.setdefault(unit, {})["progress"] = text
            for field, pairs in tp.texts.items():
                for unit, text in pairs:
                    by_unit.setdefault(unit, {})[field] = text
            title = (tp.task.title or tp.task.text[:30]).rstrip("。")
            blocks.append(para("body", Text(f"{heading_number(2, k)}{title}", role="h2"),
                               "" if by_unit else "（暂无单位填写文字内容）"))
            for unit, fields in by_unit.items():
                said = "；".join(f"{label}：{fields[name].rstrip('。；;')}" for name, label in LABELS if name in fields)
                blocks.append(para("body", Text(f"{unit}：", role="h2"), said + "。"))
    return blocks


def write_materials(progress: Progress, path: Path, day: date | None = None,
                    moved: list[Path] | None = None) -> Path:
    """Write the 素材汇编 (the shipped 公文 template, no 落款) to ``path``."""
    day = day or date.today()
    title = f"{report_title(progress.plan)}素材汇编"
    doc = open_template(None)
    values = {"标题": title, "年度": str(report_year(progress.plan, day)), "单位": progress.plan.issuer, "日期": ""}
    fill_template(doc, values, material_blocks(progress), [], [])
    return save_document(doc, Path(path), day=day, title=title, author=progress.plan.issuer, moved=moved)


__all__ = ["material_blocks", "materials_path", "write_materials"]
