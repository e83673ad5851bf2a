"""How fast are "issue" and "call next", on both stores, with 100 to 100,000 tickets waiting?

Prints, for SQLite and PostgreSQL, the median and p99 time of one client's `issue`
and `call next` with 100, 10,000 and 100,000 tickets waiting (and as many served on
earlier days, so the cost is seen not to grow with the history), then the
throughput of 16 counters calling at once, each a process of its own.

    .venv/bin/python bench/queue_ops.py                 # everything
    .venv/bin/python bench/queue_ops.py --stores sqlite --sizes 100 10000
    LOBBY_BENCH_PG=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/queue_ops.py

The waiting tickets are bulk-loaded with direct inserts, and day_sequence is set to
match them (next number, issued, waiting), exactly as the queue rules would leave it.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lobby import queue  # noqa: E402
from lobby.config import CentreConfig, CounterConfig, load_config  # noqa: E402
from lobby.store.engine import Store  # noqa: E402
from lobby.store.migrate import init_store  # noqa: E402
from lobby.store.models import DaySequence, Ticket  # noqa: E402

PG_ADMIN = os.environ.get("LOBBY_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SERVICE = "DKKD"
CHUNK = 5000


def bench_config() -> CentreConfig:
    """The demo centre, open at all hours, with 16 counters serving business registration."""
    cfg = load_config(ROOT / "config" / "demo.toml")
    counters = [CounterConfig(number=n, name=f"Quầy {n}", services=[SERVICE]) for n in range(1, 17)]
    return cfg.model_copy(update={
        "centre": cfg.centre.model_copy(update={"enforce_hours": False}),
        "counters": counters,
    })


def fresh_url(kind: str, tmp: Path, tag: str) -> str:
    if kind == "sqlite":
        path = tmp / f"bench-{tag}.sqlite3"
        for p in tmp.glob(path.name + "*"):
            p.unlink()
        return f"sqlite:///{path}"
    name = f"lobby_bench_{tag}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def _rows(
    service_id: int, day: date, n: int, status: str, start: datetime, counters: list[int],
) -> Iterator[dict[str, Any]]:
    for i in range(1, n + 1):
        at = start + timedelta(milliseconds=10 * i)
        done = status == "done"
        yield {
            "day": day, "service_id": service_id, "origin_service_id": service_id, "seq": i,
            "number": f"A{i:03d}", "priority_group": None, "is_priority": False, "granted_by_id": None,
            "status": status, "counter_id": counters[i % len(counters)] if done else None, "staff_id": None,
            "source": "bench", "issued_at": at,
            "queued_at": at, "called_at": at if done else None, "last_called_at": at if done else None,
            "started_at": at if done else None, "finished_at": at + timedelta(minutes=5) if done else None,
            "call_count": 1 if done else 0, "note": None,
        }


def load(store: Store, cfg: CentreConfig, waiting: int) -> None:
    """Bulk-load `waiting` tickets waiting today, and as many done on the day before."""
    init_store(store, cfg)
    with store.engine.begin() as conn:
        service_id = conn.execute(text("SELECT id FROM service WHERE code = :c"), {"c": SERVICE}).scalar_one()
        counters = list(conn.execute(text("SELECT id FROM counter ORDER BY id")).scalars())
        today = NOW.astimezone(cfg.tz).date()
        earlier = today - timedelta(days=1)
        start = NOW.astimezone(UTC) - timedelta(hours=1)
        for day, status, begin in ((earlier, "done", start - timedelta(days=1)), (today, "waiting", start)):
            batch: list[dict[str, Any]] = []
            for row in _rows(service_id, day, waiting, status, begin, counters):
                batch.append(row)
                if len(batch) == CHUNK:
                    conn.execute(insert(Ticket), batch)
                    batch = []
            if batch:
                conn.execute(insert(Ticket), batch)
            conn.execute(insert(DaySequence), [{
                "day": day, "service_id": service_id, "next_number": waiting + 1, "issued": waiting,
                "waiting": waiting if status == "waiting" else 0, "waiting_priority": 0,
            }])
        if store.dialect == "postgresql":
            conn.execute(text("ANALYZE"))  # what autovacuum does by itself; nothing runs ANALYZE on SQLite


def timed(fn: Any, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def one_client(store: Store, cfg: CentreConfig, ops: int) -> dict[str, list[float]]:
    def issue() -> None:
        with store.session() as s:
            queue.issue_ticket(s, cfg, SERVICE, now=NOW)

    def call() -> None:
        with store.session() as s:
            assert queue.call_next(s, cfg, 1, now=NOW) is not None

    timed(issue, 20), timed(call, 20)  # warm caches, pools and prepared statements
    return {"issue": timed(issue, ops), "call next": timed(call, ops)}


def _counter(url: str, cfg: CentreConfig, number: int, calls: int, start: Any, out: Any) -> None:
    store = Store(url)
    errors, done = 0, 0
    with store.session() as s:  # connect before the start line
        queue.current_ticket(s, cfg, number)
    start.wait()
    t = time.perf_counter()
    for _ in range(calls):
        try:
            with store.session() as s:
                if queue.call_next(s, cfg, number, now=NOW) is not None:
                    done += 1
        except Exception as exc:  # noqa: BLE001 - counted and shown
            errors += 1
            print(f"counter {number}: {exc!r}", file=sys.stderr)
    out.put((number, done, errors, time.perf_counter() - t))
    store.dispose()


def many_counters(url: str, cfg: CentreConfig, counters: int, calls: int) -> tuple[float, int, int]:
    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_counter, args=(url, cfg, n, calls, start, out)) for n in range(1, counters + 1)]
    for p in procs:
        p.start()
    time.sleep(1.0)
    t = time.perf_counter()
    start.set()
    results = [out.get(timeout=600) for _ in procs]
    wall = time.perf_counter() - t
    for p in procs:
        p.join()
    done = sum(r[1] for r in results)
    errors = sum(r[2] for r in results)
    return done / wall, done, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 10_000, 100_000])
    parser.add_argument("--ops", type=int, default=300, help="timed operations of each kind per size")
    parser.add_argument("--counters", type=int, default=16)
    parser.add_argument("--calls", type=int, default=100, help="calls per counter in the concurrent run")
    args = parser.parse_args()
    cfg = bench_config()
    tmp = Path(tempfile.mkdtemp(prefix="lobby-bench-"))
    print(f"{'store':<11}{'waiting':>9}  {'operation':<10}{'median ms':>10}{'p99 ms':>9}{'load s':>8}")
    for kind in args.stores:
        for size in args.sizes:
            url = fresh_url(kind, tmp, f"{size}")
            store = Store(url)
            t = time.perf_counter()
            load(store, cfg, size)
            loaded = time.perf_counter() - t
            for op, values in one_client(store, cfg, args.ops).items():
                median = statistics.median(values)
                print(f"{kind:<11}{size:>9,}  {op:<10}{median:>10.2f}{p99(values):>9.2f}{loaded:>8.1f}")
            store.dispose()
        url = fresh_url(kind, tmp, "concurrent")
        store = Store(url)
        load(store, cfg, args.counters * args.calls + 1000)
        store.dispose()
        rate, done, errors = many_counters(url, cfg, args.counters, args.calls)
        print(f"{kind:<11}{'':>9}  {args.counters} counters (processes): {rate:,.0f} calls/s, "
              f"{done} calls, {errors} errors")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
