"""Messages that say the true cause: a missing ledger (and where it was looked for), a 汇总 or a form
given where the 台账 belongs, and collect asking before it starts an empty ledger for a 台账 whose
returns were collected before — through the CLI, in folders with Chinese names and spaces."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from workplan_xl.cli import cli


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Path:
    from workplan_xl.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("msg") / "演示 年度", echo=lambda _line: None, soffice=None).master


@pytest.fixture
def work(year: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "督导 工作"
    folder.mkdir()
    shutil.copyfile(year, folder / "台账.xlsx")
    shutil.copytree(year.parent / "回表", folder / "回表 12月")
    return folder


def _run(args: list, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], prog_name="wpx", input=input)
    return result.exit_code, result.output


@pytest.mark.parametrize("command", ["status", "report", "notices"])
def test_a_missing_ledger_says_where_it_looked(work: Path, command: str) -> None:
    master = work / "台账.xlsx"
    code, out = _run([command, master] + (["-o", work / "通报"] if command == "notices" else []))
    assert code == 2
    assert out == (f"错误：找不到台账「台账.xlsx」的台账数据库：找的是「{work / '台账.db'}」。如果数据库在别处或改过名，"
                   f"请用 --db 指定它；如果还没有收集过回表，请先运行 wpx collect \"{master}\" 回表文件夹。\n")
    assert "还没有收集过回表：" not in out


def test_a_renamed_master_points_at_the_ledger_beside_it(work: Path, year: Path) -> None:
    shutil.copyfile(year.parent / "台账.db", work / "台账.db")
    renamed = work / "2025年 台账.xlsx"
    (work / "台账.xlsx").rename(renamed)
    code, out = _run(["status", renamed])
    assert code == 2
    assert out == (f"错误：找不到台账「2025年 台账.xlsx」的台账数据库：找的是「{work / '2025年 台账.db'}」。"
                   f"同一文件夹里有台账数据库「台账.db」，如果是它，请加 --db \"{work / '台账.db'}\"；"
                   f"如果还没有收集过回表，请先运行 wpx collect \"{renamed}\" 回表文件夹。\n")
    code, out = _run(["status", renamed, "--db", work / "台账.db"])
    assert code == 0 and out.startswith("批次「")


@pytest.mark.parametrize("command", ["status", "report", "notices", "forms", "collect"])
def test_a_consolidated_workbook_is_named_as_such(work: Path, year: Path, command: str) -> None:
    summary = work / "汇总 年度.xlsx"
    shutil.copyfile(year.parent / "汇总_2025-年度.xlsx", summary)  # each round its own 汇总
    extra = {"collect": [work / "回表 12月", "-o", work / "新汇总.xlsx"], "notices": ["-o", work / "通报"],
             "forms": ["-o", work / "表"]}.get(command, [])
    code, out = _run([command, summary, *extra])
    assert code == 2
    assert out == ("错误：「汇总 年度.xlsx」是 wpx collect 生成的汇总表，不是台账：请给出台账文件（wpx build 生成的，"
                   "如 台账.xlsx），台账数据库就在它旁边。\n")


def test_a_unit_form_is_named_as_such(work: Path, year: Path) -> None:
    form = next((year.parent / "填报表").glob("*.xlsx"))
    code, out = _run(["status", form])
    assert code == 2
    assert out == (f"错误：「{form.name}」是发给单位的填报表，不是台账：请给出台账文件（wpx build 生成的，如 台账.xlsx）；"
                   "填报表收回后用 wpx collect 台账.xlsx 回表文件夹 收集。\n")


def _moved_away(work: Path, year: Path) -> Path:
    """The 台账 collected before under another name: its ledger 旧台账.db sits beside it."""
    shutil.copyfile(year.parent / "台账.db", work / "旧台账.db")
    return work / "台账.xlsx"


def test_collect_asks_before_starting_an_empty_ledger_and_no_answer_is_no(work: Path, year: Path) -> None:
    master = _moved_away(work, year)
    for answer in (None, "n\n", "\n"):
        code, out = _run(["collect", master, work / "回表 12月"], input=answer)
        assert code == 2, out
        question = (f"台账数据库「{work / '台账.db'}」还不存在，而同一文件夹里已有本台账的台账数据库「旧台账.db」。"
                    "新建一个空的台账数据库并从头收集吗？（输入 y 新建，直接回车取消）")
        assert out.startswith(question)
        assert out.endswith(f"错误：没有新建台账数据库「台账.db」，也没有收集：同一文件夹里已有本台账的台账数据库「旧台账.db」。"
                            f"请用 --db \"{work / '旧台账.db'}\"；确实要从头收集时，加 --yes 重新运行。\n")
        assert not (work / "台账.db").exists() and not (work / "汇总_2025-年度.xlsx").exists()


@pytest.mark.parametrize("how", [["--yes"], ["-y"], "y\n"])
def test_collect_starts_the_new_ledger_when_told(work: Path, year: Path, how) -> None:
    master = _moved_away(work, year)
    args = ["collect", master, work / "回表 12月"]
    code, out = _run(args + how if isinstance(how, list) else args, input=how if isinstance(how, str) else None)
    assert code in (0, 3), out
    assert (work / "台账.db").exists() and f"已写入汇总表：{work / '汇总_2025-年度.xlsx'}" in out


def test_collect_after_the_ledger_was_lost_asks_too(work: Path, year: Path) -> None:
    master = work / "台账.xlsx"
    shutil.copyfile(year.parent / "汇总_2025-年度.xlsx", work / "汇总.xlsx")  # made from a ledger that is not here
    code, out = _run(["collect", master, work / "回表 12月", "-o", work / "新 汇总.xlsx"])
    assert code == 2
    assert out.endswith("错误：没有新建台账数据库「台账.db」，也没有收集：同一文件夹里有由本台账收集生成的汇总表「汇总.xlsx」，"
                        "但它所依据的台账数据库不在这里。请用 --db 指定原来的台账数据库（如从原工作文件夹复制 .db 文件到台账旁边）；"
                        "确实要从头收集时，加 --yes 重新运行。\n")


def test_a_first_collect_does_not_ask(work: Path) -> None:
    code, out = _run(["collect", work / "台账.xlsx", work / "回表 12月"])
    assert code in (0, 3) and "？" not in out.splitlines()[0]


def test_the_same_returns_collected_from_another_working_folder_are_the_same_files(work: Path) -> None:
    code, first = _run(["collect", work / "台账.xlsx", work / "回表 12月"])
    assert code in (0, 3), first
    count = len([p for p in (work / "回表 12月").rglob("*") if p.is_file()])
    elsewhere = work.parent / "另一台 电脑" / "督导 工作"
    shutil.copytree(work, elsewhere)  # the whole working folder, ledger included, somewhere else
    for path in (elsewhere / "回表 12月").rglob("*"):
        if path.is_file():
            path.touch()  # a copy that did not keep the files' times
    code, again = _run(["collect", elsewhere / "台账.xlsx", elsewhere / "回表 12月"])
    assert code in (0, 3), again
    line = again.splitlines()[0]
    assert line.startswith(f"回表文件 {count} 个：新读入 0 个，已登记过 ") and "与其他文件内容相同 0 个" in line, line
    listed = load_workbook(elsewhere / "汇总_2025-年度.xlsx", read_only=True)["文件清单"].iter_rows(values_only=True)
    assert [r[0] for r in listed if r[3] == "重复"] == []  # the files themselves, not copies of what was collected
    assert again.splitlines()[1:] == first.splitlines()[1:-1] + [f"已写入汇总表：{elsewhere / '汇总_2025-年度.xlsx'}"] or \
        again.splitlines()[1] == first.splitlines()[1]
