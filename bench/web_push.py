"""Live pages at scale: 2,000 phones on SSE to one ``lobby-web`` process while 20 counters call; API issue load.

    python bench/web_push.py [--phones 2000] [--calls 200] [--interval-s 0.5] [--services 10]
                             [--api-clients 8 --api-tickets 2000] [--pg-admin URL] [--only sqlite|postgresql]

For each store: a fresh database with 20 counters (two per service over ``--services``
services); ``--phones`` waiting tickets spread over those services; one ``lobby-web``
process on loopback; the phones (``--workers`` processes of asyncio + httpx streams,
each on its own ticket's ``/v/{token}/events``). Then the counters call ``--calls``
times, one call every ``--interval-s`` seconds on average (random gaps), each caller
noting the wall-clock time right after its transaction commits.

Latency "commit → phone" is counted for every call and every phone that call changes
(the called phone gets "Mời đến quầy số N"; the others waiting for the same service get
their new place): the arrival time of the first message that covers the call's event id,
minus the call's commit time. Same machine, same clock. Also the server's memory (RSS
and peak) with every phone connected, the PostgreSQL connections the server holds, and
API issuing: ``--api-clients`` concurrent clients issuing ``--api-tickets`` tickets by
``POST /api/v1/tickets``: throughput, p50/p99 and duplicates. Goals: p95 < 250 ms and
< 300 MB on PostgreSQL.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COUNTERS = 20


# ---------------------------------------------------------------- a phone worker (child process)


async def _phone(client: object, base: str, index: int, token: str, out: list[tuple[int, int, float, bool]],
                 ready: asyncio.Event, counter: list[int], total: int) -> None:
    """One phone: like a browser's EventSource, it reconnects with Last-Event-ID when its stream ends."""
    import httpx

    assert isinstance(client, httpx.AsyncClient)
    first = True
    event_id = 0
    while True:
        headers = {"Last-Event-ID": str(event_id)} if event_id else {}
        try:
            async with client.stream("GET", f"{base}/v/{token}/events", headers=headers) as response:
                async for line in response.aiter_lines():
                    if line.startswith("id: "):
                        event_id = int(line[4:])
                    elif line.startswith("data: "):
                        out.append((index, event_id, time.time(), '"called":true' in line))
                        if first:
                            first = False
                            counter[0] += 1
                            if counter[0] == total:
                                ready.set()
        except httpx.HTTPError:
            pass
        counter[1] += 1  # the stream ended: reconnect, as EventSource does after its retry delay
        await asyncio.sleep(3)


async def _phones(base: str, tokens: list[tuple[int, str]]) -> None:
    import httpx

    out: list[tuple[int, int, float, bool]] = []
    ready = asyncio.Event()
    counter = [0, 0]
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(None, connect=60)) as client:
        tasks = []
        for i, (index, token) in enumerate(tokens):
            tasks.append(asyncio.create_task(_phone(client, base, index, token, out, ready, counter, len(tokens))))
            if i % 50 == 49:
                await asyncio.sleep(0.05)  # do not open every connection in the same millisecond
        await ready.wait()
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # "stop"
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps({"arrivals": out, "reconnects": counter[1]}), flush=True)


def phone_worker(base: str, tokens_file: str) -> None:
    tokens = [(int(i), str(tok)) for i, tok in json.loads(Path(tokens_file).read_text())]
    asyncio.run(_phones(base, tokens))


# ---------------------------------------------------------------- the parent


def _config_text(services: int, port: int) -> tuple[str, list[str]]:
    from lobby.config import DEFAULT_CONFIG, load_config
    from lobby.launcher import demo_config_text

    codes = [s.code for s in load_config(DEFAULT_CONFIG).services][:services]
    text = demo_config_text(DEFAULT_CONFIG, "dummy://", True, f"http://127.0.0.1:{port}")
    for n in range(1, COUNTERS + 1):
        known = f"[[counters]]\nnumber = {n}\n"
        text = text.replace(known, f"[[counters]]\nnumber = {n + 100}\n")  # move the demo's own counters aside
    text = text.replace("daily_limit", "# daily_limit")
    for n in range(1, COUNTERS + 1):
        text += f'\n[[counters]]\nnumber = {n}\nname = "Quầy {n}"\nservices = ["{codes[(n - 1) % len(codes)]}"]\n'
    return text, codes


def _rss_kb(pid: int) -> tuple[int, int]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def _wait_http(url: str, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def run_store(kind: str, url: str, args: argparse.Namespace, tmp: Path) -> dict[str, object]:
    import socket

    from lobby import queue
    from lobby.access.api_tokens import add_token
    from lobby.config import load_config
    from lobby.store.engine import Store
    from lobby.store.migrate import init_store
    from lobby.store.models import Event

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    text, codes = _config_text(args.services, port)
    config_path = tmp / f"{kind}.toml"
    config_path.write_text(text, encoding="utf-8")
    cfg = load_config(config_path)
    store = Store(url)
    init_store(store, cfg)
    phones: list[tuple[int, str, str]] = []  # index, token, service
    for i in range(args.phones):
        with store.session() as s:
            t = queue.issue_ticket(s, cfg, codes[i % len(codes)], source="bench")
        phones.append((i, t.public_token or "", t.service))
    with store.session() as s:
        _, secret = add_token(s, "bench", frozenset({"issue"}))
    web = subprocess.Popen([sys.executable, "-m", "web", "--config", str(config_path), "--db", url, "--port", str(port),
                            "--log-dir", str(tmp / f"log-{kind}")], cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=open(tmp / f"web-{kind}.err", "wb"))
    base = f"http://127.0.0.1:{port}"
    workers: list[subprocess.Popen[str]] = []
    try:
        _wait_http(f"{base}/healthz", 60)
        rss_idle = _rss_kb(web.pid)[0]
        shares = [phones[w::args.workers] for w in range(args.workers)]
        for n, share in enumerate(shares):
            f = tmp / f"tokens-{kind}-{n}.json"
            f.write_text(json.dumps([(i, tok) for i, tok, _ in share]))
            workers.append(subprocess.Popen([sys.executable, __file__, "--phone-worker", base, str(f)], cwd=ROOT,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        connect_start = time.monotonic()
        for w in workers:
            assert w.stdout is not None
            if w.stdout.readline().strip() != "ready":
                raise RuntimeError("a phone worker failed to connect its phones")
        connect_s = time.monotonic() - connect_start
        rss_connected = _rss_kb(web.pid)[0]
        pg_conns = None
        if kind == "postgresql":  # the server's connections: its pool and its one LISTEN connection
            import psycopg

            store.engine.dispose()  # ours out of the count
            with psycopg.connect(store.url.set(drivername="postgresql").render_as_string(hide_password=False),
                                 application_name="bench") as conn:
                row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                   "AND application_name IN ('lobby', 'lobby-feed')").fetchone()
                pg_conns = row[0] if row else None
        rng = random.Random(7)
        commits: dict[str, float] = {}
        for _ in range(args.calls):
            counter = rng.randint(1, COUNTERS)
            with store.session() as s:
                called = queue.call_next(s, cfg, counter)
            if called is not None:
                commits[called.number] = time.time()
            time.sleep(rng.expovariate(1 / args.interval_s))
        time.sleep(2.0)  # the last messages' way to the phones
        rss_after, rss_peak = _rss_kb(web.pid)
        arrivals: list[tuple[int, int, float, bool]] = []
        reconnects = 0
        for w in workers:
            assert w.stdin is not None and w.stdout is not None
            w.stdin.write("stop\n")
            w.stdin.flush()
            got = json.loads(w.stdout.readline())
            reconnects += int(got["reconnects"])
            arrivals.extend((int(a), int(b), float(c), bool(d)) for a, b, c, d in got["arrivals"])
        api = _api_load(base, secret, codes[0], args)
    finally:
        for w in workers:
            w.kill()
        web.terminate()
        web.wait(20)
    from sqlalchemy import select

    from lobby.store.models import Ticket

    with store.read_session() as s:
        rows = s.execute(select(Event.id, Event.number, Event.service_code).where(Event.kind == "called")).all()
        api_numbers = list(s.scalars(select(Ticket.number).where(Ticket.source == "api:bench")))
    store.dispose()
    calls = sorted((eid, commits[num], code, num) for eid, num, code in rows if num in commits)
    service_of = {i: svc for i, _, svc in phones}
    by_phone: dict[int, list[tuple[int, float, bool]]] = {}
    for index, eid, at, is_called in arrivals:
        by_phone.setdefault(index, []).append((eid, at, is_called))
    latencies: list[float] = []
    called_latencies: list[float] = []
    for index, messages in by_phone.items():
        messages.sort()
        previous = messages[0][0]
        for eid, at, is_called in messages[1:]:  # the calls of its service while the phone waited
            for call_id, commit, code, _ in calls:
                if previous < call_id <= eid and code == service_of[index]:
                    latencies.append((at - commit) * 1000)
                    if is_called:
                        called_latencies.append((at - commit) * 1000)
            previous = eid
            if is_called:
                break  # later calls of its service no longer change this phone's page
    return {
        "store": kind, "phones": args.phones, "calls": len(calls), "connect_all_s": round(connect_s, 1),
        "messages": len(arrivals), "reconnects": reconnects, "deliveries_measured": len(latencies),
        "deliveries_over_1s": sum(1 for x in latencies if x > 1000),
        "commit_to_phone_ms": {"median": round(statistics.median(latencies), 1), "p95": round(_pct(latencies, 95), 1),
                               "max": round(max(latencies), 1)} if latencies else None,
        "called_phone_ms": {"median": round(statistics.median(called_latencies), 1),
                            "p95": round(_pct(called_latencies, 95), 1)} if called_latencies else None,
        "server_rss_mb": {"idle": round(rss_idle / 1024), "phones_connected": round(rss_connected / 1024),
                          "after_calls": round(rss_after / 1024), "peak": round(rss_peak / 1024)},
        "pg_connections_of_server": pg_conns,
        "api": {**api, "stored": len(api_numbers), "distinct_stored": len(set(api_numbers))},
    }


def _api_load(base: str, secret: str, service: str, args: argparse.Namespace) -> dict[str, object]:
    import httpx

    per_client = args.api_tickets // args.api_clients
    numbers: list[str] = []
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {secret}"}) as c:
            for _ in range(per_client):
                start = time.perf_counter()
                r = c.post("/api/v1/tickets", json={"service": service})
                took = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(took)
                    if r.status_code == 201:
                        numbers.append(r.json()["number"])
                    else:
                        errors.append(f"{r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=client) for _ in range(args.api_clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return {"clients": args.api_clients, "issued": len(numbers), "errors": len(errors), "first_error": errors[:1],
            "duplicates": len(numbers) - len(set(numbers)), "per_s": round(len(numbers) / wall, 1),
            "p50_ms": round(statistics.median(latencies), 1), "p99_ms": round(_pct(latencies, 99), 1)}


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--phone-worker":
        phone_worker(sys.argv[2], sys.argv[3])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phones", type=int, default=2000)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--interval-s", type=float, default=0.5, help="mean gap between two calls (all counters)")
    ap.add_argument("--services", type=int, default=10)
    ap.add_argument("--workers", type=int, default=4, help="processes simulating the phones")
    ap.add_argument("--api-clients", type=int, default=8)
    ap.add_argument("--api-tickets", type=int, default=2000)
    ap.add_argument("--pg-admin", default=os.environ.get("LOBBY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--only", choices=("sqlite", "postgresql"))
    args = ap.parse_args()
    import psycopg

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("postgresql", "sqlite"):
            if args.only and kind != args.only:
                continue
            if kind == "sqlite":
                url = f"sqlite:///{tmp}/bench.sqlite3"
            else:
                name = f"lobby_bench_web_{os.getpid()}"
                with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    conn.execute(f'CREATE DATABASE "{name}"')
                url = args.pg_admin.rsplit("/", 1)[0] + f"/{name}"
            try:
                result = run_store(kind, url, args, Path(tmp))
            finally:
                if kind == "postgresql":
                    with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(json.dumps(result, ensure_ascii=False), flush=True)
            results.append(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
