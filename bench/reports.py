"""How long the reports take over a generated history of about one million tickets, on SQLite and PostgreSQL:
the direct computation ("before") against the day summaries ("after", lobby.reports.summary).

    .venv/bin/python bench/reports.py                 # generate (once) and time both stores
    .venv/bin/python bench/reports.py --only sqlite --reuse

The history is one year of working days ending yesterday, about a million tickets,
for a centre ten times the demo centre (120 counters), so a year's report covers
every ticket. Timed, best and median of ``--runs``, for the last month and the year:

- before: ``direct=True``, every figure computed from the tickets (what every report did before
  issue 18): one grouping (``lobby report --by service``: the groups, the total, the grants), and
  everything the XLSX needs (all five groupings, the total, the grants and the busy-hours heat map);
- build: the summaries of the whole year made from nothing (``summarise``, what the first report
  after an upgrade, or ``lobby close-day`` day by day, does);
- after: the same two reports read from the stored day summaries, and each grouping alone;
- first: a report with no summary stored yet (it works every day out and stores it).

Goal: a year's report with every grouping under 3 s on either store ("after").

Both paths give the same figures: each "after" report is checked equal to its "before"
(``tests/lobby/test_report_summary.py`` checks the same on small histories).

``--reuse`` keeps the history of an earlier run and upgrades its schema first. The history
file is ``var/bench/reports-1m.sqlite3``; the PostgreSQL database ``lobby_bench_reports``. Other
work on the machine shows in the figures: the load average is printed before and after.
"""
from __future__ import annotations

import argparse
import functools
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lobby.clock import local_day, utcnow  # noqa: E402
from lobby.config import CentreConfig, CounterConfig, load_config  # noqa: E402
from lobby.reports.demo_history import generate_history  # noqa: E402
from lobby.reports.figures import GROUPINGS, ReportQuery, build_report, report_bundle  # noqa: E402
from lobby.reports.summary import summarise  # noqa: E402
from lobby.store.engine import Store  # noqa: E402
from lobby.store.migrate import init_store  # noqa: E402

PG_ADMIN = os.environ.get("LOBBY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
PG_NAME = "lobby_bench_reports"
SCALE = 10
SUMMARY_TABLES = ("day_summary_values", "day_summary_group", "day_summary")


def bench_config() -> CentreConfig:
    cfg = load_config(ROOT / "config" / "demo.toml")
    counters = [CounterConfig(number=k * len(cfg.counters) + c.number, name=f"Quầy {k * len(cfg.counters) + c.number}",
                              services=c.services) for k in range(SCALE) for c in cfg.counters]
    centre = cfg.centre.model_copy(update={"enforce_hours": False})
    return cfg.model_copy(update={"counters": counters, "centre": centre})


def pg_url(fresh: bool) -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_NAME,)).fetchone()
        if fresh or not exists:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_NAME}"')
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_NAME}"


def prepare(url: str, cfg: CentreConfig, tickets: int, last: date, reuse: bool) -> tuple[Store, str]:
    store = Store(url)
    init_store(store, cfg)
    with store.engine.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM ticket")).scalar_one()
    if reuse and have:
        how = f"reused {have:,} tickets"
    elif have:
        raise SystemExit(f"{store.safe_url} already holds {have:,} tickets; pass --reuse, or remove it")
    else:
        working = sum(1 for i in range(365) if (last - timedelta(days=i)).isoweekday() <= 5)
        per_day = math.ceil(tickets / working / 1.01)  # 1.01: the mean of the weekday load factors
        t0 = time.perf_counter()
        r = generate_history(store, cfg, days=365, end=last, per_day=per_day, seed=2024)
        how = (f"generated {r.tickets:,} tickets, {r.events:,} events, {r.ratings:,} ratings "
               f"over {r.days} working days in {time.perf_counter() - t0:.1f} s")
    if store.dialect == "postgresql":  # what autovacuum gives a live database: visibility map and statistics
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    return store, how


def forget_summaries(store: Store) -> None:
    with store.engine.begin() as conn:
        for table in SUMMARY_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    spans = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        spans.append(time.perf_counter() - t0)
    return min(spans), statistics.median(spans)


def once(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def fmt(t: tuple[float, float]) -> str:
    return f"{t[0]:6.2f} / {t[1]:6.2f} s"


def bench_store(name: str, store: Store, cfg: CentreConfig, ranges: dict[str, ReportQuery], runs: int) -> float:
    """Print before / build / after for one store; the slowest "after" year report (seconds, median)."""
    year = ranges["year"]
    worst = 0.0
    forget_summaries(store)
    for span, q in ranges.items():
        issued = build_report(store, cfg, q, "service", direct=True).total.issued
        one = timed(functools.partial(build_report, store, cfg, q, "service", direct=True), runs)
        full = timed(functools.partial(report_bundle, store, cfg, q, direct=True), runs)
        print(f"  before {span:<5} {issued:>9,} tickets   --by service {fmt(one)}   all groupings + heat map "
              f"{fmt(full)}", flush=True)
    took, stored = once(lambda: summarise(store, cfg, year.start, year.end))
    print(f"  build  year  {stored} days summarised from nothing in {took:.2f} s", flush=True)
    for span, q in ranges.items():
        one = timed(functools.partial(build_report, store, cfg, q, "service"), runs)
        full = timed(functools.partial(report_bundle, store, cfg, q), runs)
        print(f"  after  {span:<5} {'':>9}           --by service {fmt(one)}   all groupings + heat map "
              f"{fmt(full)}", flush=True)
        if span == "year":
            worst = max(one[1], full[1])
    alone = {by: timed(functools.partial(build_report, store, cfg, year, by), runs)[1] for by in GROUPINGS}
    worst = max(worst, *alone.values())
    print("  after  year  each grouping alone (median): "
          + ", ".join(f"{by} {t:.2f} s" for by, t in alone.items()), flush=True)
    same = report_bundle(store, cfg, year) == report_bundle(store, cfg, year, direct=True)
    print(f"  after  year  the same figures as before: {'yes' if same else 'NO'}", flush=True)
    forget_summaries(store)
    took, _ = once(lambda: report_bundle(store, cfg, year))
    print(f"  first  year  all groupings + heat map with nothing stored yet (it stores the year): {took:.2f} s",
          flush=True)
    return worst if same else math.inf


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tickets", type=int, default=1_000_000)
    p.add_argument("--only", choices=("sqlite", "postgresql"))
    p.add_argument("--sqlite", type=Path, default=ROOT / "var" / "bench" / "reports-1m.sqlite3")
    p.add_argument("--reuse", action="store_true", help="keep a history generated by an earlier run")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    cfg = bench_config()
    last = local_day(utcnow(), cfg.tz) - timedelta(days=1)
    ranges = {"month": ReportQuery(last - timedelta(days=29), last),
              "year": ReportQuery(last - timedelta(days=364), last)}
    stores = []
    if args.only in (None, "sqlite"):
        if not args.reuse and args.sqlite.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(str(args.sqlite) + suffix).unlink(missing_ok=True)
        stores.append(("SQLite", f"sqlite:///{args.sqlite}"))
    if args.only in (None, "postgresql"):
        stores.append(("PostgreSQL", pg_url(fresh=not args.reuse)))
    print(f"Reports over one year ending {last.isoformat()}, {len(cfg.counters)} counters; "
          f"best / median of {args.runs}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    worst = {}
    for name, url in stores:
        store, how = prepare(url, cfg, args.tickets, last, args.reuse)
        print(f"{name}: {how}; load average {os.getloadavg()[0]:.2f}", flush=True)
        try:
            worst[name] = bench_store(name, store, cfg, ranges, args.runs)
        finally:
            store.dispose()
    print(f"load average {os.getloadavg()[0]:.2f}")
    for name, seconds in worst.items():
        print(f"Goal: a year's report with every grouping under 3 s — {name}: slowest {seconds:.2f} s (median): "
              f"{'met' if seconds < 3 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
