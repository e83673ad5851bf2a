"""``lobby-display``: the hallway board.

    lobby-display [--config config/demo.toml] [--db URL] [--portrait] [--fullscreen] [--lang vi|en]

Wires config → store → feed bridge → board window → announcer.  The display only
reads the store; it starts even when the store does not answer yet (it shows
"Mất kết nối" and keeps trying).
"""

from __future__ import annotations

import argparse

from lobby_qt.bootstrap import check_display, common_parser, load_context, run_qt, setup_logging

from display.app import DisplayApp, open_pack

APP = "lobby-display"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = common_parser("Màn hình gọi số · Hallway display")
    p.add_argument("--portrait", action="store_true", help="a screen standing upright (1080×1920)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_logging(APP, args.log_dir)
    check_display(APP)
    ctx = load_context(APP, args)
    lang = args.lang or "vi"
    app = run_qt(APP, args)
    display = DisplayApp(ctx.cfg, ctx.store, portrait=args.portrait, lang=lang, pack=open_pack(ctx.cfg))
    app.aboutToQuit.connect(display.stop)
    if args.fullscreen:
        display.window.showFullScreen()
    else:
        display.window.show()
    display.start()
    code = app.exec()
    ctx.store.dispose()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
