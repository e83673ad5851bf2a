"""A ticket as the counter rules change it: plain values, read and written with Core statements built once.

The ORM's unit of work cost more than the few statements a counter rule needs. A rule reads
the ticket it works on, with its service, into a :class:`TicketRow`, changes its attributes
as it would an ORM object's, and :func:`save_ticket` writes exactly the changed columns
with one ``UPDATE``. No ORM object of the ticket is made, so none can go stale in the session.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, literal, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from lobby.errors import TicketNotFound
from lobby.feed.events import record_event
from lobby.queue.views import TicketInfo
from lobby.store import tables
from lobby.store.catalog import SERVICE_COLUMNS, CounterRow, ServiceRow, service_of_row
from lobby.vocabulary import AT_COUNTER, EventKind, TicketState

TICKETS, SERVICES, _STAFFS, _COUNTERS = tables.TICKET, tables.SERVICE, tables.STAFF, tables.COUNTER
_T = TICKETS.c
_STAFF = _STAFFS.c
_COUNTER = _COUNTERS.c
TICKET_COLUMNS: tuple[str, ...] = (
    "id", "day", "number", "seq", "service_id", "priority_group", "is_priority", "status", "counter_id", "staff_id",
    "issued_at", "queued_at", "called_at", "last_called_at", "started_at", "finished_at", "call_count", "note",
    "wait_us", "service_us", "public_token",
)
_WRITABLE = frozenset(TICKET_COLUMNS) - {"id", "day", "number", "seq", "priority_group", "is_priority", "issued_at",
                                          "public_token"}
#: The columns every ticket statement reads, in the order TicketRow.from_result expects them.
ROW_COLUMNS: tuple[ColumnElement[Any], ...] = (*(_T[name] for name in TICKET_COLUMNS), *SERVICE_COLUMNS)


class TicketRow:
    """One ticket's columns and its service; the attributes a rule sets are remembered in ``changed``.

    ``counter_number`` and ``staff_username`` name the ticket's counter and official when the
    rule knows them (None with an id set means "not known": :func:`row_info` looks them up).
    """

    id: int
    day: date
    number: str
    seq: int
    service_id: int
    priority_group: str | None
    is_priority: bool
    status: str
    counter_id: int | None
    staff_id: int | None
    issued_at: datetime
    queued_at: datetime
    called_at: datetime | None
    last_called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    call_count: int
    note: str | None
    wait_us: int | None
    service_us: int | None
    public_token: str | None
    service: ServiceRow
    counter_number: int | None
    staff_username: str | None
    changed: dict[str, Any]

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values, changed={})

    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__[name] = value
        self.changed[name] = value

    @classmethod
    def from_result(cls, row: Sequence[Any], *, counter_number: int | None = None,
                    staff_username: str | None = None) -> TicketRow:
        values = dict(zip(TICKET_COLUMNS, row, strict=False))
        n = len(TICKET_COLUMNS)
        values.update(service=service_of_row(row[n:n + len(SERVICE_COLUMNS)]),
                      counter_number=counter_number, staff_username=staff_username)
        return cls(values)

    @classmethod
    def from_values(cls, ticket_id: int, values: dict[str, Any], service: ServiceRow) -> TicketRow:
        """The row of a ticket just inserted with ``values`` (the columns left out are NULL)."""
        row = dict.fromkeys(TICKET_COLUMNS)
        row.update({k: v for k, v in values.items() if k in row}, id=ticket_id)
        return cls({**row, "service": service, "counter_number": None, "staff_username": None})

    def at_counter(self, counter: CounterRow | None, staff_id: int | None, staff_username: str | None) -> None:
        """Put the ticket at ``counter`` (None: at no counter) with the official ``staff_id``."""
        self.counter_id = counter.id if counter is not None else None
        self.counter_number = counter.number if counter is not None else None
        self.staff_id, self.staff_username = staff_id, staff_username


def _ticket_select() -> Select[Any]:
    return select(*ROW_COLUMNS).join_from(TICKETS, SERVICES, SERVICES.c.id == _T.service_id)


@cache
def _desk() -> Select[Any]:
    # No ORDER BY: with it, SQLite's planner may prefer scanning the whole table in id order over the
    # (counter_id, status) index once statistics exist; there is at most one row anyway. The states are
    # bound one by one: an IN of a list would be expanded again at every execution.
    return (
        select(_STAFF.username, *ROW_COLUMNS)
        .select_from(_COUNTERS)
        .outerjoin(_STAFFS, _STAFF.id == _COUNTER.staff_id)
        .outerjoin(TICKETS, (_T.counter_id == _COUNTER.id) & _T.status.in_([literal(s) for s in AT_COUNTER]))
        .outerjoin(SERVICES, SERVICES.c.id == _T.service_id)
        .where(_COUNTER.id == bindparam("counter_id"))
    )


def desk_of(session: Session, counter: CounterRow) -> list[TicketRow]:
    """The tickets at a locked counter (called or serving, oldest first: one, or none), and its official's name.

    Read after the counter's lock by a statement of its own, so on PostgreSQL it sees what
    the rule that held the lock before committed. Fills ``counter.staff_username``.
    """
    rows = session.connection().execute(_desk(), {"counter_id": counter.id}).all()
    counter.staff_username = rows[0][0] if rows else None
    staff_at = 1 + TICKET_COLUMNS.index("staff_id")
    tickets = [
        TicketRow.from_result(r[1:], counter_number=counter.number,
                              staff_username=counter.staff_username if r[staff_at] == counter.staff_id else None)
        for r in rows if r[1] is not None
    ]
    return sorted(tickets, key=lambda t: t.id)


@cache
def _by_number(lock: bool) -> Select[Any]:
    stmt = _ticket_select().where(_T.day == bindparam("day"), _T.number == bindparam("number"))
    return stmt.with_for_update(of=TICKETS) if lock else stmt


def ticket_by_number(session: Session, number: str, day: date, *, lock: bool = False) -> TicketRow:
    """The ticket of ``day`` with this number (locked FOR UPDATE on PostgreSQL when ``lock``); TicketNotFound."""
    row = session.connection().execute(_by_number(lock), {"day": day, "number": number.strip().upper()}).first()
    if row is None:
        raise TicketNotFound(number, day.strftime("%d/%m/%Y"))
    return TicketRow.from_result(row)


@cache
def _save(columns: frozenset[str]) -> Any:
    return (update(TICKETS).where(_T.id == bindparam("ticket_id", type_=_T.id.type))
            .values({name: bindparam(f"v_{name}", type_=_T[name].type) for name in columns}))


def save_ticket(session: Session, ticket: TicketRow) -> None:
    """Write the columns the rule changed (one UPDATE), and forget them."""
    columns = frozenset(ticket.changed) & _WRITABLE
    if columns:
        params = {f"v_{name}": ticket.changed[name] for name in columns}
        session.connection().execute(_save(columns), {"ticket_id": ticket.id, **params})
    ticket.changed.clear()


def ticket_row_event(
    session: Session, kind: EventKind, ticket: TicketRow, counter: CounterRow | None, at: datetime, *,
    staff_id: int | None = None, data: dict[str, object] | None = None,
) -> None:
    """The event of a state change of a ticket at a counter (by default done by the ticket's official)."""
    record_event(
        session, kind, ticket=ticket, service_code=ticket.service.code,
        counter_number=counter.number if counter is not None else None,
        staff_id=staff_id if staff_id is not None else ticket.staff_id, at=at, data=data,
    )


@cache
def _counter_number() -> Select[Any]:
    return select(_COUNTER.number).where(_COUNTER.id == bindparam("id"))


@cache
def _username() -> Select[Any]:
    return select(_STAFF.username).where(_STAFF.id == bindparam("id"))


def row_info(session: Session, t: TicketRow, *, ahead: int | None = None, wait: int | None = None) -> TicketInfo:
    """The detached TicketInfo of a ticket row (its counter and official looked up only if not known)."""
    conn = session.connection()
    counter = t.counter_number
    if counter is None and t.counter_id is not None:
        counter = int(conn.execute(_counter_number(), {"id": t.counter_id}).scalar_one())
    staff = t.staff_username
    if staff is None and t.staff_id is not None:
        staff = str(conn.execute(_username(), {"id": t.staff_id}).scalar_one())
    svc = t.service
    return TicketInfo(
        id=t.id, day=t.day, number=t.number, seq=t.seq, service=svc.code, service_name_vi=svc.name_vi,
        service_name_en=svc.name_en, status=TicketState(t.status), priority=t.priority_group,
        counter=counter, staff=staff, issued_at=t.issued_at, called_at=t.called_at, started_at=t.started_at,
        finished_at=t.finished_at, call_count=t.call_count, ahead=ahead, estimated_wait_min=wait, note=t.note,
        public_token=t.public_token,
    )
