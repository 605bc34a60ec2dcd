"""An upload's way into the ledger: the same reading path as wpx collect (worker processes with their
limits, the quarantine, the same Ledger), one upload at a time.

The upload is first read from a private staging folder, so a file that is not a spreadsheet or
belongs to another unit never enters the returns folder or the ledger (a unit cannot report for
another). Otherwise it is stored in the returns folder under 网页上传/, named "<unit code>_<its own name,
made safe>" (the code in front lets a later plain collect attribute even a broken file), and recorded
by collect's own function; a later `wpx collect` of the returns folder finds every upload already
known. The same bytes uploaded twice are stored and recorded once."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from workplan_xl.cjk import safe_file_name
from workplan_xl.collect import load_plan, record_returns
from workplan_xl.ledger import Ledger, LedgerState
from workplan_xl.plan import Plan, Unit
from workplan_xl.progress import REPORTED
from workplan_xl.returns import BY_FILE_NAME, REJECTED, SKIPPED, PlanIndex, ReaderPool, Reading

UPLOAD_FOLDER = "网页上传"


class KeptPool(ReaderPool):
    """The reader workers stay up between uploads (ReaderPool.read stops them after each call),
    so feedback does not wait for a process to start."""

    def close(self) -> None:  # called by read() when it is done: keep the workers
        pass

    def shutdown(self) -> None:
        ReaderPool.close(self)


@dataclass
class Feedback:
    """What the unit page says right after an upload."""

    outcome: str  # 已采用 / 部分填报 / 有问题 / 未采用
    message: str
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, problem, what to do)
    file: str = ""


@dataclass
class Submission:
    received: str
    file: str
    status: str
    reason: str


STATUS_WORDS = {"accepted": "采用", "superseded": "已被后报的文件替代", "rejected": "未采用", "skipped": "跳过"}


class Intake:
    def __init__(self, master: Path, returns: Path, db: Path, round: str | None = None, workers: int = 2) -> None:
        self.master, self.returns, self.db, self.round = Path(master), Path(returns), Path(db), round
        self.lock = threading.Lock()
        self.plan: Plan = load_plan(self.master)
        self._plan_stamp = self._stamp()
        self.index = PlanIndex(self.plan)
        self.pool = KeptPool(workers=workers).start()
        self.staging = Path(tempfile.mkdtemp(prefix="wpx-serve-"))
        self.returns.mkdir(parents=True, exist_ok=True)
        with Ledger(self.db) as ledger:
            self.state = self._state(ledger)

    def close(self) -> None:
        self.pool.shutdown()
        shutil.rmtree(self.staging, ignore_errors=True)

    @property
    def units(self) -> list[Unit]:
        return self.plan.units

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.plan.units if u.code == code), None)

    # -- an upload ---------------------------------------------------------------------------------
    def accept(self, unit: Unit, original_name: str, staged: Path) -> Feedback:
        """Read, check and record one uploaded file (``staged``, which this call moves or removes)."""
        with self.lock:
            try:
                return self._accept(unit, original_name, staged)
            finally:
                shutil.rmtree(staged.parent, ignore_errors=True)

    def _accept(self, unit: Unit, original_name: str, staged: Path) -> Feedback:
        self._reload_plan()
        name = stored_name(unit, original_name)
        named = staged.with_name(name)  # the worker sees the name collect will see
        staged.rename(named)
        reading: Reading = next(iter(self.pool.read([named], (self.index, self.round))))[1]
        if reading.status == SKIPPED:
            return Feedback("未采用", f"这不是电子表格（{reading.reason.removeprefix('不是电子表格')}）：请上传填好的填报表"
                                      "（.xlsx、.xls、.ods 或 .et 文件）。", file=original_name)
        if reading.unit_code and reading.unit_code != unit.code and reading.identified_by != BY_FILE_NAME:
            return Feedback("未采用", f"这份表是「{reading.unit_name}」的填报表，不是本单位（{unit.name}）的：请上传本单位的"
                                      "填报表。这份文件没有保存。", file=original_name)
        target = self._store(named, name)
        sha = hashlib.sha256(target.read_bytes()).hexdigest()
        with Ledger(self.db) as ledger:
            record_returns(ledger, self.plan, [target], self.round, self.pool)
            self.state = self._state(ledger)
            row = ledger.conn.execute("SELECT id, status, reason FROM submissions WHERE sha256 = ? ORDER BY id DESC LIMIT 1",
                                      (sha,)).fetchone()
            problems = [tuple(p) for p in ledger.conn.execute(
                "SELECT cell, problem, action FROM problems WHERE submission_id = ? ORDER BY id", (row[0],))]
        return _feedback(row[1], row[2], problems, self.unit_state(unit.code), original_name)

    def _store(self, staged: Path, name: str) -> Path:
        """Into the returns folder under its (safe) name; the same bytes are stored once, a different
        file of the same name gets （2）, （3）…"""
        folder = self.returns / UPLOAD_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        data = staged.read_bytes()
        stem, dot, suffix = name.rpartition(".")
        stem, suffix = (stem, dot + suffix) if dot else (name, "")
        n = 1
        while True:
            target = folder / (name if n == 1 else f"{stem}（{n}）{suffix}")
            if not target.exists():
                shutil.move(staged, target)
                return target
            if target.read_bytes() == data:
                return target
            n += 1

    def _reload_plan(self) -> None:
        """The officer may edit the master workbook (the roster, say) while the server runs."""
        stamp = self._stamp()
        if stamp != self._plan_stamp:
            self.plan, self._plan_stamp = load_plan(self.master), stamp
            self.index = PlanIndex(self.plan)

    def _stamp(self) -> tuple[float, int]:
        stat = self.master.stat()
        return stat.st_mtime, stat.st_size

    def _state(self, ledger: Ledger) -> LedgerState:
        round = self.round if self.round is not None else ledger.latest_round()
        return ledger.state(self.plan.units, round or "")

    # -- what the pages show -----------------------------------------------------------------------
    def unit_state(self, code: str):  # noqa: ANN201 - a UnitReport
        return next((u for u in self.state.units if u.unit.code == code), None)

    def history(self, code: str, for_unit: bool = False) -> list[Submission]:
        with Ledger(self.db) as ledger:
            rows = ledger.conn.execute(
                "SELECT received, file_name, status, reason FROM submissions WHERE unit_code = ? AND round IS ?"
                " ORDER BY id DESC", (code, self.state.round)).fetchall()
        return [Submission(r, f, STATUS_WORDS.get(s, s), _OFFICE_NOTE.sub("", reason) if for_unit else reason)
                for r, f, s, reason in rows]

    def write_summary(self, path: Path) -> Path:
        from workplan_xl.consolidated_workbook import write_consolidated_workbook

        with self.lock:
            state = self.state
            return write_consolidated_workbook(state.progress(self.plan), path, details=state.entries)


def stored_name(unit: Unit, original_name: str) -> str:
    name = safe_file_name(original_name) or "回表.xlsx"
    return name if name.startswith(f"{unit.code}_") else f"{unit.code}_{name}"


_OFFICE_NOTE = re.compile(r"（(?:原文件已复制到|未能复制到).*?）")  # where the office keeps a copy: not the unit's business


def _feedback(status: str, reason: str, problems: list[tuple[str, str, str]], report, file: str) -> Feedback:  # noqa: ANN001
    reason = _OFFICE_NOTE.sub("", reason)
    problems = [(cell, _OFFICE_NOTE.sub("", problem), _OFFICE_NOTE.sub("", action)) for cell, problem, action in problems]
    if status == REJECTED:
        return Feedback("有问题", f"这份文件没有采用：{reason}。请按下面的说明修改后重新上传。", problems, file)
    state = report.state if report is not None else ""
    if state not in (REPORTED, "有问题") and state:  # 部分填报 and any finer state the ledger gives
        return Feedback(state, "已收到，但还有必填的内容没有填写：请补填下列单元格后重新上传。", problems, file)
    if problems:
        return Feedback("已采用", "已采用。下列内容请核实，如有错误请修改后重新上传：", problems, file)
    return Feedback("已采用", "已采用，谢谢！如需修改，改好后重新上传即可，以最后一次上传的为准。", [], file)
