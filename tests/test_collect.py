"""collect_returns end to end: hostile files cost only themselves, the ledger is idempotent and
incremental, a resend supersedes, and the whole loop from a seed plan through LibreOffice re-saves."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from detail_sheet import detail_values, ledger_values
from openpyxl import load_workbook
from test_returns import (
    ENCRYPTED,
    HTML,
    PNG,
    TASK_PART,
    TEXT,
    billion_laughs,
    fill,
    make_forms,
    make_plan,
    xfd_sheet,
    zip_bomb,
)

from workplan_xl.collect import collect_returns, reporting_status
from workplan_xl.errors import InputFileError, WorkplanError
from workplan_xl.form_layout import FIELD_LABELS, HEADER_ROW, SHEET_INDICATORS, SHEET_TASKS
from workplan_xl.master_workbook import read_master_workbook, write_master_workbook
from workplan_xl.plan import Plan, Unit
from workplan_xl.returns import ReaderPool
from workplan_xl.returns.interpret import task_numbers


@dataclass
class Kit:
    plan: Plan
    master: Path
    forms: dict[str, Path]
    returns: dict[str, Path]  # filled, one per unit 1001…1003


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    base = tmp_path_factory.mktemp("kit")
    master = write_master_workbook(make_plan(units=5), base / "台账.xlsx")
    plan = read_master_workbook(master)
    forms = make_forms(plan, base / "forms")
    (base / "filled").mkdir()
    returns = {code: fill(forms[code], base / "filled" / f"{code}回表.xlsx") for code in ("1001", "1002", "1003")}
    return Kit(plan, master, forms, returns)


def sheet_rows(path: Path, name: str) -> list[list]:
    return [list(r) for r in load_workbook(path, read_only=True)[name].iter_rows(min_row=4, values_only=True)]


def run(kit: Kit, folder: Path, tmp_path: Path, **options):
    return collect_returns(kit.master, [folder], output=tmp_path / "汇总.xlsx", db=tmp_path / "台账.db", **options)


def good_folder(kit: Kit, tmp_path: Path) -> Path:
    folder = tmp_path / "回表"
    folder.mkdir()
    for path in kit.returns.values():
        shutil.copy2(path, folder / path.name)
    return folder


def assert_good_units_intact(tmp_path: Path, plan: Plan) -> None:
    units = {r[0]: r[3] for r in sheet_rows(tmp_path / "汇总.xlsx", "报送情况")}
    assert [units[c] for c in ("1001", "1002", "1003")] == ["已报"] * 3
    details = sheet_rows(tmp_path / "汇总.xlsx", "明细")
    assert sorted({r[0] for r in details}) == ["1001", "1002", "1003"] and len(details) == 3 * 5  # 3 tasks, 2 indicators
    # every accepted value exactly once, nothing else (the ledger's values, by plain SQL)
    found = detail_values(tmp_path / "汇总.xlsx")
    assert found == ledger_values(tmp_path / "台账.db", plan) and found.total() == 30


HOSTILE = [
    ("炸弹.xlsx", lambda k, p: zip_bomb(k.forms["1004"], p), "文件「炸弹.xlsx」结构异常（解压后 200 MB），为安全起见未读取"),
    ("实体.xlsx", lambda k, p: billion_laughs(k.returns["1001"], p),
     "文件「实体.xlsx」含有不安全的内容（XML 实体声明，位于 xl/sharedStrings.xml），为安全起见未读取"),
    ("范围.xlsx", lambda k, p: xfd_sheet(k.forms["1004"], p),
     "文件「范围.xlsx」的工作表声称有极大的范围（1048576 行 × 16384 列），为安全起见未读取"),
    ("崩溃.xlsx", lambda k, p: xfd_sheet(k.forms["1004"], p, "A1:K20", TASK_PART), "文件「崩溃.xlsx」无法读取（读取程序异常退出）"),
    ("密码.xlsx", lambda k, p: p.write_bytes(ENCRYPTED), "文件「密码.xlsx」加了密码，无法读取"),
    ("图片.xlsx", lambda k, p: p.write_bytes(PNG), "文件「图片.xlsx」实际上不是 Excel 文件（是图片）"),
    ("网页.xls", lambda k, p: p.write_bytes(HTML), "文件「网页.xls」实际上不是 Excel 文件（是网页）"),
    ("文本.xlsx", lambda k, p: p.write_bytes(TEXT), "文件「文本.xlsx」实际上不是 Excel 文件（是文本）"),
    ("半截.xlsx", lambda k, p: p.write_bytes(k.returns["1001"].read_bytes()[:3000]),
     "文件「半截.xlsx」不完整（可能下载或复制中断）"),
]


def copy_name(path: Path) -> str:
    """The name collect gives a rejected file's copy in the quarantine folder."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] + "_" + path.name


def snapshot(folder: Path) -> dict[str, tuple[bytes, float]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime) for p in folder.rglob("*")
            if p.is_file()}


@pytest.mark.parametrize("name, make, problem", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_costs_only_itself(kit: Kit, tmp_path: Path, name: str, make, problem: str) -> None:
    folder = good_folder(kit, tmp_path)
    make(kit, folder / name)
    before = snapshot(folder)
    result = run(kit, folder, tmp_path)
    assert result.exit_code == 3
    problems = sheet_rows(tmp_path / "汇总.xlsx", "问题清单")
    copy = copy_name(folder / name)
    assert [(r[0], r[3]) for r in problems] == [(name, problem)]
    assert problems[0][4].endswith(f"。（原文件已复制到隔离区：{copy}）")  # what to do, and where the copy is
    assert_good_units_intact(tmp_path, kit.plan)
    # the hostile file is copied, byte for byte, the good ones are not, and the returns folder is untouched
    assert sorted(p.name for p in (tmp_path / "隔离区").iterdir()) == [copy]
    assert (tmp_path / "隔离区" / copy).read_bytes() == (folder / name).read_bytes()
    assert snapshot(folder) == before


def test_quarantine_copies_once_and_never_moves(kit: Kit, tmp_path: Path) -> None:
    # the ledger beside the returns: the quarantine folder lands inside the folder being collected
    folder = good_folder(kit, tmp_path)
    (folder / "图片.xlsx").write_bytes(PNG)
    (folder / "网页.xls").write_bytes(HTML)
    (folder / "佐证照片.png").write_bytes(PNG + b"photo")  # an attachment, skipped: not a rejected return
    before = snapshot(folder)
    options = {"output": tmp_path / "汇总.xlsx", "db": folder / "台账.db"}  # 汇总 inside is refused
    first = collect_returns(kit.master, [folder], **options)
    quarantine = folder / "隔离区"
    copies = sorted(p.name for p in quarantine.iterdir())
    assert copies == sorted([copy_name(folder / "图片.xlsx"), copy_name(folder / "网页.xls")])
    assert first.quarantined == 2
    assert f"未使用的 2 个文件已复制到隔离区（原文件未动）：{quarantine}" in first.summary().splitlines()
    # same bytes again under another name, and a second run: still one copy each
    shutil.copy2(folder / "图片.xlsx", folder / "图片 - 副本.xlsx")
    second = collect_returns(kit.master, [folder], **options)
    assert sorted(p.name for p in quarantine.iterdir()) == copies
    assert second.files == first.files + 1 and second.quarantined == 0 and "隔离区" not in second.summary()
    after = snapshot(folder)
    assert {k: v for k, v in after.items() if k in before} == before
    assert {k.split("/")[0] for k in after.keys() - before.keys()} == {"台账.db", "隔离区", "图片 - 副本.xlsx"}


class ChangingPool(ReaderPool):
    """Rewrites the first file after collect hashed it and before a worker reads it."""

    def read(self, paths, plan=None):
        paths = list(paths)
        paths[0].write_bytes(paths[0].read_bytes() + b"\0")
        return super().read(paths, plan)


def test_a_file_changed_while_collecting_is_not_used(kit: Kit, tmp_path: Path) -> None:
    folder = good_folder(kit, tmp_path)
    result = run(kit, folder, tmp_path, pool=ChangingPool())
    problems = {r[0]: r[3:5] for r in sheet_rows(tmp_path / "汇总.xlsx", "问题清单")}
    changed = folder / "1001回表.xlsx"
    assert problems == {"1001回表.xlsx": [
        "文件「1001回表.xlsx」在收集过程中被改动了（可能正在保存或复制），本次未使用",
        f"请等文件保存或复制完成后重新运行 wpx collect。（原文件已复制到隔离区：{copy_name(changed)}）"]}
    assert result.exit_code == 3
    again = run(kit, folder, tmp_path)  # the file as it is now is read afresh
    assert (again.read, again.exit_code) == (1, 0)


def test_files_that_are_not_returns_are_accounted_for_quietly(kit: Kit, tmp_path: Path) -> None:
    folder = good_folder(kit, tmp_path)
    (folder / "~$1001回表.xlsx").write_bytes(b"\x00" * 165)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "Thumbs.db").write_bytes(ENCRYPTED)
    (folder / "佐证照片.png").write_bytes(PNG)
    result = run(kit, folder, tmp_path)
    assert (result.exit_code, result.read, result.skipped) == (0, 4, 4)
    import sqlite3

    rows = sqlite3.connect(tmp_path / "台账.db").execute(
        "SELECT file_name, status, reason FROM submissions WHERE status = 'skipped' ORDER BY file_name").fetchall()
    assert rows == [(".DS_Store", "skipped", "操作系统生成的系统文件"), ("Thumbs.db", "skipped", "操作系统生成的系统文件"),
                    ("~$1001回表.xlsx", "skipped", "Excel/WPS/LibreOffice 打开文件时留下的临时锁定文件"),
                    ("佐证照片.png", "skipped", "不是电子表格（是图片）")]


def test_other_plan_other_round_and_a_foreign_unit(kit: Kit, tmp_path: Path) -> None:
    folder = good_folder(kit, tmp_path)
    other_plan = make_plan(units=5, title="别的区2024年工作要点")
    fill(make_forms(other_plan, tmp_path / "o")["1004"], folder / "别的区.xlsx")
    fill(make_forms(kit.plan, tmp_path / "r", round="第二批")["1004"], folder / "第二批.xlsx")
    roster = Plan.from_dict(kit.plan.to_dict())
    roster.units.append(Unit("9009", "外区学校"))
    fill(make_forms(roster, tmp_path / "u", )["9009"], folder / "外区.xlsx")
    result = run(kit, folder, tmp_path, round="")
    rows = sheet_rows(tmp_path / "汇总.xlsx", "问题清单")
    assert {r[0]: r[3] for r in rows} == {
        "别的区.xlsx": "这份填报表属于另一份工作要点「别的区2024年工作要点」，不是本台账的填报表，未使用",
        "第二批.xlsx": "这是「第二批」批次的填报表，本次收集的是「未分批次」批次，未使用",
        "外区.xlsx": "填报表上的单位「外区学校（9009）」不在台账的填报单位名单中，未使用"}
    assert {r[0]: r[4].rsplit("（", 1)[-1] for r in rows} == {
        name: f"原文件已复制到隔离区：{copy_name(folder / name)}）" for name in ("别的区.xlsx", "第二批.xlsx", "外区.xlsx")}
    assert len(list((tmp_path / "隔离区").iterdir())) == 3
    assert result.exit_code == 3
    assert_good_units_intact(tmp_path, kit.plan)


def test_formula_payloads_arrive_as_text_in_the_workbook(kit: Kit, tmp_path: Path) -> None:
    folder = tmp_path / "回表"
    folder.mkdir()
    payloads = {"T001": {"完成状态": "已完成", "进展情况": "=HYPERLINK(\"http://x\",\"点我\")"},
                "T002": {"完成状态": "推进中", "进展情况": "=cmd|' /C calc'!A0", "佐证材料": "+1+1"},
                "T003": {"完成状态": "未启动", "进展情况": "-2+3", "备注": "@SUM(1)"}}
    fill(kit.forms["1001"], folder / "=1+1.xlsx", tasks=payloads, as_text=True)
    run(kit, folder, tmp_path)
    wb = load_workbook(tmp_path / "汇总.xlsx")
    texts = [c for s in wb for row in s.iter_rows() for c in row if isinstance(c.value, str)
             and c.value.startswith(("=", "+", "-", "@"))]
    assert {c.value for c in texts} >= {"=1+1.xlsx", "=HYPERLINK(\"http://x\",\"点我\")", "=cmd|' /C calc'!A0", "+1+1",
                                        "-2+3", "@SUM(1)"}
    assert all(c.data_type == "s" for c in texts)
    with zipfile.ZipFile(tmp_path / "汇总.xlsx") as archive:
        assert not any(re.search(rb"<f[ >]", archive.read(n)) for n in archive.namelist() if "worksheets" in n)


def test_undecodable_file_name(kit: Kit, tmp_path: Path) -> None:
    folder = good_folder(kit, tmp_path)
    if os.name != "posix":
        pytest.skip("byte file names are a POSIX thing")
    raw = os.fsencode(folder) + b"/\xff\xfe1004.xlsx"
    with open(raw, "wb") as handle:
        handle.write(fill(kit.forms["1004"], tmp_path / "f.xlsx").read_bytes())
    result = run(kit, folder, tmp_path)
    assert result.exit_code == 0
    units = {r[0]: (r[3], r[5]) for r in sheet_rows(tmp_path / "汇总.xlsx", "报送情况")}
    assert units["1004"] == ("已报", "\ufffd\ufffd1004.xlsx")


class CountingPool(ReaderPool):
    def read(self, paths, plan=None):
        self.paths = list(paths)
        return super().read(paths, plan)


def test_incremental_idempotent_and_nothing_deleted(kit: Kit, tmp_path: Path) -> None:
    folder = good_folder(kit, tmp_path)
    first = run(kit, folder, tmp_path)
    assert (first.read, first.known, first.exit_code) == (3, 0, 0)
    fill(kit.forms["1004"], folder / "1004.xlsx")
    shutil.copy2(folder / "1001回表.xlsx", folder / "1001回表 - 副本.xlsx")  # same bytes, another name
    pool = CountingPool()
    second = run(kit, folder, tmp_path, pool=pool)
    assert [p.name for p in pool.paths] == ["1004.xlsx"]  # only the new file was read
    assert (second.read, second.known, second.duplicates) == (1, 3, 1)
    third = run(kit, folder, tmp_path, pool=(pool := CountingPool()))
    assert pool.paths == [] and (third.read, third.known, third.duplicates) == (0, 5, 0)
    import sqlite3

    db = sqlite3.connect(tmp_path / "台账.db")
    assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 4
    assert db.execute("SELECT count(*) FROM sightings WHERE duplicate = 1").fetchone()[0] == 1
    assert first.summary().splitlines()[0] == (
        "回表文件 3 个：新读入 3 个，已登记过 0 个，与其他文件内容相同 0 个，跳过 0 个（临时文件、系统文件或非表格附件）。")


def test_a_resend_supersedes_and_the_rule_is_stated(kit: Kit, tmp_path: Path) -> None:
    folder = good_folder(kit, tmp_path)
    run(kit, folder, tmp_path)
    resend = fill(kit.forms["1002"], folder / "1002更正.xlsx", tasks={"T001": {"完成状态": "推进中", "进展情况": "更正后的进展"}},
                  indicators={"I001": 88})
    later = (folder / "1002回表.xlsx").stat().st_mtime + 60
    os.utime(resend, (later, later))
    run(kit, folder, tmp_path)
    details = [r for r in sheet_rows(tmp_path / "汇总.xlsx", "明细") if r[0] == "1002"]
    assert [r[3:7] for r in details] == [["一.1", "推进课后服务提质", "推进中", "更正后的进展"], ["I001", "课后服务覆盖率", None, None]]
    assert details[1][13] == 88 and details[0][-1] == "1002更正.xlsx"
    found = detail_values(tmp_path / "汇总.xlsx")
    assert found == ledger_values(tmp_path / "台账.db", kit.plan)
    superseded = ledger_values(tmp_path / "台账.db", kit.plan, ("superseded",))
    assert superseded and not [v for v in superseded if v[0] == "1002" and v in found]  # the first file's values are gone
    import sqlite3

    statuses = sqlite3.connect(tmp_path / "台账.db").execute(
        "SELECT file_name, status FROM submissions WHERE unit_code = '1002' ORDER BY id").fetchall()
    assert statuses == [("1002回表.xlsx", "superseded"), ("1002更正.xlsx", "accepted")]
    note = load_workbook(tmp_path / "汇总.xlsx")["报送情况"]["A2"].value
    assert "同一单位同一批次有多份可用的回表时，以文件修改时间较晚者为准，时间相同按文件名排序" in note


def test_status_from_the_ledger(kit: Kit, tmp_path: Path) -> None:
    with pytest.raises(WorkplanError) as error:
        reporting_status(kit.master, db=tmp_path / "台账.db")
    assert str(error.value).startswith(f"找不到台账「台账.xlsx」的台账数据库：找的是「{tmp_path / '台账.db'}」。")
    run(kit, good_folder(kit, tmp_path), tmp_path)
    assert reporting_status(kit.master, db=tmp_path / "台账.db") == (
        "批次「未分批次」：应报 5 个单位，已报 3 个，部分填报 0 个，有问题 0 个，未报 2 个。\n"
        "未报（2）：城关幼儿园（1004）、育才学校（1005）\n"
        "已报（3）：第一中学（1001）、第二中学（1002）、实验小学（1003）")


def test_the_taizhangs_problem_is_said_before_the_returns_folders(kit: Kit, tmp_path: Path) -> None:
    """The returns are listed while the 台账 is read: when both are wrong, the 台账 is still named first."""
    missing = tmp_path / "没有 回表"
    with pytest.raises(InputFileError) as error:
        collect_returns(tmp_path / "没有的台账.xlsx", [missing])
    assert str(error.value) == f"找不到台账「{tmp_path / '没有的台账.xlsx'}」：请检查文件名和位置。"
    broken = tmp_path / "坏 台账.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(WorkplanError) as error:
        collect_returns(broken, [missing])
    assert "坏 台账.xlsx" in str(error.value) and "回表" not in str(error.value).split("：")[0]
    with pytest.raises(InputFileError) as error:  # a good 台账: the folder is named
        collect_returns(kit.master, [missing], db=tmp_path / "台账.db")
    assert str(error.value) == f"找不到回表文件夹或文件「{missing}」：请检查路径是否正确。"


# -- the whole loop, with LibreOffice ---------------------------------------------------------------


def lo_batch(soffice: str, files: list[Path], fmt: str, outdir: Path) -> list[Path]:
    """Re-save several files in one LibreOffice call (each call costs seconds)."""
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation=file://{outdir / '.lo-profile'}", "--headless", "--norestore",
                    "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=240)
    out = [outdir / f"{f.stem}.{fmt}" for f in files]
    assert all(p.exists() for p in out)
    return out


def fill_everything(form: Path, out: Path, code: str, variant: str = "") -> dict[tuple[str, str], object]:
    """Fill every input cell of a seed-plan form; return what was written, keyed by (item, field label)."""
    written: dict[tuple[str, str], object] = {}
    workbook = load_workbook(form)
    for sheet_name, id_header in ((SHEET_TASKS, "任务ID"), (SHEET_INDICATORS, "指标ID")):
        sheet = workbook[sheet_name]
        cols = {c.value: c.column for c in sheet[HEADER_ROW + 1]}
        for r in range(HEADER_ROW + 2, sheet.max_row + 1):
            item = sheet.cell(r, cols[id_header]).value
            if not item:
                continue
            if sheet_name == SHEET_TASKS:
                values = {"完成状态": ("已完成", "推进中", "未启动")[r % 3], "进展情况": f"{code}{variant}推进{item}第{r}行",
                          "佐证材料": f"{item}材料"}
            else:
                values = {"填报值": float(r * 3 + int(code) % 7)}
            for header, value in values.items():
                sheet.cell(r, cols[header]).value = value
                written[(item, header)] = value
    workbook.save(out)
    return written


@pytest.mark.libreoffice
def test_the_whole_loop(seeds_dir: Path, soffice: str, tmp_path: Path) -> None:
    from workplan_xl.plan_document import read_plan

    plan = read_plan(next(seeds_dir.glob("002_*")))
    plan.units = [Unit(str(2001 + i), f"第{i + 1}学校", "学校") for i in range(40)]
    master = write_master_workbook(plan, tmp_path / "台账.xlsx")
    plan = read_master_workbook(master)
    forms = make_forms(plan, tmp_path / "填报表")
    codes = sorted(forms)
    missing = codes[5:7]
    filled_dir, returns = tmp_path / "filled", tmp_path / "回表 收到的"
    filled_dir.mkdir()
    returns.mkdir()
    expected: dict[str, dict] = {}
    filled: dict[str, Path] = {}
    for code in codes:
        if code in missing:
            continue
        filled[code] = filled_dir / f"{code}.xlsx"
        expected[code] = fill_everything(forms[code], filled[code], code)
    # LibreOffice re-saves: four units each as .xlsx, .xls and .ods, one call per format
    for fmt, group in (("xlsx", codes[10:14]), ("xls", codes[14:18]), ("ods", codes[18:22])):
        for code, path in zip(group, lo_batch(soffice, [filled[c] for c in group], fmt, tmp_path / f"lo_{fmt}"),
                              strict=True):
            shutil.move(path, returns / f"回复：{plan.units[codes.index(code)].name} 工作台账（已填）.{fmt}")
    for code in codes:
        if code in filled and not any(returns.glob(f"*{plan.units[codes.index(code)].name} *")):
            shutil.copy2(filled[code], returns / (f"{code}_已填.xlsx" if int(code) % 2 else f"新建 Microsoft Excel 工作表{code}.xlsx"))
    # one unit sends twice with changes; the later file wins
    twice = codes[0]
    expected[twice] = fill_everything(forms[twice], returns / "第1学校-更正版.xlsx", twice, variant="更正")
    later = max(p.stat().st_mtime for p in returns.iterdir()) + 100
    os.utime(returns / "第1学校-更正版.xlsx", (later, later))
    hostile = {"炸弹.xlsx": lambda p: zip_bomb(forms[codes[1]], p), "密码.xlsx": lambda p: p.write_bytes(ENCRYPTED),
               "网页.xls": lambda p: p.write_bytes(HTML), "崩溃.xlsx": lambda p: xfd_sheet(forms[codes[1]], p, "A1:K9", TASK_PART),
               "半截.xlsx": lambda p: p.write_bytes(filled[codes[2]].read_bytes()[:4000])}
    for name, make in hostile.items():
        make(returns / name)

    result = collect_returns(master, [returns])
    assert result.exit_code == 3
    out = tmp_path / "汇总.xlsx"
    units = sheet_rows(out, "报送情况")
    assert [r[0] for r in units[:2]] == missing and [r[3] for r in units[:2]] == ["未报", "未报"]
    assert sum(1 for r in units if r[3] == "已报") == 38
    assert {r[0] for r in sheet_rows(out, "问题清单")} == set(hostile)
    # every filled value is in 明细 exactly once
    numbers = task_numbers(plan)
    indicator_ids = {i.id for i in plan.indicators()}
    got = detail_values(out)
    assert got == ledger_values(tmp_path / "台账.db", plan)  # the ledger's accepted values, each once
    assert not set(ledger_values(tmp_path / "台账.db", plan, ("superseded", "rejected"))) - set(
        ledger_values(tmp_path / "台账.db", plan)) & set(got)  # nothing from the superseded first file
    want = Counter()
    labels = {v: v for v in FIELD_LABELS.values()}
    for code, values in expected.items():
        for (item, header), value in values.items():
            number = item if item in indicator_ids else numbers[item]
            want[(code, number, labels[header], value)] += 1
    assert got == want
    with zipfile.ZipFile(out) as archive:
        assert not any(re.search(rb"<f[ >]", archive.read(n)) for n in archive.namelist() if "worksheets" in n)
    assert "未报：第6学校（2006）、第7学校（2007）" in result.summary()


def test_same_folder_same_workbook(kit: Kit, tmp_path: Path) -> None:
    folder = good_folder(kit, tmp_path)
    (folder / "半截.xlsx").write_bytes(kit.returns["1001"].read_bytes()[:3000])
    first, second = tmp_path / "一", tmp_path / "二"
    first.mkdir()
    second.mkdir()
    run(kit, folder, first)
    run(kit, folder, second)
    assert (first / "汇总.xlsx").read_bytes() == (second / "汇总.xlsx").read_bytes()
