"""`make demo`: the whole centre on one PC.

Initialises the store (SQLite under var/ unless LOBBY_DB names a PostgreSQL server),
creates a few staff accounts with fresh PINs printed once, starts the ESC/POS
printer emulator (tickets land as PNGs under var/tickets/), the kiosk, the display,
two counters and a rating panel, each as its own process and window, and stops them
all cleanly on Ctrl+C.

Before anything starts it installs the system packages the apps need (see
``lobby.system_packages``); the windows are tiled on one 1920×1080 screen (``TILES``,
passed to each app as ``LOBBY_WINDOW_GEOMETRY``); an app that dies is reported with the
reason read from its own output (a missing library, a platform plugin that cannot load).
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from lobby.config import DEFAULT_CONFIG, load_config, var_dir
from lobby.errors import ConfigError, LobbyError
from lobby.staffing.staff import add_staff, list_staff
from lobby.store.engine import Store
from lobby.store.migrate import init_store
from lobby.system_packages import ensure_packages

VAR = var_dir()
DEMO_STAFF = (
    ("quanly", "Trần Thị Mai", "manager"),
    ("baove", "Lê Văn Hùng", "guard"),
    ("an", "Nguyễn Văn An", "official"),
    ("binh", "Phạm Thị Bình", "official"),
)


# Where each window goes on a 1920×1080 screen, in screen pixels: x, y, width, height (several windows of one
# process separated by ";"). The kiosk stands upright on the left; the display, counters and panels share the
# rest. Every app is drawn at half size (QT_SCALE_FACTOR) so that screens made for 1920×1080 fit their tile.
TILES = {
    "kiosk": "0,0,540,960",
    "display": "540,0,960,540",
    "counter-1": "540,540,480,540;1500,0,420,540",  # the counter, then its rating panel
    "counter-3": "1020,540,480,540",
    "rating-3": "1500,540,420,540",
}
DEMO_SCALE = "0.5"

# What a dying Qt app writes, and the one line that says why (most specific first).
_REASONS = (
    (re.compile(r"(\S+\.so[\w.]*): cannot open shared object file"),
     "the system library {0} is missing (install the packages in .ci/apt-packages.txt)"),
    (re.compile(r"(\S*xcb-cursor0)\S* is needed to load the Qt xcb platform plugin"),
     "the system library libxcb-cursor0 is missing (apt-get install libxcb-cursor0)"),
    (re.compile(r'Could not load the Qt platform plugin "(\w+)"'),
     'Qt could not load its "{0}" platform plugin: a system library is missing '
     "(install the packages in .ci/apt-packages.txt)"),
    (re.compile(r"could not connect to display ?(\S*)"), "no screen answers at DISPLAY={0}"),
)
_PYTHON_ERROR = re.compile(r"(?m)^(\w+(?:\.\w+)*(?:Error|Exception)\b.*)$")


@dataclass
class Child:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path | None = None
    log_start: int = 0  # where this run's output starts in the (appended) log


def failure_reason(output: str) -> str | None:
    """One line saying why an app died, read from what it wrote, or None when nothing explains it."""
    for pattern, text in _REASONS:
        found = pattern.search(output)
        if found:
            return text.format(*found.groups())
    errors = _PYTHON_ERROR.findall(output)
    return errors[-1].strip()[:300] if errors else None


def exit_message(child: Child, code: int) -> str:
    """What the launcher prints when ``child`` exited with ``code``: the reason first, the log to read after."""
    output = ""
    if child.log is not None and child.log.exists():
        with child.log.open("rb") as f:
            f.seek(child.log_start)
            output = f.read().decode("utf-8", errors="replace")
    reason = failure_reason(output)
    how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
    where = f"; see {child.log}" if child.log is not None else ""
    if reason:
        return f"  {child.name} could not run: {reason} ({how}{where})"
    return f"  {child.name} exited with status {code}{where}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo_config_text(source: Path, printer_url: str, always_open: bool, public_url: str | None = None) -> str:
    """The demo config with the emulator as printer (and, outside office hours, hours not enforced);
    with ``public_url``, the tickets' QR codes lead to the demo's lobby-web."""
    text = source.read_text(encoding="utf-8")
    if public_url:
        text = re.sub(r"(?m)^\[web\]\n", f'[web]\npublic_url = "{public_url}"\n', text, count=1) \
            if re.search(r"(?m)^\[web\]$", text) else text + f'\n[web]\npublic_url = "{public_url}"\n'
    text = re.sub(r'(?m)^url = "png://[^"]*"', f'url = "{printer_url}"', text, count=1)
    if always_open:
        text = re.sub(r"(?m)^enforce_hours = true", "enforce_hours = false", text, count=1)
    return text


def _port_or_free(port: int) -> int:
    """``port`` when nothing listens on it here, else any free port."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return free_port()
    return port


def has_screen() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM") == "offscreen")


def ensure_staff(store: Store) -> list[tuple[str, str, str]]:
    """Create the demo accounts if the store has none; return (username, role, PIN) of those created."""
    with store.session() as s:
        existing = {m.username for m in list_staff(s)}
    created = []
    for username, full_name, role in DEMO_STAFF:
        if username in existing:
            continue
        pin = f"{secrets.randbelow(10**6):06d}"
        with store.session() as s:
            add_staff(s, username, full_name, role, pin)
        created.append((username, role, pin))
    return created


def _script(name: str) -> list[str]:
    exe = Path(sys.executable).parent / name
    return [str(exe)] if exe.exists() else [sys.executable, "-m", name.removeprefix("lobby-").replace("-", "_")]


def start(children: list[Child], name: str, cmd: list[str], env: dict[str, str], var: Path) -> None:
    path = var / "log" / f"demo-{name}.out"
    log = path.open("ab")
    start_at = log.tell()
    if name in TILES:
        env = {**env, "LOBBY_WINDOW_GEOMETRY": TILES[name], "QT_SCALE_FACTOR": DEMO_SCALE}
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    children.append(Child(name, proc, path, start_at))
    print(f"  started {name:<16} pid {proc.pid}")


def stop_all(children: list[Child]) -> None:
    for c in reversed(children):
        if c.proc.poll() is None:
            c.proc.terminate()
    deadline = time.monotonic() + 5
    for c in children:
        try:
            c.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            c.proc.kill()
            c.proc.wait()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="make demo", description=__doc__)
    p.add_argument("--config", default=str(DEFAULT_CONFIG))
    p.add_argument("--db", default=None, help="database URL (default: LOBBY_DB, else var/lobby.sqlite3)")
    p.add_argument("--enforce-hours", action="store_true",
                   help="keep the centre's opening hours (default: always open for the demo)")
    p.add_argument("--check", action="store_true", help="set up the store and config, start nothing (for tests)")
    p.add_argument("--skip-system-packages", action="store_true",
                   help="do not check or install the Debian packages in .ci/apt-packages.txt")
    p.add_argument("--var", default=str(VAR), help="folder for the database, tickets, logs and the demo config")
    args = p.parse_args(argv)
    var = Path(args.var)

    if not args.check and not has_screen():
        print("make demo: no screen found (DISPLAY is not set).\n"
              "  Run it on a desktop, or under a virtual screen:  xvfb-run -a -s '-screen 0 1920x1080x24' make demo\n"
              "  (apt-get install xvfb). The apps cannot open windows without one.", file=sys.stderr)
        return 2
    try:
        cfg = load_config(args.config)
    except ConfigError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    url = args.db or os.environ.get("LOBBY_DB") or f"sqlite:///{var / 'lobby.sqlite3'}"
    (var / "log").mkdir(parents=True, exist_ok=True)
    (var / "tickets").mkdir(parents=True, exist_ok=True)
    try:
        store = Store(url)
        init_store(store, cfg)
        created = ensure_staff(store)
    except LobbyError as exc:
        print(exc.message("en"), file=sys.stderr)
        return 2
    port = free_port()
    web_port = _port_or_free(cfg.web.port)
    config_path = var / "demo.toml"
    config_path.write_text(demo_config_text(Path(args.config), f"tcp://127.0.0.1:{port}", not args.enforce_hours,
                                            f"http://127.0.0.1:{web_port}"), encoding="utf-8")
    print(f"Lobby Queue demo — store {store.safe_url}, config {config_path}")
    store.dispose()
    if created:
        print("Staff accounts (PINs are shown only now; change them with `lobby staff passwd USER`):")
        for username, role, pin in created:
            print(f"  {username:<8} {role:<9} PIN {pin}")
    else:
        print("Staff accounts already exist (see `lobby staff list`; reset a PIN with `lobby staff passwd USER`).")
    if args.check:
        return 0
    if not args.skip_system_packages:
        problem = ensure_packages()
        if problem:
            print(f"make demo: {problem}", file=sys.stderr, flush=True)

    env = {**os.environ, "LOBBY_DB": url, "LOBBY_CONFIG": str(config_path)}
    common = ["--config", str(config_path), "--db", url, "--log-dir", str(var / "log")]
    children: list[Child] = []
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        start(children, "printer", _script("lobby-printer-emulator") + [
            "--port", str(port), "--control-port", str(free_port()), "--out", str(var / "tickets")], env, var)
        time.sleep(0.5)
        start(children, "kiosk", _script("lobby-kiosk") + common + ["--windowed", "--portrait"], env, var)
        start(children, "display", _script("lobby-display") + common + ["--state-file",
                                                                        str(var / "display-state.json")],
              env, var)
        start(children, "counter-1", _script("lobby-counter") + common + ["--counter", "1", "--with-rating-panel"],
              env, var)
        start(children, "counter-3", _script("lobby-counter") + common + ["--counter", "3"], env, var)
        start(children, "rating-3", _script("lobby-counter") + common + ["--counter", "3", "--rating-panel"], env, var)
        start(children, "web", _script("lobby-web") + ["--config", str(config_path), "--db", url, "--log-dir",
                                                       str(var / "log"), "--port", str(web_port)], env, var)
        print(f"Ticket pages and the API: http://127.0.0.1:{web_port}/api/docs (the QR codes lead there).", flush=True)
        print(f"Tickets print to the emulator on port {port}; PNGs in {var / 'tickets'}. Logs in {var / 'log'}.",
              flush=True)
        print("Press Ctrl+C to stop everything.", flush=True)
        while not stopping:
            for c in children:
                code = c.proc.poll()
                if code is not None and code != 0:
                    print(exit_message(c, code), flush=True)
                    children.remove(c)
                    break
            time.sleep(0.3)
    finally:
        print("Stopping…", flush=True)
        stop_all(children)
        print("All stopped.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
