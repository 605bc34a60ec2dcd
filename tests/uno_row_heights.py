"""Row heights as written against LibreOffice's own optimal heights, through UNO.

Run with the system Python that has Debian's python3-uno (not the venv):

    /usr/bin/python3 tests/uno_row_heights.py SOFFICE PROFILE_DIR FILE.xlsx [FILE.xlsx ...]

Starts soffice headless with its own profile and a named pipe, opens each file hidden, and for every
visible sheet and every used row prints one JSON line: file, sheet, row (1-based), the height as
written and LibreOffice's optimal height (both in points), measured on a copy of the row's
properties (the document is closed without saving). Exits 3 when LibreOffice cannot be reached.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno  # noqa: F401 - Debian python3-uno, the system Python only
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

HUNDREDTH_MM_PER_POINT = 2540 / 72


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(soffice: str, profile: Path) -> tuple[subprocess.Popen, object]:
    pipe = f"wpx-rows-{uuid.uuid4().hex[:12]}"
    process = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
         "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 90
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                sys.exit(3)
            time.sleep(0.3)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    return process, desktop


def measure(desktop: object, path: Path) -> list[dict[str, object]]:
    document = desktop.loadComponentFromURL(path.resolve().as_uri(), "_blank", 0,
                                            (prop("Hidden", True), prop("ReadOnly", False)))
    out: list[dict[str, object]] = []
    try:
        sheets = document.Sheets
        for index in range(sheets.Count):
            sheet = sheets.getByIndex(index)
            if not sheet.IsVisible:
                continue
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            last = cursor.RangeAddress.EndRow
            rows = sheet.Rows
            written = [rows.getByIndex(r).Height for r in range(last + 1)]
            for r in range(last + 1):
                row = rows.getByIndex(r)
                if row.IsVisible:
                    row.OptimalHeight = True
            for r in range(last + 1):
                row = rows.getByIndex(r)
                if not row.IsVisible:
                    continue
                out.append({"file": path.name, "sheet": sheet.Name, "row": r + 1,
                            "written": round(written[r] / HUNDREDTH_MM_PER_POINT, 2),
                            "optimal": round(row.Height / HUNDREDTH_MM_PER_POINT, 2)})
    finally:
        document.close(True)
    return out


def main() -> None:
    soffice, profile, *files = sys.argv[1:]
    process, desktop = connect(soffice, Path(profile))
    try:
        for name in files:
            for line in measure(desktop, Path(name)):
                print(json.dumps(line, ensure_ascii=False), flush=True)
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge goes down with the process
            pass
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    os._exit(0)  # the UNO bridge's threads would keep the interpreter alive


if __name__ == "__main__":
    main()
