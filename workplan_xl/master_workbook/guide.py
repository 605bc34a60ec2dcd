"""The 说明 sheet: what each sheet is for, what the user may edit, how ids and 填报对象 work."""

from __future__ import annotations

from typing import Any

from workplan_xl.master_workbook.layout import SHEET_GUIDE
from workplan_xl.master_workbook.table import Table
from workplan_xl.plan import Part, Plan

TASKS = ("每行一项重点任务。加粗的一级任务行按文件的部分把任务分开；灰色斜体、序号为“说明”的行是总体思路等背景内容，"
         "不是任务。可以修改：任务编号、重点任务、具体内容、具体措施（每行一条）、牵头单位、配合单位（多个用“、”分隔）、"
         "完成时限、月度节点（如“3、6、9月”）、填报对象和备注，也可以修改一级任务行的编号、标题和内容。"
         "任务属于它上方最近的一级任务行：把任务行移到另一个一级任务行下面，它就归入那一部分。"
         "“序号”“量化指标”两列和任务行上的“一级任务”列只供阅读，重新生成台账时更新；量化指标请在“指标跟踪”表中修改。")
SCHEDULE = ("按月份排列的重点工作：文件附有配档表时照录，没有时由任务清单的月度节点生成（每项任务每个月一行）。"
            "可以修改月份、时段、工作内容、责任单位和关联任务（填任务清单中的任务编号）。"
            "右侧 1月至12月 中，●表示本行工作所在的月份，○表示关联任务的其他月度节点；"
            "修改月份后，新的月份以底色标出，●○在重新生成台账时更新。")
INDICATORS = ("每行一项量化指标。可以修改指标、所属任务（以任务编号开头）、比较（≥ > ≈ ≤ < =）、目标值、单位、基线值、"
              "汇总方式和填报对象。汇总方式说明各单位的填报值如何合并：取牵头单位值（全县一个数，由牵头科室填报，"
              "多个单位填的数不一致时取牵头单位的数，并在汇总表“问题清单”中列出）、求和（各校的数相加，如新增学位）、"
              "平均、最大、最小、计数、不汇总。"
              "wpx 不改动本台账：每次收集后的实际值、完成率和是否达成见该批次汇总表（汇总_批次.xlsx）的“指标汇总”。"
              "实际值一列供手工填写（百分比填 95，不填 95%），完成率和状态随之自动计算："
              "达成（绿）、未达成（红）、未填（灰）。文件中已完成的成绩（如工作总结里的数字）不在此跟踪。")
UNITS = ("填报表发给这些单位，每个单位一行，可以增加或删除。代码必须唯一，按文本保存（保留开头的 0）；"
         "类型可选学校、幼儿园、处室、其他，也可以写自己的类型（如小学、初中）并在填报对象中使用。")
IDS = ("任务清单、配档表、指标跟踪中隐藏的ID列是 wpx 识别每一行的依据：不要修改隐藏的ID列；新增任务留空ID即可，"
       "读取台账时会分配新的ID（已用过的ID不再使用）。删除一行即删除该任务或指标；"
       "复制一行作为新任务时，ID 重复的那一行也会得到新的ID。")
REPORTERS = ("填报对象留空时，由牵头单位和配合单位中列在“填报单位”表里的单位填报；它们都不在名单上时，全部单位填报。"
             "也可以填写单位代码、单位名称、单位类型（学校、幼儿园、处室……）或“全部”，多个用“、”分隔。"
             "指标的填报对象留空时，与所属任务相同。")
NEXT = "用 wpx forms 台账.xlsx 为每个填报单位生成填报表；回表收齐后用 wpx collect 汇总。"


def write_guide(workbook: Any, fmt: dict[str, Any], plan: Plan, part: Part | None) -> None:
    titles = [f"{plan.title}　台账使用说明", "台账使用说明"] if plan.title else ["台账使用说明"]
    table = Table(workbook, fmt, SHEET_GUIDE, titles, [("item", "项目"), ("text", "说明")])
    for item, text in guide_rows(plan, part):
        table.next_row()
        table.text("item", item, "center")
        table.text("text", text)
    table.finish({"item": (10, 12), "text": (40, 90)}, autofilter=False)


def guide_rows(plan: Plan, part: Part | None) -> list[tuple[str, str]]:
    facts = [("文件标题", plan.title), ("年度", str(plan.year or "")), ("发文单位", plan.issuer),
             ("文号", plan.doc_number), ("成文日期", plan.issued), ("来源文件", plan.source.get("file", ""))]
    about = "；".join(f"{k}：{v}" for k, v in facts if v) or "（文件信息未识别）"
    rows = [("本台账", f"由 wpx 依据工作要点生成。{about}。"),
            ("任务清单", TASKS), ("配档表", SCHEDULE), ("指标跟踪", INDICATORS), ("填报单位", UNITS),
            ("编号和ID", IDS), ("填报对象", REPORTERS)]
    for other in plan.parts:
        if other is not part:
            name = other.title or ("工作总结" if other.kind == "summary" else "其他部分")
            rows.append(("未列入的部分", f"文件中的「{name}」不作为本年度任务跟踪，未列入任务清单；"
                                         "其内容保存在台账中，不会丢失。"))
    if plan.warnings:
        rows.append(("读取提示", "\n".join(plan.warnings)))
    rows.append(("下一步", NEXT))
    return rows
