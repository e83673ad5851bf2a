"""Full-screen pages around the shared keypad: a staff PIN, or a number to reprint."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk import style as st
from kiosk.style import Style
from lobby.config import ServiceConfig
from lobby.staffing.staff import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from lobby_qt.fonts import pixel_font
from lobby_qt.keypad import Keypad


def _page_style(style: Style, name: str) -> str:
    r = style.px(18)
    return (
        f"#{name} {{ background: {st.PAPER}; }}"
        f"#{name} QLabel {{ color: {st.INK}; }}"
        f"#{name} #prefixButton {{ background: {st.WHITE}; color: {st.INK}; border: 2px solid #9aa5b1;"
        f" border-radius: {r}px; }}"
        f"#{name} #prefixButton:checked {{ background: {st.BLUE}; color: white; border-color: {st.BLUE}; }}"
    )


class PinScreen(QWidget):
    """A masked keypad with a title (what the PIN is for is the controller's business)."""

    def __init__(self, style: Style, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.keypad = Keypad(masked=True, min_len=PIN_MIN_DIGITS, max_len=PIN_MAX_DIGITS, key_px=style.key_px)
        layout = QVBoxLayout(self)
        layout.addWidget(self.keypad)
        self.apply_style(style)

    def apply_style(self, style: Style) -> None:
        self.keypad.set_key_size(style.key_px)
        self.setStyleSheet(_page_style(style, "pinScreen"))

    def ask(self, title: str, lang: str) -> None:
        self.keypad.set_lang(lang)
        self.keypad.reset(title)
        self.keypad.setFocus()


class ReprintScreen(QWidget):
    """The service letter (one toggle per prefix) and the digits; emits ``entered(prefix, digits)``."""

    entered = Signal(str, str)
    cancelled = Signal()

    def __init__(self, services: list[ServiceConfig], style: Style, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reprintScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.prefixes = QButtonGroup(self)
        self.prefixes.setExclusive(True)
        row = QHBoxLayout()
        self.prefix_buttons: dict[str, QPushButton] = {}
        for service in services:
            button = QPushButton(service.prefix)
            button.setObjectName("prefixButton")
            button.setCheckable(True)
            self.prefixes.addButton(button)
            self.prefix_buttons[service.prefix] = button
            row.addWidget(button)
        if services:
            self.prefix_buttons[services[0].prefix].setChecked(True)
        self.keypad = Keypad(masked=False, min_len=1, max_len=4, key_px=style.key_px)
        self.keypad.accepted.connect(lambda digits: self.entered.emit(self.prefix(), digits))
        self.keypad.cancelled.connect(self.cancelled)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.keypad, 1)
        self.row = row
        self.apply_style(style)

    def prefix(self) -> str:
        checked = self.prefixes.checkedButton()
        return checked.text() if checked else ""

    def apply_style(self, style: Style) -> None:
        self.keypad.set_key_size(style.key_px)
        for button in self.prefix_buttons.values():
            button.setFont(pixel_font(style.px(40), bold=True))
            button.setMinimumHeight(style.px(90))
        self.row.setSpacing(style.px(8))
        self.setStyleSheet(_page_style(style, "reprintScreen"))

    def ask(self, title: str, lang: str) -> None:
        self.keypad.set_lang(lang)
        self.keypad.reset(title)
        self.keypad.setFocus()
