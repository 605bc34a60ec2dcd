"""`wpx build`: plan document (or Plan JSON, or an earlier 台账) + roster → 台账.xlsx.

Nothing is overwritten that cannot be recovered: an existing output is moved into the 备份 folder beside
it (outputs.py) — only after the new workbook has been written completely, so a failure leaves the old
file where it was. The output is never the plan or roster being read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workplan_xl.errors import OutputError, PlanStructureError
from workplan_xl.ledger_place import returns_folders
from workplan_xl.master_workbook.load import is_master_workbook, load_plan
from workplan_xl.master_workbook.write import write_master_workbook
from workplan_xl.outputs import Inputs, check_output, replace_output
from workplan_xl.plan import apply_default_aggregates
from workplan_xl.roster import read_roster, units_from_owners


def build_master_workbook(plan_file: Path, output: Path, roster: Path | None = None,
                          echo: Callable[[str], None] | None = None) -> Path:
    """Read the plan, take the roster (or the plan's owners as one), write ``output``; returns its path.

    ``echo`` is told about a backup of an existing output.
    """
    output = Path(output)
    check_output(output, "master", "台账", Inputs(plan=Path(plan_file), collected=_known_returns(Path(plan_file)),
                                                 others={"填报单位名单": Path(roster)} if roster else {}))
    # rebuilding from an earlier 台账 keeps the parts it stores but does not show (a 工作总结)
    plan = load_plan(Path(plan_file), include_other_parts=True)
    if plan.parts and all(part.kind == "summary" for part in plan.parts):
        # last year's 总结 picked instead of this year's 要点: its 成效 would become the tasks to track
        raise PlanStructureError(
            f"「{Path(plan_file).name}」是工作总结（{plan.parts[0].title or plan.title}），不是工作要点或工作计划：台账要按"
            "本年度的工作要点（或工作计划、任务分解表）生成，请给出那份文件；如果要跟踪其中的“工作打算”，请把这部分另存为"
            "单独的文档后再生成。")
    if roster is not None:
        plan.units = read_roster(Path(roster))
    elif not plan.units:
        part = plan.plan_part()
        plan.units = units_from_owners(t for s in (part.sections if part else []) for t in s.tasks)
    if Path(plan_file).suffix.lower() not in (".xlsx", ".xlsm"):  # an earlier 台账 keeps the user's 汇总方式
        apply_default_aggregates(plan)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"无法创建文件夹「{output.parent}」：请检查路径和权限。") from error
    temporary = output.with_name(f"{output.stem}.wpx-tmp{output.suffix}")
    try:
        write_master_workbook(plan, temporary)
    except OutputError as error:
        raise OutputError(f"无法在文件夹「{output.parent}」中写入「{output.name}」：请检查该文件夹是否可写，"
                          "或用 -o 指定另一个位置。") from error
    backup = replace_output(temporary, output)
    if backup is not None and echo is not None:
        echo(f"原台账已备份为：{backup}")
    return output


def _known_returns(plan_file: Path) -> dict[Path, str]:
    """The returns folders build can know: those of the plan's ledger when the plan is an earlier 台账
    (a new 台账 written there would be read as a return by the next collect). The output's own ledger
    is no help: collect leaves its own 台账 out of the folders it reads."""
    if plan_file.suffix.lower() in (".xlsx", ".xlsm") and plan_file.is_file() and is_master_workbook(plan_file):
        return returns_folders(plan_file)
    return {}
