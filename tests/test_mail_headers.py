"""mail_headers.py: attachment names, subjects and dates as Chinese mail clients write them."""

from __future__ import annotations

import email
import email.policy

from workplan_xl.returns.mail_headers import attachment_name, header_text, mail_time


def _part(headers: bytes) -> email.message.Message:
    return email.message_from_bytes(headers + b"\r\n\r\nbody")


def test_attachment_names_in_every_way_clients_write_them() -> None:
    # RFC 2231 in GBK (Foxmail), RFC 2047 in GB2312 (Outlook), raw GBK bytes (old webmail), Content-Type's name
    gbk = "实验中学填报表.xlsx".encode("gbk")
    rfc2231 = b"Content-Disposition: attachment; filename*=gbk''" + "".join(f"%{b:02X}" for b in gbk).encode()
    rfc2047 = b'Content-Disposition: attachment; filename="=?gb2312?B?' + __import__("base64").b64encode(gbk) + b'?="'
    raw = b'Content-Disposition: attachment; filename="' + gbk + b'"'
    by_type = b'Content-Type: application/vnd.ms-excel; name="=?utf-8?B?' + __import__("base64").b64encode(
        "实验中学填报表.xlsx".encode()) + b'?="'
    for headers in (rfc2231, rfc2047, raw, by_type):
        assert attachment_name(_part(headers)) == "实验中学填报表.xlsx", headers
    assert attachment_name(_part(b"Content-Type: text/plain")) == ""


def test_subject_and_date() -> None:
    message = email.message_from_bytes(b"Subject: =?GBK?B?" + __import__("base64").b64encode(
        "回复：填报表".encode("gbk")) + b"?=\r\nDate: Thu, 11 Dec 2025 10:00:00 +0800\r\n\r\nbody")
    assert header_text(message.get("Subject")) == "回复：填报表"
    assert mail_time(message.get("Date"), 0.0) == 1765418400.0
    assert mail_time("not a date", 12.5) == mail_time(None, 12.5) == 12.5
    assert header_text(None) == ""
