"""What reading one return gave: its status, the unit it is from, its values and the lines of 问题清单
(the plain data that travels from the reader processes to collect and the ledger)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

BY_META, BY_SHEET_CODE, BY_SHEET_NAME, BY_FILE_NAME = ("按隐藏信息识别", "按表内单位代码识别", "按表内单位名称识别",
                                                       "按文件名识别")
ACCEPTED, REJECTED, SKIPPED = "accepted", "rejected", "skipped"
RESEND_FORM = "请用下发的填报表重新填写后发送。"
FORM = "form"
# What the readers can read, as a number the ledger keeps per run: raised when a file refused or skipped
# before may now be read (2: CSV returns). A later collect reads such files again instead of keeping the
# old verdict (ledger.Ledger.evaluated).
READER_VERSION = 2


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
    packed: tuple[str, int, str] | None = None  # ``values`` as the ledger stores them, once pack() is called

    def reject(self, cell: str, problem: str, action: str) -> Reading:
        self.status, self.reason = REJECTED, problem
        self.values, self.packed = [], None
        self.findings.append(Finding(cell, problem, action))
        return self

    def stored(self) -> tuple[str, int, str]:
        """The values as the ledger stores them: the items' values as JSON, their count, and the
        填报人 block (kind "form") as JSON."""
        if self.packed is not None:
            return self.packed
        form = [v for v in self.values if v[0] == FORM]
        values = [v for v in self.values if v[0] != FORM] if form else self.values
        return encode_values(values), len(values), encode_values(form)

    def pack(self) -> Reading:
        """Keep only stored() for the trip from the reader process to the ledger: one string pickles in a
        fraction of the time a hundred tuples take, and the JSON is made by a reader, in parallel, not by
        the process that keeps the ledger. ``values`` is empty afterwards."""
        self.packed, self.values = self.stored(), []
        return self


def encode_values(values: Sequence[Sequence[str]]) -> str:
    """Value rows as one compact JSON array (Chinese as it is), the ledger's form of them."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))
