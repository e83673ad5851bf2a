"""The queue rules: issuing, calling and serving tickets.

Each public function is one transaction over a fresh session and writes the event
row of every state change it makes in that same transaction. Times are stored in
UTC; the ticket's day is the centre's local day (see ``lobby.clock``).

Call order ("call next"): priority tickets first, oldest first across the
services the counter serves, except that after ``priority_policy.max_consecutive``
priority calls in a row at one counter while an older ordinary ticket waits, that
ordinary ticket gets its turn. The heads of the queue are read by index (one
lookup per service and class); on PostgreSQL the one ticket to call is then taken
with ``FOR UPDATE SKIP LOCKED`` so two counters never get the same ticket (see
``_choose``); on SQLite the transaction began with ``BEGIN IMMEDIATE`` and so runs alone.

Lock order (PostgreSQL), kept by every rule so that none can deadlock another:
counter rows (by id), then ticket rows, then ``day_sequence`` rows.
"""
from __future__ import annotations

import math
from datetime import date, datetime

from sqlalchemy import Select, false, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lobby.store.catalog import counter_row, counter_service_ids, service_row
from lobby.clock import as_utc, local, local_day, utcnow
from lobby.config import CentreConfig, ServiceConfig
from lobby.errors import (
    AlreadyRated,
    CounterNotOpen,
    DailyLimitReached,
    DayStillOpen,
    InvalidRating,
    InvalidTransition,
    NoCurrentTicket,
    PriorityNeedsPin,
    ServiceClosed,
    TicketNotFound,
)
from lobby.feed.events import record_event
from lobby.store.models import Counter, CounterService, DaySequence, Rating, Service, Staff, Ticket, duration_us
from lobby.store.engine import read_transaction, transaction
from lobby.queue.views import AT_COUNTER, OPEN_STATUSES, RATINGS, TicketInfo

RECENT_SERVICE_SAMPLES = 20
MIN_SERVICE_SAMPLES = 3


def _now(now: datetime | None) -> datetime:
    return as_utc(now) if now is not None else utcnow()


def today(cfg: CentreConfig, now: datetime | None = None) -> date:
    return local_day(_now(now), cfg.tz)


# ---------------------------------------------------------------- issuing


def service_open_problem(cfg: CentreConfig, sc: ServiceConfig, now: datetime | None = None) -> str | None:
    """Why the service issues no tickets at this moment (the hours as text), or None when it does."""
    if not cfg.centre.enforce_hours:
        return None
    at = local(_now(now), cfg.tz)
    days = sc.days or cfg.centre.opening_days
    ranges = sc.hours or cfg.centre.opening_hours
    hours = ", ".join(str(r) for r in ranges)
    if at.isoweekday() not in days:
        return hours
    if ranges and not any(r.contains(at.time()) for r in ranges):
        return hours
    return None


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
    at = _now(now)
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
        seq, waiting, waiting_priority = _take_number(session, day, svc.id, sc.first_number, group is not None)
        if sc.daily_limit is not None and seq - sc.first_number + 1 > sc.daily_limit:
            raise DailyLimitReached(sc.name_vi, sc.name(lang="en"), sc.daily_limit)
        ticket = Ticket(
            day=day, service_id=svc.id, origin_service_id=svc.id, seq=seq, number=sc.format_number(seq),
            priority_group=group.code if group else None, is_priority=group is not None, granted_by_id=granted_by,
            status="waiting", source=source, issued_at=at, queued_at=at, call_count=0,
        )
        session.add(ticket)
        session.flush()
        ahead = (waiting_priority if group else waiting) - 1
        wait = _estimate_wait(session, svc, ahead)
        record_event(
            session, "issued", ticket=ticket, service_code=svc.code, staff_id=granted_by, actor=source, at=at,
            data={"priority": ticket.priority_group, "ahead": ahead, "estimated_wait_min": wait},
        )
        return _info(session, ticket, ahead=ahead, wait=wait)


def _take_number(session: Session, day: date, service_id: int, first: int, is_priority: bool) -> tuple[int, int, int]:
    """Atomically take the next number of (day, service) and count the new ticket as waiting."""
    p = 1 if is_priority else 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(DaySequence).values(
        day=day, service_id=service_id, next_number=first + 1, issued=1, waiting=1, waiting_priority=p,
    )  # a row made by a transfer holds next_number = first, so the conflict path also starts at first
    stmt = stmt.on_conflict_do_update(
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


def _leave_waiting(session: Session, ticket: Ticket) -> None:
    """Count a ticket of ``ticket.service_id`` out of day_sequence.waiting (it is called or cancelled)."""
    session.execute(
        update(DaySequence)
        .where(DaySequence.day == ticket.day, DaySequence.service_id == ticket.service_id)
        .values(waiting=DaySequence.waiting - 1, waiting_priority=DaySequence.waiting_priority - int(ticket.is_priority))
        .execution_options(synchronize_session=False)
    )


def _enter_waiting(session: Session, ticket: Ticket, first_number: int) -> None:
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
        .where(CounterService.service_id == svc.id, Counter.state == "open", Counter.active.is_(True))
    ) or 0
    if counters == 0:
        counters = session.scalar(
            select(func.count()).select_from(CounterService).where(CounterService.service_id == svc.id)
        ) or 1
    return math.ceil(ahead / counters * average_service_min(session, svc))


def average_service_min(session: Session, svc: Service) -> float:
    recent = session.execute(
        select(Ticket.started_at, Ticket.finished_at)
        .where(Ticket.service_id == svc.id, Ticket.status == "done", Ticket.finished_at.is_not(None),
               Ticket.started_at.is_not(None))
        .order_by(Ticket.finished_at.desc())
        .limit(RECENT_SERVICE_SAMPLES)
    ).all()
    spans = [(f - s).total_seconds() / 60 for s, f in recent if f >= s]
    if len(spans) < MIN_SERVICE_SAMPLES:
        return svc.default_service_min
    return max(sum(spans) / len(spans), 0.5)


# ---------------------------------------------------------------- calling


def _open_counter(session: Session, counter: Counter, at: datetime) -> None:
    if counter.state == "paused":
        raise CounterNotOpen(counter.number, "tạm nghỉ", "paused")
    if counter.state == "closed":
        counter.state = "open"
        counter.updated_at = at
        record_event(session, "counter_opened", counter_number=counter.number, staff_id=counter.staff_id, at=at)


def _current(session: Session, counter: Counter) -> Ticket | None:
    # No ORDER BY: with it, SQLite's planner may prefer scanning the whole table in id order over the
    # (counter_id, status) index once statistics exist; there is at most one row anyway.
    rows = session.scalars(select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status.in_(AT_COUNTER)))
    return min(rows, key=lambda t: t.id, default=None)


def _ticket_event(
    session: Session, kind: str, ticket: Ticket, counter: Counter | None, at: datetime, *,
    staff_id: int | None = None, data: dict[str, object] | None = None,
) -> None:
    """The event of a state change of a ticket at a counter (by default done by the ticket's official)."""
    record_event(
        session, kind, ticket=ticket, service_code=_code(session, ticket),
        counter_number=counter.number if counter is not None else None,
        staff_id=staff_id if staff_id is not None else ticket.staff_id, at=at, data=data,
    )


def _finish(session: Session, ticket: Ticket, counter: Counter, at: datetime, note: str | None = None) -> None:
    ticket.status = "done"
    ticket.started_at = ticket.started_at or ticket.last_called_at or at
    ticket.finished_at = at
    ticket.service_us = duration_us(ticket.started_at, at)
    if note:
        ticket.note = note
    _ticket_event(session, "finished", ticket, counter, at, data={"note": note} if note else None)


def _finish_current(session: Session, counter: Counter, at: datetime) -> None:
    while (ticket := _current(session, counter)) is not None:
        _finish(session, ticket, counter, at)


Place = tuple[datetime, int]  # (queued_at, id): the order of the queue


def _waiting_heads(
    session: Session, service_ids: list[int], day: date, priority: bool, limit: int,
) -> list[Place]:
    """The first ``limit`` waiting places of each service (one index range scan each), merged in queue order."""
    heads: list[Place] = []
    for service_id in service_ids:
        stmt: Select[tuple[datetime, int]] = (
            select(Ticket.queued_at, Ticket.id)
            .where(
                Ticket.service_id == service_id, Ticket.day == day, Ticket.status == "waiting",
                Ticket.is_priority == priority,
            )
            .order_by(Ticket.queued_at, Ticket.id)
            .limit(limit)
        )
        heads.extend((queued_at, ticket_id) for queued_at, ticket_id in session.execute(stmt))
    return sorted(heads)[:limit]


def _policy(cfg: CentreConfig, streak: int, priority: Place | None, ordinary: Place | None) -> bool | None:
    """Which class to call: True priority, False ordinary, None when nobody waits.

    Priority first, except that after ``max_consecutive`` priority calls in a row while
    an older ordinary ticket waits, that ordinary ticket is called.
    """
    if priority is None:
        return None if ordinary is None else False
    if ordinary is None or ordinary > priority:
        return True
    return streak < cfg.priority_policy.max_consecutive


def _streak_after(streak: int, called: Ticket, ordinary: Place | None) -> int:
    """A counter's priority streak after a call: priority calls in a row while an older ordinary ticket waits."""
    if not called.is_priority:
        return 0
    return streak + 1 if ordinary is not None and ordinary < (called.queued_at, called.id) else streak


def _heads(session: Session, service_ids: list[int], day: date, priority: bool) -> list[tuple[Place, int]]:
    """(place, service id) of the oldest waiting ticket of one class in each service, oldest first (no locks)."""
    heads = []
    for service_id in service_ids:
        place = next(iter(_waiting_heads(session, [service_id], day, priority, 1)), None)
        if place is not None:
            heads.append((place, service_id))
    return sorted(heads)


def _take_head(session: Session, service_id: int, day: date, priority: bool) -> Ticket | None:
    """Lock and return the oldest waiting ticket of a service and class that no other counter is taking."""
    return session.scalar(
        select(Ticket)
        .where(
            Ticket.service_id == service_id, Ticket.day == day, Ticket.status == "waiting",
            Ticket.is_priority == priority,
        )
        .order_by(Ticket.queued_at, Ticket.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


def _choose(session: Session, cfg: CentreConfig, counter: Counter, day: date) -> Ticket | None:
    """The ticket this counter calls now, locked for this transaction (None when nobody waits).

    The class and service are chosen from the queue heads read without locks; then only
    the one ticket to call is locked, with SKIP LOCKED on PostgreSQL. A waiting ticket
    is therefore only ever locked by the counter that calls it, so counters calling at
    the same moment each take the next free ticket, none waits for another's lock, and
    "nobody waits" means that every waiting ticket is being called right now. On SQLite
    the transaction runs alone (BEGIN IMMEDIATE) and the first head is always free.
    """
    services = counter_service_ids(session, counter)
    priority_heads = _heads(session, services, day, True)
    ordinary_heads = _heads(session, services, day, False)
    first_ordinary = ordinary_heads[0][0] if ordinary_heads else None
    wanted = _policy(cfg, counter.priority_streak, priority_heads[0][0] if priority_heads else None, first_ordinary)
    if wanted is None:
        counter.priority_streak = 0
        return None
    attempts = [(wanted, priority_heads if wanted else ordinary_heads),
                (not wanted, ordinary_heads if wanted else priority_heads)]
    for is_priority, heads in attempts:
        for _, service_id in heads:
            ticket = _take_head(session, service_id, day, is_priority)
            if ticket is not None:
                counter.priority_streak = _streak_after(counter.priority_streak, ticket, first_ordinary)
                return ticket
    return None


def _call(session: Session, ticket: Ticket, counter: Counter, at: datetime, kind: str = "called") -> None:
    if ticket.status == "waiting":
        _leave_waiting(session, ticket)
    ticket.status = "called"
    ticket.counter_id = counter.id
    ticket.staff_id = counter.staff_id
    if ticket.called_at is None:
        ticket.called_at = at
        ticket.wait_us = duration_us(ticket.issued_at, at)
    ticket.last_called_at = at
    ticket.call_count += 1
    _ticket_event(session, kind, ticket, counter, at, data={"priority": ticket.priority_group})


def call_next(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo | None:
    """Finish the counter's current ticket, then call the next one; None when nobody waits."""
    at = _now(now)
    with transaction(session):
        row = counter_row(session, cfg, counter, lock=True)
        _open_counter(session, row, at)
        _finish_current(session, row, at)
        ticket = _choose(session, cfg, row, local_day(at, cfg.tz))
        if ticket is None:
            return None
        _call(session, ticket, row, at)
        return _info(session, ticket)


def call_number(session: Session, cfg: CentreConfig, counter: int, number: str, *, now: datetime | None = None) -> TicketInfo:
    """Call a given waiting number out of order (the counter's current ticket is finished first)."""
    at = _now(now)
    with transaction(session):
        row = counter_row(session, cfg, counter, lock=True)
        ticket = _ticket_by_number(session, cfg, number, local_day(at, cfg.tz), lock=True)
        if ticket.status != "waiting":
            raise InvalidTransition(ticket.number, ticket.status, "gọi", "called")
        _open_counter(session, row, at)
        _finish_current(session, row, at)
        _call(session, ticket, row, at)
        return _info(session, ticket)


def _at_counter(session: Session, cfg: CentreConfig, counter: int, statuses: tuple[str, ...], action: tuple[str, str]) -> tuple[Counter, Ticket]:
    row = counter_row(session, cfg, counter, lock=True)
    ticket = _current(session, row)
    if ticket is None:
        raise NoCurrentTicket(counter)
    if ticket.status not in statuses:
        raise InvalidTransition(ticket.number, ticket.status, *action)
    return row, ticket


def recall(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo:
    at = _now(now)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, ("called",), ("gọi lại", "recalled"))
        _call(session, ticket, row, at, kind="recalled")
        return _info(session, ticket)


def start_serving(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo:
    at = _now(now)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, ("called",), ("bắt đầu phục vụ", "started"))
        ticket.status = "serving"
        ticket.started_at = at
        _ticket_event(session, "serving", ticket, row, at)
        return _info(session, ticket)


def finish(session: Session, cfg: CentreConfig, counter: int, note: str | None = None, *, now: datetime | None = None) -> TicketInfo:
    at = _now(now)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, AT_COUNTER, ("kết thúc", "finished"))
        _finish(session, ticket, row, at, note)
        return _info(session, ticket)


def no_show(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo:
    at = _now(now)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, ("called",), ("đánh dấu vắng mặt", "marked absent"))
        ticket.status = "no_show"
        ticket.finished_at = at
        _ticket_event(session, "no_show", ticket, row, at)
        return _info(session, ticket)


def transfer(session: Session, cfg: CentreConfig, counter: int, service_code: str, *, now: datetime | None = None) -> TicketInfo:
    """Send the current ticket to wait for another service, keeping its number and place by issue time."""
    at = _now(now)
    target_cfg = cfg.service(service_code)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, AT_COUNTER, ("chuyển", "transferred"))
        target = service_row(session, cfg, target_cfg.code)
        source_code = _code(session, ticket)
        previous, started = ticket.status, ticket.started_at
        ticket.service_id = target.id
        ticket.status = "waiting"
        ticket.counter_id = None
        ticket.staff_id = None
        ticket.queued_at = ticket.issued_at
        ticket.started_at = None  # service time is measured per service; the events keep the first one
        _enter_waiting(session, ticket, target_cfg.first_number)
        record_event(
            session, "transferred", ticket=ticket, service_code=target.code, counter_number=row.number,
            staff_id=row.staff_id, at=at,
            data={"from": source_code, "to": target.code, "was": previous,
                  "started_at": started.isoformat() if started else None},
        )
        return _info(session, ticket)


def park(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo:
    """Set the current ticket aside at this counter (e.g. the citizen fetches a missing paper)."""
    at = _now(now)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, AT_COUNTER, ("tạm gác", "parked"))
        ticket.status = "parked"
        _ticket_event(session, "parked", ticket, row, at, staff_id=row.staff_id)
        return _info(session, ticket)


def resume(session: Session, cfg: CentreConfig, counter: int, number: str, *, now: datetime | None = None) -> TicketInfo:
    """Bring a ticket parked at this counter back as the current one (the current one is finished first)."""
    at = _now(now)
    with transaction(session):
        row = counter_row(session, cfg, counter, lock=True)
        ticket = _ticket_by_number(session, cfg, number, local_day(at, cfg.tz), lock=True)
        if ticket.status != "parked" or ticket.counter_id != row.id:
            raise InvalidTransition(ticket.number, ticket.status, f"tiếp tục ở quầy {counter}", f"resumed at counter {counter}")
        _finish_current(session, row, at)
        ticket.status = "serving" if ticket.started_at else "called"
        ticket.staff_id = row.staff_id
        _ticket_event(session, "resumed", ticket, row, at, data={"status": ticket.status})
        return _info(session, ticket)


def cancel(session: Session, cfg: CentreConfig, number: str, *, actor: str | None = None, now: datetime | None = None) -> TicketInfo:
    at = _now(now)
    with transaction(session):
        ticket = _ticket_by_number(session, cfg, number, local_day(at, cfg.tz), lock=True)
        if ticket.status != "waiting":
            raise InvalidTransition(ticket.number, ticket.status, "hủy", "cancelled")
        _leave_waiting(session, ticket)
        ticket.status = "cancelled"
        ticket.finished_at = at
        record_event(session, "cancelled", ticket=ticket, service_code=_code(session, ticket), actor=actor, at=at)
        return _info(session, ticket)


def still_open_until(cfg: CentreConfig, now: datetime | None = None) -> str | None:
    """The closing time ("17:00") when the centre is still within today's opening hours, else None.

    Closing the day while citizens still wait would expire their tickets, so ``close_day``
    refuses then unless forced.
    """
    if not cfg.centre.enforce_hours:
        return None
    at = local(_now(now), cfg.tz)
    if at.isoweekday() not in cfg.centre.opening_days or not cfg.centre.opening_hours:
        return None
    closing = max(r.end for r in cfg.centre.opening_hours)
    return f"{closing:%H:%M}" if at.time() < closing else None


def close_day(session: Session, cfg: CentreConfig, *, now: datetime | None = None, force: bool = False) -> int:
    """Expire every ticket still open up to today and close the counters; history is kept, never deleted.

    Refused (DayStillOpen) during today's opening hours unless ``force``: run it after closing time.
    """
    at = _now(now)
    day = local_day(at, cfg.tz)
    closing = still_open_until(cfg, at)
    if closing is not None and not force:
        raise DayStillOpen(closing)
    with transaction(session):
        # counters first (the lock order of every rule), so no call or transfer runs half-way through this
        counters = list(session.scalars(select(Counter).order_by(Counter.id).with_for_update(key_share=True)))
        open_tickets = list(session.scalars(
            select(Ticket).where(Ticket.status.in_(OPEN_STATUSES), Ticket.day <= day).order_by(Ticket.id)
            .with_for_update()
        ))
        codes = {s.id: s.code for s in session.scalars(select(Service))}
        leaving: dict[tuple[date, int], list[int]] = {}
        for ticket in open_tickets:
            previous = ticket.status
            if previous == "waiting":  # take out exactly what leaves: a ticket issued meanwhile stays counted
                counts = leaving.setdefault((ticket.day, ticket.service_id), [0, 0])
                counts[0] += 1
                counts[1] += int(ticket.is_priority)
            ticket.status = "expired"
            ticket.finished_at = at
            record_event(session, "expired", ticket=ticket, service_code=codes.get(ticket.service_id), at=at,
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
                record_event(session, "signed_out", counter_number=counter.number, staff_id=counter.staff_id,
                             actor=member.username if member else None, at=at)
                counter.staff_id = None
            if counter.state != "closed":
                counter.state = "closed"
                counter.updated_at = at
                record_event(session, "counter_closed", counter_number=counter.number, at=at)
        record_event(session, "day_closed", at=at, data={"day": day.isoformat(), "expired": len(open_tickets)})
        return len(open_tickets)


# ---------------------------------------------------------------- rating


def rate(session: Session, cfg: CentreConfig, ticket_id: int, value: str, *, now: datetime | None = None) -> None:
    """Store the citizen's one rating of a finished service (a second one raises AlreadyRated)."""
    if value not in RATINGS:
        raise InvalidRating(value, RATINGS)
    at = _now(now)
    number = str(ticket_id)
    try:
        with transaction(session):
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise TicketNotFound(str(ticket_id), "?")
            number = ticket.number
            if ticket.status != "done":
                raise InvalidTransition(ticket.number, ticket.status, "đánh giá", "rated")
            if session.get(Rating, ticket_id) is not None:
                raise AlreadyRated(ticket.number)
            counter = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
            session.add(Rating(ticket_id=ticket.id, value=value, staff_id=ticket.staff_id,
                               counter_id=ticket.counter_id, at=at))
            session.flush()
            _ticket_event(session, "rated", ticket, counter, at, data={"value": value})
    except IntegrityError:
        raise AlreadyRated(number) from None


def rating_of(session: Session, ticket_id: int) -> str | None:
    with read_transaction(session):
        row = session.get(Rating, ticket_id)
        return row.value if row else None


# ---------------------------------------------------------------- reading


def current_ticket(session: Session, cfg: CentreConfig, counter: int) -> TicketInfo | None:
    with read_transaction(session):
        ticket = _current(session, counter_row(session, cfg, counter))
        return _info(session, ticket) if ticket else None


def parked_tickets(session: Session, cfg: CentreConfig, counter: int) -> list[TicketInfo]:
    with read_transaction(session):
        row = counter_row(session, cfg, counter)
        rows = session.scalars(select(Ticket).where(Ticket.counter_id == row.id, Ticket.status == "parked").order_by(Ticket.id))
        return [_info(session, t) for t in rows]


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


def next_numbers(session: Session, cfg: CentreConfig, counter: int, limit: int = 5, *, now: datetime | None = None) -> list[str]:
    """The numbers most likely to be called next at this counter (priority first, then oldest).

    Reads the head of each service's queue by index, so it costs the same with 10 or 100,000 waiting.
    """
    day = today(cfg, now)
    with read_transaction(session):
        row = counter_row(session, cfg, counter)
        services = counter_service_ids(session, row)
        places = _waiting_heads(session, services, day, True, limit)
        places += _waiting_heads(session, services, day, False, limit - len(places)) if len(places) < limit else []
        if not places:
            return []
        rows = session.execute(select(Ticket.id, Ticket.number).where(Ticket.id.in_([i for _, i in places])))
        numbers = {ticket_id: number for ticket_id, number in rows}
        return [numbers[i] for _, i in places]


def list_tickets(session: Session, cfg: CentreConfig, day: date | None = None) -> list[TicketInfo]:
    wanted = day or today(cfg)
    with read_transaction(session):
        rows = list(session.scalars(select(Ticket).where(Ticket.day == wanted).order_by(Ticket.id)))
        return [_info(session, t) for t in rows]


def find_ticket(session: Session, cfg: CentreConfig, number: str, day: date | None = None) -> TicketInfo:
    wanted = day or today(cfg)
    with read_transaction(session):
        ticket = _ticket_by_number(session, cfg, number, wanted)
        ahead = None
        if ticket.status == "waiting":
            ahead = session.scalar(
                select(func.count()).select_from(Ticket).where(
                    Ticket.service_id == ticket.service_id, Ticket.day == ticket.day, Ticket.status == "waiting",
                    (Ticket.is_priority.is_(True) if not ticket.is_priority else false())
                    | ((Ticket.is_priority == ticket.is_priority)
                       & ((Ticket.queued_at < ticket.queued_at)
                          | ((Ticket.queued_at == ticket.queued_at) & (Ticket.id < ticket.id)))),
                )
            )
        return _info(session, ticket, ahead=ahead)


def _ticket_by_number(session: Session, cfg: CentreConfig, number: str, day: date, *, lock: bool = False) -> Ticket:
    stmt = select(Ticket).where(Ticket.day == day, Ticket.number == number.strip().upper())
    if lock:
        stmt = stmt.with_for_update()
    ticket = session.scalar(stmt)
    if ticket is None:
        raise TicketNotFound(number, day.strftime("%d/%m/%Y"))
    return ticket


def _service(session: Session, service_id: int) -> Service:
    """The service row, kept for the session's life (the identity map alone holds rows weakly)."""
    cache: dict[int, Service] = session.info.setdefault("lobby_services", {})
    svc = cache.get(service_id)
    if svc is None:
        svc = session.get(Service, service_id)
        assert svc is not None
        cache[service_id] = svc
    return svc


def _code(session: Session, ticket: Ticket) -> str:
    return _service(session, ticket.service_id).code


def _info(session: Session, t: Ticket, *, ahead: int | None = None, wait: int | None = None) -> TicketInfo:
    svc = _service(session, t.service_id)
    counter = session.get(Counter, t.counter_id) if t.counter_id else None
    staff = session.get(Staff, t.staff_id) if t.staff_id else None
    return TicketInfo(
        id=t.id, day=t.day, number=t.number, seq=t.seq, service=svc.code, service_name_vi=svc.name_vi,
        service_name_en=svc.name_en, status=t.status, priority=t.priority_group,
        counter=counter.number if counter else None, staff=staff.username if staff else None,
        issued_at=t.issued_at, called_at=t.called_at, started_at=t.started_at, finished_at=t.finished_at,
        call_count=t.call_count, ahead=ahead, estimated_wait_min=wait, note=t.note,
    )
