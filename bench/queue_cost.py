"""What one "issue" and one "call next" cost the client: SQL statements, round trips, client CPU, wall time.

One process, a fresh store of each kind (the demo centre, hours not enforced), one session
per operation as the apps use them. After a warm-up (pools, caches, prepared statements),
each round issues N tickets for business registration (DKKD) and then calls N times at
counter 2 (DKKD and CT, an official signed in), so each call also finishes the ticket called
before it. Printed per operation, as the median over the rounds:

- statements: what SQLAlchemy sends to the driver (a ``before_cursor_execute`` count;
  on SQLite it includes the ``BEGIN IMMEDIATE``);
- round trips (PostgreSQL): the statements, plus the ``BEGIN`` psycopg sends before the
  first one, the ``COMMIT`` and the pool's pre-ping at checkout;
- compiled: statements whose SQL was compiled rather than taken from SQLAlchemy's cache;
- client CPU: ``time.process_time()`` of this process, in ms (the figure issue 18 halves);
- wall: ``time.perf_counter()``, in ms.

On PostgreSQL it also prints how many statements psycopg has prepared on the connection
(``pg_prepared_statements``) and its ``prepare_threshold``.

    .venv/bin/python bench/queue_cost.py                    # both stores, N=500, 3 rounds
    .venv/bin/python bench/queue_cost.py --stores sqlite --n 200 --rounds 1

PostgreSQL is found at LOBBY_BENCH_PG, then LOBBY_TEST_PG (a role allowed to create databases).
Goal (issue 18): client CPU per issue halved on both stores, call next clearly cheaper.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import event, text
from sqlalchemy.engine.interfaces import CacheStats

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lobby import queue  # noqa: E402
from lobby.config import CentreConfig, load_config  # noqa: E402
from lobby.staffing.counters import sign_in  # noqa: E402
from lobby.staffing.staff import add_staff  # noqa: E402
from lobby.store.engine import Store  # noqa: E402
from lobby.store.migrate import init_store  # noqa: E402

PG_ADMIN = os.environ.get("LOBBY_BENCH_PG") or os.environ.get(
    "LOBBY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SERVICE = "DKKD"
COUNTER = 2


def bench_config() -> CentreConfig:
    cfg = load_config(ROOT / "config" / "demo.toml")
    return cfg.model_copy(update={"centre": cfg.centre.model_copy(update={"enforce_hours": False})})


def fresh_url(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'cost.sqlite3'}"
    name = "lobby_bench_cost"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


@dataclass
class Tally:
    """Counts of what the engine did, kept by event listeners."""

    statements: int = 0
    compiled: int = 0
    begins: int = 0
    commits: int = 0
    checkouts: int = 0
    sql: list[str] = field(default_factory=list)
    keep_sql: bool = False

    def snapshot(self) -> tuple[int, int, int, int, int]:
        return self.statements, self.compiled, self.begins, self.commits, self.checkouts


def watch(store: Store) -> Tally:
    tally = Tally()
    engine = store.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(_conn: Any, _cur: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
        tally.statements += 1
        if context is not None and context.compiled is not None and context.cache_hit is not CacheStats.CACHE_HIT:
            tally.compiled += 1
        if tally.keep_sql:
            tally.sql.append(" ".join(statement.split()))

    @event.listens_for(engine, "begin")
    def _begin(_conn: Any) -> None:
        tally.begins += 1

    @event.listens_for(engine, "commit")
    def _commit(_conn: Any) -> None:
        tally.commits += 1

    @event.listens_for(engine.pool, "checkout")
    def _checkout(*_args: Any) -> None:
        tally.checkouts += 1

    return tally


@dataclass
class Figures:
    statements: float
    round_trips: float
    compiled: float
    cpu_ms: float
    wall_ms: float


def measure(store: Store, tally: Tally, op: Callable[[int], None], n: int) -> Figures:
    before = tally.snapshot()
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(n):
        op(i)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    statements, compiled, begins, commits, checkouts = (b - a for a, b in zip(before, tally.snapshot(), strict=True))
    trips = statements
    if store.dialect == "postgresql":  # psycopg sends BEGIN itself; the pool pings at checkout (pool_pre_ping)
        trips += begins + commits + checkouts
    return Figures(statements / n, trips / n, compiled / n, cpu / n * 1000, wall / n * 1000)


def operations(store: Store, cfg: CentreConfig) -> dict[str, Callable[[int], None]]:
    def issue(i: int) -> None:
        with store.session() as s:
            queue.issue_ticket(s, cfg, SERVICE, now=NOW + timedelta(seconds=i))

    def call(i: int) -> None:
        with store.session() as s:
            assert queue.call_next(s, cfg, COUNTER, now=NOW + timedelta(seconds=i, milliseconds=500)) is not None

    return {"issue": issue, "call next": call}


def prepared_on_pg(store: Store) -> str:
    with store.engine.connect() as conn:
        prepared = conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()
        threshold = conn.connection.driver_connection.prepare_threshold  # type: ignore[union-attr]
    return f"{prepared} statements prepared on the connection (psycopg prepare_threshold={threshold})"


def sign_in_official(store: Store, cfg: CentreConfig) -> None:
    """An official at the counter, as at a real centre (the calls name them)."""
    with store.session() as s:
        add_staff(s, "an", "Nguyễn Văn An", "official", "1234")
    with store.session() as s:
        sign_in(s, cfg, COUNTER, "an", "1234", now=NOW)


def run(kind: str, cfg: CentreConfig, tmp: Path, n: int, rounds: int, warmup: int, show_sql: bool) -> None:
    store = Store(fresh_url(kind, tmp))
    init_store(store, cfg)
    sign_in_official(store, cfg)
    tally = watch(store)
    ops = operations(store, cfg)
    for op in ops.values():
        measure(store, tally, op, warmup)
    results: dict[str, list[Figures]] = {name: [] for name in ops}
    for _ in range(rounds):
        for name, op in ops.items():
            results[name].append(measure(store, tally, op, n))
    for name, figures in results.items():
        med = {f: statistics.median(getattr(x, f) for x in figures) for f in Figures.__dataclass_fields__}
        print(f"{kind:<11}{name:<10}{med['statements']:>11.1f}{med['round_trips']:>12.1f}{med['compiled']:>10.2f}"
              f"{med['cpu_ms']:>14.3f}{med['wall_ms']:>10.3f}")
    if show_sql:  # the second of two, so that the issue has someone ahead and the call a ticket to finish
        for name, op in ops.items():
            op(n + 1)
            tally.sql.clear()
            tally.keep_sql = True
            op(n + 2)
            tally.keep_sql = False
            print(f"  {name}:", *tally.sql, sep="\n    ")
    if kind == "postgresql":
        print(f"{'':<11}{prepared_on_pg(store)}")
    store.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--n", type=int, default=500, help="issues, then as many call-nexts, per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--sql", action="store_true", help="also print the statements of one issue and one call")
    args = parser.parse_args()
    cfg = bench_config()
    tmp = Path(tempfile.mkdtemp(prefix="lobby-bench-"))
    print(f"N={args.n} per round, {args.rounds} rounds (medians), warm-up {args.warmup}; per operation:")
    print(f"{'store':<11}{'operation':<10}{'statements':>11}{'round trips':>12}{'compiled':>10}"
          f"{'client CPU ms':>14}{'wall ms':>10}")
    for kind in args.stores:
        run(kind, cfg, tmp, args.n, args.rounds, args.warmup, args.sql)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
