"""文件清单: every file the last collect found in the returns folders and what became of it — used,
superseded by a later one, the same bytes as another file, skipped (lock, system, attachment) or not
used, with the reason — so a school whose file was never used can be told why, not just 未报."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workplan_xl.consolidated_workbook.layout import table

SHEET_FILES = "文件清单"
USED, SUPERSEDED, DUPLICATE, SKIPPED, REJECTED = "采用", "被替代", "重复", "跳过", "未采用"


def files_sheet(workbook: Any, fmt: dict[str, Any], title: str, files: Sequence[Sequence[str]]) -> None:
    """``files``: (文件, 所在文件夹, 单位, 结果, 说明) per file, in the order collect took them."""
    note = (f"本次收集找到的全部 {len(files)} 个文件及其结果：采用、被替代（同一单位后报的一份为准）、重复（与另一文件内容相同）、"
            "跳过（临时锁定文件、系统文件、佐证附件）或未采用（原因见说明，问题清单里有处理建议）。")
    table(workbook, fmt, SHEET_FILES, f"{title} 回表文件清单".strip(), note,
          ["文件", "所在文件夹", "单位", "结果", "说明"], [list(f) for f in files],
          ["text", "text", "text", "center", "text"], widths=(8, 60), stream=True)
