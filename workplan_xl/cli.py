"""wpx: the command line. Each command parses its options, calls one library function and says what
it wrote. Library errors (WorkplanError) become one Chinese sentence and an exit code here, in one
place; a traceback appears only with --verbose."""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from workplan_xl.cli_help import VERSION_TEXT, ChineseGroup
from workplan_xl.errors import WorkplanError

CONTEXT = {"help_option_names": ["-h", "--help"]}
EXISTING = click.Path(exists=True, dir_okay=False, path_type=Path)


def usage_sentence(error: click.UsageError) -> str:
    """click's usage errors (English, with a usage block) as one Chinese sentence that says what to do."""
    from workplan_xl.returns.sniff import is_numbers_folder

    text = error.message
    name = getattr(getattr(error, "param", None), "human_readable_name", "").rstrip(".")
    if isinstance(error, click.MissingParameter):
        what = f"缺少参数 {name}" if name else "缺少参数"
    elif found := re.search(r"'(.+)' does not exist", text):
        what = f"找不到「{found.group(1)}」：请检查路径是否正确（路径中有空格时请加引号）"
    elif (found := re.search(r"'(.+)' is a directory", text)) and is_numbers_folder(Path(found.group(1))):
        what = (f"「{Path(found.group(1)).name}」是Apple Numbers 表格，无法直接读取：请在 Numbers 中选择“文件 → 导出为 → "
                "Excel”，存为 .xlsx 后再试")
    elif found:
        what = f"「{found.group(1)}」是文件夹，这里需要一个文件"
    elif found := re.search(r"'(.+)' is a file", text):
        what = f"「{found.group(1)}」是文件，这里需要一个文件夹"
    elif isinstance(error, click.NoSuchOption):
        guesses = "、".join(error.possibilities or [])
        what = f"没有选项 {error.option_name}" + (f"（是不是 {guesses}？）" if guesses else "")
    elif found := re.search(r"No such command '(.+)'", text):
        what = f"没有命令「{found.group(1)}」：可用的命令有 {'、'.join(cli.commands)}"
    elif found := re.search(r"Option '(.+)' requires an argument", text):
        what = f"选项 {found.group(1)} 后面要跟一个值"
    else:
        what = f"命令行参数有误（{text}）"
    command = error.ctx.command_path if error.ctx else "wpx"
    return f"{what}。用 {command} --help 查看用法。"


class ChineseUsageError(click.ClickException):
    """A usage error shown as one Chinese sentence on stderr, exit code 2 (click's contract)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.message}", err=True)


class WpxGroup(ChineseGroup):
    """Turns library errors into one sentence and an exit code; unexpected errors into exit 1."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:  # bare `wpx`: the help page, and that is not an error
            click.echo(ctx.get_help())
            ctx.exit(0)
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise ChineseUsageError(usage_sentence(error)) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise ChineseUsageError(usage_sentence(error)) from None
        except WorkplanError as error:
            if ctx.meta.get("wpx.verbose"):
                traceback.print_exc()
            click.echo(f"错误：{error}", err=True)
            ctx.exit(error.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except BrokenPipeError:  # `wpx demo | head`: the reader has gone; nothing more to tell it
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except BaseException as error:  # noqa: BLE001 - the last line of defence; native readers raise BaseException
            if ctx.meta.get("wpx.verbose"):
                traceback.print_exc()
            click.echo(f"内部错误：{type(error).__name__}: {error}。请加 --verbose 重新运行，并把输出发给维护人员。",
                       err=True)
            ctx.exit(1)


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; silent in pipes and files."""
    if not sys.stderr.isatty() or total < 2:
        yield lambda step=1: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def _ask(question: str) -> bool:
    """A yes/no question on the terminal; no answer (end of input, Ctrl-C) is no."""
    try:
        return click.confirm(f"{question}（输入 y 新建，直接回车取消）", default=False, show_default=False,
                             prompt_suffix=" ")
    except click.Abort:
        click.echo("")
        return False


def _say(path: Path, what: str) -> None:
    click.echo(f"已写入{what}：{path}")


@click.group(cls=WpxGroup, context_settings=CONTEXT)
@click.version_option(package_name="workplan-xl", prog_name="wpx", message="%(prog)s %(version)s",
                      help=VERSION_TEXT)
@click.option("--verbose", "-v", is_flag=True, help="出错时显示详细的技术信息（供维护人员排查）。")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """workplan_xl（wpx）：教育局、督导室年度工作要点的台账、填报、汇总与工作总结工具。

    \b
    一年六步：
      wpx parse    读取工作要点（Word、PDF、文本、网页或任务分解表），显示任务结构
      wpx build    生成台账.xlsx（任务清单、配档表、指标跟踪、填报单位）
      wpx forms    为每个填报单位生成一份受保护的填报表
      wpx collect  收集回表，更新台账数据库，生成汇总.xlsx 和未报名单
      wpx serve    网页填报：各单位凭专用链接上传回表，督导室在网页上看报送情况
      wpx report   起草年度工作总结（GB/T 9704 公文格式）
      wpx notices  起草督办单和通报
    wpx demo 用自带示例把一整年跑一遍。所有数据只在本机处理。
    """
    ctx.meta["wpx.verbose"] = verbose


@cli.command(context_settings=CONTEXT)
@click.argument("file", metavar="文件", type=EXISTING)
@click.option("--json", "json_out", metavar="文件", help="把解析结果写成 JSON 文件；用 - 输出到屏幕。")
@click.option("--encoding", metavar="编码", help="文本文件的编码（如 gb18030）；默认自动识别。")
def parse(file: Path, json_out: str | None, encoding: str | None) -> None:
    """读取工作要点/工作计划/工作总结（或台账.xlsx），显示其结构。

    文件可以是工作要点 .docx、.pdf、.txt、.md、.html，任务分解表 .xlsx、.xlsm、.xls、.et、.ods、.csv，
    旧版文档 .doc、.wps、.odt、.rtf（需装有 LibreOffice），Plan JSON 或台账.xlsx。
    """
    from workplan_xl.master_workbook import load_plan
    from workplan_xl.outputs import Inputs, check_output
    from workplan_xl.plan_document import format_outline, write_plan_json

    if json_out not in (None, "-"):
        check_output(Path(json_out), "json", "Plan JSON", Inputs(plan=file), option="--json")  # before a long read
    plan = load_plan(file, encoding=encoding)
    if json_out == "-":
        click.echo(plan.to_json())
    elif json_out:
        backup = write_plan_json(plan, Path(json_out), source=file)
        if backup is not None:
            click.echo(f"原文件已移到：{backup}")
        _say(Path(json_out), "Plan JSON")
    else:
        click.echo(format_outline(plan))


@cli.command(context_settings=CONTEXT)
@click.argument("plan_file", metavar="工作要点", type=EXISTING)
@click.option("-o", "--output", metavar="文件", type=click.Path(dir_okay=False, path_type=Path), default=Path("台账.xlsx"),
              show_default=True, help="台账文件的保存位置。")
@click.option("--units", "roster", metavar="文件", type=EXISTING, help="填报单位名单（.xlsx .xls .csv）：代码、名称、类型、联系人、电话。")
def build(plan_file: Path, output: Path, roster: Path | None) -> None:
    """由工作要点（或 Plan JSON）生成台账.xlsx。"""
    from workplan_xl.master_workbook import build_master_workbook

    path = build_master_workbook(plan_file, output, roster=roster, echo=click.echo)
    _say(path, "台账")


@cli.command(context_settings=CONTEXT)
@click.argument("master", metavar="台账", type=EXISTING)
@click.option("-o", "--output", metavar="文件夹", type=click.Path(file_okay=False, path_type=Path), default=Path("填报表"),
              show_default=True, help="填报表的保存文件夹。")
@click.option("--round", "round_", metavar="批次", default="", help="报送批次，如 2024-06；区分月报、季报。")
@click.option("--units", "codes", multiple=True, metavar="代码", help="只为这些单位代码生成（可重复）。")
@click.option("--password", metavar="密码", default=None, help="工作表保护密码；默认不设密码。")
def forms(master: Path, output: Path, round_: str, codes: tuple[str, ...], password: str | None) -> None:
    """为台账中的每个填报单位生成一份填报表（只含该单位的任务和指标）。"""
    from workplan_xl.unit_forms import make_unit_forms

    paths = make_unit_forms(master, output, round=round_, codes=list(codes), password=password,
                            progress=progress_bar)
    click.echo(f"已生成填报表 {len(paths)} 份：{output}")
    for note in getattr(paths, "notes", ()):
        click.echo(note)


@cli.command(context_settings=CONTEXT)
@click.argument("master", metavar="台账", type=EXISTING)
@click.argument("returns", metavar="回表...", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", metavar="文件", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="汇总表的保存位置；默认为台账旁的 汇总_<批次>.xlsx（未分批次时为 汇总.xlsx）。")
@click.option("--round", "round_", metavar="批次", default=None, help="只收本批次的回表；默认取填报表上的批次。")
@click.option("--db", metavar="文件", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="台账数据库（SQLite）；默认为台账旁的同名 .db 文件。")
@click.option("--pin", "pins", multiple=True, metavar="代码=文件名",
              help="指定某单位采用哪一份回表（可重复）；记入数据库，以后每次收集都按此采用；写 代码= 取消指定。")
@click.option("--yes", "-y", is_flag=True, help="需要新建台账数据库时不再询问（用于脚本）。")
@click.pass_context
def collect(ctx: click.Context, master: Path, returns: tuple[Path, ...], output: Path | None,
            round_: str | None, db: Path | None, pins: tuple[str, ...], yes: bool) -> None:
    """收集回表（文件夹或文件），登记入库，生成汇总.xlsx。

    退出码：0 全部读入；3 部分文件有问题（见汇总表“问题清单”）；2 使用错误。
    """
    from workplan_xl.collect import collect_returns, parse_pins

    result = collect_returns(master, list(returns), output=output, round=round_, db=db, progress=progress_bar,
                             pins=parse_pins(pins), confirm=(lambda _question: True) if yes else _ask)
    click.echo(result.summary())
    ctx.exit(result.exit_code)


@cli.command(context_settings=CONTEXT)
@click.argument("master", metavar="台账", type=EXISTING)
@click.option("--round", "round_", metavar="批次", default=None, help="报送批次；默认为最近一次收集的批次。")
@click.option("--db", metavar="文件", type=click.Path(dir_okay=False, path_type=Path), default=None, help="台账数据库位置。")
def status(master: Path, round_: str | None, db: Path | None) -> None:
    """显示哪些单位已报、哪些未报（只查数据库，不读任何回表）。"""
    from workplan_xl.collect import reporting_status

    click.echo(reporting_status(master, round=round_, db=db))


@cli.command(context_settings=CONTEXT)
@click.argument("master", metavar="台账", type=EXISTING)
@click.option("-o", "--output", metavar="文件", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="工作总结的保存位置；默认为台账旁的“<年度>年工作总结.docx”。")
@click.option("--db", metavar="文件", type=click.Path(dir_okay=False, path_type=Path), default=None, help="台账数据库位置。")
@click.option("--round", "round_", metavar="批次", default=None, help="报送批次；默认为年终批次（只收过一个批次时即为该批次）。")
@click.option("--date", "date_", metavar="日期", default=None,
              help="成文日期（落款日期），如 2025-12-20 或 2025年12月20日；默认今天。")
@click.option("--template", metavar="文件", type=EXISTING, default=None, help="自己的 Word 模板（含 {{标题}} {{年度}} {{正文}} 占位符）。")
def report(master: Path, output: Path | None, db: Path | None, round_: str | None, date_: str | None,
           template: Path | None) -> None:
    """起草年度工作总结（.docx，GB/T 9704 公文格式）。"""
    from workplan_xl.word_report import make_report

    path = make_report(master, output=output, db=db, round=round_, template=template, day=date_, echo=click.echo)
    _say(path, "工作总结")


@cli.command(context_settings=CONTEXT)
@click.argument("master", metavar="台账", type=EXISTING)
@click.option("-o", "--output", metavar="文件夹", type=click.Path(file_okay=False, path_type=Path), default=Path("督办通报"),
              show_default=True, help="督办单和通报的保存文件夹。")
@click.option("--db", metavar="文件", type=click.Path(dir_okay=False, path_type=Path), default=None, help="台账数据库位置。")
@click.option("--round", "round_", metavar="批次", default=None, help="报送批次；默认为最近一次收集的批次。")
@click.option("--as-of", "as_of", metavar="日期", default=None, help="按此日期判断是否滞后（如 2024-09-30）；默认今天。")
@click.option("--date", "date_", metavar="日期", default=None,
              help="成文日期（落款日期），如 2025-12-20 或 2025年12月20日；默认今天。")
def notices(master: Path, output: Path, db: Path | None, round_: str | None, as_of: str | None,
            date_: str | None) -> None:
    """起草督办单（每个滞后单位一份）和报送情况通报。"""
    from workplan_xl.notices import make_notices

    paths = make_notices(master, output, db=db, round=round_, as_of=as_of, day=date_, echo=click.echo)
    click.echo(f"已写入督办单和通报 {len(paths)} 份：{output}")


@cli.command(context_settings=CONTEXT)
@click.argument("master", metavar="台账", type=EXISTING)
@click.option("--host", metavar="地址", default="127.0.0.1", show_default=True,
              help="监听地址；内网使用时用 0.0.0.0 或本机的内网地址。不要暴露到互联网。")
@click.option("--port", metavar="端口", default=8080, show_default=True, type=click.IntRange(1, 65535), help="端口。")
@click.option("--returns", metavar="文件夹", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="回表文件夹；默认为台账旁的「回表」，网页上传的文件存在其中的「网页上传」里。")
@click.option("--db", metavar="文件", type=click.Path(dir_okay=False, path_type=Path), default=None, help="台账数据库位置。")
@click.option("--round", "round_", metavar="批次", default=None, help="只收本批次的回表；默认取填报表上的批次。")
@click.option("--url", metavar="网址", default=None,
              help="各单位打开本服务用的网址（如 http://10.0.0.5:8080），写进填报链接；默认 http://HOST:PORT。")
@click.option("--set-password", "set_password_", is_flag=True, help="设置督导室页面的密码（输入两次），然后退出。")
@click.option("--links", "links_only", is_flag=True, help="只写出各单位的填报链接（CSV），不启动服务。")
@click.option("--new-link", "new_links", metavar="单位代码", multiple=True,
              help="给这个单位换一个新链接（旧链接立即作废），可重复使用。")
def serve(master: Path, host: str, port: int, returns: Path | None, db: Path | None, round_: str | None,
          url: str | None, set_password_: bool, links_only: bool, new_links: tuple[str, ...]) -> None:
    """在本机或单位内网启动网页填报：每个单位一个专用上传链接，督导室页面看报送情况。"""
    from workplan_xl.serve import ServeOptions, prepare_links, renew_links, run_server, set_password

    options = ServeOptions(master, host=host, port=port, returns=returns, db=db, round=round_, url=url)
    if set_password_:
        password = click.prompt("督导室页面的新密码", hide_input=True, confirmation_prompt="请再输入一次",
                                prompt_suffix="：", err=True)
        set_password(master, password)
        click.echo("密码已设置。")
        return
    moved: list[Path] = []
    if new_links:
        for code, link in zip(new_links, renew_links(options, list(new_links), moved), strict=True):
            click.echo(f"单位 {code} 的新链接（旧链接已作废）：{link}")
    if links_only or new_links:
        _, path = prepare_links(options, moved)
        for backup in moved:
            click.echo(f"原填报链接表已移到：{backup}")
        click.echo(f"各单位的填报链接已写入：{path}")
        return
    run_server(options, echo=click.echo)


@cli.command(context_settings=CONTEXT)
@click.argument("folder", metavar="[文件夹]", required=False, type=click.Path(file_okay=False, path_type=Path),
                default=Path("wpx-demo"))
def demo(folder: Path) -> None:
    """用自带示例把一整年跑一遍：解析、台账、填报表、模拟回表、汇总、总结、督办。"""
    from workplan_xl.demo import run_demo

    run_demo(folder, echo=click.echo)
