"""What a plan document says about itself: title line, issuer, document number, date of issue, and
where its content starts (after the notice letter) and ends (before the signature).

Sources, in order of trust: the red header "XX文件" and the 文号 under it, a web page's metadata
table (成文日期, 发布机构, 发文字号), the signature and date lines of the notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workplan_xl.plan_document.cleaning import (
    ATTACHMENT,
    DATE_LINE,
    META_LABELS,
    PART_TITLE,
    SENTENCE_PUNCT,
    is_chrome,
    is_metadata_line,
    is_org_line,
)
from workplan_xl.plan_document.numbering import cn_to_int, numbered
from workplan_xl.plan_document.numerals import fold

_CN_YEAR_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
                   "六": "6", "七": "7", "八": "8", "九": "9"}
_DATE = re.compile(r"(\d{4}|[二〇一三四五六七八九零○]{4})\s*[年\-/.]\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[月\-/.]"
                   r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日?")
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fffA-Za-z]{1,20})\s*([〔\[［【]\s*(?:19|20)\d{2}\s*[〕\]］】])\s*(\d{1,4})\s*号")
_DOC_BRACKET = re.compile(r"[〔\[［【]\s*(?:19|20)\d{2}\s*[〕\]］】]")


def _doc_number(line: str) -> re.Match[str] | None:
    """The 文号 in ``line``, looked for only around a bracketed year (a long line costs no more)."""
    for b in _DOC_BRACKET.finditer(line):
        m = _DOC_NUMBER.search(line, max(0, b.start() - 21), b.end() + 12)
        if m is not None:
            return m
    return None
_DOC_LABEL = re.compile(r"^(发文字号|文件编号|文号|字号|编号)")
_HEADER_FILE = re.compile(r"^(.{2,60}?)\s*文\s*件$")
_FIELD = re.compile(r"^({labels})\s*[:：]?\s*(.+)$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年|学年|—|-|－|~|至)")
_NOTICE_NAME = re.compile(r"《([^《》]{4,80}?(?:要点|计划|总结|安排|方案|打算)[^《》]{0,12})》")
_NOTICE_TITLE = re.compile(r"关于印发\s*(.{4,80}?(?:要点|计划|总结|安排|方案|打算))\s*的\s*通\s*知")
_LETTER = re.compile(r"^各.{1,80}[：:]$|现将|印发给你们|现印发|请结合|遵照执行|贯彻执行|贯彻落实。$|特此通知")


@dataclass
class Metadata:
    title: str = ""
    notice_name: str = ""  # the name of the document a notice sends out: 关于印发《X》的通知 → X
    issuer: str = ""
    doc_number: str = ""
    issued: str = ""


def iso_date(text: str) -> str:
    """2024年5月10日, 2024-03-22, 二〇二四年五月十日 → 2024-05-10 style; '' if there is no date."""
    m = _DATE.search(fold(text))
    if m is None:
        return ""
    year = m.group(1)
    if not year.isdigit():
        year = "".join(_CN_YEAR_DIGITS.get(ch, "") for ch in year)
    month = int(m.group(2)) if m.group(2).isdigit() else cn_to_int(m.group(2))
    day = int(m.group(3)) if m.group(3).isdigit() else cn_to_int(m.group(3))
    if len(year) != 4 or not month or not day or not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year}-{month:02d}-{day:02d}"


def year_of(text: str) -> int | None:
    """The first year named in a title: 2024年 → 2024; '2023—2024学年第二学期' → 2024."""
    years = [int(y) for y in _YEAR.findall(text + "年")]
    if not years:
        return None
    if len(years) > 1 and re.search(r"第二学期|下学期|春季", text):
        return years[1]
    return years[0]


def is_plan_title(line: str) -> bool:
    """A plan's own title line: short, no sentence punctuation, ending in 要点/计划/总结/…"""
    if len(line) > 60 or any(p in line for p in SENTENCE_PUNCT) or numbered(line) is not None:
        return False
    if line.startswith("关于") or line.endswith("通知") or is_chrome(line) or ATTACHMENT.match(line):
        return False
    return bool(PART_TITLE.search(line))


def _field(lines: list[str], labels: str) -> str:
    pattern = re.compile(_FIELD.pattern.format(labels=labels))
    for line in lines:
        m = pattern.match(line)
        if m:
            return m.group(2).strip()
    return ""


def _first_value(text: str) -> str:
    """'贺兰县教育体育局 所属分类 部门文件' → '贺兰县教育体育局'; also where a PDF lost the spaces
    between the cells ('贺兰县教育体育局所属分类部门文件'): the next field's label ends the value."""
    value = text.split(" ")[0].strip("：: ")
    cuts = [i for label in META_LABELS if len(label) >= 3 and (i := value.find(label, 2)) > 0]
    return value[: min(cuts)] if cuts else value


def _is_name(line: str) -> bool:
    return len(line) <= 50 and not is_chrome(line) and not re.search(r"[:：>＞/|" + SENTENCE_PUNCT + "]", line)


def find_doc_number(lines: list[str]) -> str:
    """The document's own 文号 (鲁教督会字〔2024〕1号, 市中教督办[2021]1号), from the header lines."""
    for line in lines:
        m = _doc_number(line)
        if m:
            prefix = _DOC_LABEL.sub("", m.group(1))
            bracket = re.sub(r"\s", "", m.group(2))
            return f"{prefix}{bracket}{m.group(3)}号"
    return ""


def content_range(lines: list[str]) -> tuple[int, int]:
    """Where the plan itself starts and ends in ``lines``: after the notice letter, before the
    closing signature and date. The start is the plan's title line when there is one."""
    first_numbered = next((i for i, line in enumerate(lines) if numbered(line) is not None), len(lines))
    start = next((i for i in range(first_numbered) if is_plan_title(lines[i])), None)
    if start is None:
        # No title line: skip the letter (addressee, 现将…印发, signature, date) before the first heading.
        start = 0
        for i in range(first_numbered):
            line = lines[i]
            if (_LETTER.search(line) or DATE_LINE.match(line) or is_org_line(line) or is_metadata_line(line)
                    or _HEADER_FILE.match(line) or _doc_number(line) or line.endswith("通知")):
                start = i + 1
    end = len(lines)
    while end > start + 1:
        line = lines[end - 1]
        if numbered(line) is None and (DATE_LINE.match(line) or is_org_line(line) or ATTACHMENT.match(line)
                                       or re.fullmatch(r"附\s*件\s*\d*", line)):
            end -= 1
        else:
            break
    return start, end


def read_metadata(lines: list[str]) -> Metadata:
    """Issuer, 文号 and date of a document from its normalised lines (chrome included)."""
    start, end = content_range(lines)
    header = lines[:start]
    meta = Metadata()
    meta.doc_number = find_doc_number([ln for ln in header if not _LETTER.search(ln)]) or find_doc_number(
        [ln for ln in lines if is_metadata_line(ln)])

    head_file = next((m.group(1) for ln in header[:12] if (m := _HEADER_FILE.match(ln)) and _is_name(ln)), "")
    published_by = _first_value(_field(lines, "发布机构|发文机关|发文单位"))
    signature = ""
    dates = [i for i, ln in enumerate(lines) if DATE_LINE.match(ln)]
    for i in dates:
        if i > 0 and is_org_line(lines[i - 1]) and not _HEADER_FILE.match(lines[i - 1]):
            signature = lines[i - 1]
            break
    meta.issuer = head_file or published_by or signature

    written = iso_date(_field(lines, "成文日期|成文时间"))
    header_date = next((iso_date(lines[i]) for i in dates if i < start), "")
    closing_date = iso_date(lines[dates[-1]]) if dates else ""
    published = iso_date(_field(lines, "发布日期|发布时间"))
    printed = next((iso_date(ln) for ln in reversed(lines) if re.search(r"日\s*印\s*发$", ln)), "")
    meta.issued = written or header_date or closing_date or published or printed

    text = "\n".join(lines[: max(start, 1) + 1])
    m = _NOTICE_NAME.search(text) or _NOTICE_TITLE.search(text)
    meta.notice_name = m.group(1).strip() if m else ""
    if not meta.notice_name:
        meta.notice_name = _field(lines, "标题")
    if start < len(lines) and is_plan_title(lines[start]):
        meta.title = lines[start]
        before = lines[start - 1] if start else ""
        # a title set on two lines: "某某区教育局" / "2025年工作要点"
        if re.match(r"(19|20)\d{2}|二〇", meta.title) and is_org_line(before) and not _HEADER_FILE.match(before) \
                and not (start + 1 < len(lines) and DATE_LINE.match(lines[start + 1])):
            meta.title = before + meta.title
    return meta
