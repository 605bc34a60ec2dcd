"""Plans of the shapes other offices circulate, in our own wording, built at test time:
task tables as .xlsx (merged title, note and section rows, multi-line cells, a vertically merged
task), the same table as .docx, .csv and .html, and a 配档表 with month columns."""

from __future__ import annotations

from pathlib import Path

TITLE = "城关区教育体育局2026年重点工作任务分解表"
NOTE = "说明：完成时限为最迟时间，请各牵头股室每月5日前报送进展。"
HEADER = ["序号", "重点任务", "具体措施", "牵头单位", "协同配合单位", "完成时限"]
SECTIONS = [
    ("一、学前教育普惠发展", [
        ["1", "新建改扩建公办幼儿园", "新建幼儿园3所，新增学位900个。\n完成园舍竣工验收。", "基建股",
         "财务股、\n学前教育股", "2026年9月底前"],
        ["2", "开展保教质量评估", "全区幼儿园保教质量评估覆盖率达到100%。", "学前教育股；督导室", "",
         "2026年12月"],
    ]),
    ("二、义务教育优质均衡", [
        ["3", "推进集团化办学", "组建教育集团2个，覆盖学校15所。", "基础教育股", "人事股，教研室", "2026年8月"],
        ["4", "加强课后服务", "课后服务覆盖率保持100%。", "基础教育股", "", "全年"],
        ["4", "加强课后服务", "开发课后服务特色课程50门。", "基础教育股", "", "全年"],
    ]),
]
# what every reading of the table must give: (number, title, owners, partners, deadline)
EXPECTED = [
    ("1", "新建改扩建公办幼儿园", ["基建股"], ["财务股", "学前教育股"], "2026年9月底前"),
    ("2", "开展保教质量评估", ["学前教育股", "督导室"], [], "2026年12月"),
    ("3", "推进集团化办学", ["基础教育股"], ["人事股", "教研室"], "2026年8月"),
    ("4", "加强课后服务", ["基础教育股"], [], "全年"),
]


def task_table_xlsx(path: Path) -> Path:
    """Title and note rows merged across, the header on row 4 from column B, section rows merged
    across, the last task merged down over two measure rows."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("填表说明").write("A1", "本表由各股室填写。")
    sheet = workbook.add_worksheet("任务分解")
    wrap = workbook.add_format({"text_wrap": True})
    sheet.merge_range("B1:G1", TITLE)
    sheet.merge_range("B2:G2", NOTE)
    sheet.write_row("B4", HEADER)
    row = 4
    for section, tasks in SECTIONS:
        sheet.merge_range(row, 1, row, 6, section)
        row += 1
        previous = None
        for task in tasks:
            if previous is not None and task[:2] == previous[:2]:
                # the same task again: merge its 序号, 任务, 牵头, 完成时限 cells with the row above
                for col in (0, 1, 3, 5):
                    sheet.merge_range(row - 1, col + 1, row, col + 1, task[col], wrap)
                sheet.write(row, 3, task[2], wrap)
            else:
                for col, value in enumerate(task):
                    if col == 0:
                        sheet.write_number(row, 1, int(value))
                    else:
                        sheet.write(row, col + 1, value, wrap)
            previous = task
            row += 1
    hidden = workbook.add_worksheet("代码表")
    hidden.write_row("A1", ["序号", "重点任务", "牵头单位"])
    hidden.write_row("A2", ["9", "不应出现的隐藏任务", "某股"])
    hidden.hide()
    workbook.close()
    return path


def task_table_docx(path: Path) -> Path:
    """The same table in Word: title paragraph, note, then a table with section rows merged across."""
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(NOTE)
    rows = [HEADER]
    merges = []
    for section, tasks in SECTIONS:
        merges.append(len(rows))
        rows.append([section] + [""] * (len(HEADER) - 1))
        seen = set()
        for task in tasks:
            key = tuple(task[:2])
            rows.append(task if key not in seen else ["", "", task[2], "", "", ""])
            seen.add(key)
    table = document.add_table(rows=len(rows), cols=len(HEADER))
    table.style = "Table Grid"  # ruled, as task tables are printed
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    for r in merges:
        table.cell(r, 0).merge(table.cell(r, len(HEADER) - 1))
    document.save(str(path))
    return path


def task_table_csv(path: Path, encoding: str = "gb18030") -> Path:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    for section, tasks in SECTIONS:
        writer.writerow([section])
        for task in tasks:
            writer.writerow(task)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def month_grid_xlsx(path: Path) -> Path:
    """A 配档表 with twelve month columns marked ●."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("配档表")
    sheet.write_row(0, 0, ["序号", "工作任务", "责任科室"] + [f"{m}月" for m in range(1, 13)])
    plan = [("开展春季开学安全检查", "安全股", (2, 3)), ("组织中考体育测试", "体卫艺股", (4, 5)),
            ("举办教师基本功大赛", "教研室", (10,))]
    for i, (task, owner, months) in enumerate(plan, start=1):
        sheet.write_row(i, 0, [str(i), task, owner] + ["●" if m in months else "" for m in range(1, 13)])
    workbook.close()
    return path
