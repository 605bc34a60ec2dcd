"""督办单 (one per unit with tasks behind schedule) and the 通报 on reporting and progress, in the same
GB/T 9704 layout as the 工作总结.

A task is behind for a unit on ``as_of`` when its completion date (the task's 完成时限, else the last
配档表 month linked to it, else the year's end) has passed and the unit has not reported it 已完成 or
不适用 — not reporting at all counts as not done — or when its first 配档表 month is over and the unit
still reports 未启动 (or nothing).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from workplan_xl.cjk import safe_file_name
from workplan_xl.errors import OutputError
from workplan_xl.gongwen import (
    Block,
    Table,
    break_title,
    format_date,
    heading_number,
    new_document,
    para,
    parse_date,
    save_document,
    signature,
    write_blocks,
)
from workplan_xl.ledger_place import require_ledger, returns_folders
from workplan_xl.outputs import Inputs, check_folder
from workplan_xl.plan import Plan, Task, Unit
from workplan_xl.progress import MISSING, PARTIAL, PROBLEM, REPORTED, Progress, TaskProgress, counts_sentence
from workplan_xl.word_report.compose import plan_name, summary_heading, tracked_sections, trim_note

DONE = ("已完成", "不适用")
FEEDBACK_DAYS = 7


def parse_as_of(text: str | date | None) -> date:
    """--as-of: 2024-09-30, 2024/9/30, 2024.9.30, 2024年9月30日; None → today."""
    return parse_date(text, what="日期", example="2024-09-30")


# -- when a task is due ----------------------------------------------------------------------------------
def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def task_months(plan: Plan, task: Task) -> list[int]:
    """The 配档表 months linked to the task, and the months named in the task itself."""
    months = {e.month for e in plan.schedule if e.task == task.id and e.month}
    return sorted(months | {m for m in task.months if 1 <= m <= 12})


def due_date(plan: Plan, task: Task, year: int) -> date:
    """完成时限: the task's own deadline, else the end of its last scheduled month, else the year's end."""
    from workplan_xl.plan_document.facts import deadline_date

    if task.deadline and (when := deadline_date(task.deadline, year)) is not None:
        return when
    months = task_months(plan, task)
    return _month_end(year, months[-1]) if months else date(year, 12, 31)


def schedule_text(plan: Plan, task: Task, year: int) -> str:
    """原定时限 as the 督办单 prints it: 2024年10月31日前（完成时限“10月底前”，配档表6月、10月）."""
    months = task_months(plan, task)
    sources = ([f"完成时限“{task.deadline}”"] if task.deadline else []) + (
        [f"配档表{'、'.join(f'{m}月' for m in months)}"] if months else [])
    text = f"{format_date(due_date(plan, task, year))}前"
    return text + (f"（{'，'.join(sources)}）" if sources else "（全年任务）")


@dataclass
class Lag:
    """One task behind schedule for one unit."""

    progress: TaskProgress
    section: str  # the section's numeral and title, for 依据
    due: date
    status: str  # 推进中 / 未启动 / 未报送 / 未填报状态
    note: str
    reason: str


def find_lags(progress: Progress, as_of: date) -> dict[str, list[Lag]]:
    """unit code → its tasks behind schedule on ``as_of``, in plan order."""
    plan = progress.plan
    year = plan.year or as_of.year
    not_reporting = {u.unit.code for u in progress.missing}
    unusable = {u.unit.code for u in progress.unusable}
    lags: dict[str, list[Lag]] = {}
    for section, tps in tracked_sections(progress):
        label = f"{section.numeral}、{section.title}" if section.numeral else section.title
        for tp in tps:
            due = due_date(plan, tp.task, year)
            months = task_months(plan, tp.task)
            start_over = bool(months) and _month_end(year, months[0]) < as_of
            notes = dict(tp.progress_notes)
            for unit in tp.expected:
                status = tp.statuses.get(unit.code)
                if status in DONE:
                    continue
                if due < as_of:
                    reason = f"已过完成时限{format_date(due)}"
                elif start_over and status in (None, "未启动"):
                    reason = f"按配档表应于{months[0]}月启动"
                else:
                    continue
                shown = status or ("未报送" if unit.code in not_reporting else
                                   "报送的文件无法使用" if unit.code in unusable else "未填报完成状态")
                lags.setdefault(unit.code, []).append(
                    Lag(tp, label, due, shown, trim_note(notes.get(unit.name, "")), reason))
    return lags


def classify(progress: Progress, lags: dict[str, list[Lag]]) -> dict[str, str]:
    """task id → 已完成 / 滞后 / 按序时推进 on the as-of date."""
    behind = {lag.progress.task.id for unit_lags in lags.values() for lag in unit_lags}
    return {tp.task.id: "已完成" if tp.status == "已完成" else "滞后" if tp.task.id in behind else "按序时推进"
            for _, tps in tracked_sections(progress) for tp in tps}


def _units_sentence(progress: Progress) -> str:
    """应报送、已报送（其中部分填报）、文件无法使用、未报送: the four states of count_states, adding up."""
    n = progress.counts
    text = f"应报送单位{len(progress.units)}个，已报送{n[REPORTED] + n[PARTIAL]}个"
    if n[PARTIAL]:
        text += f"（其中部分填报{n[PARTIAL]}个）"
    if n[PROBLEM]:
        text += f"，报送的文件无法使用{n[PROBLEM]}个"
    return text + f"，未报送{n[MISSING]}个。"


# -- 督办单 -------------------------------------------------------------------------------------------------
def task_labels(plan: Plan) -> dict[str, str]:
    """task id → its full number and title as 督办单 and 通报 print them: 三（一）落实责任督学挂牌督导,
    二.3 开展专项督导, 六、加强自身建设 (a section that is its own task), never 六加强自身建设."""
    from workplan_xl.master_workbook.layout import composite_number

    labels = {}
    for section in plan.sections():
        for task in section.tasks:
            number = composite_number(section.numeral, task.number)
            title = (task.title or task.text[:30]).strip()
            if not number:
                labels[task.id] = title
            elif number.endswith(("）", ")")):
                labels[task.id] = number + title
            elif number == section.numeral.strip():
                labels[task.id] = f"{number}、{title}"
            else:
                labels[task.id] = f"{number} {title}"
    return labels


def _item_number(task: Task, k: int) -> str:
    digits = re.sub(r"[^0-9一二三四五六七八九十]", "", task.number)
    return digits or str(k)


def basis(source: str, lag: Lag, k: int) -> str:
    """依据, on one line: 《…工作要点》第二部分第3项 (the 督办事项 row above names the task in full)."""
    numeral = lag.section.split("、", 1)[0] if "、" in lag.section else ""
    task = lag.progress.task
    if not numeral:
        return f"{source}第{_item_number(task, k)}项"
    if task.number.strip() in ("", numeral):
        return f"{source}第{numeral}部分"
    return f"{source}第{numeral}部分第{_item_number(task, k)}项"


def _task_label(tp: TaskProgress, labels: dict[str, str]) -> str:
    return labels.get(tp.task.id) or (tp.task.title or tp.task.text[:30]).strip()


def _task_detail(task: Task) -> str:
    """The task's text without its title repeated: 落实整改复查。对…逐校复查 → 对…逐校复查."""
    text = task.text.strip()
    if task.title and text.startswith(task.title):
        text = text[len(task.title):].lstrip("。；;，,：: ")
    return trim_note(text, 120)


def notice_blocks(plan: Plan, unit: Unit, lags: list[Lag], number: str, as_of: date,
                  day: date | None = None) -> list[Block]:
    """One 督办单 and its 回执 (on a page of its own, to sign, stamp and send back); ``day`` is the
    成文日期 (default ``as_of``), the feedback deadline counts from it."""
    day = day or as_of
    issuer = plan.issuer or "督导部门"
    feedback = format_date(day + timedelta(days=FEEDBACK_DAYS))
    source = f"《{plan_name(plan) or '年度工作要点'}》"
    labels = task_labels(plan)
    # 编号 is the header row: repeated at the top of a page when the items run onto the next
    rows = [["承办单位", unit.name]]
    heights: dict[int, int] = {}
    for k, lag in enumerate(lags, start=1):
        task = lag.progress.task
        lead = "；".join(x for x in (f"牵头：{'、'.join(task.owners)}" if task.owners else "",
                                     f"配合：{'、'.join(task.partners)}" if task.partners else "") if x)
        state = f"{lag.status}，{lag.reason}。" + (f"单位报送：“{lag.note}”。" if lag.note else "")
        detail = _task_detail(task)
        label = f"督办事项{k}" if len(lags) > 1 else "督办事项"
        rows += [[label, _task_label(lag.progress, labels) + (f"：{detail}" if detail else "")],
                 ["依据", basis(source, lag, k)],
                 ["牵头/配合", lead or "—"],
                 ["原定时限", schedule_text(plan, task, plan.year or as_of.year)],
                 ["当前状态", state]]
    rows += [["督办要求", f"请对照{source}要求，认真分析滞后原因，明确整改措施、责任人和完成时间，加快推进；"
                      f"于{feedback}前填写回执，加盖公章后报送{issuer}。"],
             ["反馈时限", f"{feedback}前"]]
    receipt = [["督办编号", number], ["承办单位（盖章）", ""], ["负责人签字", ""], ["日期", "    年    月    日"],
               ["落实情况", ""]]
    return [
        para("title", "督办单"),
        Table(["编号", number], rows, [28, 128], ["center", "left"], label_column=True, heights=heights),
        *signature(issuer, day),
        para("title", "督办事项落实情况回执", page_break_before=True),
        Table([], receipt, [36, 120], ["center", "left"], label_column=True,
              heights={1: 850, 2: 850, 4: 5670}),
        para("plain", ""),
        para("body", f"请于{feedback}前将本回执加盖公章后报送{issuer}。"),
    ]


# -- 通报 -----------------------------------------------------------------------------------------------------
def bulletin_title(plan: Plan) -> str:
    return f"关于{plan_name(plan) or '年度工作要点'}推进情况的通报"


def bulletin_blocks(progress: Progress, lags: dict[str, list[Lag]], as_of: date,
                    day: date | None = None) -> list[Block]:
    day = day or as_of
    plan = progress.plan
    classes = classify(progress, lags)
    counts = {c: list(classes.values()).count(c) for c in ("已完成", "按序时推进", "滞后")}
    tally = {s: 0 for s in ("已完成", "推进中", "未启动", "不适用")}
    for _, tps in tracked_sections(progress):
        for tp in tps:
            for status, n in tp.counts.items():
                tally[status] = tally.get(status, 0) + n
    feedback = format_date(day + timedelta(days=FEEDBACK_DAYS))
    blocks: list[Block] = [
        para("title", break_title(bulletin_title(plan))),
        para("plain", "各有关单位："),
        para("body", f"为掌握《{plan_name(plan) or '年度工作要点'}》落实情况，现对截至{format_date(as_of)}各单位报送和"
                     "任务推进情况通报如下。"),
        para("h1", "一、总体情况"),
        para("body", f"{_units_sentence(progress)}"
                     f"{len(classes)}项重点任务中，已完成{counts['已完成']}项，按序时推进{counts['按序时推进']}项，"
                     f"滞后{counts['滞后']}项。各单位填报的任务事项中，"
                     + "、".join(f"{s}{n}项次" for s, n in tally.items()) + "。"),
        para("h1", "二、未报送单位"),
    ]
    missing = [u.unit.name for u in progress.missing]
    unusable = [u.unit.name for u in progress.unusable]
    text = f"截至{format_date(as_of)}，{'、'.join(missing)}共{len(missing)}个单位未报送，请抓紧补报。" if missing else ""
    if unusable:
        text += (f"{'、'.join(unusable)}共{len(unusable)}个单位报送的文件无法使用（损坏、空表或不是本次下发的填报表），"
                 "视同未报送，请重新报送。")
    blocks.append(para("body", text or "全部单位均已报送。"))
    blocks.append(para("h1", "三、滞后任务"))
    by_task: dict[str, list[str]] = {}
    reasons: dict[str, str] = {}
    names = {u.code: u.name for u in plan.units}
    for code, unit_lags in lags.items():
        for lag in unit_lags:
            by_task.setdefault(lag.progress.task.id, []).append(names.get(code, code))
            reasons.setdefault(lag.progress.task.id, lag.reason)
    lagging = [tp for _, tps in tracked_sections(progress) for tp in tps if tp.task.id in by_task]
    for k, tp in enumerate(lagging, start=1):
        units = by_task[tp.task.id]
        shown = "、".join(units[:8]) + ("等" if len(units) > 8 else "")
        due = due_date(plan, tp.task, plan.year or as_of.year)
        when = f"原定{format_date(due)}前完成" if due < as_of else reasons[tp.task.id]
        blocks.append(para("body", f"{heading_number(2, k)}{summary_heading(tp.task.title or tp.task.text[:20])}"
                                   f"（{when}）：{shown}{len(units)}个单位滞后。"))
    if not lagging:
        blocks.append(para("body", "各项任务均按序时推进，暂无滞后任务。"))
    blocks += [
        para("h1", "四、下一步要求"),
        para("body", f"1.未报送单位要于{feedback}前补报，逾期未报的将在下次通报中再次点名。"),
        para("body", "2.有滞后任务的单位要对照督办单认真分析原因，明确整改措施和完成时间，"
                     f"于{feedback}前将督办事项落实情况回执报送{plan.issuer or '督导部门'}。"),
        para("body", "3.各单位要对照配档表倒排工期、挂图作战，确保年度各项任务按时保质完成。"),
        *signature(plan.issuer, day),
    ]
    labels = task_labels(plan)
    rows = [[str(i), _task_label(tp, labels), format_date(due_date(plan, tp.task, plan.year or as_of.year)),
             classes[tp.task.id], str(len(by_task.get(tp.task.id, [])))]
            for i, tp in enumerate((tp for _, tps in tracked_sections(progress) for tp in tps), start=1)]
    blocks += [para("attach", "附表", page_break_before=True), para("title", "重点任务推进情况一览表"),
               Table(["序号", "任务", "完成时限", "推进情况", "滞后单位数"], rows, [10, 70, 30, 24, 22],
                     ["center", "left", "center", "center", "center"])]
    return blocks


# -- files ------------------------------------------------------------------------------------------------------
def write_notices(progress: Progress, folder: Path, as_of: date, day: date | None = None,
                  moved: list[Path] | None = None) -> list[Path]:
    """督办单_<代码>_<单位>.docx for each unit with tasks behind, then 关于…推进情况的通报.docx; ``day``
    is their 成文日期 (default ``as_of``). Older files of the same names go to <folder>/备份 (``moved``)."""
    day = day or as_of
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"文件夹「{folder}」无法创建（{error.strerror or error}）：请换一个保存位置。") from error
    plan = progress.plan
    lags = find_lags(progress, as_of)
    paths = []
    k = 0
    for unit in plan.units:
        if unit.code not in lags:
            continue
        k += 1
        number = f"督办〔{day.year}〕第{k}号"
        doc = new_document()
        write_blocks(doc, notice_blocks(plan, unit, lags[unit.code], number, as_of, day))
        name = safe_file_name(f"督办单_{unit.code}_{unit.name}") + ".docx"
        paths.append(save_document(doc, folder / name, day=day, title=f"督办单 {number}", author=plan.issuer,
                                   moved=moved))
    doc = new_document()
    write_blocks(doc, bulletin_blocks(progress, lags, as_of, day))
    name = safe_file_name(bulletin_title(plan), max_length=120) + ".docx"
    paths.append(save_document(doc, folder / name, day=day, title=bulletin_title(plan), author=plan.issuer,
                               moved=moved))
    return paths


def make_notices(master: Path, output: Path, db: Path | None = None, round: str | None = None,
                 as_of: str | date | None = None, day: str | date | None = None,
                 echo: Callable[[str], object] | None = None) -> list[Path]:
    """wpx notices: 台账.xlsx + its ledger → 督办单 and 通报 in ``output``.

    ``day`` is the 成文日期 of the 落款 (default today); ``as_of`` the date lags are judged on (default
    ``day``: a notice judges as of the day it is signed). ``echo`` is told where older copies went."""
    from workplan_xl.ledger_state import read_progress
    from workplan_xl.master_workbook import read_master_workbook

    day = parse_date(day)
    as_of = parse_as_of(as_of) if as_of is not None else day
    master = Path(master)
    db = Path(db) if db else master.with_suffix(".db")
    check_folder(Path(output), "督办单和通报", Inputs(master=master, ledger=db, collected=returns_folders(master, db)))
    plan = read_master_workbook(master)
    progress = read_progress(plan, require_ledger(master, db), round)  # the latest round unless one is named
    moved: list[Path] = []
    paths = write_notices(progress, Path(output), as_of, day, moved=moved)
    if moved and echo is not None:
        echo(f"同名旧文件 {len(moved)} 份已移到：{moved[0].parent}")
    if echo is not None:
        echo(f"督办单和通报依据批次「{progress.round or '未分批次'}」的回表（{counts_sentence(progress.units)}）。")
    return paths
