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


SHI_PLAN = """柳湾镇中心校2026年工作要点

2026年，全镇教育工作以提高质量为中心，重点抓好以下工作：

一是强化党建引领。每季度召开一次党员大会，党员教师参学率达到100%。（责任单位：党建办）
二是提升教学质量。组织教学视导4次，开展同课异构活动20场。
三是加强师资培训。全年培训教师300人次，新招聘教师12人。（牵头单位：人事股，支撑单位：教研室、各完小）
四是改善办学条件。新建塑胶运动场1个，面积5000平方米，投入资金180万元。由后勤办牵头、财务室配合。
五是抓好安全稳定。开展应急疏散演练，每学期不少于2次。
六是推进家校共育。举办家长学校讲座8场。
七是做好控辍保学。义务教育巩固率保持在99%以上。
八是开展阅读活动。为学生购置图书3000册。
九是推进信息化建设。更新教师电脑60台。
十是加强后勤管理。食堂食品安全检查每周开展一次。
十一是完成上级交办的其他任务。
"""

RUNS_PLAN = """青石县教育局2026年督导工作要点

强化督导问责
一是落实督学责任区制度，每名督学每月到校不少于2次。
二是开展专项督导3次，形成督导报告。

提升评估质量
一是完成15所学校的办学水平评估。
二是建设督导信息平台1个。
三是组织督学培训2期，培训120人次。
"""

CHAPTER_PLAN = """明德中学2026年学校发展规划

第一章 发展目标
学校发展的总目标是建成市级示范高中。

第二章 主要任务
一、加强课程建设。开发校本课程10门。
二、加强队伍建设。培养骨干教师20名。

第三章 保障措施
一、完善制度。修订学校章程。
二、加大投入。投入资金200万元。
"""

MONTH_PLAN = """向阳小学2026年春季学期工作安排

二月
1.召开开学工作会议，部署学期工作。
2.开展开学安全大检查。
三月
1.组织学雷锋志愿服务活动。
2.召开家长会。
四月
1.举办春季运动会。
五月
1.开展防溺水安全教育。
六月
1.组织期末质量检测。
"""

OWNERS_PLAN = """东港区教育局2026年工作要点

一、基础教育
（一）推进学前教育普惠（牵头单位：学前科，支撑单位：财务科、基建办）。新增普惠性学位600个。
（二）深化课程改革（责任单位：基教科；配合单位：教研室、电教馆）。建设精品课程30节。
（三）加强学籍管理。规范转学手续，由基教科牵头、各中小学配合。
二、教育保障
（一）改善办学条件。新建校舍1.2万平方米，改造运动场3-5所，购置教学设备200台套，修建校园道路2.5公里。（责任单位：计财科）
（二）推进教师交流。交流教师1至2批，经费比上年增长12.4%，骨干教师占比提高2.1个百分点，师生比达到1:13，投入2000余万元，实现翻一番。
"""

SUMMARY_THEN_PLAN = """北湖区教育局2025年工作总结和2026年工作要点

一、2025年工作总结
2025年，小学入学率达100%，投入资金980万元，建成56所标准化学校，完成校舍维修3.6万平方米。
二、2026年工作要点
（一）推进义务教育优质均衡。新建学校2所，2026年12月底前完成。
（二）提升教师素质。培训教师1500人次。
"""


def long_numbered_text(count: int = 150) -> str:
    return "\n".join(["恒山区教育局2026年工作任务清单", ""] + [f"{i}.推进第{i}项重点工作，年底前完成。"
                                                           for i in range(1, count + 1)]) + "\n"


def styled_docx(path: Path) -> Path:
    """Headings without numerals: Word's Heading 1 / Heading 2 styles in one half and bold 黑体 / 楷体
    runs in the other, with the tasks in a real Word numbered list (numbering.xml) below them."""
    import docx
    import fixtures_docs as docs
    from docx.oxml.ns import qn

    document = docx.Document()
    num_id = docs.add_outline_numbering(document)
    title = document.add_paragraph("临川县教育局2026年工作要点")
    title.alignment = 1  # centred: the title, not a heading
    document.add_paragraph("全县教育系统围绕立德树人根本任务，重点做好以下工作。")
    document.add_heading("落实立德树人", level=1)
    document.add_heading("加强思政课建设", level=2)
    document.add_paragraph("开展思政课教师集体备课40次，评选优质课20节。")
    document.add_heading("深化体教融合", level=2)
    document.add_paragraph("建设体育特色学校8所，学生体质健康达标率达到92%。")

    def bold(text: str, face: str) -> None:
        run = document.add_paragraph().add_run(text)
        run.bold = True
        fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), face)

    bold("办好人民满意教育", "黑体")
    bold("扩大优质资源", "楷体")
    docs.numbered(document, "新建九年一贯制学校1所。", num_id, 2)
    docs.numbered(document, "改扩建幼儿园3所，新增学位540个。", num_id, 2)
    bold("强化教育保障", "楷体")
    document.add_paragraph("落实教育经费“两个只增不减”。")
    document.save(str(path))
    return path


TAB_TABLE = ("西城区教育局2026年重点任务清单\n\n序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
             "1\t推进集团化办学，组建教育集团3个\t基教科\t人事科、教研室\t2026年8月\n"
             "2\t实施校舍改造工程，改造校舍8000平方米\t计财科\t基建办\t2026年10月底前\n"
             "3\t开展教师全员培训，培训2000人次\t人事科\t教师发展中心\t全年\n")
PIPE_TABLE = ("西城区教育局2026年重点任务清单\n\n| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n"
              "| 1 | 推进集团化办学，组建教育集团3个 | 基教科 | 人事科、教研室 | 2026年8月 |\n"
              "| 2 | 实施校舍改造工程，改造校舍8000平方米 | 计财科 | 基建办 | 2026年10月底前 |\n"
              "| 3 | 开展教师全员培训，培训2000人次 | 人事科 | 教师发展中心 | 全年 |\n")
CELL_LINES = ("西城区教育局2026年重点任务清单\n\n序号\n重点任务\n牵头单位\n配合单位\n完成时限\n"
              "1\n推进集团化办学，组建教育集团3个\n基教科\n人事科、教研室\n2026年8月\n"
              "2\n实施校舍改造工程，改造校舍8000平方米\n计财科\n基建办\n2026年10月底前\n"
              "3\n开展教师全员培训，培训2000人次\n人事科\n教师发展中心\n全年\n")
WEEKLY = ("实验中学2026年春季学期行事历\n\n周次\t起止日期\t主要工作\t责任处室\n"
          "第1周\t2月16日-2月22日\t开学报到，开学典礼\t政教处\n\t\t教材发放\t总务处\n"
          "第2周\t2月23日-3月1日\t教学常规检查\t教务处\n\t\t安全隐患排查\t总务处、政教处\n"
          "第3周\t3月2日-3月8日\t学雷锋志愿服务\t团委\n")
MIDWAY = ("57\t完善学生资助体系，资助学生1200人次\t资助中心\t财务科\t2026年9月\n"
          "58\t推进校园食堂“明厨亮灶”，覆盖学校45所\t安全科\t后勤中心\t2026年6月\n"
          "59\t组织中小学生运动会\t体卫艺科\t各学校\t2026年10月\n")
TEXT_TABLE_EXPECTED = [
    ("1", "推进集团化办学，组建教育集团3个", ["基教科"], ["人事科", "教研室"], "2026年8月"),
    ("2", "实施校舍改造工程，改造校舍8000平方米", ["计财科"], ["基建办"], "2026年10月底前"),
    ("3", "开展教师全员培训，培训2000人次", ["人事科"], ["教师发展中心"], "全年")]


def task_table_html(path: Path) -> Path:
    """The same table as a web page (GBK), section rows spanning all columns."""
    import html

    rows = ["<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"]
    for section, tasks in SECTIONS:
        rows.append(f'<tr><td colspan="{len(HEADER)}">{section}</td></tr>')
        seen = set()
        for task in tasks:
            cells = task if tuple(task[:2]) not in seen else ["", "", task[2], "", "", ""]
            seen.add(tuple(task[:2]))
            rows.append("<tr>" + "".join(f"<td>{html.escape(c).replace(chr(10), '<br>')}</td>" for c in cells) + "</tr>")
    page = (f'<html><head><meta charset="gbk"><title>{TITLE}</title></head><body><h1>{TITLE}</h1><p>{NOTE}</p>'
            f'<table border="1">{"".join(rows)}</table></body></html>')
    path.write_bytes(page.encode("gbk"))
    return path
