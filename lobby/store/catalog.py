"""Looking up services, counters and staff rows by the names people use (code, number, username).

The queue rules read the rows they need as plain values (:class:`ServiceRow`, :class:`CounterRow`)
with Core statements built once, in the rule's own transaction: nothing is cached across
transactions, so a row changed by a config sync in another process is never served stale.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, Update, bindparam, select, update
from sqlalchemy.orm import Session

from lobby.config import CentreConfig
from lobby.errors import UnknownCounter, UnknownService, UnknownStaff
from lobby.store import tables
from lobby.store.models import Counter, CounterService, Service, Staff
from lobby.vocabulary import CounterState

_COUNTERS, _LINKS, _SERVICE = tables.COUNTER, tables.COUNTER_SERVICE, tables.SERVICE.c
_COUNTER = _COUNTERS.c
_LINK = _LINKS.c


@dataclass(frozen=True, slots=True)
class ServiceRow:
    """A service as the queue rules use it."""

    id: int
    code: str
    name_vi: str
    name_en: str
    default_service_min: float


@dataclass(slots=True)
class CounterRow:
    """A counter as a queue rule reads it: its state, its official, and the services it calls, by rank.

    ``staff_username`` is read after the lock (``lobby.queue.ticket_rows.desk_of``); ``changed``
    holds what the rule changed, written back by ``save_counter``.
    """

    id: int
    number: int
    state: str
    staff_id: int | None
    priority_streak: int
    updated_at: datetime | None
    service_ids: list[int]
    staff_username: str | None = None
    changed: dict[str, object] = field(default_factory=dict)

    def set(self, **values: object) -> None:
        """Change columns of the counter (a value equal to the current one is no change)."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)
                self.changed[name] = value


def service_row(session: Session, cfg: CentreConfig, code: str) -> Service:
    sc = cfg.service(code)
    row = session.scalar(select(Service).where(Service.code == sc.code))
    if row is None:
        raise UnknownService(code, [s.code for s in cfg.services])
    return row


def counter_row(session: Session, cfg: CentreConfig, number: int, *, lock: bool = False) -> Counter:
    stmt = select(Counter).where(Counter.number == number, Counter.active.is_(True))
    if lock:  # FOR NO KEY UPDATE: serialises the counter's rules without blocking rows that only refer to it
        stmt = stmt.with_for_update(key_share=True)
    row = session.scalar(stmt)
    if row is None:
        raise UnknownCounter(number, [c.number for c in cfg.counters])
    return row


SERVICE_COLUMNS = (_SERVICE.id, _SERVICE.code, _SERVICE.name_vi, _SERVICE.name_en, _SERVICE.default_service_min)


def service_of_row(values: Sequence[Any]) -> ServiceRow:
    """A ServiceRow from the ``SERVICE_COLUMNS`` of a result row (in that order)."""
    return ServiceRow(*values)


@cache
def _service_by_code() -> Select[tuple[int, str, str, str, float]]:
    return select(*SERVICE_COLUMNS).where(_SERVICE.code == bindparam("code"))


def service_by_code(session: Session, cfg: CentreConfig, code: str) -> ServiceRow:
    """The service named by its code or prefix, as plain values; UnknownService when it has no row."""
    sc = cfg.service(code)
    row = session.connection().execute(_service_by_code(), {"code": sc.code}).first()
    if row is None:
        raise UnknownService(code, [s.code for s in cfg.services])
    return service_of_row(row)


@cache
def _counter(lock: bool) -> Select[tuple[int, int, str, int | None, int, datetime | None, int | None]]:
    stmt = (
        select(_COUNTER.id, _COUNTER.number, _COUNTER.state, _COUNTER.staff_id, _COUNTER.priority_streak,
               _COUNTER.updated_at, _LINK.service_id)
        .select_from(_COUNTERS.outerjoin(_LINKS, _LINK.counter_id == _COUNTER.id))
        .where(_COUNTER.number == bindparam("number"), _COUNTER.active.is_(True))
        .order_by(_LINK.rank)
    )
    # FOR NO KEY UPDATE OF counter: the links are catalogue rows, read in the same statement but not locked
    return stmt.with_for_update(key_share=True, of=_COUNTERS) if lock else stmt


def read_counter(session: Session, cfg: CentreConfig, number: int, *, lock: bool = False) -> CounterRow:
    """An active counter with the ids of its services, in one statement; UnknownCounter when there is none.

    ``lock``: for the rule's transaction (FOR NO KEY UPDATE on PostgreSQL). Only the counter row
    itself is read under the lock: whatever depends on other rows the rule may change (its
    current ticket) is read by a later statement, which on PostgreSQL sees every transaction
    that held the lock before.
    """
    rows = session.connection().execute(_counter(lock), {"number": number}).all()
    if not rows:
        raise UnknownCounter(number, [c.number for c in cfg.counters])
    first = rows[0]
    return CounterRow(first.id, first.number, first.state, first.staff_id, first.priority_streak, first.updated_at,
                      [r.service_id for r in rows if r.service_id is not None])


@cache
def _save_counter(columns: frozenset[str]) -> Update:
    return (update(_COUNTERS).where(_COUNTER.id == bindparam("counter_id"))
            .values({name: bindparam(f"v_{name}", type_=_COUNTER[name].type) for name in columns}))


def save_counter(session: Session, counter: CounterRow) -> None:
    """Write what a rule changed of a locked counter (one UPDATE, none when nothing changed)."""
    if counter.changed:
        params = {f"v_{name}": value for name, value in counter.changed.items()}
        session.connection().execute(_save_counter(frozenset(counter.changed)), {"counter_id": counter.id, **params})
        counter.changed.clear()


def counter_service_ids(session: Session, counter: Counter) -> list[int]:
    stmt = (select(CounterService.service_id).where(CounterService.counter_id == counter.id)
            .order_by(CounterService.rank))
    return list(session.scalars(stmt))


def staff_row(session: Session, username: str) -> Staff:
    row = session.scalar(select(Staff).where(Staff.username == username))
    if row is None:
        raise UnknownStaff(username)
    return row


def sync_config(session: Session, cfg: CentreConfig) -> None:
    """Make the service, counter and counter_service rows match the config (idempotent).

    Services and counters removed from the config are deactivated, never deleted, so
    their history stays readable.
    """
    services = {s.code: s for s in session.scalars(select(Service))}
    for order, sc in enumerate(cfg.services):
        row = services.get(sc.code)
        if row is None:
            row = Service(code=sc.code)
            session.add(row)
            services[sc.code] = row
        row.prefix, row.name_vi, row.name_en = sc.prefix, sc.name_vi, sc.name_en
        row.target_wait_min, row.default_service_min = sc.target_wait_min, sc.default_service_min
        row.sort_order, row.active = order, True
    configured = {s.code for s in cfg.services}
    for code, row in services.items():
        if code not in configured:
            row.active = False
    session.flush()
    counters = {c.number: c for c in session.scalars(select(Counter))}
    for cc in cfg.counters:
        counter = counters.get(cc.number)
        if counter is None:
            counter = Counter(number=cc.number, state=CounterState.CLOSED, priority_streak=0)
            session.add(counter)
            counters[cc.number] = counter
        counter.name, counter.active = cc.name or f"Quầy số {cc.number}", True
    numbers = {c.number for c in cfg.counters}
    for number, counter in counters.items():
        if number not in numbers:
            counter.active = False
    session.flush()
    wanted = {
        (counters[cc.number].id, services[code].id): rank
        for cc in cfg.counters
        for rank, code in enumerate(cc.services)
    }
    existing = {(link.counter_id, link.service_id): link for link in session.scalars(select(CounterService))}
    for key, link in existing.items():
        if key not in wanted:
            session.delete(link)
        else:
            link.rank = wanted[key]
    for key, rank in wanted.items():
        if key not in existing:
            session.add(CounterService(counter_id=key[0], service_id=key[1], rank=rank))
    session.flush()
