"""Chinese help pages for wpx: click writes its headings (Usage:, Options:, Commands:), the help
option's text and the option extras ([default: …], [required]) in English; these classes put them into
Chinese in one place, so every command's --help reads the same way."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import click

from workplan_xl.cjk import display_width

HELP_TEXT = "显示本帮助并退出。"
VERSION_TEXT = "显示版本号并退出。"
_HEADINGS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数", "Arguments": "参数"}
_EXTRAS = re.compile(r"\[([^\[\]]*)\]$")


def _chinese_extras(text: str) -> str:
    """'… [default: 台账.xlsx; required]' → '… [默认：台账.xlsx；必填]'."""
    found = _EXTRAS.search(text)
    if not found:
        return text
    items = []
    for item in found.group(1).split("; "):
        if item.startswith("default: "):
            item = "默认：" + item[len("default: "):]
        elif item == "required":
            item = "必填"
        elif item.startswith("env var: "):
            item = "环境变量：" + item[len("env var: "):]
        items.append(item)
    return text[:found.start()] + "[" + "；".join(items) + "]"


class ChineseHelpFormatter(click.HelpFormatter):
    """click's formatter with Chinese headings and usage prefix."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """click's definition list, measured in display columns (a Chinese character takes two) so the
        second column lines up, and wrapped between characters (Chinese has no spaces to wrap at)."""
        rows = [(first, _chinese_extras(second)) for first, second in rows]
        first_col = min(max((display_width(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = _wrap(second, max(self.width - first_col - self.current_indent, 20))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


_NO_LINE_START = "，。、；：？！）」》”’"  # 避头点: these never begin a line


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` display columns; breaks at a space when there is one near."""
    lines, line = [], ""
    for ch in " ".join(text.split()):
        if display_width(line + ch) > width and ch not in _NO_LINE_START:
            cut = line.rfind(" ")
            if cut > len(line) // 2:  # an English word or an option name stays whole
                lines.append(line[:cut])
                line = line[cut + 1:]
            else:
                lines.append(line)
                line = ""
        line += ch
    return lines + [line] if line or not lines else lines


class WpxContext(click.Context):
    formatter_class = ChineseHelpFormatter


def _chinese_help_option(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = HELP_TEXT
    return option


class WpxCommand(click.Command):
    """A wpx command: Chinese help page, [选项] in its usage line."""

    context_class = WpxContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))


class ChineseGroup(click.Group):
    """The wpx group: Chinese help page; its commands are WpxCommands."""

    context_class = WpxContext
    command_class = WpxCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))
