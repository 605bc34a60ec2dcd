"""What wpx serve keeps beside the master workbook (台账.网页填报.json, readable by its owner only):
the secret that signs sessions and CSRF tokens, one link token per unit and the office password's
hash. Tokens are 128-bit or more (secrets.token_urlsafe), compared in constant time, and a unit's link
is revoked by giving it a new one. The password is kept only as a scrypt hash."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from workplan_xl.errors import InputFileError, OutputError, refuse_special_file
from workplan_xl.plan import Unit

TOKEN_BYTES = 24  # 192 bits
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def settings_path(master: Path) -> Path:
    return Path(master).with_name(Path(master).stem + ".网页填报.json")


@dataclass
class Settings:
    path: Path
    secret: str = ""
    tokens: dict[str, str] = field(default_factory=dict)  # unit code → token
    password: dict[str, str | int] = field(default_factory=dict)  # scrypt salt, hash and cost
    url: str = ""  # the address units open, as last given to wpx serve (for the links in the forms)

    @classmethod
    def load(cls, path: Path) -> Settings:
        refuse_special_file(path, "网页填报设置", "网页填报设置文件")  # reading a named pipe would wait for ever
        if not path.exists():
            return cls(path, secret=secrets.token_urlsafe(32))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, secret=data["secret"], tokens=dict(data.get("tokens", {})),
                       password=dict(data.get("password", {})), url=str(data.get("url", "")))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InputFileError(f"「{path.name}」已损坏，无法读取：请把它移走后重新运行 wpx serve（各单位的链接会换新，"
                                 "需要重新发给各单位）。") from None

    def save(self) -> None:
        text = json.dumps({"secret": self.secret, "tokens": self.tokens, "password": self.password, "url": self.url},
                          ensure_ascii=False, indent=1)
        temp = self.path.with_name(self.path.name + ".tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, self.path)
        except OSError as error:
            raise OutputError(f"无法保存「{self.path}」（{error.strerror or error}）：请确认该文件夹可以写入。") from None

    # -- unit links ----------------------------------------------------------------------------
    def ensure_tokens(self, units: list[Unit]) -> bool:
        """Give every unit without a link one; True when something changed."""
        changed = False
        for unit in units:
            if unit.code not in self.tokens:
                self.tokens[unit.code] = secrets.token_urlsafe(TOKEN_BYTES)
                changed = True
        return changed

    def renew(self, code: str) -> None:
        self.tokens[code] = secrets.token_urlsafe(TOKEN_BYTES)

    def unit_for(self, token: str) -> str | None:
        """The unit whose link this is; every stored token is compared, in constant time."""
        found = None
        for code, known in self.tokens.items():
            if hmac.compare_digest(known.encode(), token.encode("utf-8", "replace")):
                found = code
        return found

    # -- the office password -------------------------------------------------------------------
    def set_password(self, password: str) -> None:
        salt = secrets.token_bytes(16)
        digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
        self.password = {"scheme": "scrypt", "salt": salt.hex(), "hash": digest.hex(), "n": _SCRYPT["n"]}

    def check_password(self, password: str) -> bool:
        if not self.password:
            return False
        digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(str(self.password["salt"])),
                                n=int(self.password["n"]), r=8, p=1, dklen=32)
        return hmac.compare_digest(digest.hex(), str(self.password["hash"]))


def write_links(units: list[Unit], settings: Settings, base_url: str, path: Path,
                moved: list[Path] | None = None) -> Path:
    """The unit links as a CSV the officer can mail-merge (UTF-8 with BOM, so Excel and WPS read the
    Chinese names). The officer may have edited the old one (added notes for the mail merge): it goes to
    备份/ beside it unless the bytes are the same, and ``moved`` is told where."""
    from workplan_xl.outputs import replace_output

    temporary = path.with_name(f"{path.stem}.wpx-tmp{path.suffix}")
    try:
        with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["单位代码", "单位名称", "联系人", "电话", "填报链接"])
            for unit in units:
                writer.writerow([unit.code, unit.name, unit.contact, unit.phone, unit_link(base_url, settings, unit.code)])
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"无法写入「{path}」（{error.strerror or error}）：请检查文件夹是否可写后重试。") from None
    backup = replace_output(temporary, path)
    if backup is not None and moved is not None:
        moved.append(backup)
    return path


def read_links(master: Path) -> dict[str, str]:
    """Each unit's link, once wpx serve has made them (for 填报说明 in the forms); {} before that."""
    path = settings_path(master)
    if not path.exists():
        return {}
    settings = Settings.load(path)
    return {code: unit_link(settings.url, settings, code) for code in settings.tokens} if settings.url else {}


def unit_link(base_url: str, settings: Settings, code: str) -> str:
    return f"{base_url.rstrip('/')}/u/{settings.tokens[code]}"
