"""Cleaning the text of a plan document: web-page chrome and notice boilerplate out, PDF artefacts
repaired (a paragraph split at a line or page break joined, justification spaces removed).

Everything here works on single lines except :func:`join_broken`, which runs after the 配档表 is
taken out (a flattened table must not be glued together). Full-width digits and Latin letters become
ASCII (２０２６ → 2026); Chinese punctuation stays. A numbered heading is joined to the next line only
where it cannot end (a trailing comma or 和, an open bracket or quote): "一、总体要求" followed by a
short line stays a heading, since a plain text file does not show which it is.
"""

from __future__ import annotations

import re

from workplan_xl.cjk import clean_text
from workplan_xl.plan_document.numbering import numbered

# -- one line ----------------------------------------------------------------------------------------
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_BULLET = re.compile(r"^[•·●▪◆■]\s*")
_ASCII_LEFT = re.compile(r"[A-Za-z0-9.,;:!?)\]'\"]")
_ASCII_RIGHT = re.compile(r"[A-Za-z0-9(\['\"]")
_DIGIT_SPACE = re.compile(r"(?<=\d) (?=\S)|(?<=\S) (?=\d)")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SENTENCE_PUNCT = "，,。；;：:！!？?、"


def _drop_space(before: str, after: str) -> bool:
    """A space is kept only between two Latin words or numbers ("Office 365", "PISA 2022")."""
    if before == "%":
        return True
    return not (_ASCII_LEFT.match(before) and _ASCII_RIGHT.match(after))


def _title_like(line: str) -> bool:
    return len(line) <= 60 and not any(p in line for p in SENTENCE_PUNCT)


# Full-width digits, Latin letters and ％ as ASCII (２０２６年 → 2026年); Chinese punctuation stays.
_WIDE = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), 0xFF05)}
_WIDE_POINT = re.compile(r"(?<=\d)．(?=\d)")


def normalise_line(text: str) -> str:
    """One line with every kind of space made plain and spaces inside Chinese text removed.

    PDF justification spreads characters ("督 导") and puts spaces around numbers ("2025 年").
    A short title-like line keeps the space between two names ("工委 济南市教育局") unless one side
    is a number or a short fragment ("的 通 知", "全市教 育系统").
    """
    text = _INVISIBLE.sub("", clean_text(text)).translate(_WIDE)
    text = _WIDE_POINT.sub(".", text)
    text = _SPACES.sub(" ", text).strip()
    text = _BULLET.sub("", text)
    if " " not in text:
        return text
    tokens = text.split(" ")
    title = _title_like(text)
    out = [tokens[0]]  # a list joined once: += on a str is quadratic where CPython cannot reuse it
    for previous, token in zip(tokens, tokens[1:], strict=False):
        before, after = previous[-1], token[0]
        drop = _drop_space(before, after)
        if title and drop:
            drop = (before.isdigit() or after.isdigit() or before == "%"
                    or min(len(previous), len(token)) < 4)
        out.append(token if drop else " " + token)
    return "".join(out)


# -- chrome and boilerplate -------------------------------------------------------------------------
_CHROME = re.compile(
    r"^(您当前(浏览)?的?位置|当前位置|您的位置|首页\s*[>＞»/]|扫一扫|上一篇|下一篇|附件下载|相关附件|打印本页|"
    r"【?打印】?\s*【?关闭】?|关闭窗口|字体[:：]?\s*【|字号[:：]\s*【|【\s*大\s*中\s*小|分享到?[:：]?$|分享[:：]|"
    r"信息来源[:：]|浏览次数|访问次数|点击数|阅读次数|Produced\s+By|技术支持|版权所有|Copyright|©|网站标识码|"
    r"主办单位[:：]|承办单位[:：]|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP备|"
    r".*公网安备|★|抄\s*报[:：]|抄\s*送[:：]|[(（]此件(公开发布|主动公开|不予?公开|依申请公开)[)）]|"
    r"【(打印|关闭|收藏)】|返回顶部|\[打印\]|\[关闭\])",
    re.IGNORECASE,
)
# 2024年5月10日印发 / 山东省教育督导学会秘书处 2024年5月10日印发
_PRINTED = re.compile(r"(\d{4}|[二〇一三四五六七八九零○]{4})\s*年.{1,4}月.{1,4}日\s*印\s*发$")
_PAGE_NUMBER = re.compile(r"^([—–-]\s*\d{1,3}\s*[—–-]|第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
# Metadata fields of a government web page (索引号, 发布机构 …): for metadata.py, not content.
META_LABELS = ("索引号", "组配分类", "主题分类", "所属分类", "成文日期", "发布日期", "发布机构", "发文机关",
               "标题", "发文字号", "文号", "文 号", "公开时限", "效力状态", "责任部门", "公开方式", "公开范围",
               "有效性", "生成日期", "体裁分类", "信息分类", "主题词", "发布时间", "文件编号", "来源")
_META = re.compile(r"^(" + "|".join(re.escape(label) for label in META_LABELS) + r")\s*[:：]?\s*\S")


def is_metadata_line(line: str) -> bool:
    """A line of a web page's metadata table ("发布机构 贺兰县教育体育局")."""
    m = _META.match(line)
    if m is None:
        return False
    label = m.group(1)
    # "来源" and "标题" need a separator: a sentence may well start with those words.
    return label not in ("来源", "标题") or bool(re.match(rf"^{label}\s*[:：]", line))


# A download link of a web page: '1.2026年任务清单.docx', '附件2.安排表.xlsx（35KB）'.
_FILE_LINK = re.compile(r"\.(?:docx?|xlsx?|wps|et|pdf|zip|rar|7z|ofd|pptx?|txt)\s*"
                        r"(?:[(（]\s*\d+(?:\.\d+)?\s*[KMG]B?\s*[)）])?$", re.IGNORECASE)


def is_chrome(line: str) -> bool:
    """Website chrome, page numbers, download links and 版记 lines (抄送, …印发): not part of the
    plan's content."""
    return bool(_CHROME.match(line) or _PRINTED.search(line) or _PAGE_NUMBER.match(line)
                or is_metadata_line(line) or (len(line) <= 80 and _FILE_LINK.search(line)))


# -- joining lines split by a line or page break ----------------------------------------------------
_FINAL = "。！？!?；;：:…"
_CLOSERS = "”\"’'）)」』》】〕]"
DATE_LINE = re.compile(r"^(\d{4}|[二〇一三四五六七八九零○]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                       r"\s*[\d一二三四五六七八九十]{1,3}\s*日$")
_DOC_NUMBER = re.compile(r"[〔\[［【(（]\s*(19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,4}\s*号$")
ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*([:：]|$)")
_ORG_SUFFIX = re.compile(r"(委员会|办公室|督导室|学会|协会|人民政府|政府|教育局|教体局|教育厅|教育部|学校|小学|中学|大学|局|厅|处|科|室|"
                         r"委|会|中心|院|校|园|所|站|馆|部|组|秘书处|团委|党委|支部)$")
PART_TITLE = re.compile(r"(要点|计划|规划|总结|安排|方案|打算|行事历|工作历|任务分解表?|任务清单|责任清单|责任分工|任务书)"
                        r"([(（][^)）]{1,10}[)）])?$")


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends a sentence: 。 ； ： ！ ？ possibly followed by closing quotes or brackets."""
    stripped = line.rstrip(_CLOSERS)
    if not stripped:
        return True
    if stripped != line and stripped[-1] not in _FINAL:
        # a closing quote or bracket after plain text: a term in quotes mid-sentence ("认可度”")
        return False
    return stripped[-1] in _FINAL


def is_org_line(line: str) -> bool:
    """A short line that is only an organisation's name (a signature, an issuer)."""
    return (len(line) <= 40 and not any(p in line for p in SENTENCE_PUNCT)
            and bool(_ORG_SUFFIX.search(line)) and not PART_TITLE.search(line))


def is_heading_only(line: str) -> bool:
    """A numbered line that is a heading by itself ("一、提高政治站位，坚持正确办会方向")."""
    return numbered(line) is not None and "。" not in line and len(line) <= 50


def unfinished(line: str) -> bool:
    """A line that cannot end there: it ends in a comma, 、 or a joining word, or leaves a bracket,
    quote or 《title》 open. A heading written over two lines of a .txt file breaks like that
    ("一、加强教师队伍建设，" / "全面提升专业素养"); a complete heading ("一、总体要求") never does."""
    if line[-1:] in "，,、；;和与及并或的之":
        return True
    return any(line.count(a) > line.count(b) for a, b in ("（）", "()", "“”", "《》", "「」", "【】"))


def _can_continue(line: str) -> bool:
    """Whether a paragraph may go on in the next line: body text cut off mid-sentence."""
    if is_heading_only(line) and unfinished(line) and not is_chrome(line):
        return True
    if ends_sentence(line) or is_heading_only(line) or is_chrome(line):
        return False
    if DATE_LINE.match(line) or _DOC_NUMBER.search(line) or is_org_line(line):
        return False
    return len(line) >= 30 or any(p in line for p in "，,、；;。")


def _can_be_continuation(line: str) -> bool:
    if numbered(line) is not None or DATE_LINE.match(line) or ATTACHMENT.match(line):
        return False
    return not (_title_like(line) and PART_TITLE.search(line) and re.search(r"\d{4}\s*年", line))


def _needs_space(a: str, b: str) -> bool:
    """Two Latin words or numbers meet where a line was broken: keep them apart."""
    return a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum()


def join_broken(lines: list[str], flows: list[bool] | None = None) -> list[str]:
    """Join a paragraph that a line or page break split ("学会网" + "站等活动" → "学会网站等活动").

    ``lines`` hold no blank lines; a blank between the halves (a page break) was dropped already.
    ``flows`` marks lines a PDF reader saw continue the line before (no paragraph gap): those join
    even after a full stop, and after a heading as long as a full printed line (a wrapped heading).
    """
    flows = flows or [False] * len(lines)
    full = sorted((len(a) for a, nxt in zip(lines, flows[1:], strict=False) if nxt), reverse=True)
    width = full[len(full) // 2] if full else 0  # the length of a full printed line
    out: list[list[str]] = []  # each paragraph as its pieces, joined once at the end (linear time)
    size = 0  # length of the last paragraph
    for line, flow in zip(lines, flows, strict=True):
        last = _view(out[-1], size) if out else ""
        if out and flow and _can_be_continuation(line) and not DATE_LINE.match(last) and (
                not is_heading_only(last) or size >= width * 0.9 > 0):
            joined = True
        else:
            joined = bool(out) and _can_continue(last) and _can_be_continuation(line)
        if joined:
            if _needs_space(out[-1][-1], line):
                out[-1].append(" ")
            out[-1].append(line)
            size += len(line)
        else:
            out.append([line])
            size = len(line)
    return ["".join(pieces) for pieces in out]


def _view(pieces: list[str], size: int) -> str:
    """The paragraph so far, or for a long one only its head and tail: every test on it looks at
    the start (numbering, chrome) or the end (final punctuation), and a paragraph of thousands of
    characters must not be copied again for each line joined to it."""
    if size <= 400:
        return "".join(pieces)
    head = "".join(pieces[:8])[:150]
    tail = "".join(pieces[-8:])[-150:]
    return head + "，" + tail
