"""The sheets of 汇总.xlsx written through xlsxwriter: 报送情况, 任务汇总, 指标汇总, 问题清单 and the top of
明细 (its rows are streamed in afterwards by details.py). Typed writes only: text is always a string
cell, so "=HYPERLINK(…)" or "+1+1" typed by a school stays inert text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from workplan_xl.cjk import number_text
from workplan_xl.consolidated_workbook.details import FIELDS, ITEM_COLUMNS, NOTES
from workplan_xl.consolidated_workbook.layout import (
    FONT,
    REACHED_FILL,
    ROW_TINT,
    figure,
    line_count,
    shorten,
    table,
    table_widths,
)
from workplan_xl.form_layout import COMPARATOR_SIGNS, CONTACT_FIELDS, FIELD_LABELS
from workplan_xl.ledger import LATER_RULE
from workplan_xl.plan import STATUSES
from workplan_xl.progress import (
    MISSING,
    PARTIAL,
    PROBLEM,
    REPORTED,
    IndicatorProgress,
    Progress,
    counts_sentence,
)
from workplan_xl.returns.plan_index import task_numbers

__all__ = ["DETAIL_HEADERS", "DETAIL_STYLES", "details_top", "details_widths", "indicators_sheet", "problems_sheet", "reached_text",
           "tasks_sheet", "units_sheet"]

AGGREGATE_NAMES = {"sum": "求和", "mean": "平均", "min": "最小值", "max": "最大值", "count": "计数", "owner": "取牵头单位值",
                   "none": "不汇总"}
NOTE_MAX = 100  # characters of one unit's 进展情况 shown in 任务汇总 (明细 has all of it)
PROBLEM_LINES = 8  # a unit's problems listed in 报送情况 (问题清单 has all of them)
_STATE_ORDER = {MISSING: 0, PROBLEM: 1, PARTIAL: 2, REPORTED: 3}
_TASK_STATE_STYLE = {"已完成": REPORTED, "未启动": PROBLEM, MISSING: MISSING}
# 报送情况's columns for the 填报人 block (联系人 and 电话 beside them are the roster's)
CONTACT_HEADERS = {"filler": "填报人", "reviewer": "审核人", "phone": "填报人电话", "fill_date": "填报日期"}
ACTUAL_DIGITS, RATE_DIGITS = 2, 1  # as the report prints them: format_number(actual), format_number(rate, 1)


def round_name(progress: Progress) -> str:
    return progress.round or "未分批次"


def capped(items: Iterable[str], width: float, more: Any, limit: int, sep: str = "\n", more_sep: str = "\n",
           total: int | None = None) -> str:
    """``items`` joined by ``sep`` while they fit in ``limit`` wrapped lines of a column ``width`` wide;
    the rest are left out and ``more(n)`` (n: how many) says so, after ``more_sep``, within the limit.
    Stops measuring (and taking ``items``, which may be a generator of ``total`` texts) at the limit:
    a task of 2,000 schools costs what a task of 30 does."""
    total = len(items) if total is None else total  # type: ignore[arg-type]
    kept: list[str] = []
    used = 0
    for item in items:
        if sep == "\n":  # lines add up
            used += line_count(item, width)
        else:
            used = line_count(sep.join([*kept, item]), width)
        if used > limit:
            break
        kept.append(item)
    else:
        return sep.join(kept)
    while kept and line_count(sep.join(kept) + more_sep + more(total - len(kept)), width) > limit:
        kept.pop()
    return sep.join(kept) + (more_sep if kept else "") + more(total - len(kept))


def _in_all(total: int) -> Any:
    return lambda _left: f"等 {total} 个单位"


def units_sheet(workbook: Any, fmt: dict[str, Any], progress: Progress) -> None:
    units = sorted(enumerate(progress.units), key=lambda iu: (_STATE_ORDER.get(iu[1].state, 3), iu[0]))
    note = (f"批次：{round_name(progress)}。{counts_sentence(progress.units)}。未报单位排在最前（红色），"
            "其次是有问题、部分填报的单位（黄色），可按联系人、电话催报。"
            f"{LATER_RULE}。报送时间为回表文件的修改时间；填报人、审核人、联系电话、填报日期取自回表末尾的填报人栏。")
    rows = []
    for _, u in units:
        problems = capped([shorten(p, 150) for p in u.problems], 50, lambda n: f"……另有 {n} 条，见「问题清单」",
                          PROBLEM_LINES)
        rows.append([u.unit.code, u.unit.name, u.unit.type, u.state, u.received.replace("T", " ")[:16], u.file,
                     u.identified_by, problems, u.unit.contact, u.unit.phone,
                     *(u.form.get(name, "") for _, name in CONTACT_FIELDS)])
    styles = ["center", "text", "center", "center", "center", "text", "center", "text", "center", "center",
              "center", "center", "center", "center"]

    def row_style(_n: int, values: Sequence[Any], c: int) -> str | None:
        if c == 3:
            return values[3]
        return f"{styles[c]}:{values[3]}" if values[3] in ROW_TINT else None

    table(workbook, fmt, "报送情况", f"{progress.plan.title} 回表报送情况".strip(), note,
          ["代码", "名称", "类型", "状态", "报送时间", "文件", "识别方式", "问题", "联系人", "电话",
           *(CONTACT_HEADERS[name] for _, name in CONTACT_FIELDS)], rows, styles,
          row_style=row_style, widths=(6, 50), stream=True)


def tasks_sheet(workbook: Any, fmt: dict[str, Any], progress: Progress) -> None:
    numbers = task_numbers(progress.plan)
    rows = []
    for tp in progress.tasks:
        reported = len(tp.expected) - len(tp.missing)
        lines = (f"{name}：{shorten(text.replace(chr(10), ' '), NOTE_MAX)}" for name, text in tp.progress_notes)
        notes = capped(lines, 60, lambda n: f"……另有 {n} 个单位的进展未列出，全部内容见「明细」。", 24,
                       total=len(tp.progress_notes))
        missing = capped([u.name for u in tp.missing], 30, _in_all(len(tp.missing)), 8, sep="、", more_sep="")
        rows.append([numbers.get(tp.task.id) or tp.task.id, tp.task.title or tp.task.text[:60], tp.status, len(tp.expected),
                     reported, *(tp.counts.get(s, 0) for s in STATUSES), missing, notes])
    note = (f"批次：{round_name(progress)}。每项任务一行：应报单位数为该任务的填报对象；“已报”为填了完成状态的单位数"
            "（等于四种状态之和），没填完成状态的单位列在“未报单位”中；进展情况按“单位：进展”逐行列出，"
            f"每个单位最多显示 {NOTE_MAX} 字，单位多时只列前面一部分；各单位逐项填报的全部内容见「明细」。")
    table(workbook, fmt, "任务汇总", f"{progress.plan.title} 任务进展汇总".strip(), note,
          ["任务编号", "重点任务", "总体状态", "应报单位数", "已报", *STATUSES, "未报单位", "进展情况"], rows,
          ["center", "text", "center", *["number"] * 6, "text", "text"],
          row_style=lambda _n, values, c: _TASK_STATE_STYLE.get(values[2]) if c == 2 else None,
          widths=(6, 60), maximums={1: 36, 9: 30})


def reached_text(ip: IndicatorProgress) -> str:
    """已达成 / 未达成; 未填 when no unit reported a number; 未设目标 or 不汇总 when it cannot be judged."""
    if ip.actual is None:
        return "不汇总" if ip.values else "未填"
    if ip.reached is None:
        return "未设目标"
    return "已达成" if ip.reached else "未达成"


def indicators_sheet(workbook: Any, fmt: dict[str, Any], progress: Progress) -> None:
    rows, places, exact = [], [], []
    for ip in progress.indicators:
        ind = ip.indicator
        shown = [figure(v, d) if v is not None else (None, 0)
                 for v, d in ((ind.value, ACTUAL_DIGITS), (ip.actual, ACTUAL_DIGITS), (ip.rate, RATE_DIGITS))]
        places.append([p for _, p in shown])
        exact.append(ip.actual)
        rows.append([ind.metric or ind.text, COMPARATOR_SIGNS.get(ind.comparator, ind.comparator), shown[0][0], ind.unit,
                     AGGREGATE_NAMES.get(ind.aggregate, ind.aggregate), shown[1][0], shown[2][0], reached_text(ip),
                     len(ip.values), len(ip.expected)])
    note = (f"批次：{round_name(progress)}。汇总值按“汇总方式”由各单位填报值算出（求和或平均等），保留两位小数；"
            "完成率 = 汇总值 ÷ 目标值（“≤”“<”类指标为 目标值 ÷ 汇总值），单位为 %，保留一位小数——与工作总结中的数字一致，"
            "舍入前的汇总值见单元格批注。“≈”（约）类指标达到目标值的 98% 即为达成。"
            "是否达成：已达成（绿）、未达成（红）、未填（灰，没有单位填报数字）。")
    figure_cols = {2: 0, 5: 1, 6: 2}

    def row_style(n: int, values: Sequence[Any], c: int) -> str | None:
        if c in figure_cols and values[c] is not None:
            return f"figure{places[n][figure_cols[c]]}"
        return None

    ws, _ = table(workbook, fmt, "指标汇总", f"{progress.plan.title} 指标完成情况".strip(), note,
                  ["指标", "比较", "目标值", "单位", "汇总方式", "汇总值", "完成率（%）", "是否达成", "已报单位数",
                   "应报单位数"], rows,
                  ["text", "center", "center", "center", "center", "center", "center", "center", "number", "number"],
                  row_style=row_style, maximums={0: 36})
    first, last = 3, 3 + len(rows) - 1
    for r, (row, value) in enumerate(zip(rows, exact, strict=True), start=first):
        if value is not None and abs(row[5] - value) > 1e-9 * max(1.0, abs(value)):
            ws.write_comment(r, 5, f"舍入前为 {number_text(value)}；表中与工作总结一样保留两位小数。",
                             {"x_scale": 1.5, "font_name": FONT})
    if rows:
        for word in REACHED_FILL:
            ws.conditional_format(first, 7, last, 7, {"type": "cell", "criteria": "==", "value": f'"{word}"',
                                                     "format": fmt[word]})


# 明细: one row per unit × item, a column per field (details.FIELDS). Answers that are a word or a date
# are centred; 填报值's numbers take the number format.
DETAIL_HEADERS = ["单位代码", "单位名称", "类别", "编号", "事项", *(FIELD_LABELS[f] for f in FIELDS), "说明", "来源文件"]
_CENTRED = {"status", "done_date", "value"}
DETAIL_STYLES = ["center", "text", "center", "center", "text", *("center" if f in _CENTRED else "text" for f in FIELDS),
                 "text", "text"]
# The long texts (进展情况, 主要成效 …) get the widest columns; the rest no wider than their sample needs.
_DETAIL_WIDTHS = (6, 30)
_DETAIL_MAXIMUMS = {1: 24, 4: 30, **{ITEM_COLUMNS + n: 16 if f in _CENTRED else 30 for n, f in enumerate(FIELDS)},
                    NOTES: 30, NOTES + 1: 40}


def details_top(workbook: Any, fmt: dict[str, Any], progress: Progress, name: str, count: int,
                sample: Sequence[Sequence[Any]]) -> tuple[Any, list[float]]:
    """A 明细 sheet without its rows: title, note, header, widths from a sample, print setup, filter
    over ``count`` rows (set again with ``ws.autofilter`` when the rows are counted). Returns the
    worksheet and its column widths (the streamed rows' heights are computed from them)."""
    note = (f"批次：{round_name(progress)}。每个单位每项任务（指标）一行，各项填报内容分列，可按“编号”“事项”筛选后对照各单位的填报；"
            f"只含各单位当前有效的回表（{LATER_RULE}）。“说明”写明了填报内容是如何识读的（如「约95」按95计）。")
    return table(workbook, fmt, name, f"{progress.plan.title} 填报明细".strip(), note, DETAIL_HEADERS, [],
                 DETAIL_STYLES, sample=sample, count=count, widths=_DETAIL_WIDTHS, maximums=_DETAIL_MAXIMUMS)


def details_widths(sample: Sequence[Sequence[Any]]) -> list[float]:
    """The widths details_top gives 明细's columns for ``sample`` (the rows' heights are made from them)."""
    return table_widths(DETAIL_HEADERS, sample, _DETAIL_WIDTHS, _DETAIL_MAXIMUMS)


def problems_sheet(workbook: Any, fmt: dict[str, Any], progress: Progress) -> None:
    contacts = {}
    for u in progress.units:
        contacts.setdefault(u.unit.name, u.unit)
    rows = []
    for p in progress.problems:
        unit = contacts.get(p.unit)
        rows.append([p.file, p.unit or "（未能识别）", p.cell or "整个文件", p.problem, p.action,
                     unit.contact if unit else "", unit.phone if unit else ""])
    note = (f"批次：{round_name(progress)}。共 {len(rows)} 条。每条说明哪个文件、哪个单元格有什么问题，以及怎么处理；"
            "需要单位重新报送的，可按右侧联系人、电话通知。改好的回表放回回表文件夹后重新运行 wpx collect 即可，"
            f"已登记的文件不会重复计入（{LATER_RULE}）。"
            if rows else f"批次：{round_name(progress)}。没有发现问题。")
    table(workbook, fmt, "问题清单", f"{progress.plan.title} 回表问题清单".strip(), note,
          ["文件", "单位", "位置（单元格）", "问题", "处理建议", "联系人", "电话"], rows,
          ["text", "text", "center", "text", "text", "center", "center"], widths=(8, 45), stream=True)
