"""A working day with faults: kiosks, counters and displays as real processes on a private
PostgreSQL server, while the server's connections are killed, the server restarts, the
printer runs out of paper and app processes are killed and started again.

Used by ``tests/e2e/test_fault_day.py`` (a short day) and ``bench/soak.py`` (a long one).
At the end it checks what a centre must be able to trust: every issued number exists
exactly once with no gaps, every ticket reached a valid final state, every call was
shown by every display, and no app died on its own.
"""
from __future__ import annotations

import random
import re
import threading
import time
import traceback
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from dayreport import Report
from harness import AppProcess, free_port, script, wait_until
from lobby.config import PROJECT_ROOT, load_config
from lobby.launcher import demo_config_text
from lobby.staffing import staff
from lobby.store.engine import Store
from lobby.store.migrate import init_store
from pgcluster import PrivateCluster

SHOWN = re.compile(r"call shown: event=(\d+) ")
OFFERED = re.compile(r"unprinted tickets offered to the guard: (.+)")
SERVICES_BY_COUNTER = [["DKKD"], ["DKKD", "CT"], ["DD"], ["DD", "TNMT"], ["HT"], ["XD"], ["GPLX"], ["GPLX"],
                       ["LDTBXH", "YT"], ["CT"], ["YT", "HT"], ["TKQ"]]


@dataclass
class Plan:
    kiosks: int = 2
    counters: int = 4
    displays: int = 2
    tickets: int = 120
    faults: bool = True
    fault_rounds: int = 1  # 0: keep injecting faults until every ticket is issued
    seed: int = 20261128
    deadline_s: float = 600.0


def centre_config(path: Path, printer_port: int, counters: int) -> Path:
    text = demo_config_text(PROJECT_ROOT / "config" / "demo.toml", f"tcp://127.0.0.1:{printer_port}", True)
    for number in range(13, counters + 1):
        services = SERVICES_BY_COUNTER[(number - 1) % len(SERVICES_BY_COUNTER)]
        quoted = ", ".join(f'"{s}"' for s in services)
        text += f'\n[[counters]]\nnumber = {number}\nname = "Quầy {number}"\nservices = [{quoted}]\n'
    path.write_text(text, encoding="utf-8")
    return path


class FaultDay:
    def __init__(self, plan: Plan, workdir: Path, log: Callable[[str], None] = print) -> None:
        self.plan = plan
        self.work = workdir
        self.say = log
        self.rng = random.Random(plan.seed)
        self.stop = threading.Event()
        self.issuing_done = threading.Event()
        self.report = Report()
        self.lock = threading.Lock()
        self.restarting: set[str] = set()
        self.apps: dict[str, AppProcess] = {}
        self.retry_pause_s = 2.0  # before the second try of a failed injection; twice that before the third

    # ------------------------------------------------------------ set-up

    def setup(self) -> None:
        self.cluster = PrivateCluster()
        self.cluster.init()
        self.cluster.start()
        self.db_url = self.cluster.create_database("lobby")
        self.printer_port = free_port()
        self.control_port = free_port()
        self.config = centre_config(self.work / "centre.toml", self.printer_port, self.plan.counters)
        self.cfg = load_config(self.config)
        store = Store(self.db_url)
        init_store(store, self.cfg)
        self.pins = {}
        for n in range(1, self.plan.counters + 1):
            pin = f"{4000 + n}"
            with store.session() as s:
                staff.add_staff(s, f"o{n}", f"Cán bộ số {n}", "official", pin)
            self.pins[n] = pin
        store.dispose()
        served = {code for c in self.cfg.counters if c.number <= self.plan.counters for code in c.services}
        self.service_names = [s.name_vi for s in self.cfg.services if s.code in served]
        logs = self.work / "logs"
        self.tickets_dir = self.work / "tickets"
        emulator = AppProcess("printer", script("lobby-printer-emulator") + [
            "--port", str(self.printer_port), "--control-port", str(self.control_port), "--out", str(self.tickets_dir)],
            logs, automation=False)
        self.apps["printer"] = emulator.start()
        wait_until(lambda: "ready tcp=" in emulator.log_text(), 30, "the printer emulator")
        common = ["--config", str(self.config), "--db", self.db_url]
        for i in range(1, self.plan.displays + 1):
            self.apps[f"display-{i}"] = AppProcess(f"display-{i}", script("lobby-display") + common + [
                "--state-file", str(self.work / f"display-{i}.json")], logs)
        for i in range(1, self.plan.kiosks + 1):
            self.apps[f"kiosk-{i}"] = AppProcess(f"kiosk-{i}", script("lobby-kiosk") + common + ["--windowed"], logs)
        for n in range(1, self.plan.counters + 1):
            self.apps[f"counter-{n}"] = AppProcess(f"counter-{n}", script("lobby-counter") + common + [
                "--counter", str(n)], logs)
        gui = [a for name, a in self.apps.items() if name != "printer"]
        for app in gui:  # start in small waves: two cores cannot start 26 Qt apps at once quickly
            app.start()
            time.sleep(0.5)
        for app in gui:
            app.wait_ready(300)
        for n in range(1, self.plan.counters + 1):
            self.sign_in(n)

    def sign_in(self, n: int) -> None:
        app = self.apps[f"counter-{n}"]
        wait_until(lambda: app.request({"op": "enabled", "name": "signInButton"}).get("enabled"), 180,
                   f"counter {n}'s sign-in form")
        app.type("username", f"o{n}")
        app.type("pin", self.pins[n])
        app.click("signInButton")
        wait_until(lambda: app.request({"op": "enabled", "name": "action_next"}).get("enabled"), 180,
                   f"counter {n} to sign in")

    # ------------------------------------------------------------ drivers

    def issued_count(self) -> int:
        try:
            with psycopg.connect(self.cluster.url("lobby"), connect_timeout=2) as conn:
                row = conn.execute("SELECT count(*) FROM ticket").fetchone()
                return int(row[0]) if row else -1
        except psycopg.Error:
            return -1

    def waiting_or_open(self) -> int:
        try:
            with psycopg.connect(self.cluster.url("lobby"), connect_timeout=2) as conn:
                row = conn.execute(
                    "SELECT count(*) FROM ticket WHERE status IN ('waiting', 'called', 'serving', 'parked')"
                ).fetchone()
                return int(row[0]) if row else -1
        except psycopg.Error:
            return -1

    def _guarded(self, name: str, body: Callable[[], None]) -> None:
        try:
            body()
        except Exception:  # noqa: BLE001 - reported in the result
            with self.lock:
                self.report.driver_errors.append(f"{name}: {traceback.format_exc(limit=3)}")
            self.stop.set()

    def _available(self, name: str) -> AppProcess | None:
        with self.lock:
            if name in self.restarting:
                return None
        return self.apps[name]

    def kiosk_driver(self, name: str) -> None:
        rng = random.Random(f"{self.plan.seed}-{name}")
        while not self.stop.is_set() and not self.issuing_done.is_set():
            app = self._available(name)
            if app is None:
                time.sleep(0.2)
                continue
            service = rng.choice(self.service_names)
            try:
                if app.request({"op": "enabled", "name": "serviceButton", "match": service}).get("enabled"):
                    if app.click("serviceButton", service).get("ok"):
                        time.sleep(1.3)  # the confirmation ignores taps this long (double-tap guard)
                        app.click("confirmation")
                        app.click("notedButton")  # a failed print's screen is left only by this button
                else:
                    time.sleep(0.3)
            except OSError:
                time.sleep(0.3)
            if self.issued_count() >= self.plan.tickets:
                self.issuing_done.set()

    def counter_driver(self, name: str) -> None:
        rng = random.Random(f"{self.plan.seed}-{name}")
        while not self.stop.is_set():
            app = self._available(name)
            if app is not None:
                try:
                    app.key("Space", "work")
                except OSError:
                    pass
            time.sleep(rng.uniform(0.3, 1.2))

    def faults(self) -> None:
        rounds = 0
        while not self.stop.is_set():
            if self.plan.fault_rounds and rounds >= self.plan.fault_rounds:
                return
            if not self.plan.fault_rounds and rounds and self.issuing_done.is_set():
                return
            self.fault_round()
            rounds += 1

    def fault_round(self) -> None:
        plan = ["terminate", "paper", "kill-kiosk", "restart-server", "kill-counter", "kill-display", "terminate"]
        self.rng.shuffle(plan)
        for fault in plan:
            if self.stop.is_set():
                return
            self.wait_for_server()
            self.stop.wait(self.rng.uniform(2.0, 6.0))
            if self.stop.is_set():
                return
            self.say(f"fault: {fault}")
            if fault == "terminate":
                done = self.inject(fault, lambda: self.cluster.terminate_backends("lobby"))
            elif fault == "restart-server":
                done = self.inject(fault, self.cluster.restart)
            elif fault == "paper":
                done = self.inject(fault, lambda: self.emulator_set("paper_out=on"))
                if done:
                    self.stop.wait(self.rng.uniform(3.0, 6.0))
                    # paper back in: tried harder, as the rest of the day prints on it
                    self.inject("paper-back", lambda: self.emulator_set("paper_out=off"), attempts=10, always=True)
            elif fault == "kill-kiosk":
                done = self.inject(fault, lambda: self.kill_and_restart("kiosk-1"), attempts=1)
            elif fault == "kill-counter":
                done = self.inject(fault, lambda: self.kill_and_restart("counter-1", after=lambda: self.sign_in(1)),
                                   attempts=1)
            else:
                done = self.inject(fault, lambda: self.kill_and_restart("display-1"), attempts=1)
            with self.lock:
                (self.report.faults if done else self.report.faults_skipped).append(fault)

    def wait_for_server(self) -> None:
        """Until the server answers (it may be restarting, slowly on a loaded machine) or the day stops."""
        while not self.stop.is_set() and self.issued_count() < 0:
            self.stop.wait(0.5)

    def inject(self, fault: str, action: Callable[[], None], *, attempts: int = 3, always: bool = False) -> bool:
        """Run one fault injection; a slow or failed one is retried, then skipped: it never ends the day.

        ``always``: tried even when the day is stopping (undoing a fault, e.g. the paper back in)."""
        for attempt in range(1, attempts + 1):
            if self.stop.is_set() and not always:
                return False
            try:
                action()
                return True
            except Exception as exc:  # noqa: BLE001 - counted in the report, the day goes on
                self.say(f"fault {fault}: attempt {attempt} of {attempts} failed: {type(exc).__name__}: {exc}")
                with self.lock:
                    self.report.injection_retries += 1
            time.sleep(min(self.retry_pause_s * attempt, 10.0))
        return False

    def emulator_set(self, setting: str) -> None:
        import subprocess

        subprocess.run(script("lobby-printer-emulator") + ["--port", str(self.printer_port), "--control-port",
                                                           str(self.control_port), "--set", setting],
                       check=True, capture_output=True, timeout=60)

    def kill_and_restart(self, name: str, after: Callable[[], None] | None = None) -> None:
        with self.lock:
            self.restarting.add(name)
        app = self.apps[name]
        try:
            app.kill()
            with self.lock:
                self.report.restarts[name] = self.report.restarts.get(name, 0) + 1
            self.stop.wait(1.0)
            app.start()
            self.come_back(app, after)
        finally:
            with self.lock:
                self.restarting.discard(name)

    def come_back(self, app: AppProcess, after: Callable[[], None] | None, attempts: int = 3) -> None:
        """Wait for a restarted app: a slow one is waited for again (not killed), one that exited is started again."""
        for attempt in range(1, attempts + 1):
            try:
                app.wait_ready(180)
                if after is not None:
                    after()
                return
            except Exception as exc:  # noqa: BLE001 - retried, then counted as a skipped fault
                self.say(f"{app.name} not back yet (try {attempt} of {attempts}): {type(exc).__name__}")
                with self.lock:
                    self.report.injection_retries += 1
                if app.proc is not None and app.proc.poll() is not None:
                    app.start()
        raise TimeoutError(f"{app.name} did not come back after {attempts} tries")

    # ------------------------------------------------------------ the day

    def run(self) -> Report:
        start = time.monotonic()
        try:
            self.setup()
            threads = [threading.Thread(target=self._guarded, args=(n, lambda n=n: self.kiosk_driver(n)), daemon=True,
                                        name=n) for n in self.apps if n.startswith("kiosk-")]
            threads += [threading.Thread(target=self._guarded, args=(n, lambda n=n: self.counter_driver(n)),
                                         daemon=True, name=n) for n in self.apps if n.startswith("counter-")]
            if self.plan.faults:
                threads.append(threading.Thread(target=self._guarded, args=("faults", self.faults), daemon=True,
                                                name="faults"))
            for t in threads:
                t.start()
            deadline = start + self.plan.deadline_s
            while time.monotonic() < deadline and not self.stop.is_set():
                if self.issuing_done.is_set() and not self._faults_running(threads) and self.waiting_or_open() == 0:
                    break
                time.sleep(1.0)
            else:
                if not self.stop.is_set():
                    self.report.driver_errors.append(
                        f"the day did not finish within {self.plan.deadline_s:.0f} s "
                        f"(issued {self.issued_count()}, still open {self.waiting_or_open()})")
            self.stop.set()
            for t in threads:
                t.join(60)
            time.sleep(2.0)  # let the displays read the last events
            self.collect()
        finally:
            self.report.seconds = time.monotonic() - start
            self.teardown()
        return self.report

    @staticmethod
    def _faults_running(threads: list[threading.Thread]) -> bool:
        return any(t.is_alive() and t.name.endswith("faults") for t in threads)

    def collect(self) -> None:
        r = self.report
        for name, app in self.apps.items():
            if app.proc is not None and app.proc.poll() is not None:
                r.crashed.append(f"{name} (status {app.proc.returncode}): {app.tail(5)}")
        with psycopg.connect(self.cluster.url("lobby")) as conn:
            rows = conn.execute("SELECT day, origin_service_id, seq, number, status FROM ticket").fetchall()
            calls = {i for (i,) in conn.execute("SELECT id FROM event WHERE kind IN ('called', 'recalled')")}
            unprinted = [n for (n,) in conn.execute("SELECT number FROM ticket WHERE printed_at IS NULL")]
        r.issued = len(rows)
        r.by_status = dict(Tally(status for *_, status in rows))
        seen = Tally((day, number) for day, _svc, _seq, number, _ in rows)
        r.duplicate_numbers = [f"{d} {n}" for (d, n), k in seen.items() if k > 1]
        per_service: dict[tuple[Any, int], list[int]] = {}
        for day, svc, seq, _number, _ in rows:
            per_service.setdefault((day, svc), []).append(seq)
        for key, seqs in per_service.items():
            if sorted(seqs) != list(range(min(seqs), min(seqs) + len(seqs))):
                r.gaps.append(f"{key}: {sorted(seqs)}")
        r.calls = len(calls)
        for name in sorted(n for n in self.apps if n.startswith("display-")):
            shown = {int(m) for m in SHOWN.findall(self.apps[name].log_text())}
            r.shown_by_display.append(len(shown & calls))
            r.missing_by_display.append(sorted(calls - shown))
        r.printed = len(list(self.tickets_dir.glob("*.png"))) if self.tickets_dir.exists() else 0
        offered = {n for name, app in self.apps.items() if name.startswith("kiosk-")
                   for line in OFFERED.findall(app.log_text()) for n in line.split()}
        r.unprinted = len(unprinted)
        r.unprinted_unoffered = sorted(n for n in unprinted if n not in offered)

    def teardown(self) -> None:
        for app in self.apps.values():
            app.stop()
        cluster = getattr(self, "cluster", None)
        if cluster is not None:
            cluster.destroy()
