"""The rating panel: a small customer-facing screen at the counter.

It shows the counter and the official's name, and on its controller's word
(:class:`counter.rating_controller.RatingController`) asks "Ông/bà có hài lòng với
cán bộ tiếp nhận?" with three large buttons. A passive view: it emits ``tapped(value)``
and makes no store call of its own.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counter.texts import t
from lobby.config import CounterConfig
from lobby.i18n import other_lang
from lobby.queue.views import RATINGS
from lobby_qt.banner import ConnectionBanner
from lobby_qt.fonts import pixel_font

BUTTON_COLOUR = {"very_satisfied": "#1b5e20", "satisfied": "#1565c0", "not_satisfied": "#b3261e"}


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
        self.sub.setText(t(key, other_lang(lang), **kw))


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
    """Shows one of: welcome, the question, sending, thanks, not saved (the connection was lost)."""

    tapped = Signal(str)  # the rating value of the button the citizen touched

    def __init__(self, counter: int, *, lang: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.state = "idle"
        self.number = ""
        self.staff_name = ""
        self.counter_config: CounterConfig | None = None
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
            button.clicked.connect(lambda _c=False, v=value: self.tapped.emit(v))
            buttons.addWidget(button)
            self.buttons[value] = button
        self.button_row = QWidget(self)
        self.button_row.setLayout(buttons)
        root.addWidget(self.button_row)
        root.addStretch(1)
        self._render()

    # ------------------------------------------------------------ verbs

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.banner.lang = lang
        self.banner.setText(self.banner.label_text())
        self._render()

    def show_counter(self, counter: CounterConfig) -> None:
        self.counter_config = counter
        self._render()

    def show_official(self, full_name: str) -> None:
        """The official signed in at the counter ("" when nobody is)."""
        self.staff_name = full_name
        self._render()

    def show_connection_lost(self, detail: str = "") -> None:
        self.banner.show_lost(detail)

    def show_connected(self) -> None:
        self.banner.show_restored()

    def show_welcome(self) -> None:
        self._show("idle")

    def show_question(self, number: str) -> None:
        """Ask about the service of ticket ``number`` with the three buttons."""
        self.number = number
        self._show("ask")

    def show_sending(self) -> None:
        """A tap is being stored: the buttons stay, disabled."""
        self._show("sending")

    def show_thanks(self) -> None:
        self._show("thanks")

    def show_not_saved(self) -> None:
        """The rating could not be stored (connection lost): ask for another tap."""
        self._show("lost")

    # ------------------------------------------------------------ drawing

    def _show(self, state: str) -> None:
        self.state = state
        if state in ("idle", "thanks"):
            self.number = "" if state == "idle" else self.number
        self._render()

    def _render(self) -> None:
        lang = self.lang
        if self.counter_config is not None:
            self.counter_label.setText(self.counter_config.label(lang))
        self.officer_title.set("rate_officer" if self.staff_name else "rate_no_officer", lang)
        self.officer_name.setText(self.staff_name)
        self.officer_name.setVisible(bool(self.staff_name))
        for button in self.buttons.values():
            button.text_.set(f"rating.{button.value}", lang)
            button.setEnabled(self.state in ("ask", "lost"))
        asking = self.state in ("ask", "sending", "lost")
        self.button_row.setVisible(asking)
        self.ticket_label.setVisible(asking and bool(self.number))
        if self.number:
            self.ticket_label.setText(t("rate_ticket", lang, number=self.number))
        key = {"idle": "rate_welcome", "thanks": "rate_thanks", "lost": "rate_lost"}.get(self.state, "rate_question")
        self.headline.set(key, lang)
        colour = "#b3261e" if self.state == "lost" else "#1b5e20" if self.state == "thanks" else "#263238"
        self.headline.main.setStyleSheet(f"color: {colour}; background: transparent;")
