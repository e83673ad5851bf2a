"""Screenshots of the counter app: ``render_all(out_dir)`` → ``counter-<screen>-<variant>-<lang>.png``.

A demo centre in a temporary SQLite file: an official, a morning's tickets, then the
sign-in screen, the work screen (idle, calling, serving) and the rating panel, in
Vietnamese and English.
"""
from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from lobby import queue
from lobby.clock import local, utcnow
from lobby.config import DEFAULT_CONFIG, CentreConfig, load_config
from lobby.staffing import counters, staff
from lobby.store.engine import Store
from lobby.store.migrate import init_store
from lobby.vocabulary import CounterState, TicketState

COUNTER = 4
SIZE = (1366, 800)
PANEL_SIZE = (1024, 600)


def _demo_config() -> CentreConfig:
    cfg = load_config(DEFAULT_CONFIG)
    return cfg.model_copy(update={"centre": cfg.centre.model_copy(update={"enforce_hours": False})})


def _wait(check: Callable[[], bool], timeout_s: float = 10.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the counter screen did not reach the state to photograph")
        QApplication.processEvents()
        time.sleep(0.01)


def _seed(store: Store, cfg: CentreConfig) -> None:
    """A morning at counter 4 (Land; Natural resources): some served, some waiting."""
    now = utcnow()
    since_midnight = local(now, cfg.tz) - local(now, cfg.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    span = min(timedelta(minutes=95), since_midnight - timedelta(minutes=1))

    def ago(minutes: float) -> datetime:
        return now - min(timedelta(minutes=minutes), span)

    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "1234")
    with store.session() as s:
        staff.add_staff(s, "binh", "Trần Thị Bình", "official", "1234")
    with store.session() as s:
        counters.sign_in(s, cfg, COUNTER, "an", "1234", now=ago(95))
    for minutes, code in ((94, "DD"), (92, "DD"), (90, "TNMT"), (70, "DD")):
        with store.session() as s:
            queue.issue_ticket(s, cfg, code, now=ago(minutes))
    for called, finished in ((93, 84), (84, 71), (71, 60)):
        with store.session() as s:
            queue.call_next(s, cfg, COUNTER, now=ago(called))
        with store.session() as s:
            queue.start_serving(s, cfg, COUNTER, now=ago(called - 1))
        with store.session() as s:
            queue.finish(s, cfg, COUNTER, now=ago(finished))
    with store.session() as s:
        queue.call_next(s, cfg, COUNTER, now=ago(58))
    with store.session() as s:
        queue.no_show(s, cfg, COUNTER, now=ago(55))
    for minutes, code, priority in ((40, "DD", None), (33, "TNMT", None), (30, "DD", "elderly"), (25, "DD", None),
                                    (21, "DD", None), (17, "TNMT", None), (12, "DD", None), (8, "DD", None),
                                    (3, "DD", None)):
        with store.session() as s:
            queue.issue_ticket(s, cfg, code, priority=priority, now=ago(minutes))
    with store.session() as s:
        counters.sign_out(s, cfg, COUNTER)


def render_all(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QWidget

    from counter.controller import CounterController
    from counter.rating import RatingPanel
    from counter.rating_controller import RatingController
    from counter.window import CounterWindow
    from lobby_qt.feed_bridge import FeedBridge
    from lobby_qt.fonts import load_fonts, ui_font
    from lobby_qt.tasks import TaskRunner

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    load_fonts()
    app.setFont(ui_font(12))
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg = _demo_config()
    written: list[Path] = []

    def grab(widget: QWidget, name: str) -> None:
        QApplication.processEvents()
        path = out_dir / f"counter-{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'counter-demo.sqlite3'}")
        init_store(store, cfg)
        _seed(store, cfg)
        runner = TaskRunner(max_threads=2)
        bridge = FeedBridge(store, wait_s=0.05)
        controller = CounterController(cfg, store, runner, bridge)
        window = CounterWindow(cfg, controller, fixed_counter=COUNTER)
        window.resize(*SIZE)
        window.show()
        panel = RatingPanel(COUNTER)
        rating = RatingController(cfg, store, runner, bridge, panel, COUNTER, timeout_s=600)
        panel.resize(*PANEL_SIZE)
        panel.show()
        bridge.start()
        try:
            for lang in ("vi", "en"):
                window.set_lang(lang)
                window.sign_in.username.setText("an")
                grab(window, f"signin-counter{COUNTER}-{lang}")
            window.set_lang("vi")
            # a refused sign-in: the counter is held by someone else
            with store.session() as s:
                counters.sign_in(s, cfg, COUNTER, "binh", "1234")
            window.sign_in.username.setText("an")
            window.sign_in.pin.setText("1234")
            window.sign_in.button.click()
            _wait(lambda: window.sign_in.error.isVisible())
            grab(window, "signin-refused-vi")
            with store.session() as s:
                counters.sign_out(s, cfg, COUNTER)

            window.sign_in.pin.setText("1234")
            window.sign_in.button.click()
            _wait(lambda: controller.view is not None)
            _wait(lambda: "next" in controller.enabled())
            for lang in ("vi", "en"):
                window.set_lang(lang)
                grab(window, f"work-idle-{lang}")
            window.set_lang("vi")
            # calling: the priority ticket comes first
            controller.next()
            _wait(lambda: controller.view is not None and controller.view.current is not None
                  and "recall" in controller.enabled())
            for lang in ("vi", "en"):
                window.set_lang(lang)
                grab(window, f"work-calling-{lang}")
            window.set_lang("vi")
            controller.serve()
            _wait(lambda: controller.view is not None and controller.view.current is not None
                  and controller.view.current.status == TicketState.SERVING and "finish" in controller.enabled())
            for lang in ("vi", "en"):
                window.set_lang(lang)
                grab(window, f"work-serving-{lang}")
            window.set_lang("vi")
            _wait(lambda: panel.staff_name != "")
            for lang in ("vi", "en"):
                panel.set_lang(lang)
                grab(panel, f"rating-welcome-{lang}")
            controller.finish("Đã nhận đủ hồ sơ")
            _wait(lambda: rating.state == "ask")
            for lang in ("vi", "en"):
                panel.set_lang(lang)
                grab(panel, f"rating-question-{lang}")
            panel.set_lang("vi")
            rating.tap("very_satisfied")
            _wait(lambda: rating.state == "thanks")
            grab(panel, "rating-thanks-vi")
            controller.toggle_pause()
            _wait(lambda: controller.view is not None and controller.view.counter.state == CounterState.PAUSED
                  and "pause" in controller.enabled())
            grab(window, "work-break-vi")
        finally:
            window.close()
            panel.close()
            bridge.stop()
            runner.wait()
            store.dispose()
    return written


def main(argv: list[str] | None = None) -> int:
    """Write every counter screenshot into the folder named by the first argument."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    paths = render_all(Path(args[0] if args else "docs/screenshots"))
    for p in paths:
        print(p)
    print(f"counter: {len(paths)} screenshots")
    return 0 if paths else 1


if __name__ == "__main__":
    raise SystemExit(main())
