"""notices: which units are behind on a date, their 督办单, and the 通报."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from report_data import lo_batch, sample_plan, sample_progress

from workplan_xl import gongwen
from workplan_xl.errors import OptionValueError
from workplan_xl.notices import classify, due_date, find_lags, parse_as_of, schedule_text, write_notices
from workplan_xl.plan import Task

AS_OF = date(2024, 9, 30)


@pytest.fixture(scope="module")
def progress():
    return sample_progress()


@pytest.fixture(scope="module")
def written(progress, tmp_path_factory) -> list[Path]:
    return write_notices(progress, tmp_path_factory.mktemp("notices") / "督办通报", AS_OF)


def _texts(path: Path) -> list[str]:
    return list(gongwen.texts(docx.Document(str(path))))


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-09-30", date(2024, 9, 30)), ("2024/9/3", date(2024, 9, 3)), ("2024.10.1", date(2024, 10, 1)),
    ("2024年9月30日", date(2024, 9, 30)), (" 2024-9-30 ", date(2024, 9, 30)),
])
def test_parse_as_of(text: str, expected: date) -> None:
    assert parse_as_of(text) == expected


@pytest.mark.parametrize("text", ["2024-13-40", "九月底", "30/9/2024", "2024-02-30", ""])
def test_bad_as_of_is_one_sentence(text: str) -> None:
    with pytest.raises(OptionValueError) as error:
        parse_as_of(text)
    assert str(error.value) == f"日期「{text}」无法识别：请写成 2024-09-30 的形式。"


def test_parse_as_of_defaults_to_today() -> None:
    assert parse_as_of(None) == date.today()


def test_due_date_prefers_the_deadline_then_the_schedule_then_the_year_end() -> None:
    plan = sample_plan()
    assert due_date(plan, plan.task("T002"), 2024) == date(2024, 10, 31)  # 10月底前
    assert due_date(plan, plan.task("T006"), 2024) == date(2024, 9, 30)  # 配档表 4月、9月
    assert due_date(plan, plan.task("T004"), 2024) == date(2024, 12, 31)  # no time at all
    assert due_date(plan, Task("T9", deadline="上半年"), 2024) == date(2024, 6, 30)
    assert schedule_text(plan, plan.task("T002"), 2024) == "2024年10月31日前（完成时限“10月底前”，配档表6月、10月）"
    assert schedule_text(plan, plan.task("T004"), 2024) == "2024年12月31日前（全年任务）"


def test_find_lags_on_the_as_of_date(progress) -> None:
    lags = find_lags(progress, AS_OF)
    assert {code: [lag.progress.task.id for lag in items] for code, items in lags.items()} == {
        "03": ["T002"],  # 未启动 although the 配档表 started it in June
        "05": ["T006"],  # 未启动 since April
        "08": ["T002", "T006"],  # did not report at all
        "10": ["T005"],  # 推进中 after the 5月底 deadline
        "11": ["T005", "T006"],
    }
    assert lags["10"][0].reason == "已过完成时限2024年5月31日"
    assert lags["03"][0].reason == "按配档表应于6月启动"
    assert lags["08"][0].status == "未报送" and lags["10"][0].status == "推进中"
    assert lags["10"][0].note == "正在整改"
    # a day later September is over: 南关小学 has not started the safety inspection (T007)
    assert "07" in find_lags(progress, date(2024, 10, 1)) and "07" not in lags
    assert find_lags(progress, date(2024, 3, 1)) == {}


def test_classify_tasks(progress) -> None:
    classes = classify(progress, find_lags(progress, AS_OF))
    assert classes == {"T001": "已完成", "T002": "滞后", "T003": "按序时推进", "T004": "按序时推进", "T005": "滞后",
                       "T006": "滞后", "T007": "按序时推进", "T008": "已完成"}


def test_files_and_numbering(written: list[Path]) -> None:
    assert [p.name for p in written] == [
        "督办单_03_城东县实验中学.docx", "督办单_05_城东县第二小学.docx", "督办单_08_城东县北街小学.docx",
        "督办单_10_城东县第二幼儿园.docx", "督办单_11_城东县机关幼儿园.docx",
        "关于城东县教育督导室2024年工作要点推进情况的通报.docx"]
    numbers = [docx.Document(str(p)).tables[0].rows[0].cells[1].text for p in written[:-1]]
    assert numbers == [f"督办〔2024〕第{k}号" for k in range(1, 6)]


def test_supervision_notice_content(written: list[Path]) -> None:
    path = written[3]  # 第二幼儿园: 办园行为督导 past its deadline
    doc = docx.Document(str(path))
    form = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert form["承办单位"] == "城东县第二幼儿园"
    assert form["督办事项"] == "二.3 开展幼儿园办园行为督导：5月底前完成全覆盖督导"  # its full number
    assert form["依据"] == "《城东县教育督导室2024年工作要点》第二部分第3项"  # one line: the task is named above
    assert form["牵头/配合"] == "牵头：督导室"
    assert form["原定时限"] == "2024年5月31日前（完成时限“5月底前”，配档表5月）"
    assert form["当前状态"] == "推进中，已过完成时限2024年5月31日。单位报送：“正在整改”。"
    assert "2024年10月7日前填写回执" in form["督办要求"]
    assert form["反馈时限"] == "2024年10月7日前"
    receipt = [row.cells[0].text for row in doc.tables[1].rows]
    assert receipt == ["督办编号", "承办单位（盖章）", "负责人签字", "日期", "落实情况"]
    texts = _texts(path)
    assert texts[0] == "督办单" and "督办事项落实情况回执" in texts
    assert "城东县人民政府教育督导室" in texts and "2024年9月30日" in texts
    for r in doc.element.body.iter(qn("w:r")):
        assert r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))
    two = {row.cells[0].text for row in docx.Document(str(written[4])).tables[0].rows}
    assert {"督办事项1", "督办事项2"} <= two


def test_bulletin_content(written: list[Path]) -> None:
    texts = _texts(written[-1])
    assert texts[0] == "关于城东县教育督导室2024年工作要点\n推进情况的通报"  # broken where the meaning allows
    joined = "".join(texts)
    assert "应报送单位12个，已报送9个，报送的文件无法使用1个，未报送2个。8项重点任务中，已完成2项，按序时推进3项，滞后3项。" in joined
    assert "城东县北街小学、城东县机关幼儿园共2个单位未报送" in joined
    assert "（一）中小学校综合督导评估（按配档表应于6月启动）：城东县实验中学、城东县北街小学2个单位滞后。" in joined
    assert "（二）幼儿园办园行为督导（原定2024年5月31日前完成）：城东县第二幼儿园、城东县机关幼儿园2个单位滞后。" in joined
    assert "四、下一步要求" in texts
    table = docx.Document(str(written[-1])).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "任务", "完成时限", "推进情况", "滞后单位数"]
    assert [c.text for c in table.rows[2].cells][3:] == ["滞后", "2"]


def test_rerun_backs_up_and_nothing_behind_gives_only_the_bulletin(progress, tmp_path: Path) -> None:
    first = write_notices(progress, tmp_path, AS_OF)
    moved: list[Path] = []
    write_notices(progress, tmp_path, AS_OF, moved=moved)
    assert moved == []  # the same bytes again
    (tmp_path / "督办单_03_城东县实验中学.docx").write_bytes(b"edited")
    write_notices(progress, tmp_path, AS_OF, moved=moved)
    [backup] = moved
    assert backup.parent == tmp_path / "备份" and backup.read_bytes() == b"edited"
    assert len(list(tmp_path.glob("*.docx"))) == len(first)
    early = write_notices(progress, tmp_path / "三月", date(2024, 3, 1))
    assert [p.name for p in early] == ["关于城东县教育督导室2024年工作要点推进情况的通报.docx"]
    assert "各项任务均按序时推进，暂无滞后任务。" in _texts(early[0])


@pytest.mark.libreoffice
def test_libreoffice_shows_notice_and_bulletin(written: list[Path], soffice: str, tmp_path: Path) -> None:
    import pdfplumber

    pdfs = lo_batch(soffice, [written[0], written[-1]], tmp_path)
    with pdfplumber.open(pdfs[0]) as notice:
        assert len(notice.pages) == 2  # the 督办单, and its 回执 on a page of its own
        page = notice.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)
        text = page.extract_text().replace(" ", "")
        assert "督办单" in text and "督办〔2024〕第1号" in text and "—1—" in text
        assert "回执" in notice.pages[1].extract_text()
    with pdfplumber.open(pdfs[1]) as bulletin:
        text = "".join(p.extract_text() for p in bulletin.pages).replace(" ", "")
        assert "推进情况的通报" in text and "—1—" in text and "未报送" in text
