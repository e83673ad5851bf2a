"""Remarks and complaints (góp ý, phản ánh): received, assigned, answered, closed; each step an event.

A remark's text is stored exactly as typed (no trimming, no normalising) and is refused whole,
never cut, when it is over the configured length; the caller keeps the typed text to show
again. Its answer is due ``answer_working_days`` working days after the local day it arrives,
counted with the dossiers' working calendar (``lobby.dossiers.calendar``), by the end of that
day. A remark is *handled* when answered or closed; *overdue* while unhandled past its deadline.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.dossiers.calendar import promise_after
from lobby.dossiers.records import calendar_of
from lobby.errors import TicketNotFound, UnknownStaff
from lobby.feed.events import record_event
from lobby.feedback.errors import RemarkClosed, RemarkNotFound, TextEmpty, TextInvalid, TextTooLong
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Counter, Remark, Service, Staff, Ticket
from lobby.vocabulary import EventKind

RECEIVED, ASSIGNED, ANSWERED, CLOSED = "received", "assigned", "answered", "closed"
STATES = (RECEIVED, ASSIGNED, ANSWERED, CLOSED)
END_OF_DAY = time(23, 59)
LIST_LIMIT = 500


def check_text(text: str, limit: int, field_vi: str, field_en: str, *, required: bool = True) -> str:
    """The text as typed, or a one-line error: empty, too long (never cut) or holding a NUL."""
    if required and not text.strip():
        raise TextEmpty(field_vi, field_en)
    if len(text) > limit:
        raise TextTooLong(field_vi, field_en, len(text), limit)
    if "\x00" in text:
        raise TextInvalid(field_vi, field_en)
    return text


def answer_due(cfg: CentreConfig, received_at: datetime) -> datetime:
    """The end of the ``answer_working_days``-th working day after the day the remark arrived."""
    return promise_after(received_at, cfg.feedback.answer_working_days, calendar_of(cfg), cfg.tz, END_OF_DAY)


@dataclass(frozen=True)
class RemarkView:
    """A remark as the inbox and the ticket page show it (detached from the session)."""

    id: int
    body: str
    contact: str | None
    state: str
    received_at: datetime
    due_at: datetime
    ticket_number: str | None
    service_code: str | None
    service_name: str | None
    counter_number: int | None
    staff_name: str | None
    assigned_to: str | None
    answer: str | None
    answered_at: datetime | None
    closed_at: datetime | None
    overdue: bool

    @property
    def handled_at(self) -> datetime | None:
        return self.answered_at or self.closed_at


def _view(session: Session, r: Remark, now: datetime) -> RemarkView:
    ticket = session.get(Ticket, r.ticket_id) if r.ticket_id else None
    service = session.get(Service, r.service_id) if r.service_id else None
    counter = session.get(Counter, r.counter_id) if r.counter_id else None
    staff = _person(session, r.staff_id)
    assignee = _person(session, r.assigned_to_id)
    handled = r.answered_at or r.closed_at
    return RemarkView(
        id=r.id, body=r.body, contact=r.contact, state=r.state, received_at=r.received_at, due_at=r.due_at,
        ticket_number=ticket.number if ticket else None, service_code=service.code if service else None,
        service_name=service.name_vi if service else None, counter_number=counter.number if counter else None,
        staff_name=staff[1] if staff else None, assigned_to=assignee[1] if assignee else None,
        answer=r.answer, answered_at=r.answered_at, closed_at=r.closed_at,
        overdue=handled is None and now > r.due_at)


def submit_remark(session: Session, cfg: CentreConfig, body: str, *, contact: str = "",
                  ticket_id: int | None = None, now: datetime | None = None) -> RemarkView:
    """Store a remark (linked to a ticket, so to its service, counter and official; or anonymous)."""
    fb = cfg.feedback
    check_text(body, fb.remark_max_chars, "Nội dung góp ý", "remark")
    check_text(contact, fb.contact_max_chars, "Thông tin liên hệ", "contact", required=False)
    at = at_or_now(now)
    with transaction(session):
        ticket = None
        if ticket_id is not None:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise TicketNotFound(str(ticket_id), "?")
        row = Remark(ticket_id=ticket.id if ticket else None, service_id=ticket.service_id if ticket else None,
                     counter_id=ticket.counter_id if ticket else None, staff_id=ticket.staff_id if ticket else None,
                     body=body, contact=contact if contact.strip() else None, state=RECEIVED,
                     received_at=at, due_at=answer_due(cfg, at))
        session.add(row)
        session.flush()
        service = session.get(Service, row.service_id) if row.service_id else None
        counter = session.get(Counter, row.counter_id) if row.counter_id else None
        record_event(session, EventKind.REMARK_RECEIVED, ticket=ticket,
                     service_code=service.code if service else None,
                     counter_number=counter.number if counter else None, staff_id=row.staff_id, at=at,
                     actor="ticket-page" if ticket else "anonymous",
                     data={"remark": row.id, "chars": len(body), "contact": row.contact is not None,
                           "due_at": row.due_at.isoformat()})
        return _view(session, row, at)


def _open_remark(session: Session, remark_id: int) -> Remark:
    row = session.get(Remark, remark_id, with_for_update=True)
    if row is None:
        raise RemarkNotFound(remark_id)
    if row.state == CLOSED:
        raise RemarkClosed(remark_id)
    return row


def _person(session: Session, staff_id: int | None) -> tuple[str, str] | None:
    """(username, full name) of a member; only these columns, which every role may read (never the PIN hash).
    Remembered for the session's life (one per request or operation), so an inbox asks once per member."""
    if staff_id is None:
        return None
    known: dict[int, tuple[str, str] | None] = session.info.setdefault("lobby_feedback_people", {})
    if staff_id not in known:
        row = session.execute(select(Staff.username, Staff.full_name).where(Staff.id == staff_id)).first()
        known[staff_id] = (row[0], row[1]) if row else None
    return known[staff_id]


def _staff(session: Session, staff_id: int) -> tuple[str, str]:
    member = _person(session, staff_id)
    if member is None:
        raise UnknownStaff(str(staff_id))
    return member


def _step(session: Session, kind: EventKind, row: Remark, by: int, at: datetime, data: dict[str, object]) -> None:
    ticket = session.get(Ticket, row.ticket_id) if row.ticket_id else None
    service = session.get(Service, row.service_id) if row.service_id else None
    record_event(session, kind, ticket=ticket, service_code=service.code if service else None, staff_id=by, at=at,
                 data={"remark": row.id, **data})


def assign_remark(session: Session, cfg: CentreConfig, remark_id: int, to_staff_id: int, *, by: int,
                  now: datetime | None = None) -> RemarkView:
    at = at_or_now(now)
    with transaction(session):
        row = _open_remark(session, remark_id)
        member = _staff(session, to_staff_id)
        row.assigned_to_id, row.assigned_at = to_staff_id, at
        if row.state == RECEIVED:
            row.state = ASSIGNED
        _step(session, EventKind.REMARK_ASSIGNED, row, by, at, {"to": member[0]})
        return _view(session, row, at)


def answer_remark(session: Session, cfg: CentreConfig, remark_id: int, answer: str, *, by: int,
                  now: datetime | None = None) -> RemarkView:
    """Write (or correct) the answer; each version stays in its event. Shown on the linked ticket's page."""
    check_text(answer, cfg.feedback.answer_max_chars, "Câu trả lời", "answer")
    at = at_or_now(now)
    with transaction(session):
        row = _open_remark(session, remark_id)
        _staff(session, by)
        first = row.answered_at is None
        row.answer, row.answered_by_id, row.state = answer, by, ANSWERED
        if first:
            row.answered_at = at
        _step(session, EventKind.REMARK_ANSWERED, row, by, at,
              {"answer": answer, "on_time": (row.answered_at or at) <= row.due_at, "first": first})
        return _view(session, row, at)


def close_remark(session: Session, cfg: CentreConfig, remark_id: int, *, by: int,
                 now: datetime | None = None) -> RemarkView:
    at = at_or_now(now)
    with transaction(session):
        row = _open_remark(session, remark_id)
        _staff(session, by)
        row.state, row.closed_at, row.closed_by_id = CLOSED, at, by
        _step(session, EventKind.REMARK_CLOSED, row, by, at, {"answered": row.answered_at is not None})
        return _view(session, row, at)


def list_remarks(session: Session, cfg: CentreConfig, *, state: str | None = None, overdue_only: bool = False,
                 now: datetime | None = None, limit: int = LIST_LIMIT) -> list[RemarkView]:
    """The inbox: unhandled first by deadline, then the rest newest first (at most ``limit``)."""
    at = at_or_now(now)
    with read_transaction(session):
        stmt = select(Remark)
        if state is not None:
            stmt = stmt.where(Remark.state == state)
        if overdue_only:
            stmt = stmt.where(Remark.state.in_((RECEIVED, ASSIGNED)), Remark.due_at < at)
        rows = session.scalars(stmt.order_by(Remark.received_at.desc(), Remark.id.desc()).limit(limit)).all()
        views = [_view(session, r, at) for r in rows]
    views.sort(key=_inbox_order)
    return views


def _inbox_order(v: RemarkView) -> tuple[int, float, int]:
    if v.handled_at is None:
        return 0, v.due_at.timestamp(), v.id
    return 1, -v.received_at.timestamp(), -v.id


def remark(session: Session, cfg: CentreConfig, remark_id: int, *, now: datetime | None = None) -> RemarkView:
    at = at_or_now(now)
    with read_transaction(session):
        row = session.get(Remark, remark_id)
        if row is None:
            raise RemarkNotFound(remark_id)
        return _view(session, row, at)


def remarks_of_ticket(session: Session, cfg: CentreConfig, ticket_id: int, *,
                      now: datetime | None = None) -> list[RemarkView]:
    """The remarks sent from a ticket's page, oldest first, with their answers."""
    at = at_or_now(now)
    with read_transaction(session):
        rows = session.scalars(select(Remark).where(Remark.ticket_id == ticket_id).order_by(Remark.id)).all()
        return [_view(session, r, at) for r in rows]


def assignable_staff(session: Session) -> list[tuple[int, str]]:
    """Who a remark can be given to: active managers and officials, by name (never the PIN hash)."""
    with read_transaction(session):
        rows = session.execute(
            select(Staff.id, Staff.full_name).where(Staff.active, Staff.role.in_(("manager", "official")))
            .order_by(Staff.full_name)
        ).all()
    return [(staff_id, name) for staff_id, name in rows]
