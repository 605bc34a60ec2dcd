"""Reading a plan document: bytes → blocks (paragraphs and tables in order) → Plan.

    read_plan(path) ── readers.read_blocks ── schedule.extract_schedule (配档表 out)
                    ── cleaning (chrome out, split paragraphs joined) ── metadata (title, 文号, date)
                    ── outline (parts, sections, tasks) ── facts (measures, indicators, months, owners)
                    ── enrich (an attached task table's owners and deadlines, goal figures to tasks)
"""

from workplan_xl.plan_document.assemble import parse_blocks, read_plan
from workplan_xl.plan_document.display import format_outline, write_plan_json

__all__ = ["format_outline", "parse_blocks", "read_plan", "write_plan_json"]
