"""The audit page's read of the event history: filtered by local day, staff member and kind, a page at a time.

Pages go back from the newest event by id (``before``), so a page costs one index range
whatever the size of the history, and events recorded meanwhile never shift a page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lobby.config import CentreConfig
from lobby.store.engine import read_transaction
from lobby.store.models import Event, Staff
from lobby.vocabulary import EventKind

PAGE_SIZE = 50
KIND_CHOICES: tuple[str, ...] = tuple(k.value for k in EventKind if k is not EventKind.UNKNOWN)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    kind: str
    who: str | None
    number: str | None
    service: str | None
    counter: int | None
    data: dict[str, Any]


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    next_before: int | None  # the ``before`` of the next (older) page; None on the last page


def day_bounds(cfg: CentreConfig, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=cfg.tz)
    return start, start + timedelta(days=1)


def read_events(
    session: Session, cfg: CentreConfig, *, day: date | None = None, staff: str | None = None,
    kind: str | None = None, before: int | None = None, size: int = PAGE_SIZE,
) -> AuditPage:
    stmt = select(Event).order_by(Event.id.desc()).limit(size + 1)
    if day is not None:
        lo, hi = day_bounds(cfg, day)
        stmt = stmt.where(Event.at >= lo, Event.at < hi)
    if kind:
        stmt = stmt.where(Event.kind == kind)
    if before is not None:
        stmt = stmt.where(Event.id < before)
    with read_transaction(session):
        if staff:
            member_id = session.scalar(select(Staff.id).where(Staff.username == staff))
            stmt = stmt.where(or_(Event.actor == staff, Event.staff_id == member_id) if member_id is not None
                              else Event.actor == staff)
        rows = list(session.scalars(stmt))
        names = {s.id: s.username for s in session.scalars(
            select(Staff).where(Staff.id.in_({r.staff_id for r in rows if r.staff_id})))}
    result = tuple(AuditRow(
        id=r.id, at=r.at, kind=r.kind, who=r.actor or (names.get(r.staff_id) if r.staff_id else None),
        number=r.number, service=r.service_code, counter=r.counter_number, data=dict(r.data or {}),
    ) for r in rows[:size])
    return AuditPage(rows=result, next_before=result[-1].id if len(rows) > size else None)
