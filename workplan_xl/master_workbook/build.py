"""`wpx build`: plan document (or Plan JSON, or an earlier 台账) + roster → 台账.xlsx.

Nothing is overwritten that cannot be recovered: an existing output is moved aside to
台账.备份-1.xlsx (the next free number) — only after the new workbook has been written completely,
so a failure leaves the old file where it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from workplan_xl.cjk import backup_path
from workplan_xl.errors import OutputError
from workplan_xl.master_workbook.load import load_plan
from workplan_xl.master_workbook.write import write_master_workbook
from workplan_xl.roster import read_roster, units_from_owners


def build_master_workbook(plan_file: Path, output: Path, roster: Path | None = None,
                          echo: Callable[[str], None] | None = None) -> Path:
    """Read the plan, take the roster (or the plan's owners as one), write ``output``; returns its path.

    ``echo`` is told about a backup of an existing output.
    """
    # rebuilding from an earlier 台账 keeps the parts it stores but does not show (a 工作总结)
    plan = load_plan(Path(plan_file), include_other_parts=True)
    if roster is not None:
        plan.units = read_roster(Path(roster))
    elif not plan.units:
        part = plan.plan_part()
        plan.units = units_from_owners(t for s in (part.sections if part else []) for t in s.tasks)
    output = Path(output)
    busy = f"「{output.name}」无法写入：文件可能正在 Excel 或 WPS 中打开，请关闭后重新运行。"
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
    backup = None
    try:
        if output.exists():
            backup = backup_path(output)
            os.replace(output, backup)
        os.replace(temporary, output)
    except OSError as error:
        if backup is not None and backup.exists() and not output.exists():
            os.replace(backup, output)  # put the old workbook back where the user left it
        temporary.unlink(missing_ok=True)
        raise OutputError(busy) from error
    if backup is not None and echo is not None:
        echo(f"原台账已备份为：{backup}")
    return output

