"""Issuing: a service's hours and daily limit, the next number of the day, the waiting counts, the wait estimate.

Numbers are per service per day, taken with one upsert of ``day_sequence`` so two kiosks
never get the same number and none is skipped.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from functools import cache

from sqlalchemy import Insert, Integer, Update, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lobby.access.tokens import new_public_token
from lobby.clock import at_or_now, local, local_day
from lobby.config import CentreConfig, ServiceConfig
from lobby.errors import DailyLimitReached, PriorityNeedsPin, ServiceClosed
from lobby.feed.events import record_event
from lobby.monitor.pauses import refuse_if_paused
from lobby.queue.issuing import (
    MIN_SERVICE_SAMPLES,
    RECENT_SERVICE_SAMPLES,
    IssueHead,
    insert_ticket,
    issue_head,
    take_number,
)
from lobby.queue.ticket_rows import TicketRow, row_info
from lobby.queue.views import TicketInfo
from lobby.store import tables
from lobby.store.engine import transaction
from lobby.store.models import Service, Ticket
from lobby.text_limits import SOURCE_MAX, clean_text
from lobby.vocabulary import EventKind, TicketState

_SEQUENCE = tables.DAY_SEQUENCE


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

    Four statements: the service with its pause and what the wait estimate needs, the number,
    the ticket, its event (each built once, see ``lobby.queue.issuing``).
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
        head = issue_head(session, cfg, sc.code, day)
        svc = head.service
        refuse_if_paused(svc, head.paused)  # a manager paused issuing for today (lobby.monitor.pauses)
        seq, waiting, waiting_priority = take_number(session, day, svc.id, sc.first_number, group is not None)
        if limit_reached(sc, seq) and sc.daily_limit is not None:
            raise DailyLimitReached(sc.name_vi, sc.name(lang="en"), sc.daily_limit)
        values = {
            "day": day, "service_id": svc.id, "origin_service_id": svc.id, "seq": seq, "number": sc.format_number(seq),
            "priority_group": group.code if group else None, "is_priority": group is not None,
            "granted_by_id": granted_by, "status": TicketState.WAITING, "source": source, "issued_at": at,
            "queued_at": at, "call_count": 0, "public_token": new_public_token(),
        }
        ticket = TicketRow.from_values(insert_ticket(session, values), values, svc)
        ahead = (waiting_priority if group else waiting) - 1
        wait = estimate_wait(head, ahead)
        record_event(
            session, EventKind.ISSUED, ticket=ticket, service_code=svc.code, staff_id=granted_by, actor=source, at=at,
            data={"priority": ticket.priority_group, "ahead": ahead, "estimated_wait_min": wait},
        )
        return row_info(session, ticket, ahead=ahead, wait=wait)


@cache
def _leave_waiting() -> Update:
    seq = _SEQUENCE.c
    return (update(_SEQUENCE).where(seq.day == bindparam("v_day"), seq.service_id == bindparam("v_service_id"))
            .values(waiting=seq.waiting - 1, waiting_priority=seq.waiting_priority - bindparam("priority")))


def leave_waiting(session: Session, ticket: TicketRow) -> None:
    """Count a ticket of ``ticket.service_id`` out of day_sequence.waiting (it is called or cancelled)."""
    params = {"v_day": ticket.day, "v_service_id": ticket.service_id, "priority": int(ticket.is_priority)}
    session.connection().execute(_leave_waiting(), params)


@cache
def _enter_waiting(dialect: str) -> Insert:
    insert_into = postgresql.insert if dialect == "postgresql" else sqlite.insert
    seq, priority = _SEQUENCE.c, bindparam("priority", type_=Integer())
    return insert_into(_SEQUENCE).values(
        day=bindparam("v_day"), service_id=bindparam("v_service_id"), next_number=bindparam("v_next_number"),
        issued=0, waiting=1, waiting_priority=priority,
    ).on_conflict_do_update(
        index_elements=[seq.day, seq.service_id],
        set_={"waiting": seq.waiting + 1, "waiting_priority": seq.waiting_priority + priority},
    )


def enter_waiting(session: Session, ticket: TicketRow, first_number: int) -> None:
    """Count a ticket into the waiting of ``ticket.service_id`` (a transfer), creating that day's row if needed.

    A new row starts at the service's own first number, so the service's first ticket
    of the day issued later still gets it.
    """
    conn = session.connection()
    conn.execute(_enter_waiting(conn.dialect.name), {
        "v_day": ticket.day, "v_service_id": ticket.service_id, "v_next_number": first_number,
        "priority": int(ticket.is_priority),
    })


def estimate_wait(head: IssueHead, ahead: int) -> int:
    """People ahead ÷ counters open for the service × the recent average service time, in whole minutes.

    With no counter open, the counters that serve it (at least one) stand in for them.
    """
    if ahead <= 0:
        return 0
    counters = head.open_counters or head.counters or 1
    return math.ceil(ahead / counters * mean_service_min(head.recent, head.service.default_service_min))


def mean_service_min(recent: Iterable[tuple[datetime | None, datetime | None]], default: float) -> float:
    """The mean of recent services (start, finish) in minutes, or ``default`` with fewer than a few of them."""
    spans = [(f - s).total_seconds() / 60 for s, f in recent if s is not None and f is not None and f >= s]
    if len(spans) < MIN_SERVICE_SAMPLES:
        return default
    return max(sum(spans) / len(spans), 0.5)


def average_service_min(session: Session, svc: Service) -> float:
    """The recent average service time of a service, in minutes (its default until a few were served)."""
    recent = session.execute(
        select(Ticket.started_at, Ticket.finished_at)
        .where(Ticket.service_id == svc.id, Ticket.status == TicketState.DONE, Ticket.finished_at.is_not(None),
               Ticket.started_at.is_not(None))
        .order_by(Ticket.finished_at.desc())
        .limit(RECENT_SERVICE_SAMPLES)
    ).all()
    return mean_service_min(recent, svc.default_service_min)
