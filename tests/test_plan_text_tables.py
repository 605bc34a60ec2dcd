"""Task tables that arrive as text: tabs, pipes, one cell per line, a weekly calendar with merged week
cells, and a page from the middle of a table."""

from __future__ import annotations

from pathlib import Path

import fixtures_plans as fx
import pytest
from click.testing import CliRunner

from workplan_xl.cli import cli
from workplan_xl.plan_document import read_plan


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("text", [fx.TAB_TABLE, fx.PIPE_TABLE, fx.CELL_LINES], ids=["tab", "pipe", "lines"])
def test_task_table_as_text(tmp_path: Path, text: str) -> None:
    plan = read_plan(_write(tmp_path, "任务 清单.txt", text, "gb18030"))
    assert plan.title == "西城区教育局2026年重点任务清单"
    assert [(t.number, t.title, t.owners, t.partners, t.deadline) for t in plan.tasks()] == fx.TEXT_TABLE_EXPECTED


def test_weekly_calendar_carries_week_and_date_down(tmp_path: Path) -> None:
    plan = read_plan(_write(tmp_path, "行事历.txt", fx.WEEKLY))
    assert plan.title == "实验中学2026年春季学期行事历"
    assert [(e.month, e.period, e.text, e.owners) for e in plan.schedule] == [
        (2, "2月16日-2月22日", "开学报到，开学典礼", ["政教处"]),
        (2, "2月16日-2月22日", "教材发放", ["总务处"]),
        (2, "2月23日-3月1日", "教学常规检查", ["教务处"]),
        (2, "2月23日-3月1日", "安全隐患排查", ["总务处", "政教处"]),
        (3, "3月2日-3月8日", "学雷锋志愿服务", ["团委"])]
    assert [t.title for t in plan.tasks()] == ["开学报到，开学典礼", "教材发放", "教学常规检查", "安全隐患排查",
                                               "学雷锋志愿服务"]


def test_a_table_that_starts_midway(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["parse", str(_write(tmp_path, "第5页.txt", fx.MIDWAY))])
    assert result.exit_code == 0, result.output
    assert "T001 57.完善学生资助体系，资助学生1200人次  指标1 月份9 时限:2026年9月 责任:资助中心 配合:财务科" in result.output
    assert "T003 59.组织中小学生运动会  月份10 时限:2026年10月 责任:体卫艺科 配合:各学校" in result.output


def test_a_long_numbered_data_dump_is_looked_at_once(tmp_path: Path) -> None:
    """A code table (tens of thousands of numbered tab rows, widths varying) given as a plan: each run of
    rows is tried as a headerless task table once, not again from each of its rows (that took minutes)."""
    import time

    rows = [f"{n}\t0x{n:04x}\t{'*' if n % 3 else ''}\t{n * 7}" + ("\tV" if n % 50 == 0 else "") for n in range(20000)]
    (tmp_path / "外来 文件").mkdir()
    dump = _write(tmp_path / "外来 文件", "码表 数据.txt", "# 码表\n" + "\n".join(rows) + "\n")
    started = time.process_time()
    result = CliRunner().invoke(cli, ["parse", str(dump)])
    assert result.exit_code == 2, result.output
    assert result.output == ("错误：「码表 数据.txt」中找不到带编号的工作任务（如“一、”“（一）”“1.”）："
                             "请确认这是工作要点或工作计划。\n")
    assert time.process_time() - started < 20  # about 2 s; it was quadratic
