"""wpx collect and wpx status: returns folder → ledger → 汇总.xlsx, and who has not reported yet.

Files are taken in a fixed order (sorted paths) and recorded in that order, whatever order the
workers finish in, so the same folder always gives the same ledger and the same workbook. A file
whose path, size and time (or, failing that, bytes) the ledger already holds is not read again. A file
that is not used (hostile, unreadable, of another plan or round, of no known unit) is copied, never
moved, into 隔离区 beside the ledger, and 问题清单 says where."""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from workplan_xl.errors import RosterError, WorkplanError
from workplan_xl.isolated import Child, spare_process
from workplan_xl.ledger import FileRecord, Ledger, round_file_name
from workplan_xl.ledger_place import confirm_new_ledger, require_ledger, returns_folders
from workplan_xl.ledger_state import LedgerState, read_state, round_state
from workplan_xl.master_workbook.read import start_master_plan
from workplan_xl.outputs import Inputs, check_not_input
from workplan_xl.outputs import check_output as check_outputs
from workplan_xl.plan import Plan, Unit
from workplan_xl.progress import MISSING, PARTIAL, PROBLEM, REPORTED, Problem, Progress, counts_sentence
from workplan_xl.returns import (
    REJECTED,
    SKIPPED,
    Finding,
    PlanIndex,
    ReaderPool,
    Reading,
    quarantine_copy,
    quarantine_folder,
    skip_reason,
)
from workplan_xl.returns.identify import blame_file_name
from workplan_xl.returns.unpack import Unpacked, unpack_containers
from workplan_xl.returns_folder import file_record, files_seen, list_files, place

ProgressFactory = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]
_COMMIT_SECONDS = 1.0  # a ledger transaction lasts about this long


@dataclass
class CollectResult:
    """What one collect run did; ``summary()`` is what wpx collect prints."""

    output: Path
    db: Path
    round: str
    files: int = 0
    read: int = 0
    known: int = 0
    duplicates: int = 0
    skipped: int = 0
    quarantined: int = 0  # rejected files copied into the quarantine folder in this run
    quarantine: Path | None = None
    other_rounds: dict[str, int] = field(default_factory=dict)
    pinned: list[tuple[Unit, str]] = field(default_factory=list)  # pins set or lifted in this run
    progress: Progress | None = None
    state: LedgerState | None = None
    files_seen: list[list[str]] = field(default_factory=list)  # 文件清单's rows
    sources: list[Path] = field(default_factory=list)
    fates: dict[str, tuple[int | None, bool, str]] = field(default_factory=dict)  # file → (submission, duplicate?, name)
    backup: Path | None = None  # where the 汇总 this run replaced went (备份/)
    roots: list[Path] = field(default_factory=list)  # what a file's place is relative to (see _place)

    @property
    def exit_code(self) -> int:
        return 3 if self.problems else 0

    @property
    def problems(self) -> list[Problem]:
        """问题清单 as 汇总.xlsx writes it: the ledger's, plus what the figures show (conflicting values)."""
        if self.progress is not None:
            return self.progress.problems
        return self.state.problems if self.state is not None else []

    def summary(self) -> str:
        assert self.state is not None
        lines = [f"回表文件 {self.files} 个：新读入 {self.read} 个，已登记过 {self.known} 个，"
                 f"与其他文件内容相同 {self.duplicates} 个，跳过 {self.skipped} 个（临时文件、系统文件或非表格附件）。"]
        lines.append(_counts_line(self.round, self.state))
        for unit, name in self.pinned:
            lines.append(f"已指定{unit.name}（{unit.code}）采用「{name}」（记入台账数据库，以后每次收集都按此采用）。" if name else
                         f"已取消对{unit.name}（{unit.code}）的指定，恢复按规则采用较新的可用回表。")
        missing = [u for u in self.state.units if u.state == MISSING]
        if missing:
            lines.append("未报：" + "、".join(f"{u.unit.name}（{u.unit.code}）" for u in missing))
        for other, count in sorted(self.other_rounds.items()):
            lines.append(f"另有 {count} 个文件属于「{other or '未分批次'}」批次，未计入本批次；如需汇总它们，请加 --round 指定批次。")
        problems = self.problems
        if problems:
            files = len({p.file for p in problems})
            lines.append(f"问题清单共 {len(problems)} 条（涉及 {files} 个文件），请查看汇总表的「问题清单」。")
        if self.quarantined:
            lines.append(f"未使用的 {self.quarantined} 个文件已复制到隔离区（原文件未动）：{self.quarantine}")
        if self.backup is not None:
            lines.append(f"原汇总表已移到：{self.backup}")
        lines.append(f"已写入汇总表：{self.output}")
        return "\n".join(lines)


def _counts_line(round: str, state: LedgerState) -> str:
    return f"批次「{round or '未分批次'}」：{counts_sentence(state.units)}。"


def collect_returns(master: Path, sources: list[Path], output: Path | None = None, round: str | None = None,
                    db: Path | None = None, progress: ProgressFactory | None = None,
                    pool: ReaderPool | None = None, pins: dict[str, str] | None = None,
                    confirm: Callable[[str], bool] | None = None) -> CollectResult:
    """Read the returns in ``sources`` (folders, walked recursively, or files) into the ledger and
    write 汇总.xlsx. ``round`` None takes the round written on the forms. ``pins`` (unit code → file
    name, '' to lift) records which file the officer wants used for a unit; it holds for later runs.
    ``confirm`` is asked before a new, empty ledger is started for a 台账 whose returns were collected
    before (ledger_place.py)."""
    with _cyclic_gc_paused():
        return _collect_returns(Path(master), sources, output, round, db, progress, pool, pins or {}, confirm)


def parse_pins(texts: list[str] | tuple[str, ...]) -> dict[str, str]:
    """--pin 代码=文件名 (repeatable) → {code: file name}; 代码= lifts the pin."""
    pins: dict[str, str] = {}
    for text in texts:
        code, sep, name = text.partition("=")
        if not sep or not code.strip():
            raise WorkplanError(f"--pin 的值「{text}」格式不对：请写成 代码=文件名（如 --pin 1003=1003_实验小学.xlsx；"
                                "写 代码= 则取消指定）。")
        pins[code.strip()] = Path(name.strip()).name
    return pins


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """A run makes a few million small objects (values, entries, rows) and no garbage cycles to speak
    of; the cyclic collector would walk all of them again and again. Reference counting still frees."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _collect_returns(master: Path, sources: list[Path], output: Path | None, round: str | None, db: Path | None,
                     progress: ProgressFactory | None, pool: ReaderPool | None, pins: dict[str, str],
                     confirm: Callable[[str], bool] | None = None) -> CollectResult:
    from workplan_xl.consolidated_workbook import PRELOAD as DETAILS_PRELOAD
    from workplan_xl.consolidated_workbook import check_output, start_consolidated_workbook

    db = Path(db) if db is not None else master.with_suffix(".db")
    # Each round its own 汇总 by default (汇总_<批次>.xlsx), so no round's collect overwrites another's;
    # when the round comes from the forms the name is settled once they are read.
    named = output is not None
    output = Path(output) if named else master.parent / round_file_name(round or "")
    inputs = Inputs(master=master, ledger=db, returns=[Path(s) for s in sources], collected=returns_folders(master, db))
    check_outputs(output, "workbook", "汇总表", inputs)
    check_not_input(db, "台账数据库", Inputs(master=master), option="--db")
    check_output(output)
    pool = pool or ReaderPool()
    spare: Child | None = None
    try:
        # One more process: it reads the 台账 (started first: the readers are not needed before), then,
        # loaded meanwhile, makes 明细's rows when they are many.
        spare = spare_process(preload=DETAILS_PRELOAD)
        pool.start()  # the readers load while the master workbook is read
        finish_plan = start_master_plan(master, spare)
        quarantine = quarantine_folder(db)
        try:  # the returns are listed (and archives opened) while the 台账 is read
            files = list_files([Path(s) for s in sources], exclude=[master, db, output, quarantine])
        except WorkplanError:
            finish_plan()  # a problem of the 台账 is said first, as when it was read first
            raise
        with ExitStack() as stack:
            items = stack.enter_context(unpack_containers(files))  # each attachment and archive member a return
            plan = finish_plan()
            roster = {u.code: u for u in plan.units}
            for code in pins:
                if code not in roster:
                    raise RosterError(f"--pin 中的单位代码「{code}」不在台账的填报单位名单中：请检查代码。")
            confirm_new_ledger(master, db, plan.title, plan.fingerprint(), confirm)
            ledger = stack.enter_context(Ledger(db))
            result = CollectResult(output, db, round or "", files=len(items), quarantine=quarantine,
                                   sources=[Path(s).absolute() for s in sources],
                                   roots=[master.parent, *(Path(s).parent for s in sources)])
            state = result.state = _collect(ledger, plan, items, round, pool, progress, result, pins)
            ledger.note_folders([Path(s) for s in sources if Path(s).is_dir()])  # no form is written there
            pool.close()
            if not named and output.name != round_file_name(result.round):
                output = result.output = master.parent / round_file_name(result.round)
                check_outputs(output, "workbook", "汇总表", inputs)
                check_output(output)
            moved: list[Path] = []
            with start_consolidated_workbook(output, plan, state.units, state.entries, spare) as book:
                spare = None  # the book's now
                # while 明细's rows are made (in another process when there are many):
                result.files_seen = files_seen(ledger, result.fates, result.sources, result.roots)
                result.progress = state.progress(plan, book.counting(state.entries))  # 明细's rows counted too
                book.write(result.progress, moved, result.files_seen)
    finally:
        pool.close()
        if spare is not None:
            spare.cancel()
    result.backup = moved[0] if moved else None
    return result


def record_returns(ledger: Ledger, plan: Plan, files: list[Path], round: str | None, pool: ReaderPool) -> LedgerState:
    """Read ``files`` into an open ledger exactly as collect does (the path wpx serve takes for each
    upload), without writing 汇总.xlsx."""
    result = CollectResult(ledger.path.parent / "汇总.xlsx", ledger.path, round or "", files=len(files),
                           quarantine=quarantine_folder(ledger.path))
    return _collect(ledger, plan, list(files), round, pool, None, result, {})


def _collect(ledger: Ledger, plan: Plan, files: list[Path | Unpacked], round: str | None, pool: ReaderPool,
             progress: ProgressFactory | None, result: CollectResult, pins: dict[str, str]) -> LedgerState:
    index = PlanIndex(plan)
    quarantine = result.quarantine or quarantine_folder(result.db)
    run = ledger.start_run(round, index.fingerprint, plan.units)
    todo, copies, file_rounds = _triage(ledger, run, files, round, result, index)
    outcomes: list[tuple[str, str | None]] = []  # (status, round on the form); the values are in the ledger
    with _progress(progress, len(todo)) as update:
        readings = _in_order(todo, pool, (index, round), update)
        more = True
        while more:  # one transaction about every second: an interrupted run keeps most of its work
            more, deadline = False, time.monotonic() + _COMMIT_SECONDS
            with ledger.transaction():
                # Each reading is recorded as it comes, so this process is soon back to hand the
                # workers more files; the workers never wait for the ledger.
                for record, reading in readings:
                    reading = _same_bytes(record, reading)
                    if reading.status == REJECTED:
                        result.quarantined += _quarantine(record, reading, quarantine)
                    sid = ledger.add_submission(run, record, round if round is not None else reading.file_round, reading)
                    result.fates[record.key] = (sid, False, record.name)
                    outcomes.append((reading.status, reading.file_round))
                    if time.monotonic() > deadline:
                        more = True
                        break
    result.read += len(todo)
    file_rounds += [file_round for status, file_round in outcomes if status != SKIPPED]
    result.skipped += sum(1 for status, _ in outcomes if status == SKIPPED)
    result.round = round if round is not None else _most_common(file_rounds, ledger.latest_round())
    if round is None:
        result.other_rounds = dict(Counter(r for r in file_rounds if r is not None and r != result.round))
    ledger.finish_run(run, result.round)
    with ledger.transaction():
        for record in copies:  # same bytes as a file read in this run: a sighting, not a submission
            first = ledger.evaluated(record.sha256, round)
            result.fates[record.key] = (first, True, record.name)
            if first is not None:
                ledger.add_sighting(run, first, record, duplicate=True)
    units = {u.code: u for u in plan.units}
    for code, name in pins.items():
        if name:
            ledger.check_pin(result.round, units[code], name)
        ledger.pin(result.round, code, name)
        result.pinned.append((units[code], name))
    for touched in {result.round, *(r for r in file_rounds if r is not None)}:
        ledger.settle(touched)
    return round_state(ledger, plan.units, result.round)


def _same_bytes(record: FileRecord, reading: Reading) -> Reading:
    """The worker hashes the bytes it read: if they are not the bytes collect hashed before, the file
    was being written meanwhile, and what was read is not what the ledger would record."""
    if not reading.sha256 or reading.sha256 == record.sha256 or reading.status == SKIPPED:
        return reading
    problem = f"文件「{record.name}」在收集过程中被改动了（可能正在保存或复制），本次未使用"
    return Reading(REJECTED, reason=problem, unit_code=reading.unit_code, unit_name=reading.unit_name,
                   identified_by=reading.identified_by,
                   findings=[Finding("", problem, "请等文件保存或复制完成后重新运行 wpx collect。")])


def _quarantine(record: FileRecord, reading: Reading, folder: Path) -> int:
    """Copy a rejected return into the quarantine folder and say where, in the 处理建议 of its
    问题清单 line (for the office; the problem itself stays what the school is told)."""
    if record.sha256.startswith("unreadable:"):
        return 0  # nothing could be read, so there is nothing to copy
    try:
        name = quarantine_copy(record.path, record.sha256, record.name, folder)
        note, copied = f"（原文件已复制到{folder.name}：{name}）", 1
    except OSError as error:
        note, copied = f"（未能复制到{folder.name}：{error.strerror or error}）", 0
    for finding in reading.findings:
        if finding.problem == reading.reason:
            finding.action += note
    reading.reason += note
    return copied


def _triage(ledger: Ledger, run: int, files: list[Path | Unpacked], round: str | None, result: CollectResult,
            index: PlanIndex) -> tuple[list[FileRecord], list[FileRecord], list[str | None]]:
    """Decide per file: skip (lock/system file), already in the ledger, a duplicate, or to read."""
    todo: list[FileRecord] = []
    copies: list[FileRecord] = []
    known_rounds: list[str | None] = []
    in_run: set[str] = set()
    with ledger.transaction():
        for item in files:
            if isinstance(item, Unpacked) and item.reading is not None:  # a member or archive that cannot be read
                known = ledger.evaluated(item.record.sha256, round)
                if known is None:
                    reading = blame_file_name(item.reading, item.record.name, index)
                    known = ledger.add_submission(run, item.record, round, reading)
                    result.read += 1
                else:
                    result.known += 1
                result.fates[item.record.key] = (known, False, item.record.name)
                continue
            path = item.record.path if isinstance(item, Unpacked) else item
            record = item.record if isinstance(item, Unpacked) else file_record(path, ledger)
            reason = skip_reason(path)
            if reason is not None:
                known = ledger.evaluated(record.sha256, round)
                if known is None:
                    known = ledger.add_submission(run, record, round, Reading(SKIPPED, reason=reason))
                result.fates[record.key] = (known, False, record.name)
                result.skipped += 1
                continue
            known = ledger.evaluated(record.sha256, round)
            if known is not None:
                same_place = (ledger.known_hash(record.key, record.size, record.mtime) == record.sha256
                              or ledger.seen_at(record.sha256, place(record.path, result.roots)))
                ledger.add_sighting(run, known, record, duplicate=not same_place)
                result.fates[record.key] = (known, not same_place, record.name)
                known_rounds.append(ledger.file_round(known))
                if same_place:
                    result.known += 1
                else:
                    result.duplicates += 1
                continue
            if record.sha256 in in_run:
                copies.append(record)
                result.fates[record.key] = (None, True, record.name)
                result.duplicates += 1
                continue
            in_run.add(record.sha256)
            todo.append(record)
            result.fates[record.key] = (None, False, record.name)
    return todo, copies, known_rounds


def _in_order(todo: list[FileRecord], pool: ReaderPool, plan: tuple[PlanIndex, str | None],
              update: Callable[[int], None]) -> Iterator[tuple[FileRecord, Reading]]:
    """Readings in input order, whatever order the workers finish in. The workers read and
    interpret (the plan goes to each worker once); this process keeps the ledger."""
    waiting: dict[int, Reading] = {}
    next_index = 0
    for index, raw in pool.read([r.path for r in todo], plan):
        waiting[index] = raw
        update(1)
        while next_index in waiting:
            yield todo[next_index], waiting.pop(next_index)
            next_index += 1


def _most_common(rounds: list[str | None], fallback: str | None) -> str:
    counted = Counter(r for r in rounds if r is not None)
    if not counted:
        return fallback or ""
    top = max(counted.values())
    return max(r for r, n in counted.items() if n == top)


@contextmanager
def _progress(progress: ProgressFactory | None, total: int) -> Iterator[Callable[[int], None]]:
    if progress is None:
        yield lambda n=1: None
    else:
        with progress("读取回表", total) as update:
            yield update


def reporting_status(master: Path, round: str | None = None, db: Path | None = None) -> str:
    """Who has and has not reported, from the ledger alone (no return is read)."""
    from workplan_xl.master_workbook import check_master_workbook

    if Path(master).suffix.lower() != ".json":
        check_master_workbook(Path(master))  # `wpx status 汇总.xlsx` says it is a 汇总, not a 台账
    db = require_ledger(Path(master), db)
    state = read_state(None, db, round)
    lines = [_counts_line(state.round, state)]
    for label in (MISSING, PROBLEM, PARTIAL, REPORTED):
        units = [u for u in state.units if u.state == label]
        if units:
            lines.append(f"{label}（{len(units)}）：" + "、".join(f"{u.unit.name}（{u.unit.code}）" for u in units))
    return "\n".join(lines)
