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
from support import PROCESS_S, SETTLE_S

pytestmark = pytest.mark.e2e
QT_APPS = ("kiosk", "display", "counter-1", "counter-3", "rating-3")


def test_demo_starts_every_app_and_stops_them_on_ctrl_c(tmp_path: Path) -> None:
    out = tmp_path / "launcher.out"
    with out.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "lobby.launcher", "--var", str(tmp_path / "var")],
                                env=app_env({"LOBBY_DB": ""}), stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: "Press Ctrl+C" in out.read_text(), PROCESS_S, "the launcher to start the apps")
        text = out.read_text()
        for name in ("printer", "kiosk", "display", "counter-1", "counter-3", "rating-3"):
            assert f"started {name}" in text
        assert "PIN" in text
        pids = [int(line.split("pid")[1]) for line in text.splitlines() if "started" in line and "pid" in line]
        assert len(pids) == text.count("  started ") >= 6
        log = tmp_path / "var" / "log"
        for name in QT_APPS:  # each Qt app logs "… running" once its event loop runs: start-up is over
            wait_until(lambda n=name: "running" in _read(log / f"demo-{n}.out") or _died(out.read_text()),
                       PROCESS_S, f"{name} to get through its start-up")
        assert not _died(out.read_text()), out.read_text()
        assert all(_alive(pid) for pid in pids)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(SETTLE_S) == 0
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
                          capture_output=True, text=True, timeout=PROCESS_S)
    assert done.returncode == 2
    assert "xvfb-run" in done.stderr and "DISPLAY" in done.stderr


def _died(text: str) -> bool:
    return "exited with status" in text or "could not run" in text


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
                              env=app_env({"LOBBY_DB": url}), capture_output=True, text=True, timeout=PROCESS_S)
        assert done.returncode == 0, done.stderr
        assert "postgresql" in done.stdout and "PIN" in done.stdout
        store = Store(url)
        with store.session() as s:
            assert len(staff.list_staff(s)) == 4
        store.dispose()
    finally:
        drop_pg_database(name)


QT_XCB_FAILURE = """\
qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform plugin.
qt.qpa.plugin: Could not load the Qt platform plugin "xcb" in "" even though it was found.
This application failed to start because no Qt platform plugin could be initialized.
"""


def test_an_app_that_dies_like_qt_without_its_libraries_is_reported_in_one_line(tmp_path: Path) -> None:
    """A child that writes what Qt writes when libxcb-cursor0 is missing, then aborts (status -6)."""
    from lobby.launcher import Child, exit_message, start

    (tmp_path / "log").mkdir()
    (tmp_path / "log" / "demo-kiosk.out").write_text("an earlier run's output: ImportError: old\n")
    script = f"import os, sys; sys.stderr.write({QT_XCB_FAILURE!r}); sys.stderr.flush(); os.abort()"
    children: list[Child] = []
    start(children, "kiosk", [sys.executable, "-c", script], dict(os.environ), tmp_path)
    code = children[0].proc.wait(PROCESS_S)
    assert code == -signal.SIGABRT
    line = exit_message(children[0], code)
    assert "\n" not in line
    assert "kiosk could not run: the system library libxcb-cursor0 is missing" in line
    assert "old" not in line  # only this run's output counts


def test_missing_shared_object_and_python_errors_are_named() -> None:
    from lobby.launcher import failure_reason

    assert failure_reason("ImportError: libxkbcommon-x11.so.0: cannot open shared object file: No such file") == (
        "the system library libxkbcommon-x11.so.0 is missing (install the packages in .ci/apt-packages.txt)")
    assert (failure_reason('Could not load the Qt platform plugin "wayland" in ""') or "").startswith(
        'Qt could not load its "wayland" platform plugin')
    assert failure_reason("Traceback...\nlobby.errors.ConfigError: bad key\n") == "lobby.errors.ConfigError: bad key"
    assert failure_reason("nothing useful") is None


def test_the_demo_and_ci_install_one_list_of_system_packages() -> None:
    from lobby.system_packages import PACKAGE_LIST, install_command, required_packages

    names = required_packages()
    assert {"libxcb-cursor0", "libxkbcommon-x11-0", "espeak-ng"} <= set(names)
    assert PACKAGE_LIST.name in (PACKAGE_LIST.parent / "run").read_text()
    assert install_command(["libxcb-cursor0"]) == "sudo apt-get update && sudo apt-get install -y libxcb-cursor0"


def test_every_demo_window_fits_one_full_hd_screen_without_overlap() -> None:
    from lobby.launcher import TILES

    boxes = [tuple(int(v) for v in entry.split(",")) for tile in TILES.values() for entry in tile.split(";")]
    assert len(boxes) == 6  # kiosk, display, two counters, two rating panels
    for x, y, w, h in boxes:
        assert 0 <= x and x + w <= 1920 and 0 <= y and y + h <= 1080
    for i, (x, y, w, h) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y, "windows overlap"


def test_a_missing_package_is_found_and_named_in_the_command() -> None:
    import shutil

    from lobby.system_packages import install_command, missing_packages

    if shutil.which("dpkg-query") is None:
        pytest.skip("not a Debian system: nothing to check")
    assert missing_packages(["libc6", "lobby-no-such-package"]) == ["lobby-no-such-package"]
    assert install_command(["a", "b"]).endswith("apt-get install -y a b")
