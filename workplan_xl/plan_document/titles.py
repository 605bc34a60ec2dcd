"""What a heading line says: the lead phrase of a paragraph (its title) and its body, whether a part is a
总结 or a 要点, and whether a section is the frame of a plan (总体要求, 指导思想 …) rather than work to track."""

from __future__ import annotations

import re

_CONTEXT_WORDS = ("总体思路", "指导思想", "总体要求", "工作目标", "基本原则", "主要目标", "总体目标", "工作思路",
                  "目标任务", "发展目标", "工作原则", "基本思路", "总体目标任务")
_CONTEXT = re.compile(r"^(?:(?:" + "|".join(sorted(_CONTEXT_WORDS, key=len, reverse=True)) + r")[和与及、，,]?)+$")
_KIND_WORDS = re.compile(r"(总结|回顾|要点|计划|安排|打算|思路|方案)")


def kind_of(title: str) -> str:
    """'summary' when the last kind word of a title is 总结 (or 回顾), else 'plan'."""
    words = _KIND_WORDS.findall(title)
    return "summary" if words and words[-1] in ("总结", "回顾") else "plan"


def is_context(title: str) -> bool:
    """总体要求, 指导思想, 工作目标 … : the frame of a plan, not work to track."""
    return bool(_CONTEXT.match(re.sub(r"[\s。：:]", "", title)))


_OWNER_NOTE = re.compile(r"\s*[（(][^（）()]{0,60}?(?:单位|部门|科室|处室|股室)\s*[:：][^（）()]{0,80}[)）]\s*$")


def _bare_colon(text: str) -> int:
    """The first ： or : outside brackets ('加强学籍管理（责任单位：基教科）' has none), else -1."""
    depth = 0
    for i, ch in enumerate(text[:40]):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif ch in "：:" and depth == 0:
            return i
    return -1


def split_title(text: str) -> tuple[str, str]:
    """Lead phrase and body of a paragraph: up to the first 。 (or a short lead ending in ：); an
    owner note at the end of the lead ('（牵头单位：…）') is not part of the title."""
    title, body = _split_title(text)
    return _OWNER_NOTE.sub("", title) or title, body


def _split_title(text: str) -> tuple[str, str]:
    idx = text.find("。")
    colon = _bare_colon(text)
    if 0 <= colon <= 20 and (idx < 0 or colon < idx) and colon + 1 < len(text):
        idx = colon
    if idx < 0:
        return text.rstrip("。；;，,：: "), ""
    return text[:idx].strip(), text[idx + 1:].strip()
