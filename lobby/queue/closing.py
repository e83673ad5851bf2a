"""Closing the day: every ticket still open expires and the counters close; history is kept, never deleted."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lobby.clock import at_or_now, local, local_day
from lobby.config import CentreConfig
from lobby.errors import DayStillOpen
from lobby.feed.events import record_event
from lobby.store.engine import transaction
from lobby.store.models import Counter, DaySequence, Service, Staff, Ticket
from lobby.vocabulary import OPEN_STATES, CounterState, EventKind, TicketState


def still_open_until(cfg: CentreConfig, now: datetime | None = None) -> str | None:
    """The closing time ("17:00") when the centre is still within today's opening hours, else None.

    Closing the day while citizens still wait would expire their tickets, so ``close_day``
    refuses then unless forced.
    """
    if not cfg.centre.enforce_hours:
        return None
    at = local(at_or_now(now), cfg.tz)
    if at.isoweekday() not in cfg.centre.opening_days or not cfg.centre.opening_hours:
        return None
    closing = max(r.end for r in cfg.centre.opening_hours)
    return f"{closing:%H:%M}" if at.time() < closing else None


def close_day(session: Session, cfg: CentreConfig, *, now: datetime | None = None, force: bool = False) -> int:
    """Expire every ticket still open up to today and close the counters; history is kept, never deleted.

    Refused (DayStillOpen) during today's opening hours unless ``force``: run it after closing time.
    """
    at = at_or_now(now)
    day = local_day(at, cfg.tz)
    closing = still_open_until(cfg, at)
    if closing is not None and not force:
        raise DayStillOpen(closing)
    with transaction(session):
        # counters first (the lock order of every rule), so no call or transfer runs half-way through this
        counters = list(session.scalars(select(Counter).order_by(Counter.id).with_for_update(key_share=True)))
        open_tickets = list(session.scalars(
            select(Ticket).where(Ticket.status.in_(OPEN_STATES), Ticket.day <= day).order_by(Ticket.id)
            .with_for_update()
        ))
        codes = {s.id: s.code for s in session.scalars(select(Service))}
        leaving: dict[tuple[date, int], list[int]] = {}
        for ticket in open_tickets:
            previous = ticket.status
            if previous == TicketState.WAITING:  # take out exactly what leaves: a ticket issued meanwhile stays counted
                counts = leaving.setdefault((ticket.day, ticket.service_id), [0, 0])
                counts[0] += 1
                counts[1] += int(ticket.is_priority)
            ticket.status = TicketState.EXPIRED
            ticket.finished_at = at
            record_event(session, EventKind.EXPIRED, ticket=ticket, service_code=codes.get(ticket.service_id), at=at,
                         counter_number=None, data={"from": previous})
        for (d, service_id), (waiting, waiting_priority) in sorted(leaving.items()):
            session.execute(
                update(DaySequence)
                .where(DaySequence.day == d, DaySequence.service_id == service_id)
                .values(waiting=DaySequence.waiting - waiting,
                        waiting_priority=DaySequence.waiting_priority - waiting_priority)
                .execution_options(synchronize_session=False)
            )
        for counter in counters:
            counter.priority_streak = 0
            if counter.staff_id is not None:
                member = session.get(Staff, counter.staff_id)
                record_event(session, EventKind.SIGNED_OUT, counter_number=counter.number, staff_id=counter.staff_id,
                             actor=member.username if member else None, at=at)
                counter.staff_id = None
            if counter.state != CounterState.CLOSED:
                counter.state = CounterState.CLOSED
                counter.updated_at = at
                record_event(session, EventKind.COUNTER_CLOSED, counter_number=counter.number, at=at)
        record_event(session, EventKind.DAY_CLOSED, at=at, data={"day": day.isoformat(), "expired": len(open_tickets)})
        return len(open_tickets)
