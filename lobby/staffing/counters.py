"""Counters: signing officials in and out, opening, pausing and closing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.errors import CounterTaken, LobbyError
from lobby.feed.events import record_event
from lobby.queue.views import CounterInfo, StaffInfo
from lobby.staffing.staff import verify_pin
from lobby.store.catalog import counter_row
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Counter, CounterService, Service, Staff, Ticket
from lobby.vocabulary import AT_COUNTER, COUNTER_STATE_EVENT, CounterState, EventKind

STATES = tuple(CounterState)


def sign_in(
    session: Session, cfg: CentreConfig, counter: int, username: str, pin: str, *, now: datetime | None = None,
) -> StaffInfo:
    """Sign an official in at a counter and open it; refuse while someone else holds the counter.

    An official signed in elsewhere is signed out there first: one official, one counter.
    """
    at = at_or_now(now)
    cfg.counter(counter)
    staff = verify_pin(session, cfg, username, pin, roles=("official", "manager"), now=at)
    with transaction(session):
        target = counter_row(session, cfg, counter)
        # lock this counter and the one the official may hold elsewhere in id order (the lock order of every rule)
        rows = list(session.scalars(
            select(Counter).where(or_(Counter.id == target.id, Counter.staff_id == staff.id)).order_by(Counter.id)
            .with_for_update(key_share=True).execution_options(populate_existing=True)
        ))
        row = next(r for r in rows if r.id == target.id)
        if row.staff_id is not None and row.staff_id != staff.id:
            holder = session.get(Staff, row.staff_id)
            raise CounterTaken(counter, f"{holder.full_name} ({holder.username})" if holder else "?")
        for other in rows:
            if other.id != row.id and other.staff_id == staff.id:
                sign_out_row(session, other, at)
        row.staff_id = staff.id
        record_event(session, EventKind.SIGNED_IN, counter_number=counter, staff_id=staff.id, actor=staff.username,
                     at=at)
        set_state_row(session, row, CounterState.OPEN, at)
        for ticket in session.scalars(select(Ticket).where(Ticket.counter_id == row.id, Ticket.status.in_(AT_COUNTER))):
            ticket.staff_id = staff.id
    return staff


def sign_out_row(session: Session, row: Counter, at: datetime, *, data: dict[str, object] | None = None) -> None:
    """Sign the official out of a locked counter row and close it (``data``: e.g. the manager who did it)."""
    staff = session.get(Staff, row.staff_id) if row.staff_id else None
    record_event(session, EventKind.SIGNED_OUT, counter_number=row.number, staff_id=row.staff_id,
                 actor=staff.username if staff else None, at=at, data=data)
    row.staff_id = None
    set_state_row(session, row, CounterState.CLOSED, at, data=data)


def sign_out(session: Session, cfg: CentreConfig, counter: int, *, now: datetime | None = None) -> None:
    at = at_or_now(now)
    with transaction(session):
        row = counter_row(session, cfg, counter, lock=True)
        if row.staff_id is not None:
            sign_out_row(session, row, at)


def set_state_row(
    session: Session, row: Counter, state: str, at: datetime, *, data: dict[str, object] | None = None,
) -> None:
    """Put a locked counter row in ``state`` with its event (nothing when it is in that state already)."""
    if row.state == state:
        return
    row.state = state
    row.updated_at = at
    record_event(session, COUNTER_STATE_EVENT[CounterState(state)], counter_number=row.number, staff_id=row.staff_id,
                 at=at, data=data)


def set_counter_state(session: Session, cfg: CentreConfig, counter: int, state: str, *,
                      now: datetime | None = None) -> None:
    """Open, pause (a break) or close a counter."""
    if state not in STATES:
        raise LobbyError(f"Trạng thái quầy phải là {', '.join(STATES)}.",
                         f"Counter state must be one of {', '.join(STATES)}.")
    at = at_or_now(now)
    with transaction(session):
        set_state_row(session, counter_row(session, cfg, counter, lock=True), state, at)


def counter_infos(session: Session, cfg: CentreConfig) -> list[CounterInfo]:
    with read_transaction(session):
        services = {s.id: s.code for s in session.scalars(select(Service))}
        links: dict[int, list[str]] = {}
        for link in session.scalars(select(CounterService).order_by(CounterService.rank)):
            links.setdefault(link.counter_id, []).append(services[link.service_id])
        staff = {s.id: s for s in session.scalars(select(Staff))}
        current = {
            t.counter_id: t.number
            for t in session.scalars(select(Ticket).where(Ticket.status.in_(AT_COUNTER),
                                                          Ticket.counter_id.is_not(None)))
        }
        result = []
        for row in session.scalars(select(Counter).where(Counter.active.is_(True)).order_by(Counter.number)):
            member = staff.get(row.staff_id) if row.staff_id else None
            result.append(CounterInfo(
                number=row.number, name=row.name, state=row.state, services=tuple(links.get(row.id, [])),
                staff=member.username if member else None, staff_name=member.full_name if member else None,
                current=current.get(row.id),
            ))
        return result
