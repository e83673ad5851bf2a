"""What the rating panel does: when to ask, storing the citizen's tap once, the timeouts.

The panel itself (:class:`counter.rating.RatingPanel`) only shows and emits; this
controller follows the change feed, calls the core (``lobby``) off the GUI thread and
tells the panel what to show. A service finished at this counter (learned from the
feed, so the panel may run on its own machine) brings the question; it is stored
once per ticket and goes away unanswered after a timeout.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from counter.controller import is_lost
from counter.rating import RatingPanel
from lobby import queue
from lobby.config import CentreConfig
from lobby.errors import AlreadyRated, LobbyError
from lobby.feed.reader import FeedEvent
from lobby.staffing.counters import counter_infos
from lobby.staffing.desk import panel_update
from lobby.store.engine import Store
from lobby_qt.feed_bridge import FeedBridge
from lobby_qt.tasks import TaskRunner

log = logging.getLogger(__name__)

THANKS_S = 4.0
ASKING = ("ask", "lost")  # the states in which a tap counts


class RatingController(QObject):
    """States: idle (welcome), ask (the question), sending, thanks, lost (the rating could not be saved)."""

    asked = Signal(int)  # ticket id
    rated = Signal(int, str)  # ticket id, value: stored by this panel
    timed_out = Signal(int)  # ticket id
    staff_shown = Signal(str)  # the official's full name ("" when nobody is signed in)

    def __init__(
        self,
        cfg: CentreConfig,
        store: Store,
        runner: TaskRunner,
        bridge: FeedBridge,
        view: RatingPanel,
        counter: int,
        *,
        timeout_s: float | None = None,
        max_age_s: float | None = None,
        thanks_s: float = THANKS_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else view)  # by default it goes when its panel goes
        self.cfg = cfg
        self.store = store
        self.runner = runner
        self.view = view
        self.counter = counter
        self.timeout_s = float(timeout_s if timeout_s is not None else cfg.counter_app.rating_timeout_s)
        self.max_age_s = self.timeout_s if max_age_s is None else max_age_s  # older services are not asked about
        self.state = "idle"
        self.ticket: tuple[int, str] | None = None
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.setInterval(int(self.timeout_s * 1000))
        self._timeout.timeout.connect(self._on_timeout)
        self._thanks = QTimer(self)
        self._thanks.setSingleShot(True)
        self._thanks.setInterval(int(thanks_s * 1000))
        self._thanks.timeout.connect(self.show_idle)
        view.tapped.connect(self.tap)
        bridge.events_arrived.connect(self._on_events)
        bridge.connection_lost.connect(view.show_connection_lost)
        bridge.connection_restored.connect(self._restored)
        view.show_counter(cfg.counter(counter))

    # ------------------------------------------------------------ following the counter

    def start(self) -> None:
        """Read who is at the counter (the bridge itself is started by whoever owns it)."""
        self.refresh_staff()

    def set_counter(self, counter: int) -> None:
        """Follow another counter (the work window's official signed in elsewhere)."""
        if counter != self.counter:
            self.counter = counter
            self.view.show_counter(self.cfg.counter(counter))
            self.show_idle()
        self.refresh_staff()

    def refresh_staff(self) -> None:
        cfg, store, counter = self.cfg, self.store, self.counter

        def read() -> str:
            with store.session() as s:
                info = next(c for c in counter_infos(s, cfg) if c.number == counter)
            return info.staff_name or ""

        def done(name: str) -> None:
            self.view.show_connected()
            self.view.show_official(name)
            self.staff_shown.emit(name)

        self.runner.run(read, done, self._read_failed)

    def _read_failed(self, exc: BaseException) -> None:
        if is_lost(exc):
            self.view.show_connection_lost(str(exc))
        else:
            log.error("rating panel: read failed", exc_info=exc)

    def _restored(self) -> None:
        self.view.show_connected()
        self.refresh_staff()

    def _on_events(self, events: list[FeedEvent]) -> None:
        update = panel_update(events, self.counter, max_age_s=self.max_age_s)
        if update.staff_changed:
            self.refresh_staff()
        if self.ticket is not None and self.ticket[0] in update.answered and self.state in ASKING:
            self._show_thanks()
        if update.ask is not None:
            self._check_and_ask(*update.ask)

    def _check_and_ask(self, ticket_id: int, number: str) -> None:
        store = self.store

        def read() -> str | None:
            with store.session() as s:
                return queue.rating_of(s, ticket_id)

        def done(value: str | None) -> None:
            if value is None and self.state != "sending":
                self.ask(ticket_id, number)

        self.runner.run(read, done, self._read_failed)

    # ------------------------------------------------------------ the question

    def ask(self, ticket_id: int, number: str) -> None:
        """Show the question for a finished ticket (a newer finished service replaces an older question)."""
        self._thanks.stop()
        self.ticket = (ticket_id, number)
        self.state = "ask"
        self._timeout.start()
        self.view.show_question(number)
        self.asked.emit(ticket_id)

    def tap(self, value: str) -> None:
        """The citizen's tap: the first one counts; taps while it is being stored, or after, do nothing."""
        if self.state not in ASKING or self.ticket is None:
            return
        ticket_id = self.ticket[0]
        self.state = "sending"
        self.view.show_sending()
        cfg, store = self.cfg, self.store

        def work() -> None:
            with store.session() as s:
                queue.rate(s, cfg, ticket_id, value)

        def done(_r: object) -> None:
            self.rated.emit(ticket_id, value)
            self._show_thanks()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, AlreadyRated):
                self._show_thanks()
            elif is_lost(exc):
                self.view.show_connection_lost(str(exc))
                if self.state == "sending" and self.ticket is not None and self.ticket[0] == ticket_id:
                    self.state = "lost"
                    self.view.show_not_saved()
            else:
                if isinstance(exc, LobbyError):
                    log.warning("rating of ticket %s refused: %s", ticket_id, exc.message("en"))
                else:
                    log.error("rating failed", exc_info=exc)
                self.show_idle()

        self.runner.run(work, done, failed)

    def _on_timeout(self) -> None:
        if self.state in ASKING and self.ticket is not None:
            ticket_id = self.ticket[0]
            self.show_idle()
            self.timed_out.emit(ticket_id)

    def _show_thanks(self) -> None:
        self._timeout.stop()
        self.state = "thanks"
        self.view.show_thanks()
        self._thanks.start()

    def show_idle(self) -> None:
        self._timeout.stop()
        self._thanks.stop()
        self.state = "idle"
        self.ticket = None
        self.view.show_welcome()
