"""Outputs never land on inputs (the 台账, its ledger, the returns folder, the plan or template being
read), have the extension of what is written, and a replaced output is kept in 备份/ — through the CLI,
in folders with Chinese names and spaces."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from workplan_xl.cli import cli


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Path:
    from workplan_xl.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("outputs") / "演示 年度", echo=lambda _line: None, soffice=None).master


@pytest.fixture
def work(year: Path, tmp_path: Path) -> Path:
    """A private copy of the collected year: 台账.xlsx, 台账.db and 回表/ in 督导 工作/."""
    folder = tmp_path / "督导 工作"
    folder.mkdir()
    for name in ("台账.xlsx", "台账.db"):
        shutil.copyfile(year.parent / name, folder / name)
    shutil.copytree(year.parent / "回表", folder / "回表 12月")
    return folder


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], prog_name="wpx")
    return result.exit_code, result.output


def test_collect_onto_the_master_workbook_is_refused(work: Path) -> None:
    before = _digest(work)
    code, out = _run(["collect", work / "台账.xlsx", work / "回表 12月", "-o", work / "台账.xlsx"])
    assert code == 2
    assert out == f"错误：汇总表不能保存为「{work / '台账.xlsx'}」：这是台账，写入会把它覆盖。请用 -o 换一个文件名或位置。\n"
    assert _digest(work) == before


def test_collect_into_the_returns_folder_is_refused(work: Path) -> None:
    before = _digest(work)
    returns = work / "回表 12月"
    code, out = _run(["collect", work / "台账.xlsx", returns, "-o", returns / "子文件夹" / "汇总.xlsx"])
    assert code == 2
    assert out == (f"错误：汇总表不能保存到回表文件夹「{returns}」里：下次收集时它会被当成单位的回表读入。"
                   "请用 -o 保存到回表文件夹以外的位置。\n")
    assert _digest(work) == before


def test_collect_onto_a_return_given_as_a_file_is_refused(work: Path) -> None:
    a_return = next((work / "回表 12月").glob("*.xlsx"))
    before = _digest(work)
    code, out = _run(["collect", work / "台账.xlsx", a_return, "-o", a_return])
    assert code == 2
    assert out == (f"错误：汇总表不能保存到回表「{a_return}」：下次收集时它会被当成单位的回表读入。"
                   "请用 -o 保存到回表文件夹以外的位置。\n")
    assert _digest(work) == before


@pytest.mark.parametrize("name, given", [("结果.docx", "扩展名为「.docx」"), ("汇总", "没有扩展名"),
                                         ("台账.db", "扩展名为「.db」")])
def test_collect_output_of_the_wrong_kind_is_refused(work: Path, name: str, given: str) -> None:
    before = _digest(work)
    code, out = _run(["collect", work / "台账.xlsx", work / "回表 12月", "-o", work / name])
    assert code == 2
    assert out == (f"错误：汇总表要保存为Excel 工作簿（.xlsx），而「{work / name}」{given}："
                   f"请用 -o 给一个以 .xlsx 结尾的文件名，如 {work / '汇总.xlsx'}。\n")
    assert _digest(work) == before


def test_collect_with_the_master_as_ledger_is_refused(work: Path) -> None:
    before = _digest(work)
    code, out = _run(["collect", work / "台账.xlsx", work / "回表 12月", "--db", work / "台账.xlsx",
                      "-o", work / "汇总.xlsx"])
    assert code == 2
    assert out == (f"错误：台账数据库不能保存为「{work / '台账.xlsx'}」：这是台账，写入会把它覆盖。"
                   "请用 --db 换一个文件名或位置。\n")
    assert _digest(work) == before


def test_a_replaced_consolidated_workbook_goes_to_the_backup_folder(work: Path) -> None:
    output = work / "汇总 年度.xlsx"
    code, out = _run(["collect", work / "台账.xlsx", work / "回表 12月", "-o", output])
    assert code in (0, 3), out
    assert "原汇总表已移到" not in out
    code, again = _run(["collect", work / "台账.xlsx", work / "回表 12月", "-o", output])
    assert "原汇总表已移到" not in again and not (work / "备份").exists()  # the same bytes
    output.write_bytes(output.read_bytes() + b"edited")
    code, edited = _run(["collect", work / "台账.xlsx", work / "回表 12月", "-o", output])
    [backup] = (work / "备份").iterdir()
    assert f"原汇总表已移到：{backup}\n已写入汇总表：{output}\n" in edited
    assert backup.name.startswith("汇总 年度.") and backup.suffix == ".xlsx"
    assert backup.read_bytes().endswith(b"edited")
    assert not list(work.glob("*备份-*"))


def test_report_onto_inputs_or_of_the_wrong_kind_is_refused(work: Path) -> None:
    before = _digest(work)
    code, out = _run(["report", work / "台账.xlsx", "-o", work / "台账.xlsx"])
    assert code == 2
    assert out == (f"错误：工作总结要保存为Word 文档（.docx），而「{work / '台账.xlsx'}」扩展名为「.xlsx」："
                   f"请用 -o 给一个以 .docx 结尾的文件名，如 {work / '工作总结.docx'}。\n")
    template = work / "红头 模板.docx"
    shutil.copyfile(Path(__file__).parent.parent / "templates" / "letterhead_report.docx", template)
    before = _digest(work)
    code, out = _run(["report", work / "台账.xlsx", "--template", template, "-o", template])
    assert code == 2
    assert out == f"错误：工作总结不能保存为「{template}」：这是模板，写入会把它覆盖。请用 -o 换一个文件名或位置。\n"
    assert _digest(work) == before


def test_notices_onto_the_ledger_is_refused(work: Path) -> None:
    before = _digest(work)
    code, out = _run(["notices", work / "台账.xlsx", "-o", work / "台账.db"])
    assert code == 2
    assert out == f"错误：「{work / '台账.db'}」是文件，这里需要一个文件夹。用 wpx notices --help 查看用法。\n"
    assert _digest(work) == before


def test_build_onto_the_plan_being_read_is_refused(work: Path) -> None:
    before = _digest(work)
    code, out = _run(["build", work / "台账.xlsx", "-o", work / "台账.xlsx"])
    assert code == 2
    assert out == f"错误：台账不能保存为「{work / '台账.xlsx'}」：这是正在读取的源文件，写入会把它覆盖。请用 -o 换一个文件名或位置。\n"
    code, out = _run(["build", work / "台账.xlsx", "-o", work / "新 台账.docx"])
    assert code == 2
    assert out == (f"错误：台账要保存为Excel 工作簿（.xlsx），而「{work / '新 台账.docx'}」扩展名为「.docx」："
                   f"请用 -o 给一个以 .xlsx 结尾的文件名，如 {work / '台账.xlsx'}。\n")
    assert _digest(work) == before


def test_parse_json_onto_the_plan_or_of_the_wrong_kind_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "工作 要点.json"
    plan.write_text("一、总体要求\n", encoding="utf-8")
    code, out = _run(["parse", plan, "--json", plan])
    assert code == 2
    assert out == f"错误：Plan JSON不能保存为「{plan}」：这是正在读取的源文件，写入会把它覆盖。请用 --json 换一个文件名或位置。\n"
    text = tmp_path / "要点 2025.txt"
    text.write_text("城关县教育局2025年工作要点\n一、加强党建\n1.开展学习。\n二、推进督导\n2.完成督导。\n", encoding="utf-8")
    code, out = _run(["parse", text, "--json", tmp_path / "结果.xlsx"])
    assert code == 2
    assert out == (f"错误：Plan JSON要保存为JSON 文件（.json），而「{tmp_path / '结果.xlsx'}」扩展名为「.xlsx」："
                   f"请用 --json 给一个以 .json 结尾的文件名，如 {tmp_path / 'plan.json'}。\n")
    assert not (tmp_path / "结果.xlsx").exists()


def test_forms_and_notices_into_a_returns_folder_the_ledger_knows_are_refused(work: Path) -> None:
    returns = work / "回表 12月"
    code, out = _run(["collect", work / "台账.xlsx", returns])  # the ledger notes the folder
    assert code in (0, 3), out  # 3: 问题清单 has lines
    before = _digest(work)
    inside = returns / "第二批 填报表"
    code, out = _run(["forms", work / "台账.xlsx", "--round", "2026-年度", "-o", inside])
    assert (code, out) == (2, f"错误：填报表不能保存到「{inside}」，它在回表文件夹「{returns}」里：台账数据库记录过从这个文件夹"
                              "收集回表，放在这里的文件下次收集时会被当成单位的回表读入。请用 -o 保存到回表文件夹以外的位置。\n")
    code, out = _run(["notices", work / "台账.xlsx", "-o", returns])
    assert (code, out) == (2, f"错误：督办单和通报不能保存到回表文件夹「{returns}」：台账数据库记录过从这个文件夹收集回表，"
                              "放在这里的文件下次收集时会被当成单位的回表读入。请用 -o 保存到回表文件夹以外的位置。\n")
    assert _digest(work) == before and not inside.exists()
    # a later collect of another folder cannot put its 汇总 into the folder collected before either
    other = work / "补报"
    other.mkdir()
    code, out = _run(["collect", work / "台账.xlsx", other, "-o", returns / "汇总 补报.xlsx"])
    assert (code, out) == (2, f"错误：汇总表不能保存到「{returns / '汇总 补报.xlsx'}」，它在回表文件夹「{returns}」里：台账数据库"
                              "记录过从这个文件夹收集回表，放在这里的文件下次收集时会被当成单位的回表读入。请用 -o 保存到回表文件夹以外的位置。\n")
    assert _digest(work) == before


def test_forms_into_the_returns_folder_beside_the_master_are_refused(work: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(work / "台账.db")
    conn.execute("DROP TABLE returns_folders")  # a ledger from before the table: the convention still holds
    conn.commit()
    conn.close()
    inside = work / "回表" / "填报 表"
    code, out = _run(["forms", work / "台账.xlsx", "-o", inside])
    assert (code, out) == (2, f"错误：填报表不能保存到「{inside}」，它在回表文件夹「{work / '回表'}」里：这是台账旁约定的回表文件夹"
                              "（wpx serve 默认把回表存在这里），放在这里的文件下次收集时会被当成单位的回表读入。"
                              "请用 -o 保存到回表文件夹以外的位置。\n")
    assert not (work / "回表").exists()
    code, out = _run(["forms", work / "台账.xlsx", "-o", work / "填报 表"])
    assert code == 0, out
