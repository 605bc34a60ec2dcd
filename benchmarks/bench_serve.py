"""wpx serve under load: 500 returns posted by 20 concurrent clients to a real `wpx serve` process on
127.0.0.1, then the ledger compared with a plain `wpx collect` of the same files.

    python benchmarks/bench_serve.py                 100 units × 5 versions = 500 uploads, 20 clients
    python benchmarks/bench_serve.py --units 40 --versions 2 --clients 8

Each client takes whole units and posts a unit's versions in order (as a school re-sends after fixing
its form), each time fetching the unit page for its CSRF token first. Reported: uploads per second
(wall clock, all clients), the time from sending an upload to its feedback page (median, p95, max),
the server's peak memory (VmHWM of the server process and of its largest reader process) and whether
the ledger equals that of a plain collect of the same files (versions dated in the same order).
Requests go to 127.0.0.1 only, are bounded in number, and the server is stopped at the end."""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_collect import bench_plan, filled_bytes

from workplan_xl.collect import collect_returns
from workplan_xl.ledger_state import read_state
from workplan_xl.master_workbook import write_master_workbook
from workplan_xl.unit_forms.content import build_contents


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def generate(base: Path, units: int, versions: int) -> tuple[Path, dict[str, list[Path]]]:
    plan = bench_plan(units)
    master = write_master_workbook(plan, base / "台账.xlsx")
    sent = base / "学校发来的"
    sent.mkdir()
    files: dict[str, list[Path]] = {}
    start = time.time() - 86400
    for n, content in enumerate(build_contents(plan, plan.units)):
        for v in range(versions):
            path = sent / f"{content.unit_code}_{content.unit_name}回表-第{v + 1}版.xlsx"
            path.write_bytes(filled_bytes(content, n * versions + v))
            os.utime(path, (start + v * 60, start + v * 60))  # later versions are newer
            files.setdefault(content.unit_code, []).append(path)
    return master, files


def post(port: int, path: str, csrf: str, name: str, data: bytes) -> tuple[int, str]:
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def client(port: int, links: dict[str, str], files: dict[str, list[Path]], codes: list[str]) -> list[tuple[float, bool]]:
    timings = []
    for code in codes:
        path = "/u/" + links[code]
        for file in files[code]:
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60).read().decode("utf-8")
            csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
            data = file.read_bytes()
            start = time.perf_counter()
            status, answer = post(port, path, csrf, file.name, data)
            timings.append((time.perf_counter() - start, status == 200 and "已采用" in answer))
    return timings


def peak_memory(pid: int) -> tuple[float, float]:
    """VmHWM (MB) of the server and of its largest child (the reader workers it keeps)."""
    def hwm(p: int) -> float:
        try:
            text = Path(f"/proc/{p}/status").read_text()
        except OSError:
            return 0.0
        return int(re.search(r"VmHWM:\s+(\d+)", text).group(1)) / 1024

    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return hwm(pid), max((hwm(c) for c in children), default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wpx-bench-serve-") as tmp:
        base = Path(tmp)
        master, files = generate(base, args.units, args.versions)
        total = sum(len(v) for v in files.values())
        port = free_port()
        subprocess.run([sys.executable, "-m", "workplan_xl", "serve", str(master), "--links"], check=True,
                       capture_output=True)
        from workplan_xl.serve.settings import Settings, settings_path

        links = Settings.load(settings_path(master)).tokens
        log = open(base / "server.log", "wb")  # noqa: SIM115 - closed below
        server = subprocess.Popen([sys.executable, "-m", "workplan_xl", "serve", str(master), "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            codes = sorted(files)
            shares = [codes[i::args.clients] for i in range(args.clients)]
            start = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                results = [t for part in pool.map(lambda c: client(port, links, files, c), shares) for t in part]
            wall = time.perf_counter() - start
            server_mb, reader_mb = peak_memory(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()
        times = sorted(t for t, _ in results)
        accepted = sum(ok for _, ok in results)
        print(f"{total} uploads from {args.clients} clients ({args.units} units × {args.versions} versions) "
              f"in {wall:.1f} s: {total / wall:.1f} uploads/s; {accepted} answered 已采用")
        print(f"time to feedback: median {statistics.median(times):.2f} s, "
              f"p95 {times[int(0.95 * (len(times) - 1))]:.2f} s, max {times[-1]:.2f} s")
        print(f"peak memory: server {server_mb:.0f} MB, largest reader process {reader_mb:.0f} MB")

        served = read_state(None, master.with_suffix(".db"))
        again = collect_returns(master, [base / "回表"], output=base / "汇总-再收.xlsx")
        plain_base = base / "plain"
        plain_base.mkdir()
        plain = collect_returns(master, [base / "学校发来的"], output=plain_base / "汇总.xlsx", db=plain_base / "台账.db")

        def values(state) -> list[tuple]:  # noqa: ANN001
            return sorted((e.unit_code, e.item_id, e.field, e.value) for e in state.entries)

        same = (values(served) == values(plain.state)
                and [(u.unit.code, u.state) for u in served.units] == [(u.unit.code, u.state) for u in plain.state.units])
        print(f"ledger after serving equals a plain collect of the same files: {'yes' if same else 'NO'} "
              f"({len(served.entries)} values); collect of the returns folder afterwards read {again.read} new files")
        if not same or accepted != total or again.read:
            sys.exit(1)


if __name__ == "__main__":
    main()
