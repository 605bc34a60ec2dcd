"""Blocks → Plan: clean, take the 配档表 out, read the metadata, build the outline, fill in the facts
of every task (measures, indicators, months, deadline, owners), give ids, bring an attached task table
and the goal sections' figures to the tasks (enrich.py) and link the schedule.

Limits that keep hostile or mistaken input cheap: more than MAX_TASKS tasks (or twice as many
numbered paragraphs) is refused as no plan, and facts are read from the first MAX_SPAN characters
of a task (a document that lost its paragraphs), with a warning."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from workplan_xl.errors import InputFileError, PlanStructureError, WorkplanError
from workplan_xl.plan import Part, Plan, Section, Task
from workplan_xl.plan_document.cleaning import META_LABELS, is_chrome, join_broken, normalise_line
from workplan_xl.plan_document.coverage import measure_coverage
from workplan_xl.plan_document.enrich import apply_attached_rows, track_goals
from workplan_xl.plan_document.metadata import content_range, read_metadata, year_of
from workplan_xl.plan_document.numbering import cn_to_int, int_to_cn, numbered, plain
from workplan_xl.plan_document.outline import Outline, build_outline
from workplan_xl.plan_document.titles import kind_of, split_title

_HANZI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_TABLE = "\x00table:"
MAX_SPAN = 20000  # characters of one task read for facts
MAX_TASKS = 5000  # a year's plan has tens to a few hundred tasks; beyond this it is not a plan


def _lines_and_tables(blocks: list[Any]) -> tuple[list[str], list[Any], list[bool]]:
    """Normalised non-empty lines (a table kept as a placeholder line naming its index), and per line
    whether it continues the line before: a PDF line with no paragraph gap before it."""
    lines: list[str] = []
    tables: list[Any] = []
    flows: list[bool] = []
    gap = True
    for block in blocks:
        if getattr(block, "kind", "p") == "table" and (fields := _metadata_fields(block)):
            lines += fields  # a web page's metadata table (索引号, 发布机构, 文号 …): its fields as lines
            flows += [False] * len(fields)
            gap = True
            continue
        if getattr(block, "kind", "p") == "table":
            lines.append(f"{_TABLE}{len(tables)}")
            tables.append(block)
            flows.append(False)
            gap = True
            continue
        pdf = getattr(block, "page", None) is not None
        for raw in str(getattr(block, "text", "") or "").split("\n"):
            line = normalise_line(raw)
            if line:
                lines.append(line)
                flows.append(pdf and not gap)
            gap = not line
    return lines, tables, flows


def _metadata_fields(table: Any) -> list[str]:
    """'发布机构：X' lines of a table whose label cells are metadata labels, [] for other tables."""
    labels = {label.replace(" ", "") for label in META_LABELS}
    out: list[str] = []
    for row in getattr(table, "rows", None) or []:
        cells = [normalise_line(str(c)).replace(" ", "") for c in row]
        for k, cell in enumerate(cells):
            label = cell.rstrip(":：")
            if label in labels and k + 1 < len(cells) and cells[k + 1] and cells[k + 1].rstrip(":：") not in labels:
                out.append(f"{label}：{normalise_line(str(row[k + 1]))}")
    return out if len(out) >= 2 else []


def _content(lines: list[str], tables: list[Any], flows: list[bool]) -> list[Any]:
    """The plan's own paragraphs (chrome and notice letter out, split paragraphs joined), tables
    between them as the table blocks themselves."""
    kept = [(ln, f) for ln, f in zip(lines, flows, strict=True) if ln.startswith(_TABLE) or not is_chrome(plain(ln))]
    start, end = content_range([plain(ln) for ln, _ in kept])
    items: list[Any] = []
    run: list[tuple[str, bool]] = []

    def flush() -> None:
        items.extend(join_broken([ln for ln, _ in run], [f for _, f in run]))
        run.clear()

    for line, flow in kept[start:end]:
        if line.startswith(_TABLE):
            flush()
            items.append(tables[int(line[len(_TABLE):])])
        else:
            run.append((line, flow))
    flush()
    return items


def _fill(plan: Plan, outline: Outline) -> None:
    """Ids in document order and the facts of each task."""
    from workplan_xl.plan_document.facts import (
        find_deadline,
        find_indicators,
        find_months,
        find_owners,
        split_measures,
    )

    s = t = i = 0
    for part in plan.parts:
        for section in part.sections:
            s += 1
            section.id = f"S{s:02d}"
            for task in section.tasks:
                t += 1
                task.id = f"T{t:03d}"
                span = outline.spans.get(id(task), "。".join(x for x in (task.title, task.text) if x))
                if len(span) > MAX_SPAN:
                    # a "task" this long is a document that lost its paragraphs (one line, no numbering)
                    plan.warnings.append(f"任务 {task.id}（{task.title[:16]}）的正文超过{MAX_SPAN // 10000}万字，只从前"
                                         f"{MAX_SPAN // 10000}万字中识别指标、月份和责任单位：请检查文档的段落和编号是否完整。")
                    span = span[:MAX_SPAN]
                year = part.year or plan.year
                task.measures = list(split_measures(task.text))
                task.indicators = list(find_indicators(span, part.kind))
                for indicator in task.indicators:
                    i += 1
                    indicator.id = f"I{i:03d}"
                    indicator.task = task.id
                months = set(find_months(span)) | set(outline.months.get(id(task), []))
                task.months = sorted(m for m in months if 1 <= m <= 12)
                if not task.deadline:
                    task.deadline = find_deadline(span, year) or ""
                lead, partners = find_owners(span)
                task.owners = task.owners or list(lead)
                task.partners = task.partners or list(partners)


def _link_schedule(plan: Plan, entries: list[Any]) -> None:
    from workplan_xl.plan_document.schedule import link_schedule

    if not entries:
        return

    part = plan.plan_part()
    tasks: list[Task] = [t for s in part.sections for t in s.tasks] if part else []
    linked = link_schedule(entries, tasks)
    plan.schedule = list(linked) if linked is not None else list(entries)


def parse_blocks(blocks: list[Any], source_name: str = "", sha256: str = "") -> Plan:
    """A Plan from reader blocks (Block("p", text) and Block("table", rows=…)).

    Raises PlanStructureError when the text holds no numbered sections or tasks.
    """
    from workplan_xl.plan_document.facts import tasks_from_table

    name = source_name or "文档"
    heads = sum(1 for b in blocks if getattr(b, "kind", "p") == "p" and numbered(str(getattr(b, "text", "") or "")))
    if heads > 2 * MAX_TASKS:  # refuse before the costly steps: a data dump, not a plan
        raise PlanStructureError(
            f"「{name}」中有 {heads} 个带编号的段落，远超一份工作计划的规模（上限 {MAX_TASKS} 项任务）："
            "请确认选对了文件；确是计划的，请按部分拆成几个文件分别读取。")
    entries, remaining = _extract_schedule(list(blocks))
    lines, tables, flows = _lines_and_tables(remaining)
    meta = read_metadata([plain(ln) for ln in lines if not ln.startswith(_TABLE)])
    items = _content(lines, tables, flows)

    title = meta.title or meta.notice_name
    year = year_of(title) or (int(meta.issued[:4]) if meta.issued else None)
    outline = build_outline(items, title=title, year=year, read_table=tasks_from_table)
    monthly = _monthly_section(outline, entries, title, year)
    _drop_blank(outline)
    if not any(section.tasks for part in outline.parts for section in part.sections):
        if any(getattr(b, "kind", "p") == "table" for b in blocks):
            raise PlanStructureError(
                f"「{name}」中找不到工作任务：没有带编号的条目（如“一、”“（一）”“1.”），其中的表格也不是任务表"
                "（表头应有“重点任务”“牵头单位”“完成时限”等列）：请确认这是工作要点、工作计划或任务分解表。")
        raise PlanStructureError(
            f"「{name}」中找不到带编号的工作任务（如“一、”“（一）”“1.”）：请确认这是工作要点或工作计划。")
    count = sum(len(section.tasks) for part in outline.parts for section in part.sections)
    found = [t for part in outline.parts for section in part.sections for t in section.tasks]
    if not any(_HANZI.search(f"{t.title}{t.text}") for t in found):  # a manual's numbered list, a reference list
        example = next((t.title for t in found if t.title.strip()), "")[:30]
        raise PlanStructureError(
            f"「{name}」中找到的 {count} 个条目都不含中文（如“{example}”），不像工作要点或工作计划：请确认选对了文件。")
    if count > MAX_TASKS:
        raise PlanStructureError(
            f"「{name}」中识别出 {count} 项任务，远超一份工作计划的规模（上限 {MAX_TASKS} 项）："
            "请确认选对了文件；确是计划的，请按部分拆成几个文件分别读取。")

    parts: list[Part] = outline.parts
    if len(parts) > 1:
        # the document's own title line heads its parts ("某校2026年工作计划" over 第一部分, 第二部分);
        # a notice that only carries its parts is named by them ("2020年工作总结 2021年工作要点")
        own = meta.title and all(p.title != meta.title for p in parts)
        title = meta.title if own else " ".join(p.title for p in parts if p.title) or title
    elif parts and parts[0].title:
        # a title set on two lines ("某某区教育局" / "2025年工作要点") is whole in the metadata
        title = meta.title if meta.title.endswith(parts[0].title) else parts[0].title
        parts[0].title = title
    plan_parts = [p for p in parts if p.kind == "plan"] or parts
    plan_year = plan_parts[-1].year if plan_parts else None
    plan = Plan(title=title, year=plan_year or year_of(title) or year, issuer=meta.issuer,
                doc_number=meta.doc_number, issued=meta.issued,
                source={"file": source_name, "sha256": sha256}, parts=parts,
                warnings=list(outline.warnings))
    for part in parts:
        part.year = part.year or plan.year
        if not part.kind:
            part.kind = kind_of(part.title)
    _fill(plan, outline)
    apply_attached_rows(plan, outline.attached)
    measure_coverage(plan, items)
    track_goals(plan)
    if monthly is None:
        _link_schedule(plan, entries)
    else:
        for entry, task in zip(entries, monthly.tasks, strict=True):
            entry.task = task.id
        plan.schedule = list(entries)
    return plan


def _drop_blank(outline: Outline) -> None:
    """A task with neither title nor text is no task (an empty table row, a heading that lost its
    words); a section left with nothing and no title goes too."""
    for part in outline.parts:
        for section in part.sections:
            section.tasks = [t for t in section.tasks if t.title.strip() or t.text.strip()]
        part.sections = [s for s in part.sections if s.tasks or s.title.strip() or s.text.strip()]


def _extract_schedule(blocks: list[Any]) -> tuple[list[Any], list[Any]]:
    """The 配档表 taken out of the blocks, read on their plain text (without the readers' heading
    marks); the blocks that stay keep their marks."""
    from workplan_xl.plan_document.readers.blocks import Block
    from workplan_xl.plan_document.schedule import extract_schedule

    views: list[Any] = []
    originals: dict[int, Any] = {}
    for block in blocks:
        text = str(getattr(block, "text", "") or "")
        if getattr(block, "kind", "p") == "p" and plain(text) != text:
            view = Block("p", plain(text), page=getattr(block, "page", None))
            originals[id(view)] = block
            views.append(view)
        else:
            views.append(block)
    entries, remaining = extract_schedule(views)
    return entries, [originals.get(id(b), b) for b in remaining]


def _monthly_section(outline: Outline, entries: list[Any], title: str, year: int | None) -> Section | None:
    """A plan whose work is all in a month-by-month list (a kindergarten's 逐月工作安排) gets one task
    per month item, so the 台账 has rows; the schedule entries point at them."""
    from workplan_xl.plan_document.schedule import is_schedule_heading

    if not entries:
        return None
    part = next((p for p in reversed(outline.parts) if p.kind == "plan"), None)
    if part is None and outline.parts:
        return None
    # '三、具体工作安排' with the month list under it (taken out as the schedule): an empty section
    heading = next((s for s in part.sections if _bare(s) and is_schedule_heading(s.title)), None) if part else None
    if part is not None and any(s.tasks for s in part.sections if s is not heading):
        if heading is not None:
            part.sections.remove(heading)  # the month list is the 配档表 of the tasks above
        return None
    if part is None:
        part = Part(kind=kind_of(title), title=title, year=year)
        outline.parts.append(part)
    if heading is not None:
        section = heading
        section.tasks = []
        for entry in entries:
            _month_task(outline, section, entry)
        return section
    last = part.sections[-1].numeral if part.sections else ""
    value = cn_to_int(last) if last and not last.isdigit() else (int(last) if last.isdigit() else 0)
    numeral = (str(value + 1) if last.isdigit() else int_to_cn((value or 0) + 1)) if value is not None else ""
    section = Section(id="", numeral=numeral, title="逐月工作安排")
    for entry in entries:
        _month_task(outline, section, entry)
    part.sections.append(section)
    return section


def _bare(section: Section) -> bool:
    """A heading with nothing under it: one task that is the heading itself, no text."""
    return (not section.context and not section.text and len(section.tasks) == 1
            and section.tasks[0].title == section.title and not section.tasks[0].text)


def _month_task(outline: Outline, section: Section, entry: Any) -> None:
    when = f"{entry.month}月" if entry.month else (entry.period or "")
    lead, body = split_title(entry.text)
    task = Task(id="", number=when, title=lead, text=entry.text if body else "", owners=list(entry.owners))
    outline.spans[id(task)] = entry.text
    if entry.month:
        outline.months[id(task)] = [entry.month]
    section.tasks.append(task)


def read_plan(path: Path, encoding: str | None = None) -> Plan:
    """Read a plan document (.docx .pdf .html .txt .md) or a Plan JSON. A 台账 written by wpx is
    master_workbook's to read (master_workbook.load_plan recognises it first, then calls this).

    Raises InputFileError for files that cannot be read and PlanStructureError for documents
    without numbered sections or tasks.
    """
    import warnings

    from workplan_xl.plan_document.readers import ReaderWarning, read_blocks, sniff

    path = Path(path)
    kind = sniff(path)
    if kind == "json":
        return _read_json(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            blocks = read_blocks(path, encoding=encoding)
        except WorkplanError:
            raise
        except Exception as exc:  # noqa: BLE001 - a hostile file must end in a sentence, not a traceback
            raise InputFileError(
                f"「{path.name}」的内容结构异常，无法读取："
                "请在 Word/WPS 中打开并另存一份后再试，或改用 .txt 文件。") from exc
    digest = hashlib.sha256()
    with open(path, "rb") as handle:  # in pieces: a plan file may be a 300 MB PDF
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    sha256 = digest.hexdigest()
    try:
        plan = parse_blocks(blocks, source_name=path.name, sha256=sha256)
    except PlanStructureError as error:
        if kind in ("xlsx", "xls", "sheetxml") or (kind == "text" and path.suffix.lower() in (".csv", ".tsv")):
            raise PlanStructureError(
                f"「{path.name}」中找不到任务表（表头应有“重点任务”或“工作任务”一列，以及“牵头单位”“完成时限”等列）："
                "请确认这是任务分解表或工作计划。") from error
        raise
    # what the reader noticed (a lossy decode, a page without text) goes into the plan's warnings
    plan.warnings[:0] = [str(w.message) for w in caught if issubclass(w.category, ReaderWarning)]
    for w in caught:
        if not issubclass(w.category, ReaderWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return plan


def _read_json(path: Path) -> Plan:
    try:
        return Plan.from_json(path.read_text(encoding="utf-8-sig"))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise InputFileError(
            f"「{path.name}」不是 workplan_xl 的 Plan JSON（应含 \"schema\": \"workplan-xl/plan@1\"）："
            "请给出 wpx parse --json 生成的文件，或工作要点文档本身。") from None
