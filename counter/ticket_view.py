"""The current ticket, very large: number, service, priority group, how long it waited."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from counter.texts import t
from lobby.config import CentreConfig
from lobby.errors import LobbyError
from lobby.staffing.desk import CounterView, minutes_text, waited
from lobby.vocabulary import CounterState, TicketState
from lobby_qt.fonts import pixel_font

STATUS_COLOUR: dict[str | None, str] = {TicketState.CALLED: "#e65100", TicketState.SERVING: "#1b5e20", None: "#546e7a",
                 CounterState.PAUSED: "#6d4c41"}


class CurrentTicketView(QFrame):
    def __init__(self, cfg: CentreConfig, parent: QWidget | None = None, *, lang: str = "vi") -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.lang = lang
        self.view: CounterView | None = None
        self.setObjectName("currentTicket")
        self.setStyleSheet("#currentTicket { background: white; border: 2px solid #cfd8dc; border-radius: 14px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 10)
        layout.setSpacing(4)
        self.status = QLabel(self)
        self.status.setFont(pixel_font(26, bold=True))
        self.number = QLabel(self)
        self.number.setObjectName("number")
        self.number.setFont(pixel_font(130, bold=True))
        self.service = QLabel(self)
        self.service.setFont(pixel_font(28, bold=True))
        self.service.setWordWrap(True)
        self.priority = QLabel(self)
        self.priority.setFont(pixel_font(22, bold=True))
        self.priority.setStyleSheet("color: white; background: #6a1b9a; border-radius: 8px; padding: 4px 14px;")
        self.detail = QLabel(self)
        self.detail.setFont(pixel_font(22))
        self.detail.setStyleSheet("color: #37474f;")
        self.detail.setWordWrap(True)
        for w in (self.status, self.number, self.service, self.priority, self.detail):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            if w is self.priority:  # a pill as wide as its text
                layout.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
            else:
                layout.addWidget(w)
        layout.addStretch(1)
        self.show_view(None)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.show_view(self.view)

    def show_view(self, view: CounterView | None) -> None:
        self.view = view
        lang = self.lang
        current = view.current if view else None
        paused = view is not None and view.counter.state == CounterState.PAUSED
        if current is None:
            key = "status_paused" if paused else "status_none"
            self._status(t(key, lang), CounterState.PAUSED if paused else None)
            self.number.setText("—")
            self.number.setStyleSheet("color: #b0bec5;")
            self.service.setText("")
            self.priority.hide()
            self.detail.setText(t("paused_hint" if paused else "press_next", lang) if view else "")
            return
        self._status(t(f"status_{current.status}", lang), current.status)
        self.number.setText(current.number)
        self.number.setStyleSheet(f"color: {STATUS_COLOUR.get(current.status, '#263238')};")
        self.service.setText(current.service_name(lang))
        if current.priority:
            try:
                group = self.cfg.priority_group(current.priority).name(lang)
            except LobbyError:  # a group removed from the config still shows its code
                group = current.priority
            self.priority.setText(f"{t('priority', lang)}: {group}")
            self.priority.show()
        else:
            self.priority.hide()
        parts = [t("waited", lang, span=minutes_text(waited(current), lang))]
        if current.call_count > 1:
            parts.append(t("called_times", lang, n=current.call_count))
        self.detail.setText(" · ".join(parts))

    def _status(self, text: str, status: str | None) -> None:
        self.status.setText(text.upper())
        # room above the capitals: stacked Vietnamese marks (Ầ, Ố, Ỉ) rise above the font's ascent
        self.status.setStyleSheet(f"color: {STATUS_COLOUR.get(status, '#546e7a')}; padding-top: 8px;")
