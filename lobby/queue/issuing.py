"""The statements of issuing a ticket, each built once: what issuing reads, the number, the ticket row.

``issue_head`` reads in one statement everything issuing needs to know before it writes:
the service, its pause today, the counters open for it (and all that serve it), and its
recent services for the wait estimate. None of these depends on the number about to be
taken, so reading them first changes no answer.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Insert, Integer, Select, String, bindparam, func, insert, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lobby.config import CentreConfig
from lobby.errors import UnknownService
from lobby.monitor.pauses import open_pause_reason
from lobby.store import tables
from lobby.store.catalog import SERVICE_COLUMNS, ServiceRow, service_of_row
from lobby.vocabulary import CounterState, TicketState

RECENT_SERVICE_SAMPLES = 20
MIN_SERVICE_SAMPLES = 3

_LINKS, _COUNTERS, _SEQUENCE = tables.COUNTER_SERVICE, tables.COUNTER, tables.DAY_SEQUENCE
_TICKET, _SERVICES = tables.TICKET, tables.SERVICE
_SERVICE = _SERVICES.c
_T = _TICKET.c
_LINK = _LINKS.c
_COUNTER = _COUNTERS.c


class IssueHead(NamedTuple):
    """What issuing reads before it writes."""

    service: ServiceRow
    paused: str | None  # the reason of today's pause, None when the service issues
    open_counters: int  # active counters open for the service
    counters: int  # counters that serve it, open or not
    recent: list[tuple[datetime | None, datetime | None]]  # (started, finished) of its latest services


@cache
def _issue_head() -> Select[Any]:
    code = bindparam("code", type_=String())
    by_code = _SERVICES.alias("by_code")
    # Every subquery depends on the code alone (none is correlated), so each runs once, not once per recent row.
    service_id = select(by_code.c.id).where(by_code.c.code == code).scalar_subquery()
    recent = (
        select(_T.started_at, _T.finished_at)
        .where(_T.service_id == service_id, _T.status == TicketState.DONE, _T.finished_at.is_not(None),
               _T.started_at.is_not(None))
        .order_by(_T.finished_at.desc())
        .limit(RECENT_SERVICE_SAMPLES)
        .subquery("recent")
    )
    serving = select(func.count()).select_from(_LINKS).where(_LINK.service_id == service_id)
    open_now = (serving.join_from(_LINKS, _COUNTERS, _COUNTER.id == _LINK.counter_id)
                .where(_COUNTER.state == CounterState.OPEN, _COUNTER.active.is_(True)))
    return (
        select(
            *SERVICE_COLUMNS,
            open_pause_reason(service_id, bindparam("day")).label("paused"),
            open_now.scalar_subquery().label("open_counters"),
            serving.scalar_subquery().label("counters"),
            recent.c.started_at,
            recent.c.finished_at,
        )
        .select_from(_SERVICES.outerjoin(recent, true()))
        .where(_SERVICE.code == code)
    )


def issue_head(session: Session, cfg: CentreConfig, code: str, day: date) -> IssueHead:
    """Read the service ``code`` as of now, for issuing on ``day``; UnknownService when it has no row."""
    rows = session.connection().execute(_issue_head(), {"code": code, "day": day}).all()
    if not rows:
        raise UnknownService(code, [s.code for s in cfg.services])
    first = rows[0]
    n = len(SERVICE_COLUMNS)
    return IssueHead(
        service=service_of_row(first[:n]), paused=first[n], open_counters=first[n + 1] or 0,
        counters=first[n + 2] or 0, recent=[(r[-2], r[-1]) for r in rows if r[-1] is not None],
    )


@cache
def _take_number(dialect: str) -> Insert:
    insert_into = postgresql.insert if dialect == "postgresql" else sqlite.insert
    priority = bindparam("priority", type_=Integer())
    values = insert_into(_SEQUENCE).values(
        day=bindparam("v_day"), service_id=bindparam("v_service_id"), next_number=bindparam("v_next_number"),
        issued=1, waiting=1, waiting_priority=priority,
    )  # a row made by a transfer holds next_number = first, so the conflict path also starts at first
    seq = _SEQUENCE.c
    return values.on_conflict_do_update(
        index_elements=[seq.day, seq.service_id],
        set_={
            "next_number": seq.next_number + 1,
            "issued": seq.issued + 1,
            "waiting": seq.waiting + 1,
            "waiting_priority": seq.waiting_priority + priority,
        },
    ).returning(seq.next_number, seq.waiting, seq.waiting_priority)


def take_number(session: Session, day: date, service_id: int, first: int, is_priority: bool) -> tuple[int, int, int]:
    """Atomically take the next number of (day, service) and count the new ticket as waiting.

    Returns the number, and how many tickets (and priority tickets) of the service now wait.
    """
    conn = session.connection()
    params = {"v_day": day, "v_service_id": service_id, "v_next_number": first + 1, "priority": int(is_priority)}
    next_number, waiting, waiting_priority = conn.execute(_take_number(conn.dialect.name), params).one()
    return next_number - 1, waiting, waiting_priority


_INSERT_TICKET = insert(_TICKET)


def insert_ticket(session: Session, values: dict[str, Any]) -> int:
    """Insert a new ticket row; its id (``RETURNING`` on PostgreSQL, the last row id on SQLite)."""
    key = session.connection().execute(_INSERT_TICKET, values).inserted_primary_key
    assert key is not None
    return int(key[0])
