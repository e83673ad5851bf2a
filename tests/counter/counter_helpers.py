"""Helpers of the counter tests: build real windows and panels over a store, join every thread at the end."""
from __future__ import annotations

from dataclasses import dataclass

from pytestqt.qtbot import QtBot

from counter.controller import CounterController
from counter.rating import RatingPanel
from counter.rating_controller import RatingController
from counter.window import CounterWindow
from lobby.config import CentreConfig
from lobby.store.engine import Store
from lobby_qt.feed_bridge import FeedBridge
from lobby_qt.tasks import TaskRunner
from support import SETTLE_MS, SETTLE_S

PIN = "1234"
OFFICIALS = {"an": "Nguyễn Văn An", "binh": "Trần Thị Bình", "chi": "Lê Minh Chi"}
FAST_BACKOFF = (0.05, 0.1, 0.2)


class FakeMonotonic:
    """A monotonic clock the test moves by hand (idle sign-out without waiting, on any machine)."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class CounterApp:
    runner: TaskRunner
    bridge: FeedBridge
    controller: CounterController
    window: CounterWindow


class Apps:
    """Builds counter windows and rating panels over one store and stops them all at the end."""

    def __init__(self, qtbot: QtBot, store: Store, cfg: CentreConfig) -> None:
        self.qtbot = qtbot
        self.store = store
        self.cfg = cfg
        self.runners: list[TaskRunner] = []
        self.bridges: list[FeedBridge] = []
        self.controllers: list[CounterController] = []

    def parts(self, store: Store | None = None) -> tuple[TaskRunner, FeedBridge]:
        runner = TaskRunner(max_threads=2)
        bridge = FeedBridge(store or self.store, wait_s=0.05, backoff_s=FAST_BACKOFF)
        self.runners.append(runner)
        self.bridges.append(bridge)
        return runner, bridge

    def window(self, *, fixed_counter: int | None = None, lang: str = "vi", idle_signout_s: float | None = None,
               probe_ms: int = 100, store: Store | None = None, monotonic: FakeMonotonic | None = None,
               ) -> CounterApp:
        runner, bridge = self.parts(store)
        clock = {"monotonic": monotonic, "idle_check_ms": 50} if monotonic is not None else {}
        controller = CounterController(self.cfg, store or self.store, runner, bridge, lang=lang,
                                       idle_signout_s=idle_signout_s, probe_ms=probe_ms, **clock)  # type: ignore[arg-type]
        self.controllers.append(controller)
        window = CounterWindow(self.cfg, controller, fixed_counter=fixed_counter, lang=lang)
        self.qtbot.addWidget(window)
        window.show()
        self.qtbot.waitExposed(window, timeout=SETTLE_MS)
        controller.start()
        self.qtbot.waitUntil(lambda: bridge.connected, timeout=SETTLE_MS)
        return CounterApp(runner, bridge, controller, window)

    def panel(self, counter: int, *, timeout_s: float = SETTLE_S, thanks_s: float = SETTLE_S, lang: str = "vi",
              share: CounterApp | None = None, store: Store | None = None) -> RatingController:
        """A rating panel: sharing a work window's feed and runner, or on its own (another machine).

        The question, the thank-you and the age of a finished service worth asking about last
        ``SETTLE_S`` unless a test shortens them: no wait of a test can outlast them on a slow machine.
        """
        if share is not None:
            runner, bridge, start = share.runner, share.bridge, False
        else:
            runner, bridge = self.parts(store)
            start = True
        view = RatingPanel(counter, lang=lang)
        panel = RatingController(self.cfg, store or self.store, runner, bridge, view, counter, timeout_s=timeout_s,
                                 max_age_s=max(timeout_s, SETTLE_S), thanks_s=thanks_s)
        self.qtbot.addWidget(view)
        view.show()
        if start:
            bridge.start()
            self.qtbot.waitUntil(lambda: bridge.connected, timeout=SETTLE_MS)
        with self.qtbot.waitSignal(panel.staff_shown, timeout=SETTLE_MS):
            panel.start()
        return panel

    def close(self) -> None:
        for controller in self.controllers:
            controller.shutdown()
        for bridge in self.bridges:
            bridge.stop()
        for runner in self.runners:
            runner.wait()


def sign_in(qtbot: QtBot, app: CounterApp, username: str = "an", pin: str = PIN, counter: int | None = None) -> None:
    """Fill the real sign-in form and wait for the work screen with its first view."""
    screen = app.window.sign_in
    if counter is not None and screen.counter_box.isEnabled():
        screen.counter_box.setCurrentIndex(screen.counter_box.findData(counter))
    screen.username.setText(username)
    screen.pin.setText(pin)
    with qtbot.waitSignal(app.controller.signed_in, timeout=SETTLE_MS):
        screen.button.click()
    qtbot.waitUntil(lambda: app.controller.view is not None, timeout=SETTLE_MS)



def signed_in_window(qtbot: QtBot, apps: Apps, counter: int) -> CounterApp:
    """A work window fixed to ``counter``, "an" signed in, the window active (so the keys reach it)."""
    made = apps.window(fixed_counter=counter)
    sign_in(qtbot, made, "an")
    made.window.activateWindow()
    qtbot.waitUntil(made.window.isActiveWindow, timeout=SETTLE_MS)
    return made
