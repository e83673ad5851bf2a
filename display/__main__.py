"""``lobby-display``: the hallway board.

    lobby-display [--config config/demo.toml] [--db URL] [--portrait] [--fullscreen] [--lang vi|en]

Wires config → store → feed bridge → board window → announcer.  The display only
reads the store; it starts even when the store does not answer yet (it shows
"Mất kết nối" and keeps trying).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from display.app import DisplayApp, open_pack
from display.resume import load_last_id, save_last_id
from lobby.config import var_dir
from lobby.errors import LobbyError
from lobby.feed.reader import latest_event_id
from lobby.store.engine import Store
from lobby_qt.bootstrap import (
    check_display,
    check_store,
    common_parser,
    load_context,
    run_qt,
    run_window,
    setup_logging,
)
from lobby_qt.guard import guarded

APP = "lobby-display"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = common_parser("Màn hình gọi số · Hallway display")
    p.add_argument("--portrait", action="store_true", help="a screen standing upright (1080×1920)")
    p.add_argument("--state-file", default=str(var_dir() / "display-state.json"),
                   help="where the last event shown is kept, so a restarted display catches up (one per display)")
    return p.parse_args(argv)


def resume_point(store: Store, state_file: Path) -> int | None:
    """The event to follow on from after a restart, or None to start from now."""
    try:
        latest = latest_event_id(store)
    except LobbyError:
        return None  # the store does not answer yet: the bridge starts from the newest event once it does
    return load_last_id(state_file, store.safe_url, latest)


@guarded(APP)  # a start-up error a person can fix: one line and exit 2, never a traceback
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_logging(APP, args.log_dir)
    check_display(APP)
    ctx = load_context(APP, args)
    check_store(APP, ctx.store)
    lang = args.lang or "vi"
    app = run_qt(APP, args)
    state_file = Path(args.state_file)
    display = DisplayApp(ctx.cfg, ctx.store, portrait=args.portrait, lang=lang, pack=open_pack(ctx.cfg),
                         after_id=resume_point(ctx.store, state_file))
    display.bridge.events_arrived.connect(
        lambda events: save_last_id(state_file, ctx.store.safe_url, max(e.id for e in events)))
    app.aboutToQuit.connect(display.stop)
    return run_window(app, display.window, fullscreen=args.fullscreen, start=display.start, store=ctx.store)


if __name__ == "__main__":
    raise SystemExit(main())
