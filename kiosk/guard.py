"""Guard mode: priority tickets for any group, reprints, the printer's status, the waiting counts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk import style as st
from kiosk.style import Style, box, label_font
from kiosk.texts import t
from lobby.config import CentreConfig
from lobby.queue.offer import ServiceState
from lobby_qt.fonts import pixel_font


class GuardPanel(QWidget):
    """Passive: the controller fills it and listens to its signals."""

    issue_priority = Signal()
    reprint_last = Signal()
    reprint_number = Signal()
    check_printer = Signal()
    exit_app = Signal()
    close_panel = Signal()
    reprint_unprinted = Signal(str)  # a ticket issued here but never printed: its number

    def __init__(self, cfg: CentreConfig, style: Style, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.lang: str = cfg.kiosk.language
        self.staff_name = ""
        self.last_number: str | None = None
        self.printer_text = ""
        self.printer_ok = True
        self.setObjectName("guardPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel()
        self.printer = QLabel()
        self.printer.setObjectName("printerLine")
        self.printer.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.counts_title = QLabel()
        self.counts = QGridLayout()
        self.count_labels: dict[str, tuple[QLabel, QLabel]] = {}
        for i, sc in enumerate(cfg.services):
            name, value = QLabel(), QLabel("0")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.count_labels[sc.code] = (name, value)
            self.counts.addWidget(name, i, 0)
            self.counts.addWidget(value, i, 1)
        self.counts.setColumnStretch(0, 1)
        self.unprinted_title = QLabel()  # tickets this kiosk issued but never printed: one tap reprints each
        self.unprinted_title.setWordWrap(True)
        self.unprinted_row = QGridLayout()
        self.unprinted: dict[str, QPushButton] = {}
        self.buttons: dict[str, QPushButton] = {}
        actions = QGridLayout()
        self.action_grid = actions
        for key, signal in (
            ("priority", self.issue_priority), ("reprint_last", self.reprint_last),
            ("reprint_number", self.reprint_number), ("check_printer", self.check_printer),
            ("exit", self.exit_app), ("close", self.close_panel),
        ):
            button = QPushButton()
            button.setObjectName("guardButton" if key not in ("exit", "close") else f"guard_{key}")
            button.clicked.connect(signal)
            self.buttons[key] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.printer)
        layout.addWidget(self.message)
        layout.addWidget(self.unprinted_title)
        layout.addLayout(self.unprinted_row)
        layout.addLayout(actions)
        layout.addWidget(self.counts_title)
        layout.addLayout(self.counts)
        layout.addStretch(1)
        self.closes = QLabel()
        layout.addWidget(self.closes)
        self.apply_style(style)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        while self.action_grid.count():
            self.action_grid.takeAt(0)
        cols = 2 if style.portrait else 3
        for i, button in enumerate(self.buttons.values()):
            self.action_grid.addWidget(button, i // cols, i % cols)
            button.setFont(pixel_font(style.px(32), bold=True))
            button.setMinimumHeight(style.px(110))
        self.action_grid.setSpacing(style.px(16))
        label_font(self.title, style.px(44), bold=True)
        self.printer.setFont(pixel_font(style.px(34), bold=True))
        self.message.setFont(pixel_font(style.px(30), bold=True))
        self.counts_title.setFont(pixel_font(style.px(32), bold=True))
        for name, value in self.count_labels.values():
            name.setFont(pixel_font(style.px(28)))
            value.setFont(pixel_font(style.px(28), bold=True))
        self.closes.setFont(pixel_font(style.px(24)))
        self.unprinted_title.setFont(pixel_font(style.px(32), bold=True))
        for button in self.unprinted.values():
            button.setFont(pixel_font(style.px(32), bold=True))
            button.setMinimumHeight(style.px(96))
        m = style.px(36)
        box(self).setContentsMargins(m, m, m, m)
        box(self).setSpacing(style.px(14))
        r = style.px(18)
        self.setStyleSheet(
            "#guardPanel { background: #263238; } #guardPanel QLabel { color: #eceff1; }"
            f"#guardButton {{ background: {st.WHITE}; color: {st.INK}; border: none; border-radius: {r}px; }}"
            f"#guard_exit {{ background: #eceff1; color: {st.RED}; border: none; border-radius: {r}px; }}"
            f"#guard_close {{ background: {st.BLUE}; color: white; border: none; border-radius: {r}px; }}"
            f"#guard_unprinted {{ background: #ffcc80; color: {st.INK}; border: none; border-radius: {r}px; }}"
            "#guardPanel QLabel#unprintedTitle { color: #ffcc80; }"
        )
        self._printer_colour()

    def open_for(self, staff_name: str, lang: str) -> None:
        self.staff_name = staff_name
        self.message.setText("")
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.title.setText(t("guard_title", lang, name=self.staff_name))
        self.buttons["priority"].setText("★ " + t("guard_priority", lang))
        self.buttons["reprint_number"].setText(t("guard_reprint_number", lang))
        self.buttons["check_printer"].setText(t("guard_check_printer", lang))
        self.buttons["exit"].setText(t("guard_exit", lang))
        self.buttons["close"].setText(t("guard_close", lang))
        self.counts_title.setText(t("guard_waiting", lang))
        self.closes.setText(t("guard_closes", lang, s=self.cfg.kiosk.guard_timeout_s))
        for sc in self.cfg.services:
            self.count_labels[sc.code][0].setText(f"{sc.prefix} · {sc.name(lang)}")
        self.set_last_number(self.last_number)
        self.set_printer(self.printer_text, self.printer_ok)
        self.set_unprinted(list(self.unprinted))

    def set_last_number(self, number: str | None) -> None:
        self.last_number = number
        button = self.buttons["reprint_last"]
        button.setText(t("guard_reprint_last", self.lang, number=number) if number
                       else t("guard_reprint_last_none", self.lang))
        button.setEnabled(number is not None)

    def set_printer(self, text: str, ok: bool) -> None:
        self.printer_text = text
        self.printer_ok = ok
        self.printer.setText(t("guard_printer", self.lang, status=text))
        self._printer_colour()

    def set_unprinted(self, numbers: list[str]) -> None:
        """The tickets issued here but never printed (a kiosk stopped mid-print), one reprint button each."""
        for number in [n for n in self.unprinted if n not in numbers]:
            button = self.unprinted.pop(number)
            self.unprinted_row.removeWidget(button)
            button.deleteLater()
        cols = 2 if self.style_.portrait else 4
        for number in numbers:
            if number not in self.unprinted:
                button = QPushButton()
                button.setObjectName("guard_unprinted")
                button.clicked.connect(lambda _=False, n=number: self.reprint_unprinted.emit(n))
                button.setFont(pixel_font(self.style_.px(32), bold=True))
                button.setMinimumHeight(self.style_.px(96))
                self.unprinted[number] = button
            self.unprinted[number].setText(t("guard_reprint_one", self.lang, number=number))
        for i, number in enumerate(numbers):
            self.unprinted_row.addWidget(self.unprinted[number], i // cols, i % cols)
        self.unprinted_title.setObjectName("unprintedTitle")
        self.unprinted_title.setText(t("guard_unprinted", self.lang, n=len(numbers)) if numbers else "")
        self.unprinted_title.setVisible(bool(numbers))

    def set_counts(self, states: dict[str, ServiceState]) -> None:
        for code, state in states.items():
            if code in self.count_labels:
                self.count_labels[code][1].setText(str(state.waiting))

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {'#ff8a80' if error else '#b9f6ca'};")

    def _printer_colour(self) -> None:
        self.printer.setStyleSheet(f"color: {'#b9f6ca' if self.printer_ok else '#ffcc80'};")
