"""extract_schedule: real tables, flattened tables, month-by-month paragraphs; the seed 配档表 and its
links to the plan's tasks."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from workplan_xl.plan import ScheduleEntry, Task
from workplan_xl.plan_document.readers import Block
from workplan_xl.plan_document.schedule import extract_schedule, is_time_cell, link_schedule, time_of


def paragraphs(text: str) -> list[Block]:
    return [Block("p", line) for line in text.splitlines()]


def rows(entries: list[ScheduleEntry]) -> list[tuple[int | None, str, str, list[str]]]:
    return [(e.month, e.period, e.text, e.owners) for e in entries]


# -- time cells --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1月", (1, "")), ("10月份", (10, "")), ("九月", (9, "")), (" 3 月 ", (3, "")),
        ("3-4月", (3, "3-4月")), ("3月至5月", (3, "3月至5月")), ("11月至次年2月", (11, "11月至次年2月")),
        ("上半年", (1, "上半年")), ("下半年", (7, "下半年")), ("全年", (1, "全年")), ("第二季度", (4, "第二季度")),
        ("9月底前", (9, "9月底前")), ("长期坚持", (1, "长期坚持")), ("召开会议", None), ("", None),
    ],
)
def test_time_of(cell: str, expected: tuple[int | None, str] | None) -> None:
    assert time_of(cell) == expected


@pytest.mark.parametrize("cell", ["1月", "12月份", "3-4月", "上半年", "全年", "9月底前", "第一季度", "十月"])
def test_time_cells(cell: str) -> None:
    assert is_time_cell(cell)


@pytest.mark.parametrize("cell", ["3月22日召开全县教育工作会议", "召开年会", "组织人事处", "2024年重点工作配档表"])
def test_not_time_cells(cell: str) -> None:
    assert not is_time_cell(cell)


# -- (a) real tables ---------------------------------------------------------------------------------
def test_table_with_lead_and_partner_columns_and_merged_months() -> None:
    table = Block("table", rows=[
        ["2025年重点工作推进表", "", "", ""],
        ["时间", "工作任务", "主要责任单位", "协同配合单位"],
        ["1月", "召开全区教育工作会议", "办公室", "各科室"],
        ["", "部署寒假安全工作", "安全科", "德育科，团委等"],
        ["3-4月", "1.举办春季运动会\n2.组织教研开放周", "体卫科", "教研室"],
        ["上半年", "完成校舍维修改造", "后勤处", ""],
        ["", "", "计财科", ""],
        ["全年", "推进课后服务提质", "基教科、督导室", ""],
    ])
    blocks = [Block("p", "一、总体要求"), Block("p", "附件2"), Block("p", ""), table, Block("p", "其他事项")]
    entries, rest = extract_schedule(blocks)
    assert rows(entries) == [
        (1, "", "召开全区教育工作会议", ["办公室", "各科室"]),
        (1, "", "部署寒假安全工作", ["安全科", "德育科", "团委"]),
        (3, "3-4月", "举办春季运动会", ["体卫科", "教研室"]),
        (3, "3-4月", "组织教研开放周", ["体卫科", "教研室"]),
        (1, "上半年", "完成校舍维修改造", ["后勤处", "计财科"]),
        (1, "全年", "推进课后服务提质", ["基教科", "督导室"]),
    ]
    assert [b.text for b in rest] == ["一、总体要求", "其他事项"]  # the attachment heading goes too


def test_month_column_named_yuefen_and_a_continuation_table() -> None:
    first = Block("table", rows=[["月份", "工作内容", "负责人"], ["九月", "新生入园适应", "保教主任"],
                                 ["十月", "秋季运动会", "体育组"]])
    second = Block("table", rows=[["", "教师半日观摩", "教研组"], ["十一月", "消防演练", "后勤处"]])
    entries, rest = extract_schedule([first, Block("p", ""), second])
    assert [(e.month, e.text) for e in entries] == [(9, "新生入园适应"), (10, "秋季运动会"), (10, "教师半日观摩"),
                                                   (11, "消防演练")]
    assert rest == [Block("p", "")]


def test_task_decomposition_table_stays_for_the_outline() -> None:
    table = Block("table", rows=[["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
                                 ["1", "完善督导制度", "督导室", "办公室", "6月底前"]])
    entries, rest = extract_schedule([table])
    assert entries == [] and rest == [table]


def test_a_time_column_without_times_is_not_a_schedule() -> None:
    table = Block("table", rows=[["时间", "工作内容", "责任单位"], ["待定", "召开会议", "办公室"],
                                 ["视情况", "开展检查", "督导室"]])
    entries, rest = extract_schedule([table])
    assert entries == [] and rest == [table]


# -- (b) flattened tables ----------------------------------------------------------------------------
FLAT = """本年度重点任务见附件。

附件

2025年重点工作安排表

时间

重点工作

责任单位

2月

召开年度工作会议

办公室

开展开学安全大检查

安全科、
后勤处

{space}

3月

举办青年教师基本功比赛

教师发展中心、人事科

成立区域教研共同体

教研室

备注：如有调整，以正式通知为准。

上一篇：""".format(space=" ")  # a space-only line stands in a merged cell


def test_flattened_table_one_cell_per_line() -> None:
    entries, rest = extract_schedule(paragraphs(FLAT))
    assert rows(entries) == [
        (2, "", "召开年度工作会议", ["办公室"]),
        (2, "", "开展开学安全大检查", ["安全科", "后勤处"]),  # an owner cell over two lines
        (3, "", "举办青年教师基本功比赛", ["教师发展中心", "人事科"]),
        (3, "", "成立区域教研共同体", ["教研室"]),  # 成立…共同体 is a task, not an owner
    ]
    assert [b.text for b in rest] == ["本年度重点任务见附件。", "", "上一篇："]


def test_flattened_header_on_one_line_with_partner_column() -> None:
    text = "时间 工作事项 牵头单位 配合单位\n5月\n开展质量监测\n督导室\n教研室、电教馆\n组织运动会\n体卫科"
    entries, _ = extract_schedule(paragraphs(text))
    assert rows(entries) == [(5, "", "开展质量监测", ["督导室", "教研室", "电教馆"]),
                             (5, "", "组织运动会", ["体卫科"])]


# -- (c) month-by-month paragraphs -------------------------------------------------------------------
KINDERGARTEN = """阳光幼儿园2025年秋季学期工作计划

一、指导思想

以游戏为基本活动，促进幼儿全面发展。

二、每月工作安排

九月份：
1.做好新生入园适应工作，稳定幼儿情绪。
2、召开新学期家长会（负责人：保教室）。
3.开展秋季开学安全大检查
十月份
1.组织国庆节主题教育活动。
2.教师开展半日活动观摩，
重点关注区域游戏。
十一月份工作安排：
（1）举办秋季亲子运动会。
（2）开展消防疏散演练（责任部门：后勤处、安保室）。
十二月：迎接年度督导评估
1.整理学期教育教学资料。

阳光幼儿园
2025年8月30日"""


def test_kindergarten_month_by_month_plan() -> None:
    entries, rest = extract_schedule(paragraphs(KINDERGARTEN))
    assert rows(entries) == [
        (9, "", "做好新生入园适应工作，稳定幼儿情绪。", []),
        (9, "", "召开新学期家长会（负责人：保教室）。", ["保教室"]),
        (9, "", "开展秋季开学安全大检查", []),
        (10, "", "组织国庆节主题教育活动。", []),
        (10, "", "教师开展半日活动观摩，重点关注区域游戏。", []),
        (11, "", "举办秋季亲子运动会。", []),
        (11, "", "开展消防疏散演练（责任部门：后勤处、安保室）。", ["后勤处", "安保室"]),
        (12, "", "迎接年度督导评估", []),
        (12, "", "整理学期教育教学资料。", []),
    ]
    kept = [b.text for b in rest if b.text]
    # the numbered heading of the month list stays: the outline gives the month tasks its section
    assert kept == ["阳光幼儿园2025年秋季学期工作计划", "一、指导思想", "以游戏为基本活动，促进幼儿全面发展。",
                    "二、每月工作安排", "阳光幼儿园", "2025年8月30日"]


def test_month_ranges_in_headings() -> None:
    text = "三月：\n1.开学工作\n四月：\n1.春游\n七、八月份：\n1.暑期值班\n2.校舍维修"
    entries, _ = extract_schedule(paragraphs(text))
    assert [(e.month, e.period, e.text) for e in entries][-2:] == [(7, "七、八月份", "暑期值班"),
                                                                  (7, "七、八月份", "校舍维修")]


def test_two_month_headings_are_not_a_schedule() -> None:
    text = "一、工作任务\n3月：召开会议\n4月：开展检查\n二、保障措施"
    entries, rest = extract_schedule(paragraphs(text))
    assert entries == [] and len(rest) == 4


def test_no_schedule_in_a_plain_outline() -> None:
    text = "一、加强党建\n1.落实责任。3月召开会议，9月底前完成。\n2.推进改革。\n二、保障措施\n加强领导。"
    blocks = paragraphs(text)
    entries, rest = extract_schedule(blocks)
    assert entries == [] and rest == blocks


# -- the seed 配档表 ---------------------------------------------------------------------------------
def _seed(seeds_dir: Path) -> tuple[dict, str]:
    seeds = json.loads((seeds_dir / "expected.json").read_text(encoding="utf-8"))["seeds"]
    seed = next(s for s in seeds if s.get("schedule"))
    return seed, (seeds_dir / seed["file"]).read_text(encoding="utf-8")


def _tasks(text: str) -> list[Task]:
    """The plan's numbered task paragraphs 'N.标题。正文' as Task objects, ids by position."""
    tasks = []
    for line in text.splitlines():
        m = re.match(r"^(\d{1,2})\.(.+)$", line.strip())
        if m and int(m[1]) == len(tasks) + 1:
            title, _, body = m[2].partition("。")
            tasks.append(Task(id=f"T{int(m[1]):03d}", number=m[1], title=title, text=body))
    return tasks


def test_seed_schedule_rows(seeds_dir: Path) -> None:
    seed, text = _seed(seeds_dir)
    want = seed["schedule"]
    entries, rest = extract_schedule(paragraphs(text))
    assert len(entries) == want["rows"]
    per_month = Counter(e.month for e in entries)
    assert {str(m): n for m, n in sorted(per_month.items())} == want["rows_per_month"]
    assert all(e.period == "" for e in entries)
    for example in want["examples"]:
        hits = [e for e in entries if e.month == example["month"] and e.text == example["task"]]
        assert len(hits) == 1, example["task"]
        assert hits[0].owners == example["owners"]
    kept = "\n".join(b.text for b in rest)
    assert "配档表" not in kept and "机关党委" not in kept and "备注" not in kept
    assert len(_tasks(kept)) == 20  # the plan's own tasks are all still there


def test_seed_schedule_links(seeds_dir: Path) -> None:
    seed, text = _seed(seeds_dir)
    entries, _ = extract_schedule(paragraphs(text))
    tasks = _tasks(text)
    assert len(tasks) == 20
    link_schedule(entries, tasks)
    for want in seed["schedule"]["links"]:
        row = next(e for e in entries if e.month == want["month"] and e.text == want["task"])
        assert row.task == tasks[want["links_to_task"] - 1].id, want["task"]
    # rows whose wording matches no task clearly stay unlinked
    unlinked = [e for e in entries if e.task is None]
    assert len(unlinked) >= 30
    assert next(e for e in entries if e.text == "举办市教育局老同志荣退仪式").task is None


def test_flattened_rows_kept_on_one_line() -> None:
    """A PDF may keep each row on one line: time, task and owner cells separated by spaces."""
    text = ("附件\n2025年工作配档表\n时间 重点工作 责任单位\n1月 召开年度工作会议 办公室\n部署寒假安全工作 安全科 德育科\n"
            "2月 开展开学检查 安全科、后勤处\n备注：以通知为准")
    entries, rest = extract_schedule(paragraphs(text))
    assert rows(entries) == [(1, "", "召开年度工作会议", ["办公室"]), (1, "", "部署寒假安全工作", ["安全科", "德育科"]),
                             (2, "", "开展开学检查", ["安全科", "后勤处"])]
    assert rest == []


def test_a_signature_date_is_not_a_month_heading() -> None:
    text = "九月：\n1.开学典礼\n十月：\n1.国庆主题活动\n十一月：\n1.亲子运动会\n阳光幼儿园\n2025年8月"
    entries, rest = extract_schedule(paragraphs(text))
    assert [(e.month, e.text) for e in entries] == [(9, "开学典礼"), (10, "国庆主题活动"), (11, "亲子运动会")]
    assert [b.text for b in rest] == ["阳光幼儿园", "2025年8月"]


def test_period_is_kept_as_written() -> None:
    assert time_of("３－４月") == (3, "３－４月")
    assert time_of("３月") == (3, "")


def test_flattened_table_in_a_pdf_joins_cells_wrapped_over_two_lines() -> None:
    """A PDF reader marks a paragraph start with a blank block; a cell too long for one printed line
    goes on in the next line without one, and is one cell again."""
    lines = ["", "时间", "", "重点工作", "", "责任单位", "", "1月", "",
             "召开全区教育工作会议，部署全年重点任务并签订目标责任书，", "明确各单位年度目标",  # one cell, wrapped
             "", "办公室", "", "2月", "", "开展寒假安全检查", "", "安全科", "", "3月", "", "组织开学督导", "",
             "组织人事科、", "督导室"]  # an owner cell over two lines (ends in 、)
    blocks = [Block("p", text, page=1) for text in lines]
    entries, rest = extract_schedule(blocks)
    assert rows(entries) == [
        (1, "", "召开全区教育工作会议，部署全年重点任务并签订目标责任书，明确各单位年度目标", ["办公室"]),
        (2, "", "开展寒假安全检查", ["安全科"]),
        (3, "", "组织开学督导", ["组织人事科", "督导室"])]
    assert [b.text for b in rest if b.text] == []


def test_schedule_heading_words() -> None:
    from workplan_xl.plan_document.schedule import is_schedule_heading

    assert is_schedule_heading("具体工作安排") and is_schedule_heading("逐月工作安排")
    assert not is_schedule_heading("加强师德师风建设")
