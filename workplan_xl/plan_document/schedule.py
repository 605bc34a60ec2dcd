"""The 配档表 (month schedule) of a plan: found in the blocks, read into ScheduleEntry rows, taken out.

Three shapes are read, all by general shape rules:

(a) a table whose header has a time column before the task column (时间/月份 · 重点工作 · 责任单位
    [· 配合单位]); an empty time cell continues the month above (a merged cell);
(b) the same table flattened one cell per line (web pages, PDFs): header lines, then a month line
    ('1月'), then task and owner lines; an owner cell may run over two lines ('组织人事处、' then
    '离退休干部处'); a '备注' line ends it;
(c) a month-by-month plan written as paragraphs (kindergartens, schools): month headings ('九月份：',
    '3月', '二月份工作安排') each followed by item lines — at least three such headings.

A time that is one month gives ``month`` and an empty ``period``; a range or period ('3-4月', '上半年',
'全年', '9月底前') gives its first month as ``month`` and the words as written as ``period``, so the
master workbook can show both. Partner units follow the lead units in ``owners``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from workplan_xl.plan import ScheduleEntry
from workplan_xl.plan_document.facts import find_owners
from workplan_xl.plan_document.numerals import MONTH_NUM, fold, month_int, squeeze
from workplan_xl.plan_document.schedule_link import link_schedule
from workplan_xl.plan_document.tables import (
    cell,
    find_header,
    header_role,
    is_group_row,
    is_schedule_header,
    tasks_from_table,
)
from workplan_xl.plan_document.time_cells import is_time_cell, time_of
from workplan_xl.plan_document.units import is_owner_cell, is_unit_name, split_units

if TYPE_CHECKING:
    from workplan_xl.plan_document.readers import Block

__all__ = ["extract_schedule", "is_time_cell", "link_schedule", "tasks_from_table", "time_of"]

_M = MONTH_NUM


def extract_schedule(blocks: list[Block]) -> tuple[list[ScheduleEntry], list[Block]]:
    """The schedule entries found in ``blocks`` and the blocks with the schedule taken out.

    Task-decomposition tables (序号 · 任务 · 牵头单位 · 完成时限) are not schedules: they stay in the
    blocks for the outline (see :func:`tasks_from_table`).
    """
    entries: list[ScheduleEntry] = []
    removed: set[int] = set()
    cols: dict[str, int] | None = None  # of the last schedule table, for its continuation
    last = -1
    for i, block in enumerate(blocks):
        if block.kind != "table":
            continue
        continued = cols if last >= 0 and _only_blank_between(blocks, last, i) else None
        carry = (entries[-1].month, entries[-1].period) if continued and entries else (None, "")
        rows, cols = _table_entries(block, continued, carry)
        if rows is None:
            last = -1
            continue
        entries += rows
        removed.add(i)
        removed.update(_title_before(blocks, i))
        last = i
    flat = _flat_schedule(blocks, removed)
    if flat:
        rows, span = flat
        entries += rows
        removed.update(span)
    if not entries:
        monthly = _monthly_paragraphs(blocks, removed)
        if monthly:
            rows, span = monthly
            entries += rows
            removed.update(span)
    return entries, [b for k, b in enumerate(blocks) if k not in removed]


# -- (a) real tables ---------------------------------------------------------------------------------
def _only_blank_between(blocks: list[Any], a: int, b: int) -> bool:
    return all(blocks[k].kind != "table" and not (blocks[k].text or "").strip() for k in range(a + 1, b))


def _table_entries(block: Any, continued: dict[str, int] | None, carry: tuple[int | None, str] = (None, "")
                   ) -> tuple[list[ScheduleEntry] | None, dict[str, int] | None]:
    rows = [list(r) for r in block.rows]
    found = find_header(rows)
    if found is not None:
        h, cols = found
        if not is_schedule_header(rows[h], cols):
            return None, None
    elif continued is not None:  # the same table going on after a page break, without its header
        h, cols = -1, continued
    else:
        return None, None
    entries: list[ScheduleEntry] = []
    when = carry  # a merged month cell may run on from the table before the page break
    times = timed = 0
    for row in rows[h + 1:]:
        if not any(c and c.strip() for c in row) or is_group_row(row):
            continue
        time_text = cell(row, cols, "time")
        if time_text:
            times += 1
            parsed = time_of(time_text)
            timed += parsed is not None
            when = parsed if parsed is not None else (None, time_text)
        k = cols["task"]
        raw = row[k] if k < len(row) and row[k] else ""
        owners = _owners(cell(row, cols, "owner"), cell(row, cols, "partner"))
        items = _items(raw)
        if not items:
            if owners and entries:  # a task cell merged over rows with their own owners
                entries[-1].owners += [o for o in owners if o not in entries[-1].owners]
            continue
        for item in items:
            entries.append(ScheduleEntry(month=when[0], period=when[1], text=item, owners=list(owners)))
    if times and timed * 2 < times:
        return None, None  # the "time" column does not hold times
    return entries, cols


def _owners(lead: str, partner: str) -> list[str]:
    owners = split_units(lead)
    return owners + [p for p in split_units(partner) if p not in owners]


_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[.、．)）]|[(（]\d{1,2}[)）]|[①-⑳]|[-•·*●▪])\s*")


def _items(raw: str) -> list[str]:
    """A task cell as items: '1.甲\n2.乙' is two rows; anything else is one."""
    lines = [ln.strip() for ln in (raw or "").splitlines() if ln.strip()]
    if len(lines) >= 2 and sum(1 for ln in lines if _ITEM.match(ln)) >= 2:
        items: list[str] = []
        for ln in lines:
            if _ITEM.match(ln) or not items:
                items.append(squeeze(_ITEM.sub("", ln)))
            else:
                items[-1] = squeeze(items[-1] + ln)
        return [x for x in items if x]
    text = squeeze(" ".join(lines))
    return [text] if text else []


_TITLE = re.compile(r"配档表|安排表|分解表|进度表|任务表|计划表|一览表|推进表|清单|行事历|工作历|台账|^附件|^附表")


def _title_before(blocks: list[Any], i: int) -> list[int]:
    """The attachment heading and table title lines right before block ``i`` ('附件', '…配档表'),
    with the blank blocks between them."""
    k, seen, start = i - 1, 0, i
    while k >= 0 and seen < 4 and blocks[k].kind != "table":
        text = squeeze(fold(blocks[k].text or ""))
        if text:
            if len(text) > 40 or not _TITLE.search(text):
                break
            if re.search(r"(?:19|20)\d{2}\s*年", text) and not text.startswith("附") and not any(
                    b.kind == "table" or (b.text or "").strip() for b in blocks[:k]):
                break  # the document's own first line ('某校2026年春季行事历') is its title
            seen, start = seen + 1, k
        k -= 1
    return list(range(start, i))


# -- (b) a table flattened to one cell per line ------------------------------------------------------
_STOP_LINE = re.compile(r"^(?:[•·●▪]|上一篇|下一篇|扫一扫|附件下载|相关附件|打印|关闭|Produced|分享|返回|【|"
                        r"[一二三四五六七八九十]+、|附件\s*\d|附表\s*\d|\d{4}年\d{1,2}月\d{1,2}日$)", re.I)


class _Line(NamedTuple):
    k: int  # index of the line's first block
    text: str  # squeezed text, "\x00" for a table or a removed block
    raw: str  # the text as the reader gave it (a PDF row kept on one line splits at its spaces)
    end: int  # index of the line's last block


def _lines(blocks: list[Any], removed: set[int]) -> list[_Line]:
    """The non-blank paragraphs; tables and removed blocks end a run ("\x00").

    A PDF line that a cell too long for one printed line wrapped into (no paragraph gap before it,
    see read_pdf) is joined to the line before, unless it reads as a cell of its own (a time, a unit)."""
    out: list[_Line] = []
    gap = True
    for k, b in enumerate(blocks):
        if k in removed or b.kind == "table":
            out.append(_Line(k, "\x00", "", k))
            gap = True
            continue
        text = squeeze(b.text or "")
        if not text:
            gap = True
            continue
        last = out[-1] if out else None
        if (not gap and b.page is not None and last is not None and last.text != "\x00" and last.end == k - 1
                and len(last.text) < 400 and not is_time_cell(text) and not header_role(text, exact=True)
                and (not is_owner_cell(text) or last.text[-1] in "、，,")):
            out[-1] = _Line(last.k, squeeze(last.text + text), last.raw + (b.text or ""), k)
        else:
            out.append(_Line(k, text, b.text or "", k))
        gap = False
    return out


def _header_at(lines: list[_Line], j: int) -> tuple[list[str], int] | None:
    roles: list[str] = []
    k = j
    while k < len(lines) and len(roles) < 7:
        role = header_role(lines[k][1], exact=True)
        if not role:
            break
        roles.append(role)
        k += 1
    if len(roles) < 2 and lines[j][1] != "\x00":
        tokens = re.split(r"[\s|｜]+", lines[j].raw.strip())
        if len(tokens) >= 2 and all(header_role(t, exact=True) for t in tokens):
            roles, k = [header_role(t, exact=True) for t in tokens], j + 1
    if "time" in roles and "task" in roles and roles.index("time") < roles.index("task"):
        return roles, k
    return None


def _flat_schedule(blocks: list[Any], removed: set[int]) -> tuple[list[ScheduleEntry], set[int]] | None:
    lines = _lines(blocks, removed)
    for j in range(len(lines)):
        header = _header_at(lines, j)
        if header is None:
            continue
        roles, k = header
        entries, stop = _flat_rows(lines, k, roles)
        if not entries:
            continue
        first = lines[j][0]
        last = lines[stop][0] if stop < len(lines) else len(blocks)
        span = set(range(first, last)) | set(_title_before(blocks, first))
        return entries, span - {n for n, b in enumerate(blocks) if b.kind == "table"}
    return None


def _cells(raw: str, text: str) -> list[str]:
    """One line as the cells it holds: a PDF may keep a row on one line ('1月 召开会议 办公室')."""
    tokens = raw.split()
    if len(tokens) < 2:
        return [text]
    head = [tokens.pop(0)] if is_time_cell(tokens[0]) else []
    tail: list[str] = []
    while len(tokens) > 1 and is_owner_cell(tokens[-1]):
        tail.insert(0, tokens.pop())
    if not head and not tail:
        return [text]
    return head + ([squeeze(" ".join(tokens))] if tokens else []) + tail


def _flat_rows(lines: list[_Line], k: int, roles: list[str]
               ) -> tuple[list[ScheduleEntry], int]:
    """Rows from the lines after a flattened header; also the index of the first line not read."""
    entries: list[ScheduleEntry] = []
    when: tuple[int | None, str] = (None, "")
    pending: ScheduleEntry | None = None
    open_owner = False  # the last owner line ended with 、 or ，: the next line goes on with it
    has_owner, has_partner = "owner" in roles, "partner" in roles
    partners: list[str] = []
    j = k
    while j < len(lines):
        text = lines[j][1]
        if text == "\x00" or _STOP_LINE.match(fold(text)) or len(text) > 200:
            break
        j += 1
        if text.startswith("备注"):
            break
        for piece in _cells(lines[j - 1].raw, text):
            if is_time_cell(piece):
                when = time_of(piece) or when
                continue
            if re.fullmatch(r"\d{1,3}", fold(piece)) and "number" in roles:
                continue
            if has_owner and pending is not None and is_owner_cell(piece):
                names = split_units(piece)
                if not pending.owners or open_owner or not has_partner:
                    pending.owners += [n for n in names if n not in pending.owners]
                else:
                    partners += [n for n in names if n not in partners]
                open_owner = piece.rstrip()[-1] in "、，,;；"
                continue
            if pending is not None:
                pending.owners += [p for p in partners if p not in pending.owners]
            pending, partners, open_owner = ScheduleEntry(month=when[0], period=when[1], text=piece), [], False
            entries.append(pending)
    if pending is not None:
        pending.owners += [p for p in partners if p not in pending.owners]
    return entries, j


# -- (c) month-by-month paragraphs -------------------------------------------------------------------
_MONTH_HEAD = re.compile(
    rf"^(?:\(?(?P<pre>[一二三四五六七八九十]{{1,3}})[)、.]|\d{{1,2}}[.、)])?\s*[【\[]?\s*(?:\d{{4}}年)?\s*"
    rf"(?P<when>(?P<m>{_M})\s*(?:(?:月份?)?\s*(?:、|-|—|~|～|至|到)\s*(?P<to>{_M})\s*)?月份?)\s*(?:的)?"
    r"(?:工作安排|工作重点|重点工作|主要工作|工作计划|活动安排|工作要点|安排|工作|活动)?\s*[】\]]?\s*(?::\s*(?P<rest>.*))?$")
_INTRO = re.compile(r"安排|行事历|工作历|进度|月工作|月份工作|逐月|每月")
_BIG_HEAD = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章部分节]|附件|\d{4}年\d{1,2}月\d{1,2}日$)")


def _month_head(text: str) -> tuple[int, str, str] | None:
    """(month, period, text after the colon) of a month heading line, None for other lines."""
    m = _MONTH_HEAD.match(fold(text))
    if not m or re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月", fold(text).strip()):  # a date line
        return None
    month = month_int(m["m"])
    if month is None:
        return None
    rest = text[m.start("rest"):].strip() if m["rest"] else ""
    pre = month_int(m["pre"] or "")
    if pre is not None and pre + 1 == month and text[m.start("pre") + len(m["pre"])] == "、":
        # '七、八月份' is a two-month heading, not item 七 of a list
        return pre, text[m.start("pre"):m.end("when")], rest
    return month, (text[m.start("when"):m.end("when")] if m["to"] else ""), rest


def is_section_heading(text: str) -> bool:
    """'三、具体工作安排', '（二）逐月工作安排': a numbered heading of the month list."""
    from workplan_xl.plan_document.numbering import H2, numbered

    num = numbered(text)
    return num is not None and num.value is not None and num.rank <= H2


def is_schedule_heading(title: str) -> bool:
    """The title of a section that only introduces a month-by-month list ('具体工作安排')."""
    return len(title) <= 30 and bool(_INTRO.search(title))


def _monthly_paragraphs(blocks: list[Any], removed: set[int]) -> tuple[list[ScheduleEntry], set[int]] | None:
    lines = [line for line in _lines(blocks, removed) if line.text != "\x00"]
    heads = [n for n, line in enumerate(lines) if _month_head(line.text)]
    if len(heads) < 3 or len({_month_head(lines[n][1])[0] for n in heads}) < 3:  # type: ignore[index]
        return None
    entries: list[ScheduleEntry] = []
    used: set[int] = set()
    for h, n in enumerate(heads):
        month, period, rest = _month_head(lines[n][1])  # type: ignore[misc]
        used.update((lines[n].k, lines[n].end))
        last = h == len(heads) - 1
        end = heads[h + 1] if not last else len(lines)
        items: list[str] = [rest] if rest else []
        numbered = False
        for k in range(n + 1, end):
            text = lines[k].text
            marked = bool(_ITEM.match(text))
            if last and (_BIG_HEAD.match(fold(text)) or is_unit_name(text, allow_generic=True)
                         or (numbered and not marked)):
                break
            if marked or not items or not numbered:
                items.append(_ITEM.sub("", text).strip())
            else:
                items[-1] += text
            numbered = numbered or marked
            used.update((lines[k].k, lines[k].end))
        for item in items:
            if item:
                lead, partners = find_owners(item)
                entries.append(ScheduleEntry(month=month, period=period, text=item,
                                             owners=lead + [p for p in partners if p not in lead]))
    if not entries:
        return None
    first = heads[0]
    intro = lines[first - 1].text if first > 0 else ""
    if len(intro) <= 30 and _INTRO.search(intro) and not is_section_heading(intro) \
            and not re.search(r"(?:19|20)\d{2}\s*年", intro):  # '某校2026年春季工作安排' is the document's title
        used.add(lines[first - 1].k)  # '每月工作安排': the heading of the schedule itself
    # a numbered heading ('三、具体工作安排') stays: the outline keeps it as the schedule's section
    span = set(range(min(used), max(used) + 1))
    return entries, span - {k for k, b in enumerate(blocks) if b.kind == "table"}
