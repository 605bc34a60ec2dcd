"""The README does not drift from the CLI: every command is documented and has help, the two set-up
commands are there verbatim, and CI runs the second one exactly as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from workplan_xl.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
INSTALL = 'python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/wpx demo'
TEST = 'python3 -m venv .venv && .venv/bin/pip install ".[test]" && .venv/bin/python -m pytest -q'


def test_cli_has_the_documented_commands():
    assert sorted(cli.commands) == sorted(["parse", "build", "forms", "collect", "status", "report", "notices",
                                           "serve", "demo"])


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme_and_has_help(name):
    assert re.search(rf"\bwpx {name}\b", README), f"README 没有写 wpx {name}"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    help_text = cli.commands[name].help or ""
    assert help_text.strip() and re.search(r"[\u4e00-\u9fff]", help_text), name
    assert help_text.strip().splitlines()[0] in result.output


def test_readme_options_exist():
    """Every --option the README shows for a command is one that command accepts."""
    for name, command in cli.commands.items():
        accepted = {o for p in command.params for o in getattr(p, "opts", [])}
        for line in re.findall(rf"wpx {name}\b[^\n`]*", README):
            for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", line):
                assert option in accepted | {"--help"}, (name, option, line)


def test_readme_set_up_commands_are_verbatim_and_ci_runs_the_second():
    assert INSTALL in README
    assert TEST in README
    assert TEST in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_has_the_sections_a_newcomer_needs():
    for heading in ["## 安装", "## 一年六步", "## 术语", "## 性能", "## 回表有问题怎么办", "## 数据在哪里",
                    "## 出错信息和退出码", "## 作为 Python 库使用", "## English summary"]:
        assert heading in README, heading
    for exit_code in ("`0`", "`1`", "`2`", "`3`"):
        assert exit_code in README


def test_readme_images_exist_and_are_small():
    images = re.findall(r"\]\((docs/[^)]+\.png)\)", README)
    assert len(images) >= 4
    for image in images:
        path = ROOT / image
        assert path.exists(), image
        assert path.stat().st_size < 300_000, image


def test_changelog_has_an_unreleased_section():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    assert "keepachangelog.com" in changelog


def test_readme_error_example_is_what_wpx_prints(tmp_path):
    shown = re.search(r"\$ wpx parse (\S+)\n(错误：[^\n]+)", README)
    assert shown, "README 应当展示一条真实的出错信息"
    name, message = shown.groups()
    (tmp_path / name).write_text("请各单位于本周五前报送材料。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", str(tmp_path / name)])
    assert result.exit_code == 2
    assert result.output.strip() == message


def test_readme_library_example_names_real_functions():
    import importlib

    code = re.search(r"## 作为 Python 库使用.*?```python\n(.*?)```", README, re.S)[1]
    compile(code, "README.md", "exec")
    imports = re.findall(r"^from (workplan_xl[\w.]*) import (\w+)", code, re.M)
    assert len(imports) >= 6
    for module, name in imports:
        assert callable(getattr(importlib.import_module(module), name)), (module, name)


def test_readme_benchmark_commands_exist():
    scripts = re.findall(r"`python (benchmarks/\S+\.py)`", README)
    assert len(scripts) == 6
    for script in scripts:
        assert (ROOT / script).exists(), script
