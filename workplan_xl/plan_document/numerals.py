"""Character-level helpers shared by the fact finders: width folding and Chinese numerals.

``fold`` keeps the string's length, so a match found in the folded text can be cut out of the
original text at the same offsets ("as written" spans).
"""

from __future__ import annotations

import re

# Full-width ASCII (！…～) to half-width, ideographic and no-break spaces to a plain space.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: 0x20})


def fold(text: str) -> str:
    """Full-width digits, letters, %, brackets and punctuation to ASCII; same length as ``text``."""
    return text.translate(_FOLD)


CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
CN_NUM = "零〇一二两三四五六七八九十"


def cn_int(token: str) -> int | None:
    """'12', '十二', '二十', '九' → int; None when the token is not a small number (< 100)."""
    token = token.strip()
    if not token:
        return None
    if token.isdigit():
        return int(token)
    if any(ch not in CN_NUM for ch in token):
        return None
    if "十" not in token:
        return CN_DIGITS[token] if len(token) == 1 else None
    tens, _, ones = token.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    value = (CN_DIGITS.get(tens, 0) if tens else 1) * 10
    return value + (CN_DIGITS.get(ones, 0) if ones else 0)


# A month number as written: 1–12 in digits or Chinese numerals.
MONTH_NUM = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"


def month_int(token: str) -> int | None:
    value = cn_int(token)
    return value if value is not None and 1 <= value <= 12 else None


_CJK = r"\u3400-\u9fff"
_INNER_SPACE = re.compile(rf"(?<=[{_CJK}，。、；：（）《》“”])\s+|\s+(?=[{_CJK}，。、；：（）《》“”])")


def squeeze(text: str) -> str:
    """Drop whitespace that touches a CJK character (PDF justification, joined page breaks) and
    collapse the rest: '督 导' → '督导', '达到 50%' → '达到50%', 'A B' stays."""
    return re.sub(r"\s+", " ", _INNER_SPACE.sub("", text)).strip()
