"""What an official does at a counter: call next or a given number, recall, serve, finish, mark a
no-show, transfer, park and resume; and cancelling a waiting ticket.

Each function is one transaction with the event row of every change it makes. Lock order
(PostgreSQL), kept by every rule so that none can deadlock another: counter rows (by id),
then ticket rows, then ``day_sequence`` rows.

The rules work on plain rows (``lobby.store.catalog.CounterRow``, ``lobby.queue.ticket_rows.TicketRow``)
read and written with Core statements built once: a rule's statements are the reads it needs
and one UPDATE per row it changes.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from lobby.clock import at_or_now, local_day
from lobby.config import CentreConfig
from lobby.errors import CounterNotOpen, InvalidTransition, NoCurrentTicket
from lobby.feed.events import record_event
from lobby.queue.call_order import choose_ticket
from lobby.queue.numbering import enter_waiting, leave_waiting
from lobby.queue.ticket_rows import TicketRow, desk_of, row_info, save_ticket, ticket_by_number, ticket_row_event
from lobby.queue.views import TicketInfo
from lobby.store.catalog import CounterRow, read_counter, save_counter, service_by_code
from lobby.store.engine import transaction
from lobby.store.models import duration_us
from lobby.text_limits import NOTE_MAX, clean_optional
from lobby.vocabulary import AT_COUNTER, CounterState, EventKind, TicketState


def _open_counter(session: Session, counter: CounterRow, at: datetime) -> None:
    if counter.state == CounterState.PAUSED:
        raise CounterNotOpen(counter.number, "tạm nghỉ", "paused")
    if counter.state == CounterState.CLOSED:
        counter.set(state=CounterState.OPEN, updated_at=at)
        record_event(session, EventKind.COUNTER_OPENED, counter_number=counter.number, staff_id=counter.staff_id, at=at)


def _finish(session: Session, ticket: TicketRow, counter: CounterRow, at: datetime, note: str | None = None) -> None:
    ticket.status = TicketState.DONE
    ticket.started_at = ticket.started_at or ticket.last_called_at or at
    ticket.finished_at = at
    ticket.service_us = duration_us(ticket.started_at, at)
    if note:
        ticket.note = note
    save_ticket(session, ticket)
    ticket_row_event(session, EventKind.FINISHED, ticket, counter, at, data={"note": note} if note else None)


def _finish_current(session: Session, counter: CounterRow, at: datetime) -> None:
    for ticket in desk_of(session, counter):
        _finish(session, ticket, counter, at)


def _call(session: Session, ticket: TicketRow, counter: CounterRow, at: datetime,
          kind: EventKind = EventKind.CALLED) -> None:
    if ticket.status == TicketState.WAITING:
        leave_waiting(session, ticket)
    ticket.status = TicketState.CALLED
    ticket.at_counter(counter, counter.staff_id, counter.staff_username)
    if ticket.called_at is None:
        ticket.called_at = at
        ticket.wait_us = duration_us(ticket.issued_at, at)
    ticket.last_called_at = at
    ticket.call_count += 1
    save_ticket(session, ticket)
    ticket_row_event(session, kind, ticket, counter, at, data={"priority": ticket.priority_group})


def call_next(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo | None:
    """Finish the counter's current ticket, then call the next one; None when nobody waits."""
    at = at_or_now(now)
    with transaction(session):
        row = read_counter(session, cfg, counter, lock=True)
        _open_counter(session, row, at)
        _finish_current(session, row, at)
        ticket = choose_ticket(session, cfg, row, local_day(at, cfg.tz))
        if ticket is not None:
            _call(session, ticket, row, at)
        save_counter(session, row)
        return row_info(session, ticket) if ticket is not None else None


def call_number(session: Session, cfg: CentreConfig, counter: int, number: str, *,
                now: datetime | None = None) -> TicketInfo:
    """Call a given waiting number out of order (the counter's current ticket is finished first)."""
    at = at_or_now(now)
    with transaction(session):
        row = read_counter(session, cfg, counter, lock=True)
        ticket = ticket_by_number(session, number, local_day(at, cfg.tz), lock=True)
        if ticket.status != TicketState.WAITING:
            raise InvalidTransition(ticket.number, ticket.status, "gọi", "called")
        _open_counter(session, row, at)
        _finish_current(session, row, at)
        _call(session, ticket, row, at)
        save_counter(session, row)
        return row_info(session, ticket)


def _at_counter(
    session: Session, cfg: CentreConfig, counter: int, statuses: tuple[str, ...], action: tuple[str, str],
) -> tuple[CounterRow, TicketRow]:
    row = read_counter(session, cfg, counter, lock=True)
    current = desk_of(session, row)
    if not current:
        raise NoCurrentTicket(counter)
    ticket = current[0]
    if ticket.status not in statuses:
        raise InvalidTransition(ticket.number, ticket.status, *action)
    return row, ticket


def recall(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo:
    at = at_or_now(now)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, (TicketState.CALLED,), ("gọi lại", "recalled"))
        _call(session, ticket, row, at, kind=EventKind.RECALLED)
        return row_info(session, ticket)


def start_serving(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo:
    at = at_or_now(now)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, (TicketState.CALLED,), ("bắt đầu phục vụ", "started"))
        ticket.status = TicketState.SERVING
        ticket.started_at = at
        save_ticket(session, ticket)
        ticket_row_event(session, EventKind.SERVING, ticket, row, at)
        return row_info(session, ticket)


def finish(session: Session, cfg: CentreConfig, counter: int, note: str | None = None, *,
           now: datetime | None = None) -> TicketInfo:
    at = at_or_now(now)
    note = clean_optional(note, "note", NOTE_MAX)  # typed by an official: bounded, no control characters
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, AT_COUNTER, ("kết thúc", "finished"))
        _finish(session, ticket, row, at, note)
        return row_info(session, ticket)


def no_show(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo:
    at = at_or_now(now)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, (TicketState.CALLED,), ("đánh dấu vắng mặt", "marked absent"))
        ticket.status = TicketState.NO_SHOW
        ticket.finished_at = at
        save_ticket(session, ticket)
        ticket_row_event(session, EventKind.NO_SHOW, ticket, row, at)
        return row_info(session, ticket)


def transfer(session: Session, cfg: CentreConfig, counter: int, service_code: str, *,
             now: datetime | None = None) -> TicketInfo:
    """Send the current ticket to wait for another service, keeping its number and place by issue time."""
    at = at_or_now(now)
    target_cfg = cfg.service(service_code)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, AT_COUNTER, ("chuyển", "transferred"))
        target = service_by_code(session, cfg, target_cfg.code)
        source_code = ticket.service.code
        previous, started = ticket.status, ticket.started_at
        ticket.service_id, ticket.service = target.id, target
        ticket.status = TicketState.WAITING
        ticket.at_counter(None, None, None)
        ticket.queued_at = ticket.issued_at
        ticket.started_at = None  # service time is measured per service; the events keep the first one
        save_ticket(session, ticket)  # the ticket before day_sequence: the lock order
        enter_waiting(session, ticket, target_cfg.first_number)
        record_event(
            session, EventKind.TRANSFERRED, ticket=ticket, service_code=target.code, counter_number=row.number,
            staff_id=row.staff_id, at=at,
            data={"from": source_code, "to": target.code, "was": previous,
                  "started_at": started.isoformat() if started else None},
        )
        return row_info(session, ticket)


def park(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> TicketInfo:
    """Set the current ticket aside at this counter (e.g. the citizen fetches a missing paper)."""
    at = at_or_now(now)
    with transaction(session):
        row, ticket = _at_counter(session, cfg, counter, AT_COUNTER, ("tạm gác", "parked"))
        ticket.status = TicketState.PARKED
        save_ticket(session, ticket)
        ticket_row_event(session, EventKind.PARKED, ticket, row, at, staff_id=row.staff_id)
        return row_info(session, ticket)


def resume(session: Session, cfg: CentreConfig, counter: int, number: str, *,
           now: datetime | None = None) -> TicketInfo:
    """Bring a ticket parked at this counter back as the current one (the current one is finished first)."""
    at = at_or_now(now)
    with transaction(session):
        row = read_counter(session, cfg, counter, lock=True)
        ticket = ticket_by_number(session, number, local_day(at, cfg.tz), lock=True)
        if ticket.status != TicketState.PARKED or ticket.counter_id != row.id:
            raise InvalidTransition(ticket.number, ticket.status, f"tiếp tục ở quầy {counter}",
                                    f"resumed at counter {counter}")
        _finish_current(session, row, at)
        ticket.status = TicketState.SERVING if ticket.started_at else TicketState.CALLED
        ticket.at_counter(row, row.staff_id, row.staff_username)
        save_ticket(session, ticket)
        ticket_row_event(session, EventKind.RESUMED, ticket, row, at, data={"status": ticket.status})
        return row_info(session, ticket)


def cancel(session: Session, cfg: CentreConfig, number: str, *, actor: str | None = None,
           now: datetime | None = None) -> TicketInfo:
    at = at_or_now(now)
    with transaction(session):
        ticket = ticket_by_number(session, number, local_day(at, cfg.tz), lock=True)
        if ticket.status != TicketState.WAITING:
            raise InvalidTransition(ticket.number, ticket.status, "hủy", "cancelled")
        ticket.status = TicketState.CANCELLED
        ticket.finished_at = at
        save_ticket(session, ticket)  # the ticket before day_sequence: the lock order
        leave_waiting(session, ticket)
        record_event(session, EventKind.CANCELLED, ticket=ticket, service_code=ticket.service.code,
                     actor=actor, at=at)
        return row_info(session, ticket)
