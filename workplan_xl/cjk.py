"""Small pure functions for Chinese text in spreadsheets and file systems."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def display_width(text: str) -> int:
    """Columns a string takes in a monospaced grid: full-width and wide characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


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
    cleaned = re.sub(r"\s+", " ", cleaned)[:max_length].rstrip(". ")
    if not cleaned or cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = "_" + cleaned
    return cleaned
