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
import logging
import queue
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from workplan_xl.cjk import safe_file_name
from workplan_xl.collect import record_returns
from workplan_xl.ledger import Ledger
from workplan_xl.ledger_state import LedgerState, round_state
from workplan_xl.master_workbook.read import read_master_plan
from workplan_xl.plan import Plan, Unit
from workplan_xl.progress import REPORTED
from workplan_xl.returns import BY_FILE_NAME, REJECTED, SKIPPED, PlanIndex, ReaderPool, Reading

UPLOAD_FOLDER = "网页上传"
log = logging.getLogger("wpx.serve")


class KeptPool(ReaderPool):
    """The reader workers stay up between uploads (ReaderPool.read stops them after each call), so
    feedback does not wait for a process to start. A reading already made for a stored upload is
    remembered, so collect's path records it without reading the same bytes a second time."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.known: dict[str, Reading] = {}

    def read(self, paths, plan=None):  # noqa: ANN001, ANN201 - ReaderPool.read's own signature
        hits = {i: self.known.pop(str(p)) for i, p in enumerate(paths) if str(p) in self.known}
        yield from hits.items()
        rest = [i for i in range(len(paths)) if i not in hits]
        if rest:
            for j, result in super().read([paths[i] for i in rest], plan):
                yield rest[j], result

    def close(self) -> None:  # called by read() when it is done: keep the workers
        pass

    def shutdown(self) -> None:
        self.known.clear()
        ReaderPool.close(self)


@dataclass
class _Job:
    unit: Unit
    original_name: str
    staged: Path
    done: threading.Event = field(default_factory=threading.Event)
    feedback: Feedback | None = None


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
    """One thread owns the ledger connection and the reader pool; uploads queue for it and are taken
    in batches (all that arrived while the previous batch was recorded), so two readers work at once
    and a batch costs one ledger run, as in wpx collect."""

    BATCH = 16

    def __init__(self, master: Path, returns: Path, db: Path, round: str | None = None, workers: int = 2) -> None:
        self.master, self.returns, self.db, self.round = Path(master), Path(returns), Path(db), round
        self.lock = threading.Lock()  # around the plan and state the pages read
        self.plan: Plan = read_master_plan(self.master)
        self._plan_stamp = self._stamp()
        self.index = PlanIndex(self.plan)
        self.staging = Path(tempfile.mkdtemp(prefix="wpx-serve-"))
        self.returns.mkdir(parents=True, exist_ok=True)
        self.queue: queue.Queue[_Job | None] = queue.Queue()
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(workers,), name="wpx-intake", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._failure is not None:
            raise self._failure

    def close(self) -> None:
        self.queue.put(None)
        self._thread.join(timeout=60)
        shutil.rmtree(self.staging, ignore_errors=True)

    @property
    def units(self) -> list[Unit]:
        return self.plan.units

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.plan.units if u.code == code), None)

    # -- an upload ---------------------------------------------------------------------------------
    def accept(self, unit: Unit, original_name: str, staged: Path) -> Feedback:
        """Read, check and record one uploaded file (``staged``, which is moved or removed)."""
        job = _Job(unit, original_name, staged)
        self.queue.put(job)
        job.done.wait()
        assert job.feedback is not None
        return job.feedback

    def _run(self, workers: int) -> None:
        try:
            pool = KeptPool(workers=workers).start()
            ledger = Ledger(self.db)
            ledger.note_folders([self.returns])  # no form is written there
            self.state = self._state(ledger)
        except BaseException as error:  # noqa: BLE001 - raised again in the constructor's thread
            self._failure = error
            self._ready.set()
            return
        self._ready.set()
        try:
            while True:
                jobs = [self.queue.get()]
                while len(jobs) < self.BATCH and not self.queue.empty():
                    jobs.append(self.queue.get_nowait())
                live = [j for j in jobs if j is not None]
                try:
                    self._batch(live, ledger, pool)
                except Exception:  # noqa: BLE001 - the uploads are told; the server keeps serving
                    log.exception("upload batch failed")
                    for job in live:
                        job.feedback = job.feedback or Feedback("未采用", "服务器处理这份文件时出错，没有保存：请稍后重新上传；"
                                                                        "如果一直不行，请改用邮件发送。", file=job.original_name)
                for job in live:
                    shutil.rmtree(job.staged.parent, ignore_errors=True)
                    job.done.set()
                if len(live) < len(jobs):
                    return
        finally:
            ledger.__exit__(None, None, None)
            pool.shutdown()

    def _batch(self, jobs: list[_Job], ledger: Ledger, pool: KeptPool) -> None:
        self._reread_master_plan()
        named = []
        for job in jobs:
            name = stored_name(job.unit, job.original_name)
            path = job.staged.with_name(name)  # the worker sees the name collect will see
            job.staged.rename(path)
            job.staged = path
            named.append(name)
        readings: dict[int, Reading] = dict(pool.read([j.staged for j in jobs], (self.index, self.round)))
        stored: list[tuple[_Job, Path, str]] = []
        for n, job in enumerate(jobs):
            reading = readings[n]
            if reading.status == SKIPPED:
                job.feedback = Feedback("未采用", f"这不是电子表格（{reading.reason.removeprefix('不是电子表格')}）：请上传"
                                                 "填好的填报表（.xlsx、.xls、.ods 或 .et 文件）。", file=job.original_name)
            elif reading.unit_code and reading.unit_code != job.unit.code and reading.identified_by != BY_FILE_NAME:
                job.feedback = Feedback("未采用", f"这份表是「{reading.unit_name}」的填报表，不是本单位（{job.unit.name}）的："
                                                 "请上传本单位的填报表。这份文件没有保存。", file=job.original_name)
            else:
                sha = hashlib.sha256(job.staged.read_bytes()).hexdigest()
                target = self._store(job.staged, named[n])
                pool.known[str(target)] = reading
                stored.append((job, target, sha))
        if not stored:
            return
        try:
            state = record_returns(ledger, self.plan, list(dict.fromkeys(t for _, t, _ in stored)), self.round, pool)
        finally:
            pool.known.clear()
        with self.lock:
            self.state = state if state.round == self._round(ledger) else self._state(ledger)
        for job, _, sha in stored:
            row = ledger.conn.execute("SELECT id, status, reason FROM submissions WHERE sha256 = ? ORDER BY id DESC LIMIT 1",
                                      (sha,)).fetchone()
            problems = [tuple(p) for p in ledger.conn.execute(
                "SELECT cell, problem, action FROM problems WHERE submission_id = ? ORDER BY id", (row[0],))]
            job.feedback = _feedback(row[1], row[2], problems, self.unit_state(job.unit.code), job.original_name)

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

    def _reread_master_plan(self) -> None:
        """The officer may edit the master workbook (the roster, say) while the server runs."""
        stamp = self._stamp()
        if stamp != self._plan_stamp:
            plan = read_master_plan(self.master)
            with self.lock:
                self.plan, self._plan_stamp, self.index = plan, stamp, PlanIndex(plan)

    def _stamp(self) -> tuple[float, int]:
        stat = self.master.stat()
        return stat.st_mtime, stat.st_size

    def _round(self, ledger: Ledger) -> str:
        return (self.round if self.round is not None else ledger.latest_round()) or ""

    def _state(self, ledger: Ledger) -> LedgerState:
        return round_state(ledger, self.plan.units, self._round(ledger))

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
            state, plan = self.state, self.plan
        return write_consolidated_workbook(state.progress(plan), path, details=state.entries)


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
