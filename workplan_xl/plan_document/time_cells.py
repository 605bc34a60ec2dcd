"""Time cells of a 配档表: '3月', '3-4月', '上半年', '9月底前', '全年' — a month and the words as written."""

from __future__ import annotations

import re

from workplan_xl.plan_document.facts import find_months
from workplan_xl.plan_document.numerals import MONTH_NUM, fold, month_int

__all__ = ["is_time_cell", "time_of"]

_M = MONTH_NUM
_TIME_CELL = re.compile(
    rf"(?:\d{{4}}年)?(?:(?:{_M})月?份?(?:-|—|–|~|～|至|到|、)(?:次年)?)?(?:{_M})月份?(?:\d{{1,2}}日)?"
    r"(?:上旬|中旬|下旬|底|末|初|中)?(?:前|之前|以前)?"
    r"|全年|全学年|常年|长期|持续|每月|上半年|下半年|第?[一二三四1-4]季度|年底前?|年内|年末|寒假|暑假|暑期|"
    r"春季开学|秋季开学|春季学期|秋季学期")
_FIRST_MONTH = re.compile(
    rf"(?<![\d一二三四五六七八九十])({_M})\s*(?:月|(?=(?:-|—|–|~|～|至|到|、)\s*(?:次年)?\s*{_M}\s*月))")
_ALL_YEAR = re.compile(r"全年|全学年|常年|长期|持续|每月")


def time_of(text: str) -> tuple[int | None, str] | None:
    """(month, period) of a time cell: '3月' → (3, ''); '3-4月' → (3, '3-4月'); '全年' → (1, '全年');
    None when the cell is not a time. The period is the cell as written, spaces removed."""
    written = re.sub(r"\s+", "", text)
    t = fold(written)
    if not t:
        return None
    single = re.fullmatch(rf"({_M})月份?", t)
    if single:
        return month_int(single[1]), ""
    first = _FIRST_MONTH.search(t)
    if first:
        return month_int(first[1]), written
    months = find_months(t)
    if months:
        return months[0], written
    if _ALL_YEAR.search(t):
        return 1, written
    return None


def is_time_cell(text: str) -> bool:
    """A cell that is only a time ('1月', '3-4月', '上半年', '9月底前'), not a sentence with a month."""
    t = re.sub(r"\s+", "", fold(text)).rstrip(":：")
    return bool(t) and len(t) <= 14 and _TIME_CELL.fullmatch(t) is not None
