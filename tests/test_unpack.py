"""Mail (.eml) and archives (.zip) in the returns folder: each attachment and member is a return whose
source says where it came from, the same forms collect to the same values as when saved loose, and
hostile archives (bombs, lies about sizes, traversal, nesting, passwords, RAR/7z/.msg) cost only
themselves. Nothing is ever written into the returns folder."""

from __future__ import annotations

import base64
import io
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path
from urllib.parse import quote

from click.testing import CliRunner
from test_collect import Kit, kit, sheet_rows, snapshot  # noqa: F401 - kit is a fixture
from test_returns import fill

from workplan_xl.cli import cli
from workplan_xl.collect import collect_returns
from workplan_xl.returns.sniff import OLE2


def mail(subject_header: bytes, sender: bytes, attachments: list[tuple[bytes, bytes]],
         date: bytes = b"Mon, 02 Dec 2024 09:30:00 +0800") -> bytes:
    """An .eml as a mail client saves it: headers as given (already encoded), base64 attachments
    whose Content-Disposition line is given whole."""
    boundary = b"----=_Part_0_wpx"
    lines = [b"Received: from mx.example.cn", b"From: " + sender, b"To: duban@example.cn",
             b"Subject: " + subject_header, b"Date: " + date, b"MIME-Version: 1.0",
             b'Content-Type: multipart/mixed; boundary="' + boundary + b'"', b"",
             b"--" + boundary, b"Content-Type: text/plain; charset=GB2312", b"Content-Transfer-Encoding: base64", b"",
             base64.encodebytes("您好，附件是我校的回表。".encode("gb2312")).strip()]
    for disposition, data in attachments:
        lines += [b"--" + boundary, b"Content-Type: application/octet-stream", b"Content-Transfer-Encoding: base64",
                  disposition, b"", base64.encodebytes(data).strip()]
    lines += [b"--" + boundary + b"--", b""]
    return b"\r\n".join(lines)


def b_word(text: str, charset: str = "gb2312", label: str = "") -> bytes:
    return f"=?{label or charset}?B?{base64.b64encode(text.encode(charset)).decode()}?=".encode()


def gbk_zip(members: dict[str, bytes]) -> bytes:
    """A zip as Windows' 发送到→压缩文件夹 and Chinese tools write it: GBK names, no UTF-8 flag."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        placeholders = {}
        for n, (name, data) in enumerate(members.items()):
            raw = name.encode("gbk")
            placeholder = f"{n:02d}".encode() + b"P" * (len(raw) - 2)
            placeholders[placeholder] = raw
            archive.writestr(placeholder.decode(), data)
    data = buffer.getvalue()
    for placeholder, raw in placeholders.items():
        assert data.count(placeholder) == 2  # local header and central directory
        data = data.replace(placeholder, raw)
    return data


def utf8_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def as_loose_and_packed(kit: Kit, tmp_path: Path) -> tuple[Path, Path]:  # noqa: F811
    """The same three filled forms, once saved loose, once as they arrive by mail and in archives."""
    loose, packed = tmp_path / "散装 回表", tmp_path / "邮件 回表"
    loose.mkdir()
    packed.mkdir()
    data = {code: path.read_bytes() for code, path in kit.returns.items()}
    for path in kit.returns.values():
        shutil.copy2(path, loose / path.name)
    # 1001: Foxmail-style mail, a subject in RFC 2047 labelled GB2312 holding a GBK-only character (as
    # mail clients write it), an RFC 2231 GBK attachment name
    name = "1001第一中学回表.xlsx"
    disposition = b"Content-Disposition: attachment; filename*=gbk''" + quote(name.encode("gbk")).encode()
    (packed / "回表 第一中学.eml").write_bytes(
        mail(b_word("第一中学（堃）：2024年督导回表", "gbk", label="GB2312"), b_word("第一中学", "gbk") + b" <yizhong@school.example.cn>",
             [(disposition, data["1001"])]))
    # 1002: a zip packed on Windows with GBK member names inside a sub-folder
    (packed / "二中.zip").write_bytes(gbk_zip({"二中材料/1002回表.xlsx": data["1002"]}))
    # 1003: a web mailbox's 打包下载 attached to a mail whose headers, the attachment's name too, are raw GBK bytes
    inner = utf8_zip({"附件/1003回表.xlsx": data["1003"], "附件/照片.png": b"\x89PNG\r\n\x1a\n" + bytes(64)})
    disposition = b'Content-Disposition: attachment; filename="' + "打包下载.zip".encode("gbk") + b'"'
    (packed / "mail3").write_bytes(
        mail("实验小学回表".encode("gbk"), b"shiyan@school.example.cn", [(disposition, inner)]))
    return loose, packed


def state_of(result) -> tuple:  # noqa: ANN001
    entries = [(e.unit_code, e.item_id, e.field, e.value, e.note) for e in result.state.entries]
    return entries, [(u.unit.code, u.state) for u in result.state.units]


def test_mail_and_archives_collect_to_the_same_values_as_loose_files(kit: Kit, tmp_path: Path) -> None:  # noqa: F811
    loose, packed = as_loose_and_packed(kit, tmp_path)
    before = snapshot(packed)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = collect_returns(kit.master, [loose], output=tmp_path / "a" / "汇总.xlsx", db=tmp_path / "a" / "台账.db")
    b = collect_returns(kit.master, [packed], output=tmp_path / "b" / "汇总.xlsx", db=tmp_path / "b" / "台账.db")
    assert state_of(a) == state_of(b)
    assert len(a.state.entries) > 10
    for sheet in ("任务汇总", "指标汇总"):
        assert sheet_rows(tmp_path / "a" / "汇总.xlsx", sheet) == sheet_rows(tmp_path / "b" / "汇总.xlsx", sheet)
    assert b.exit_code == 0 and b.state.problems == []
    # where each return came from, with the sender's address, is in the ledger
    with sqlite3.connect(tmp_path / "b" / "台账.db") as db:
        rows = sorted(db.execute("SELECT file_name, unit_code, status FROM submissions"))
    assert rows == [
        ("压缩包 二中.zip 中的 二中材料/1002回表.xlsx", "1002", "accepted"),
        ("邮件《实验小学回表》（shiyan@school.example.cn）的附件 打包下载.zip 中的 附件/1003回表.xlsx", "1003", "accepted"),
        ("邮件《实验小学回表》（shiyan@school.example.cn）的附件 打包下载.zip 中的 附件/照片.png", "", "skipped"),
        ("邮件《第一中学（堃）：2024年督导回表》（yizhong@school.example.cn）的附件 1001第一中学回表.xlsx", "1001", "accepted"),
    ]
    # nothing was unpacked beside the inputs, and a second run reads nothing again
    assert snapshot(packed) == before
    again = collect_returns(kit.master, [packed], output=tmp_path / "b" / "汇总.xlsx", db=tmp_path / "b" / "台账.db")
    assert (again.read, again.known) == (0, 4) and state_of(again) == state_of(b)


def test_a_return_loose_and_in_a_mail_is_one_return(kit: Kit, tmp_path: Path) -> None:  # noqa: F811
    loose, packed = as_loose_and_packed(kit, tmp_path)
    for path in packed.iterdir():
        shutil.move(path, loose / path.name)
    result = collect_returns(kit.master, [loose], output=tmp_path / "汇总.xlsx", db=tmp_path / "台账.db")
    assert result.duplicates == 3 and result.exit_code == 0


def encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' bit of every member (the bytes stay readable, as a tool would see them)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            out[start + offset] |= 0x01
            start += 4
    return bytes(out)


def lying_sizes(data: bytes) -> bytes:
    """A member that declares 100 bytes and inflates to a megabyte."""
    out = bytearray(data)
    start = out.find(b"PK\x01\x02")
    out[start + 24:start + 28] = (100).to_bytes(4, "little")  # uncompressed size in the central directory
    return bytes(out)


def deflate64(data: bytes) -> bytes:
    """Members marked as Deflate64 (method 9), as Windows writes large zips."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            out[start + offset:start + offset + 2] = (9).to_bytes(2, "little")
            start += 4
    return bytes(out)


def nested(data: bytes, depth: int) -> bytes:
    for n in range(depth):
        data = utf8_zip({f"第{n}层.zip": data})
    return data


def test_hostile_archives_and_mail_cost_only_themselves(kit: Kit, tmp_path: Path) -> None:  # noqa: F811
    form = kit.returns["1001"].read_bytes()
    outside = tmp_path / "逃逸.xlsx"
    folder = tmp_path / "回表"
    folder.mkdir()
    fill(kit.forms["1004"], tmp_path / "1004.xlsx")
    (folder / "穿越.zip").write_bytes(utf8_zip({"../../逃逸.xlsx": (tmp_path / "1004.xlsx").read_bytes()}))
    (folder / "加密.zip").write_bytes(encrypted(utf8_zip({"1001回表.xlsx": form})))
    (folder / "炸弹.zip").write_bytes(utf8_zip({"1002回表.xlsx": bytes(19 * 1024 * 1024)}))
    (folder / "撒谎.zip").write_bytes(lying_sizes(utf8_zip({"1003回表.xlsx": bytes(1024 * 1024)})))
    (folder / "套娃.zip").write_bytes(nested(utf8_zip({"1005回表.xlsx": form}), 4))
    (folder / "全部回表.rar").write_bytes(b"Rar!\x1a\x07\x01\x00" + bytes(100))
    (folder / "打包.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + bytes(100))
    (folder / "邮件.msg").write_bytes(OLE2 + bytes(500) + "__substg1.0_0037001F".encode("utf-16-le") + bytes(500))
    (folder / "空邮件.eml").write_bytes(mail(b"no attachment", b"a@b.cn", []))
    (folder / "大压缩包.zip").write_bytes(deflate64(utf8_zip({"1002回表.xlsx": form})))
    (folder / "回表.tar.gz").write_bytes(b"\x1f\x8b\x08\x00" + bytes(100))
    (folder / "outlook.eml").write_bytes(mail(b"RTF mail", b"c@d.cn", [
        (b'Content-Disposition: attachment; filename="winmail.dat"', b"\x78\x9f\x3e\x22" + bytes(200))]))
    before = snapshot(folder)

    result = CliRunner().invoke(cli, ["collect", str(kit.master), str(folder), "-o", str(tmp_path / "汇总.xlsx"),
                                      "--db", str(tmp_path / "台账.db")])
    assert result.exit_code == 3, result.output
    assert not outside.exists() and snapshot(folder) == before
    problems = {(r[0], re.sub(r"（\d+ 倍", "（N 倍", r[3])) for r in sheet_rows(tmp_path / "汇总.xlsx", "问题清单")}
    assert problems == {
        ("压缩包 加密.zip 中的 1001回表.xlsx", "「压缩包 加密.zip 中的 1001回表.xlsx」加了密码，无法读取"),
        ("压缩包 炸弹.zip 中的 1002回表.xlsx", "「压缩包 炸弹.zip 中的 1002回表.xlsx」压缩比异常（N 倍，疑似“压缩炸弹”），为安全起见未读取"),
        ("压缩包 撒谎.zip 中的 1003回表.xlsx",
         "「压缩包 撒谎.zip 中的 1003回表.xlsx」已损坏，无法读取"),
        ("压缩包 套娃.zip 中的 第3层.zip 中的 第2层.zip 中的 第1层.zip",
         "「压缩包 套娃.zip 中的 第3层.zip 中的 第2层.zip 中的 第1层.zip」是套了 4 层的压缩包或邮件，为安全起见未打开"),
        ("全部回表.rar", "压缩包「全部回表.rar」是 RAR 格式，wpx 不能直接读取其中的文件"),
        ("打包.7z", "压缩包「打包.7z」是 7z 格式，wpx 不能直接读取其中的文件"),
        ("邮件.msg", "文件「邮件.msg」是 Outlook 邮件（.msg），wpx 不能直接读取其中的附件"),
        ("空邮件.eml", "邮件《no attachment》（a@b.cn）（文件「空邮件.eml」）没有附件"),
        ("压缩包 大压缩包.zip 中的 1002回表.xlsx",
         "「压缩包 大压缩包.zip 中的 1002回表.xlsx」的压缩方式不受支持"),
        ("回表.tar.gz", "压缩包「回表.tar.gz」是 gzip/tar 格式，wpx 不能直接读取其中的文件"),
        ("邮件《RTF mail》（c@d.cn）的附件 winmail.dat",
         "「邮件《RTF mail》（c@d.cn）的附件 winmail.dat」是 Outlook 打包的 winmail.dat，wpx 不能直接读取其中的附件"),
    }
    # the traversal member is read as a return of its own, under its base name, and nothing escaped
    status = CliRunner().invoke(cli, ["status", str(kit.master), "--db", str(tmp_path / "台账.db")])
    assert "已报（1）：" in status.stdout and "（1004）" in status.stdout.split("已报（1）：")[1]
