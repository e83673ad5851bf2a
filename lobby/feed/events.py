"""Writing the append-only event rows, and waking listeners on PostgreSQL.

The NOTIFY is issued inside the same transaction as the rows, just before commit
(one per transaction, carrying the last event id), so PostgreSQL delivers it
exactly when the change commits (and never if it rolls back).

The row is written with one prepared Core ``INSERT`` (its id from ``RETURNING`` on
PostgreSQL, from the last row id on SQLite) rather than through the ORM's unit of
work, which cost more than the insert itself; ORM changes still pending in the
session are flushed first, so the rows reach the database in the order they were made.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import event, insert, text
from sqlalchemy.orm import Session

from lobby.clock import utcnow
from lobby.store import tables
from lobby.vocabulary import EventKind

CHANNEL = "lobby_events"
_PENDING = "lobby_notify"  # session.info key: the last event id written in the open transaction
_INSERT = insert(tables.EVENT)
_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


class NumberedTicket(Protocol):
    """What an event needs of its ticket: an ORM ``Ticket`` or a queue rule's plain row."""

    @property
    def id(self) -> int: ...

    @property
    def number(self) -> str: ...


class RecordedEvent(NamedTuple):
    id: int
    kind: EventKind


def record_event(
    session: Session,
    kind: EventKind,
    *,
    ticket: NumberedTicket | None = None,
    service_code: str | None = None,
    counter_number: int | None = None,
    staff_id: int | None = None,
    actor: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> RecordedEvent:
    """Write the event row of a change in the session's open transaction; its id is known on return."""
    checked = EventKind(kind)  # an unknown kind fails here, in the writer, not in every reader
    session.flush()
    conn = session.connection()
    result = conn.execute(_INSERT, {
        "at": at or utcnow(),
        "kind": checked.value,
        "ticket_id": ticket.id if ticket is not None else None,
        "number": ticket.number if ticket is not None else None,
        "service_code": service_code,
        "counter_number": counter_number,
        "staff_id": staff_id,
        "actor": actor,
        "data": data,
    })
    key = result.inserted_primary_key
    assert key is not None
    event_id = int(key[0])
    if conn.dialect.name == "postgresql":
        session.info[_PENDING] = event_id
    return RecordedEvent(event_id, checked)


@event.listens_for(Session, "before_commit")
def _notify_before_commit(session: Session) -> None:
    last = session.info.pop(_PENDING, None)
    if last is not None:
        session.connection().execute(_NOTIFY, {"channel": CHANNEL, "payload": str(last)})


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
