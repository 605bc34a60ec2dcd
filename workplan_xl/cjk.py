"""Small pure functions for Chinese text in spreadsheets and file systems."""

from __future__ import annotations

import math
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def display_width(text: str) -> int:
    """Columns a string takes in a monospaced grid: full-width and wide characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


# How 11 pt 宋体 text fills a column, in Excel's column-width unit (the width of "0" in the default
# font, 7 px at 96 dpi): (wide character, narrow character, the cell's margins). LibreOffice 7.4 with
# Noto CJK standing in for 宋体 (as on Linux), measured through UNO: a column w wide holds (w - 1) // 2
# CJK characters and about (w - 1) / 1.36 digits on a line. Excel and WPS with SimSun: a CJK glyph is
# 15 px (2.14 units), a digit 7.5 px, the margins a few pixels. A text's lines are the most either gives.
# Slim characters (space, - : . / , and the like) take about half a digit in both. LibreOffice also
# puts a little space between Chinese and Latin or digits ("10月" needs a column 7 wide, not 6).
WRAP_METRICS = ((2.0, 1.4, 1.0), (2.15, 1.1, 0.3))
SLIM_UNITS = (0.75, 0.6)
_SLIM = frozenset(" -:./,;'|!()[]ilI1")
WIDE_UNITS = 2.15  # the widest a character prints, for quick "surely one line" tests


def wide_count(text: str) -> int:
    """Characters of ``text`` that are full width (CJK, full-width punctuation)."""
    return sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))


_DROP_SLIM = dict.fromkeys(map(ord, _SLIM))


def slim_count(text: str) -> int:
    """Characters of ``text`` in _SLIM (a C-speed count: 明细 measures many rows)."""
    return len(text) - len(text.translate(_DROP_SLIM))


TRANSITION_UNITS = (0.5, 0.0)  # per change between Chinese and Latin/digits, in each of WRAP_METRICS


def transitions(text: str) -> int:
    """How often ``text`` changes between full-width and other characters."""
    flags = [unicodedata.east_asian_width(ch) in ("W", "F") for ch in text]
    return sum(1 for a, b in zip(flags, flags[1:], strict=False) if a != b)


def wrapped_line_count(length: int, wide: int, width: float, slim: int = 0, changes: int = 0) -> int:
    """Lines one paragraph of ``length`` characters (``wide`` of them full width) takes in a wrapped
    column ``width`` wide, the most of WRAP_METRICS; a line breaks a character early now and then
    (，。 may not start a line), hence one unit spare once the text wraps."""
    lines = 1
    for (wide_units, narrow_units, margin), slim_units, change_units in zip(WRAP_METRICS, SLIM_UNITS,
                                                                             TRANSITION_UNITS, strict=True):
        shown = wide * wide_units + (length - wide - slim) * narrow_units + slim * slim_units + changes * change_units
        room = max(width - margin, 1.0)
        if shown > room:
            lines = max(lines, math.ceil((shown + 1.0) / room))
    return lines


def column_width(values: list[str], minimum: float = 6, maximum: float = 60) -> float:
    """An Excel column width (in character units) that fits the widest line among ``values``.

    xlsxwriter's autofit gives every non-ASCII character one narrow slot, so Chinese columns come
    out half as wide as they need to be; this counts display width instead.
    """
    widest = max((display_width(line) for v in values for line in str(v).splitlines()), default=0)
    return float(min(max(widest + 2, minimum), maximum))


def clean_text(text: str) -> str:
    """Remove control characters and lone surrogates (they break XML writers and viewers)."""
    return _CONTROL.sub("", text)


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def safe_sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A worksheet name Excel accepts: ≤ 31 characters, none of []:*?/\\, no edge quotes, unique
    ignoring case within ``taken`` (long Chinese unit names collide after truncation: 名称(2))."""
    base = _SHEET_BAD.sub("_", clean_text(name)).strip().strip("'").strip() or "Sheet"
    base = base[:31]
    taken_lower = {t.lower() for t in (taken or set())}
    candidate, n = base, 2
    while candidate.lower() in taken_lower:
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


_FILE_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(name: str, max_length: int = 80) -> str:
    """A file name every Windows, macOS and Linux desktop accepts; full-width characters are kept
    (they are legal), characters Windows refuses become '_', trailing dots and spaces go."""
    cleaned = _FILE_BAD.sub("_", clean_text(name)).strip().rstrip(". ")
    cleaned = re.sub(r"\s+", " ", cleaned)
    if len(cleaned) > max_length:  # shortened in the stem: the extension says what the file is
        stem, dot, suffix = cleaned.rpartition(".")
        keep = dot and 0 < len(suffix) <= 10 and " " not in suffix and len(suffix) + 2 <= max_length
        cleaned = stem[:max_length - len(suffix) - 1].rstrip(". ") + "." + suffix if keep else cleaned[:max_length]
    cleaned = cleaned.rstrip(". ")
    if not cleaned or cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = "_" + cleaned
    return cleaned


# -- values typed by hand into a return ------------------------------------------------------------
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋％：／　", "0123456789.,-+%:/ ")
_APPROX_BEFORE = ("大约", "约为", "约", "近", "接近", "超过", "逾")
_APPROX_AFTER = ("左右", "上下", "以上", "余", "多")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def _chinese_number(text: str) -> float | None:
    """九十五, 三百二十, 一千零五, 2万, 九十五点五 → the number; None when the text is not one."""
    whole, _, decimals = text.partition("点")
    if not whole or any(c not in _CN_DIGIT for c in decimals):
        return None
    total, section, digit = 0, 0, None
    for ch in whole:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch.isdigit() and ch.isascii():
            digit = (digit or 0) * 10 + int(ch)
        elif ch in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    if not any(c in _CN_DIGIT or c in _CN_UNIT or c == "万" for c in whole):
        return None  # plain digits are for _NUMBER
    value = total + section + (digit or 0)
    return float(f"{value}.{''.join(str(_CN_DIGIT[c]) for c in decimals)}") if decimals else float(value)


def round_half_up(value: float, digits: int = 2) -> float:
    """Round as people and Excel's number formats do (95.125 → 95.13, 2.675 → 2.68), not as Python's
    round() does (banker's rounding on the binary value: 95.12, 2.67). The report, the notices and
    汇总.xlsx all print figures through this, so they agree to the last digit."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def number_text(value: float) -> str:
    """A number as a person writes it: 95 not 95.0, 0.5 not 5e-01."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else f"{value:.10g}"


def parse_number(value: object) -> tuple[float, str]:
    """A number typed by hand → (number, note). The note says how the text was read ("「约95」按95计");
    raises ValueError for text that is not a number."""
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(value)
        return float(value), ""
    original = clean_text(str(value)).strip()
    text = original.translate(_FULL_WIDTH).replace(" ", "").replace("\u00a0", "")
    for word in _APPROX_BEFORE:
        if text.startswith(word):
            text = text[len(word):]
            break
    for word in _APPROX_AFTER:
        if text.endswith(word):
            text = text[: -len(word)]
            break
    text = text.removesuffix("%")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        chinese = _chinese_number(text)
        if chinese is None:
            raise ValueError(original)
        return chinese, f"「{original}」按{number_text(chinese)}计"
    number = float(text)
    note = "" if text == original else f"「{original}」按{number_text(number)}计"
    return number, note


_DAY = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$")
_MONTH = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?(?:份|底|末)?$")
_EXCEL_EPOCH_ORDINAL = 693594  # date(1899, 12, 30).toordinal(): Excel's day 0 (after its 1900 leap bug)


def parse_date(value: object) -> tuple[str, str]:
    """A date typed by hand → (ISO text, note): 2024年3月15日, 2024.3.15, 2024/3/15, an Excel serial
    number → 2024-03-15; 2024年3月 → 2024-03. Raises ValueError for anything else."""
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date().isoformat(), ""
    if isinstance(value, datetime.date):
        return value.isoformat(), ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 20000 <= value < 80000:  # 1954 … 2119: anything else is not a date someone meant
            raise ValueError(value)
        day = datetime.date.fromordinal(_EXCEL_EPOCH_ORDINAL + int(value)).isoformat()
        return day, f"「{number_text(float(value))}」是 Excel 日期序号，按{day}计"
    original = clean_text(str(value)).strip()
    text = original.translate(_FULL_WIDTH)
    if match := _DAY.match(text):
        iso = datetime.date(*(int(g) for g in match.groups())).isoformat()
    elif match := _MONTH.match(text):
        year, month = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            raise ValueError(original)
        iso = f"{year:04d}-{month:02d}"
    else:
        raise ValueError(original)
    return iso, ("" if iso == original else f"「{original}」按{iso}计")
