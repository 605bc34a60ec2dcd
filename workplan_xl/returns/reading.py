"""What reading one return gave: its status, the unit it is from, its values and the lines of 问题清单
(the plain data that travels from the reader processes to collect and the ledger)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

BY_META, BY_SHEET_CODE, BY_SHEET_NAME, BY_FILE_NAME = ("按隐藏信息识别", "按表内单位代码识别", "按表内单位名称识别",
                                                       "按文件名识别")
ACCEPTED, REJECTED, SKIPPED = "accepted", "rejected", "skipped"
RESEND_FORM = "请用下发的填报表重新填写后发送。"
FORM = "form"


@dataclass
class Finding:
    """One line of 问题清单 for this file."""

    cell: str
    problem: str
    action: str


class Value(NamedTuple):
    """The fields of one value taken from a return, in the order Reading.values holds them."""

    kind: str  # task / indicator / form (about the return as a whole: 填报人, 联系电话 …; item_id "")
    item_id: str
    field: str
    value: str
    raw: str
    note: str = ""
    cell: str = ""


ValueRow = tuple[str, str, str, str, str, str, str]  # a Value's fields as a plain tuple


@dataclass
class Reading:
    status: str  # accepted / rejected / skipped
    reason: str = ""
    kind: str = ""
    unit_code: str = ""
    unit_name: str = ""
    identified_by: str = ""
    plan_fingerprint: str = ""
    file_round: str | None = None
    # Plain tuples in Value's field order (kind, item_id, field, value, raw, note, cell): read them as
    # v[0]..v[6]. interpret builds them so, because a return carries a hundred of them from the reader
    # processes and a tuple costs nothing to unpickle; Value(...) rows built elsewhere work alike.
    values: list[ValueRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sha256: str = ""  # of the bytes the worker read ("" when it read none)
    blank: list[str] = field(default_factory=list)  # required cells left blank (完成状态, 填报值)

    def reject(self, cell: str, problem: str, action: str) -> Reading:
        self.status, self.reason = REJECTED, problem
        self.values = []
        self.findings.append(Finding(cell, problem, action))
        return self
