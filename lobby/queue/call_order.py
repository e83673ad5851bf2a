"""The call order ("call next"): priority tickets first, oldest first across the services the
counter serves, except that after ``priority_policy.max_consecutive`` priority calls in a row at
one counter while an older ordinary ticket waits, that ordinary ticket gets its turn.

:func:`class_to_call` and :func:`streak_after` are the rule itself, on plain values, so the
demo history (``lobby.reports.demo_history``) calls in exactly the same order. The heads of
the queue are read by index (one lookup per service and class); on PostgreSQL the one ticket
to call is then taken with ``FOR UPDATE SKIP LOCKED`` so two counters never get the same ticket.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.config import CentreConfig
from lobby.store.catalog import counter_service_ids
from lobby.store.models import Counter, Ticket
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


def _heads(session: Session, service_ids: list[int], day: date, priority: bool) -> list[tuple[Place, int]]:
    """(place, service id) of the oldest waiting ticket of one class in each service, oldest first (no locks)."""
    heads = []
    for service_id in service_ids:
        place = next(iter(waiting_heads(session, [service_id], day, priority, 1)), None)
        if place is not None:
            heads.append((place, service_id))
    return sorted(heads)


def _take_head(session: Session, service_id: int, day: date, priority: bool) -> Ticket | None:
    """Lock and return the oldest waiting ticket of a service and class that no other counter is taking."""
    return session.scalar(
        select(Ticket)
        .where(
            Ticket.service_id == service_id, Ticket.day == day, Ticket.status == TicketState.WAITING,
            Ticket.is_priority == priority,
        )
        .order_by(Ticket.queued_at, Ticket.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


def choose_ticket(session: Session, cfg: CentreConfig, counter: Counter, day: date) -> Ticket | None:
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
    wanted = class_to_call(cfg, counter.priority_streak, priority_heads[0][0] if priority_heads else None,
                           first_ordinary)
    if wanted is None:
        counter.priority_streak = 0
        return None
    attempts = [(wanted, priority_heads if wanted else ordinary_heads),
                (not wanted, ordinary_heads if wanted else priority_heads)]
    for is_priority, heads in attempts:
        for _, service_id in heads:
            ticket = _take_head(session, service_id, day, is_priority)
            if ticket is not None:
                counter.priority_streak = streak_after(
                    counter.priority_streak, ticket.is_priority, (ticket.queued_at, ticket.id), first_ordinary)
                return ticket
    return None
