"""Any file in any role, through the CLI: every kind tests/hostile_files.py makes, as a plan (wpx parse),
as the 台账 (every command that takes one), as a roster (wpx build --units) and as a return (wpx collect).
Never exit 1, never a traceback, never a reader's English; for a chosen set, the exact sentence.
Paths have Chinese characters and spaces. Each 台账 and roster read starts a child process (~0.2 s), so
the kinds meet the six 台账 commands in turn, and a chosen few meet every command with the exact sentence."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hostile_files import corpus, xlsx_bytes
from test_returns import make_plan

from workplan_xl.cli import cli
from workplan_xl.master_workbook import write_master_workbook

PLAN = Path(__file__).resolve().parent.parent / "workplan_xl" / "examples" / "plan_2025.txt"
KINDS = corpus()
MASTER_COMMANDS = ("collect", "report", "status", "notices", "serve")
# What a reader's own words look like; Chinese sentences name Excel, WPS, Word, PDF, LibreOffice only.
ENGLISH = re.compile(r"Traceback|\b\w*(?:Error|Exception|Warning)\b|\bFile\b|\bline \d|\bErrno\b|\bNone\b|"
                     r"\b(?:not|cannot|invalid|unexpected|object|module)\b")
NOT_MASTER = "「{}」不是 wpx 生成的台账（无法作为 .xlsx 工作簿打开）：请先用 wpx build 生成台账。"
UNSAFE_MASTER = "「{}」不是 wpx 生成的台账（结构异常，为安全起见未读取）：请先用 wpx build 生成台账。"
FOREIGN = ("「{}」不是 wpx 生成的台账，或已损坏（读取时出错）：请确认选的是 wpx build 生成的台账.xlsx；"
           "如果是在 Excel/WPS 里改过的台账，请另存为 .xlsx 后再试。")


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_clean(result: Result, where: Path, codes: tuple[int, ...] = (2,)) -> None:
    """Not exit 1, no traceback, no English from a library (the paths of the test left aside)."""
    assert result.exit_code in codes, result.output
    assert result.exit_code != 1
    text = result.output.replace(str(where), "")
    assert "Traceback" not in text
    assert ENGLISH.search(text) is None, text


def place(tmp_path: Path, kind: str) -> Path:
    name, data = KINDS[kind]
    file = tmp_path / "外来 文件" / name
    file.parent.mkdir(parents=True)
    file.write_bytes(data)
    return file


def master_args(command: str, master: Path) -> list[object]:
    folder = master.parent
    if command == "forms":
        return ["forms", master, "-o", folder / "填报 表"]
    if command == "collect":
        (folder / "回 表").mkdir(exist_ok=True)
        return ["collect", master, folder / "回 表"]
    if command == "notices":
        return ["notices", master, "-o", folder / "督办 通报"]
    if command == "serve":
        return ["serve", master, "--links", "--url", "http://10.0.0.5:8080"]
    return [command, master]


# -- the 台账 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_any_file_as_the_master(tmp_path: Path, kind: str) -> None:
    master = place(tmp_path, kind)
    command = ("forms", *MASTER_COMMANDS)[list(KINDS).index(kind) % (len(MASTER_COMMANDS) + 1)]
    result = run(*master_args(command, master))
    assert_clean(result, tmp_path)
    assert result.output.startswith("错误：") and f"「{master.name}」" in result.output
    assert result.output.count("\n") == 1  # one sentence


EXACT = [("实体炸弹", UNSAFE_MASTER), ("声明范围极大 xlsx", UNSAFE_MASTER), ("声明范围极大 xls", NOT_MASTER),
         ("样式 TypeError", NOT_MASTER), ("XML 不完整", NOT_MASTER), ("截断的 zip", NOT_MASTER), ("PNG 改名", NOT_MASTER),
         ("加密 xlsx", "台账「{}」加了密码，无法读取：请在 Excel 或 WPS 中去掉密码后另存，再重新运行。")]


@pytest.mark.parametrize(("kind", "sentence", "command"), [
    *((kind, sentence, command) for kind, sentence in EXACT for command in ("forms", "collect")),
    *((kind, sentence, command) for kind, sentence in EXACT[:4:3] for command in MASTER_COMMANDS[1:]),
])
def test_a_hostile_master_is_one_sentence(tmp_path: Path, kind: str, sentence: str, command: str) -> None:
    master = place(tmp_path, kind)
    result = run(*master_args(command, master))
    assert (result.exit_code, result.output) == (2, f"错误：{sentence.format(master.name)}\n")


@pytest.fixture
def panicking_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An openpyxl whose load_workbook raises what a Rust panic raises in Python: a BaseException
    subclass (pyo3_runtime.PanicException). It comes first on sys.path, which the child that reads the
    台账 inherits, so the real child-process path is what is tested."""
    package = tmp_path / "fake reader" / "openpyxl"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "class PanicException(BaseException):\n    pass\n\n"
        "def load_workbook(*args, **kwargs):\n"
        "    raise PanicException('called `Option::unwrap()` on a `None` value')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(package.parent))
    monkeypatch.delitem(sys.modules, "openpyxl", raising=False)


@pytest.fixture(scope="module")
def good_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_master_workbook(make_plan(units=4), tmp_path_factory.mktemp("台账") / "台账.xlsx")


@pytest.mark.parametrize("command", ["forms", *MASTER_COMMANDS])
def test_a_reader_panic_on_the_master_is_one_sentence(tmp_path: Path, good_master: Path, panicking_openpyxl: None,
                                                      command: str) -> None:
    master = tmp_path / "督导 室" / "台账.xlsx"
    master.parent.mkdir()
    shutil.copy(good_master, master)
    result = run(*master_args(command, master))
    assert (result.exit_code, result.output) == (2, f"错误：{FOREIGN.format('台账.xlsx')}\n")


def test_the_master_is_read_within_a_time_limit(tmp_path: Path, good_master: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import workplan_xl.master_workbook.read as read

    master = tmp_path / "督导 室" / "台账.xlsx"
    master.parent.mkdir()
    shutil.copy(good_master, master)
    monkeypatch.setattr(read, "MASTER_TIMEOUT", 0.001)
    result = run(*master_args("forms", master))
    assert (result.exit_code, result.output) == (2, "错误：读取台账「台账.xlsx」超过 0 秒仍未完成（文件过大或结构异常）："
                                                    "请确认选的是 wpx build 生成的台账.xlsx；如果是在 Excel/WPS 里改过的台账，"
                                                    "请另存为 .xlsx 后再试。\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the address-space limit is set on Linux only")
def test_the_master_is_read_within_a_memory_limit(tmp_path: Path, good_master: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import workplan_xl.master_workbook.read as read

    master = tmp_path / "督导 室" / "台账.xlsx"
    master.parent.mkdir()
    shutil.copy(good_master, master)
    monkeypatch.setattr(read, "MASTER_MEMORY", 64 * 1024 * 1024)  # less than openpyxl needs to load it
    result = run(*master_args("collect", master))
    assert (result.exit_code, result.output) == (
        2, "错误：读取「台账.xlsx」时占用内存过多或读取程序异常退出（文件过大、已损坏，或不是 wpx 生成的台账）："
           "请确认选的是 wpx build 生成的台账.xlsx；如果是在 Excel/WPS 里改过的台账，请另存为 .xlsx 后再试。\n")


def test_a_normal_master_still_reads_in_every_command(tmp_path: Path, good_master: Path) -> None:
    master = tmp_path / "督导 室" / "台账.xlsx"
    master.parent.mkdir()
    shutil.copy(good_master, master)
    assert run(*master_args("forms", master)).exit_code == 0
    result = run(*master_args("collect", master))
    assert result.exit_code == 0, result.output
    assert run("status", master).exit_code == 0


def test_an_ordinary_workbook_as_the_master_names_what_is_missing(tmp_path: Path) -> None:
    master = tmp_path / "外来 文件" / "成绩 统计.xlsx"
    master.parent.mkdir()
    master.write_bytes(xlsx_bytes([["姓名", "语文"]]))
    result = run(*master_args("report", master))
    assert (result.exit_code, result.output) == (
        2, "错误：「成绩 统计.xlsx」不是 wpx 生成的台账（缺少 _meta 工作表）：请先用 wpx build 生成台账。\n")
