"""wpx serve: an upload page per unit and a 报送情况 page for the office, on the office's own machine
or intranet, with the same reading path and ledger as wpx collect.

    settings.py  tokens, the office password (scrypt), the links CSV
    intake.py    an upload → the ledger (collect's own function), feedback for the unit
    app.py       the Flask application: pages, CSRF, limits, security headers
    pages.py     the HTML templates
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workplan_xl.errors import OptionValueError
from workplan_xl.returns.precheck import LIMITS
from workplan_xl.serve.settings import Settings, settings_path, unit_link, write_links

__all__ = ["ServeOptions", "links_path", "prepare_links", "renew_links", "run_server", "set_password"]


@dataclass
class ServeOptions:
    master: Path
    host: str = "127.0.0.1"
    port: int = 8080
    returns: Path | None = None
    db: Path | None = None
    round: str | None = None
    url: str | None = None
    workers: int = 2
    threads: int = 8
    uploads_per_minute: int = 30

    @property
    def base_url(self) -> str:
        if self.url:
            return self.url.rstrip("/")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def links_path(master: Path) -> Path:
    return Path(master).with_name(Path(master).stem + "-填报链接.csv")


def prepare_links(options: ServeOptions, moved: list[Path] | None = None) -> tuple[Settings, Path]:
    """Every roster unit has a link (new units get one), saved, and written to the links CSV (an older
    CSV that differs goes to 备份/; ``moved`` is told where)."""
    from workplan_xl.master_workbook.read import read_master_plan

    plan = read_master_plan(options.master)
    settings = Settings.load(settings_path(options.master))
    settings.ensure_tokens(plan.units)
    settings.url = options.base_url
    settings.save()
    return settings, write_links(plan.units, settings, options.base_url, links_path(options.master), moved)


def renew_links(options: ServeOptions, codes: list[str], moved: list[Path] | None = None) -> list[str]:
    """New links for these units (their old links stop working at once)."""
    from workplan_xl.master_workbook.read import read_master_plan

    plan = read_master_plan(options.master)
    settings = Settings.load(settings_path(options.master))
    settings.ensure_tokens(plan.units)
    known = {u.code for u in plan.units}
    for code in codes:
        if code not in known:
            raise OptionValueError(f"台账的填报单位里没有代码为「{code}」的单位：请检查 --new-link 后的单位代码。")
        settings.renew(code)
    settings.save()
    write_links(plan.units, settings, options.base_url, links_path(options.master), moved)
    return [unit_link(options.base_url, settings, c) for c in codes]


def set_password(master: Path, password: str) -> None:
    if len(password) < 8:
        raise OptionValueError("密码太短：请至少用 8 个字符。")
    settings = Settings.load(settings_path(master))
    settings.set_password(password)
    settings.save()


def run_server(options: ServeOptions, echo: Callable[[str], None]) -> None:
    """Serve until interrupted (Ctrl-C)."""
    import waitress

    from workplan_xl.serve.app import create_app
    from workplan_xl.serve.intake import Intake

    master = Path(options.master)
    db = Path(options.db) if options.db else master.with_suffix(".db")
    returns = Path(options.returns) if options.returns else master.parent / "回表"
    moved: list[Path] = []
    settings, links = prepare_links(options, moved)
    for backup in moved:
        echo(f"原填报链接表已移到：{backup}")
    intake = Intake(master, returns, db, options.round, workers=options.workers)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("waitress").setLevel(logging.WARNING)
    signal.signal(signal.SIGTERM, _stop)  # a service manager's stop: the reader workers go down too
    try:
        app = create_app(intake, settings, options.base_url, LIMITS.max_file_bytes, options.uploads_per_minute)
        echo(f"各单位的填报链接已写入：{links}（可用于邮件合并；每个单位一个，不要混发）")
        echo(f"回表保存在：{returns / '网页上传'}；台账数据库：{db}")
        if settings.password:
            echo(f"督导室页面：{options.base_url}/office（需要密码）")
        else:
            echo(f"督导室页面：http://127.0.0.1:{options.port}/office（未设置密码，只能在本机打开）")
        if not _is_loopback(options.host):
            echo("注意：本机以外的电脑也能访问这个服务。请只在单位内网使用，不要直接暴露到互联网（没有 HTTPS 加密）。")
        echo("按 Ctrl+C 停止。")
        waitress.serve(app, host=options.host, port=options.port, threads=options.threads, ident="wpx",
                       max_request_body_size=2 * LIMITS.max_file_bytes, _quiet=True)  # beyond this, waitress' own 413
    finally:
        intake.close()


def _stop(*_: object) -> None:
    raise SystemExit(0)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
