"""The reasons step of the rating panel: after "Không hài lòng" (and, when the config says so, after
"Hài lòng"), one-tap reasons from ``[feedback] reasons``, several allowed, time-limited.

- :class:`ReasonsStep` is passive: it covers the rating panel, shows the reasons as large toggle
  buttons, and emits ``submitted(codes)`` or ``skipped()``.
- :class:`ReasonsFlow` decides: it follows the panel's controller (``rated`` opens the step, a new
  question closes it), stores the reasons once off the GUI thread (``lobby.feedback.reasons``)
  and closes the step after ``reasons_timeout_s``, keeping what was ticked by then.

The rating itself is stored at the first tap, before this step: a citizen who walks away loses
nothing already given. Wiring is one call where the controller is built: ``ReasonsFlow(cfg, store,
runner, controller)``.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from counter.controller import is_lost
from counter.rating_controller import RatingController
from lobby.config import CentreConfig
from lobby.config.feedback import ReasonConfig
from lobby.errors import LobbyError
from lobby.feedback.errors import ReasonsAlreadyGiven
from lobby.feedback.reasons import add_reasons
from lobby.i18n import Translator, other_lang
from lobby.store.engine import Store
from lobby_qt.cover import Cover
from lobby_qt.fonts import pixel_font
from lobby_qt.tasks import TaskRunner

log = logging.getLogger(__name__)

THANKS_S = 2.0
COLUMNS = 3

t = Translator({
    "reasons.why_not": ("Ông/bà chưa hài lòng vì điều gì?", "What was not right?"),
    "reasons.why_better": ("Điều gì có thể tốt hơn?", "What could be better?"),
    "reasons.pick": ("Chạm để chọn, tối đa {n} lý do", "Touch to choose, at most {n} reasons"),
    "reasons.send": ("Gửi", "Send"),
    "reasons.skip": ("Bỏ qua", "Skip"),
    "reasons.left": ("Tự đóng sau {s} giây", "Closes in {s} s"),
    "reasons.thanks": ("Cảm ơn ông/bà đã góp ý!", "Thank you for telling us!"),
    "reasons.lost": ("Chưa lưu được lý do; vui lòng chạm «Gửi» lần nữa.",
                     "The reasons were not saved; please touch “Send” again."),
})


class ReasonButton(QPushButton):
    """A toggle: the reason in the panel's language, large, the other language small under it (both wrap)."""

    def __init__(self, reason: ReasonConfig, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = reason.code
        self.setObjectName(f"reason_{reason.code}")
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(200, 104)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        self.main = QLabel(reason.label(lang), self)
        self.main.setFont(pixel_font(24, bold=True))
        self.sub = QLabel(reason.label(other_lang(lang)), self)
        self.sub.setFont(pixel_font(16))
        for label in (self.main, self.sub):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        layout.insertStretch(0, 1)
        layout.addStretch(1)
        self.toggled.connect(self._colour)
        self._colour(False)

    def label_text(self) -> str:
        return self.main.text()

    def _colour(self, checked: bool) -> None:
        fg = "white" if checked else "#263238"
        for label in (self.main, self.sub):
            label.setStyleSheet(f"background: transparent; color: {fg};")
        self.setStyleSheet(
            "ReasonButton { background: %s; border: 3px solid %s; border-radius: 16px; }"
            "ReasonButton:disabled { background: #eceff1; border-color: #cfd8dc; }"
            % (("#b3261e", "#7f1d17") if checked else ("#ffffff", "#90a4ae")))


class ReasonsStep(Cover):
    """Covers its parent (the rating panel) while shown. A passive view."""

    submitted = Signal(list)  # the codes ticked, in the config's order
    skipped = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("reasonsStep")
        self.setStyleSheet("#reasonsStep { background: #fafafa; }")
        self.lang = "vi"
        self.max_reasons = 3
        self.buttons: list[ReasonButton] = []
        root = QVBoxLayout(self)
        root.setContentsMargins(28, 20, 28, 20)
        self.title = QLabel(self)
        self.title.setObjectName("reasonsTitle")
        self.title.setFont(pixel_font(34, bold=True))
        self.subtitle = QLabel(self)
        self.subtitle.setFont(pixel_font(20))
        for label in (self.title, self.subtitle):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setStyleSheet("color: #263238; background: transparent;")
            root.addWidget(label)
        self.grid_box = QWidget(self)
        self.grid = QGridLayout(self.grid_box)
        self.grid.setSpacing(16)
        for column in range(COLUMNS):
            self.grid.setColumnStretch(column, 1)
        root.addWidget(self.grid_box, 1)
        self.message = QLabel(self)
        self.message.setObjectName("reasonsMessage")
        self.message.setFont(pixel_font(22, bold=True))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        root.addWidget(self.message)
        bottom = QHBoxLayout()
        self.left = QLabel(self)
        self.left.setObjectName("reasonsLeft")
        self.left.setFont(pixel_font(18))
        self.left.setStyleSheet("color: #546e7a;")
        bottom.addWidget(self.left, 1)
        self.skip_button = QPushButton(self)
        self.skip_button.setObjectName("reasonsSkip")
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("reasonsSend")
        for button, colour in ((self.skip_button, "#78909c"), (self.send_button, "#1565c0")):
            button.setFont(pixel_font(26, bold=True))
            button.setMinimumSize(220, 80)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setStyleSheet(f"QPushButton {{ background: {colour}; color: white; border-radius: 16px; }}"
                                 "QPushButton:disabled { background: #b0bec5; }")
            bottom.addWidget(button)
        root.addLayout(bottom)
        self.send_button.clicked.connect(lambda: self.submitted.emit(self.chosen()))
        self.skip_button.clicked.connect(self.skipped.emit)

    # ------------------------------------------------------------ verbs

    def show_reasons(self, value: str, reasons: list[ReasonConfig], max_reasons: int, seconds: int,
                     lang: str = "vi") -> None:
        self.lang, self.max_reasons = lang, max_reasons
        for button in self.buttons:
            self.grid.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for i, reason in enumerate(reasons):
            button = ReasonButton(reason, lang, self.grid_box)
            button.toggled.connect(self._limit)
            self.grid.addWidget(button, i // COLUMNS, i % COLUMNS)
            self.buttons.append(button)
        key = "reasons.why_not" if value == "not_satisfied" else "reasons.why_better"
        self.title.setText(f"{t(key, lang)}\n{t(key, other_lang(lang))}")
        self.subtitle.setText(t("reasons.pick", lang, n=max_reasons))
        self.message.setText("")
        self.message.hide()
        self.grid_box.show()
        self.send_button.setText(t("reasons.send", lang))
        self.skip_button.setText(t("reasons.skip", lang))
        self.send_button.setEnabled(False)
        self.skip_button.setEnabled(True)
        self.set_seconds_left(seconds)
        self.cover()

    def set_seconds_left(self, seconds: int) -> None:
        self.left.setText(t("reasons.left", self.lang, s=max(seconds, 0)))

    def show_sending(self) -> None:
        self.send_button.setEnabled(False)
        self.skip_button.setEnabled(False)

    def show_thanks(self) -> None:
        self.grid_box.hide()
        self.send_button.setEnabled(False)
        self.skip_button.setEnabled(False)
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(f"{t('reasons.thanks', self.lang)}\n{t('reasons.thanks', other_lang(self.lang))}")
        self.message.show()

    def show_not_saved(self) -> None:
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setText(t("reasons.lost", self.lang))
        self.message.show()
        self._limit()
        self.skip_button.setEnabled(True)

    def close_step(self) -> None:
        self.hide()

    def chosen(self) -> list[str]:
        return [b.code for b in self.buttons if b.isChecked()]

    def _limit(self, _checked: bool = False) -> None:
        """At most ``max_reasons`` ticked: the others wait, disabled, until one is unticked."""
        ticked = len(self.chosen())
        for button in self.buttons:
            button.setEnabled(button.isChecked() or ticked < self.max_reasons)
        self.send_button.setEnabled(ticked > 0)


class ReasonsFlow(QObject):
    """Opens the step after a rating that asks why, stores the reasons once, closes it on time."""

    opened = Signal(int)  # ticket id
    stored = Signal(int, list)  # ticket id, the codes stored
    closed = Signal(int)  # ticket id: the step went away (stored, skipped, timed out or replaced)

    def __init__(self, cfg: CentreConfig, store: Store, runner: TaskRunner, controller: RatingController, *,
                 timeout_s: float | None = None, thanks_s: float = THANKS_S) -> None:
        super().__init__(controller)
        self.cfg, self.store, self.runner = cfg, store, runner
        self.controller = controller
        self.step = ReasonsStep(controller.view)
        self.timeout_s = float(timeout_s if timeout_s is not None else cfg.feedback.reasons_timeout_s)
        self.ticket: int | None = None
        self.value = ""
        self.sending = False
        self.seconds_left = 0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._time_up)
        self._thanks = QTimer(self)
        self._thanks.setSingleShot(True)
        self._thanks.setInterval(int(thanks_s * 1000))
        self._thanks.timeout.connect(self._close)
        controller.rated.connect(self.on_rated)
        controller.asked.connect(self._new_question)
        self.step.submitted.connect(self.send)
        self.step.skipped.connect(self._close)

    def on_rated(self, ticket_id: int, value: str) -> None:
        if not self.cfg.feedback.asks_reasons(value):
            return
        self.ticket, self.value, self.sending = ticket_id, value, False
        self.seconds_left = int(self.timeout_s)
        self.step.show_reasons(value, list(self.cfg.feedback.reasons), self.cfg.feedback.max_reasons,
                               self.seconds_left, self.controller.view.lang)
        self._deadline.start(int(self.timeout_s * 1000))
        self._tick.start()
        self.opened.emit(ticket_id)

    def send(self, codes: list[str]) -> None:
        if self.ticket is None or self.sending or not codes:
            return
        ticket_id, cfg, store = self.ticket, self.cfg, self.store
        self.sending = True
        self.step.show_sending()

        def work() -> list[str]:
            with store.session() as s:
                return add_reasons(s, cfg, ticket_id, codes)

        def done(stored: list[str]) -> None:
            self.sending = False
            self.stored.emit(ticket_id, stored)
            if self.ticket == ticket_id:
                self._stop_timers()
                self.step.show_thanks()
                self._thanks.start()

        def failed(exc: BaseException) -> None:
            self.sending = False
            if self.ticket != ticket_id:
                return
            if is_lost(exc):
                self.step.show_not_saved()
                return
            if not isinstance(exc, ReasonsAlreadyGiven):
                if isinstance(exc, LobbyError):
                    log.warning("reasons of ticket %s refused: %s", ticket_id, exc.message("en"))
                else:
                    log.error("storing reasons failed", exc_info=exc)
            self._close()

        self.runner.run(work, done, failed)

    def _count_down(self) -> None:
        self.seconds_left -= 1
        self.step.set_seconds_left(self.seconds_left)

    def _time_up(self) -> None:
        """Time is up: what was ticked is sent (the citizen chose it); with nothing ticked the step just closes."""
        codes = self.step.chosen()
        self._stop_timers()
        if codes and not self.sending:
            self.send(codes)
            self._thanks.start()  # closes even if the store does not answer
        elif not self.sending:
            self._close()

    def _new_question(self, _ticket_id: int) -> None:
        if self.ticket is not None and self.step.isVisible():
            codes = self.step.chosen()
            if codes and not self.sending:
                self.send(codes)
            self._close()

    def _stop_timers(self) -> None:
        self._tick.stop()
        self._deadline.stop()

    def _close(self) -> None:
        self._stop_timers()
        self._thanks.stop()
        ticket = self.ticket
        self.step.close_step()
        if ticket is not None:
            self.ticket = None
            self.closed.emit(ticket)
