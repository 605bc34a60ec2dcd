"""A small made-up year for the report and notice tests: a county 教育督导 plan with 3 sections,
8 tasks, 5 indicators and 12 units; 10 units reported (one with problems), 2 did not.
All wording here is invented for the tests."""

from __future__ import annotations

from workplan_xl.plan import Indicator, Part, Plan, ScheduleEntry, Section, Task, Unit
from workplan_xl.progress import Entry, Problem, Progress, UnitReport, compute_progress

SCHOOLS = ["中学", "小学", "特教"]
UNITS = [
    Unit("01", "城东县第一中学", "中学"), Unit("02", "城东县第二中学", "中学"), Unit("03", "城东县实验中学", "中学"),
    Unit("04", "城东县第一小学", "小学"), Unit("05", "城东县第二小学", "小学"), Unit("06", "城东县实验小学", "小学"),
    Unit("07", "城东县南关小学", "小学"), Unit("08", "城东县北街小学", "小学"),
    Unit("09", "城东县第一幼儿园", "幼儿园"), Unit("10", "城东县第二幼儿园", "幼儿园"),
    Unit("11", "城东县机关幼儿园", "幼儿园"), Unit("12", "城东县特殊教育学校", "特教"),
]
MISSING = {"08", "11"}


def sample_plan() -> Plan:
    t = [
        Task("T001", "1.", "完善督学责任区制度", "完善督学责任区制度。按学段重新划分督学责任区，每个责任区配备专职督学不少于2名。",
             months=[3], deadline="3月底前", owners=["督导室"], reporters=["中学"]),
        Task("T002", "2.", "推进中小学校综合督导评估", "推进中小学校综合督导评估。6月底前完成学校自评，10月底前完成实地督导。",
             months=[6, 10], deadline="10月底前", owners=["督导室"], partners=["教研室"], reporters=SCHOOLS),
        Task("T003", "1.", "扩大普惠性学前教育资源", "扩大普惠性学前教育资源。新建、改扩建公办幼儿园3所以上。",
             deadline="年底前", owners=["基础教育科"], reporters=["幼儿园"]),
        Task("T004", "2.", "提升幼儿园保教质量", "提升幼儿园保教质量。开展保教质量评估，防止和纠正小学化倾向。",
             owners=["基础教育科"], reporters=["幼儿园"]),
        Task("T005", "3.", "开展幼儿园办园行为督导", "开展幼儿园办园行为督导。5月底前完成全覆盖督导。",
             months=[5], deadline="5月底前", owners=["督导室"], reporters=["幼儿园"]),
        Task("T006", "1.", "落实督导问题整改复查", "落实督导问题整改复查。对上年度督导发现的问题逐校复查。",
             months=[4, 9], owners=["督导室"], reporters=["全部"]),
        Task("T007", "2.", "开展校园安全专项督导", "开展校园安全专项督导。9月底前完成全部学校隐患排查。",
             months=[9], deadline="9月底前", owners=["督导室"], partners=["安全科"], reporters=["全部"]),
        Task("T008", "3.", "推进督导信息公开", "推进督导信息公开。督导报告按规定向社会公开。",
             deadline="12月底前", owners=["督导室"], reporters=["01", "02", "03"]),
    ]
    t[2].indicators = [
        Indicator("I001", "普惠性幼儿园覆盖率达到95%左右", "普惠性幼儿园覆盖率", "~", 95, "%", task="T003"),
        Indicator("I002", "新建改扩建幼儿园3所以上", "新建改扩建幼儿园", ">=", 3, "所", task="T003"),
    ]
    t[5].indicators = [Indicator("I003", "问题整改完成率不低于90%", "问题整改完成率", ">=", 90, "%", task="T006")]
    t[6].indicators = [Indicator("I004", "完成隐患排查的学校不少于12所", "完成隐患排查的学校", ">=", 12, "所", task="T007")]
    t[7].indicators = [Indicator("I005", "督导报告公开率100%", "督导报告公开率", ">=", 100, "%", task="T008")]
    sections = [
        Section("S01", "一", "深化教育督导体制机制改革", tasks=t[0:2]),
        Section("S02", "二", "推动学前教育普惠发展", tasks=t[2:5]),
        Section("S03", "三", "加强督导结果运用", tasks=t[5:8]),
    ]
    schedule = [ScheduleEntry(3, text="调整督学责任区", task="T001"), ScheduleEntry(6, text="学校自评", task="T002"),
                ScheduleEntry(10, text="实地督导", task="T002"), ScheduleEntry(5, text="办园行为督导", task="T005"),
                ScheduleEntry(4, text="整改复查", task="T006"), ScheduleEntry(9, text="整改复查", task="T006"),
                ScheduleEntry(9, text="安全专项督导", task="T007"), ScheduleEntry(12, text="公开督导报告", task="T008")]
    return Plan(title="城东县教育督导室2024年工作要点", year=2024, issuer="城东县人民政府教育督导室",
                doc_number="城督字〔2024〕2号", issued="2024-02-20",
                parts=[Part("plan", "城东县教育督导室2024年工作要点", 2024, sections)], schedule=schedule,
                units=list(UNITS))


# (task, unit code) → (status, 进展情况); units not listed for a task they report on are 推进中.
_NOTES = {
    ("T001", "01"): ("已完成", "已按学段划分3个督学责任区，配备专职督学6名，3月20日完成调整。"),
    ("T001", "02"): ("已完成", "已按学段划分3个督学责任区，配备专职督学6名，3月完成调整。"),
    ("T001", "03"): ("已完成", "责任区督学每月到校2次，全年累计到校督导24次。"),
    ("T002", "01"): ("推进中", "已完成学校自评报告，正在迎接实地督导。"),
    ("T002", "03"): ("未启动", "无"),
    ("T002", "06"): ("推进中", "完成自评，整改问题5项。"),
    ("T003", "09"): ("已完成", "新建分园1所，新增学位270个，已通过验收。"),
    ("T003", "10"): ("推进中", "改扩建工程主体完工，计划11月投入使用。"),
    ("T004", "09"): ("推进中", "开展保教质量自评，组织教研活动16场。"),
    ("T004", "10"): ("未启动", ""),
    ("T005", "09"): ("已完成", "完成办园行为自查，问题已全部整改。"),
    ("T005", "10"): ("推进中", "正在整改。"),
    ("T006", "01"): ("已完成", "上年度督导发现的7个问题已全部整改到位。"),
    ("T006", "05"): ("未启动", "尚未开始。"),
    ("T007", "02"): ("已完成", "排查安全隐患23处，已整改21处，其余2处列入暑期维修计划。"),
    ("T007", "07"): ("未启动", ""),
    ("T008", "01"): ("不适用", ""),
    ("T008", "02"): ("已完成", "督导报告已在县政府网站公开。"),
    ("T008", "03"): ("已完成", "督导报告已在县政府网站公开"),
}
# (task, unit code) → (主要成效, 存在问题, 下一步打算)
_SUMMARY = {
    ("T002", "01"): ("完成自评报告1份，整改问题8项。", "部分督学专业能力不足。", "下半年迎接实地督导。"),
    ("T002", "06"): ("", "督学专业能力还不足。", "组织督学参加专题培训。"),
    ("T004", "09"): ("开展保教质量评估，组织教研活动4场。", "保教人员流动性大。", ""),
    ("T007", "02"): ("", "", "暑期完成剩余隐患整改。"),
}
_VALUES = {"I001": {"09": 97.5, "10": 94.9}, "I002": {"09": 1, "10": 1},
           "I003": {c: v for c, v in zip(["01", "02", "03", "04", "05", "06", "07"], [100, 95, 80, 90, 60, 85, 88], strict=True)},
           "I004": {c: 1 for c in ["01", "02", "03", "04", "05", "06", "07", "09", "10", "12"]},
           "I005": {"01": 100, "02": 100}}


def sample_progress(plan: Plan | None = None) -> Progress:
    from workplan_xl.plan import units_for

    plan = plan or sample_plan()
    entries = []
    for task in plan.tasks():
        for unit in units_for(plan, task):
            if unit.code in MISSING:
                continue
            status, note = _NOTES.get((task.id, unit.code), ("推进中", ""))
            entries.append(Entry(unit.code, task.id, "status", status))
            if note:
                entries.append(Entry(unit.code, task.id, "progress", note))
            for name, text in zip(("achievements", "difficulties", "next_steps"),
                                  _SUMMARY.get((task.id, unit.code), ()), strict=False):
                if text:
                    entries.append(Entry(unit.code, task.id, name, text))
    for item, values in _VALUES.items():
        entries += [Entry(code, item, "value", str(v)) for code, v in values.items()]
    reports = []
    for unit in plan.units:
        if unit.code in MISSING:
            reports.append(UnitReport(unit))
        else:
            day = 1 + int(unit.code) % 9
            reports.append(UnitReport(unit, "有问题" if unit.code == "05" else "已报", f"{unit.code}_{unit.name}.xlsx",
                                      f"2024-11-{day:02d}T09:{int(unit.code):02d}:00", "fingerprint",
                                      ["I003 的数值超出范围"] if unit.code == "05" else [], 1))
    problems = [Problem("05_城东县第二小学.xlsx", "城东县第二小学", "指标填报!G5", "填报值 60 低于往年", "请核实后重报")]
    return compute_progress(plan, entries, reports, problems, "2024-11")


def lo_batch(soffice: str, files: list, outdir) -> list:
    """Convert several .docx to PDF in one LibreOffice call (each call costs about 3 s)."""
    import subprocess
    from pathlib import Path

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=300)
    pdfs = [outdir / (Path(f).stem + ".pdf") for f in files]
    missing = [p for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return pdfs
