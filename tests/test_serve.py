"""wpx serve through Flask's test client: uploads go through collect's reading path into the same
ledger, feedback is immediate and exact, a unit only ever reports for itself, and every refusal
(wrong link, no CSRF token, too big, path in the name, too many uploads, a unit link on the office
page) holds. The browser tests (test_serve_browser.py) drive the same through a real server."""

from __future__ import annotations

import csv
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_returns import PNG, fill, make_forms, make_plan

from workplan_xl.cli import cli
from workplan_xl.collect import collect_returns
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook
from workplan_xl.serve import ServeOptions, prepare_links
from workplan_xl.serve.app import create_app
from workplan_xl.serve.intake import Intake
from workplan_xl.serve.settings import Settings, settings_path


@dataclass
class Site:
    base: Path
    master: Path
    returns: Path
    db: Path
    forms: dict[str, Path]
    filled: dict[str, Path]
    settings: Settings
    intake: Intake
    app: object

    def client(self, remote: str = "127.0.0.1"):  # noqa: ANN201
        client = self.app.test_client()
        client.environ_base["REMOTE_ADDR"] = remote
        return client

    def token(self, code: str) -> str:
        return self.settings.tokens[code]


def make_site(base: Path, password: str = "", max_bytes: int = 20 * 1024 * 1024, rate: int = 30) -> Site:
    base.mkdir(parents=True, exist_ok=True)
    master = write_master_workbook(make_plan(units=4), base / "工作 台账.xlsx")
    forms = make_forms(read_master_workbook(master), base / "填报表")
    (base / "填好").mkdir()
    filled = {code: fill(forms[code], base / "填好" / f"{code} 回表.xlsx") for code in ("1001", "1002", "1003")}
    settings, _ = prepare_links(ServeOptions(master))
    if password:
        settings.set_password(password)
        settings.save()
    intake = Intake(master, base / "回表", master.with_suffix(".db"))
    app = create_app(intake, settings, "http://127.0.0.1:8080", max_bytes, uploads_per_minute=rate)
    return Site(base, master, base / "回表", master.with_suffix(".db"), forms, filled, settings, intake, app)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    made = make_site(tmp_path / "督导 室")
    yield made
    made.intake.close()


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def upload(client, token: str, data: bytes, name: str, with_csrf: bool = True):  # noqa: ANN001, ANN201
    form = {"file": (BytesIO(data), name)}
    if with_csrf:
        form["csrf"] = csrf(client.get(f"/u/{token}").get_data(as_text=True))
    return client.post(f"/u/{token}", data=form, content_type="multipart/form-data")


def text(response) -> str:  # noqa: ANN001
    return re.sub(r"<[^>]+>", "", response.get_data(as_text=True))


def test_good_upload_is_accepted_stored_and_collects_to_the_same_ledger(site: Site, tmp_path: Path) -> None:
    client = site.client()
    page = upload(client, site.token("1001"), site.filled["1001"].read_bytes(), "我校 回表.xlsx")
    assert page.status_code == 200
    assert "已采用：我校 回表.xlsx" in text(page)
    assert "已采用，谢谢！如需修改，改好后重新上传即可，以最后一次上传的为准。" in text(page)
    stored = site.returns / "网页上传" / "1001_我校 回表.xlsx"
    assert stored.read_bytes() == site.filled["1001"].read_bytes()
    # the same bytes again: stored once, recorded once
    again = upload(client, site.token("1001"), site.filled["1001"].read_bytes(), "我校 回表.xlsx")
    assert "已采用" in text(again)
    assert sorted(p.name for p in (site.returns / "网页上传").iterdir()) == ["1001_我校 回表.xlsx"]
    with sqlite3.connect(site.db) as db:
        assert db.execute("SELECT file_name, unit_code, status FROM submissions").fetchall() == [
            ("1001_我校 回表.xlsx", "1001", "accepted")]
        assert db.execute("SELECT path FROM returns_folders").fetchall() == [(str(site.returns.absolute()),)]
    office = text(client.get("/office"))
    assert "已报 1 个" in office and "未报 3 个" in office
    # a plain collect of the returns folder afterwards finds everything already in the ledger
    result = collect_returns(site.master, [site.returns], output=tmp_path / "汇总.xlsx", db=site.db)
    assert (result.read, result.known) == (0, 1)
    assert [(u.unit.code, u.state) for u in result.state.units] == [
        (u.unit.code, u.state) for u in site.intake.state.units]


def test_another_units_form_a_broken_file_and_a_picture(site: Site) -> None:
    client = site.client()
    foreign = upload(client, site.token("1001"), site.filled["1002"].read_bytes(), "1002 回表.xlsx")
    assert "这份表是「第二中学」的填报表，不是本单位（第一中学）的：请上传本单位的填报表。这份文件没有保存。" in text(foreign)
    assert not (site.returns / "网页上传").exists()
    broken = upload(client, site.token("1003"), PNG, "实验小学.xlsx")
    body = text(broken)
    assert "有问题：实验小学.xlsx" in body
    assert "这份文件没有采用：文件「1003_实验小学.xlsx」实际上不是 Excel 文件（是图片）。" in body
    assert "隔离区" not in body  # where the office keeps its copy is not the school's business
    picture = upload(client, site.token("1003"), PNG, "照片.png")
    assert "这不是电子表格" in text(picture)
    office = text(client.get("/office"))
    assert re.search(r"实验小学（1003）\s*有问题", office)
    with sqlite3.connect(site.db) as db:
        assert db.execute("SELECT unit_code, status FROM submissions").fetchall() == [("1003", "rejected")]


def test_unit_page_shows_only_its_own_unit(site: Site) -> None:
    client = site.client()
    upload(client, site.token("1002"), site.filled["1002"].read_bytes(), "二中.xlsx")
    mine = text(client.get(f"/u/{site.token('1001')}"))
    assert "第一中学" in mine and "二中" not in mine and "第二中学" not in mine and "还没有收到" in mine
    theirs = text(client.get(f"/u/{site.token('1002')}"))
    assert "1002_二中.xlsx" in theirs and "已报" in theirs


def test_refusals(site: Site) -> None:
    client = site.client()
    token = site.token("1001")
    good = site.filled["1001"].read_bytes()
    assert client.get("/u/" + "A" * 32).status_code == 404
    assert "这个链接无效或已经作废" in text(client.get("/u/" + token[:-1]))
    assert upload(client, token, good, "a.xlsx", with_csrf=False).status_code == 403
    forged = client.post(f"/u/{token}", data={"file": (BytesIO(good), "a.xlsx"), "csrf": "1.abc"})
    assert forged.status_code == 403
    other_units_csrf = csrf(client.get(f"/u/{site.token('1002')}").get_data(as_text=True))
    assert client.post(f"/u/{token}", data={"file": (BytesIO(good), "a.xlsx"), "csrf": other_units_csrf}).status_code == 403
    for name in ("../../etc/x.xlsx", "a/b.xlsx", "..", "x\x00.xlsx", "..x.xlsx"):
        response = upload(client, token, good, name)
        assert response.status_code == 400 and "文件名不合规" in text(response), name
    assert not (site.returns / "网页上传").exists()
    # security headers on every answer
    headers = client.get(f"/u/{token}").headers
    assert headers["Referrer-Policy"] == "no-referrer" and headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff" and "script-src" not in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_size_and_rate_limits(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", max_bytes=100 * 1024, rate=3)
    try:
        client = site.client()
        token = site.token("1001")
        big = upload(client, token, bytes(150 * 1024), "大.xlsx")
        assert big.status_code == 413 and "没有保存" in text(big)
        good = site.filled["1001"].read_bytes()
        codes = [upload(client, token, good, "a.xlsx").status_code for _ in range(3)]
        assert codes == [200, 200, 429]  # the oversized attempt counted too: 3 a minute
        assert upload(client, site.token("1002"), site.filled["1002"].read_bytes(), "b.xlsx").status_code == 200
    finally:
        site.intake.close()


def test_office_needs_the_password_and_never_takes_a_unit_link(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", password="督导室 2024 密码")
    try:
        remote = site.client(remote="10.1.2.3")
        token = site.token("1001")
        for path in ("/office", f"/office?token={token}", f"/office/unit/1001?t={token}", "/office/summary.xlsx",
                     "/office/remind", f"/office/../u/{token}/../../office"):
            response = remote.get(path)
            assert response.status_code == 401 and "督导室登录" in text(response), path
        login = remote.get("/office/login").get_data(as_text=True)
        wrong = remote.post("/office/login", data={"password": "guess", "csrf": csrf(login)})
        assert wrong.status_code == 401 and "密码不对" in text(wrong)
        no_csrf = remote.post("/office/login", data={"password": "督导室 2024 密码"})
        assert "页面已过期" in text(no_csrf)
        ok = remote.post("/office/login", data={"password": "督导室 2024 密码", "csrf": csrf(login)})
        assert ok.status_code == 303
        page = text(remote.get("/office"))
        assert "报送情况" in page and "未报 4 个" in page
        remind = text(remote.get("/office/remind"))
        assert f"http://127.0.0.1:8080/u/{token}" in remind and "第一中学（未报" in remind
        summary = remote.get("/office/summary.xlsx")
        assert summary.status_code == 200 and summary.data[:2] == b"PK"
        history = remote.get("/office/unit/1001").get_data(as_text=True)
        assert "1001" in history
        assert remote.post("/office/unit/1001/new-link", data={}).status_code == 403  # no CSRF token
        assert site.client().get(f"/u/{token}").status_code == 200
        renewed = text(remote.post("/office/unit/1001/new-link", data={"csrf": csrf(history)}))
        new = site.settings.tokens["1001"]
        assert new != token and f"新链接（旧链接已作废，请把新链接发给该单位）：http://127.0.0.1:8080/u/{new}" in renewed
        assert site.client().get(f"/u/{token}").status_code == 404 and site.client().get(f"/u/{new}").status_code == 200
        assert new in (site.master.parent / "工作 台账-填报链接.csv").read_text(encoding="utf-8-sig")
        [old] = (site.master.parent / "备份").glob("工作 台账-填报链接.*.csv")  # the one replaced, kept
        assert token in old.read_text(encoding="utf-8-sig") and new not in old.read_text(encoding="utf-8-sig")
        assert f"链接表已更新：{site.master.parent / '工作 台账-填报链接.csv'}；原来的链接表（可能加过备注）已移到：{old}" in renewed
        assert not list(site.returns.rglob("*.xlsx"))  # nothing the office downloads lands among the returns
    finally:
        site.intake.close()


def test_office_without_password_is_for_this_machine_only(site: Site) -> None:
    assert site.client(remote="10.1.2.3").get("/office").status_code == 403
    assert site.client().get("/office").status_code == 200


def test_cli_links_new_link_and_password(tmp_path: Path) -> None:
    base = tmp_path / "链接 测试"
    base.mkdir()
    master = write_master_workbook(make_plan(units=3), base / "台账.xlsx")
    runner = CliRunner()
    result = runner.invoke(cli, ["serve", str(master), "--links", "--url", "http://10.0.0.5:8080/"])
    assert result.exit_code == 0, result.output
    links = base / "台账-填报链接.csv"
    assert result.stdout == f"各单位的填报链接已写入：{links}\n"
    rows = list(csv.reader(links.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["单位代码", "单位名称", "联系人", "电话", "填报链接"] and len(rows) == 4
    first = rows[1][4]
    assert re.fullmatch(r"http://10\.0\.0\.5:8080/u/[A-Za-z0-9_-]{32}", first)
    renewed = runner.invoke(cli, ["serve", str(master), "--new-link", "1001", "--url", "http://10.0.0.5:8080"])
    assert renewed.exit_code == 0
    new = list(csv.reader(links.read_text(encoding="utf-8-sig").splitlines()))[1][4]
    assert new != first and f"单位 1001 的新链接（旧链接已作废）：{new}" in renewed.stdout
    assert list(csv.reader(links.read_text(encoding="utf-8-sig").splitlines()))[2] == rows[2]  # others unchanged
    unknown = runner.invoke(cli, ["serve", str(master), "--new-link", "9999"])
    assert unknown.exit_code == 2
    assert unknown.stderr == "错误：台账的填报单位里没有代码为「9999」的单位：请检查 --new-link 后的单位代码。\n"
    short = runner.invoke(cli, ["serve", str(master), "--set-password"], input="short\nshort\n")
    assert short.exit_code == 2 and short.stderr.endswith("错误：密码太短：请至少用 8 个字符。\n")
    ok = runner.invoke(cli, ["serve", str(master), "--set-password"], input="一个足够长的密码口令\n一个足够长的密码口令\n")
    assert ok.exit_code == 0 and ok.stdout == "密码已设置。\n"
    stored = settings_path(master).read_text(encoding="utf-8")
    assert "一个足够长的密码口令" not in stored and '"scheme": "scrypt"' in stored
    assert Settings.load(settings_path(master)).check_password("一个足够长的密码口令")
    assert settings_path(master).stat().st_mode & 0o077 == 0


def test_forms_carry_each_units_link_once_the_links_are_made(tmp_path: Path) -> None:
    import openpyxl

    from workplan_xl.form_layout import SHEET_GUIDE

    base = tmp_path / "表 和 链接"
    base.mkdir()
    master = write_master_workbook(make_plan(units=3), base / "台账.xlsx")
    runner = CliRunner()

    def guide(folder: Path) -> dict[str, str]:
        lines = {}
        for form in sorted(folder.glob("*.xlsx")):
            rows = openpyxl.load_workbook(form)[SHEET_GUIDE].iter_rows(values_only=True)
            lines[form.name[:4]] = next((r[1] for r in rows if r[0] == "网上填报"), "")
        return lines

    assert runner.invoke(cli, ["forms", str(master), "-o", str(base / "无链接")]).exit_code == 0
    assert set(guide(base / "无链接").values()) == {""}
    assert runner.invoke(cli, ["serve", str(master), "--links", "--url", "http://10.0.0.5:8080"]).exit_code == 0
    assert runner.invoke(cli, ["forms", str(master), "-o", str(base / "有链接")]).exit_code == 0
    tokens = Settings.load(settings_path(master)).tokens
    lines = guide(base / "有链接")
    assert len(lines) == 3
    for code, line in lines.items():
        assert line == (f"也可以用浏览器打开本单位专用网址 http://10.0.0.5:8080/u/{tokens[code]} 上传本表，"
                        "几秒内即可看到检查结果（请勿转发给其他单位）。")
    # the forms with links are still collected as any form
    filled = fill(next((base / "有链接").glob("1001_*.xlsx")), base / "1001.xlsx")
    (base / "回表").mkdir()
    filled.rename(base / "回表" / filled.name)
    result = collect_returns(master, [base / "回表"], output=base / "汇总.xlsx")
    assert result.exit_code == 0 and result.state.units[0].state == "已报"


def test_concurrent_uploads_are_batched_into_one_consistent_ledger(site: Site, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    versions = {code: [fill(site.forms[code], tmp_path / f"{code}-{v}.xlsx",
                            indicators={"I001": 90 + v, "I002": 70 + v}).read_bytes() for v in range(3)]
                for code in ("1001", "1002", "1003")}

    def school(code: str) -> list[str]:
        client = site.client()
        return [text(upload(client, site.token(code), data, f"第{v}版.xlsx")) for v, data in enumerate(versions[code])]

    with ThreadPoolExecutor(3) as pool:
        answers = [a for part in pool.map(school, versions) for a in part]
    assert len(answers) == 9 and all("已采用" in a for a in answers)
    values = {(e.unit_code, e.item_id): e.value for e in site.intake.state.entries if e.item_id.startswith("I")}
    assert values == {(code, item): str(base + 2) for code in versions for item, base in (("I001", 90), ("I002", 70))}
    result = collect_returns(site.master, [site.returns], output=tmp_path / "汇总.xlsx", db=site.db)
    assert result.read == 0 and sorted(values.items()) == sorted(
        ((e.unit_code, e.item_id), e.value) for e in result.state.entries if e.item_id.startswith("I"))


def test_a_half_filled_form_is_partial_with_the_blank_cells(site: Site, tmp_path: Path) -> None:
    half = fill(site.forms["1002"], tmp_path / "半.xlsx", tasks={"T001": {"完成状态": "已完成"}}, indicators={"I001": 90})
    page = text(upload(site.client(), site.token("1002"), half.read_bytes(), "二中 半.xlsx"))
    assert "部分填报：二中 半.xlsx" in page
    assert "已收到，但还有必填的内容没有填写：请补填下列单元格后重新上传。" in page
    line = re.search(r"部分填报：\d+ 处必填内容未填（[^）]+）", page)
    assert line is not None, page
    assert "状态：部分填报" in page
    assert re.search(r"第二中学（1002）\s*部分填报", text(site.client().get("/office")))


def test_an_error_is_one_sentence_and_the_log_has_no_token(site: Site, caplog: pytest.LogCaptureFixture,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(site.intake, "history", broken)
    token = site.token("1001")
    with caplog.at_level("INFO", logger="wpx.serve"):
        response = site.client().get(f"/u/{token}")
    assert response.status_code == 500
    assert "服务器处理时出错：请稍后再试；如果一直不行，请改用邮件报送，并告知督导室。" in text(response)
    assert "Traceback" not in response.get_data(as_text=True)
    assert "GET /u/… failed: RuntimeError: disk gone" in caplog.text and token not in caplog.text


def test_the_links_csv_is_never_replaced_without_a_copy(tmp_path: Path) -> None:
    base = tmp_path / "链接 备份"
    base.mkdir()
    master = write_master_workbook(make_plan(units=3), base / "台账.xlsx")
    runner = CliRunner()
    links = base / "台账-填报链接.csv"
    assert runner.invoke(cli, ["serve", str(master), "--links", "--url", "http://10.0.0.5:8080"]).exit_code == 0
    same = runner.invoke(cli, ["serve", str(master), "--links", "--url", "http://10.0.0.5:8080"])
    assert same.stdout == f"各单位的填报链接已写入：{links}\n"  # the same bytes: nothing to keep
    assert not (base / "备份").exists()
    edited = links.read_text(encoding="utf-8-sig").replace("单位名称", "单位名称（邮件合并用）")
    links.write_text(edited, encoding="utf-8-sig")  # the officer's own edit for a mail merge
    result = runner.invoke(cli, ["serve", str(master), "--links", "--url", "http://10.0.0.9:8080"])
    assert result.exit_code == 0, result.output
    [kept] = list((base / "备份").iterdir())
    assert re.fullmatch(r"台账-填报链接\.\d{8}-\d{6}\.csv", kept.name)
    assert kept.read_text(encoding="utf-8-sig") == edited
    assert result.stdout == f"原填报链接表已移到：{kept}\n各单位的填报链接已写入：{links}\n"
    assert "http://10.0.0.9:8080/u/" in links.read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in base.iterdir()) == ["台账-填报链接.csv", "台账.xlsx", "台账.网页填报.json", "备份"]
