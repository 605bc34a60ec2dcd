"""wpx serve in a real browser: Debian's chromium, driven through its chromedriver, against a real
`wpx serve` process on 127.0.0.1. Units upload a good form, a half-filled one, a broken file and
another unit's form; the office logs in and sees the states; wrong and missing links, a unit link on
the office page, an oversized upload, a POST without CSRF token and a path in the file name are
refused. Skipped locally without chromium, failed in CI (where .ci/run installs it).

With WPX_DOCS_IMAGES=1 the screenshots are also written to docs/ for the README."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import IN_CI, ROOT
from test_returns import PNG, fill, make_forms, make_plan

from workplan_xl.ledger_state import read_state
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook
from workplan_xl.serve import ServeOptions, prepare_links, set_password

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
PASSWORD = "督导室测试密码 2024"
pytestmark = pytest.mark.slow


def need_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium")
    if missing:
        if IN_CI:
            pytest.fail(f"CI=true 但缺少 {'、'.join(missing)}：.ci/run 应当安装 chromium 和 chromium-driver")
        pytest.skip(f"缺少 {'、'.join(missing)}：浏览器测试跳过")


@dataclass
class Server:
    url: str
    master: Path
    returns: Path
    filled: dict[str, Path]
    links: dict[str, str]
    process: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    need_browser()
    base = tmp_path_factory.mktemp("serve") / "督导室 网页填报"
    base.mkdir()
    master = write_master_workbook(make_plan(units=5), base / "工作 台账.xlsx")
    forms = make_forms(read_master_workbook(master), base / "填报表")
    (base / "收到").mkdir()
    filled = {code: fill(forms[code], base / "收到" / f"{code} 回表.xlsx") for code in ("1001", "1003")}
    tasks = {"T001": {"完成状态": "已完成", "进展情况": "只填了一项"}}
    filled["1002"] = fill(forms["1002"], base / "收到" / "1002 只填了一半.xlsx", tasks=tasks, indicators={})
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    set_password(master, PASSWORD)
    settings, _ = prepare_links(ServeOptions(master, port=port))
    log = base / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "workplan_xl", "serve", str(master), "--port", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT, cwd=base)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("wpx serve 没有启动：\n" + log.read_text(encoding="utf-8", errors="replace"))
                time.sleep(0.3)
        links = {code: f"{url}/u/{token}" for code, token in settings.tokens.items()}
        yield Server(url, master, base / "回表", filled, links, process, log)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="wpx-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=zh-CN",
                 f"--user-data-dir={profile}", "--window-size=1100,900", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def body(driver) -> str:  # noqa: ANN001
    return driver.find_element("tag name", "body").text


def upload(driver, link: str, path: Path) -> str:  # noqa: ANN001
    driver.get(link)
    driver.find_element("css selector", "input[type=file]").send_keys(str(path))
    return submit(driver)


def submit(driver) -> str:  # noqa: ANN001
    """Click the page's button and wait for the answer page (not the one being left)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    button = driver.find_element("css selector", "button[type=submit]")
    button.click()
    WebDriverWait(driver, 60).until(lambda _driver: _left_page(button, expected_conditions))
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return body(driver)


def _left_page(button, expected_conditions) -> bool:  # noqa: ANN001
    """staleness_of, and the same when chromedriver says it in other words while the page is swapped
    ("Node with given id does not belong to the document": seen under load)."""
    from selenium.common.exceptions import WebDriverException

    try:
        return expected_conditions.staleness_of(button)(None)
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


def screenshot(driver, name: str, tmp: Path, width: int, height: int | None = None) -> None:  # noqa: ANN001
    driver.set_window_size(width, height or 900)
    if height is None:  # the whole page
        full = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(full + 200, 400), 2600))  # the window includes the browser's frame
    target = tmp / name
    driver.save_screenshot(str(target))
    if os.environ.get("WPX_DOCS_IMAGES") == "1":
        shutil.copy(target, ROOT / "docs" / name)
    driver.set_window_size(1100, 900)


def test_units_upload_and_the_office_sees_them(server: Server, browser, tmp_path: Path) -> None:  # noqa: ANN001
    good = upload(browser, server.links["1001"], server.filled["1001"])
    assert "已采用：1001 回表.xlsx" in good and "已采用，谢谢！" in good
    assert "状态：已报" in good and "1001_1001 回表.xlsx" in good

    half = upload(browser, server.links["1002"], server.filled["1002"])
    state = {u.unit.code: u.state for u in read_state(None, server.master.with_suffix(".db")).units}
    assert state["1002"] in ("已报", "部分填报")
    assert f"状态：{state['1002']}" in half
    if state["1002"] == "部分填报":  # the ledger's states (issue 9): say which cells are missing
        assert "部分填报：1002 只填了一半.xlsx" in half

    broken = PNG_FILE(tmp_path, "实验小学 回表.xlsx")
    bad = upload(browser, server.links["1003"], broken)
    assert "有问题：实验小学 回表.xlsx" in bad and "实际上不是 Excel 文件（是图片）" in bad
    assert "状态：有问题" in bad

    foreign = upload(browser, server.links["1004"], server.filled["1001"])
    assert "这份表是「第一中学」的填报表，不是本单位（城关幼儿园）的：请上传本单位的填报表。这份文件没有保存。" in foreign
    assert "还没有收到" in foreign
    upload(browser, server.links["1001"], server.filled["1001"])
    screenshot(browser, "serve-unit.png", tmp_path, 420)

    # the office logs in and sees every state, 未报 first
    browser.get(server.url + "/office")
    assert "督导室登录" in body(browser)
    browser.find_element("name", "password").send_keys(PASSWORD)
    office = submit(browser)
    assert "报送情况" in office
    rows = [r.text for r in browser.find_elements("css selector", "#units tr")][1:]
    states = {row.split("（")[1][:4]: row for row in rows}
    assert [row.split("（")[1][:4] for row in rows[:3]] == ["1004", "1005", "1003"]  # 未报 first, then 有问题
    assert rows[-1].split("（")[1][:4] == "1001"  # 已报 last
    assert "未报" in states["1004"] and "有问题" in states["1003"] and "已报" in states["1001"]
    assert state["1002"] in states["1002"]
    screenshot(browser, "serve-office.png", tmp_path, 1100)
    browser.get(server.url + "/office/remind")
    remind = browser.find_element("id", "remind").get_attribute("value")
    assert server.links["1004"] in remind and server.links["1001"] not in remind
    # stored in the returns folder, and nothing of the broken or foreign file beyond what the ledger records
    stored = sorted(p.name for p in (server.returns / "网页上传").iterdir())
    assert stored == ["1001_1001 回表.xlsx", "1002_1002 只填了一半.xlsx", "1003_实验小学 回表.xlsx"]


def PNG_FILE(folder: Path, name: str) -> Path:  # noqa: N802 - a picture saved under a spreadsheet's name
    path = folder / name
    path.write_bytes(PNG)
    return path


def test_refusals_in_the_browser(server: Server, browser, tmp_path: Path) -> None:  # noqa: ANN001
    token = server.links["1001"].rsplit("/", 1)[1]
    browser.get(server.url + "/")
    browser.delete_all_cookies()  # a fresh visitor: no office session
    for path in ("/u/" + token[:-2] + "xx", "/u/", "/u/" + token + "/x"):
        browser.get(server.url + path)
        assert "链接无效" in body(browser) or "请使用本单位的专用链接" in body(browser), path
    # a unit's link grants nothing on the office pages
    for path in (f"/office?token={token}", f"/office/unit/1001?u={token}", "/office/summary.xlsx", "/u/%2e%2e/office"):
        browser.get(server.url + path)
        assert "督导室登录" in body(browser) and "报送情况" not in body(browser), path
    # oversized: refused with a sentence, nothing stored
    big = tmp_path / "大文件.xlsx"
    big.write_bytes(b"PK\x03\x04" + os.urandom(20 * 1024 * 1024 + 200 * 1024))
    text = upload(browser, server.links["1005"], big)
    assert "文件过大" in text and "没有保存" in text
    assert not any(p.name.startswith("1005_") for p in (server.returns / "网页上传").iterdir())


def post(url: str, fields: dict[str, str], file_name: str, data: bytes) -> tuple[int, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + data + f"\r\n--{boundary}--\r\n".encode())
    request = urllib.request.Request(url, data=b"".join(parts), method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_forged_posts_to_the_real_server(server: Server) -> None:
    link = server.links["1005"]
    form = server.filled["1001"].read_bytes()
    status, text = post(link, {}, "a.xlsx", form)
    assert status == 403 and "页面已过期或来源不明" in text
    page = urllib.request.urlopen(link, timeout=10).read().decode()
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    for name in ("../../../tmp/逃逸.xlsx", "..\\..\\逃逸.xlsx", "sub/dir.xlsx"):
        status, text = post(link, {"csrf": csrf}, name, form)
        assert status == 400 and "文件名不合规" in text, name
    assert not Path("/tmp/逃逸.xlsx").exists()
    assert not (server.returns / "网页上传" / "逃逸.xlsx").exists()
    log = server.log.read_text(encoding="utf-8")
    assert link.rsplit("/", 1)[1] not in log and "/u/…" in log  # the access log never shows a token
