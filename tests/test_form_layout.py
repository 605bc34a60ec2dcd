import pytest

from workplan_xl.form_layout import (
    INDICATOR_COLUMNS,
    META_KEYS,
    TASK_COLUMNS,
    cell_text,
    locked_checksum,
)


@pytest.mark.parametrize("value, text", [
    (None, ""), (95, "95"), (95.0, "95"), (95.5, "95.5"), ("  甲 ", "甲"), (True, "TRUE"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_input_columns_have_fields_and_ids_are_last():
    assert [f for _, f in TASK_COLUMNS if f] == ["status", "progress", "achievements", "difficulties", "next_steps",
                                             "done_date", "evidence", "remark"]
    assert [f for _, f in INDICATOR_COLUMNS if f] == ["value", "remark"]
    assert TASK_COLUMNS[-1][0] == "任务ID" and INDICATOR_COLUMNS[-1][0] == "指标ID"
    assert "checksum" in META_KEYS and "plan_fingerprint" in META_KEYS


def test_checksum_is_stable_over_number_types_and_row_order_but_not_text():
    rows = [{"任务ID": "T002", "重点任务": "乙", "完成时限": "9月底前"}, {"任务ID": "T001", "重点任务": "甲"}]
    ind = [{"指标ID": "I001", "指标": "覆盖率", "目标值": 95}]
    base = locked_checksum(rows, ind)
    assert locked_checksum(list(reversed(rows)), [{"指标ID": "I001", "指标": "覆盖率", "目标值": 95.0}]) == base
    assert locked_checksum(rows, [{"指标ID": "I001", "指标": "覆盖率", "目标值": 96}]) != base
    rows[0]["重点任务"] = "乙改"
    assert locked_checksum(rows, ind) != base


def test_checksum_ignores_input_columns():
    rows = [{"任务ID": "T001", "重点任务": "甲"}]
    assert locked_checksum(rows, []) == locked_checksum([{**rows[0], "进展情况": "写了东西"}], [])
