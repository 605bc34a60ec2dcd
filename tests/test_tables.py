"""Header roles and task-decomposition tables read as task rows."""

from __future__ import annotations

import pytest

from workplan_xl.plan_document.readers import Block
from workplan_xl.plan_document.tables import header_columns, header_role, tasks_from_table


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("序号", "number"), ("时间", "time"), ("月份", "time"), ("完成时限", "time"), ("完成 时间", "time"),
        ("重点工作", "task"), ("工作任务", "task"), ("主要任务", "task"), ("工作事项", "task"),
        ("具体措施", "detail"), ("责任单位", "owner"), ("主要责任单位", "owner"), ("牵头单位", "owner"),
        ("责任科室", "owner"), ("负责人", "owner"), ("配合单位", "partner"), ("协同配合单位", "partner"),
        ("协办单位", "partner"), ("备注", "note"), ("召开全市教育工作会议并部署全年工作", ""), ("", ""),
    ],
)
def test_header_role(cell: str, role: str) -> None:
    assert header_role(cell) == role


def test_exact_roles_keep_month_cells_apart() -> None:
    assert header_role("时间", exact=True) == "time"
    assert header_role("1月", exact=True) == ""
    assert header_role("重点工作：", exact=True) == "task"


def test_header_columns() -> None:
    assert header_columns(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]) == {
        "number": 0, "task": 1, "owner": 2, "partner": 3, "time": 4}
    assert header_columns(["2024年工作要点", "", ""]) is None
    assert header_columns(["姓名", "电话", "职务"]) is None


def test_task_decomposition_table() -> None:
    table = Block("table", rows=[
        ["区教育局2025年重点任务分解表", "", "", "", "", ""],
        ["序号", "重点任务", "具体措施", "主要责任单位", "协同配合单位", "完成时限"],
        ["一、党建工作", "一、党建工作", "一、党建工作", "一、党建工作", "一、党建工作", "一、党建工作"],
        ["1", "加强基层党建", "落实责任制。开展书记培训", "党建科", "办公室、人事科", "2025年6月底前"],
        ["", "", "建立党建工作台账", "", "组织科", "长期坚持"],
        ["2", "推进优质均衡", "制定创建方案", "基教科", "督导室、基教科", "年 底 前"],
    ])
    assert tasks_from_table(table) == [
        {"number": "1", "title": "加强基层党建", "text": "落实责任制。开展书记培训\n建立党建工作台账",
         "owners": ["党建科"], "partners": ["办公室", "人事科", "组织科"], "deadline": "2025年6月底前"},
        {"number": "2", "title": "推进优质均衡", "text": "制定创建方案", "owners": ["基教科"],
         "partners": ["督导室"], "deadline": "年底前"},
    ]


def test_task_table_without_detail_or_number_column() -> None:
    table = Block("table", rows=[["工作任务", "责任单位", "完成时间"],
                                 ["完善督学聘任制度。修订管理办法", "督导室", "9月底前"],
                                 ["开展质量监测", "教研室、电教馆", "10月"]])
    tasks = tasks_from_table(table)
    assert tasks is not None
    assert [(t["number"], t["title"], t["text"], t["owners"], t["deadline"]) for t in tasks] == [
        ("1", "完善督学聘任制度", "修订管理办法", ["督导室"], "9月底前"),  # title up to the 。, text the rest
        ("2", "开展质量监测", "", ["教研室", "电教馆"], "10月")]


@pytest.mark.parametrize("rows", [
    [["时间", "重点工作", "责任单位"], ["1月", "召开会议", "办公室"]],   # a month schedule
    [["姓名", "电话"], ["张三", "123"]],                                # not a plan table
    [["工作任务", "备注"], ["召开会议", ""]],                            # no owner or number column
    [],
])
def test_not_task_tables(rows: list[list[str]]) -> None:
    assert tasks_from_table(Block("table", rows=rows)) is None


def test_paragraph_blocks_are_not_tables() -> None:
    assert tasks_from_table(Block("p", "序号 重点任务 牵头单位")) is None
