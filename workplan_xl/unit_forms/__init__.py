"""wpx forms: one protected fill-in workbook per reporting unit, holding only that unit's tasks and
indicators (plan.units_for decides who reports what).

content.py turns the Plan into small picklable FormContent objects; sheets.py turns one into .xlsx
bytes; stamp.py builds each distinct layout once and stamps every unit's form from it. Hundreds of
forms are shared out to worker processes. A file already in the output folder is never silently
overwritten: an identical one is left alone, any other is moved to <folder>/备份/ first (outputs.py),
since a school may have filled it in already.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from workplan_xl.cjk import safe_file_name
from workplan_xl.errors import OutputError, RosterError
from workplan_xl.isolated import usable_cores as _cores
from workplan_xl.outputs import Inputs, check_folder, check_not_input, move_aside
from workplan_xl.plan import Plan, Unit
from workplan_xl.unit_forms.content import FormContent, build_contents, items_by_unit, text
from workplan_xl.unit_forms.sheets import form_bytes
from workplan_xl.unit_forms.stamp import Stamper

__all__ = ["FormsWritten", "build_contents", "form_bytes", "items_by_unit", "make_unit_forms",
           "write_unit_forms"]

Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]

# Below this many forms a process pool costs more (start-up, pickling, layouts built twice) than it
# saves: stamping writes a few hundred forms a second in one process.
POOL_THRESHOLD = 200
_CHUNK = 50
_NAME_MAX = 80


class FormsWritten(list[Path]):
    """The paths written (a list), plus the units skipped for having nothing to report and the
    same-named older files moved to 备份 (old path, new path)."""

    def __init__(self, paths: list[Path] | None = None, skipped: list[Unit] | None = None,
                 moved: list[tuple[Path, Path]] | None = None) -> None:
        super().__init__(paths or [])
        self.skipped: list[Unit] = skipped or []
        self.moved: list[tuple[Path, Path]] = moved or []

    @property
    def notes(self) -> list[str]:
        """What the CLI says after the count: units without a form, older files moved aside."""
        lines = []
        if self.skipped:
            names = "、".join(f"{u.name}（{u.code}）" for u in self.skipped[:10])
            more = f"等 {len(self.skipped)} 个" if len(self.skipped) > 10 else ""
            lines.append(f"没有需要填报的任务或指标、未生成填报表的单位：{names}{more}")
        if self.moved:
            lines.append(f"同名旧文件 {len(self.moved)} 份已移到：{self.moved[0][1].parent}")
        return lines


@dataclass
class _Job:
    content: FormContent
    path: Path
    password: str


def write_unit_forms(plan: Plan, folder: Path, round: str = "", codes: list[str] | None = None,
                     password: str | None = None, progress: Progress | None = None,
                     inputs: Inputs | None = None, links: dict[str, str] | None = None) -> FormsWritten:
    """Write one form per unit of ``plan.units`` (or only ``codes``) into ``folder``; return the paths.

    Units with nothing to report get no form: they are in the result's ``skipped``. No form lands on
    one of ``inputs`` (the master workbook, its ledger).
    """
    units = _chosen_units(plan, codes)
    folder = Path(folder)
    check_folder(folder, "填报表", inputs)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"无法创建输出文件夹「{folder}」（{error.strerror or error}）：请换一个有写入权限的位置。") from error
    contents = build_contents(plan, units, round)
    for content in contents if links else ():
        content.link = links.get(content.unit_code, "")  # type: ignore[union-attr]
    kept = {c.unit_code for c in contents}
    skipped = [u for u in units if text(u.code) not in kept]
    names = form_names(contents, plan.title, round)
    jobs = [_Job(c, folder / n, password or "") for c, n in zip(contents, names, strict=True)]
    for job in jobs:
        check_not_input(job.path, "填报表", inputs)
    moved: list[tuple[Path, Path]] = []
    with _progress(progress, len(jobs)) as update:
        if len(jobs) > POOL_THRESHOLD and _cores() > 1:
            try:
                moved = _write_pooled(jobs, update)
            except BrokenProcessPool:  # a worker died (memory, a killed process): finish here
                moved = _write_serial(jobs, lambda n: None)
        else:
            moved = _write_serial(jobs, update)
    return FormsWritten([j.path for j in jobs], skipped, moved)


def make_unit_forms(master: Path, output: Path, round: str = "", codes: list[str] | None = None,
                    password: str | None = None, progress: Progress | None = None) -> FormsWritten:
    """What ``wpx forms`` calls: read the master workbook 台账.xlsx, then write the forms."""
    from workplan_xl.ledger_place import returns_folders
    from workplan_xl.master_workbook import read_master_workbook

    inputs = Inputs(master=Path(master), ledger=Path(master).with_suffix(".db"), collected=returns_folders(master))
    check_folder(Path(output), "填报表", inputs)
    plan = read_master_workbook(Path(master))
    _chosen_units(plan, codes, f"台账「{Path(master).name}」")  # the same checks, naming the file
    from workplan_xl.serve.settings import read_links

    return write_unit_forms(plan, Path(output), round=round, codes=codes, password=password,
                            progress=progress, inputs=inputs, links=read_links(Path(master)))


def _chosen_units(plan: Plan, codes: list[str] | None, master: str = "台账") -> list[Unit]:
    if not plan.units:
        raise RosterError(f"{master}中没有填报单位：请在{master}的「填报单位」工作表中填写单位代码和名称后再生成填报表。")
    if not codes:
        return list(plan.units)
    wanted = [c.strip() for c in codes if c.strip()]
    known = {u.code for u in plan.units}
    unknown = list(dict.fromkeys(c for c in wanted if c not in known))
    if unknown:
        listed = "」「".join(unknown)
        sample = "、".join(u.code for u in plan.units[:5]) + ("等" if len(plan.units) > 5 else "")
        raise RosterError(f"单位代码「{listed}」不在{master}的填报单位名单中：可用的代码有 {sample}"
                          f"（共 {len(plan.units)} 个），请检查 --units 参数。")
    return [u for u in plan.units if u.code in set(wanted)]


def form_names(contents: list[FormContent], title: str, round: str = "") -> list[str]:
    """<代码>_<单位名称>_<计划标题>[_<批次>].xlsx, safe on every desktop and unique ignoring case."""
    suffix = "_" + safe_file_name(round, 20) if round.strip() else ""
    taken: set[str] = set()
    names = []
    for content in contents:
        stem = safe_file_name(f"{content.unit_code}_{content.unit_name}_{title}".strip("_"),
                              _NAME_MAX - len(suffix)) + suffix
        name, n = stem + ".xlsx", 2
        while name.lower() in taken:
            name, n = f"{stem}({n}).xlsx", n + 1
        taken.add(name.lower())
        names.append(name)
    return names


@contextmanager
def _progress(progress: Progress | None, total: int) -> Iterator[Callable[[int], None]]:
    if progress is None:
        yield lambda n=1: None
    else:
        with progress("生成填报表", total) as update:
            yield update


def _write_serial(jobs: list[_Job], update: Callable[[int], None]) -> list[tuple[Path, Path]]:
    stamper = Stamper(jobs[0].password if jobs else "")
    moved = []
    for job in jobs:
        moved.extend(_write_one(job, stamper))
        update(1)
    return moved


def _write_pooled(jobs: list[_Job], update: Callable[[int], None]) -> list[tuple[Path, Path]]:
    # Forms of one layout go to the same chunk, so each worker builds each layout about once.
    ordered = sorted(jobs, key=lambda j: j.content.items_key)
    chunks = [ordered[i:i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]
    moved: list[tuple[Path, Path]] = []
    with ProcessPoolExecutor(max_workers=min(4, _cores())) as pool:
        futures = {pool.submit(_write_chunk, chunk): len(chunk) for chunk in chunks}
        for future in as_completed(futures):
            moved.extend(future.result())
            update(futures[future])
    return sorted(moved)


def _write_chunk(jobs: list[_Job]) -> list[tuple[Path, Path]]:
    """Runs in a worker process."""
    return _write_serial(jobs, lambda n: None)


def _write_one(job: _Job, stamper: Stamper) -> list[tuple[Path, Path]]:
    data = stamper.form_bytes(job.content)
    moved: list[tuple[Path, Path]] = []
    try:
        if job.path.exists():
            backup = move_aside(job.path, replacement=data)
            if backup is None and job.path.is_file():
                return moved  # our own unfilled form of the same plan, byte for byte
            if backup is not None:
                moved.append((job.path, backup))
        job.path.write_bytes(data)
    except OSError as error:
        raise OutputError(f"无法写入填报表「{job.path}」（{error.strerror or error}）："
                          "文件可能正在 Excel/WPS 中打开，请关闭后重试。") from error
    return moved
