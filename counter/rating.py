"""The rating panel: a small customer-facing screen at the counter.

It shows the counter and the official's name; when a service at this counter
finishes (learned from the change feed, so the panel may run on its own machine) it
asks "Quý khách có hài lòng với cán bộ tiếp nhận?" with three large buttons. The
rating is stored once per ticket; the question goes away unanswered after a timeout.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lobby import queue
from lobby.config import CentreConfig
from lobby.staffing.desk import panel_update
from lobby.staffing.counters import counter_infos
from lobby.errors import AlreadyRated, LobbyError
from lobby.feed.reader import FeedEvent
from lobby.store.engine import Store
from lobby.queue.views import RATINGS
from lobby_qt.banner import ConnectionBanner
from lobby_qt.feed_bridge import FeedBridge
from lobby_qt.fonts import pixel_font
from lobby_qt.tasks import TaskRunner

from counter.controller import is_lost
from counter.texts import other, t

log = logging.getLogger(__name__)

BUTTON_COLOUR = {"very_satisfied": "#1b5e20", "satisfied": "#1565c0", "not_satisfied": "#b3261e"}
THANKS_S = 4.0


class _TwoLine(QWidget):
    """A text in the panel's language, large, with the other language small under it."""

    def __init__(self, size: int, parent: QWidget | None = None, *, colour: str = "#263238") -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.main = QLabel(self)
        self.main.setFont(pixel_font(size, bold=True))
        self.sub = QLabel(self)
        self.sub.setFont(pixel_font(max(15, size * 5 // 9)))
        for label, c in ((self.main, colour), (self.sub, "#546e7a" if colour == "#263238" else colour)):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setStyleSheet(f"color: {c}; background: transparent;")
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)

    def set(self, key: str, lang: str, **kw: object) -> None:
        self.main.setText(t(key, lang, **kw))
        self.sub.setText(t(key, other(lang), **kw))


class RatingButton(QPushButton):
    def __init__(self, value: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.setObjectName(f"rate_{value}")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(200, 180)
        layout = QVBoxLayout(self)
        self.text_ = _TwoLine(28, self, colour="white")
        layout.addStretch(1)
        layout.addWidget(self.text_)
        layout.addStretch(1)
        colour = BUTTON_COLOUR[value]
        self.setStyleSheet(
            f"RatingButton {{ background: {colour}; border-radius: 18px; border: none; }}"
            "RatingButton:disabled { background: #b0bec5; }")


class RatingPanel(QWidget):
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
        counter: int,
        *,
        lang: str = "vi",
        timeout_s: float | None = None,
        thanks_s: float = THANKS_S,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.store = store
        self.runner = runner
        self.bridge = bridge
        self.counter = counter
        self.lang = lang
        self.timeout_s = float(timeout_s if timeout_s is not None else cfg.counter_app.rating_timeout_s)
        self.state = "idle"
        self.ticket: tuple[int, str] | None = None
        self.staff_name = ""
        self.setObjectName("ratingPanel")
        self.setStyleSheet("#ratingPanel { background: #fafafa; }")
        self.setWindowTitle(f"{t('rate_question', lang)} — {t('counter', lang)} {counter}")
        self.resize(1024, 600)

        root = QVBoxLayout(self)
        root.setContentsMargins(24, 16, 24, 20)
        top = QHBoxLayout()
        self.counter_label = QLabel(self)
        self.counter_label.setObjectName("panelCounter")
        self.counter_label.setFont(pixel_font(26, bold=True))
        self.counter_label.setStyleSheet("color: #0d47a1;")
        self.counter_label.setWordWrap(True)
        top.addWidget(self.counter_label, 1)
        self.banner = ConnectionBanner(self, pixel_size=18, lang=lang)
        policy = self.banner.sizePolicy()
        policy.setRetainSizeWhenHidden(False)  # the counter's name may use the whole width while connected
        self.banner.setSizePolicy(policy)
        top.addWidget(self.banner)
        root.addLayout(top)
        card = QFrame(self)
        card.setObjectName("officialCard")
        card.setStyleSheet("#officialCard { background: #e3f2fd; border-radius: 14px; }")
        card_layout = QVBoxLayout(card)
        self.officer_title = _TwoLine(20, card)
        self.officer_name = QLabel(card)
        self.officer_name.setObjectName("officialName")
        self.officer_name.setFont(pixel_font(38, bold=True))
        self.officer_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.officer_name.setStyleSheet("color: #0d47a1;")
        card_layout.addWidget(self.officer_title)
        card_layout.addWidget(self.officer_name)
        root.addWidget(card)
        root.addStretch(1)
        self.ticket_label = QLabel(self)
        self.ticket_label.setObjectName("ticketNumber")
        self.ticket_label.setFont(pixel_font(24, bold=True))
        self.ticket_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_label.setStyleSheet("color: #546e7a;")
        root.addWidget(self.ticket_label)
        self.headline = _TwoLine(36, self)
        self.headline.setObjectName("headline")
        root.addWidget(self.headline)
        root.addSpacing(16)
        buttons = QHBoxLayout()
        buttons.setSpacing(20)
        self.buttons: dict[str, RatingButton] = {}
        for value in RATINGS:
            button = RatingButton(value, self)
            button.clicked.connect(lambda _c=False, v=value: self.tap(v))
            buttons.addWidget(button)
            self.buttons[value] = button
        self.button_row = QWidget(self)
        self.button_row.setLayout(buttons)
        root.addWidget(self.button_row)
        root.addStretch(1)

        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.setInterval(int(self.timeout_s * 1000))
        self._timeout.timeout.connect(self._on_timeout)
        self._thanks = QTimer(self)
        self._thanks.setSingleShot(True)
        self._thanks.setInterval(int(thanks_s * 1000))
        self._thanks.timeout.connect(self.show_idle)
        bridge.events_arrived.connect(self._on_events)
        bridge.connection_lost.connect(self.banner.show_lost)
        bridge.connection_restored.connect(self._restored)
        self._render()

    # ------------------------------------------------------------ following the counter

    def start(self) -> None:
        """Read who is at the counter (the bridge itself is started by whoever owns it)."""
        self.refresh_staff()

    def set_counter(self, counter: int) -> None:
        """Follow another counter (the work window's official signed in elsewhere)."""
        if counter != self.counter:
            self.counter = counter
            self.show_idle()
        self.refresh_staff()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.banner.lang = lang
        self.banner.setText(self.banner.label_text())
        self._render()

    def refresh_staff(self) -> None:
        cfg, store, counter = self.cfg, self.store, self.counter

        def read() -> str:
            with store.session() as s:
                info = next(c for c in counter_infos(s, cfg) if c.number == counter)
            return info.staff_name or ""

        def done(name: str) -> None:
            self.banner.show_restored()
            self.staff_name = name
            self._render()
            self.staff_shown.emit(name)

        self.runner.run(read, done, self._read_failed)

    def _read_failed(self, exc: BaseException) -> None:
        if is_lost(exc):
            self.banner.show_lost(str(exc))
        else:
            log.error("rating panel: read failed", exc_info=exc)

    def _restored(self) -> None:
        self.banner.show_restored()
        self.refresh_staff()

    def _on_events(self, events: list[FeedEvent]) -> None:
        update = panel_update(events, self.counter, max_age_s=self.timeout_s)
        if update.staff_changed:
            self.refresh_staff()
        if self.ticket is not None and self.ticket[0] in update.answered and self.state in ("ask", "lost"):
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
        self._render()
        self.asked.emit(ticket_id)

    def tap(self, value: str) -> None:
        """The citizen's tap: the first one counts; taps while it is being stored, or after, do nothing."""
        if self.state not in ("ask", "lost") or self.ticket is None:
            return
        ticket_id = self.ticket[0]
        self.state = "sending"
        self._render()
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
                self.banner.show_lost(str(exc))
                if self.state == "sending" and self.ticket is not None and self.ticket[0] == ticket_id:
                    self.state = "lost"
                    self._render()
            else:
                if isinstance(exc, LobbyError):
                    log.warning("rating of ticket %s refused: %s", ticket_id, exc.message("en"))
                else:
                    log.error("rating failed", exc_info=exc)
                self.show_idle()

        self.runner.run(work, done, failed)

    def _on_timeout(self) -> None:
        if self.state in ("ask", "lost") and self.ticket is not None:
            ticket_id = self.ticket[0]
            self.show_idle()
            self.timed_out.emit(ticket_id)

    def _show_thanks(self) -> None:
        self._timeout.stop()
        self.state = "thanks"
        self._render()
        self._thanks.start()

    def show_idle(self) -> None:
        self._timeout.stop()
        self._thanks.stop()
        self.state = "idle"
        self.ticket = None
        self._render()

    # ------------------------------------------------------------ drawing

    def _render(self) -> None:
        lang = self.lang
        cc = self.cfg.counter(self.counter)
        self.counter_label.setText(cc.label(lang))
        self.officer_title.set("rate_officer" if self.staff_name else "rate_no_officer", lang)
        self.officer_name.setText(self.staff_name)
        self.officer_name.setVisible(bool(self.staff_name))
        for button in self.buttons.values():
            button.text_.set(button.value, lang)
            button.setEnabled(self.state in ("ask", "lost"))
        asking = self.state in ("ask", "sending", "lost")
        self.button_row.setVisible(asking)
        self.ticket_label.setVisible(asking and self.ticket is not None)
        if self.ticket is not None:
            self.ticket_label.setText(t("rate_ticket", lang, number=self.ticket[1]))
        key = {"idle": "rate_welcome", "thanks": "rate_thanks", "lost": "rate_lost"}.get(self.state, "rate_question")
        self.headline.set(key, lang)
        colour = "#b3261e" if self.state == "lost" else "#1b5e20" if self.state == "thanks" else "#263238"
        self.headline.main.setStyleSheet(f"color: {colour}; background: transparent;")
