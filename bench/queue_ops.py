"""How fast are "issue" and "call next", on both stores, with 100 to 100,000 tickets waiting, and in a burst?

Prints, for SQLite and PostgreSQL, the median and p99 time of one client's `issue`
and `call next` with 100, 10,000 and 100,000 tickets waiting (and as many served on
earlier days, so the cost is seen not to grow with the history), then the
throughput of 16 counters calling at once, each a process of its own.

Then the opening-time burst (``--burst-only`` runs just this):
8 processes released together at a barrier on a fresh store, ``--rounds`` rounds, medians:

- issue: 8 kiosks × 100 tickets at once: tickets/s, p50 / p99 / worst latency, client CPU per
  issue, duplicate and skipped numbers;
- call next: 400 waiting, 8 counters calling until nobody waits: calls/s, p50 / p99 / worst,
  client CPU per call, calls per counter (fair share 50), tickets called twice or never;
- sequential issue from one process: tickets/s.

    .venv/bin/python bench/queue_ops.py                 # everything
    .venv/bin/python bench/queue_ops.py --stores sqlite --sizes 100 10000
    .venv/bin/python bench/queue_ops.py --burst-only --rounds 3
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


BURST_PROCS = 8
BURST_ISSUES = 100
BURST_WAITING = 400
SEQUENTIAL_ISSUES = 300
WARM_DAY = NOW - timedelta(days=1)  # warm-up work goes to the day before, outside what is measured


def _burst_worker(url: str, cfg: CentreConfig, case: str, number: int, barrier: Any, out: Any) -> None:
    """One kiosk (case "issue") or counter (case "call"): warm up, wait at the barrier, then work and report."""
    store = Store(url)
    with store.session() as s:  # warm: connections, compiled statements (on the day before)
        if case == "issue":
            queue.issue_ticket(s, cfg, SERVICE, now=WARM_DAY)
        else:
            queue.call_next(s, cfg, number, now=WARM_DAY)
    latencies: list[float] = []
    calls, errors = 0, 0
    barrier.wait()
    cpu = time.process_time()
    while True:
        t = time.perf_counter()
        try:
            with store.session() as s:
                if case == "issue":
                    queue.issue_ticket(s, cfg, SERVICE, source=f"kiosk-{number}", now=NOW)
                    result: object = True
                else:
                    result = queue.call_next(s, cfg, number, now=NOW)
        except Exception as exc:  # noqa: BLE001 - counted and shown
            errors += 1
            print(f"{case} {number}: {exc!r}", file=sys.stderr)
            result = True
        latencies.append((time.perf_counter() - t) * 1000)
        if result is None:
            break
        calls += 1
        if case == "issue" and calls == BURST_ISSUES:
            break
    out.put((number, latencies, calls, errors, time.process_time() - cpu, time.monotonic()))
    store.dispose()


def _burst_prepare(store: Store, cfg: CentreConfig, case: str) -> None:
    init_store(store, cfg)
    if case == "call":
        with store.session() as s:
            for _ in range(BURST_PROCS):  # one each for the counters' warm-up call, on the day before
                queue.issue_ticket(s, cfg, SERVICE, now=WARM_DAY)
            for _ in range(BURST_WAITING):
                queue.issue_ticket(s, cfg, SERVICE, now=NOW)


def _burst_checks(store: Store, case: str) -> dict[str, int]:
    """Duplicates, skipped numbers, tickets called twice or never: all must be 0."""
    day = NOW.date()
    with store.engine.connect() as conn:
        one = lambda sql: int(conn.execute(text(sql), {"d": day}).scalar_one() or 0)  # noqa: E731
        if case == "issue":
            issued = one("SELECT count(*) FROM ticket WHERE day = :d")
            return {"tickets": issued,
                    "duplicates": issued - one("SELECT count(DISTINCT number) FROM ticket WHERE day = :d"),
                    "skipped": one("SELECT max(seq) FROM ticket WHERE day = :d") - issued}
        called_twice = one("SELECT count(*) FROM (SELECT e.ticket_id FROM event e JOIN ticket t ON t.id = e.ticket_id "
                           "WHERE t.day = :d AND e.kind = 'called' GROUP BY e.ticket_id HAVING count(*) > 1) x")
        return {"tickets": one("SELECT count(*) FROM ticket WHERE day = :d"),
                "duplicates": called_twice,
                "skipped": one("SELECT count(*) FROM ticket WHERE day = :d AND call_count <> 1")}


def burst_round(kind: str, tmp: Path, cfg: CentreConfig, case: str, rnd: int) -> dict[str, Any]:
    url = fresh_url(kind, tmp, f"burst_{case}_{rnd}")
    store = Store(url)
    _burst_prepare(store, cfg, case)
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(BURST_PROCS + 1), ctx.Queue()
    procs = [ctx.Process(target=_burst_worker, args=(url, cfg, case, n, barrier, out))
             for n in range(1, BURST_PROCS + 1)]
    for p in procs:
        p.start()
    barrier.wait(timeout=300)
    start = time.monotonic()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    latencies = sorted(v for r in results for v in r[1])
    ops = sum(r[2] for r in results)
    wall = max(r[5] for r in results) - start
    row = {
        "rate": ops / wall, "p50": statistics.median(latencies), "p99": p99(latencies), "max": latencies[-1],
        "cpu": sum(r[4] for r in results) / max(len(latencies), 1) * 1000, "errors": sum(r[3] for r in results),
        "per_counter": [r[2] for r in sorted(results)], **_burst_checks(store, case),
    }
    store.dispose()
    return row


def sequential_issue(kind: str, tmp: Path, cfg: CentreConfig, rnd: int) -> tuple[float, float]:
    """Tickets per second and client CPU ms per issue, one process issuing one after the other."""
    store = Store(fresh_url(kind, tmp, f"burst_seq_{rnd}"))
    init_store(store, cfg)
    with store.session() as s:
        queue.issue_ticket(s, cfg, SERVICE, now=WARM_DAY)
    cpu, t = time.process_time(), time.perf_counter()
    for _ in range(SEQUENTIAL_ISSUES):
        with store.session() as s:
            queue.issue_ticket(s, cfg, SERVICE, now=NOW)
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    store.dispose()
    return SEQUENTIAL_ISSUES / wall, cpu / SEQUENTIAL_ISSUES * 1000


def _median_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("rate", "p50", "p99", "max", "cpu")
    merged = {k: statistics.median(r[k] for r in rows) for k in keys}
    for k in ("errors", "duplicates", "skipped"):
        merged[k] = max(r[k] for r in rows)
    merged["tickets"] = [r["tickets"] for r in rows]
    merged["per_counter"] = [r["per_counter"] for r in rows]
    return merged


def burst(kind: str, tmp: Path, rounds: int) -> None:
    """The opening-time burst on one store: issue and call next, each ``rounds`` times, medians."""
    cfg = bench_config().model_copy(update={
        "counters": [CounterConfig(number=n, name=f"Quầy {n}", services=[SERVICE])
                     for n in range(1, BURST_PROCS + 1)]})
    labels = {"issue": f"issue {BURST_PROCS}×{BURST_ISSUES} at once",
              "call": f"call next, {BURST_WAITING} waiting, {BURST_PROCS} counters"}
    for case, label in labels.items():
        m = _median_row([burst_round(kind, tmp, cfg, case, r) for r in range(rounds)])
        fair = BURST_WAITING / BURST_PROCS
        worst_share = min(min(c) / fair for c in m["per_counter"]), max(max(c) / fair for c in m["per_counter"])
        print(f"{kind:<11}{label:<36}{m['rate']:>7.0f}/s  p50 {m['p50']:6.1f}  p99 {m['p99']:7.1f}  "
              f"max {m['max']:7.1f} ms  cpu {m['cpu']:5.2f} ms/op  dup {m['duplicates']}  "
              f"skipped {m['skipped']}  errors {m['errors']}")
        if case == "call":
            print(f"{'':<11}calls per counter (fair share {fair:.0f}): "
                  + "; ".join(str(c) for c in m["per_counter"])
                  + f"  — fewest/most vs fair share {worst_share[0]:.2f} / {worst_share[1]:.2f}")
    seq = [sequential_issue(kind, tmp, cfg, r) for r in range(rounds)]
    print(f"{kind:<11}{'sequential issue, one process':<36}{statistics.median(r[0] for r in seq):>7.0f}/s  "
          f"cpu {statistics.median(r[1] for r in seq):5.2f} ms/op")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 10_000, 100_000])
    parser.add_argument("--ops", type=int, default=300, help="timed operations of each kind per size")
    parser.add_argument("--counters", type=int, default=16)
    parser.add_argument("--calls", type=int, default=100, help="calls per counter in the concurrent run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each burst case (medians are printed)")
    parser.add_argument("--burst-only", action="store_true", help="only the opening-time burst")
    args = parser.parse_args()
    cfg = bench_config()
    tmp = Path(tempfile.mkdtemp(prefix="lobby-bench-"))
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    if args.burst_only:
        for kind in args.stores:
            burst(kind, tmp, args.rounds)
        print(f"load average {os.getloadavg()[0]:.2f}")
        return
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
    for kind in args.stores:
        burst(kind, tmp, args.rounds)
    print(f"load average {os.getloadavg()[0]:.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
