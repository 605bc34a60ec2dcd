"""Plan documents in our own wording, in the shapes other bureaus, counties and kindergartens send:
run-in headings, a top level of "1." or "（一）", Word list numbering, a task table as the whole plan,
month-by-month plans, a PDF from LibreOffice, a saved government web page, a GBK text from Windows,
and a notice with the plan before the summary. Builders write the files; tests/test_new_documents.py
asserts what a bureau officer would read in them.

No sentence here comes from the seeds or any real document.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# -- 1. a city bureau's 工作要点 with run-in headings at both levels ----------------------------------
RUN_IN = """江川市教育局文件

江教发〔2026〕4号

江川市教育局关于印发《2026年全市教育工作要点》的通知

各区县教育局，市直各学校，局机关各科室：
现将《2026年全市教育工作要点》印发给你们，请结合实际认真贯彻落实。

江川市教育局
2026年2月20日

2026年全市教育工作要点

2026年全市教育工作的总体思路是：以办好人民满意的教育为目标，紧扣立德树人根本任务，统筹推进各级各类教育协调发展，重点抓好以下五个方面工作。

一、加强党建引领，把牢教育发展方向。坚持把党的政治建设摆在首位，健全党组织领导的校长负责制运行机制。
（一）深化理论武装。建立局党组理论学习中心组月学制度，全年开展专题学习不少于12次。（责任单位：机关党委）
（二）压实全面从严治党责任。开展廉政风险点排查，6月底前完成局属学校全覆盖。（牵头单位：机关纪委；配合单位：组织人事科）
（三）建强基层党组织。推进中小学党组织标准化建设，年内创建党建示范校20所。
二、扩大优质资源供给，推进基础教育优质均衡。围绕群众家门口上好学的期盼，持续加大投入。
（一）扩充学位供给。新建、改扩建中小学和幼儿园15所，新增学位1.2万个，9月底前投入使用。（牵头单位：发展规划科；配合单位：计划财务科、各区县教育局）
（二）提高学前教育普惠水平。普惠性幼儿园覆盖率稳定在92%以上，公办园在园幼儿占比达到60%。
（三）推进集团化办学。新组建教育集团8个，实现城区义务教育学校集团化办学全覆盖。由基础教育科牵头，各区县教育局配合。
三、深化教育教学改革，提升育人质量。
（一）推进课堂教学改革。举办全市课堂教学展评活动，3月至5月分学段开展，评选优质课100节。
（二）加强体育美育劳动教育。确保中小学生每天校内体育活动时间不少于2小时，学生体质健康测试优良率提高到58%。
四、建设高素质教师队伍，夯实发展根基。
（一）加强师德师风建设。开展师德专题教育，每季度通报典型案例。
（二）实施名师培养工程。遴选市级骨干教师300名，组织新任教师岗前培训不少于120学时。
五、守牢安全稳定底线，营造良好教育环境。落实校园安全“日周月”排查制度，全年组织应急演练不少于4次，确保不发生重大安全责任事故。

江川市教育局办公室                    2026年2月20日印发
"""

# -- 2. a school's semester plan: top level "1." / "1、", items "（1）", 一是…二是… inside ------------------
SCHOOL = """青禾路小学2025—2026学年第一学期工作计划

本学期，学校以“五育并举、和美共进”为办学主线，聚焦课堂提质和习惯养成，结合学校实际，制定本计划。

1.加强德育工作，落实立德树人根本任务
（1）抓实行为习惯养成。一是开学第一周开展入学适应教育，二是每月评选“和美班级”，三是建立学生成长记录袋，期末进行展示。
（2）丰富主题教育活动。9月开展“开学第一课”，10月组织“我和国旗合个影”主题班会，12月举办冬季趣味运动会。（政教处负责）
（3）深化家校协同育人。每学期召开家长会不少于2次，家访覆盖率达到100%。
2、提升教学质量，打造高效课堂
（1）规范教学常规管理。教导处每月开展一次教案作业检查，检查结果纳入教师考核。
（2）推进校本教研。以教研组为单位，每两周开展一次集体备课，全学期人均听课不少于15节。
（3）落实作业减负要求。一至二年级不布置书面家庭作业，三至六年级书面作业平均完成时间不超过60分钟。
3.加强教师队伍建设
（1）开展青蓝结对。为3年内新入职教师配备指导教师，结对12对。
（2）组织教师基本功比赛，11月底前完成。
4.筑牢校园安全防线
（1）落实门卫值守和24小时值班制度，每月开展一次安全隐患排查。
（2）组织消防和防震疏散演练各1次，演练时间控制在3分钟以内。
（3）加强校车和上下学交通安全管理，确保全学期零事故。

青禾路小学
2025年8月28日
"""

# -- 3. a county's 工作总结: top level "（一）", "1." below, achieved figures --------------------------
SUMMARY = """临溪县教育局2025年工作总结

2025年，县教育局在县委、县政府的坚强领导下，围绕“办好家门口每一所学校”的目标，攻坚克难、真抓实干，各项工作取得新进展。现将全年工作总结如下。

（一）基础教育提质扩容
1.学前教育普惠发展。全年新建公办幼儿园3所，完成薄弱园改造12所，普惠性幼儿园覆盖率达到97.5%，较上年提高2.3个百分点。
2.义务教育优质均衡。投入资金1.86亿元，完成5所农村学校校舍改造，新增学位2400个，大班额全部消除。
3.高中教育多样发展。县一中成功创建省级特色高中，全县普通高中本科上线人数达到1386人，上线率为61.2%。
（二）教师队伍建设
1.补充师资力量。公开招聘教师156名，其中研究生学历28名。
2.提升专业素养。组织各类培训86期，培训教师6200余人次，教师培训覆盖率100%。
（三）教育保障水平
1.落实资助政策。全年发放各类资助资金2360万元，惠及学生1.3万人次，做到应助尽助。
2.守牢安全底线。开展校园安全检查48次，整改隐患213处，全年未发生重大安全事故。

临溪县教育局
2026年1月8日
"""


# -- Word documents ---------------------------------------------------------------------------------
def _lvl(ilvl: int, fmt: str, text: str) -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>')


def add_outline_numbering(document: docx.document.Document, num_id: int = 70) -> int:
    """Real Word list numbering 一、/（一）/1. (what Word's 多级列表 writes): returns the numId."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{num_id}"><w:multiLevelType w:val="multilevel"/>'
                         + _lvl(0, "chineseCounting", "%1、") + _lvl(1, "chineseCounting", "（%2）")
                         + _lvl(2, "decimal", "%3.") + "</w:abstractNum>")
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))
    return num_id


def numbered(document: docx.document.Document, text: str, num_id: int, ilvl: int) -> None:
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def add_table(document: docx.document.Document, rows: list[list[str]], grid: bool = True) -> None:
    """A real Word table; a row of one value spans all columns (a merged group title row)."""
    width = max(len(r) for r in rows)
    table = document.add_table(rows=0, cols=width)
    if grid:
        table.style = "Table Grid"
    for values in rows:
        cells = table.add_row().cells
        if len(values) == 1:
            merged = cells[0].merge(cells[-1])
            merged.text = values[0]
            continue
        for c, value in enumerate(values):
            cells[c].text = value


TASK_HEADER = ["序号", "重点任务", "主要责任单位", "协同配合单位", "完成时限"]
TASK_TABLE = [
    TASK_HEADER,
    ["一、党的建设"],
    ["1", "开展“学思践悟”主题读书活动，全年组织专题研讨不少于6次", "机关党委", "各股室", "2026年12月"],
    ["2", "推进清廉学校建设，创建清廉示范学校10所", "纪检组", "组织人事股、各中小学", "2026年10月底前"],
    ["二、教育发展"],
    ["3", "新建北沙区第三幼儿园，新增学位360个", "计划财务股", "基础教育股", "2026年8月"],
    ["4", "完成12所学校智慧教室改造", "电教站", "计划财务股", "2026年11月"],
    ["5", "实施初中强校提质行动，中考优秀率提高到35%以上", "基础教育股", "教研室", "全年"],
    ["三、安全稳定"],
    ["6", "开展校园食品安全专项检查，每学期不少于1次", "安全股", "后勤服务中心", "每学期"],
    ["7", "完成校园视频监控联网，接入率达到100%", "安全股", "电教站", "2026年6月底前"],
]


def table_plan_docx(path: Path) -> Path:
    """A plan that is only a task table: title, one sentence, the table (group rows as sections)."""
    document = docx.Document()
    document.add_paragraph("北沙区教育体育局2026年重点工作任务清单")
    document.add_paragraph("为确保全年各项工作落到实处，现将重点工作任务分解如下，各责任单位要对照时限抓好落实。")
    add_table(document, TASK_TABLE)
    document.add_paragraph("北沙区教育体育局")
    document.add_paragraph("2026年1月15日")
    document.save(path)
    return path


def numbered_with_attachment_docx(path: Path) -> Path:
    """A numbered body in real Word list numbering, then 附件 with its task decomposition table."""
    document = docx.Document()
    num = add_outline_numbering(document)
    document.add_paragraph("南岭县教育局2026年教育督导工作要点")
    document.add_paragraph("2026年，全县教育督导工作以推动教育高质量发展为主线，突出督政、督学、评估监测三项职能，重点做好以下工作。")
    numbered(document, "强化督导职能", num, 0)
    numbered(document, "完善督导制度。修订县级督导工作规程，5月底前印发实施。", num, 1)
    numbered(document, "开展乡镇政府履行教育职责评价。对8个乡镇开展实地督导，评价结果报县政府。", num, 1)
    numbered(document, "做实学校督导", num, 0)
    numbered(document, "落实责任督学挂牌督导。每名责任督学每月到校督导不少于2次，全年覆盖全部中小学校和幼儿园。", num, 1)
    numbered(document, "开展幼儿园办园行为督导评估。对16所幼儿园进行评估，9月至11月完成。", num, 1)
    numbered(document, "加强结果运用", num, 0)
    numbered(document, "建立问题整改台账。督导发现的问题实行清单管理，整改完成率达到95%以上。", num, 1)
    document.add_paragraph("附件：2026年教育督导重点任务分解表")
    document.add_paragraph("南岭县教育局")
    document.add_paragraph("2026年2月27日")
    document.add_page_break()
    document.add_paragraph("附件")
    document.add_paragraph("2026年教育督导重点任务分解表")
    add_table(document, [
        TASK_HEADER,
        ["1", "完善督导制度", "督导室", "政策法规股", "2026年5月底前"],
        ["2", "开展乡镇政府履行教育职责评价", "督导室", "各乡镇中心学校", "2026年10月"],
        ["3", "落实责任督学挂牌督导", "督导室", "各中小学校、幼儿园", "全年"],
        ["4", "开展幼儿园办园行为督导评估", "督导室", "学前教育股", "2026年11月底前"],
        ["5", "建立问题整改台账", "督导室", "相关股室", "2026年12月"],
    ])
    document.save(path)
    return path


# -- 5. a kindergarten's semester plan, month by month (.txt, and .docx with Word's own numbering) -------
KINDERGARTEN = """小太阳幼儿园2025年秋季学期工作计划

一、指导思想
以《3-6岁儿童学习与发展指南》为引领，坚持保教并重，促进幼儿身心和谐发展。

二、工作目标
1.幼儿出勤率保持在90%以上，体检率达到100%。
2.教师参加园本培训每人不少于24学时。

三、具体工作安排
九月份：
1.做好新生入园适应工作，召开新生家长会。
2.开展“我上幼儿园啦”主题活动。
3.完成幼儿健康体检和建档工作。
十月：
1.开展国庆节爱国主题教育活动。
2.组织教师半日活动观摩。
3.进行秋季消防安全演练。
十一月份工作安排
1.举办秋季亲子运动会。
2.开展保育员技能比赛。
十二月份：
1.开展冬季卫生保健知识宣传。
2.组织幼儿期末发展评价。
3.做好学期工作总结。
一月份：
1.召开期末家长会，发放寒假安全告知书。
2.完成学期档案整理归档。

小太阳幼儿园
2025年8月25日
"""

KINDERGARTEN_MONTHS = [
    ("二月份工作安排", ["做好开学准备，组织全园卫生大扫除和消毒。", "召开全体教职工会议，部署学期工作。"]),
    ("三月份工作安排", ["开展“学雷锋”主题活动。", "组织春季幼儿体检，体检率达到100%。", "教研组开展集体备课。"]),
    ("四月份工作安排", ["开展春季远足活动。", "组织半日开放活动，邀请家长参与。"]),
    ("五月份工作安排", ["举办“劳动最光荣”实践活动。", "开展防溺水安全教育。"]),
    ("六月份工作安排", ["举办庆“六一”文艺汇演。", "做好大班幼儿幼小衔接工作。", "完成学期末评价与总结。"]),
]


def kindergarten_docx(path: Path) -> Path:
    """The spring semester as Word writes it: month headings as paragraphs, items in a numbered list
    that restarts under every month (a new w:num per month with startOverride)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    abstract = parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="80">' + _lvl(0, "decimal", "%1.")
                         + "</w:abstractNum>")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    document.add_paragraph("金苗幼儿园2026年春季学期保教工作计划")
    document.add_paragraph("本学期，我园以提升保教质量为中心，以安全卫生为保障，结合园所实际制定如下逐月工作计划。")
    for k, (head, items) in enumerate(KINDERGARTEN_MONTHS):
        num_id = 81 + k
        numbering.append(parse_xml(
            f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="80"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
        heading = document.add_paragraph()
        heading.add_run(head).bold = True
        for item in items:
            numbered(document, item, num_id, 0)
    document.add_paragraph("金苗幼儿园")
    document.add_paragraph("2026年2月16日")
    document.save(path)
    return path


# -- 6. a district 督导室 plan for a PDF made by LibreOffice: long justified paragraphs, half-width commas --
SUPERVISION_PARAGRAPHS = [
    "东岚区人民政府教育督导室",
    "2026年教育督导工作计划",
    "2026年,区教育督导室将坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻党的教育方针,围绕区委区政府中心工作,"
    "统筹推进督政、督学和评估监测,充分发挥督导“指挥棒”“助推器”作用,着力构建全面覆盖、运转高效、结果权威、问责有力的"
    "教育督导体系,为建设“教育强区”提供有力保障。",
    "一、总体目标",
    "全年完成对辖区内中小学校和幼儿园的督导全覆盖,义务教育优质均衡发展各项指标达标率达到85%以上,"
    "责任督学挂牌督导规范化水平明显提升,群众对教育的满意度稳步提高。",
    "二、重点工作",
    "（一）统筹推进,双普验收。对照县域义务教育优质均衡发展和学前教育普及普惠督导评估标准,逐项梳理短板弱项,建立问题清单、"
    "责任清单和整改清单,会同区教育局有关科室、各街道办事处、区财政局、区自然资源局等部门,定期调度推进情况,"
    "确保6月底前完成省级督导评估申报材料,10月底前迎接省级实地核查。",
    "（二）规范开展责任督学挂牌督导。全区32名责任督学每月到校不少于2次,重点关注课后服务、作业管理、校园安全、"
    "食堂管理、心理健康教育、招生入学等方面,发现问题及时反馈、跟踪整改,每学期形成挂牌督导工作报告,"
    "督导意见书整改回复率达到100%。",
    "（三）实施中小学校办学质量评价。按照学校自评、督导评估、结果反馈三个环节,对28所中小学校开展办学质量综合评价,"
    "评价结果作为学校年度考核和校长任期考核的重要依据,3月至11月分批完成。",
    "（四）做好教育质量监测。组织实施国家义务教育质量监测和区级学业质量监测,监测样本校覆盖率达到100%,"
    "形成监测结果分析报告,9月底前向各校反馈。",
    "三、保障措施",
    "（一）加强队伍建设。新聘兼职督学10名,组织督学专题培训不少于40学时,提升督学专业化水平。",
    "（二）强化结果运用。建立督导结果公告和约谈制度,对整改不力的单位和个人依规问责。",
    "东岚区人民政府教育督导室",
    "2026年2月25日",
]


def supervision_docx(path: Path) -> Path:
    """The 督导室 plan as an office writes it: 仿宋 for Chinese and Times New Roman for ASCII (so commas,
    quotes and digits are drawn in another font), 三号, justified, first-line indents."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    normal.font.size = Pt(16)
    normal.paragraph_format.first_line_indent = Pt(32)
    normal.paragraph_format.alignment = 3  # justified: LibreOffice spreads the characters of full lines
    for text in SUPERVISION_PARAGRAPHS:
        document.add_paragraph(text)
    document.save(path)
    return path


# -- a plan with a 配档表 that runs over several pages (a real Word table, month cells merged) --------
SCHEDULE_BODY = [
    "西河区教育局2026年工作要点",
    "一、提升基础教育质量",
    "（一）推进义务教育优质均衡。新建小学2所，优化学校布局，城区学校大班额动态清零。",
    "（二）深化课堂教学改革。开展教学视导，组织优质课评选，推广典型教学案例。",
    "二、加强教师队伍建设",
    "（一）开展全员培训。组织教师暑期集中研修，人均培训不少于72学时。",
    "（二）加强师德建设。开展师德师风专项整治，建立师德失范行为通报制度。",
    "三、维护校园安全稳定",
    "（一）开展安全隐患排查。每月组织一次校园安全检查，建立隐患整改台账。",
    "（二）加强食品安全管理。推进“互联网+明厨亮灶”全覆盖，开展食堂从业人员培训。",
]
_SCHEDULE_WORK = [
    ("召开全区教育工作会议，部署全年重点任务并签订目标责任书", "办公室", "各科室"),
    ("开展寒假期间校园安全专项检查", "安全科", "各学校"),
    ("组织春季开学工作专项督导，重点检查开学准备、校舍安全和食堂管理情况", "督导室", "安全科、后勤中心"),
    ("启动新建小学项目前期工作", "计财科", "基教科"),
    ("开展教学视导，覆盖全区中小学校", "教研室", "基教科"),
    ("组织全区中小学优质课评选活动，分学科分学段进行，评选结果纳入教师业务档案", "教研室", ""),
    ("开展师德师风专项整治", "人事科", "各学校"),
    ("组织防溺水安全教育和应急演练", "安全科", "各学校"),
    ("开展食堂从业人员食品安全培训", "后勤中心", "安全科"),
]


def schedule_rows() -> list[list[str]]:
    """月份 · 重点工作 · 责任单位 · 配合单位: four rows a month for twelve months (48 rows)."""
    rows = [["月份", "重点工作", "责任单位", "配合单位"]]
    for month in range(1, 13):
        for k in range(4):
            work, lead, partner = _SCHEDULE_WORK[(month * 4 + k) % len(_SCHEDULE_WORK)]
            rows.append([f"{month}月", f"{work}（{month}月第{k + 1}项）", lead, partner])
    return rows


def long_schedule_docx(path: Path) -> Path:
    """The body, then 附件 and a 48-row 配档表 whose month cells are merged down their four rows."""
    document = docx.Document()
    for line in SCHEDULE_BODY:
        document.add_paragraph(line)
    document.add_paragraph("附件")
    document.add_paragraph("西河区教育局2026年重点工作配档表")
    rows = schedule_rows()
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if c == 0 and r > 0 and (r - 1) % 4:
                continue  # merged below
            table.cell(r, c).text = value
    for r in range(1, len(rows), 4):
        table.cell(r, 0).merge(table.cell(r + 3, 0))
        table.cell(r, 0).text = rows[r][0]
    document.save(path)
    return path


# -- 7. a government web page saved from the browser (GBK, chrome all round, a metadata table) ---------
GOV_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<title>松川县教育体育局关于印发2026年教育督导工作要点的通知-松川县人民政府</title>
<link rel="stylesheet" href="css/main.css" /><script src="js/jquery.js"></script>
<script>var _hmt = _hmt || []; (function(){ var hm = document.createElement("script"); })();</script>
</head>
<body>
<div class="header"><div class="logo">松川县人民政府</div>
 <ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/bsfw">办事服务</a></li>
 <li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="location">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 部门文件</div>
<div class="content">
<table class="xxgk-meta" border="0" cellspacing="0">
 <tr><td>索引号：</td><td>11520123MB0001234X/2026-00018</td><td>主题分类：</td><td>教育</td></tr>
 <tr><td>发布机构：</td><td>松川县教育体育局</td><td>成文日期：</td><td>2026年03月02日</td></tr>
 <tr><td>文　　号：</td><td>松教体发〔2026〕9号</td><td>发布日期：</td><td>2026年03月05日</td></tr>
 <tr><td>标　　题：</td><td colspan="3">松川县教育体育局关于印发2026年教育督导工作要点的通知</td></tr>
</table>
<div class="article-title"><h1>松川县教育体育局关于印发2026年教育督导工作要点的通知</h1></div>
<div class="article-info">来源：县教育体育局　　发布时间：2026-03-05 10:21　　浏览次数：<span id="hits">356</span>
　<a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>
<div class="TRS_Editor">
<p style="text-indent:2em">各乡镇中心学校，县直各学校、幼儿园：</p>
<p style="text-indent:2em">现将《松川县2026年教育督导工作要点》印发给你们，请结合实际认真抓好落实。</p>
<p style="text-align:right">松川县教育体育局</p>
<p style="text-align:right">2026年3月2日</p>
<p style="text-align:center"><strong>松川县2026年教育督导工作要点</strong></p>
<p style="text-indent:2em">为深入推进教育督导体制机制改革，充分发挥督导“指挥棒”作用，现制定本要点。</p>
<p style="text-indent:2em"><strong>一、总体要求</strong></p>
<p style="text-indent:2em">坚持以问题为导向，聚焦热点难点，强化督导结果运用，推动全县教育高质量发展。</p>
<p style="text-indent:2em"><strong>二、重点任务</strong></p>
<p style="text-indent:2em">（一）开展县域义务教育优质均衡发展督导。对照评估标准逐校逐项自查，9月底前完成县级自评，校际差异系数小学控制在0.50以内。</p>
<p style="text-indent:2em">（二）推进中小学校责任督学挂牌督导。每名责任督学联系学校不超过5所，每月到校督导不少于1次。由县教育督导室牵头，各学校配合。</p>
<p style="text-indent:2em">（三）做好学生体质健康专项督导。5月至6月开展专项检查，全县学生体质健康达标率达到92%以上。</p>
<p style="text-indent:2em">（四）开展校外培训机构规范管理督查。联合市场监管等部门，每学期开展联合检查不少于2次。</p>
<p style="text-indent:2em"><strong>三、工作保障</strong></p>
<p style="text-indent:2em">（一）加强组织领导。成立县教育督导工作领导小组，定期研究督导工作。</p>
<p style="text-indent:2em">（二）严格督导问责。对督导发现问题整改不到位的，依规依纪追究责任。</p>
<p>附件：<a href="P020260305.docx">1.2026年教育督导工作任务清单.docx</a></p>
<p><a href="P020260305b.xlsx">2.责任督学挂牌督导学校安排表.xlsx</a></p>
</div>
<div class="share">分享到：<a class="weixin">微信</a><a class="weibo">微博</a></div>
<div class="prev-next"><p>上一篇：<a href="#">关于做好春季学期开学工作的通知</a></p><p>下一篇：<a href="#">2026年县级骨干教师评选结果公示</a></p></div>
</div>
<div class="footer"><p>主办单位：松川县人民政府办公室　承办单位：松川县大数据中心</p>
<p>网站标识码：5201230001　黔ICP备12345678号　黔公网安备 52012302000123号</p>
<p>地址：松川县人民路18号　电话：0851-1234567</p></div>
</body></html>
"""


def gov_page_html(path: Path) -> Path:
    path.write_bytes(GOV_PAGE.encode("gbk"))
    return path


# -- 8. a GBK text from Windows: CRLF, full-width digits, (一) and 1、, 第一部分 parts -----------------------
GBK_TEXT = """沙河镇中心学校２０２６年工作计划

第一部分　２０２５年工作回顾

２０２５年，全镇学校在镇党委、政府和县教育局的领导下，扎实推进各项工作，办学水平稳步提升。全镇中小学巩固率达到１００%，教师培训参训率为９８．５%。

第二部分　２０２６年工作计划

(一)加强党的建设
1、落实“第一议题”制度，每月开展集中学习不少于１次。
2、推进党建带团建、队建，年底前创建党建品牌学校２所。
(二)提升教育教学质量
1、开展课堂教学大比武活动，４月至５月举行。
2、加强毕业班教学管理，力争初中学业水平考试合格率提高到９５%。
3、组织校际联片教研，每学期不少于４次。
(三)改善办学条件
1、完成中心小学运动场改造，８月底前完工，总投资１２０万元。
2、为村小配备图书３０００册。

沙河镇中心学校
２０２６年２月１８日
"""


def gbk_text(path: Path) -> Path:
    path.write_bytes(GBK_TEXT.replace("\n", "\r\n").encode("gbk"))
    return path


# -- 9. one notice, the plan first and the summary after it --------------------------------------------
PLAN_THEN_SUMMARY = """鹿鸣区教育督导室文件

鹿督室〔2026〕2号

关于印发鹿鸣区教育督导室2026年工作要点和2025年工作总结的通知

各中小学校、幼儿园：
现将《鹿鸣区教育督导室2026年工作要点》和《鹿鸣区教育督导室2025年工作总结》印发给你们，请认真贯彻执行。

鹿鸣区教育督导室
2026年1月20日

鹿鸣区教育督导室2026年工作要点

一、健全督导机制。修订责任督学工作手册，建立督导问题整改“回头看”制度，3月底前完成修订。
二、深化学校督导。对全区46所中小学校开展综合督导，年内实现全覆盖，整改完成率达到100%。
三、加强质量监测。组织实施八年级学业质量监测，10月底前形成监测报告。

鹿鸣区教育督导室2025年工作总结

一、督导机制不断完善。全年出台督导制度文件4项，聘任兼职督学35名。
二、学校督导扎实开展。完成42所学校的综合督导，发现问题186个，整改率为97.8%。
三、质量监测有序推进。组织监测学生2680人，监测结果反馈到校率100%。
"""
