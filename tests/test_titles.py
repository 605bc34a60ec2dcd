"""titles.py: a paragraph's lead phrase, a part's kind, the frame sections of a plan."""

from __future__ import annotations

from workplan_xl.plan_document.titles import is_context, kind_of, split_title


def test_split_title_and_context() -> None:
    assert split_title("强化督导。开展专项检查。") == ("强化督导", "开展专项检查。")
    assert split_title("维护校园安全。") == ("维护校园安全", "")
    assert split_title("指导思想：以立德树人为根本。") == ("指导思想", "以立德树人为根本。")
    assert split_title("加强党的建设") == ("加强党的建设", "")
    assert all(is_context(t) for t in ("总体思路", "指导思想", "总体要求", "工作目标", "基本原则", "主要目标",
                                       "指导思想和工作目标"))
    assert not is_context("强化工作目标考核")
    assert kind_of("2024年工作总结") == "summary"
    assert kind_of("2024年工作总结和2025年工作计划") == "plan"
    assert kind_of("东湖区2025年工作要点") == "plan"


def test_an_owner_note_is_not_part_of_the_title() -> None:
    assert split_title("加强学籍管理（牵头单位：基教科）。按时完成学籍核查。") == ("加强学籍管理", "按时完成学籍核查。")
    assert split_title("加强学籍管理（责任单位：基教科）") == ("加强学籍管理", "")
    # a colon inside brackets is not the end of the lead phrase
    assert split_title("做好招生工作（时间：6月）：完成招生计划。")[0] == "做好招生工作（时间：6月）"
