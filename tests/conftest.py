"""Shared fixtures: the seeds in ../shared, and LibreOffice for the real-client tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the clone (as in CI); WPX_SEEDS points elsewhere (a worktree has no ../shared)
SEEDS = Path(os.environ.get("WPX_SEEDS") or ROOT.parent / "shared" / "seeds")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not (SEEDS / "expected.json").exists():
        pytest.skip(f"../shared/seeds 不在（{SEEDS}）：种子文档测试需要与仓库并列的 shared 目录")
    return SEEDS


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of LibreOffice; skips locally when absent, fails in CI where .ci/run installs it."""
    exe = find_soffice()
    if exe is None:
        if IN_CI:
            pytest.fail("CI=true 但找不到 LibreOffice（soffice）：.ci/run 应当安装它")
        pytest.skip("LibreOffice（soffice）未安装：真实客户端测试跳过")
    return exe


def convert(soffice: str, src: Path, fmt: str, outdir: Path, timeout: int = 180) -> Path:
    """Convert ``src`` with LibreOffice headless (e.g. fmt 'pdf', 'xlsx', 'xls', 'ods').

    Each call uses its own profile folder so parallel or crashed runs do not lock each other out.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", str(outdir), str(src)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    if not out.exists():
        raise AssertionError(f"LibreOffice did not write {out}")
    return out


@pytest.fixture
def lo_convert(soffice: str):
    def _convert(src: Path, fmt: str, outdir: Path) -> Path:
        return convert(soffice, src, fmt, outdir)
    return _convert
