"""Plain, detached results the core returns to the apps (no ORM objects leak out)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lobby.vocabulary import TicketState

RATINGS = ("very_satisfied", "satisfied", "not_satisfied")


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


@dataclass(frozen=True)
class TicketInfo:
    id: int
    day: date
    number: str
    seq: int
    service: str
    service_name_vi: str
    service_name_en: str
    status: TicketState
    priority: str | None
    counter: int | None
    staff: str | None
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    call_count: int
    ahead: int | None = None
    estimated_wait_min: int | None = None
    note: str | None = None
    public_token: str | None = None  # the ticket's name in links (lobby.access.tokens)

    def service_name(self, lang: str = "vi") -> str:
        return (self.service_name_en or self.service_name_vi) if lang == "en" else self.service_name_vi

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "service": self.service,
            "service_name": self.service_name_vi,
            "status": self.status,
            "priority": self.priority,
            "counter": self.counter,
            "staff": self.staff,
            "day": self.day.isoformat(),
            "issued_at": _iso(self.issued_at),
            "called_at": _iso(self.called_at),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "ahead": self.ahead,
            "estimated_wait_min": self.estimated_wait_min,
            "call_count": self.call_count,
        }


@dataclass(frozen=True)
class StaffInfo:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    locked_until: datetime | None = None


@dataclass(frozen=True)
class CounterInfo:
    number: int
    name: str
    state: str
    services: tuple[str, ...]
    staff: str | None
    staff_name: str | None
    current: str | None
