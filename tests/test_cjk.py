import pytest

from workplan_xl.cjk import clean_text, column_width, display_width, safe_file_name, safe_sheet_name


@pytest.mark.parametrize("text, width", [
    ("", 0), ("abc", 3), ("督导室", 6), ("２０２４", 8), ("第1中学", 7), ("（一）", 6), ("A，B", 4),
])
def test_display_width(text, width):
    assert display_width(text) == width


@pytest.mark.parametrize("values, expected", [
    (["督导室"], 8), (["x"], 6), (["一二三四五六七八九十"], 22), (["短", "第一行\n很长很长很长的第二行"], 22),
    (["字" * 100], 60),
])
def test_column_width_counts_cjk_double_and_caps(values, expected):
    assert column_width(values) == expected


def test_clean_text_removes_controls_and_lone_surrogates():
    assert clean_text("a\x00b\x07c\ud800d\te\nf") == "abcd\te\nf"


@pytest.mark.parametrize("name, taken, expected", [
    ("任务清单", set(), "任务清单"),
    ("a[b]:c*?/\\d", set(), "a_b__c____d"),
    ("'引号'", set(), "引号"),
    ("某某市某某区某某街道第一中心小学附属幼儿园分园办公室甲", set(), "某某市某某区某某街道第一中心小学附属幼儿园分园办公室甲"[:31]),
    ("填报单位", {"填报单位"}, "填报单位(2)"),
    ("Sheet", {"sheet", "Sheet(2)"}, "Sheet(3)"),
    ("", set(), "Sheet"),
])
def test_safe_sheet_name(name, taken, expected):
    result = safe_sheet_name(name, taken)
    assert result == expected
    assert len(result) <= 31


def test_safe_sheet_name_dedupes_after_truncation():
    long = "青禾县教育体育局基础教育股学前教育与特殊教育及融合教育发展指导办公室"
    first = safe_sheet_name(long + "一", set())
    second = safe_sheet_name(long + "二", {first})
    assert first != second and len(second) <= 31 and second.endswith("(2)")


@pytest.mark.parametrize("name, expected", [
    ("001_第一中学_工作要点", "001_第一中学_工作要点"),
    ('第一中学/分校:"甲"', "第一中学_分校__甲_"),
    ("名称。。 ", "名称。。"),
    ("结尾点...", "结尾点"),
    ("CON", "_CON"),
    ("全角：？字符", "全角：？字符"),
])
def test_safe_file_name(name, expected):
    assert safe_file_name(name) == expected


def test_safe_file_name_limits_length():
    assert len(safe_file_name("长" * 200)) == 80
    # shortened in the stem, the extension kept (an upload or attachment with a long name stays an .xlsx)
    assert safe_file_name("长" * 200 + ".xlsx") == "长" * 75 + ".xlsx"
    assert safe_file_name("回表" * 50 + ".csv", max_length=20) == "回表" * 8 + ".csv"
    assert safe_file_name("说明。" * 40 + ".这不是扩展名 而是句子") == ("说明。" * 40 + ".这不是扩展名 而是句子")[:80]


@pytest.mark.parametrize("value, digits, expected", [
    (95.125, 2, 95.13), (2.675, 2, 2.68), (96.0, 2, 96.0), (94.55000000000001, 2, 94.55),
    (99.95, 1, 100.0), (-1.005, 2, -1.01), (101.25, 1, 101.3), (0.0, 1, 0.0),
])
def test_round_half_up(value, digits, expected):
    from workplan_xl.cjk import round_half_up

    assert round_half_up(value, digits) == expected


