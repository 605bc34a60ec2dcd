"""Reading a plan document: bytes → blocks (paragraphs and tables in order) → Plan.

    read_plan(path) ── readers.read_blocks ── schedule.extract_schedule (配档表 out)
                    ── cleaning (chrome out, split paragraphs joined) ── metadata (title, 文号, date)
                    ── outline (parts, sections, tasks) ── facts (measures, indicators, months, owners)
                    ── enrich (an attached task table's owners and deadlines, goal figures to tasks)

The readers run in a child process (readers/isolated.py), which imports readers/ and so this package:
the names below are imported when first used, so that child does not load the parser.
"""


from workplan_xl import lazy_names

_WHERE = {"format_outline": "display", "parse_blocks": "assemble", "read_plan": "assemble",
          "write_plan_json": "display"}
__all__ = sorted(_WHERE)

__getattr__ = lazy_names(__name__, _WHERE)
