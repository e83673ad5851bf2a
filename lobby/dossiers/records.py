"""Dossiers in the store: receive, mark ready, mark returned, find, list, and notice the late ones.

Each public function is one transaction and writes the event of every change it makes
in that same transaction (the event's ``data`` carries the dossier code). A command naming
several dossiers changes all of them or none.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import as_utc, at_or_now, local
from lobby.config import CentreConfig
from lobby.dossiers.calendar import WorkingCalendar, promise_after
from lobby.dossiers.model import (
    NOT_READY,
    BadPromise,
    DossierExists,
    DossierInfo,
    DossierNotFound,
    DossierState,
    DossierStateError,
    normalise_code,
)
from lobby.dossiers.settings import settings
from lobby.errors import TicketNotFound
from lobby.feed.events import record_event
from lobby.store.catalog import service_row
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Counter, Dossier, Service, Staff, Ticket
from lobby.vocabulary import EventKind

MAX_PROMISE = timedelta(days=366)
LIST_LIMIT = 1000


def calendar_of(cfg: CentreConfig) -> WorkingCalendar:
    ds = settings(cfg)
    return WorkingCalendar.of(cfg.centre.opening_days, ds.holidays, ds.extra_working_days)


def default_promise(cfg: CentreConfig, service_code: str, received_at: datetime) -> datetime:
    """The service's usual processing time in working days after ``received_at`` (see ``lobby.dossiers.calendar``)."""
    ds = settings(cfg)
    sc = cfg.service(service_code)
    return promise_after(received_at, ds.days_for(sc.code), calendar_of(cfg), cfg.tz, ds.due_time)


def state_now(row: Dossier, now: datetime) -> DossierState:
    """The state at ``now``: not ready past the promise is overdue, whether or not that was recorded yet."""
    state = DossierState(row.state)
    if state in NOT_READY and as_utc(now) > row.promised_at:
        return DossierState.OVERDUE
    return state


def _stamp(cfg: CentreConfig, at: datetime) -> str:
    return local(at, cfg.tz).strftime("%H:%M %d/%m/%Y")


def _row(session: Session, code: str, *, lock: bool = False) -> Dossier:
    stmt = select(Dossier).where(Dossier.code == code)
    if lock:
        stmt = stmt.with_for_update()
    row = session.scalar(stmt)
    if row is None:
        raise DossierNotFound(code)
    return row


def _info(session: Session, row: Dossier, now: datetime) -> DossierInfo:
    svc = session.get(Service, row.service_id)
    assert svc is not None
    ticket = session.get(Ticket, row.ticket_id) if row.ticket_id else None
    member = session.get(Staff, row.staff_id) if row.staff_id else None
    return DossierInfo(
        code=row.code, service=svc.code, service_name_vi=svc.name_vi, service_name_en=svc.name_en,
        state=state_now(row, now), received_at=row.received_at, promised_at=row.promised_at,
        first_promised_at=row.first_promised_at, ready_at=row.ready_at, returned_at=row.returned_at,
        ticket=ticket.number if ticket else None, staff=member.username if member else None,
        counter=row.counter_number, reschedules=row.reschedules,
    )


def _event(session: Session, kind: EventKind, row: Dossier, service_code: str, *, at: datetime,
           actor: str | None, staff_id: int | None = None, ticket: Ticket | None = None,
           **data: object) -> None:
    record_event(session, kind, ticket=ticket, service_code=service_code, counter_number=row.counter_number,
                 staff_id=staff_id, actor=actor, at=at, data={"code": row.code, **data})


def _check_promise(cfg: CentreConfig, promised: datetime, received: datetime) -> datetime:
    promised = as_utc(promised)
    if promised <= received:
        raise BadPromise(
            f"Ngày hẹn trả {_stamp(cfg, promised)} không sau thời điểm tiếp nhận {_stamp(cfg, received)}: "
            "chọn một ngày sau hôm nay.",
            f"The promised time {_stamp(cfg, promised)} is not after the time received {_stamp(cfg, received)}: "
            "choose a later date.")
    if promised - received > MAX_PROMISE:
        raise BadPromise(
            f"Ngày hẹn trả {_stamp(cfg, promised)} xa hơn một năm: kiểm tra lại năm.",
            f"The promised time {_stamp(cfg, promised)} is more than a year away: check the year.")
    return promised


def _receiving_ticket(session: Session, cfg: CentreConfig, ticket_id: int | None, number: str | None,
                      day: date) -> Ticket | None:
    if ticket_id is not None:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise TicketNotFound(str(ticket_id), day.strftime("%d/%m/%Y"))
        return ticket
    if not number:
        return None
    ticket = session.scalar(select(Ticket).where(Ticket.day == day, Ticket.number == number.strip().upper()))
    if ticket is None:
        raise TicketNotFound(number.strip().upper(), day.strftime("%d/%m/%Y"))
    return ticket


def receive(
    session: Session,
    cfg: CentreConfig,
    code: str,
    service_code: str,
    *,
    promised: datetime | None = None,
    ticket_number: str | None = None,
    ticket_id: int | None = None,
    staff_id: int | None = None,
    counter: int | None = None,
    actor: str = "counter",
    now: datetime | None = None,
) -> DossierInfo:
    """Record a dossier received (with the visit's ticket, official and counter when known).

    Without ``promised`` the service's usual processing time applies. A code already
    received is refused (DossierExists): a receipt's code is never reused.
    """
    at = at_or_now(now)
    code = normalise_code(code)
    sc = cfg.service(service_code)
    promise = _check_promise(cfg, promised, at) if promised is not None else default_promise(cfg, sc.code, at)
    with transaction(session):
        existing = session.scalar(select(Dossier).where(Dossier.code == code))
        if existing is not None:
            raise DossierExists(code, _stamp(cfg, existing.received_at))
        svc = service_row(session, cfg, sc.code)
        ticket = _receiving_ticket(session, cfg, ticket_id, ticket_number, local(at, cfg.tz).date())
        if ticket is not None:
            staff_id = staff_id if staff_id is not None else ticket.staff_id
        row = Dossier(
            code=code, service_id=svc.id, state=DossierState.RECEIVED, ticket_id=ticket.id if ticket else None,
            staff_id=staff_id, counter_number=counter, received_at=at, first_promised_at=promise,
            promised_at=promise, reschedules=0,
        )
        session.add(row)
        session.flush()
        _event(session, EventKind.DOSSIER_RECEIVED, row, svc.code, at=at, actor=actor, staff_id=staff_id,
               ticket=ticket, promised_at=promise.isoformat())
        return _info(session, row, at)


def mark_ready(
    session: Session,
    cfg: CentreConfig,
    codes: Sequence[str],
    *,
    actor: str = "counter",
    staff_id: int | None = None,
    now: datetime | None = None,
    ready_at: datetime | None = None,
) -> list[DossierInfo]:
    """The results are ready: every code, or none (an unknown code or one already ready refuses them all)."""
    at = at_or_now(now)
    wanted = list(dict.fromkeys(normalise_code(c) for c in codes))
    with transaction(session):
        rows = [_row(session, code, lock=True) for code in wanted]
        for row in rows:
            if DossierState(row.state) not in NOT_READY:
                since = row.ready_at or row.returned_at or row.received_at
                raise DossierStateError(row.code, row.state,
                                        f"đã đánh dấu từ {_stamp(cfg, since)}, không đánh dấu lại.",
                                        f"marked at {_stamp(cfg, since)} already; not marked again.")
        out = []
        for row in rows:
            code = session.get(Service, row.service_id).code  # type: ignore[union-attr]
            row.state, row.ready_at, row.ready_by = DossierState.READY, as_utc(ready_at) if ready_at else at, actor[:64]
            _event(session, EventKind.DOSSIER_READY, row, code, at=at, actor=actor, staff_id=staff_id,
                   on_time=row.ready_at <= row.first_promised_at)
            out.append(_info(session, row, at))
        return out


def mark_returned(
    session: Session,
    cfg: CentreConfig,
    code: str,
    *,
    actor: str = "counter",
    staff_id: int | None = None,
    counter: int | None = None,
    now: datetime | None = None,
) -> DossierInfo:
    """The citizen collected the result (it must have been marked ready first)."""
    at = at_or_now(now)
    code = normalise_code(code)
    with transaction(session):
        row = _row(session, code, lock=True)
        if row.state != DossierState.READY:
            raise DossierStateError(
                row.code, state_now(row, at),
                "chỉ trả kết quả đã sẵn sàng; đánh dấu «đã có kết quả» trước (lobby dossier ready).",
                "only a ready result is returned; mark it ready first (lobby dossier ready).")
        row.state, row.returned_at = DossierState.RETURNED, at
        svc_code = session.get(Service, row.service_id).code  # type: ignore[union-attr]
        _event(session, EventKind.DOSSIER_RETURNED, row, svc_code, at=at, actor=actor, staff_id=staff_id,
               returned_counter=counter)
        return _info(session, row, at)


def find(session: Session, cfg: CentreConfig, code: str, *, now: datetime | None = None) -> DossierInfo:
    at = at_or_now(now)
    code = normalise_code(code)
    with read_transaction(session):
        return _info(session, _row(session, code), at)


def find_or_none(session: Session, cfg: CentreConfig, code: str, *, now: datetime | None = None) -> DossierInfo | None:
    try:
        return find(session, cfg, code, now=now)
    except DossierNotFound:
        return None


def list_dossiers(session: Session, cfg: CentreConfig, *, overdue_only: bool = False,
                  now: datetime | None = None, limit: int = LIST_LIMIT) -> list[DossierInfo]:
    """Dossiers by promise (the most pressing first); ``overdue_only``: not ready although promised before now."""
    at = at_or_now(now)
    stmt = select(Dossier)
    if overdue_only:
        stmt = stmt.where(Dossier.state.in_([str(s) for s in NOT_READY]),
                          (Dossier.state == DossierState.OVERDUE) | (Dossier.promised_at < at))
    stmt = stmt.order_by(Dossier.promised_at, Dossier.id).limit(limit)
    with read_transaction(session):
        return [_info(session, row, at) for row in session.scalars(stmt)]


def of_ticket(session: Session, cfg: CentreConfig, ticket_id: int, *, now: datetime | None = None) -> list[DossierInfo]:
    """The dossiers received during one visit (the citizen's ticket page shows them)."""
    at = at_or_now(now)
    with read_transaction(session):
        rows = session.scalars(select(Dossier).where(Dossier.ticket_id == ticket_id).order_by(Dossier.id))
        return [_info(session, row, at) for row in rows]


def record_overdue(session: Session, cfg: CentreConfig, *, now: datetime | None = None,
                   actor: str = "lobby") -> list[str]:
    """Record ``overdue`` (one event each) for the dossiers whose promise has passed while not ready."""
    at = at_or_now(now)
    with transaction(session):
        rows = list(session.scalars(
            select(Dossier).where(Dossier.state == DossierState.RECEIVED, Dossier.promised_at < at)
            .order_by(Dossier.id).with_for_update()))
        for row in rows:
            _mark_overdue(session, row, at, actor)
        return [row.code for row in rows]


def _mark_overdue(session: Session, row: Dossier, at: datetime, actor: str | None) -> None:
    row.state, row.overdue_at = DossierState.OVERDUE, at
    svc_code = session.get(Service, row.service_id).code  # type: ignore[union-attr]
    _event(session, EventKind.DOSSIER_OVERDUE, row, svc_code, at=at, actor=actor,
           promised_at=row.promised_at.isoformat())



@dataclass(frozen=True)
class Visit:
    """The ticket of the visit a dossier is received in."""

    ticket_id: int
    number: str
    service: str


def visit_ticket(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> Visit | None:
    """The ticket whose visit a dossier belongs to at ``counter``: the one being served, else the one finished
    last there today (the official records the dossier right after serving)."""
    at = at_or_now(now)
    with read_transaction(session):
        counter_id = session.scalar(select(Counter.id).where(Counter.number == counter))
        if counter_id is None:
            return None
        day = local(at, cfg.tz).date()
        stmt = (select(Ticket.id, Ticket.number, Service.code).join(Service, Service.id == Ticket.service_id)
                .where(Ticket.counter_id == counter_id, Ticket.day == day,
                       Ticket.status.in_(("serving", "called", "done")))
                .order_by(Ticket.status.in_(("serving", "called")).desc(), Ticket.finished_at.desc(), Ticket.id.desc())
                .limit(1))
        row = session.execute(stmt).first()
        return Visit(row[0], row[1], row[2]) if row is not None else None
