"""The work screen: header, the current ticket very large, the action bar, the queue panel."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counter.actions import ActionBar
from counter.controller import CounterController
from counter.dialogs import CallNumberDialog, FinishDialog, ResumeDialog, TransferDialog
from counter.queue_panel import QueuePanel
from counter.texts import t
from counter.ticket_view import CurrentTicketView
from lobby.config import CentreConfig
from lobby.queue.views import StaffInfo
from lobby.staffing.desk import CounterView
from lobby.vocabulary import CounterState
from lobby_qt.banner import ConnectionBanner
from lobby_qt.fonts import pixel_font

STATE_STYLE: dict[str, str] = {
    CounterState.OPEN: "#1b5e20", CounterState.PAUSED: "#e65100", CounterState.CLOSED: "#546e7a",
}


class WorkScreen(QWidget):
    """Draws the controller's state and turns buttons, keys and dialogs into its actions."""

    lang_toggled = Signal()

    def __init__(self, cfg: CentreConfig, controller: CounterController, *, lang: str = "vi",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.controller = controller
        self.lang = lang
        self.staff: StaffInfo | None = None
        self.dialog: QDialog | None = None
        self.message_level = ""
        self.message_text: Callable[[str], str] | None = None
        self.setObjectName("work")
        self.setStyleSheet("#work { background: #f5f7f8; }")
        root = QVBoxLayout(self)
        root.setContentsMargins(16, 10, 16, 14)
        root.setSpacing(10)

        header = QHBoxLayout()
        self.counter_label = QLabel(self)
        self.counter_label.setObjectName("counterName")
        self.counter_label.setFont(pixel_font(28, bold=True))
        header.addWidget(self.counter_label)
        self.state = QLabel(self)
        self.state.setObjectName("counterState")
        self.state.setFont(pixel_font(20, bold=True))
        header.addWidget(self.state)
        header.addStretch(1)
        self.official = QLabel(self)
        self.official.setObjectName("officialName")
        self.official.setFont(pixel_font(22))
        header.addWidget(self.official)
        self.lang_button = QPushButton(self)
        self.lang_button.setObjectName("langButton")
        self.sign_out_button = QPushButton(self)
        self.sign_out_button.setObjectName("signOutButton")
        for b in (self.lang_button, self.sign_out_button):
            b.setFont(pixel_font(18))
            b.setMinimumHeight(44)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            header.addWidget(b)
        self.lang_button.clicked.connect(self.lang_toggled.emit)
        self.sign_out_button.clicked.connect(lambda: controller.sign_out())
        root.addLayout(header)

        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setFont(pixel_font(22, bold=True))
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(40)
        notices = QHBoxLayout()
        notices.addWidget(self.message, 1)
        self.banner = ConnectionBanner(self, pixel_size=20, lang=lang)
        notices.addWidget(self.banner)
        root.addLayout(notices)

        body = QHBoxLayout()
        body.setSpacing(14)
        left = QVBoxLayout()
        left.setSpacing(12)
        self.ticket = CurrentTicketView(cfg, self, lang=lang)
        left.addWidget(self.ticket, 1)
        self.action_bar = ActionBar(self, self, lang=lang)
        self.action_bar.triggered.connect(self.trigger)
        left.addWidget(self.action_bar)
        body.addLayout(left, 3)
        self.queue = QueuePanel(cfg, self, lang=lang)
        body.addWidget(self.queue, 1)
        root.addLayout(body, 1)

        controller.view_changed.connect(self.show_view)
        controller.enabled_changed.connect(self.action_bar.set_enabled)
        controller.message.connect(self.show_message)
        controller.connection_changed.connect(self._connection)
        self.retranslate(lang)

    # ------------------------------------------------------------ drawing

    def start(self, staff: StaffInfo) -> None:
        self.staff = staff
        self.show_message("", None)
        self.show_view(None)
        self._connection(True)
        self.retranslate(self.lang)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.banner.lang = lang
        self.banner.setText(self.banner.label_text())
        self.lang_button.setText(t("lang_switch", lang))
        self.sign_out_button.setText(t("sign_out", lang))
        number = self.controller.counter
        if number is not None:
            cc = self.cfg.counter(number)
            self.counter_label.setText(cc.label(lang))
        if self.staff is not None:
            self.official.setText(f"{t('official', lang)}: {self.staff.full_name}")
        self.action_bar.retranslate(lang)
        self.ticket.retranslate(lang)
        self.queue.retranslate(lang)
        self._state(self.controller.view)
        self.show_message(self.message_level, self.message_text)

    def show_view(self, view: CounterView | None) -> None:
        self.ticket.show_view(view)
        self.queue.show_view(view)
        self.action_bar.set_paused(view is not None and view.counter.state == CounterState.PAUSED)
        self._state(view)

    def _state(self, view: CounterView | None) -> None:
        if view is None:
            self.state.hide()
            return
        state = view.counter.state
        self.state.setText(t(f"counter.{state}", self.lang))
        self.state.setStyleSheet(
            f"color: white; background: {STATE_STYLE.get(state, '#546e7a')}; border-radius: 8px; padding: 2px 12px;")
        self.state.show()

    def show_message(self, level: str, text: Callable[[str], str] | None) -> None:
        """Show an outcome or an error; ``text`` gives it in a language (kept for a language switch)."""
        self.message_level = level
        self.message_text = text
        self.message.setText(text(self.lang) if text else "")
        colour = "#b3261e" if level in ("error", "lost") else "#1b5e20"
        self.message.setStyleSheet(f"color: {colour};")

    def _connection(self, connected: bool) -> None:
        if connected:
            self.banner.show_restored()
            if self.message_level == "lost":
                self.show_message("", None)
        else:
            self.banner.show_lost()
            self.show_message("lost", lambda lang: t("lost", lang))
            self.close_dialog()

    # ------------------------------------------------------------ actions

    def trigger(self, action: str) -> None:
        """A button or a key asked for ``action`` (only enabled ones arrive here)."""
        c = self.controller
        if self.dialog is not None and self.dialog.isVisible():
            return
        current = c.view.current if c.view else None
        if action == "next":
            c.next()
        elif action == "recall":
            c.recall()
        elif action == "serve":
            c.serve()
        elif action == "no_show":
            c.no_show()
        elif action == "park":
            c.park()
        elif action == "pause":
            c.toggle_pause()
        elif action == "finish" and current is not None:
            self._open(FinishDialog(current.number, self.lang, self), c.finish)
        elif action == "transfer" and current is not None:
            self._open(TransferDialog(self.cfg, current.service, self.lang, self), c.transfer)
        elif action == "call_number":
            self._open(CallNumberDialog(self.lang, self), c.call_number)
        elif action == "resume":
            parked = c.view.parked if c.view else ()
            if len(parked) == 1:
                c.resume(parked[0].number)
            elif parked:
                choices = [(p.number, f"{p.number} · {p.service_name(self.lang)}") for p in parked]
                self._open(ResumeDialog(choices, self.lang, self), c.resume)

    def _open(self, dialog: QDialog, then: Callable[[str], object]) -> None:
        self.close_dialog()
        self.dialog = dialog
        dialog.chosen.connect(then)  # type: ignore[attr-defined]
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.window().activateWindow()  # the keys go to the work screen again

    def close_dialog(self) -> None:
        if self.dialog is not None:
            try:
                self.dialog.reject()
            except RuntimeError:  # already deleted
                pass
        self.dialog = None
