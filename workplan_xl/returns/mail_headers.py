"""What a mail says about itself, in the charsets Chinese mail clients write: attachment names (RFC 2231
and 2047, or raw GBK bytes), subject and sender, and the date sent. The standard library's email
package parses; this decodes what it leaves as bytes or in a charset label Python does not know."""

from __future__ import annotations

import email.errors
import email.header
import email.message
import email.utils

_CHARSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
             "x-euc-cn": "gb18030", "big5": "big5hkscs"}


def attachment_name(part: email.message.Message) -> str:
    """An attachment's file name: Content-Disposition's filename, else Content-Type's name (RFC 2231 or
    2047, or raw 8-bit bytes: the email package would make those U+FFFD, so they are decoded first)."""
    part = _decoded_params(part)
    value = part.get_param("filename", header="content-disposition")
    if value is None:
        value = part.get_param("name")
    if value is None:
        return ""
    if isinstance(value, tuple):  # RFC 2231: (charset, language, percent-decoded text)
        charset, _, text = value
        return _decode(bytes(text, "raw-unicode-escape"), charset).strip()
    return header_text(email.utils.unquote(value)).strip()


def _decoded_params(part: email.message.Message) -> email.message.Message:
    """``part`` itself, or its two parameter headers with raw 8-bit bytes decoded (UTF-8, else GB18030)."""
    raw = [(name, value) for name, value in part.raw_items() if name.lower() in ("content-disposition", "content-type")]
    if not any(isinstance(value, str) and _has_surrogates(value) for _, value in raw):
        return part
    clean = email.message.Message()
    for name, value in raw:
        if isinstance(value, str) and _has_surrogates(value):
            value = _decode(value.encode("ascii", "surrogateescape"), None)
        clean[name] = value
    return clean


def header_text(value: object) -> str:
    """A header's text: RFC 2047 words in any charset (GB2312 read as GB18030), and raw 8-bit bytes
    that some clients put in headers tried as UTF-8, then GB18030."""
    if value is None:
        return ""
    try:
        chunks = email.header.decode_header(value)  # type: ignore[arg-type]
    except (email.errors.HeaderParseError, ValueError):
        chunks = [(str(value), None)]
    parts = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            chunk, charset = chunk.encode("ascii", "surrogateescape") if _has_surrogates(chunk) else chunk, None
            if isinstance(chunk, str):
                parts.append(chunk)
                continue
        parts.append(_decode(chunk, charset))
    return "".join(parts).replace("\r", "").replace("\n", "")


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= c <= "\udcff" for c in text)


def _decode(raw: bytes, charset: str | None) -> str:
    tries = []
    if charset and charset.lower() not in ("unknown-8bit", "us-ascii", "ascii"):
        tries.append(_CHARSETS.get(charset.lower(), charset.lower()))
    for encoding in (*tries, "utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", "replace")


def mail_time(value: object, fallback: float) -> float:
    """The Date header as a timestamp (when the school sent it), else ``fallback``."""
    try:
        return email.utils.parsedate_to_datetime(str(value)).timestamp() if value else fallback
    except (TypeError, ValueError, IndexError, OverflowError):
        return fallback
