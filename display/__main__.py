"""``lobby-display``: the hallway board.

    lobby-display [--config config/demo.toml] [--db URL] [--portrait] [--fullscreen] [--lang vi|en]

Wires config → store → feed bridge → board window → announcer.  The display only
reads the store.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lobby.config import default_config_path, load_config
from lobby.errors import LobbyError
from lobby.store import Store, resolve_db_url
from lobby_qt.fonts import load_fonts, ui_font

from display.app import DisplayApp, open_pack


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="lobby-display", description="Màn hình gọi số · Hallway display")
    p.add_argument("--config", default=None, help="centre config (TOML); default: LOBBY_CONFIG or config/demo.toml")
    p.add_argument("--db", default=None, help="database URL; default: LOBBY_DB, then the config, then var/lobby.sqlite3")
    p.add_argument("--portrait", action="store_true", help="a screen standing upright (1080×1920)")
    p.add_argument("--fullscreen", action="store_true", help="fill the screen, no window frame")
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="first language on screen (default vi)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        cfg = load_config(args.config or default_config_path())
        store = Store(resolve_db_url(args.db, cfg))
    except LobbyError as exc:
        print(f"lobby-display: {exc.message('vi')}\n{exc.message('en')}", file=sys.stderr)
        return 2
    app = QApplication(sys.argv[:1])
    app.setApplicationName("lobby-display")
    load_fonts()
    app.setFont(ui_font(14))
    display = DisplayApp(cfg, store, portrait=args.portrait, lang=args.lang, pack=open_pack(cfg))
    app.aboutToQuit.connect(display.stop)
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    keepalive = QTimer()  # lets Python see Ctrl-C while Qt runs
    keepalive.start(250)
    keepalive.timeout.connect(lambda: None)
    if args.fullscreen:
        display.window.showFullScreen()
    else:
        display.window.show()
    display.start()
    code = app.exec()
    store.dispose()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
