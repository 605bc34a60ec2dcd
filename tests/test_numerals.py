"""Width folding and small Chinese numerals."""

from __future__ import annotations

import pytest

from workplan_xl.plan_document.numerals import cn_int, fold, month_int, squeeze


def test_fold_keeps_length_and_makes_ascii() -> None:
    text = "覆盖率达到９５％（约），共１２所"
    folded = fold(text)
    assert folded == "覆盖率达到95%(约),共12所"
    assert len(folded) == len(text)
    assert fold("a\u3000b\xa0c") == "a b c"


@pytest.mark.parametrize(("token", "value"), [("12", 12), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20),
                                              ("二十三", 23), ("两", 2), ("", None), ("百", None), ("三三", None)])
def test_cn_int(token: str, value: int | None) -> None:
    assert cn_int(token) == value


@pytest.mark.parametrize(("token", "value"), [("1", 1), ("12", 12), ("十一", 11), ("13", None), ("0", None)])
def test_month_int(token: str, value: int | None) -> None:
    assert month_int(token) == value


@pytest.mark.parametrize(("text", "expected"), [("督 导 室", "督导室"), ("达到 50%以上", "达到50%以上"),
                                                ("Office 365", "Office 365"), ("  a \n b ", "a b")])
def test_squeeze(text: str, expected: str) -> None:
    assert squeeze(text) == expected
