"""Unit names by shape: what counts as an organisation in owner phrases and owner cells."""

from __future__ import annotations

import pytest

from workplan_xl.plan_document.units import is_owner_cell, is_unit_name, split_units


@pytest.mark.parametrize("name", ["基教处", "督导室", "市教研院", "市学生发展中心", "市电教馆", "语委办", "机关党委",
                                  "安全科", "教学管理科", "财务审计科", "电教站", "团委", "区教育督导室", "培训中心",
                                  "督导评估中心", "教育学会", "第一中学", "实验小学", "公安机关", "名师工作室"])
def test_unit_names(name: str) -> None:
    assert is_unit_name(name)


@pytest.mark.parametrize("name", ["督学", "校园", "举办", "干部", "学科", "教室", "推进会", "成立教育数字资源中心",
                                  "督促各校", "学校", "各学校", "全体处室", "网站", "", "处", "召开工作会",
                                  "完成5所学校", "的科室"])
def test_not_unit_names(name: str) -> None:
    assert not is_unit_name(name)


def test_collective_names_only_when_allowed() -> None:
    assert is_unit_name("各学校", allow_generic=True)
    assert is_unit_name("各处室", allow_generic=True)
    assert not is_unit_name("各学校")


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("基教处、市教研院、市电教馆", ["基教处", "市教研院", "市电教馆"]),
        ("德育科，团委等", ["德育科", "团委"]),
        ("办公室; 人事科 / 计财科", ["办公室", "人事科", "计财科"]),
        ("督导室（牵头）、基教科等单位", ["督导室", "基教科"]),
        ("  秘书处、各处室", ["秘书处", "各处室"]),
        ("组织人事处、", ["组织人事处"]),
        ("基教处、基教处", ["基教处"]),
        ("", []),
    ],
)
def test_split_units(cell: str, names: list[str]) -> None:
    assert split_units(cell) == names


@pytest.mark.parametrize(("line", "owner"), [("组织人事处、", True), ("  秘书处、各处室", True), ("市学生发展中心", True),
                                             ("成立教育数字资源智作中心", False), ("开展校园安全检查", False),
                                             ("召开学前教育推进会、督导评估现场会", False), ("", False)])
def test_owner_cells(line: str, owner: bool) -> None:
    assert is_owner_cell(line) is owner


def test_home_and_school_is_no_unit() -> None:
    assert not is_unit_name("家校") and not is_unit_name("深化家校")
