"""Latency of the hallway board: from the commit of a call in another process to the board showing it.

    python bench/display_latency.py [--calls-per-counter 6] [--processes 10] [--pg-admin URL] [--only sqlite|postgresql]

50 counters call "next" from ``--processes`` separate processes (each takes a share of
the counters); each counter calls every ``--interval-s`` seconds on average (4 s by
default: ~12 calls a second in all, some fifty times a busy real centre).  Each
caller notes the wall-clock time right after its transaction commits; the display
(offscreen, the real board, feed bridge and announcer with a silent audio sink) notes
the time once the call's row has been repainted.  Both run on this machine, so their
clocks agree.  Prints median, p95 and max per store (``LOBBY_BENCH_BREAKDOWN=1`` also
splits commit → feed worker → screen).  Goals: < 50 ms on PostgreSQL,
< 300 ms on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COUNTERS = 50


def caller_main(url: str, counters: list[int], rounds: int, seed: int, interval_s: float) -> None:
    """Child process: call next at each of ``counters``, ``rounds`` times, printing commit times.

    Each counter calls on average every ``interval_s`` seconds (random gaps).
    """
    from display.screenshots import demo_config, with_counters
    from lobby.queue.operations import call_next
    from lobby.store.engine import Store

    cfg = with_counters(demo_config(), COUNTERS)
    store = Store(url)
    rng = random.Random(seed)
    print(json.dumps({"ready": True}), flush=True)
    sys.stdin.readline()  # wait for "go" so every process starts together
    for _ in range(rounds):
        for counter in counters:
            with store.session() as s:
                ticket = call_next(s, cfg, counter)
            t = time.time()
            if ticket is not None:
                print(json.dumps({"number": ticket.number, "counter": counter, "t": t}), flush=True)
            gap = interval_s / len(counters)
            time.sleep(rng.uniform(0.2 * gap, 1.8 * gap))
    store.dispose()


def _prepare(url: str, tickets: int) -> None:
    from display.screenshots import demo_config, with_counters
    from lobby.queue.operations import issue_ticket
    from lobby.store.engine import Store
    from lobby.store.migrate import init_store

    cfg = with_counters(demo_config(), COUNTERS)
    store = Store(url)
    init_store(store, cfg)
    codes = [s.code for s in cfg.services]
    for i in range(tickets):
        with store.session() as s:
            issue_ticket(s, cfg, codes[i % len(codes)])
    store.dispose()


def measure(url: str, calls_per_counter: int, processes: int, interval_s: float) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from display.app import DisplayApp, open_pack
    from display.screenshots import demo_config, with_counters
    from lobby.store.engine import Store
    from lobby_qt.fonts import load_fonts

    class SilentPlayer:
        def play(self, path: Path) -> bool:
            return True

        def stop(self) -> None:
            pass

    _prepare(url, COUNTERS * calls_per_counter + 50)
    app = QApplication.instance() or QApplication([])
    load_fonts()
    cfg = with_counters(demo_config(), COUNTERS)
    store = Store(url)
    display = DisplayApp(cfg, store, player=SilentPlayer(), pack=open_pack(cfg))
    display.window.show()
    shown: dict[tuple[str, int], float] = {}

    def on_shown(events: list) -> None:
        display.window.calls.repaint()  # count the paint, not just the model update
        t = time.time()
        for e in events:
            shown.setdefault((e.number, int(e.counter)), t)

    display.call_shown.connect(on_shown)
    from PySide6.QtCore import Qt
    emitted: dict[tuple[str, int], float] = {}

    def on_emit(events: list) -> None:
        t = time.time()
        for e in events:
            if e.kind == "called":
                emitted.setdefault((e.number, int(e.counter)), t)

    display.bridge.events_arrived.connect(on_emit, Qt.ConnectionType.DirectConnection)
    listening: list[object] = []
    display.bridge.listening.connect(listening.append)
    display.start()
    deadline = time.monotonic() + 20
    while not listening and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    if not listening:
        raise SystemExit(f"the display could not follow {store.safe_url}")

    share = [list(range(1 + i, COUNTERS + 1, processes)) for i in range(processes)]
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--caller", url, json.dumps(c), str(calls_per_counter), str(i), str(interval_s)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        for i, c in enumerate(share)
    ]
    for p in procs:
        assert p.stdout is not None
        p.stdout.readline()  # ready
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    import selectors

    sel = selectors.DefaultSelector()
    for p in procs:
        assert p.stdout is not None
        os.set_blocking(p.stdout.fileno(), False)
        sel.register(p.stdout, selectors.EVENT_READ)
    committed: dict[tuple[str, int], float] = {}
    buffers: dict[int, str] = {}
    open_streams = len(procs)
    while open_streams:
        app.processEvents()
        for key, _ in sel.select(timeout=0.002):
            chunk = key.fileobj.read()  # type: ignore[union-attr]
            if not chunk:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            fd = key.fileobj.fileno()  # type: ignore[union-attr]
            data = buffers.get(fd, "") + chunk
            *lines, buffers[fd] = data.split("\n")
            for line in lines:
                rec = json.loads(line)
                committed[(rec["number"], rec["counter"])] = rec["t"]
    for p in procs:
        p.wait(timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not set(committed) <= set(shown):
        app.processEvents()
        time.sleep(0.002)
    missing = set(committed) - set(shown)
    display.stop()
    display.window.close()
    store.dispose()
    if missing:
        print(f"  {len(missing)} calls never shown: {sorted(missing)[:5]}", file=sys.stderr)
    if os.environ.get("LOBBY_BENCH_BREAKDOWN"):  # where the time goes: worker vs GUI thread
        ks = [k for k in committed if k in shown and k in emitted]
        e = sorted((emitted[k] - committed[k]) * 1000 for k in ks)
        g = sorted((shown[k] - emitted[k]) * 1000 for k in ks)
        print(f"  commit->emit median {statistics.median(e):.1f} p95 {e[int(len(e)*.95)]:.1f}; "
              f"emit->shown median {statistics.median(g):.1f} p95 {g[int(len(g)*.95)]:.1f}")
    return [(shown[k] - committed[k]) * 1000 for k in committed if k in shown]


def report(name: str, ms: list[float], goal: float) -> None:
    ms = sorted(ms)
    p95 = ms[max(0, int(round(0.95 * len(ms))) - 1)]
    med = statistics.median(ms)
    verdict = "OK" if p95 < goal else "ABOVE GOAL"
    print(f"{name:<11} calls={len(ms):4d}  median={med:6.1f} ms  p95={p95:6.1f} ms  max={ms[-1]:6.1f} ms"
          f"  (goal < {goal:.0f} ms: {verdict})")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--caller":
        caller_main(sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls-per-counter", type=int, default=5)
    ap.add_argument("--processes", type=int, default=5)
    ap.add_argument("--interval-s", type=float, default=4.0,
                    help="mean seconds between two calls at one counter (a real counter: minutes)")
    ap.add_argument("--pg-admin", default=os.environ.get("LOBBY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    print(f"display latency: {COUNTERS} counters calling from {args.processes} processes, "
          f"{args.calls_per_counter} calls each, one every {args.interval_s:g} s per counter "
          f"(~{COUNTERS / args.interval_s:.0f} calls/s in all)")
    if args.only in (None, "postgresql"):
        import psycopg

        name = f"lobby_bench_display_{os.getpid()}"
        try:
            with psycopg.connect(args.pg_admin, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as exc:
            print(f"postgresql  skipped: {args.pg_admin} does not answer ({exc})")
        else:
            try:
                url = args.pg_admin.rsplit("/", 1)[0] + f"/{name}"
                report("postgresql", measure(url, args.calls_per_counter, args.processes, args.interval_s), 50)
            finally:
                with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="lobby-bench-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'lobby.sqlite3'}"
            report("sqlite", measure(url, args.calls_per_counter, args.processes, args.interval_s), 300)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
