"""Simulated returns for the demo: what a year of mail from 30 units really looks like.

Most units fill in the yellow (unlocked) cells of their own form and mail it back under a name of
their choosing; a few fill in only part of it; two never answer; one answers twice (the second file
later, with changes); one re-saves its form as .xls; one sends a file that broke on the way. All of it
is drawn from ``random.Random(2025)``, and every file's time is set explicitly, so two runs give the
same returns and the same 汇总.xlsx.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from workplan_xl.cjk import safe_file_name
from workplan_xl.form_layout import (
    CONTACT_FIELDS,
    HEADER_ROW,
    INDICATOR_ID_HEADER,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_TASKS,
    TASK_ID_HEADER,
)
from workplan_xl.plan import Plan, units_for

FIRST_DAY = datetime(2025, 12, 1, 9, 0)  # returns arrive in the first half of December

# What a unit does with its form. Offices always answer in full; the odd cases fall on schools.
FULL, PARTIAL, MISSING, TWICE, XLS, BROKEN = "完整填报", "部分填报", "未报", "报了两次", "另存为.xls", "文件损坏"

_PROGRESS = ["已按计划推进，相关工作形成台账。", "已召开专题会议部署，正在逐项落实。",
             "完成阶段性任务，资料已归档备查。", "已完成自查，发现的问题正在整改。",
             "受场地施工影响略有滞后，计划下月补齐。"]
_EVIDENCE = ["会议纪要、照片", "工作方案、总结", "自查报告", "台账资料", "通知文件、签到表"]
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"

# 主要成效 as schools write it: a few concrete figures in varying word order and filler, so the report
# has something to add up ("开展专题培训12场" and "全年累计开展9场专题培训" are one figure).
_RESULTS = [("开展专题培训{n}场", "全年累计开展{n}场专题培训", "组织开展专题培训{n}场"),
            ("覆盖教职工{m}人次", "培训覆盖教职工{m}人次"),
            ("投入资金{x}万元", "累计投入资金{x}万元"),
            ("组织主题活动{n}次", "先后组织主题活动{n}次"),
            ("受益学生{b}人", "受益学生达{b}人"),
            ("制定完善制度{k}项", "修订完善相关制度{k}项")]
_RESULT_ENDS = ["师生满意度明显提升。", "形成了可推广的做法。", "相关做法被县级媒体报道。", "工作台账规范完整。", ""]
_DIFFICULTIES = ["专业教师数量不足，部分活动开展困难。", "专业教师不足，部分活动开展有困难。", "经费投入有限，设施设备更新较慢。",
                 "部分家长参与意识不强，家校协同还不够紧密。", "信息化手段运用不够，数据统计费时费力。",
                 "农村学校师资流动性大，工作连续性受影响。", "场地紧张，活动时间难以保证。"]
_NEXT_STEPS = ["加强教师专业培训，提升工作能力。", "积极争取专项经费，改善设施设备条件。", "完善家校协同机制，定期召开家长会。",
               "建立工作台账，实行月调度、季通报。", "用好信息化平台，减轻基层填报负担。", "加强督促检查，确保年底前全面完成。"]


def school_prose(seed: str, status: str) -> tuple[str, str, str]:
    """(主要成效, 存在问题, 下一步打算) for one task row, drawn from ``seed`` alone so the rest of the
    simulation draws the same numbers as before these columns existed."""
    rng = random.Random(seed)
    figures = {"n": rng.randint(2, 15), "m": rng.randint(40, 600), "x": rng.randint(2, 80),
               "b": rng.randint(100, 2000), "k": rng.randint(1, 6)}
    result = ""
    if status != "未启动":
        chosen = rng.sample(_RESULTS, rng.randint(1, 3))
        result = "，".join(rng.choice(forms).format(**figures) for forms in chosen) + "。" + rng.choice(_RESULT_ENDS)
    difficulty = rng.choice(_DIFFICULTIES) if rng.random() < 0.35 else ""
    step = rng.choice(_NEXT_STEPS) if rng.random() < 0.45 or status == "未启动" else ""
    return result, difficulty, step


@dataclass
class SimulatedReturn:
    """One unit's behaviour and the file(s) it sent."""

    code: str
    name: str
    behaviour: str
    files: list[Path]
    note: str = ""


def find_soffice(soffice: str | None = "auto") -> str | None:
    """LibreOffice's executable: "auto" looks on PATH; None means do without."""
    if soffice == "auto":
        return shutil.which("soffice") or shutil.which("libreoffice")
    return soffice


def form_unit(path: Path) -> tuple[str, str]:
    """(unit code, unit name) from a form's _meta sheet."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    meta = {str(row[0]): "" if row[1] is None else str(row[1])
            for row in workbook[SHEET_META].iter_rows(max_col=2, values_only=True) if row[0] is not None}
    workbook.close()
    return meta.get("unit_code", ""), meta.get("unit_name", "")


def _columns(sheet) -> dict[str, int]:  # noqa: ANN001 - openpyxl worksheet
    header = HEADER_ROW + 1  # form_layout counts rows from 0, openpyxl from 1
    return {str(c.value).strip(): c.column for c in sheet[header] if c.value is not None}


def _write(sheet, row: int, column: int | None, value: object) -> None:  # noqa: ANN001
    """Write only where the form lets a school write: an unlocked cell."""
    if column is None:
        return
    cell = sheet.cell(row=row, column=column)
    if cell.protection.locked is False:
        cell.value = value


def _target_share(plan: Plan) -> dict[str, tuple[float, int]]:
    """Indicator id → (target, number of units reporting it): a unit's fair share of a count."""
    return {i.id: (i.value or 0.0, max(len(units_for(plan, i)), 1)) for i in plan.indicators()}


def fill_form(form: Path, out: Path, rng: random.Random, plan: Plan, share: float = 1.0,
              done_bias: float = 0.6, when: datetime = FIRST_DAY) -> Path:
    """Fill ``share`` of a form's rows as a school would, save to ``out`` and date it ``when``."""
    from openpyxl import load_workbook

    workbook = load_workbook(form)
    tasks = workbook[SHEET_TASKS]
    cols = _columns(tasks)
    first = HEADER_ROW + 2
    rows = [r for r in range(first, tasks.max_row + 1) if tasks.cell(r, cols[TASK_ID_HEADER]).value]
    for r in rows[: max(1, round(len(rows) * share))] if share < 1 else rows:
        roll = rng.random()
        status = "已完成" if roll < done_bias else ("推进中" if roll < 0.93 else "未启动")
        _write(tasks, r, cols.get("完成状态"), status)
        _write(tasks, r, cols.get("进展情况"), rng.choice(_PROGRESS) if status != "未启动" else "尚未启动，已列入下季度计划。")
        if status == "已完成":
            done = when - timedelta(days=rng.randint(5, 200))
            _write(tasks, r, cols.get("完成时间"), done.strftime("%Y-%m-%d"))
        _write(tasks, r, cols.get("佐证材料"), rng.choice(_EVIDENCE))
        result, difficulty, step = school_prose(f"{out.name}|{r}|{status}", status)
        for header, text in (("主要成效", result), ("存在问题", difficulty), ("下一步打算", step)):
            if text:
                _write(tasks, r, cols.get(header), text)

    if share >= 1 and SHEET_INDICATORS in workbook.sheetnames:
        sheet = workbook[SHEET_INDICATORS]
        icols = _columns(sheet)
        targets = _target_share(plan)
        for r in range(first, sheet.max_row + 1):
            item = sheet.cell(r, icols[INDICATOR_ID_HEADER]).value
            if not item:
                continue
            unit = str(sheet.cell(r, icols["单位"]).value or "")
            target, reporters = targets.get(str(item), (0.0, 1))
            _write(sheet, r, icols.get("填报值"), _value(rng, unit, target, reporters,
                                                     str(sheet.cell(r, icols["比较"]).value or "")))
    if share >= 1:
        _sign(workbook, when)
    workbook.save(out)
    stamp = when.timestamp()
    os.utime(out, (stamp, stamp))
    return out


def _sign(workbook, when: datetime) -> None:  # noqa: ANN001 - openpyxl workbook
    """Fill the 填报人 block (names from the unit code, not the random stream, so the demo's other
    figures stay as they were)."""
    code = form_unit_code(workbook)
    n = sum(map(ord, code))
    values = {"filler": f"{_SURNAMES[n % len(_SURNAMES)]}老师", "reviewer": f"{_SURNAMES[(n * 7 + 3) % len(_SURNAMES)]}主任",
              "phone": f"139{n % 10000:04d}{(n * 37) % 10000:04d}", "fill_date": f"{when.year}年{when.month}月{when.day}日"}
    labels = {label + "：": name for label, name in CONTACT_FIELDS}
    for name in (SHEET_TASKS, SHEET_INDICATORS):
        sheet = workbook[name]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 2):
            for cell in row:
                if cell.value in labels:
                    _write(sheet, cell.row, cell.column + 1, values[labels[cell.value]])


def form_unit_code(workbook) -> str:  # noqa: ANN001 - openpyxl workbook
    for row in workbook[SHEET_META].iter_rows(max_col=2, values_only=True):
        if row[0] == "unit_code":
            return str(row[1] or "")
    return ""


def _value(rng: random.Random, unit: str, target: float, reporters: int, sign: str) -> float:
    """A plausible number: rates scatter around the target, counts are a share of it."""
    if unit in ("%", "个百分点", "分"):
        if sign in ("≤", "<"):
            return round(rng.uniform(0, target * 1.3), 1)
        if target >= 99:  # "达到100%": most units are there, a few just short
            return 100.0 if rng.random() < 0.85 else round(rng.uniform(95, 99.9), 1)
        return round(min(100.0, rng.uniform(target - 3, target + 5)), 1)
    return float(max(0, round(target / reporters * rng.uniform(0.7, 1.4))))


def to_xls(source: Path, out: Path, soffice: str) -> bool:
    """Re-save ``source`` as .xls with LibreOffice (own profile folder, headless); False if it failed."""
    with tempfile.TemporaryDirectory(prefix="wpx-lo-") as tmp:
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "xls", "--outdir", tmp, str(source)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=120)
        except (OSError, subprocess.SubprocessError):
            return False
        written = Path(tmp) / (source.stem + ".xls")
        if not written.exists():
            return False
        shutil.move(str(written), out)
    return True


def simulate_returns(plan: Plan, forms: list[Path], folder: Path, soffice: str | None = "auto",
                     seed: int = 2025) -> list[SimulatedReturn]:
    """Write the year's returns for ``forms`` into ``folder``; returns what each unit did."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    units = sorted((form_unit(f) + (f,) for f in forms), key=lambda u: u[0])
    offices = {u.code for u in plan.units if u.type in ("股室", "处室", "科室")}
    schools = [u for u in units if u[0] not in offices]
    odd = rng.sample(schools, min(len(schools), 9))
    behaviours = dict.fromkeys([u[0] for u in units], FULL)
    for (code, _name, _form), behaviour in zip(odd, [MISSING, MISSING, TWICE, XLS, BROKEN] + [PARTIAL] * 4, strict=False):
        behaviours[code] = behaviour

    lo = find_soffice(soffice)
    results = []
    for code, name, form in units:
        behaviour = behaviours[code]
        when = FIRST_DAY + timedelta(days=rng.randint(0, 14), hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
        title = safe_file_name(f"{name}{plan.year or ''}年度填报表")
        names = [f"{code}_{title}.xlsx", f"{title}（已填）.xlsx", f"回复：{title}.xlsx", f"{name}回表.xlsx"]
        out = folder / rng.choice(names)
        result = SimulatedReturn(code, name, behaviour, [])
        if behaviour == MISSING:
            result.note = "没有回表"
        elif behaviour == TWICE:
            first = fill_form(form, folder / f"{title}.xlsx", rng, plan, done_bias=0.3, when=when)
            second = fill_form(form, folder / f"{title}（更正）.xlsx", rng, plan, done_bias=0.8,
                               when=when + timedelta(days=3))
            result.files, result.note = [first, second], "三天后又报了一份更正版"
        elif behaviour == XLS:
            filled = fill_form(form, folder / f"{code}.tmp.xlsx", rng, plan, when=when)
            xls = folder / f"{name}回表.xls"
            if lo and to_xls(filled, xls, lo):
                filled.unlink()
                os.utime(xls, (when.timestamp(), when.timestamp()))
                result.files, result.note = [xls], "用 LibreOffice 另存为 .xls"
            else:
                filled.rename(out)
                result.files, result.note = [out], "未找到 LibreOffice，这份回表仍为 .xlsx（改了文件名）"
        elif behaviour == BROKEN:
            fill_form(form, out, rng, plan, when=when)
            data = out.read_bytes()
            out.write_bytes(data[: len(data) // 2])  # a mail attachment cut off half way
            os.utime(out, (when.timestamp(), when.timestamp()))
            result.files, result.note = [out], "附件只收到一半，文件打不开"
        else:
            share = 0.5 if behaviour == PARTIAL else 1.0
            result.files = [fill_form(form, out, rng, plan, share=share, when=when)]
            if behaviour == PARTIAL:
                result.note = "只填了一半任务，指标没填"
        results.append(result)
    return results
