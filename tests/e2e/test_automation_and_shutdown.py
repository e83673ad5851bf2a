"""Issue 17, the apps' part: the automation port obeys only its own harness, and SIGTERM stops an app within
two seconds whatever it is waiting for (the watchdog ends it; tests/test_shutdown_watchdog.py holds the two
seconds to ``GRACE_S``, here the app shows it is the watchdog that ends it, on a machine of any speed)."""
from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest

from harness import AppProcess, app_env, script, wait_until
from lobby import queue
from lobby.config import load_config
from lobby.store.engine import Store
from support import PROCESS_S, SETTLE_S

pytestmark = pytest.mark.e2e
WATCHDOG_LAST_WORDS = "ending the process now"  # lobby_qt.shutdown's log line as it ends the process


def count_tickets(store_url: str, config: Path) -> int:
    store = Store(store_url)
    try:
        with store.session() as s:
            return len(queue.list_tickets(s, load_config(config)))
    finally:
        store.dispose()


def raw(port: int, payload: bytes) -> list[bytes]:
    """Send bytes as any local program (or a browser) could, and read every line until the app hangs up."""
    with socket.create_connection(("127.0.0.1", port), timeout=SETTLE_S) as s:
        s.sendall(payload)
        with s.makefile("rb") as f:
            return list(f)


def kiosk_process(tmp_path: Path, store_url: str, config: Path) -> AppProcess:
    return AppProcess("kiosk", script("lobby-kiosk") + ["--config", str(config), "--db", store_url, "--windowed"],
                      tmp_path / "logs")


def test_the_automation_port_obeys_only_its_harness(tmp_path: Path, store_url: str, e2e_config: Path) -> None:
    kiosk = kiosk_process(tmp_path, store_url, e2e_config).start()
    try:
        kiosk.wait_ready(PROCESS_S)
        kiosk.wait_enabled("serviceButton", "Đất đai", "the Land button", SETTLE_S)
        assert kiosk.port is not None
        tap = {"op": "click", "name": "serviceButton", "match": "Đất đai"}
        # No secret, a wrong one: refused, and the connection is closed.
        for req in (tap, {**tap, "secret": "0" * 32}):
            lines = raw(kiosk.port, json.dumps(req).encode() + b"\n" + json.dumps(req).encode() + b"\n")
            assert len(lines) == 1 and b"refused" in lines[0]
        # A web page's POST carrying a command line (even one with the secret) is never obeyed.
        body = json.dumps({**tap, "secret": kiosk.secret}).encode() + b"\n"
        post = (b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body)
        lines = raw(kiosk.port, post)
        assert len(lines) == 1 and b"refused" in lines[0]
        # A command that names no widget is refused too.
        for req in ({"op": "click"}, {"op": "click", "name": ""}, {"op": "key", "key": "Space"}):
            assert kiosk.request(req)["ok"] is False
        assert count_tickets(store_url, e2e_config) == 0
        assert kiosk.click("serviceButton", "Đất đai")["ok"]  # the harness itself still drives it
        wait_until(lambda: count_tickets(store_url, e2e_config) == 1, SETTLE_S, "the harness's tap to issue a ticket")
    finally:
        kiosk.stop()


def test_an_automation_port_without_a_secret_stops_the_app(tmp_path: Path, store_url: str, e2e_config: Path) -> None:
    done = subprocess.run(script("lobby-display") + ["--config", str(e2e_config), "--db", store_url,
                                                     "--automation-port", "0", "--log-dir", str(tmp_path / "log")],
                          env=app_env(), capture_output=True, text=True, timeout=PROCESS_S)
    assert done.returncode == 2 and "LOBBY_AUTOMATION_SECRET" in done.stderr and "Traceback" not in done.stderr


def test_sigterm_stops_a_kiosk_waiting_on_a_locked_store(tmp_path: Path, e2e_config: Path) -> None:
    """The kiosk's write waits (30 s busy timeout) for a lock another process holds; SIGTERM still ends it at once.

    Without the watchdog the kiosk would stop only when the write gives up, 30 s later and without the
    watchdog's last words: those words, not a stopwatch, tell the two apart."""
    db = tmp_path / "lobby.sqlite3"
    url = f"sqlite:///{db}"
    init = subprocess.run([str(Path(script("lobby")[0])), "--db", url, "--config", str(e2e_config), "init"],
                          env=app_env(), capture_output=True, text=True, timeout=PROCESS_S)
    assert init.returncode == 0, init.stderr
    kiosk = kiosk_process(tmp_path, url, e2e_config).start()
    holder = sqlite3.connect(db, isolation_level=None, timeout=SETTLE_S)
    try:
        kiosk.wait_ready(PROCESS_S)
        kiosk.wait_enabled("serviceButton", "Đất đai", "the Land button", SETTLE_S)
        holder.execute("BEGIN EXCLUSIVE")  # every write of the kiosk now waits for this lock
        assert kiosk.port is not None
        # The tap is answered once the issue is handed to a worker thread, whose write then waits for the lock
        # (30 s busy timeout): without the watchdog the process would wait for that thread on its way out.
        assert kiosk.click("serviceButton", "Đất đai")["ok"]
        assert kiosk.proc is not None
        kiosk.proc.send_signal(signal.SIGTERM)
        try:
            kiosk.proc.wait(timeout=SETTLE_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the kiosk was still running {SETTLE_S} s after SIGTERM:\n{kiosk.tail()}")
    finally:
        holder.close()
        kiosk.stop()
    assert WATCHDOG_LAST_WORDS in kiosk.log_text(), kiosk.tail()  # ended by the watchdog, not by the write giving up
    assert count_tickets(url, e2e_config) == 0  # the cut-short write left nothing half-done
