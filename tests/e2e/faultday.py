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
from harness import AppProcess, script, wait_until
from kiosk.controller import TAP_GUARD_S
from lobby.config import PROJECT_ROOT, load_config
from lobby.launcher import demo_config_text
from lobby.staffing import staff
from lobby.store.engine import Store
from lobby.store.migrate import init_store
from pgcluster import PrivateCluster
from printer_drivers.emulator.control import send_command

SHOWN = re.compile(r"call shown: event=(\d+) ")
OFFERED = re.compile(r"unprinted tickets offered to the guard: (.+)")
PRINTER_READY = re.compile(r"ready tcp=[\d.]+:(\d+) control=[\d.]+:(\d+)")
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
        self.issuing_started = 0.0  # monotonic: when the kiosks started tapping
        self.issuing_seconds = 0.0  # from then until the last ticket was issued
        self.notes: list[str] = []  # what explains a failed check, when the driver can tell

    # ------------------------------------------------------------ set-up

    def setup(self) -> None:
        self.cluster = PrivateCluster()
        self.cluster.init()
        self.cluster.start()
        self.db_url = self.cluster.create_database("lobby")
        logs = self.work / "logs"
        self.tickets_dir = self.work / "tickets"
        self.printer_port, self.control_port = self.start_printer(logs)
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
        # a tap on the results service opens the dossier check, not a ticket (left alone it waits a minute)
        served.discard(self.cfg.dossiers.results_service)
        self.service_names = [s.name_vi for s in self.cfg.services if s.code in served]
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

    def start_printer(self, logs: Path) -> tuple[int, int]:
        """The printer emulator on ports it picks itself, as the apps do (see harness): printer port, control port."""
        emulator = AppProcess("printer", script("lobby-printer-emulator") + [
            "--port", "0", "--control-port", "0", "--out", str(self.tickets_dir)], logs, automation=False)
        self.apps["printer"] = emulator.start()
        ready = wait_until(lambda: PRINTER_READY.search(emulator.log_text()), 30, "the printer emulator")
        return int(ready.group(1)), int(ready.group(2))

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
                if (app.request({"op": "enabled", "name": "serviceButton", "match": service}).get("enabled")
                        and app.click("serviceButton", service).get("ok")):
                    self.take_ticket(app)
                    self._check_issued()
                else:
                    time.sleep(0.3)
            except OSError:
                time.sleep(0.3)

    def _check_issued(self) -> None:
        """After a ticket: once the plan's count is reached, the kiosks stop (and the issuing time is kept)."""
        if self.issued_count() >= self.plan.tickets and not self.issuing_done.is_set():
            self.issuing_seconds = time.monotonic() - self.issuing_started
            self.issuing_done.set()

    def take_ticket(self, app: AppProcess) -> None:
        """After a service tap: wait for the ticket's confirmation, then tap it away as a citizen would.

        The kiosk ignores taps on a confirmation for ``TAP_GUARD_S`` after it appears, and it appears
        only once the ticket is in the store: on a loaded machine seconds after the service tap. A tap
        timed from the service tap falls inside the guard, is ignored, and the kiosk then sits on the
        confirmation until it goes Home by itself (``idle_home_s``, 8 s in the demo centre)."""
        if self._after_tap(app) != "ticket":
            return
        time.sleep(TAP_GUARD_S + 0.2)
        for _ in range(3):
            if app.request({"op": "enabled", "name": "notedButton"}).get("enabled"):
                app.click("notedButton")  # a failed print's number is left only by this button
            else:
                app.click("confirmation")
            if self._poll(lambda: not app.request({"op": "enabled", "name": "confirmation"}).get("enabled"), 5.0):
                return

    def _after_tap(self, app: AppProcess, timeout: float = 60.0) -> str:
        """"ticket" once the confirmation shows; "refused" when Home shows a notice or another page took over
        (the store lost, the service closed); "" if neither within ``timeout``."""

        def outcome() -> str:
            # Home first: the confirmation replaces it, so asked second it cannot be missed in between
            left = not app.request({"op": "enabled", "name": "home"}).get("enabled") or bool(app.text("notice"))
            if app.request({"op": "enabled", "name": "confirmation"}).get("enabled"):
                return "ticket"
            return "refused" if left else ""

        return self._poll(outcome, timeout) or ""

    def _poll(self, predicate: Callable[[], Any], timeout: float, interval: float = 0.1) -> Any:
        """The predicate's first true value within ``timeout`` (None if none, or the day stopped)."""
        deadline = time.monotonic() + timeout
        while not self.stop.is_set():
            value = predicate()
            if value or time.monotonic() > deadline:
                return value or None
            time.sleep(interval)
        return None

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
            if self._no_more_faults(rounds):
                return
            self.fault_round(rounds)
            rounds += 1

    def _no_more_faults(self, rounds: int) -> bool:
        """A soak (``fault_rounds`` 0) injects until every ticket is issued, each kind at least once (a
        whole first round); a fault started after that only keeps the counters from finishing the day."""
        return self.stop.is_set() or (not self.plan.fault_rounds and rounds > 0 and self.issuing_done.is_set())

    def fault_round(self, rounds: int = 0) -> None:
        plan = ["terminate", "paper", "kill-kiosk", "restart-server", "kill-counter", "kill-display", "terminate"]
        self.rng.shuffle(plan)
        for fault in plan:
            if self._no_more_faults(rounds):
                return
            self.wait_for_server()
            self.stop.wait(self.rng.uniform(2.0, 6.0))
            if self._no_more_faults(rounds):
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
            if attempt < attempts:
                time.sleep(min(self.retry_pause_s * attempt, 10.0))
        return False

    def emulator_set(self, setting: str) -> None:
        """Switch the running emulator through its control port, as ``lobby-printer-emulator --set`` does
        (that command's own tests cover it): a fresh Python process for each switch took 10-20 s on a
        loaded machine, longer than the paper-out spell it was meant to start."""
        reply = send_command("127.0.0.1", self.control_port, f"set {setting}", timeout=10.0)
        if not reply.startswith("ok"):
            raise RuntimeError(f"the printer emulator refused {setting!r}: {reply or 'no answer'}")

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
            self.issuing_started = time.monotonic()
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
        displays = sorted(n for n in self.apps if n.startswith("display-"))
        self.wait_for_displays(displays, calls)
        for name in displays:
            shown = self._shown(name)
            r.shown_by_display.append(len(shown & calls))
            r.missing_by_display.append(sorted(calls - shown))
        missed = sorted({i for missing in r.missing_by_display for i in missing})
        if missed:
            self.notes += self.commit_delays(missed[:10])
        r.printed = len(list(self.tickets_dir.glob("*.png"))) if self.tickets_dir.exists() else 0
        offered = {n for name, app in self.apps.items() if name.startswith("kiosk-")
                   for line in OFFERED.findall(app.log_text()) for n in line.split()}
        r.unprinted = len(unprinted)
        r.unprinted_unoffered = sorted(n for n in unprinted if n not in offered)

    def _shown(self, display: str) -> set[int]:
        return {int(m) for m in SHOWN.findall(self.apps[display].log_text())}

    def wait_for_displays(self, names: list[str], calls: set[int], timeout: float = 60.0) -> None:
        """A display logs a call once it has read it from the feed, on a loaded machine seconds after the
        store has it: wait for the running displays to catch up (a call missing after that was never shown)."""
        running = [n for n in names if self.apps[n].proc is not None and self.apps[n].proc.poll() is None]
        start = time.monotonic()
        while not (caught_up := all(calls <= self._shown(n) for n in running)) and time.monotonic() < start + timeout:
            time.sleep(0.5)
        if time.monotonic() - start >= 1.0:
            self.notes.append(f"the displays {'caught up with' if caught_up else 'still lacked'} the last calls "
                              f"{time.monotonic() - start:.0f} s after the day ended")

    def commit_delays(self, ids: list[int]) -> list[str]:
        """For calls no display showed: how long after it was written each one committed. The feed reader
        waits ``GAP_TIMEOUT_S`` (lobby/feed/reader.py) for an id that a later one overtook, then gives up."""
        with psycopg.connect(self.cluster.url("lobby")) as conn:
            rows = conn.execute(
                "SELECT id, number, counter_number, at, pg_xact_commit_timestamp(xmin) FROM event"
                " WHERE id = ANY(%s) ORDER BY id", (ids,)).fetchall()
        notes = []
        for event_id, number, counter, at, committed in rows:
            written = at.replace(tzinfo=committed.tzinfo) if committed is not None else at
            when = f"{(committed - written).total_seconds():.1f} s later" if committed else "at an unknown time"
            notes.append(f"call event {event_id} ({number} at counter {counter}) not shown: written {at:%H:%M:%S} "
                         f"UTC, committed {when}")
        return notes

    def teardown(self) -> None:
        for app in self.apps.values():
            app.stop()
        cluster = getattr(self, "cluster", None)
        if cluster is not None:
            cluster.destroy()
