"""Demo dossiers for ``lobby demo-history``: most results ready on time, some late, a few still overdue.

Called after the tickets of the generated days are written: about two served tickets in
five (outside the results service) leave a dossier at the counter, with the promise the
config gives, and its later life (ready, collected, checked at a kiosk before it was ready)
as rows and events, written in bulk.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select

from lobby.clock import utcnow
from lobby.config import CentreConfig
from lobby.dossiers.calendar import promise_after
from lobby.dossiers.model import DossierState
from lobby.dossiers.records import calendar_of
from lobby.store.engine import Store
from lobby.store.models import Counter, Dossier, Event, Service, Ticket
from lobby.vocabulary import EventKind

SHARE_WITH_DOSSIER = 0.4
ON_TIME = 0.9
CHECKED_EARLY = 0.06
RETURN_DELAY_DAYS = (0, 0, 0, 1, 1, 2, 3, 5)


def _at(day: date, tz: Any, rng: random.Random, lo: time = time(7, 30), hi: time = time(16, 30)) -> datetime:
    start = lo.hour * 60 + lo.minute
    minute = rng.randint(start, hi.hour * 60 + hi.minute - 1)
    return datetime.combine(day, time(minute // 60, minute % 60, rng.randint(0, 59)), tzinfo=tz)


def generate_dossiers(store: Store, cfg: CentreConfig, first: date, last: date, seed: int = 7) -> int:
    """Dossiers for the served tickets of ``first``…``last``; returns how many. Nothing when no results service
    is configured (the centre does not use dossiers)."""
    ds = cfg.dossiers
    if not ds.results_service:
        return 0
    rng = random.Random(seed * 7919 + 14)
    cal, tz, now = calendar_of(cfg), cfg.tz, utcnow()
    due = ds.due_time or time(16, 0)
    with store.session() as s, s.begin():
        services = {row.id: row for row in s.scalars(select(Service))}
        counters = {row.id: row.number for row in s.scalars(select(Counter))}
        results_id = next((i for i, v in services.items() if v.code == ds.results_service), None)
        tickets = s.execute(
            select(Ticket.id, Ticket.day, Ticket.origin_service_id, Ticket.staff_id, Ticket.counter_id,
                   Ticket.finished_at, Ticket.number)
            .where(Ticket.day >= first, Ticket.day <= last, Ticket.status == "done", Ticket.finished_at.is_not(None),
                   Ticket.origin_service_id != results_id)
            .order_by(Ticket.id)).all()
        rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        per_day: dict[date, int] = {}
        for t in tickets:
            if rng.random() >= SHARE_WITH_DOSSIER:
                continue
            svc = services[t.origin_service_id]
            per_day[t.day] = per_day.get(t.day, 0) + 1
            code = f"000.00.{svc.sort_order + 11:02d}.H61-{t.day:%y%m%d}-{per_day[t.day]:04d}"
            received = t.finished_at
            days = max(ds.days_for(svc.code), 1)
            promise = promise_after(received, days, cal, tz, ds.due_time)
            row: dict[str, Any] = {
                "code": code, "service_id": svc.id, "state": DossierState.RECEIVED, "ticket_id": t.id,
                "staff_id": t.staff_id, "counter_number": counters.get(t.counter_id or -1), "received_at": received,
                "first_promised_at": promise, "promised_at": promise, "ready_at": None, "overdue_at": None,
                "returned_at": None, "reschedules": 0, "ready_by": None,
            }
            base = {"service_code": svc.code, "counter_number": row["counter_number"], "staff_id": t.staff_id}
            events.append({**base, "at": received, "kind": EventKind.DOSSIER_RECEIVED, "ticket_id": t.id,
                           "number": t.number, "actor": "counter", "data": {"code": code}})
            on_time = rng.random() < ON_TIME
            k = rng.randint(max(1, days - 2), days) if on_time else days + rng.randint(1, 3)
            ready_day = cal.add_working_days(received.astimezone(tz).date(), k)
            ready_at = _at(ready_day, tz, rng, hi=due if on_time else time(16, 30))
            if rng.random() < CHECKED_EARLY:
                check_day = cal.add_working_days(received.astimezone(tz).date(), rng.randint(1, max(1, k - 1)))
                check_at = _at(check_day, tz, rng)
                if received < check_at < min(ready_at, promise) and check_at < now:
                    events.append({**base, "at": check_at, "kind": EventKind.DOSSIER_CHECKED, "actor": "kiosk-1",
                                   "data": {"code": code, "outcome": "not_ready", "alert": False}})
            if promise < min(ready_at, now):
                row.update(state=DossierState.OVERDUE, overdue_at=promise + timedelta(minutes=5))
                events.append({**base, "at": row["overdue_at"], "kind": EventKind.DOSSIER_OVERDUE, "actor": "lobby",
                               "data": {"code": code, "promised_at": promise.isoformat()}})
            if ready_at < now:
                row.update(state=DossierState.READY, ready_at=ready_at, ready_by="sync:csv")
                events.append({**base, "at": ready_at, "kind": EventKind.DOSSIER_READY, "actor": "sync:csv",
                               "data": {"code": code, "on_time": ready_at <= promise}})
                back_day = cal.add_working_days(ready_day, rng.choice(RETURN_DELAY_DAYS))
                returned = max(_at(back_day, tz, rng), ready_at + timedelta(minutes=20))
                if returned < now:
                    row.update(state=DossierState.RETURNED, returned_at=returned)
                    events.append({**base, "at": returned, "kind": EventKind.DOSSIER_RETURNED, "actor": "counter",
                                   "data": {"code": code}})
            rows.append(row)
        if rows:
            s.execute(insert(Dossier), rows)
            events.sort(key=lambda e: e["at"])
            for e in events:
                e.setdefault("ticket_id", None)
                e.setdefault("number", None)
            s.execute(insert(Event), events)
    return len(rows)
