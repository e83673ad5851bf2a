"""``lobby-counter``: the counter app (the work window, the rating panel, or both).

    lobby-counter --counter 3                      # sign in at counter 3 (or chosen at sign-in without --counter)
    lobby-counter --counter 3 --with-rating-panel  # plus the customer-facing panel as a second window
    lobby-counter --counter 3 --rating-panel       # only the panel, on its own machine
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lobby.config import CentreConfig
from lobby.errors import LobbyError
from lobby.store.engine import Store
from lobby_qt.guard import guarded

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from counter.controller import CounterController
    from counter.rating_controller import RatingController
    from lobby_qt.feed_bridge import FeedBridge
    from lobby_qt.tasks import TaskRunner

APP = "lobby-counter"


def parser() -> argparse.ArgumentParser:
    from lobby_qt.bootstrap import common_parser

    p = common_parser("Lobby Queue counter: call, serve and rate at one counter.")
    p.add_argument("--counter", type=int, default=None,
                   help="this machine's counter number (default: counter_app.counter in the config, "
                        "else chosen at sign-in)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--rating-panel", action="store_true",
                      help="start only the citizens' rating panel for --counter (on its own machine)")
    mode.add_argument("--with-rating-panel", action="store_true",
                      help="open the rating panel as a second window next to the work window")
    return p


def counter_problem(cfg: CentreConfig, counter: int | None, rating_panel_only: bool) -> str | None:
    """What is wrong with the counter given on the command line or in the config, if anything."""
    if counter is not None:
        try:
            cfg.counter(counter)
        except LobbyError as exc:
            return exc.message("en")
    elif rating_panel_only:
        return "--rating-panel needs the counter: pass --counter N or set counter_app.counter in the config"
    return None


@dataclass
class Running:
    """The windows of one counter app and what they share; ``stop()`` joins every thread."""

    runner: TaskRunner
    bridge: FeedBridge
    controller: CounterController | None = None
    panels: list[RatingController] = field(default_factory=list)
    windows: list[QWidget] = field(default_factory=list)

    def stop(self) -> None:
        if self.controller is not None and self.controller.staff is not None:
            self.controller.sign_out()
        if self.controller is not None:
            self.controller.shutdown()
        self.bridge.stop()
        self.runner.wait()


def build(cfg: CentreConfig, store: Store, *, counter: int | None, lang: str, rating_panel: bool = False,
          with_rating_panel: bool = False, fullscreen: bool = False) -> Running:
    """Make the windows (shown) and wire them; the caller starts the event loop."""
    from counter.controller import CounterController
    from counter.rating import RatingPanel
    from counter.rating_controller import RatingController
    from counter.rating_reasons import ReasonsFlow
    from counter.window import CounterWindow
    from lobby_qt.bootstrap import place_window
    from lobby_qt.feed_bridge import FeedBridge
    from lobby_qt.tasks import TaskRunner

    runner = TaskRunner(max_threads=3)
    bridge = FeedBridge(store, lang=lang)
    running = Running(runner=runner, bridge=bridge)

    def show(widget: QWidget, full: bool) -> None:
        running.windows.append(widget)
        if full:
            widget.showFullScreen()
        else:
            place_window(widget, len(running.windows) - 1)
            widget.show()

    def open_panel(number: int) -> None:
        view = RatingPanel(number, lang=lang)
        panel = RatingController(cfg, store, runner, bridge, view, number)
        ReasonsFlow(cfg, store, runner, panel)  # the reasons step after "Không hài lòng" (kept alive by the panel)
        running.panels.append(panel)
        show(view, fullscreen and rating_panel)
        panel.start()

    if rating_panel:
        assert counter is not None
        open_panel(counter)
    else:
        controller = CounterController(cfg, store, runner, bridge, lang=lang)
        running.controller = controller
        show(CounterWindow(cfg, controller, fixed_counter=counter, lang=lang), fullscreen)
        if with_rating_panel and counter is not None:
            open_panel(counter)
        elif with_rating_panel:  # the counter is chosen at sign-in: the panel follows it

            def follow(_staff: object) -> None:
                assert controller.counter is not None
                if running.panels:
                    running.panels[0].set_counter(controller.counter)
                else:
                    open_panel(controller.counter)

            controller.signed_in.connect(follow)
    bridge.start()
    return running


@guarded(APP)  # a start-up error a person can fix: one line and exit 2, never a traceback
def main(argv: list[str] | None = None) -> int:
    from lobby_qt.bootstrap import (
        check_display,
        check_store,
        fail,
        load_context,
        log_when_running,
        run_qt,
        setup_logging,
    )

    args = parser().parse_args(argv)
    setup_logging(APP, args.log_dir)
    check_display(APP)
    ctx = load_context(APP, args)
    counter = args.counter if args.counter is not None else ctx.cfg.counter_app.counter
    problem = counter_problem(ctx.cfg, counter, args.rating_panel)
    if problem:
        fail(APP, problem)
    check_store(APP, ctx.store)  # a store that does not answer shows "connection lost", retried by itself

    app = run_qt(APP, args)
    running = build(ctx.cfg, ctx.store, counter=counter, lang=args.lang or "vi", rating_panel=args.rating_panel,
                    with_rating_panel=args.with_rating_panel, fullscreen=args.fullscreen)
    app.aboutToQuit.connect(running.stop)
    app.aboutToQuit.connect(ctx.store.dispose)
    log_when_running(APP)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
