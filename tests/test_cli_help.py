"""Every help page in Chinese (headings, usage line, the help and version options, argument names), and
bare `wpx` shows the help with exit 0."""

import re

import pytest
from click.testing import CliRunner

from workplan_xl.cli import cli

COMMANDS = ["parse", "build", "forms", "collect", "status", "report", "notices", "demo"]
ENGLISH = ("Usage:", "Options:", "Commands:", "Arguments:", "Show this message", "Show the version",
           "[default:", "required]", "PATH", "FILE", "DIRECTORY", "TEXT", "MASTER", "RETURNS", "FOLDER", "PLAN")


def test_bare_wpx_shows_the_help_and_exits_0():
    result = CliRunner().invoke(cli, [], prog_name="wpx")
    assert result.exit_code == 0
    assert result.output == CliRunner().invoke(cli, ["--help"], prog_name="wpx").output
    assert result.output.startswith("用法：wpx [选项] 命令 [参数]...\n")
    assert "错误" not in result.output


def test_the_group_help_page_is_chinese():
    output = CliRunner().invoke(cli, ["--help"], prog_name="wpx").output
    assert "\n选项：\n" in output and "\n命令：\n" in output
    assert "  --version      显示版本号并退出。\n" in output
    assert "  -h, --help     显示本帮助并退出。\n" in output
    for word in ENGLISH:
        assert word not in output, word


@pytest.mark.parametrize("name, usage", [
    ("parse", "用法：wpx parse [选项] 文件\n"),
    ("build", "用法：wpx build [选项] 工作要点\n"),
    ("forms", "用法：wpx forms [选项] 台账\n"),
    ("collect", "用法：wpx collect [选项] 台账 回表...\n"),
    ("status", "用法：wpx status [选项] 台账\n"),
    ("report", "用法：wpx report [选项] 台账\n"),
    ("notices", "用法：wpx notices [选项] 台账\n"),
    ("demo", "用法：wpx demo [选项] [文件夹]\n"),
])
def test_every_command_help_page_is_chinese(name, usage):
    result = CliRunner().invoke(cli, [name, "--help"], prog_name="wpx")
    assert result.exit_code == 0
    assert result.output.startswith(usage)
    assert "\n选项：\n" in result.output
    assert re.search(r"\n  -h, --help +显示本帮助并退出。\n", result.output)
    for word in ENGLISH:
        assert word not in result.output, (name, word)


def test_defaults_and_metavars_in_chinese():
    output = CliRunner().invoke(cli, ["build", "--help"], prog_name="wpx").output
    assert "  -o, --output 文件  台账文件的保存位置。 [默认：台账.xlsx]\n" in output
    output = CliRunner().invoke(cli, ["report", "--help"], prog_name="wpx").output
    assert "  --date 日期        成文日期（落款日期），如 2025-12-20 或\n" in output


def test_chinese_help_columns_line_up_by_display_width():
    output = CliRunner().invoke(cli, ["notices", "--help"], prog_name="wpx").output
    starts = set()
    for line in output.splitlines():
        if line.startswith("  -"):
            from workplan_xl.cjk import display_width

            head = re.match(r"  (\S.*?\S)  +", line)
            starts.add(display_width(line[:head.end()]))
    assert len(starts) == 1, output


def test_every_registered_command_help_is_chinese():
    for name in cli.commands:  # whatever commands exist now or later
        result = CliRunner().invoke(cli, [name, "--help"], prog_name="wpx")
        assert result.exit_code == 0, name
        assert result.output.startswith(f"用法：wpx {name} [选项]"), name
        for word in ENGLISH:
            assert word not in result.output, (name, word)


def test_parse_help_names_every_kind_of_plan_it_reads():
    output = CliRunner().invoke(cli, ["parse", "--help"], prog_name="wpx").output
    for kind in (".docx", ".pdf", ".txt", ".md", ".html", ".xlsx", ".xls", ".et", ".ods", ".csv", ".doc", ".wps",
                 ".odt", ".rtf", "Plan JSON", "台账.xlsx", "LibreOffice"):
        assert kind in output, kind
