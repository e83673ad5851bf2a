"""What every app's ``__main__`` does first: arguments, config, store, a QApplication.

Errors here are the ones an IT officer meets when installing: a bad config file, a
database that does not answer, a schema that needs ``lobby init``. Each is printed
as one clear message (no traceback) and the process exits with status 2.
"""
from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from lobby.config import CentreConfig, default_config_path, load_config, var_dir
from lobby.errors import ConfigError, LobbyError, StoreUnavailable
from lobby.store.engine import Store, resolve_db_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QApplication, QWidget


@dataclass
class AppContext:
    """What every app reads first: the centre's config and its store (the language is each app's own)."""

    cfg: CentreConfig
    store: Store
    args: argparse.Namespace


def common_parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--config", default=None, help="centre config file (default: LOBBY_CONFIG or config/demo.toml)")
    p.add_argument("--db", default=None,
                   help="database URL (default: LOBBY_DB, the config file, then var/lobby.sqlite3)")
    p.add_argument("--lang", choices=("vi", "en"), default=None, help="interface language (default vi)")
    p.add_argument("--fullscreen", action="store_true", help="fill the screen without window controls")
    p.add_argument("--log-dir", default=str(var_dir() / "log"), help="where rotating log files go")
    p.add_argument("--automation-port", type=int, default=None,
                   help="testing only: accept scripted taps and key presses on 127.0.0.1:PORT "
                        "(see lobby_qt.automation)")
    return p


def setup_logging(app_name: str, log_dir: str) -> None:
    """INFO and above to stderr and to ``<log_dir>/<app_name>.log`` (rotated)."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    try:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            Path(log_dir) / f"{app_name}.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"))
    except OSError as exc:
        print(f"{app_name}: cannot write logs to {log_dir} ({exc}); logging to the terminal only", file=sys.stderr)
    root = logging.getLogger()
    # python-escpos calls logging.basicConfig() when imported: its bare stderr handler would print
    # everything twice and, through basicConfig, keep ours out. Handlers of other kinds stay.
    for old in [h for h in root.handlers if type(h) is logging.StreamHandler and h.stream is sys.stderr]:
        root.removeHandler(old)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(logging.INFO)


def fail(app_name: str, message: str) -> NoReturn:
    print(f"{app_name}: {message}", file=sys.stderr)
    raise SystemExit(2)


def check_display(app_name: str) -> None:
    """Refuse clearly (instead of a Qt abort) when there is no screen to draw on."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        fail(app_name, "no screen found (DISPLAY is not set). On a server run it under Xvfb: "
                       f"xvfb-run -a {app_name} ...  or set QT_QPA_PLATFORM=offscreen for a headless test.")


def load_context(app_name: str, args: argparse.Namespace) -> AppContext:
    """Config and store from the arguments, or exit 2 with a message naming what to fix."""
    try:
        cfg = load_config(args.config or default_config_path())
    except ConfigError as exc:
        fail(app_name, "\n".join(exc.problems))
    url = resolve_db_url(args.db, cfg)
    try:
        store = Store(url)
    except LobbyError as exc:
        fail(app_name, exc.message("en"))
    return AppContext(cfg=cfg, store=store, args=args)



def check_store(app_name: str, store: Store) -> None:
    """At start: a store that does not answer yet is waited for by the app itself (it shows so and
    retries); one that answers but needs `lobby init` is for the IT officer, so exit 2 saying so."""
    try:
        store.check_schema()
    except StoreUnavailable as exc:
        logging.getLogger(app_name).warning("%s", exc.message("en"))
    except LobbyError as exc:
        fail(app_name, exc.message("en"))


def run_qt(app_name: str, args: argparse.Namespace) -> QApplication:
    """The QApplication every app uses: bundled fonts, Ctrl+C/SIGTERM that quit cleanly, and the
    automation port when ``--automation-port`` asks for it (tests only)."""
    import signal

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from lobby_qt import automation
    from lobby_qt.fonts import load_fonts, ui_font
    from lobby_qt.shutdown import ShutdownWatchdog

    app = QApplication(sys.argv[:1])
    app.setApplicationName(app_name)
    load_fonts()
    app.setFont(ui_font(14))
    for signum in (signal.SIGINT, signal.SIGTERM):
        # exit(), not quit(): quit() asks the windows first, and the kiosk's refuses without a PIN
        signal.signal(signum, lambda *_: app.exit(0))
    keepalive = QTimer(app)  # lets Python run its signal handlers while Qt's loop runs
    keepalive.timeout.connect(lambda: None)
    keepalive.start(250)
    # …and when the loop cannot run them (a check blocked in C, a worker thread still querying): gone in 1.5 s.
    ShutdownWatchdog(lambda: app.exit(0)).install()
    try:
        server = automation.install(getattr(args, "automation_port", None), app)
    except OSError as exc:
        fail(app_name, str(exc))
    app.setProperty("automation", server is not None)
    return app


def run_window(app: QApplication, window: QWidget, *, fullscreen: bool, start: Callable[[], None],
               store: Store) -> int:
    """Show the app's main window, start its work, run the event loop, release the store; the exit status."""
    if fullscreen:
        window.showFullScreen()
    else:
        place_window(window)
        window.show()
    start()
    log_when_running(app.applicationName())
    code = app.exec()
    store.dispose()
    return int(code)


def log_when_running(app_name: str) -> None:
    """Log "<app> running" once the event loop has started (what start-up checks and tests wait for)."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: logging.getLogger(app_name).info("%s running", app_name))


def place_window(window: QWidget, index: int = 0) -> None:
    """Move and size the ``index``-th window of this app where ``make demo`` tiles it (LOBBY_WINDOW_GEOMETRY
    "x,y,w,h;x,y,w,h" in screen pixels, one entry per window); nothing when the variable is unset or malformed."""
    entries = os.environ.get("LOBBY_WINDOW_GEOMETRY", "").split(";")
    try:
        x, y, w, h = (int(v) for v in entries[index].split(","))
    except (IndexError, ValueError):
        return
    ratio = window.devicePixelRatioF() or 1.0  # below 1 under the demo's QT_SCALE_FACTOR
    window.setGeometry(*(round(v / ratio) for v in (x, y, w, h)))
