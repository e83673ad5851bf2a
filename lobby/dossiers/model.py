"""What a dossier is: its code, its states, the plain record the core hands out, and the errors about it.

A dossier (*hồ sơ*) is received at a counter with the code the one-stop system gave it
and a promised moment (*hẹn trả*). ``received → ready → returned``; a dossier still not
ready when its promise passes is ``overdue`` (and becomes ``ready`` when it is).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from lobby.errors import LobbyError

CODE_MAX = 64


class DossierState(StrEnum):
    RECEIVED = "received"
    READY = "ready"
    OVERDUE = "overdue"
    RETURNED = "returned"


#: States whose result the citizen cannot collect yet.
NOT_READY: frozenset[DossierState] = frozenset({DossierState.RECEIVED, DossierState.OVERDUE})

STATE_NAMES: dict[str, tuple[str, str]] = {
    DossierState.RECEIVED: ("Đang giải quyết", "In progress"),
    DossierState.READY: ("Đã có kết quả", "Result ready"),
    DossierState.OVERDUE: ("Trễ hẹn", "Overdue"),
    DossierState.RETURNED: ("Đã trả kết quả", "Result collected"),
}


def state_name(state: str, lang: str = "vi") -> str:
    vi, en = STATE_NAMES.get(state, (state, state))
    return en if lang == "en" else vi


class DossierError(LobbyError):
    """A dossier command refused: what is wrong and what to do, in both languages."""


class BadDossierCode(DossierError):
    def __init__(self, code: str) -> None:
        shown = code if len(code) <= 80 else code[:77] + "…"
        super().__init__(
            f"Mã hồ sơ {shown!r} không hợp lệ: cần 1 đến {CODE_MAX} ký tự in được, không chứa dấu xuống dòng.",
            f"Dossier code {shown!r} is not valid: it must be 1 to {CODE_MAX} printable characters on one line.")


class DossierNotFound(DossierError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"Không có hồ sơ mã {code}. Kiểm tra lại mã trên giấy hẹn, hoặc tiếp nhận hồ sơ trước (lobby dossier add).",
            f"No dossier {code}. Check the code on the receipt, or receive the dossier first (lobby dossier add).")
        self.code = code


class DossierExists(DossierError):
    def __init__(self, code: str, received: str) -> None:
        super().__init__(
            f"Hồ sơ {code} đã được tiếp nhận lúc {received}; không tiếp nhận lại. Xem: lobby dossier show {code}.",
            f"Dossier {code} was already received at {received}; it is not received twice. "
            f"See: lobby dossier show {code}.")


class DossierStateError(DossierError):
    def __init__(self, code: str, state: str, vi: str, en: str) -> None:
        super().__init__(
            f"Hồ sơ {code} đang ở trạng thái «{state_name(state)}»: {vi}",
            f"Dossier {code} is {state_name(state, 'en').lower()}: {en}")


class BadPromise(DossierError):
    """A promised date that cannot be right (malformed, or before the dossier was received)."""


def normalise_code(raw: str) -> str:
    """Trimmed and upper-cased; 1 to 64 printable characters (a scanner's trailing CR/LF is trimmed too)."""
    code = raw.strip().upper()
    if not code or len(code) > CODE_MAX or not code.isprintable():
        raise BadDossierCode(raw.strip())
    return code


SCAN_MAX = 512  # what an entry field takes from a scanner (a portal address with the code in it)
SCAN_KEYS = ("mahoso", "ma_ho_so", "ma-ho-so", "hoso", "code", "ma", "id")


def code_from_scan(raw: str) -> str:
    """What a scanner typed, as a dossier code: a receipt's QR code may hold a web address of the one-stop
    portal (``https://dichvucong…/tra-cuu?maHoSo=000.00.19.H61-231128-0012``) rather than the bare code;
    then the code is its ``maHoSo``-like parameter, or its last path segment."""
    text = raw.strip()
    if not text.lower().startswith(("http://", "https://")):
        return text
    parts = urlsplit(text)
    for key, values in parse_qs(parts.query).items():
        if key.lower() in SCAN_KEYS and values and values[0].strip():
            return values[0].strip()
    segments = [s for s in parts.path.split("/") if s]
    return unquote(segments[-1]) if segments else text


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


@dataclass(frozen=True)
class DossierInfo:
    """A dossier as the apps see it, detached from the store. ``state`` is the state *now*: a dossier
    whose promise has passed while not ready reads ``overdue`` even before anything recorded so."""

    code: str
    service: str
    service_name_vi: str
    service_name_en: str
    state: DossierState
    received_at: datetime
    promised_at: datetime
    first_promised_at: datetime
    ready_at: datetime | None
    returned_at: datetime | None
    ticket: str | None
    staff: str | None
    counter: int | None
    reschedules: int

    @property
    def late(self) -> bool:
        """The first promise was not kept (so far): ready after it, or still not ready past it."""
        return self.ready_at is not None and self.ready_at > self.first_promised_at or (
            self.state == DossierState.OVERDUE)

    def service_name(self, lang: str = "vi") -> str:
        return (self.service_name_en or self.service_name_vi) if lang == "en" else self.service_name_vi

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "service": self.service,
            "service_name": self.service_name_vi,
            "state": str(self.state),
            "received_at": _iso(self.received_at),
            "promised_at": _iso(self.promised_at),
            "first_promised_at": _iso(self.first_promised_at),
            "ready_at": _iso(self.ready_at),
            "returned_at": _iso(self.returned_at),
            "ticket": self.ticket,
            "staff": self.staff,
            "counter": self.counter,
            "reschedules": self.reschedules,
        }
