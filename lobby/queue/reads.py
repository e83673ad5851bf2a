"""Reading the queue: a counter's current and parked tickets, the waiting counts, the next numbers,
a day's tickets, one ticket with the people ahead of it."""
from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from lobby.config import CentreConfig
from lobby.queue.call_order import waiting_heads
from lobby.queue.rows import ticket_info, today
from lobby.queue.ticket_rows import desk_of, row_info, ticket_by_number
from lobby.queue.views import TicketInfo
from lobby.store.catalog import counter_row, counter_service_ids, read_counter
from lobby.store.engine import read_transaction
from lobby.store.models import DaySequence, Event, Service, Ticket
from lobby.vocabulary import CALL_KINDS, TicketState


def current_ticket(session: Session, cfg: CentreConfig, counter: int) -> TicketInfo | None:
    with read_transaction(session):
        current = desk_of(session, read_counter(session, cfg, counter))
        return row_info(session, current[0]) if current else None


def parked_tickets(session: Session, cfg: CentreConfig, counter: int) -> list[TicketInfo]:
    with read_transaction(session):
        row = counter_row(session, cfg, counter)
        rows = session.scalars(select(Ticket).where(Ticket.counter_id == row.id,
                                                    Ticket.status == TicketState.PARKED).order_by(Ticket.id))
        return [ticket_info(session, t) for t in rows]


def waiting_counts(session: Session, cfg: CentreConfig, *, now: datetime | None = None) -> dict[str, int]:
    """Service code → tickets waiting today, for every configured service (0 when none)."""
    day = today(cfg, now)
    with read_transaction(session):
        rows = session.execute(
            select(Service.code, DaySequence.waiting).join(DaySequence, DaySequence.service_id == Service.id)
            .where(DaySequence.day == day)
        ).all()
    counts = {s.code: 0 for s in cfg.services}
    counts.update({code: waiting for code, waiting in rows if code in counts})
    return counts


def next_numbers(session: Session, cfg: CentreConfig, counter: int, limit: int = 5, *,
                 now: datetime | None = None) -> list[str]:
    """The numbers most likely to be called next at this counter (priority first, then oldest).

    Reads the head of each service's queue by index, so it costs the same with 10 or 100,000 waiting.
    """
    day = today(cfg, now)
    with read_transaction(session):
        row = counter_row(session, cfg, counter)
        services = counter_service_ids(session, row)
        places = waiting_heads(session, services, day, True, limit)
        places += waiting_heads(session, services, day, False, limit - len(places)) if len(places) < limit else []
        if not places:
            return []
        rows = session.execute(select(Ticket.id, Ticket.number).where(Ticket.id.in_([i for _, i in places])))
        numbers = {ticket_id: number for ticket_id, number in rows}
        return [numbers[i] for _, i in places]


def list_tickets(session: Session, cfg: CentreConfig, day: date | None = None) -> list[TicketInfo]:
    wanted = day or today(cfg)
    with read_transaction(session):
        rows = list(session.scalars(select(Ticket).where(Ticket.day == wanted).order_by(Ticket.id)))
        return [ticket_info(session, t) for t in rows]


def find_ticket(session: Session, cfg: CentreConfig, number: str, day: date | None = None) -> TicketInfo:
    wanted = day or today(cfg)
    with read_transaction(session):
        ticket = ticket_by_number(session, number, wanted)
        ahead = None
        if ticket.status == TicketState.WAITING:
            ahead = session.scalar(
                select(func.count()).select_from(Ticket).where(
                    Ticket.service_id == ticket.service_id, Ticket.day == ticket.day,
                    Ticket.status == TicketState.WAITING,
                    (Ticket.is_priority.is_(True) if not ticket.is_priority else false())
                    | ((Ticket.is_priority == ticket.is_priority)
                       & ((Ticket.queued_at < ticket.queued_at)
                          | ((Ticket.queued_at == ticket.queued_at) & (Ticket.id < ticket.id)))),
                )
            )
        return row_info(session, ticket, ahead=ahead)


class CallRecord(NamedTuple):
    number: str | None
    service: str | None
    counter: int | None
    at: datetime


def latest_calls(session: Session, limit: int) -> list[CallRecord]:
    """The last ``limit`` calls and recalls, newest first, from the event log."""
    with read_transaction(session):
        rows = session.execute(
            select(Event.number, Event.service_code, Event.counter_number, Event.at)
            .where(Event.kind.in_(CALL_KINDS)).order_by(Event.id.desc()).limit(limit)
        ).all()
    return [CallRecord(*row) for row in rows]
