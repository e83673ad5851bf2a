"""A realistic generated history, so the reports and charts can be seen without a live centre.

Working days only (the centre's opening days). Arrivals follow the day's shape in a
Vietnamese one-stop centre: a peak mid-morning and a smaller one early in the
afternoon, none at lunch; Mondays are busiest. Each service gets a share of the
arrivals in proportion to the counters that serve it. The counters are then
simulated minute by minute in the same way as the queue rules call (priority first,
oldest first, over the services each counter serves): each call may end in a
no-show, a transfer to another service (the ticket keeps its place by issue time),
or a service whose length is drawn around the service's ``default_service_min``
and the official's own pace. About two thirds of served citizens rate the
service; the longer they waited, the less satisfied. Whatever is still waiting at
the end of the day expires, as ``close_day`` does.

The rows (tickets, their events in time order, ratings, and ``day_sequence`` so
that the next live ticket of a generated day gets the right number) are written in
one transaction with bulk inserts: ``executemany`` on SQLite, ``COPY`` on
PostgreSQL. Generated days must not hold tickets already and must be before today.
"""
from __future__ import annotations

import random
import time as wall
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, Date, bindparam, text

from lobby.clock import local_day, utcnow
from lobby.config import CentreConfig
from lobby.dossiers.demo import generate_dossiers
from lobby.errors import LobbyError
from lobby.reports.demo_centre import DEMO_SOURCE, DemoAccount, load_counters, load_services, load_staff
from lobby.reports.demo_simulation import Simulation
from lobby.reports.demo_writers import (
    EVENT_COLUMNS,
    RATING_COLUMNS,
    SEQUENCE_COLUMNS,
    TICKET_COLUMNS,
    Buffers,
    Writer,
    writer_for,
)
from lobby.store.engine import Store
from lobby.vocabulary import EventKind

__all__ = ["DemoAccount", "HistoryOverlap", "HistoryResult", "LiveStore", "generate_history"]


FLUSH_TICKETS = 20_000


WEEKDAY_LOAD = {1: 1.2, 2: 1.05, 3: 1.0, 4: 0.95, 5: 0.85, 6: 0.6, 7: 0.4}


class HistoryOverlap(LobbyError):
    def __init__(self, first: date, last: date, count: int) -> None:
        super().__init__(
            f"Đã có {count} số trong khoảng {first:%d/%m/%Y}–{last:%d/%m/%Y}; chỉ tạo lịch sử mẫu cho những ngày "
            "chưa có số (dùng một cơ sở dữ liệu mới, hoặc --end sớm hơn).",
            f"{count} tickets already exist between {first.isoformat()} and {last.isoformat()}; generated history "
            "only goes into days without tickets (use a fresh database, or an earlier --end).",
        )


class LiveStore(LobbyError):
    def __init__(self, tickets: int, staff: int) -> None:
        super().__init__(
            f"Cơ sở dữ liệu này có {tickets} số và {staff} tài khoản không do lịch sử mẫu tạo: có thể là dữ liệu thật "
            "của trung tâm. Lịch sử mẫu sẽ lẫn vào báo cáo thật nên bị từ chối. Dùng một cơ sở dữ liệu riêng cho "
            "demo (ví dụ --db sqlite:///var/demo.sqlite3), hoặc thêm --demo-store nếu đây đúng là cơ sở dữ liệu demo.",
            f"This database holds {tickets} tickets and {staff} accounts the demo did not make: it may be a centre's "
            "real data, and generated history would flow into its real reports. Use a separate demo database "
            "(e.g. --db sqlite:///var/demo.sqlite3), or add --demo-store if this really is a demo database.",
        )


@dataclass(frozen=True)
class HistoryResult:
    first: date
    last: date
    days: int
    tickets: int
    events: int
    ratings: int
    accounts: tuple[DemoAccount, ...]
    seconds: float

    @property
    def staff_created(self) -> int:
        return len(self.accounts)


def generate_history(
    store: Store, cfg: CentreConfig, *, days: int = 90, end: date | None = None, seed: int = 7,
    per_day: int | None = None, progress: Callable[[date, int], None] | None = None, demo_store: bool = False,
) -> HistoryResult:
    """Fill ``days`` calendar days ending ``end`` (default yesterday) with a generated history.

    Refuses (LiveStore) a store holding tickets or accounts the demo did not make, unless
    ``demo_store`` says it is one: fake history must never reach a real centre's reports.
    """
    started = wall.perf_counter()
    if days < 1:
        raise LobbyError("--days phải là số nguyên dương.", "--days must be a positive whole number.")
    today = local_day(utcnow(), cfg.tz)
    last = end or today - timedelta(days=1)
    if last >= today:
        raise LobbyError(f"--end ({last:%d/%m/%Y}) phải trước hôm nay: lịch sử mẫu không ghi vào ngày đang làm việc.",
                         f"--end ({last.isoformat()}) must be before today: "
                         "generated history never touches a live day.")
    first = last - timedelta(days=days - 1)
    rng = random.Random(seed)
    writer = writer_for(store)
    with store.engine.begin() as conn:
        writer.lock(conn)
        existing = conn.execute(
            text("SELECT count(*) FROM ticket WHERE day >= :a AND day <= :b").bindparams(
                bindparam("a", type_=Date()), bindparam("b", type_=Date())),
            {"a": first, "b": last},
        ).scalar_one()
        if existing:
            raise HistoryOverlap(first, last, existing)
        if not demo_store:
            _refuse_live_store(conn)
        services = load_services(conn, cfg, rng)
        counters = load_counters(conn, cfg, services)
        officials, guards, accounts = load_staff(conn, cfg, rng, len(counters))
        sim = Simulation(cfg, rng, services, counters, officials, guards)
        target = per_day or sim.default_per_day()
        next_ticket = writer.next_id(conn, "ticket")
        next_event = writer.next_id(conn, "event")
        totals = [0, 0, 0]
        buffers = Buffers()
        working = 0
        for day in _days(first, last):
            if day.isoweekday() not in cfg.centre.opening_days:
                continue
            working += 1
            n = max(1, round(target * WEEKDAY_LOAD[day.isoweekday()] * rng.gauss(1.0, 0.08)))
            next_ticket, next_event = sim.run_day(day, n, next_ticket, next_event, buffers)
            if len(buffers.tickets) >= FLUSH_TICKETS:
                _flush(writer, conn, buffers, totals)
            if progress is not None:
                progress(day, totals[0] + len(buffers.tickets))
        _flush(writer, conn, buffers, totals)
        writer.finish(conn)
    writer.after(store)
    generate_dossiers(store, cfg, first, last, seed)  # the dossiers of those visits (lobby.dossiers.demo)
    return HistoryResult(first, last, working, totals[0], totals[1], totals[2], tuple(accounts),
                         wall.perf_counter() - started)


def _refuse_live_store(conn: Connection) -> None:
    """LiveStore when a ticket or an account was not made by the demo (its source, its staff_added event)."""
    tickets = conn.execute(text("SELECT count(*) FROM ticket WHERE source <> :demo"),
                           {"demo": DEMO_SOURCE}).scalar_one()
    staff = conn.execute(text(
        "SELECT count(*) FROM staff WHERE id NOT IN (SELECT staff_id FROM event WHERE kind = :added "
        "AND actor = :demo AND staff_id IS NOT NULL)"),
        {"added": str(EventKind.STAFF_ADDED), "demo": DEMO_SOURCE}).scalar_one()
    if tickets or staff:
        raise LiveStore(tickets, staff)


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def _flush(writer: Writer, conn: Connection, b: Buffers, totals: list[int]) -> None:
    writer.write(conn, "ticket", TICKET_COLUMNS, b.tickets)
    writer.write(conn, "event", EVENT_COLUMNS, b.events)
    writer.write(conn, "rating", RATING_COLUMNS, b.ratings)
    writer.write(conn, "day_sequence", SEQUENCE_COLUMNS, b.sequences)
    totals[0] += len(b.tickets)
    totals[1] += len(b.events)
    totals[2] += len(b.ratings)
    b.clear()
