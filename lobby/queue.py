"""The queue rules: issuing, calling and serving tickets.

Each public function is one transaction over a fresh session and writes the event
row of every state change it makes in that same transaction. Times are stored in
UTC; the ticket's day is the centre's local day (see ``lobby.clock``).

Call order ("call next"): priority tickets first, oldest first across the
services the counter serves, except that after ``priority_policy.max_consecutive``
priority calls in a row at one counter while an older ordinary ticket waits, that
ordinary ticket gets its turn. On PostgreSQL candidates are taken with
``FOR UPDATE SKIP LOCKED`` so two counters never get the same ticket; on SQLite the
transaction began with ``BEGIN IMMEDIATE`` and so runs alone.
"""
from __future__ import annotations

import math
from datetime import date, datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lobby.catalog import counter_row, counter_service_ids, service_row
from lobby.clock import as_utc, local, local_day, utcnow
from lobby.config import CentreConfig, ServiceConfig
from lobby.errors import (
    AlreadyRated,
    CounterNotOpen,
    DailyLimitReached,
    InvalidTransition,
    NoCurrentTicket,
    ServiceClosed,
    TicketNotFound,
)
from lobby.events import record_event
from lobby.models import Counter, CounterService, DaySequence, Rating, Service, Staff, Ticket
from lobby.store import transaction
from lobby.views import AT_COUNTER, OPEN_STATUSES, RATINGS, TicketInfo

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
    caller checks that member's PIN first, see ``lobby.staff.verify_pin``).
    """
    at = _now(now)
    sc = cfg.service(service_code)
    group = cfg.priority_group(priority) if priority else None
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
    )
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


def _adjust_waiting(session: Session, ticket: Ticket, delta: int) -> None:
    """Keep day_sequence.waiting in step when a ticket enters (+1) or leaves (-1) the waiting state."""
    p = delta if ticket.is_priority else 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(DaySequence).values(
        day=ticket.day, service_id=ticket.service_id, next_number=1, issued=0, waiting=max(delta, 0),
        waiting_priority=max(p, 0),
    ).on_conflict_do_update(
        index_elements=[DaySequence.day, DaySequence.service_id],
        set_={"waiting": DaySequence.waiting + delta, "waiting_priority": DaySequence.waiting_priority + p},
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
        .where(Ticket.service_id == svc.id, Ticket.finished_at.is_not(None), Ticket.started_at.is_not(None))
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
        raise CounterNotOpen(counter.number, "tạm nghỉ")
    if counter.state == "closed":
        counter.state = "open"
        counter.updated_at = at
        record_event(session, "counter_opened", counter_number=counter.number, staff_id=counter.staff_id, at=at)


def _current(session: Session, counter: Counter) -> Ticket | None:
    return session.scalar(
        select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status.in_(AT_COUNTER)).order_by(Ticket.id)
    )


def _finish(session: Session, ticket: Ticket, counter: Counter, at: datetime, note: str | None = None) -> None:
    ticket.status = "done"
    ticket.started_at = ticket.started_at or ticket.last_called_at or at
    ticket.finished_at = at
    if note:
        ticket.note = note
    record_event(
        session, "finished", ticket=ticket, service_code=_code(session, ticket), counter_number=counter.number,
        staff_id=ticket.staff_id, at=at, data={"note": note} if note else None,
    )


def _finish_current(session: Session, counter: Counter, at: datetime) -> None:
    while (ticket := _current(session, counter)) is not None:
        _finish(session, ticket, counter, at)


def _candidate(session: Session, service_id: int, day: date, priority: bool) -> Ticket | None:
    stmt: Select[tuple[Ticket]] = (
        select(Ticket)
        .where(
            Ticket.service_id == service_id, Ticket.day == day, Ticket.status == "waiting",
            Ticket.is_priority.is_(priority),
        )
        .order_by(Ticket.queued_at, Ticket.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.scalar(stmt)


def _oldest(tickets: list[Ticket | None]) -> Ticket | None:
    present = [t for t in tickets if t is not None]
    return min(present, key=lambda t: (t.queued_at, t.id)) if present else None


def _choose(session: Session, cfg: CentreConfig, counter: Counter, day: date) -> Ticket | None:
    services = counter_service_ids(session, counter)
    best_priority = _oldest([_candidate(session, s, day, True) for s in services])
    best_ordinary = _oldest([_candidate(session, s, day, False) for s in services])
    if best_priority is None:
        counter.priority_streak = 0
        return best_ordinary
    older_ordinary_waits = best_ordinary is not None and (best_ordinary.queued_at, best_ordinary.id) < (
        best_priority.queued_at, best_priority.id)
    if not older_ordinary_waits:
        return best_priority
    if counter.priority_streak >= cfg.priority_policy.max_consecutive:
        counter.priority_streak = 0
        return best_ordinary
    counter.priority_streak += 1
    return best_priority


def _call(session: Session, ticket: Ticket, counter: Counter, at: datetime, kind: str = "called") -> None:
    if ticket.status == "waiting":
        _adjust_waiting(session, ticket, -1)
    ticket.status = "called"
    ticket.counter_id = counter.id
    ticket.staff_id = counter.staff_id
    ticket.called_at = ticket.called_at or at
    ticket.last_called_at = at
    ticket.call_count += 1
    record_event(
        session, kind, ticket=ticket, service_code=_code(session, ticket), counter_number=counter.number,
        staff_id=counter.staff_id, at=at, data={"priority": ticket.priority_group},
    )


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
        record_event(session, "serving", ticket=ticket, service_code=_code(session, ticket),
                     counter_number=row.number, staff_id=ticket.staff_id, at=at)
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
        record_event(session, "no_show", ticket=ticket, service_code=_code(session, ticket),
                     counter_number=row.number, staff_id=ticket.staff_id, at=at)
        return _info(session, ticket)


def transfer(session: Session, cfg: CentreConfig, counter: int, service_code: str, *, now: datetime | None = None) -> TicketInfo:
    """Send the current ticket to wait for another service, keeping its number and place by issue time."""
    at = _now(now)
    target_cfg = cfg.service(service_code)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, AT_COUNTER, ("chuyển", "transferred"))
        target = service_row(session, cfg, target_cfg.code)
        source_code = _code(session, ticket)
        ticket.service_id = target.id
        ticket.status = "waiting"
        ticket.counter_id = None
        ticket.staff_id = None
        ticket.queued_at = ticket.issued_at
        _adjust_waiting(session, ticket, +1)
        record_event(
            session, "transferred", ticket=ticket, service_code=target.code, counter_number=row.number,
            staff_id=row.staff_id, at=at, data={"from": source_code, "to": target.code},
        )
        return _info(session, ticket)


def park(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo:
    """Set the current ticket aside at this counter (e.g. the citizen fetches a missing paper)."""
    at = _now(now)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, AT_COUNTER, ("tạm gác", "parked"))
        ticket.status = "parked"
        record_event(session, "parked", ticket=ticket, service_code=_code(session, ticket),
                     counter_number=row.number, staff_id=row.staff_id, at=at)
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
        record_event(session, "resumed", ticket=ticket, service_code=_code(session, ticket),
                     counter_number=row.number, staff_id=row.staff_id, at=at)
        return _info(session, ticket)


def cancel(session: Session, cfg: CentreConfig, number: str, *, actor: str | None = None, now: datetime | None = None) -> TicketInfo:
    at = _now(now)
    with transaction(session):
        ticket = _ticket_by_number(session, cfg, number, local_day(at, cfg.tz), lock=True)
        if ticket.status != "waiting":
            raise InvalidTransition(ticket.number, ticket.status, "hủy", "cancelled")
        _adjust_waiting(session, ticket, -1)
        ticket.status = "cancelled"
        ticket.finished_at = at
        record_event(session, "cancelled", ticket=ticket, service_code=_code(session, ticket), actor=actor, at=at)
        return _info(session, ticket)


def close_day(session: Session, cfg: CentreConfig, *, now: datetime | None = None) -> int:
    """Expire every ticket still open up to today and close the counters; history is kept, never deleted."""
    at = _now(now)
    day = local_day(at, cfg.tz)
    with transaction(session):
        open_tickets = list(session.scalars(
            select(Ticket).where(Ticket.status.in_(OPEN_STATUSES), Ticket.day <= day).with_for_update()
        ))
        codes = {s.id: s.code for s in session.scalars(select(Service))}
        for ticket in open_tickets:
            previous = ticket.status
            ticket.status = "expired"
            ticket.finished_at = at
            record_event(session, "expired", ticket=ticket, service_code=codes.get(ticket.service_id), at=at,
                         data={"from": previous})
        session.execute(update(DaySequence).where(DaySequence.day <= day).values(waiting=0, waiting_priority=0))
        for counter in session.scalars(select(Counter).where(Counter.state != "closed")):
            counter.state = "closed"
            counter.staff_id = None
            counter.updated_at = at
            record_event(session, "counter_closed", counter_number=counter.number, at=at)
        record_event(session, "day_closed", at=at, data={"day": day.isoformat(), "expired": len(open_tickets)})
        return len(open_tickets)


# ---------------------------------------------------------------- rating


def rate(session: Session, cfg: CentreConfig, ticket_id: int, value: str, *, now: datetime | None = None) -> None:
    """Store the citizen's one rating of a finished service (a second one raises AlreadyRated)."""
    if value not in RATINGS:
        raise ValueError(f"rating must be one of {', '.join(RATINGS)}, got {value!r}")
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
            record_event(session, "rated", ticket=ticket, service_code=_code(session, ticket),
                         counter_number=counter.number if counter else None, staff_id=ticket.staff_id, at=at,
                         data={"value": value})
    except IntegrityError:
        raise AlreadyRated(number) from None


def rating_of(session: Session, ticket_id: int) -> str | None:
    with session.begin():
        row = session.get(Rating, ticket_id)
        return row.value if row else None


# ---------------------------------------------------------------- reading


def current_ticket(session: Session, cfg: CentreConfig, counter: int) -> TicketInfo | None:
    with transaction(session):
        ticket = _current(session, counter_row(session, cfg, counter))
        return _info(session, ticket) if ticket else None


def parked_tickets(session: Session, cfg: CentreConfig, counter: int) -> list[TicketInfo]:
    with transaction(session):
        row = counter_row(session, cfg, counter)
        rows = session.scalars(select(Ticket).where(Ticket.counter_id == row.id, Ticket.status == "parked").order_by(Ticket.id))
        return [_info(session, t) for t in rows]


def waiting_counts(session: Session, cfg: CentreConfig, *, now: datetime | None = None) -> dict[str, int]:
    """Service code → tickets waiting today, for every configured service (0 when none)."""
    day = today(cfg, now)
    with transaction(session):
        rows = session.execute(
            select(Service.code, DaySequence.waiting).join(DaySequence, DaySequence.service_id == Service.id)
            .where(DaySequence.day == day)
        ).all()
    counts = {s.code: 0 for s in cfg.services}
    counts.update({code: waiting for code, waiting in rows if code in counts})
    return counts


def next_numbers(session: Session, cfg: CentreConfig, counter: int, limit: int = 5, *, now: datetime | None = None) -> list[str]:
    """The numbers most likely to be called next at this counter (priority first, then oldest)."""
    day = today(cfg, now)
    with transaction(session):
        row = counter_row(session, cfg, counter)
        services = counter_service_ids(session, row)
        stmt = (
            select(Ticket.number)
            .where(Ticket.service_id.in_(services), Ticket.day == day, Ticket.status == "waiting")
            .order_by(Ticket.is_priority.desc(), Ticket.queued_at, Ticket.id)
            .limit(limit)
        )
        return list(session.scalars(stmt))


def list_tickets(session: Session, cfg: CentreConfig, day: date | None = None) -> list[TicketInfo]:
    wanted = day or today(cfg)
    with transaction(session):
        rows = list(session.scalars(select(Ticket).where(Ticket.day == wanted).order_by(Ticket.id)))
        return [_info(session, t) for t in rows]


def find_ticket(session: Session, cfg: CentreConfig, number: str, day: date | None = None) -> TicketInfo:
    wanted = day or today(cfg)
    with transaction(session):
        ticket = _ticket_by_number(session, cfg, number, wanted)
        ahead = None
        if ticket.status == "waiting":
            ahead = session.scalar(
                select(func.count()).select_from(Ticket).where(
                    Ticket.service_id == ticket.service_id, Ticket.day == ticket.day, Ticket.status == "waiting",
                    (Ticket.is_priority > ticket.is_priority)
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


def _code(session: Session, ticket: Ticket) -> str:
    svc = session.get(Service, ticket.service_id)
    assert svc is not None
    return svc.code


def _info(session: Session, t: Ticket, *, ahead: int | None = None, wait: int | None = None) -> TicketInfo:
    svc = session.get(Service, t.service_id)
    assert svc is not None
    counter = session.get(Counter, t.counter_id) if t.counter_id else None
    staff = session.get(Staff, t.staff_id) if t.staff_id else None
    return TicketInfo(
        id=t.id, day=t.day, number=t.number, seq=t.seq, service=svc.code, service_name_vi=svc.name_vi,
        service_name_en=svc.name_en, status=t.status, priority=t.priority_group,
        counter=counter.number if counter else None, staff=staff.username if staff else None,
        issued_at=t.issued_at, called_at=t.called_at, started_at=t.started_at, finished_at=t.finished_at,
        call_count=t.call_count, ahead=ahead, estimated_wait_min=wait, note=t.note,
    )
