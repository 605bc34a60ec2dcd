"""The sheets of 汇总.xlsx written through xlsxwriter: 报送情况, 任务汇总, 指标汇总, 问题清单 and the top of
明细 (its rows are streamed in afterwards by details.py). Typed writes only: text is always a string
cell, so "=HYPERLINK(…)" or "+1+1" typed by a school stays inert text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workplan_xl.cjk import number_text
from workplan_xl.form_layout import COMPARATOR_SIGNS
from workplan_xl.ledger import LATER_RULE
from workplan_xl.plan import STATUSES
from workplan_xl.progress import MISSING, PROBLEM, REPORTED, Progress
from workplan_xl.returns.interpret import task_numbers
from workplan_xl.xlsx_style import FONT, SIZE, formats, office_sheet, set_widths

AGGREGATE_NAMES = {"sum": "求和", "mean": "平均", "min": "最小值", "max": "最大值", "count": "计数", "none": "不汇总"}
CELL_MAX = 32767
_WIDTH_SAMPLE = 2000  # column widths are judged on the first rows: 明细 can have 100,000+
_STATE_ORDER = {MISSING: 0, PROBLEM: 1, REPORTED: 2}


def make_formats(workbook: Any) -> dict[str, Any]:
    fmt = formats(workbook)
    base = {"font_name": FONT, "font_size": SIZE, "valign": "vcenter", "text_wrap": True, "border": 1}
    fmt["number"] = workbook.add_format({**base, "num_format": "General"})  # "0.##" shows 95 as "95."
    fmt["rate"] = workbook.add_format({**base, "num_format": "0.0"})
    fmt[MISSING] = workbook.add_format({**base, "align": "center", "bg_color": "#F8CBAD", "bold": True})
    fmt[PROBLEM] = workbook.add_format({**base, "align": "center", "bg_color": "#FFE699"})
    fmt[REPORTED] = workbook.add_format({**base, "align": "center", "bg_color": "#C6E0B4"})
    fmt["note_wrap"] = workbook.add_format({"font_name": FONT, "font_size": SIZE, "font_color": "#595959",
                                            "text_wrap": True, "valign": "top"})
    return fmt


def cell(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """Typed writes only: text is always a string cell, never a formula or a link."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:
        text = str(value)
        ws.write_string(row, col, text if len(text) <= CELL_MAX else text[:CELL_MAX - 20] + "……（已截断）", fmt)


def table(workbook: Any, fmt: dict[str, Any], name: str, title: str, note: str, headers: list[str],
          rows: Sequence[Sequence[Any]], styles: Sequence[str], row_style: Any = None,
          widths: tuple[float, float] = (6, 50), sample: Sequence[Sequence[Any]] | None = None,
          count: int | None = None) -> None:
    """A sheet: title, a note line, the header row, then rows; office print setup and CJK widths.
    ``count`` rows are to come (streamed in later) when ``rows`` is empty; ``sample`` sets the widths."""
    ws = workbook.add_worksheet(name)
    last = len(headers) - 1
    for r, text, style in ((0, title, "title"), (1, note, "note_wrap")):
        if last:
            ws.merge_range(r, 0, r, last, text, fmt[style])
        else:
            ws.write_string(r, 0, text, fmt[style])
    ws.set_row(0, 28)
    ws.set_row(1, 15 * max(1, min(6, len(note) // 90 + 1)))
    header = 2
    for c, text in enumerate(headers):
        ws.write_string(header, c, text, fmt["header"])
    for r, values in enumerate(rows, start=header + 1):
        for c, value in enumerate(values):
            style = row_style(values, c) if row_style else None
            cell(ws, r, c, value, fmt[style or styles[c]])
    sample = rows[:_WIDTH_SAMPLE] if sample is None else sample
    set_widths(ws, [[h] + [_shown(v[c]) for v in sample] for c, h in enumerate(headers)], *widths)
    office_sheet(ws, header)
    count = len(rows) if count is None else count
    if count:
        ws.autofilter(header, 0, header + count, last)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return number_text(value)
    return "" if value is None else str(value)[:200]


def round_name(progress: Progress) -> str:
    return progress.round or "未分批次"


def units_sheet(workbook: Any, fmt: dict[str, Any], progress: Progress) -> None:
    units = sorted(enumerate(progress.units), key=lambda iu: (_STATE_ORDER.get(iu[1].state, 3), iu[0]))
    counts = {s: sum(1 for u in progress.units if u.state == s) for s in (REPORTED, PROBLEM, MISSING)}
    note = (f"批次：{round_name(progress)}。应报 {len(progress.units)} 个单位：已报 {counts[REPORTED]}，"
            f"有问题 {counts[PROBLEM]}，未报 {counts[MISSING]}。未报单位排在最前，其次是有问题的单位。"
            f"{LATER_RULE}。报送时间为回表文件的修改时间。")
    rows = [[u.unit.code, u.unit.name, u.unit.type, u.state, u.received.replace("T", " ")[:16], u.file,
             u.identified_by, "；".join(u.problems)] for _, u in units]
    table(workbook, fmt, "报送情况", f"{progress.plan.title} 回表报送情况".strip(), note,
           ["代码", "名称", "类型", "状态", "报送时间", "文件", "识别方式", "问题"], rows,
           ["center", "text", "center", "center", "center", "text", "center", "text"],
           row_style=lambda values, c: values[3] if c == 3 else None)


def tasks_sheet(workbook: Any, fmt: dict[str, Any], progress: Progress) -> None:
    numbers = task_numbers(progress.plan)
    rows = []
    for tp in progress.tasks:
        reported = len(tp.expected) - len(tp.missing)
        notes = "\n".join(f"{name}：{text}" for name, text in tp.progress_notes)
        if len(notes) > CELL_MAX:
            notes = notes[:CELL_MAX - 40] + "\n……（其余见「明细」）"
        rows.append([numbers.get(tp.task.id) or tp.task.id, tp.task.title or tp.task.text[:60], tp.status, len(tp.expected),
                     reported, *(tp.counts.get(s, 0) for s in STATUSES), "、".join(u.name for u in tp.missing), notes])
    note = (f"批次：{round_name(progress)}。每项任务一行：应报单位数为该任务的填报对象；进展情况按“单位：进展”逐行列出；"
            "各单位逐项填报内容见「明细」。")
    table(workbook, fmt, "任务汇总", f"{progress.plan.title} 任务进展汇总".strip(), note,
           ["任务编号", "重点任务", "总体状态", "应报单位数", "已报", *STATUSES, "未报单位", "进展情况"], rows,
           ["center", "text", "center", *["number"] * 6, "text", "text"], widths=(6, 60))


def indicators_sheet(workbook: Any, fmt: dict[str, Any], progress: Progress) -> None:
    rows = []
    for ip in progress.indicators:
        ind = ip.indicator
        reached = "—" if ip.reached is None else ("是" if ip.reached else "否")
        rows.append([ind.metric or ind.text, COMPARATOR_SIGNS.get(ind.comparator, ind.comparator), ind.value, ind.unit,
                     AGGREGATE_NAMES.get(ind.aggregate, ind.aggregate), ip.actual, ip.rate, reached,
                     len(ip.values), len(ip.expected)])
    note = (f"批次：{round_name(progress)}。汇总值按“汇总方式”由各单位填报值算出（求和或平均等）；完成率 = 汇总值 ÷ 目标值"
            "（“≤”类指标为 目标值 ÷ 汇总值），单位为 %；“约”类指标达到目标值的 98% 即为达成。")
    table(workbook, fmt, "指标汇总", f"{progress.plan.title} 指标完成情况".strip(), note,
           ["指标", "比较", "目标值", "单位", "汇总方式", "汇总值", "完成率（%）", "达成？", "已报单位数", "应报单位数"], rows,
           ["text", "center", "number", "center", "center", "number", "rate", "center", "number", "number"])


DETAIL_HEADERS = ["单位代码", "单位名称", "类别", "编号", "事项", "字段", "填报值", "说明/备注", "来源文件"]
DETAIL_STYLES = ["center", "text", "center", "center", "text", "center", "text", "text", "text"]


def details_top(workbook: Any, fmt: dict[str, Any], progress: Progress, name: str, count: int,
                sample: Sequence[Sequence[Any]]) -> None:
    """A 明细 sheet without its rows: title, note, header, widths from a sample, print setup, filter."""
    note = (f"批次：{round_name(progress)}。每个单位每项填报内容一行，只含各单位当前有效的回表；"
            "“说明/备注”写明了填报值是如何识读的（如「约95」按95计）。")
    table(workbook, fmt, name, f"{progress.plan.title} 填报明细".strip(), note, DETAIL_HEADERS, [], DETAIL_STYLES,
          sample=sample, count=count)


def problems_sheet(workbook: Any, fmt: dict[str, Any], progress: Progress) -> None:
    rows = [[p.file, p.unit, p.cell, p.problem, p.action] for p in progress.problems]
    note = (f"批次：{round_name(progress)}。共 {len(rows)} 条。每条说明哪个文件、哪个单元格有什么问题，以及请学校/单位怎么做；"
            "改好的回表放回回表文件夹后重新运行 wpx collect 即可，已登记的文件不会重复计入。"
            if rows else f"批次：{round_name(progress)}。没有发现问题。")
    table(workbook, fmt, "问题清单", f"{progress.plan.title} 回表问题清单".strip(), note,
           ["文件", "单位", "位置（单元格）", "问题", "处理建议"], rows,
           ["text", "text", "center", "text", "text"], widths=(8, 60))
