"""The manager's live monitor under load: 50 counters calling with 2,000 people waiting.

    python bench/web_monitor.py [--counters 50] [--waiting 2000] [--calls 500] [--interval-s 2.0]
                                [--renders 40] [--pg-admin URL] [--only sqlite|postgresql]

For each store: a fresh database with ``--counters`` counters (each serving two of the demo's
services), an official signed in at each, ``--waiting`` tickets waiting (plus the ones the
run will call), and one ``lobby-web`` process on loopback. A manager signs in and keeps the
monitor's live stream (``/quan-ly/su-kien``) open. Then every counter calls the next ticket
about every ``--interval-s`` seconds (random gaps), ``--calls`` calls in all, each caller
noting the wall-clock time right after its transaction commits.

"Commit → monitor" is, for each call, the arrival of the first message of the stream whose
counters table shows that call's ticket (or a later one) at that counter, minus the
commit time: same machine, same clock. "Render" is the time to GET the whole monitor page
(``/quan-ly``) over loopback, measured with the load running and again when quiet.
Goals: commit → monitor p95 < 500 ms, render < 200 ms.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "mật khẩu của bài đo"
PIN = "246802"
ROW = re.compile(r'data-counter="(\d+)">.*?<td>(?:<b>([A-Z]+\d+)</b>|—)', re.S)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def _config_text(counters: int, port: int) -> str:
    from lobby.config import DEFAULT_CONFIG, load_config
    from lobby.launcher import demo_config_text

    codes = [s.code for s in load_config(DEFAULT_CONFIG).services]
    text = demo_config_text(DEFAULT_CONFIG, "dummy://", True, f"http://127.0.0.1:{port}")
    text = re.sub(r"(?m)^number = (\d+)$", lambda m: f"number = {int(m.group(1)) + 500}", text)  # demo's counters aside
    text = text.replace("daily_limit", "# daily_limit")
    for n in range(1, counters + 1):
        a, b = codes[(n - 1) % len(codes)], codes[n % len(codes)]
        text += f'\n[[counters]]\nnumber = {n}\nname = "Quầy {n}"\nservices = ["{a}", "{b}"]\n'
    return text


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


def _sign_in(base: str) -> object:
    import httpx

    client = httpx.Client(base_url=base, timeout=30)
    form = client.get("/quan-ly/dang-nhap").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    done = client.post("/quan-ly/dang-nhap", data={"csrf": csrf.group(1), "username": "quanly", "password": PASSWORD},
                       headers={"Origin": base})
    assert done.status_code in (200, 303) and "lobby_staff" in client.cookies, done.text[:300]
    return client


class Watcher(threading.Thread):
    """The manager's browser: reads the stream and notes, per counter, which ticket it showed when."""

    def __init__(self, client: object) -> None:
        super().__init__(daemon=True)
        self.client = client
        self.seen: list[tuple[float, dict[int, str]]] = []
        self.ready = threading.Event()
        self.stop = False

    def run(self) -> None:
        import httpx

        assert isinstance(self.client, httpx.Client)
        try:
            with self.client.stream("GET", "/quan-ly/su-kien", timeout=None) as response:
                for line in response.iter_lines():
                    if self.stop:
                        return
                    if line.startswith("data: "):
                        arrived = time.time()
                        parts = json.loads(line[6:])
                        shown = {int(c): t for c, t in ROW.findall(parts["counters"]) if t}
                        self.seen.append((arrived, shown))
                        self.ready.set()
        except httpx.HTTPError:
            if not self.stop:  # the server going away at the end of a run is expected
                raise


def _renders(client: object, n: int) -> list[float]:
    import httpx

    assert isinstance(client, httpx.Client)
    out = []
    for _ in range(n):
        started = time.perf_counter()
        r = client.get("/quan-ly")
        out.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200
    return out


def run_store(kind: str, url: str, args: argparse.Namespace, tmp: Path) -> dict[str, object]:
    import socket

    from lobby import queue
    from lobby.config import load_config
    from lobby.monitor.passwords import set_web_password
    from lobby.staffing import counters, staff
    from lobby.store.engine import Store
    from lobby.store.migrate import init_store

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config_path = tmp / f"{kind}.toml"
    config_path.write_text(_config_text(args.counters, port), encoding="utf-8")
    cfg = load_config(config_path)
    store = Store(url)
    init_store(store, cfg)
    with store.session() as s:
        staff.add_staff(s, "quanly", "Quản lý", "manager", "999999")
    with store.session() as s:
        set_web_password(s, "quanly", PASSWORD)
    for n in range(1, args.counters + 1):
        with store.session() as s:
            staff.add_staff(s, f"cb{n:02d}", f"Cán bộ {n}", "official", PIN)
        with store.session() as s:
            counters.sign_in(s, cfg, n, f"cb{n:02d}", PIN)
    codes = [s.code for s in cfg.services]
    for i in range(args.waiting + args.calls):
        with store.session() as s:
            queue.issue_ticket(s, cfg, codes[i % len(codes)], source="bench")
    web = subprocess.Popen([sys.executable, "-m", "web", "--config", str(config_path), "--db", url, "--port",
                            str(port), "--log-dir", str(tmp / f"log-{kind}")], cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=open(tmp / f"web-{kind}.err", "wb"))
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_http(f"{base}/healthz", 60)
        client = _sign_in(base)
        quiet_before = _renders(client, args.renders)
        watcher = Watcher(_sign_in(base))
        watcher.start()
        if not watcher.ready.wait(30):
            raise RuntimeError("the monitor's stream sent nothing")
        calls: list[tuple[int, int, str, float]] = []  # counter, its k-th call, number, commit time
        lock = threading.Lock()
        per_counter = max(1, args.calls // args.counters)

        def official(n: int) -> None:
            rng = random.Random(n)
            time.sleep(rng.uniform(0, args.interval_s))
            for k in range(per_counter):
                with store.session() as s:
                    t = queue.call_next(s, cfg, n)
                committed = time.time()
                if t is not None:
                    with lock:
                        calls.append((n, k, t.number, committed))
                time.sleep(rng.expovariate(1 / args.interval_s))

        threads = [threading.Thread(target=official, args=(n,)) for n in range(1, args.counters + 1)]
        started = time.monotonic()
        for t in threads:
            t.start()
        loaded = _renders(client, args.renders)
        for t in threads:
            t.join()
        load_s = time.monotonic() - started
        time.sleep(3.0)  # the last messages' way to the monitor
        watcher.stop = True
        quiet_after = _renders(client, args.renders)
        # for each call: the first message that shows this ticket, or a later one, at its counter
        order = {(n, number): k for n, k, number, _ in calls}
        latencies = []
        missed = 0
        for n, k, _number, committed in calls:
            arrival = next((at for at, shown in watcher.seen if at >= committed - 0.001 and n in shown
                            and order.get((n, shown[n]), -1) >= k), None)
            if arrival is None:
                missed += 1
            else:
                latencies.append((arrival - committed) * 1000)
        return {
            "store": kind, "counters": args.counters, "waiting": args.waiting, "calls": len(calls),
            "calls_per_s": round(len(calls) / load_s, 1), "messages": len(watcher.seen), "missed": missed,
            "commit_to_monitor_ms": {"median": round(statistics.median(latencies), 1),
                                     "p95": round(_pct(latencies, 95), 1), "max": round(max(latencies), 1)},
            "render_ms_quiet": {"median": round(statistics.median(quiet_before + quiet_after), 1),
                                "p95": round(_pct(quiet_before + quiet_after, 95), 1)},
            "render_ms_under_load": {"median": round(statistics.median(loaded), 1), "p95": round(_pct(loaded, 95), 1)},
        }
    finally:
        web.terminate()
        web.wait(10)
        store.dispose()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--counters", type=int, default=50)
    p.add_argument("--waiting", type=int, default=2000)
    p.add_argument("--calls", type=int, default=500)
    p.add_argument("--interval-s", type=float, default=2.0, help="mean gap between one counter's calls")
    p.add_argument("--renders", type=int, default=40)
    p.add_argument("--pg-admin", default="postgresql://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--only", choices=("sqlite", "postgresql"))
    args = p.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.only in (None, "sqlite"):
            results.append(run_store("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", args, tmp))
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
        if args.only in (None, "postgresql"):
            import psycopg

            name = "lobby_bench_monitor"
            with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                results.append(run_store("postgresql", args.pg_admin.rsplit("/", 1)[0] + f"/{name}", args, tmp))
                print(json.dumps(results[-1], ensure_ascii=False), flush=True)
            finally:
                with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
