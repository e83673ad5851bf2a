"""The call order ("call next"): priority tickets first, oldest first across the services the
counter serves, except that after ``priority_policy.max_consecutive`` priority calls in a row at
one counter while an older ordinary ticket waits, that ordinary ticket gets its turn.

:func:`class_to_call` and :func:`streak_after` are the rule itself, on plain values, so the
demo history (``lobby.reports.demo_history``) calls in exactly the same order. The heads of
the queue are read by index (one lookup per service and class, all in one statement); on
PostgreSQL the one ticket to call is then taken with ``FOR UPDATE SKIP LOCKED`` so two
counters never get the same ticket.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, CompoundSelect, Connection, Select, bindparam, false, select, true, union_all
from sqlalchemy.orm import Session

from lobby.config import CentreConfig
from lobby.queue.ticket_rows import ROW_COLUMNS, SERVICES, TICKETS, TicketRow
from lobby.store.catalog import CounterRow
from lobby.store.models import Ticket
from lobby.vocabulary import TicketState

Place = tuple[datetime, int]  # (queued_at, id): the order of the queue
#: A place in the store, or in the demo history's simulation (seconds of the day, id).
AnyPlace = TypeVar("AnyPlace", tuple[datetime, int], tuple[float, int])


def waiting_heads(
    session: Session, service_ids: list[int], day: date, priority: bool, limit: int,
) -> list[Place]:
    """The first ``limit`` waiting places of each service (one index range scan each), merged in queue order."""
    heads: list[Place] = []
    for service_id in service_ids:
        stmt = (
            select(Ticket.queued_at, Ticket.id)
            .where(
                Ticket.service_id == service_id, Ticket.day == day, Ticket.status == TicketState.WAITING,
                Ticket.is_priority == priority,
            )
            .order_by(Ticket.queued_at, Ticket.id)
            .limit(limit)
        )
        heads.extend((queued_at, ticket_id) for queued_at, ticket_id in session.execute(stmt))
    return sorted(heads)[:limit]


def class_to_call(cfg: CentreConfig, streak: int, priority: AnyPlace | None, ordinary: AnyPlace | None) -> bool | None:
    """Which class to call: True priority, False ordinary, None when nobody waits.

    Priority first, except that after ``max_consecutive`` priority calls in a row while
    an older ordinary ticket waits, that ordinary ticket is called. ``priority`` and
    ``ordinary`` are the places of the oldest waiting ticket of each class.
    """
    if priority is None:
        return None if ordinary is None else False
    if ordinary is None or ordinary > priority:
        return True
    return streak < cfg.priority_policy.max_consecutive


def streak_after(streak: int, called_priority: bool, called: AnyPlace, ordinary: AnyPlace | None) -> int:
    """A counter's priority streak after a call: priority calls in a row while an older ordinary ticket waits."""
    if not called_priority:
        return 0
    return streak + 1 if ordinary is not None and ordinary < called else streak


@cache
def _heads(services: int) -> CompoundSelect:
    """The oldest waiting ticket of each class in each of ``services`` services: one index lookup each, one statement.

    Parameters: ``day`` and ``s0``, ``s1``... the service ids.
    """
    branches = [
        _head(bindparam(f"s{i}"), priority).subquery(f"{'p' if priority else 'o'}{i}")
        for i in range(services) for priority in (True, False)
    ]
    return union_all(*(select(branch) for branch in branches))


def _head(service_id: ColumnElement[int], priority: bool) -> Select[Any]:
    """The oldest waiting ticket of one service and class, with its service."""
    t = TICKETS.c
    return (
        select(*ROW_COLUMNS)
        .join_from(TICKETS, SERVICES, SERVICES.c.id == t.service_id)
        .where(t.service_id == service_id, t.day == bindparam("day"), t.status == TicketState.WAITING,
               t.is_priority == (true() if priority else false()))
        .order_by(t.queued_at, t.id)
        .limit(1)
    )


@cache
def _take_head(priority: bool) -> Select[Any]:
    """Lock the oldest waiting ticket of a service and class that no other counter is taking."""
    return _head(bindparam("service_id"), priority).with_for_update(of=TICKETS, skip_locked=True)


def choose_ticket(session: Session, cfg: CentreConfig, counter: CounterRow, day: date) -> TicketRow | None:
    """The ticket this counter calls now, locked for this transaction (None when nobody waits).

    The class and service are chosen from the queue heads read without locks (one statement);
    then on PostgreSQL only the one ticket to call is locked, with SKIP LOCKED. A waiting
    ticket is therefore only ever locked by the counter that calls it, so counters calling at
    the same moment each take the next free ticket, none waits for another's lock, and
    "nobody waits" means that every waiting ticket is being called right now. On SQLite the
    transaction runs alone (BEGIN IMMEDIATE): the first head read is free, and is the ticket.
    Sets ``priority_streak`` on the counter (written by the caller).
    """
    conn = session.connection()
    heads: dict[bool, list[TicketRow]] = {True: [], False: []}
    if counter.service_ids:
        params: dict[str, Any] = {f"s{i}": service_id for i, service_id in enumerate(counter.service_ids)}
        for row in conn.execute(_heads(len(counter.service_ids)), {"day": day, **params}):
            ticket = TicketRow.from_result(row)
            heads[ticket.is_priority].append(ticket)
    for queue in heads.values():
        queue.sort(key=_place)
    first_ordinary = _place(heads[False][0]) if heads[False] else None
    wanted = class_to_call(cfg, counter.priority_streak, _place(heads[True][0]) if heads[True] else None,
                           first_ordinary)
    if wanted is None:
        counter.set(priority_streak=0)
        return None
    for is_priority in (wanted, not wanted):
        for head in heads[is_priority]:
            taken = head if conn.dialect.name == "sqlite" else _take(conn, head.service_id, day, is_priority)
            if taken is not None:
                counter.set(priority_streak=streak_after(
                    counter.priority_streak, taken.is_priority, _place(taken), first_ordinary))
                return taken
    return None


def _place(ticket: TicketRow) -> Place:
    return ticket.queued_at, ticket.id


def _take(conn: Connection, service_id: int, day: date, priority: bool) -> TicketRow | None:
    row = conn.execute(_take_head(priority), {"service_id": service_id, "day": day}).first()
    return TicketRow.from_result(row) if row is not None else None
