"""wpx demo: the bundled example year, start to finish, in one folder.

This is also the model of how to use the library: each step below is one public function, in the
order of the data flow (read_plan → write_master_workbook → make_unit_forms → collect_returns →
make_report → make_notices). Only the simulated returns (demo_returns.py) are demo-specific.
Every date is fixed, so two runs give the same files.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from workplan_xl.collect import collect_returns, reporting_status
from workplan_xl.demo_examples import EXAMPLE_FILES, example_path
from workplan_xl.demo_returns import MISSING, simulate_returns
from workplan_xl.errors import OutputError
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook
from workplan_xl.notices import make_notices
from workplan_xl.plan import apply_default_aggregates
from workplan_xl.plan_document import format_outline, read_plan
from workplan_xl.roster import read_roster
from workplan_xl.unit_forms import make_unit_forms
from workplan_xl.word_report import make_report

ROUND = "2025-年度"
AS_OF = "2025-12-20"  # the day the demo's report is dated and its 督办单 are judged on
MARKER = ".wpx-demo"  # marks a folder this command made, so a second run may tidy it
BACKUP = "上次演示"


@dataclass
class DemoResult:
    """Where the demo put each artefact."""

    folder: Path
    plan: Path
    roster: Path
    master: Path
    forms: list[Path] = field(default_factory=list)
    returns: Path | None = None
    consolidated: Path | None = None
    ledger: Path | None = None
    report: Path | None = None
    notices: list[Path] = field(default_factory=list)
    collect_exit_code: int | None = None
    missing: list[str] = field(default_factory=list)


def run_demo(folder: Path, echo: Callable[[str], object] = print, soffice: str | None = "auto") -> DemoResult:
    """Run the example year in ``folder``: parse, build, forms, simulated returns, collect, report, notices.

    ``soffice`` is LibreOffice's executable for the one return re-saved as .xls ("auto": look on PATH;
    None: do without, that return stays .xlsx).
    """
    folder = Path(folder)
    _prepare(folder, echo)
    for name in EXAMPLE_FILES:
        shutil.copyfile(example_path(name), folder / name)
    result = DemoResult(folder, folder / "plan_2025.docx", folder / "roster.xlsx", folder / "台账.xlsx")

    echo(f"【1/7 解析】wpx parse {result.plan.name}")
    plan = read_plan(result.plan)
    echo(f"    《{plan.title}》{plan.doc_number}　{format_outline(plan).splitlines()[-1]}")

    echo(f"【2/7 台账】wpx build {result.plan.name} --units {result.roster.name}")
    plan.units = read_roster(result.roster)
    apply_default_aggregates(plan)  # as wpx build does
    write_master_workbook(plan, result.master)
    echo(f"    填报单位 {len(plan.units)} 个；已写入台账：{result.master}")

    echo(f"【3/7 填报表】wpx forms 台账.xlsx --round {ROUND}")
    result.forms = list(make_unit_forms(result.master, folder / "填报表", round=ROUND))
    echo(f"    已生成填报表 {len(result.forms)} 份：{folder / '填报表'}")

    echo("【4/7 模拟回表】各单位填好后通过邮件报回（演示用，随机数种子固定为 2025）")
    result.returns = folder / "回表"
    simulated = simulate_returns(read_master_workbook(result.master), result.forms, result.returns, soffice)
    for item in simulated:
        if item.note:
            echo(f"    {item.name}：{item.behaviour}，{item.note}")
    result.missing = [item.name for item in simulated if item.behaviour == MISSING]
    echo(f"    共收到回表 {sum(len(i.files) for i in simulated)} 份：{result.returns}")

    echo(f"【5/7 汇总】wpx collect 台账.xlsx 回表 --round {ROUND}")
    collected = collect_returns(result.master, [result.returns], round=ROUND)
    result.collect_exit_code = collected.exit_code
    result.consolidated = Path(collected.output)
    result.ledger = Path(collected.db)
    echo(_indent(collected.summary()))
    if collected.exit_code == 3:
        echo("    退出码 3：有的回表有问题（这里是那份损坏的文件），已记入汇总表“问题清单”；演示继续。")
    echo(f"    wpx status 台账.xlsx\n{_indent(reporting_status(result.master, round=ROUND))}")

    echo("【6/7 工作总结】wpx report 台账.xlsx")
    result.report = make_report(result.master, round=ROUND, day=date.fromisoformat(AS_OF))
    echo(f"    已写入工作总结：{result.report}")

    echo(f"【7/7 督办通报】wpx notices 台账.xlsx --as-of {AS_OF}")
    result.notices = list(make_notices(result.master, folder / "督办通报", round=ROUND, as_of=AS_OF, day=AS_OF))
    echo(f"    已写入督办单和通报 {len(result.notices)} 份：{folder / '督办通报'}")

    echo(f"\n先看这里：{result.consolidated} 的“报送情况”表（未报单位排在最前），"
         f"再看工作总结 {result.report}。")
    return result


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in str(text).splitlines())


def _prepare(folder: Path, echo: Callable[[str], object]) -> None:
    """An empty or new folder is used as is; a previous demo is moved to 上次演示/; anything else is refused."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"「{folder}」是一个文件，不是文件夹：请给 wpx demo 指定一个新文件夹。")
    entries = [p for p in folder.iterdir() if p.name not in (MARKER, BACKUP)] if folder.exists() else []
    if entries and not (folder / MARKER).exists():
        raise OutputError(f"文件夹「{folder}」不是空的，也不是 wpx demo 建的演示文件夹：请换一个新文件夹，"
                          f"如 wpx demo wpx-demo2。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if entries:
            backup = folder / BACKUP
            shutil.rmtree(backup, ignore_errors=True)
            backup.mkdir()
            for entry in entries:
                shutil.move(str(entry), backup / entry.name)
            echo(f"上次的演示结果已移到：{backup}")
        (folder / MARKER).write_text("wpx demo\n", encoding="utf-8")
    except OSError as error:
        raise OutputError(f"无法整理演示文件夹「{folder}」（{error.strerror or error}）：请关闭其中在 Excel/WPS "
                          f"里打开的文件后重试，或换一个文件夹。") from error
