"""Looking up services, counters and staff rows by the names people use (code, number, username)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.config import CentreConfig
from lobby.errors import UnknownCounter, UnknownService, UnknownStaff
from lobby.store.models import Counter, CounterService, Service, Staff
from lobby.vocabulary import CounterState


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
