"""`make demo`'s launcher: sets up the centre, starts every app as its own process, stops them all on Ctrl+C."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from harness import app_env, wait_until
from lobby.staffing import staff
from lobby.store.engine import Store

pytestmark = pytest.mark.e2e
QT_APPS = ("kiosk", "display", "counter-1", "counter-3", "rating-3")


def test_demo_starts_every_app_and_stops_them_on_ctrl_c(tmp_path: Path) -> None:
    out = tmp_path / "launcher.out"
    with out.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "lobby.launcher", "--var", str(tmp_path / "var")],
                                env=app_env({"LOBBY_DB": ""}), stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: "Press Ctrl+C" in out.read_text(), 60, "the launcher to start the apps")
        text = out.read_text()
        for name in ("printer", "kiosk", "display", "counter-1", "counter-3", "rating-3"):
            assert f"started {name}" in text
        assert "PIN" in text
        pids = [int(line.split("pid")[1]) for line in text.splitlines() if "started" in line and "pid" in line]
        assert len(pids) == text.count("  started ") >= 6
        log = tmp_path / "var" / "log"
        for name in QT_APPS:  # each Qt app logs "… running" once its event loop runs: start-up is over
            wait_until(lambda n=name: "running" in _read(log / f"demo-{n}.out") or "exited with status" in
                       out.read_text(), 120, f"{name} to get through its start-up")
        assert "exited with status" not in out.read_text(), out.read_text()
        assert all(_alive(pid) for pid in pids)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
        assert "All stopped." in out.read_text()
        for pid in pids:
            assert not _alive(pid), f"process {pid} still running after Ctrl+C"
        store = Store(f"sqlite:///{tmp_path / 'var' / 'lobby.sqlite3'}")
        with store.session() as s:
            assert {m.role for m in staff.list_staff(s)} == {"manager", "guard", "official"}
        store.dispose()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_demo_without_a_screen_says_how_to_run_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "lobby.launcher", "--var", str(tmp_path / "var")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "xvfb-run" in done.stderr and "DISPLAY" in done.stderr


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie left for the launcher to reap counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_demo_sets_up_postgresql_when_lobby_db_names_it(tmp_path: Path) -> None:
    from support import create_pg_database, drop_pg_database, require_pg

    require_pg()
    name = f"lobby_demo_{os.getpid()}"
    url = create_pg_database(name)
    try:
        done = subprocess.run([sys.executable, "-m", "lobby.launcher", "--check", "--var", str(tmp_path / "var")],
                              env=app_env({"LOBBY_DB": url}), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "postgresql" in done.stdout and "PIN" in done.stdout
        store = Store(url)
        with store.session() as s:
            assert len(staff.list_staff(s)) == 4
        store.dispose()
    finally:
        drop_pg_database(name)
