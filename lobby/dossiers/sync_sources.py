"""Reading "this result is ready" from the one-stop system: a CSV drop folder or an HTTP JSON endpoint.

Both turn what they read into a :class:`Batch` with the same rules (``parse_records``):
a payload that cannot be read as a whole (unreachable, not JSON, no list where the mapping
says, a CSV without the mapped columns, not UTF-8) raises :class:`SyncError` and nothing
of it is used; within a readable payload, each record stands alone: one without a code or
a state, or with a ready time that cannot be read, is skipped and reported, never marked.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lobby.clock import as_utc
from lobby.config.dossiers import DossierSyncConfig
from lobby.config.paths import PROJECT_ROOT
from lobby.dossiers.model import BadDossierCode, normalise_code
from lobby.errors import LobbyError

MAX_BYTES = 20 * 1024 * 1024  # a drop file or a response larger than this is refused, not read into memory
FUTURE_SLACK = timedelta(minutes=5)  # clocks differ a little; a ready time further ahead is wrong data
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


class SyncError(LobbyError):
    """A whole payload could not be used (nothing of it was marked)."""


@dataclass(frozen=True)
class ReadyRecord:
    code: str
    ready_at: datetime | None  # None: "ready now"


@dataclass
class Batch:
    origin: str
    ready: list[ReadyRecord] = field(default_factory=list)
    not_ready: int = 0
    problems: list[str] = field(default_factory=list)


def parse_time(text: str, tz: ZoneInfo) -> datetime:
    """ISO 8601 (``2026-12-03T10:15``, with or without an offset) or ``03/12/2026 10:15``; local when no offset."""
    raw = text.strip()
    m = _DMY.match(raw)
    if m:
        d, mo, y, hh, mm, ss = (int(g) if g else 0 for g in m.groups())
        stamp = datetime(y, mo, d, hh, mm, ss)
    else:
        stamp = datetime.fromisoformat(raw)
    return stamp.replace(tzinfo=tz) if stamp.tzinfo is None else stamp


def parse_records(items: Iterable[Any], src: DossierSyncConfig, origin: str, tz: ZoneInfo, now: datetime) -> Batch:
    """The records of one readable payload; ``items`` are mappings (CSV rows or JSON objects)."""
    batch = Batch(origin)
    ready_values = {v.strip().casefold() for v in src.ready_values}
    for n, item in enumerate(items, start=1):
        where = f"{origin}: record {n}"
        if not isinstance(item, Mapping):
            batch.problems.append(f"{where}: not an object with fields; skipped")
            continue
        code_raw, state_raw = item.get(src.code_field), item.get(src.state_field)
        if not isinstance(code_raw, (str, int)) or not str(code_raw).strip():
            batch.problems.append(f"{where}: no {src.code_field!r}; skipped")
            continue
        try:
            code = normalise_code(str(code_raw))
        except BadDossierCode:
            batch.problems.append(f"{where}: {src.code_field!r} is not a dossier code (1 to 64 characters); skipped")
            continue
        if not isinstance(state_raw, (str, int)) or not str(state_raw).strip():
            batch.problems.append(f"{where} ({code}): no {src.state_field!r}; skipped")
            continue
        if str(state_raw).strip().casefold() not in ready_values:
            batch.not_ready += 1
            continue
        ready_at = None
        if src.ready_at_field:
            if src.ready_at_field not in item or item[src.ready_at_field] is None:
                batch.problems.append(f"{where} ({code}): no {src.ready_at_field!r} column; skipped")
                continue
            value = str(item[src.ready_at_field]).strip()
            if value:
                try:
                    ready_at = as_utc(parse_time(value, tz))
                except ValueError:
                    batch.problems.append(f"{where} ({code}): {src.ready_at_field!r} {value!r} is not a date and "
                                          "time (ISO 8601 or dd/mm/yyyy HH:MM); skipped")
                    continue
                if ready_at > as_utc(now) + FUTURE_SLACK:
                    batch.problems.append(
                        f"{where} ({code}): {src.ready_at_field!r} {value!r} is in the future; skipped")
                    continue
        batch.ready.append(ReadyRecord(code, ready_at))
    return batch


def _path(folder: str) -> Path:
    p = Path(folder)
    return p if p.is_absolute() else PROJECT_ROOT / p


class CsvDrop:
    """``*.csv`` files the other system drops in a folder. Each is read once, then moved to ``processed/``
    (or, unreadable, to ``rejected/`` with a ``.error.txt`` beside it): nothing is deleted."""

    def __init__(self, src: DossierSyncConfig) -> None:
        self.src = src
        self.folder = _path(src.folder)

    def pending(self) -> list[Path]:
        if not Path(self.src.folder).is_absolute():
            try:
                self.folder.mkdir(parents=True, exist_ok=True)  # our own var/ folder: made on first use
            except OSError as exc:
                raise SyncError(f"Không tạo được thư mục {self.folder} ({exc.strerror}).",
                                f"Cannot create the folder {self.folder} ({exc.strerror}).") from None
        if not self.folder.is_dir():  # a share that is not mounted, a typo: said, never guessed
            raise SyncError(
                f"Không thấy thư mục nhận tệp hồ sơ {self.folder}: tạo thư mục hoặc sửa dossiers.sync_folder.",
                f"The dossier drop folder {self.folder} does not exist: create it or fix dossiers.sync_folder.")
        return sorted(p for p in self.folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")

    def read(self, path: Path, tz: ZoneInfo, now: datetime) -> Batch:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise SyncError(f"{path.name}: tệp lớn hơn {MAX_BYTES // 2**20} MB.",
                                f"{path.name}: larger than {MAX_BYTES // 2**20} MB.")
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise SyncError(f"{path.name}: không phải văn bản UTF-8; không đánh dấu hồ sơ nào.",
                            f"{path.name}: not UTF-8 text; nothing marked.") from None
        except OSError as exc:
            raise SyncError(f"{path.name}: không đọc được ({exc.strerror}).",
                            f"{path.name}: cannot be read ({exc.strerror}).") from None
        try:
            reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=self.src.delimiter, strict=True)
            header = reader.fieldnames or []
            missing = [f for f in (self.src.code_field, self.src.state_field) if f not in header]
            if missing:
                raise SyncError(
                    f"{path.name}: thiếu cột {', '.join(missing)} (có: {', '.join(header) or 'không có cột nào'}); "
                    "không đánh dấu hồ sơ nào. Kiểm tra dossiers.sync_code_field / sync_state_field.",
                    f"{path.name}: no column {', '.join(missing)} (found: {', '.join(header) or 'none'}); nothing "
                    "marked. Check dossiers.sync_code_field / sync_state_field.")
            rows = list(reader)
        except csv.Error as exc:
            raise SyncError(f"{path.name}: CSV hỏng ({exc}); không đánh dấu hồ sơ nào.",
                            f"{path.name}: broken CSV ({exc}); nothing marked.") from None
        return parse_records(rows, self.src, path.name, tz, now)

    def file_away(self, path: Path, ok: bool, note: list[str]) -> Path:
        target = self.folder / ("processed" if ok else "rejected")
        target.mkdir(exist_ok=True)
        dest = target / path.name
        n = 1
        while dest.exists():
            dest = target / f"{path.stem}.{n}{path.suffix}"
            n += 1
        path.rename(dest)
        if note:
            dest.with_name(dest.name + (".problems.txt" if ok else ".error.txt")).write_text(
                "\n".join(note) + "\n", encoding="utf-8")
        return dest


class HttpJson:
    """An HTTP(S) endpoint answering JSON: a list of records, or an object holding one at ``records_path``."""

    def __init__(self, src: DossierSyncConfig) -> None:
        if not src.url:
            raise SyncError("Chưa đặt dossiers.sync_url cho nguồn http.",
                            "dossiers.sync_url is not set for the http source.")
        self.src = src

    def _request(self) -> urllib.request.Request:
        headers = {"Accept": "application/json", "User-Agent": "lobby-queue dossier sync"}
        if self.src.token_env:
            token = os.environ.get(self.src.token_env)
            if not token:
                raise SyncError(f"Biến môi trường {self.src.token_env} (mã truy cập) chưa được đặt.",
                                f"The environment variable {self.src.token_env} (the access token) is not set.")
            headers["Authorization"] = f"Bearer {token}"
        return urllib.request.Request(self.src.url, headers=headers)

    def fetch(self, tz: ZoneInfo, now: datetime) -> Batch:
        url = self.src.url
        try:
            with urllib.request.urlopen(self._request(), timeout=self.src.timeout_s) as resp:  # noqa: S310 - http(s) only, checked by the config
                body = resp.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise SyncError(f"{url}: máy chủ trả lời lỗi HTTP {exc.code}; không đánh dấu hồ sơ nào.",
                            f"{url}: the server answered HTTP {exc.code}; nothing marked.") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SyncError(f"{url}: không kết nối được ({reason}); không đánh dấu hồ sơ nào, sẽ thử lại.",
                            f"{url}: unreachable ({reason}); nothing marked, will try again.") from None
        if len(body) > MAX_BYTES:
            raise SyncError(f"{url}: câu trả lời lớn hơn {MAX_BYTES // 2**20} MB.",
                            f"{url}: the answer is larger than {MAX_BYTES // 2**20} MB.")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SyncError(f"{url}: câu trả lời không phải JSON ({exc}); không đánh dấu hồ sơ nào.",
                            f"{url}: the answer is not JSON ({exc}); nothing marked.") from None
        for key in filter(None, self.src.records_path.split(".")):
            if not isinstance(data, dict) or key not in data:
                raise SyncError(f"{url}: không có {self.src.records_path!r} trong JSON; "
                                "kiểm tra dossiers.sync_records_path.",
                                f"{url}: no {self.src.records_path!r} in the JSON; check dossiers.sync_records_path.")
            data = data[key]
        if not isinstance(data, list):
            raise SyncError(f"{url}: cần một danh sách hồ sơ, nhận được {type(data).__name__}; "
                            "không đánh dấu hồ sơ nào.",
                            f"{url}: expected a list of records, got {type(data).__name__}; nothing marked.")
        return parse_records(data, self.src, url, tz, now)
