"""workplan_xl: a year of an education bureau's plan, from document to 工作总结.

    plan document ──read_plan──▶ Plan ──write_master_workbook──▶ 台账.xlsx
    台账.xlsx ──write_unit_forms──▶ one protected form per unit
    returns ──collect_returns──▶ ledger (SQLite) + 汇总.xlsx + who has not reported
    ledger ──make_report / make_notices──▶ 工作总结.docx, 督办单, 通报

Each step is one module; the Plan (plan.py) is the contract between them.
"""

from collections.abc import Callable
from typing import Any


def lazy_names(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A package's module __getattr__ that imports each name's submodule (``where``: name → submodule) when the
    name is first asked for, so a child process that needs one module of a package does not pay for the rest."""
    from importlib import import_module

    def __getattr__(name: str) -> Any:
        if name in where:
            return getattr(import_module(f"{package}.{where[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__


def __getattr__(name: str) -> str:
    # Looked up when asked for: importlib.metadata costs every process (the reader workers too) ~30 ms.
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("workplan-xl")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"
