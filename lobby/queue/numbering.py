"""Issuing: a service's hours and daily limit, the next number of the day, the waiting counts, the wait estimate.

Numbers are per service per day, taken with one upsert of ``day_sequence`` so two kiosks
never get the same number and none is skipped.
"""
from __future__ import annotations

import math
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lobby.clock import at_or_now, local, local_day
from lobby.config import CentreConfig, ServiceConfig
from lobby.errors import DailyLimitReached, PriorityNeedsPin, ServiceClosed
from lobby.feed.events import record_event
from lobby.monitor.pauses import refuse_if_paused
from lobby.queue.rows import ticket_info
from lobby.queue.views import TicketInfo
from lobby.store.catalog import service_row
from lobby.store.engine import transaction
from lobby.store.models import Counter, CounterService, DaySequence, Service, Ticket
from lobby.text_limits import SOURCE_MAX, clean_text
from lobby.vocabulary import CounterState, EventKind, TicketState

RECENT_SERVICE_SAMPLES = 20


MIN_SERVICE_SAMPLES = 3


def service_open_problem(cfg: CentreConfig, sc: ServiceConfig, now: datetime | None = None) -> str | None:
    """Why the service issues no tickets at this moment (the hours as text), or None when it does."""
    if not cfg.centre.enforce_hours:
        return None
    at = local(at_or_now(now), cfg.tz)
    days = sc.days or cfg.centre.opening_days
    ranges = sc.hours or cfg.centre.opening_hours
    hours = ", ".join(str(r) for r in ranges)
    if at.isoweekday() not in days:
        return hours
    if ranges and not any(r.contains(at.time()) for r in ranges):
        return hours
    return None


def limit_reached(sc: ServiceConfig, number: int | None) -> bool:
    """True when ticket ``number`` (the next one to issue) would pass the service's daily limit."""
    if sc.daily_limit is None or number is None:
        return False
    return number - sc.first_number >= sc.daily_limit


def issue_ticket(
    session: Session,
    cfg: CentreConfig,
    service_code: str,
    *,
    priority: str | None = None,
    granted_by: int | None = None,
    source: str = "kiosk",
    now: datetime | None = None,
) -> TicketInfo:
    """Issue the next number of a service; refuse outside its hours or past its daily limit.

    ``granted_by`` is the id of the staff member who allowed a priority ticket (the
    caller checks that member's PIN first, see ``lobby.staffing.staff.verify_pin``); a group
    with ``needs_pin`` refuses a ticket without it (PriorityNeedsPin).
    """
    at = at_or_now(now)
    source = clean_text(source, "source", SOURCE_MAX, required=True)  # stored and shown in the audit log
    sc = cfg.service(service_code)
    group = cfg.priority_group(priority) if priority else None
    if group is not None and group.needs_pin and granted_by is None:
        raise PriorityNeedsPin(group.name_vi, group.name(lang="en"))
    closed = service_open_problem(cfg, sc, at)
    if closed is not None:
        raise ServiceClosed(sc.name_vi, sc.name(lang="en"), closed)
    day = local_day(at, cfg.tz)
    with transaction(session):
        svc = service_row(session, cfg, sc.code)
        refuse_if_paused(session, svc, day)  # a manager paused issuing for today (lobby.monitor.pauses)
        seq, waiting, waiting_priority = _take_number(session, day, svc.id, sc.first_number, group is not None)
        if limit_reached(sc, seq) and sc.daily_limit is not None:
            raise DailyLimitReached(sc.name_vi, sc.name(lang="en"), sc.daily_limit)
        ticket = Ticket(
            day=day, service_id=svc.id, origin_service_id=svc.id, seq=seq, number=sc.format_number(seq),
            priority_group=group.code if group else None, is_priority=group is not None, granted_by_id=granted_by,
            status=TicketState.WAITING, source=source, issued_at=at, queued_at=at, call_count=0,
        )
        session.add(ticket)
        session.flush()
        ahead = (waiting_priority if group else waiting) - 1
        wait = _estimate_wait(session, svc, ahead)
        record_event(
            session, EventKind.ISSUED, ticket=ticket, service_code=svc.code, staff_id=granted_by, actor=source, at=at,
            data={"priority": ticket.priority_group, "ahead": ahead, "estimated_wait_min": wait},
        )
        return ticket_info(session, ticket, ahead=ahead, wait=wait)


def _take_number(session: Session, day: date, service_id: int, first: int, is_priority: bool) -> tuple[int, int, int]:
    """Atomically take the next number of (day, service) and count the new ticket as waiting."""
    p = 1 if is_priority else 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = insert(DaySequence).values(
        day=day, service_id=service_id, next_number=first + 1, issued=1, waiting=1, waiting_priority=p,
    )  # a row made by a transfer holds next_number = first, so the conflict path also starts at first
    stmt = values.on_conflict_do_update(
        index_elements=[DaySequence.day, DaySequence.service_id],
        set_={
            "next_number": DaySequence.next_number + 1,
            "issued": DaySequence.issued + 1,
            "waiting": DaySequence.waiting + 1,
            "waiting_priority": DaySequence.waiting_priority + p,
        },
    ).returning(DaySequence.next_number, DaySequence.waiting, DaySequence.waiting_priority)
    next_number, waiting, waiting_priority = session.execute(stmt).one()
    return next_number - 1, waiting, waiting_priority


def leave_waiting(session: Session, ticket: Ticket) -> None:
    """Count a ticket of ``ticket.service_id`` out of day_sequence.waiting (it is called or cancelled)."""
    session.execute(
        update(DaySequence)
        .where(DaySequence.day == ticket.day, DaySequence.service_id == ticket.service_id)
        .values(waiting=DaySequence.waiting - 1,
                waiting_priority=DaySequence.waiting_priority - int(ticket.is_priority))
        .execution_options(synchronize_session=False)
    )


def enter_waiting(session: Session, ticket: Ticket, first_number: int) -> None:
    """Count a ticket into the waiting of ``ticket.service_id`` (a transfer), creating that day's row if needed.

    A new row starts at the service's own first number, so the service's first ticket
    of the day issued later still gets it.
    """
    p = int(ticket.is_priority)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(DaySequence).values(
        day=ticket.day, service_id=ticket.service_id, next_number=first_number, issued=0, waiting=1,
        waiting_priority=p,
    ).on_conflict_do_update(
        index_elements=[DaySequence.day, DaySequence.service_id],
        set_={"waiting": DaySequence.waiting + 1, "waiting_priority": DaySequence.waiting_priority + p},
    )
    session.execute(stmt)


def _estimate_wait(session: Session, svc: Service, ahead: int) -> int:
    """People ahead ÷ counters open for the service × the recent average service time, in whole minutes."""
    if ahead <= 0:
        return 0
    counters = session.scalar(
        select(func.count()).select_from(CounterService).join(Counter, Counter.id == CounterService.counter_id)
        .where(CounterService.service_id == svc.id, Counter.state == CounterState.OPEN, Counter.active.is_(True))
    ) or 0
    if counters == 0:
        counters = session.scalar(
            select(func.count()).select_from(CounterService).where(CounterService.service_id == svc.id)
        ) or 1
    return math.ceil(ahead / counters * average_service_min(session, svc))


def average_service_min(session: Session, svc: Service) -> float:
    recent = session.execute(
        select(Ticket.started_at, Ticket.finished_at)
        .where(Ticket.service_id == svc.id, Ticket.status == TicketState.DONE, Ticket.finished_at.is_not(None),
               Ticket.started_at.is_not(None))
        .order_by(Ticket.finished_at.desc())
        .limit(RECENT_SERVICE_SAMPLES)
    ).all()
    spans = [(f - s).total_seconds() / 60 for s, f in recent if s is not None and f is not None and f >= s]
    if len(spans) < MIN_SERVICE_SAMPLES:
        return svc.default_service_min
    return max(sum(spans) / len(spans), 0.5)
