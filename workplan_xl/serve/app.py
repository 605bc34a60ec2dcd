"""The web application: Flask for routing and templates, waitress as the server (pure Python, the
same on Windows and Linux, no build step).

Two kinds of page that never share a credential: a unit's page is reached only through its link
(/u/<token>), the office pages only through a password session (or, when no password is set, from
this machine alone). Every form carries a CSRF token signed with the server's secret; uploads are
limited in size (before they are read) and in rate; answers carry a strict CSP without scripts, no
framing, no-sniff and no-referrer (so a unit's link never leaks through the Referer header); the
access log never shows a token."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import re
import secrets
import tempfile
import threading
import time
from collections import defaultdict, deque
from pathlib import Path

from flask import Flask, Response, abort, redirect, render_template_string, request, send_file, session
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from workplan_xl.progress import MISSING, PROBLEM, REPORTED
from workplan_xl.serve import pages
from workplan_xl.serve.intake import Intake
from workplan_xl.serve.settings import Settings, unit_link, write_links

log = logging.getLogger("wpx.serve")
CSRF_SECONDS = 12 * 3600
LOCAL = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}
_BAD_NAME_CHARS = set('/\\:*?"<>|') | {chr(c) for c in range(32)}


class RateLimit:
    """At most ``count`` events per ``seconds`` for each key (a unit, an address)."""

    def __init__(self, count: int, seconds: float) -> None:
        self.count, self.seconds = count, seconds
        self.events: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self.lock:
            events = self.events[key]
            while events and now - events[0] > self.seconds:
                events.popleft()
            if len(events) >= self.count:
                return False
            events.append(now)
            return True


def create_app(intake: Intake, settings: Settings, base_url: str, max_bytes: int,
               uploads_per_minute: int = 30) -> Flask:
    app = Flask(__name__)
    app.secret_key = settings.secret
    app.config.update(MAX_CONTENT_LENGTH=max_bytes + 64 * 1024, SESSION_COOKIE_NAME="wpx_office",
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
                      MAX_FORM_MEMORY_SIZE=64 * 1024)
    uploads = RateLimit(uploads_per_minute, 60)
    bad_links = RateLimit(30, 60)  # guesses at unit links, per address
    logins = RateLimit(10, 60)

    def csrf_token(scope: str) -> str:
        stamp = str(int(time.time()))
        mac = hmac.new(settings.secret.encode(), f"{scope}|{stamp}".encode(), hashlib.sha256).hexdigest()
        return f"{stamp}.{mac}"

    def csrf_ok(scope: str) -> bool:
        stamp, _, mac = (request.form.get("csrf") or "").partition(".")
        if not stamp.isdigit() or time.time() - int(stamp) > CSRF_SECONDS:
            return False
        expected = hmac.new(settings.secret.encode(), f"{scope}|{stamp}".encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(mac, expected)

    def page(template: str, status: int = 200, **values: object) -> Response:
        values.setdefault("refresh", 0)
        html = render_template_string(template, plan_title=intake.plan.title or "工作要点", **values)
        return Response(html, status=status, mimetype="text/html")

    def message(title: str, text: str, status: int) -> Response:
        return page(pages.MESSAGE, status, title=title, message=text)

    def unit_from(token: str):  # noqa: ANN202 - Unit
        code = settings.unit_for(token)
        unit = intake.unit(code) if code else None
        if unit is None:
            if not bad_links.allow(request.remote_addr or ""):
                abort(429)
            abort(404)
        return unit

    def unit_page(token: str, unit, feedback=None, status: int = 200) -> Response:  # noqa: ANN001
        return page(pages.UNIT, status, title=f"{unit.name} 填报", unit=unit, token=token, feedback=feedback,
                    csrf=csrf_token("unit:" + unit.code), round=intake.state.round, report=intake.unit_state(unit.code),
                    history=intake.history(unit.code, for_unit=True), max_mb=max_bytes >> 20)

    def office_allowed() -> bool:
        if settings.password:
            return session.get("office") is True
        return request.remote_addr in LOCAL

    def office_scope() -> str:
        if "nonce" not in session:
            session["nonce"] = secrets.token_urlsafe(16)
        return "office:" + session["nonce"]

    @app.before_request
    def guard_office() -> Response | None:
        if request.path.startswith("/office") and request.path != "/office/login" and not office_allowed():
            if settings.password:
                return page(pages.LOGIN, 401, title="督导室登录", csrf=csrf_token(office_scope()), error="")
            return message("无权访问", "督导室页面只能在运行 wpx serve 的这台电脑上打开；如需在其他电脑上打开，"
                                      "请先运行 wpx serve 台账.xlsx --set-password 设置密码。", 403)
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'self'; img-src 'self'; "
                                                       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        path = "/u/…" if request.path.startswith("/u/") else request.path  # never a token in the log
        log.info("%s %s %s %s", request.remote_addr, request.method, path, response.status_code)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        if isinstance(error, RequestEntityTooLarge):
            return message("文件过大", f"上传的文件超过了 {max_bytes >> 20} MB 的上限，没有保存：请删去表中插入的图片等，"
                                   "只保留填报内容后重新上传。", 413)
        texts = {404: ("链接无效", "这个链接无效或已经作废：请向督导室索取本单位的新链接。"),
                 429: ("操作太频繁", "操作太频繁，请稍等一分钟后再试。"),
                 405: ("不支持的操作", "请从页面上的按钮操作。")}
        title, text = texts.get(error.code or 0, ("出错了", "请求有误，请返回后重试。"))
        return message(title, text, error.code or 400)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> Response:
        # Flask's own log line would carry the path, and with it a unit's token.
        path = "/u/…" if request.path.startswith("/u/") else request.path
        log.error("%s %s failed: %s", request.method, path, f"{type(error).__name__}: {error}"[:300])
        return message("出错了", "服务器处理时出错：请稍后再试；如果一直不行，请改用邮件报送，并告知督导室。", 500)

    @app.get("/style.css")
    def style() -> Response:
        return Response(pages.STYLE, mimetype="text/css")

    @app.get("/")
    def home() -> Response:
        return message("请使用本单位的专用链接", "请打开督导室发给本单位的填报链接（在填报表的“填报说明”里也有）。", 200)

    @app.get("/u/<token>")
    def unit_get(token: str) -> Response:
        unit = unit_from(token)
        return unit_page(token, unit)

    @app.post("/u/<token>")
    def unit_post(token: str) -> Response:
        unit = unit_from(token)
        if not csrf_ok("unit:" + unit.code):
            return message("页面已过期", "页面已过期或来源不明：请重新打开本单位的链接后再上传。", 403)
        if not uploads.allow(unit.code):
            abort(429)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return message("没有选择文件", "请先选择要上传的填报表。", 400)
        name = upload.filename
        if re.match(r"[A-Za-z]:\\[^/]*$", name) and "\\..\\" not in name:
            name = name.rsplit("\\", 1)[1]  # old Internet Explorer sends the whole path of the file
        if name in (".", "..") or any(c in _BAD_NAME_CHARS for c in name) or name.startswith(".."):
            return message("文件名不合规", "文件名里不能有路径或特殊字符（/ \\ : * ? \" < > |）：请改名后重新上传。", 400)
        staged = Path(tempfile.mkdtemp(dir=intake.staging)) / "upload"
        upload.save(staged)  # werkzeug has streamed the body to a temporary file; this copies it in chunks
        if staged.stat().st_size > max_bytes:
            staged.unlink()
            raise RequestEntityTooLarge()
        feedback = intake.accept(unit, name, staged)
        return unit_page(token, unit, feedback, 200)

    # -- the office ---------------------------------------------------------------------------------
    @app.route("/office/login", methods=["GET", "POST"])
    def login() -> Response:
        if not settings.password:
            return message("未设置密码", "督导室页面只能在本机打开；设置密码请运行 wpx serve 台账.xlsx --set-password。", 403)
        error = ""
        if request.method == "POST":
            if not csrf_ok(office_scope()):
                error = "页面已过期，请重新输入密码。"
            elif not logins.allow(request.remote_addr or ""):
                abort(429)
            elif settings.check_password(request.form.get("password", "")):
                session.clear()
                session["office"] = True
                session["nonce"] = secrets.token_urlsafe(16)
                return redirect("/office", 303)  # type: ignore[return-value]
            else:
                error = "密码不对，请重新输入。"
        return page(pages.LOGIN, 200 if not error else 401, title="督导室登录", csrf=csrf_token(office_scope()),
                    error=error)

    @app.get("/office")
    def office() -> Response:
        units = sorted(intake.state.units, key=lambda u: {MISSING: 0, PROBLEM: 1, REPORTED: 3}.get(u.state, 2))
        by_state: dict[str, int] = {}
        for u in intake.state.units:
            by_state[u.state] = by_state.get(u.state, 0) + 1
        order = [MISSING, PROBLEM, *sorted(s for s in by_state if s not in (MISSING, PROBLEM, REPORTED)), REPORTED]
        counts = {"total": len(units), "by_state": [(s, by_state.get(s, 0)) for s in order]}
        return page(pages.OFFICE, title="报送情况", units=units, counts=counts, round=intake.state.round, refresh=60)

    @app.get("/office/unit/<code>")
    def office_unit(code: str, new_link: str = "", links: str = "", backup: str = "") -> Response:
        unit = intake.unit(code)
        if unit is None:
            abort(404)
        return page(pages.HISTORY, title=unit.name, unit=unit, report=intake.unit_state(code),
                    history=intake.history(code), csrf=csrf_token(office_scope()), new_link=new_link,
                    links=links, backup=backup)

    @app.post("/office/unit/<code>/new-link")
    def office_new_link(code: str) -> Response:
        from workplan_xl.serve import links_path

        if intake.unit(code) is None:
            abort(404)
        if not csrf_ok(office_scope()):
            return message("页面已过期", "页面已过期或来源不明：请刷新页面后再操作。", 403)
        settings.renew(code)
        settings.save()
        moved: list[Path] = []
        written = write_links(intake.units, settings, base_url, links_path(intake.master), moved)
        return office_unit(code, new_link=unit_link(base_url, settings, code), links=str(written),
                           backup=str(moved[0]) if moved else "")

    @app.get("/office/remind")
    def remind() -> Response:
        lines = []
        for u in intake.state.units:
            if u.state != REPORTED:  # 未报, 有问题 and 部分填报 all need a word
                who = "，".join(x for x in (u.unit.contact, u.unit.phone) if x)
                lines.append(f"{u.unit.name}（{u.state}{'，' + who if who else ''}）：请打开本单位专用链接填报 "
                             f"{unit_link(base_url, settings, u.unit.code)}")
        text = "\n".join(lines) if lines else "所有单位都已报送。"
        return page(pages.REMIND, title="催报名单", text=text, count=len(lines))

    @app.get("/office/summary.xlsx")
    def summary() -> Response:
        with tempfile.TemporaryDirectory(prefix="wpx-summary-") as folder:
            path = intake.write_summary(Path(folder) / "汇总.xlsx")
            data = path.read_bytes()
        name = f"汇总{('-' + intake.state.round) if intake.state.round else ''}.xlsx"
        return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @app.get("/office/links.csv")
    def links() -> Response:
        with tempfile.TemporaryDirectory(prefix="wpx-links-") as folder:
            data = write_links(intake.units, settings, base_url, Path(folder) / "links.csv").read_bytes()
        return send_file(io.BytesIO(data), as_attachment=True, download_name="填报链接.csv", mimetype="text/csv")

    return app
