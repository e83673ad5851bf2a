"""Writing the append-only event rows, and waking listeners on PostgreSQL.

The NOTIFY is issued inside the same transaction as the row, so PostgreSQL delivers
it exactly when the change commits (and never if it rolls back).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from lobby.clock import utcnow
from lobby.models import Event, Ticket

CHANNEL = "lobby_events"


def record_event(
    session: Session,
    kind: str,
    *,
    ticket: Ticket | None = None,
    service_code: str | None = None,
    counter_number: int | None = None,
    staff_id: int | None = None,
    actor: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    row = Event(
        at=at or utcnow(),
        kind=kind,
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
        session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": str(row.id)})
    return row
