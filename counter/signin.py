"""The sign-in screen: username, PIN and the counter (fixed by the machine or chosen)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.texts import t
from lobby.config import CentreConfig
from lobby.i18n import other_lang
from lobby.staffing.staff import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from lobby_qt.fonts import pixel_font


class SignInScreen(QWidget):
    """Emits ``submitted(counter, username, pin)``; the controller answers through ``show_error``."""

    submitted = Signal(int, str, str)
    lang_toggled = Signal()

    def __init__(self, cfg: CentreConfig, *, fixed_counter: int | None = None, lang: str = "vi",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.lang = lang
        self.fixed_counter = fixed_counter
        self.info_text: Callable[[str], str] | None = None
        self.setObjectName("signIn")
        self.setStyleSheet("#signIn { background: #eceff1; }")
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.centre = QLabel(self)
        self.centre.setFont(pixel_font(20, bold=True))
        self.centre.setStyleSheet("color: #37474f;")
        top.addWidget(self.centre, 1)
        self.lang_button = QPushButton(self)
        self.lang_button.setObjectName("langButton")
        self.lang_button.setFont(pixel_font(18))
        self.lang_button.setMinimumHeight(44)
        self.lang_button.clicked.connect(self.lang_toggled.emit)
        top.addWidget(self.lang_button)
        outer.addLayout(top)
        outer.addStretch(1)

        card = QFrame(self)
        card.setObjectName("card")
        card.setStyleSheet("#card { background: white; border-radius: 16px; border: 1px solid #cfd8dc; }")
        card.setFixedWidth(680)
        form_box = QVBoxLayout(card)
        form_box.setContentsMargins(36, 28, 36, 28)
        form_box.setSpacing(14)
        self.title = QLabel(card)
        self.title.setFont(pixel_font(36, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        form_box.addWidget(self.title)
        form = QFormLayout()
        form.setVerticalSpacing(14)
        self.counter_label = QLabel(card)
        self.counter_box = QComboBox(card)
        self.counter_box.setObjectName("counterBox")
        for c in cfg.counters:
            self.counter_box.addItem(c.label(self.lang), c.number)
        counter_field: QWidget = self.counter_box
        self.fixed_label: QLabel | None = None
        if fixed_counter is not None:  # this machine's counter: shown, not chosen
            self.counter_box.setCurrentIndex(self.counter_box.findData(fixed_counter))
            self.counter_box.setEnabled(False)
            self.counter_box.hide()
            fixed = QLabel(self.counter_box.currentText(), card)
            self.fixed_label = fixed
            fixed.setObjectName("fixedCounter")
            fixed.setWordWrap(True)
            fixed.setStyleSheet("color: #0d47a1; font-weight: bold;")
            counter_field = fixed
        self.user_label = QLabel(card)
        self.username = QLineEdit(card)
        self.username.setObjectName("username")
        self.username.setMaxLength(64)
        self.pin_label = QLabel(card)
        self.pin = QLineEdit(card)
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(PIN_MAX_DIGITS)
        self.pin.setValidator(QRegularExpressionValidator(f"[0-9]{{0,{PIN_MAX_DIGITS}}}", self.pin))
        for label, field in ((self.counter_label, counter_field), (self.user_label, self.username),
                             (self.pin_label, self.pin)):
            label.setFont(pixel_font(22))
            field.setFont(pixel_font(24 if field is counter_field else 26))
            field.setMinimumHeight(56)
            form.addRow(label, field)
        form_box.addLayout(form)
        self.button = QPushButton(card)
        self.button.setObjectName("signInButton")
        self.button.setFont(pixel_font(28, bold=True))
        self.button.setMinimumHeight(76)
        self.button.setStyleSheet(
            "QPushButton { color: white; background: #1b5e20; border-radius: 10px; }"
            "QPushButton:disabled { background: #90a4ae; }")
        self.button.clicked.connect(self._submit)
        form_box.addWidget(self.button)
        self.error = QLabel(card)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setFont(pixel_font(20, bold=True))
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        form_box.addWidget(self.error)
        self.info = QLabel(card)
        self.info.setObjectName("info")
        self.info.setWordWrap(True)
        self.info.setFont(pixel_font(18))
        self.info.setStyleSheet("color: #37474f;")
        self.info.hide()
        form_box.addWidget(self.info)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.username.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self._submit)
        self.retranslate(lang)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.centre.setText(self.cfg.centre.title(lang))
        self.lang_button.setText(t("lang_switch", lang))
        self.lang_button.setToolTip(other_lang(lang))
        self.title.setText(t("signin_title", lang))
        self.counter_label.setText(t("counter_fixed" if self.fixed_counter else "counter", lang))
        for i, c in enumerate(self.cfg.counters):
            self.counter_box.setItemText(i, c.label(lang))
        if self.fixed_label is not None:
            self.fixed_label.setText(self.counter_box.currentText())
        self.user_label.setText(t("username", lang))
        self.pin_label.setText(t("pin", lang))
        self.button.setText(t("sign_in", lang))
        if self.info_text is not None:
            self.info.setText(self.info_text(lang))

    def counter(self) -> int:
        return int(self.counter_box.currentData())

    def _submit(self) -> None:
        if not self.button.isEnabled():
            return
        username = self.username.text().strip()
        pin = self.pin.text()
        if not username:
            self.show_error(t("need_username", self.lang))
            self.username.setFocus()
            return
        if len(pin) < PIN_MIN_DIGITS:
            self.show_error(t("need_pin", self.lang))
            self.pin.setFocus()
            return
        self.set_busy(True)
        self.submitted.emit(self.counter(), username, pin)

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText(t("signing_in" if busy else "sign_in", self.lang))
        if busy:
            self.error.hide()

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.show()
        self.pin.clear()
        self.pin.setFocus()

    def show_info(self, text: Callable[[str], str] | None) -> None:
        """A note above the form (why the official was signed out), kept across a language switch."""
        self.info_text = text
        self.info.setText(text(self.lang) if text else "")
        self.info.setVisible(text is not None)

    def reset(self) -> None:
        """Back to an empty form (after a sign-out); the username stays for convenience."""
        self.set_busy(False)
        self.pin.clear()
        self.error.hide()
        (self.pin if self.username.text() else self.username).setFocus()
