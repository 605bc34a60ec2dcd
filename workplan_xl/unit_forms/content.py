"""What goes into one unit's form, as plain picklable data: rows of text and numbers, the guide lines
and the _meta values. No xlsxwriter here, so worker processes receive small objects and the checksum
is computed from exactly the values the writer puts in the descriptive cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workplan_xl.cjk import clean_text
from workplan_xl.form_layout import (
    COMPARATOR_SIGNS,
    CONTACT_FIELDS,
    FORM_SCHEMA,
    FORM_VERSION,
    INDICATOR_COLUMNS,
    INDICATOR_ID_HEADER,
    META_KEYS,
    ROUND_LABEL,
    TASK_COLUMNS,
    TASK_ID_HEADER,
    locked_checksum,
)
from workplan_xl.master_workbook.layout import composite_number, months_text
from workplan_xl.plan import STATUSES, Indicator, Plan, Task, Unit, units_for

# Excel refuses longer cell strings (xlsxwriter would truncate them behind our back).
_CELL_MAX = 32767

Row = dict[str, object]


@dataclass
class FormContent:
    """One unit's form: everything the writer needs, and nothing it must look up. The unit's code and
    name appear only through the properties below, so stamp.py can put placeholders there."""

    unit_code: str
    unit_name: str
    plan_title: str
    round: str
    task_rows: list[Row] = field(default_factory=list)
    indicator_rows: list[Row] = field(default_factory=list)
    fingerprint: str = ""
    checksum: str = ""
    issuer: str = ""
    created: datetime = datetime(2000, 1, 1)
    year: int | None = None
    link: str = ""  # the unit's wpx serve page, when the office has made the links

    @property
    def title_line(self) -> str:
        """One title, as schools know their forms: 单位《计划》填报表."""
        plan = self.plan_title.strip().strip("《》")
        return f"{self.unit_name}《{plan}》填报表" if plan else f"{self.unit_name}填报表"

    @property
    def unit_line(self) -> str:
        """The unit line; the printed copy is stamped over the unit's name, as 填报单位（盖章） says."""
        line = f"填报单位（盖章）：{self.unit_name}　单位代码：{self.unit_code}"
        return line + (f"　{ROUND_LABEL}：{self.round}" if self.round else "")

    @property
    def items_key(self) -> str:
        """Forms with the same key differ only in the unit's code and name."""
        return "|".join((self.checksum, self.meta_value("task_ids"), self.meta_value("indicator_ids")))

    @property
    def guide(self) -> list[tuple[str, str]]:
        return guide_lines(self, len(self.task_rows), len(self.indicator_rows))

    @property
    def meta(self) -> list[tuple[str, str]]:
        """_meta's key/value rows, in META_KEYS order, all text."""
        return [(key, self.meta_value(key)) for key in META_KEYS]

    def meta_value(self, key: str) -> str:
        values = {
            "schema": FORM_SCHEMA,
            "plan_fingerprint": self.fingerprint,
            "plan_title": self.plan_title,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "round": self.round,
            "form_version": FORM_VERSION,
            "checksum": self.checksum,
        }
        if key == "task_ids":
            return ",".join(str(r[TASK_ID_HEADER]) for r in self.task_rows)
        if key == "indicator_ids":
            return ",".join(str(r[INDICATOR_ID_HEADER]) for r in self.indicator_rows)
        return values[key]

    @property
    def properties(self) -> dict[str, object]:
        """Workbook properties; the fixed creation date keeps re-runs byte-identical."""
        return {
            "title": self.title_line,
            "subject": "填报表",
            "author": self.issuer or "workplan_xl",
            "company": self.issuer,
            "comments": "由 workplan_xl 生成；请只填写黄色单元格。",
            "created": self.created,
        }


def text(value: str) -> str:
    """Cell text as written and as checksummed: no control characters, \\n line ends, Excel's limit."""
    cleaned = clean_text(str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return cleaned[:_CELL_MAX]


def number(value: float | None) -> float | None:
    """A target as written: 15 significant digits, so what Excel stores reads back as the same text."""
    return None if value is None else float(f"{value:.15g}")


def items_by_unit(plan: Plan, units: list[Unit]) -> dict[str, tuple[list[Task], list[Indicator]]]:
    """plan.items_for for many units at once: the same rule (units_for), asked once per item rather
    than once per item per unit, which is quadratic in the roster (2,000 units × 40 tasks)."""
    wanted = {u.code for u in units}
    result: dict[str, tuple[list[Task], list[Indicator]]] = {u.code: ([], []) for u in units}
    for task in plan.tasks():
        for unit in units_for(plan, task):
            if unit.code in wanted:
                result[unit.code][0].append(task)
    for indicator in plan.indicators():
        if indicator.kind == "achieved":
            continue
        for unit in units_for(plan, indicator):
            if unit.code in wanted:
                result[unit.code][1].append(indicator)
    return result


def _task_numbers(plan: Plan) -> dict[str, str]:
    """任务编号 as the master workbook shows it: 二.3, 二（三）, or 二 when the section is the task."""
    numbers: dict[str, str] = {}
    for section in plan.sections():
        for task in section.tasks:
            numbers[task.id] = text(composite_number(section.numeral, task.number))
    return numbers


def _owning_tasks(plan: Plan) -> dict[int, Task]:
    return {id(i): t for t in plan.tasks() for i in t.indicators}


def task_row(task: Task, task_number: str) -> Row:
    """The descriptive cells of one task row, keyed by header (input cells stay empty)."""
    return {
        "任务编号": task_number,
        "重点任务": text(task.title),
        "具体内容": text(task.text or task.title),
        "完成时限": text(task.deadline or months_text(task.months)),
        TASK_ID_HEADER: text(task.id),
    }


def indicator_row(indicator: Indicator, task: Task | None, task_number: str) -> Row:
    value = number(indicator.value)
    owner = f"{task_number} {text(task.title)}".strip() if task is not None else ""
    return {
        "指标": text(indicator.metric or indicator.text),
        "所属任务": owner,
        "比较": COMPARATOR_SIGNS.get(indicator.comparator, indicator.comparator) if value is not None else "",
        "目标值": value,
        "单位": text(indicator.unit),
        INDICATOR_ID_HEADER: text(indicator.id),
    }


def guide_lines(content: FormContent, n_tasks: int, n_indicators: int) -> list[tuple[str, str]]:
    """The 填报说明 sheet: label and text per row."""
    statuses = "、".join(STATUSES)
    year = content.year or content.created.year  # examples in the plan's own year
    return [
        ("填报单位", f"{content.unit_name}（代码 {content.unit_code}）"),
        ("工作计划", content.plan_title or "—"),
        ("报送批次", content.round or "—"),
        ("填报内容", f"「任务进展」表 {n_tasks} 项任务；「指标填报」表 {n_indicators} 项指标。"),
        ("怎么填", "只填黄色单元格，其他单元格已锁定。每项任务一行，逐行填写。"),
        ("完成状态", f"从下拉列表中选择：{statuses}。与本单位无关的任务选「不适用」，并在备注中说明原因。"),
        ("进展情况", "写明做了什么、做到什么程度，可换行（Alt+Enter）。"),
        ("主要成效", "写明取得的成效，尽量用数字，一句一事，如：开展专题培训12场，覆盖教职工360人次。"),
        ("存在问题", "写明这项任务推进中遇到的困难和不足；没有可不填。"),
        ("下一步打算", "写明下一步准备怎么做；没有可不填。"),
        ("完成时间", f"已完成的任务填写完成时间，如 {year}年6月 或 {year}-06-15。"),
        ("佐证材料", "列出可以佐证的文件、报道或数据名称。"),
        ("数字", "「填报值」只填数字，如 95 或 12.5，不要加 %，不带单位（单位见「单位」列）。"),
        ("填报人", "表格末尾的" + "、".join(f"「{label}」" for label, _ in CONTACT_FIELDS)
         + f"填在其后的黄色单元格中，日期如 {year}年6月30日；打印稿请在「填报单位（盖章）」处加盖公章。"),
        ("报送时间", "各项任务的完成时限见「任务进展」表；填报表请按通知要求时间报送。"),
        ("报送方式", "填好后保存为 .xlsx，直接发回；不要改文件结构、不要增删行列、不要改工作表名称。"),
        ("文件名", "文件可以随意改名，不影响汇总。"),
    ] + ([("网上填报", f"也可以用浏览器打开本单位专用网址 {content.link} 上传本表，几秒内即可看到检查结果"
                       "（请勿转发给其他单位）。")] if content.link else [])


def build_contents(plan: Plan, units: list[Unit], round: str = "",
                   created: datetime | None = None) -> list[FormContent]:
    """One FormContent per unit that has something to report, in roster order."""
    by_unit = items_by_unit(plan, units)
    numbers = _task_numbers(plan)
    owners = _owning_tasks(plan)
    title = text(plan.title)
    fingerprint = plan.fingerprint()
    # Rows are the same in every unit's form, and units of one type share one set of items: build
    # each row once and checksum each set once (2,000 units, a handful of distinct sets).
    task_rows = {id(t): task_row(t, numbers.get(t.id, "")) for t in plan.tasks()}
    indicator_rows: dict[int, Row] = {}
    for indicator in plan.indicators():
        owner = owners.get(id(indicator)) or (plan.task(indicator.task) if indicator.task else None)
        indicator_rows[id(indicator)] = indicator_row(indicator, owner, numbers.get(owner.id, "") if owner else "")
    checksums: dict[tuple[tuple[int, ...], tuple[int, ...]], str] = {}
    created = created or _created(plan)
    contents: list[FormContent] = []
    for unit in units:
        tasks, indicators = by_unit[unit.code]
        if not tasks and not indicators:
            continue
        content = FormContent(unit_code=text(unit.code), unit_name=text(unit.name), plan_title=title,
                              round=text(round), task_rows=[task_rows[id(t)] for t in tasks],
                              indicator_rows=[indicator_rows[id(i)] for i in indicators],
                              fingerprint=fingerprint, issuer=text(plan.issuer), created=created,
                              year=plan.year or None)
        key = (tuple(map(id, tasks)), tuple(map(id, indicators)))
        if key not in checksums:
            checksums[key] = locked_checksum(content.task_rows, content.indicator_rows)
        content.checksum = checksums[key]
        contents.append(content)
    return contents


def _created(plan: Plan) -> datetime:
    """A fixed creation date (the plan's issue date, else 2000-01-01) so re-runs give the same bytes."""
    try:
        return datetime.fromisoformat(plan.issued[:10]) if plan.issued else datetime(2000, 1, 1)
    except ValueError:
        return datetime(2000, 1, 1)


# The headers each sheet's rows are keyed by, for the writer and the tests.
TASK_HEADERS = [h for h, _ in TASK_COLUMNS]
INDICATOR_HEADERS = [h for h, _ in INDICATOR_COLUMNS]
