"""The counter's controller: signs the official in and out, runs the actions off the GUI
thread, follows the change feed and tells the screens what to show.

Rules (what is enabled, what the figures are) come from ``lobby.staffing.desk``; the
screens only draw the signals of this object.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from counter.texts import t
from lobby import queue
from lobby.config import CentreConfig
from lobby.errors import LobbyError, StoreUnavailable
from lobby.feed.reader import FeedEvent
from lobby.queue.views import StaffInfo
from lobby.staffing import counters
from lobby.staffing.desk import CounterView, concerns_counter, enabled_actions, read_counter_view
from lobby.store.engine import Store
from lobby.vocabulary import CounterState
from lobby_qt.feed_bridge import FeedBridge, describe
from lobby_qt.tasks import TaskRunner

log = logging.getLogger(__name__)

PROBE_MS = 1000  # while the store is lost, try it this often (besides the feed's own retries)
IDLE_CHECK_MS = 1000  # how often the idle time is looked at


def is_lost(exc: BaseException) -> bool:
    """True when a failure means the database cannot be reached (not a refused action)."""
    if isinstance(exc, StoreUnavailable):
        return True
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


class CounterController(QObject):
    """One official at one counter; every store call goes through the TaskRunner."""

    signed_in = Signal(object)  # StaffInfo
    signed_out = Signal(object)  # why: Callable[[lang], text], or None when the official asked
    sign_in_failed = Signal(object)  # the exception
    view_changed = Signal(object)  # CounterView
    enabled_changed = Signal(object)  # frozenset[str]
    message = Signal(str, object)  # level ("info" | "error"), Callable[[lang], text]
    connection_changed = Signal(bool)  # True: the store answers

    def __init__(
        self,
        cfg: CentreConfig,
        store: Store,
        runner: TaskRunner,
        bridge: FeedBridge,
        *,
        lang: str = "vi",
        idle_signout_s: float | None = None,
        probe_ms: int = PROBE_MS,
        monotonic: Callable[[], float] = time.monotonic,
        idle_check_ms: int = IDLE_CHECK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.store = store
        self.runner = runner
        self.bridge = bridge
        self.lang = lang
        self.counter: int | None = None
        self.staff: StaffInfo | None = None
        self.view: CounterView | None = None
        self.connected = True
        self.busy = False
        self._generation = 0  # bumped at each sign-in/out: results of older reads are dropped
        self._refreshing = False
        self._refresh_again = False
        self.idle_signout_s = idle_signout_s if idle_signout_s is not None else cfg.counter_app.idle_signout_min * 60
        self.idle_minutes = max(1, round(self.idle_signout_s / 60))
        self.monotonic = monotonic
        self._last_touch = monotonic()
        self._idle = QTimer(self)  # looks at the idle time now and then: the clock decides, not the timer
        self._idle.setInterval(idle_check_ms)
        self._idle.timeout.connect(self.check_idle)
        self._probe = QTimer(self)
        self._probe.setInterval(probe_ms)
        self._probe.timeout.connect(self.refresh)
        bridge.events_arrived.connect(self._on_events)
        bridge.connection_lost.connect(self._on_lost)
        bridge.connection_restored.connect(self.refresh)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self.bridge.start()

    def shutdown(self) -> None:
        """Stop timers and the feed and wait for running store calls (the app is closing)."""
        self._idle.stop()
        self._probe.stop()
        self.bridge.stop()
        self.runner.wait()

    # ------------------------------------------------------------ signing in and out

    def sign_in(self, counter: int, username: str, pin: str) -> None:
        cfg, store = self.cfg, self.store

        def work() -> StaffInfo:
            with store.session() as s:
                return counters.sign_in(s, cfg, counter, username.strip(), pin)

        def done(staff: StaffInfo) -> None:
            self._generation += 1
            self.counter, self.staff, self.view = counter, staff, None
            self._set_connected(True)
            self._last_touch = self.monotonic()
            self._idle.start()
            self.signed_in.emit(staff)
            self._emit_enabled()
            self.refresh()

        self.runner.run(work, done, self.sign_in_failed.emit)

    def sign_out(self, reason: Callable[[str], str] | None = None) -> None:
        """Release the counter and go back to the sign-in screen (also when the store is lost)."""
        counter = self.counter
        if counter is None:
            return
        cfg, store = self.cfg, self.store

        def work() -> None:
            with store.session() as s:
                counters.sign_out(s, cfg, counter)

        def failed(exc: BaseException) -> None:
            log.warning("sign-out of counter %s not recorded: %s", counter, describe(exc, "en"))

        self.runner.run(work, None, failed)
        self._leave(reason)

    def _leave(self, reason: Callable[[str], str] | None) -> None:
        self._generation += 1
        self._idle.stop()
        self._probe.stop()
        self.counter, self.staff, self.view = None, None, None
        self.busy = False
        self._emit_enabled()
        self.signed_out.emit(reason)

    def touch(self) -> None:
        """The official did something: restart the idle sign-out clock."""
        if self.staff is not None:
            self._last_touch = self.monotonic()

    def idle_s(self) -> float:
        """Seconds since the official last did something (or signed in)."""
        return self.monotonic() - self._last_touch

    def check_idle(self) -> None:
        """Sign the official out once nothing was done for the configured time."""
        if self.staff is not None and self.idle_s() >= self.idle_signout_s:
            minutes = self.idle_minutes
            self.sign_out(lambda lang: t("idle_signed_out", lang, minutes=minutes))

    # ------------------------------------------------------------ reading

    def refresh(self) -> None:
        """Re-read what the work screen shows (one read at a time; asks made meanwhile coalesce)."""
        if self.counter is None:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        self._refresh_again = False
        generation, counter = self._generation, self.counter
        staff_id = self.staff.id if self.staff else None
        cfg, store = self.cfg, self.store

        def done(view: CounterView) -> None:
            self._refreshing = False
            if generation == self._generation:
                self._set_connected(True)
                self._apply(view)
            self._again()

        def failed(exc: BaseException) -> None:
            self._refreshing = False
            if generation == self._generation:
                self._failure(exc, refresh=False)
            self._again()

        self.runner.run(lambda: read_counter_view(store, cfg, counter, staff_id), done, failed)

    def _again(self) -> None:
        if self._refresh_again and self.connected:
            self.refresh()

    def _apply(self, view: CounterView) -> None:
        if self.staff is not None and view.counter.staff != self.staff.username:
            number = view.counter.number
            self._leave(lambda lang: t("taken_over", lang, counter=number))
            return
        self.view = view
        self.view_changed.emit(view)
        self._emit_enabled()

    def _on_events(self, events: list[FeedEvent]) -> None:
        if self.counter is None:
            return
        if concerns_counter(events, self.counter, self.cfg.counter(self.counter).services):
            self.refresh()

    # ------------------------------------------------------------ connection

    def _on_lost(self, detail: str) -> None:
        if self.counter is not None:
            self._set_connected(False, detail)

    def _set_connected(self, connected: bool, detail: str = "") -> None:
        if connected == self.connected:
            return
        self.connected = connected
        if connected:
            self._probe.stop()
        else:
            log.warning("counter %s: store lost: %s", self.counter, detail)
            self._probe.start()
        self.connection_changed.emit(connected)
        self._emit_enabled()

    # ------------------------------------------------------------ actions

    def enabled(self) -> frozenset[str]:
        if self.view is None or self.staff is None:
            return frozenset()
        current = self.view.current
        return enabled_actions(
            current.status if current else None, self.view.counter.state, parked=len(self.view.parked),
            connected=self.connected, busy=self.busy,
        )

    def _emit_enabled(self) -> None:
        self.enabled_changed.emit(self.enabled())

    def _act(self, action: str, work: Callable[[Session, int], Any], said: Callable[[Any, str], str]) -> bool:
        """Run ``work(session, counter)`` if the action is enabled now; False (and nothing done) otherwise."""
        counter = self.counter
        if counter is None or action not in self.enabled():
            return False
        self.busy = True
        self._emit_enabled()
        store, generation = self.store, self._generation

        def run() -> Any:
            with store.session() as s:
                return work(s, counter)

        def done(result: Any) -> None:
            if generation != self._generation:
                return
            self.busy = False
            self.message.emit("info", lambda lang: said(result, lang))
            self.refresh()
            self._emit_enabled()

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.busy = False
            self._failure(exc, refresh=True)
            self._emit_enabled()

        self.touch()
        self.runner.run(run, done, failed)
        return True

    def _failure(self, exc: BaseException, *, refresh: bool) -> None:
        if is_lost(exc):
            self._set_connected(False, describe(exc, self.lang))
            return
        if not isinstance(exc, LobbyError):
            log.error("counter action failed", exc_info=exc)
        self.message.emit("error", lambda lang: describe(exc, lang))
        if refresh:
            self.refresh()

    def next(self) -> bool:
        cfg = self.cfg
        return self._act(
            "next", lambda s, c: queue.call_next(s, cfg, c),
            lambda r, lang: t("did_next", lang, number=r.number) if r else t("nobody_waiting", lang),
        )

    def recall(self) -> bool:
        cfg = self.cfg
        return self._act("recall", lambda s, c: queue.recall(s, cfg, c),
                         lambda r, lang: t("did_recall", lang, number=r.number))

    def serve(self) -> bool:
        cfg = self.cfg
        return self._act("serve", lambda s, c: queue.start_serving(s, cfg, c),
                         lambda r, lang: t("did_serve", lang, number=r.number))

    def finish(self, note: str | None = None) -> bool:
        cfg = self.cfg
        text = (note or "").strip() or None
        return self._act("finish", lambda s, c: queue.finish(s, cfg, c, text),
                         lambda r, lang: t("did_finish", lang, number=r.number))

    def no_show(self) -> bool:
        cfg = self.cfg
        return self._act("no_show", lambda s, c: queue.no_show(s, cfg, c),
                         lambda r, lang: t("did_no_show", lang, number=r.number))

    def transfer(self, service_code: str) -> bool:
        cfg = self.cfg
        service = cfg.service(service_code)
        return self._act("transfer", lambda s, c: queue.transfer(s, cfg, c, service_code),
                         lambda r, lang: t("did_transfer", lang, number=r.number, service=service.name(lang)))

    def park(self) -> bool:
        cfg = self.cfg
        return self._act("park", lambda s, c: queue.park(s, cfg, c),
                         lambda r, lang: t("did_park", lang, number=r.number))

    def resume(self, number: str) -> bool:
        cfg = self.cfg
        return self._act("resume", lambda s, c: queue.resume(s, cfg, c, number),
                         lambda r, lang: t("did_resume", lang, number=r.number))

    def call_number(self, number: str) -> bool:
        cfg = self.cfg
        wanted = number.strip().upper()
        if not wanted:
            return False
        return self._act("call_number", lambda s, c: queue.call_number(s, cfg, c, wanted),
                         lambda r, lang: t("did_next", lang, number=r.number))

    def toggle_pause(self) -> bool:
        """Start a break (no citizen at the counter) or end it."""
        cfg = self.cfg
        paused = self.view is not None and self.view.counter.state == CounterState.PAUSED
        state = CounterState.OPEN if paused else CounterState.PAUSED
        return self._act("pause", lambda s, c: counters.set_counter_state(s, cfg, c, state),
                         lambda _r, lang: t("did_unpause" if paused else "did_pause", lang))
