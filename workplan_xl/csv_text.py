"""CSV and tab-separated text as Excel, WPS and LibreOffice save it, read into rows of text: UTF-8 (with
or without BOM), UTF-16 ("Unicode 文本", tabs), GBK (Excel on Chinese Windows); CRLF, LF or CR-only line
ends (Excel for Mac's "CSV (Macintosh)"). The standard library's csv module parses; this decides the
encoding and the delimiter. Used for rosters (roster.py) and for returns saved as CSV (returns/)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator


class CsvError(ValueError):
    """The text is not CSV the csv module can parse (an unbalanced quote, a NUL byte)."""


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")  # GBK as Excel writes it; GB18030 is its superset


def text_rows(data: bytes) -> list[list[str]]:
    """The rows of a CSV or tab-separated file's bytes. Raises CsvError."""
    return list(iter_text_rows(data))


def iter_text_rows(data: bytes) -> Iterator[list[str]]:
    """text_rows one row at a time, so a reader with a row cap stops there. Raises CsvError."""
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel_tab if "\t" in sample and "," not in sample else csv.excel
    try:
        yield from csv.reader(io.StringIO(text), dialect)
    except csv.Error as error:
        raise CsvError(str(error)) from None
