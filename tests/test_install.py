"""A real (non-editable) install runs the demo: the wheel carries its package data (the example
files, the Word templates), not only the Python modules.

The project is copied out of the source tree, so nothing the tree holds beside the package can leak
in. The fresh venv sees the running interpreter's dependencies through a .pth file, so only the build
backend comes from the package index (pip's build isolation, as for any user); the project itself is
built into a wheel and installed for real.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                              ".ruff_cache", "wpx-demo", "tests", "docs", "benchmarks")


@pytest.mark.slow
def test_pip_install_then_wpx_demo(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=SKIP)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=180)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")

    # Let the venv import this interpreter's dependencies (click, xlsxwriter, python-docx …): appended
    # after the venv's own site-packages, so the freshly installed workplan_xl wins over any other.
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    parents = [*site.getsitepackages(), site.getusersitepackages(), sysconfig.get_paths()["purelib"]]
    (purelib / "_parent_site.pth").write_text("\n".join(dict.fromkeys(parents)) + "\n", encoding="utf-8")

    install = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q",
                              str(project)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    where = subprocess.run([str(python), "-c", "import workplan_xl; print(workplan_xl.__file__)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(venv), where  # the installed copy, not the source tree
    assert (Path(where).parent / "examples" / "plan_2025.docx").exists()

    wpx = scripts / ("wpx.exe" if os.name == "nt" else "wpx")
    env = {**os.environ, "PYTHONUTF8": "1"}
    run = subprocess.run([str(wpx), "demo", str(tmp_path / "demo")], capture_output=True, text=True,
                         timeout=600, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "先看这里：" in run.stdout
    assert list((tmp_path / "demo").glob("*工作总结*.docx")), run.stdout
