"""Writing the append-only event rows, and waking listeners on PostgreSQL.

The NOTIFY is issued inside the same transaction as the rows, just before commit
(one per transaction, carrying the last event id), so PostgreSQL delivers it
exactly when the change commits (and never if it rolls back).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from lobby.clock import utcnow
from lobby.store.models import Event, Ticket
from lobby.vocabulary import EventKind

CHANNEL = "lobby_events"
_PENDING = "lobby_notify"  # session.info key: the last event id written in the open transaction


def record_event(
    session: Session,
    kind: EventKind,
    *,
    ticket: Ticket | None = None,
    service_code: str | None = None,
    counter_number: int | None = None,
    staff_id: int | None = None,
    actor: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    """Add the event row of a change to the session's open transaction (flushed, so its id is known)."""
    row = Event(
        at=at or utcnow(),
        kind=EventKind(kind).value,  # an unknown kind fails here, in the writer, not in every reader
        ticket_id=ticket.id if ticket is not None else None,
        number=ticket.number if ticket is not None else None,
        service_code=service_code,
        counter_number=counter_number,
        staff_id=staff_id,
        actor=actor,
        data=data,
    )
    session.add(row)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.info[_PENDING] = row.id
    return row


@event.listens_for(Session, "before_commit")
def _notify_before_commit(session: Session) -> None:
    last = session.info.pop(_PENDING, None)
    if last is not None:
        session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": str(last)})


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
