"""The issued ticket: the number, very large; the service, who is ahead, the wait, the printer."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk import style as st
from kiosk.style import Style, box, label_font
from kiosk.texts import t
from lobby.config import CentreConfig
from lobby.queue.views import TicketInfo
from lobby_qt.fonts import pixel_font


class PrintState(Enum):
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


class ConfirmationScreen(QWidget):
    """Emits ``tapped`` on any touch (back to Home); after a failed print only on its "noted" button, so that
    the number is not lost by an accidental tap before the citizen has noted it."""

    tapped = Signal()

    def __init__(self, cfg: CentreConfig, style: Style, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.lang: str = cfg.kiosk.language
        self.ticket: TicketInfo | None = None
        self.print_state = PrintState.PRINTING
        self.setObjectName("confirmation")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.heading = QLabel()
        self.number = QLabel()
        self.number.setObjectName("bigNumber")
        self.service = QLabel()
        self.priority = QLabel()
        self.priority.setObjectName("priorityTag")
        self.ahead = QLabel()
        self.wait = QLabel()
        self.status = QLabel()
        self.status.setObjectName("printStatus")
        self.more = QLabel()
        self.hint = QLabel()
        self.noted = QPushButton()  # a failed print: leaving takes this deliberate tap
        self.noted.setObjectName("notedButton")
        self.noted.clicked.connect(self.tapped)
        self.noted.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for label in (self.heading, self.number, self.service, self.priority, self.ahead, self.wait):
            layout.addWidget(label)
        layout.addStretch(1)
        layout.addWidget(self.status)
        layout.addWidget(self.more)
        layout.addStretch(2)
        layout.addWidget(self.hint)
        layout.addWidget(self.noted, 0, Qt.AlignmentFlag.AlignHCenter)
        for label in self.findChildren(QLabel):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(label is not self.number)
        self.apply_style(style)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        label_font(self.heading, style.px(44), bold=True)
        self._fit_number()  # ASCII: no marks to make room for
        label_font(self.service, style.px(50), bold=True)
        label_font(self.priority, style.px(40), bold=True)
        for label in (self.ahead, self.wait):
            label_font(label, style.body_px)
        label_font(self.status, style.px(52), bold=True)
        label_font(self.more, style.px(34), bold=True)  # after a failed print: what to do, large
        self.noted.setFont(pixel_font(style.px(36), bold=True))
        self.noted.setMinimumSize(style.px(560), style.px(90))
        label_font(self.hint, style.small_px)
        box(self).setContentsMargins(style.px(40), style.px(30), style.px(40), style.px(30))
        self._colours()

    def show_ticket(self, ticket: TicketInfo, lang: str, state: PrintState = PrintState.PRINTING) -> None:
        self.ticket = ticket
        self.lang = lang
        self.heading.setText(t("your_number", lang))
        self.number.setText(ticket.number)
        self._fit_number()
        self.service.setText(ticket.service_name(lang))
        group = next((g for g in self.cfg.priority_groups if g.code == ticket.priority), None)
        self.priority.setText("★ " + t("priority_group", lang, group=group.name(lang)) if group else "")
        self.priority.setVisible(group is not None)
        ahead = ticket.ahead or 0
        self.ahead.setText(t("ahead_n", lang, n=ahead) if ahead > 0 else t("ahead_0", lang))
        wait = ticket.estimated_wait_min
        self.wait.setText(t("wait_m", lang, m=wait) if wait else t("wait_0", lang))
        self.hint.setText(t("touch_to_close", lang))
        self.set_print_state(state)

    def _fit_number(self) -> None:
        """The number as large as the style allows, but never wider than the screen (A1000, AB023)."""
        style = self.style_
        font = pixel_font(style.number_px, bold=True)
        room = style.width - 2 * style.px(60)
        wide = QFontMetrics(font).horizontalAdvance(self.number.text() or "0")
        if wide > room:
            font = pixel_font(int(style.number_px * room / wide), bold=True)
        self.number.setFont(font)

    def set_print_state(self, state: PrintState) -> None:
        self.print_state = state
        self.status.setText(t(state.value if state != PrintState.FAILED else "remember", self.lang))
        self.more.setText(t("remember_more", self.lang) if state == PrintState.FAILED else "")
        self.more.setVisible(state == PrintState.FAILED)
        self.noted.setText(t("noted", self.lang))
        self.noted.setVisible(state == PrintState.FAILED)
        self.hint.setVisible(state != PrintState.FAILED)
        self._colours()

    def _colours(self) -> None:
        failed = self.print_state == PrintState.FAILED
        status_colour = {PrintState.PRINTING: st.BLUE, PrintState.PRINTED: st.GREEN, PrintState.FAILED: st.RED}
        self.setStyleSheet(
            f"#confirmation {{ background: {'#fff8e1' if failed else st.WHITE}; }}"
            f"#confirmation QLabel {{ color: {st.INK}; }}"
            f"#confirmation #bigNumber {{ color: {st.BLUE_DARK}; }}"
            f"#confirmation #priorityTag {{ color: {st.ORANGE}; }}"
            f"#confirmation #printStatus {{ color: {status_colour[self.print_state]}; }}"
            f"#confirmation #notedButton {{ background: {st.BLUE}; color: {st.WHITE}; border: none;"
            f" border-radius: {self.style_.px(18)}px; padding: 0 {self.style_.px(30)}px; }}"
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt name
        if self.print_state != PrintState.FAILED:
            self.tapped.emit()
        super().mousePressEvent(event)
