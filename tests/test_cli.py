"""The CLI group: help, version, and the one place where errors become sentences and exit codes."""

import pytest
from click.testing import CliRunner

import workplan_xl.plan_document as plan_document
from workplan_xl.cli import cli
from workplan_xl.errors import InputFileError

COMMANDS = ["parse", "build", "forms", "collect", "status", "report", "notices", "demo"]


def test_help_is_chinese_and_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "一年六步" in result.output
    for name in COMMANDS:
        assert name in result.output


def test_every_command_has_chinese_help():
    for name in COMMANDS:
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in result.output), name


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("wpx ")


def test_usage_error_exits_2():
    result = CliRunner().invoke(cli, ["parse"])
    assert result.exit_code == 2
    result = CliRunner().invoke(cli, ["parse", "不存在的文件.txt"])
    assert result.exit_code == 2


def test_library_error_is_one_sentence_exit_2_without_traceback(tmp_path, monkeypatch):
    def boom(path, encoding=None):
        raise InputFileError(f"「{path.name}」是旧版 Word 文件：请另存为 .docx 后再试。")

    monkeypatch.setattr(plan_document, "read_plan", boom, raising=False)
    src = tmp_path / "要点 文件.txt"
    src.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", str(src)])
    assert result.exit_code == 2
    assert result.output == "错误：「要点 文件.txt」是旧版 Word 文件：请另存为 .docx 后再试。\n"
    assert "Traceback" not in result.output


def test_internal_error_exits_1_and_verbose_shows_traceback(tmp_path, monkeypatch):
    def crash(path, encoding=None):
        raise RuntimeError("意外")

    monkeypatch.setattr(plan_document, "read_plan", crash, raising=False)
    src = tmp_path / "a.txt"
    src.write_text("x", encoding="utf-8")
    quiet = CliRunner().invoke(cli, ["parse", str(src)])
    assert quiet.exit_code == 1
    assert quiet.output == "内部错误：RuntimeError: 意外。请加 --verbose 重新运行，并把输出发给维护人员。\n"
    loud = CliRunner().invoke(cli, ["--verbose", "parse", str(src)])
    assert loud.exit_code == 1
    assert "Traceback" in loud.output


def test_native_base_exception_is_caught_too(tmp_path, monkeypatch):
    class PanicException(BaseException):  # what pyo3 raises when a Rust reader panics
        pass

    def panic(path, encoding=None):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(plan_document, "read_plan", panic, raising=False)
    src = tmp_path / "a.txt"
    src.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", str(src)])
    assert result.exit_code == 1
    assert result.output == "内部错误：PanicException: index out of bounds。请加 --verbose 重新运行，并把输出发给维护人员。\n"


def test_a_pipe_closed_early_is_not_an_error(tmp_path):
    import subprocess
    import sys

    # `wpx --help | head -1`: the reader leaves after one line; wpx must not report an internal error
    text = "\n".join(["一、重点工作"] + [f"{i}.推进第{i}项工作，覆盖率达到95%，年底前完成。" for i in range(1, 3000)])
    src = tmp_path / "要点 计划.txt"
    src.write_text(text, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "workplan_xl", "parse", str(src)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert "内部错误" not in err.decode("utf-8"), err.decode("utf-8")
    assert process.returncode == 0


def test_python_m_entry_point():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "workplan_xl", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "wpx" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["parse"], "错误：缺少参数 文件。用 wpx parse --help 查看用法。\n"),
    (["parse", "没有 这个.txt"],
     "错误：找不到「没有 这个.txt」：请检查路径是否正确（路径中有空格时请加引号）。用 wpx parse --help 查看用法。\n"),
    (["parse", "--bogus", "x"], "错误：没有选项 --bogus。用 wpx parse --help 查看用法。\n"),
    (["bogus"], "错误：没有命令「bogus」：可用的命令有 parse、build、forms、collect、status、report、notices、serve、demo。"
                "用 wpx --help 查看用法。\n"),
    (["--verbos"], "错误：没有选项 --verbos（是不是 --verbose、--version？）。用 wpx --help 查看用法。\n"),
    (["collect", "README.md"], "错误：缺少参数 回表。用 wpx collect --help 查看用法。\n"),
])
def test_usage_errors_are_one_chinese_sentence_exit_2(args, message):
    result = CliRunner().invoke(cli, args, prog_name="wpx")
    assert result.exit_code == 2
    assert result.output == message


def test_a_folder_where_a_file_is_needed(tmp_path):
    result = CliRunner().invoke(cli, ["forms", str(tmp_path)], prog_name="wpx")
    assert result.exit_code == 2
    assert result.output == f"错误：「{tmp_path}」是文件夹，这里需要一个文件。用 wpx forms --help 查看用法。\n"
