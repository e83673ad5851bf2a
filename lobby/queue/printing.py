"""Nothing lost on paper: when a ticket's print completed, and which tickets a kiosk issued but never printed.

A ticket is recorded before it is printed. The kiosk calls :func:`mark_printed` once its printer
reports the ticket done; a kiosk killed in between (or whose printer failed) leaves the ticket
unprinted, and when it starts again :func:`unprinted_tickets` lists them for the guard to reprint,
one tap each. Only tickets still waiting today are offered: one already called is at a counter.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.queue.reads import find_ticket
from lobby.queue.rows import today
from lobby.queue.views import TicketInfo
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Ticket
from lobby.vocabulary import TicketState

OFFER_LIMIT = 50  # a guard's screen lists no more; the oldest come first


def mark_printed(session: Session, ticket_id: int, *, now: datetime | None = None) -> bool:
    """Record that ticket ``ticket_id`` came out of the printer; False when it was already recorded (a reprint
    keeps the first time)."""
    with transaction(session):
        done = session.execute(
            update(Ticket).where(Ticket.id == ticket_id, Ticket.printed_at.is_(None))
            .values(printed_at=at_or_now(now))
        )
    return bool(getattr(done, "rowcount", 0))


def unprinted_tickets(session: Session, cfg: CentreConfig, source: str, *,
                      now: datetime | None = None) -> list[TicketInfo]:
    """The tickets kiosk ``source`` issued today that are still waiting and were never printed, oldest first."""
    day = today(cfg, now)
    with read_transaction(session):
        numbers = list(session.scalars(
            select(Ticket.number).where(
                Ticket.day == day, Ticket.source == source, Ticket.status == TicketState.WAITING,
                Ticket.printed_at.is_(None),
            ).order_by(Ticket.id).limit(OFFER_LIMIT)
        ))
    return [find_ticket(session, cfg, number, day) for number in numbers]
