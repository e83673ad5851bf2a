"""``lobby-kiosk``: config → store → printer → window, fullscreen and locked down."""

from __future__ import annotations

import argparse

from lobby_qt.bootstrap import check_display, check_store, common_parser, fail, load_context, setup_logging
from lobby_qt.guard import guarded
from printer_drivers import PrinterError

APP = "lobby-kiosk"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = common_parser("The ticket kiosk: citizens take a numbered ticket for a service.")
    p.add_argument("--portrait", action="store_true", help="lay out for a portrait screen (1080×1920)")
    p.add_argument("--printer", metavar="URL", default=None,
                   help="printer URL, overriding the config (e.g. tcp://192.168.1.50:9100, png://var/tickets)")
    p.add_argument("--windowed", action="store_true", help="a normal window instead of fullscreen (for trying it out)")
    return p.parse_args(argv)


@guarded(APP)  # a start-up error a person can fix: one line and exit 2, never a traceback
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_logging("kiosk", args.log_dir)
    check_display(APP)
    ctx = load_context(APP, args)
    check_store(APP, ctx.store)  # a store that does not answer shows as "issuing paused", retried by itself

    from kiosk.controller import KioskController
    from kiosk.printing import printer_factory
    from kiosk.window import KioskWindow
    from lobby.feedback.general import general_remark_url
    from lobby_qt.bootstrap import run_qt, run_window

    try:
        factory = printer_factory(ctx.cfg.printer, args.printer)
    except PrinterError as exc:
        fail(APP, str(exc))
    app = run_qt(APP, args)
    cfg = ctx.cfg
    if args.lang:
        cfg = cfg.model_copy(update={"kiosk": cfg.kiosk.model_copy(update={"language": args.lang})})
    window = KioskWindow(cfg, portrait=args.portrait)
    window.set_remark_url(general_remark_url(cfg))
    controller = KioskController(ctx.store, cfg, window, factory, printer_url=args.printer or cfg.printer.url)
    controller.exit_requested.connect(app.quit)
    app.aboutToQuit.connect(controller.shutdown)
    return run_window(app, window, fullscreen=not args.windowed, start=controller.start, store=ctx.store)


if __name__ == "__main__":
    raise SystemExit(main())
