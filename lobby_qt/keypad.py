"""An on-screen numeric keypad for PINs (masked) or numbers (shown), for touchscreens.

Big keys 1–9, 0, "Xóa" (clear) and "⌫" (back); "Hủy" (cancel) and "Đồng ý" (OK).
A physical keyboard works too (digits, Backspace, Enter, Escape). The keypad does no
checking of its own: connect ``accepted(str)`` to whatever verifies the entry (off
the GUI thread), call ``set_busy(True)`` meanwhile, then ``show_error(message)`` or
``clear()``::

    pad = Keypad(lang="vi", title="Nhập mã PIN của bảo vệ")
    pad.accepted.connect(lambda pin: runner.run(lambda: verify(pin), ok, failed))
    pad.cancelled.connect(go_home)
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from lobby.staffing.staff import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from lobby_qt.fonts import pixel_font
from lobby_qt.texts import t


class Keypad(QWidget):
    """A numeric entry with big keys. ``masked`` shows dots instead of the digits (for PINs)."""

    accepted = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        lang: str = "vi",
        title: str = "",
        masked: bool = True,
        min_len: int = PIN_MIN_DIGITS,
        max_len: int = PIN_MAX_DIGITS,
        key_px: int = 96,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("keypad")
        self.lang = lang
        self.masked = masked
        self.min_len = min_len
        self.max_len = max_len
        self._value = ""
        self._busy = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.title = QLabel(title)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.entry = QLabel()
        self.entry.setObjectName("keypadEntry")
        self.entry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setObjectName("keypadMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)

        self.digit_keys: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(max(6, key_px // 8))
        for i, digit in enumerate("123456789"):
            grid.addWidget(self._key(digit, lambda _=False, d=digit: self.press(d)), i // 3, i % 3)
        self.clear_key = self._key("", self.clear)
        self.back_key = self._key("", self.backspace)
        grid.addWidget(self.clear_key, 3, 0)
        grid.addWidget(self._key("0", lambda _=False: self.press("0")), 3, 1)
        grid.addWidget(self.back_key, 3, 2)
        self.cancel_key = self._key("", self._cancel)
        self.cancel_key.setObjectName("keypadCancel")
        self.ok_key = self._key("", self._ok)
        self.ok_key.setObjectName("keypadOk")
        actions = QHBoxLayout()
        actions.setSpacing(grid.spacing())
        actions.addWidget(self.cancel_key)
        actions.addWidget(self.ok_key)

        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.grid = grid
        keys = QWidget()
        self.keys = keys
        keys_layout = QVBoxLayout(keys)
        keys_layout.setContentsMargins(0, 0, 0, 0)
        keys_layout.addWidget(self.entry)
        keys_layout.addWidget(self.message)
        keys_layout.addLayout(grid)
        keys_layout.addSpacing(grid.spacing())
        keys_layout.addLayout(actions)

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(keys, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.set_key_size(key_px)
        self.set_lang(lang)
        self._refresh()

    # --- building ------------------------------------------------------------------

    def _key(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(slot)
        if text.isdigit():
            self.digit_keys[text] = button
        return button

    def set_key_size(self, key_px: int) -> None:
        """Resize keys and text (the window calls it when the orientation changes)."""
        self.key_px = key_px
        for button in self.findChildren(QPushButton):
            button.setMinimumSize(int(key_px * 1.5), key_px)
            button.setFont(pixel_font(int(key_px * 0.42), bold=True))
        self.grid.setSpacing(max(6, key_px // 8))
        self.keys.setFixedWidth(int(key_px * 1.5) * 3 + 2 * self.grid.spacing())
        self.title.setFont(pixel_font(int(key_px * 0.45), bold=True))
        self.title.setContentsMargins(0, key_px // 8, 0, 0)  # room for stacked marks on capitals (Ố, Ủ)
        self.entry.setFont(pixel_font(int(key_px * 0.6), bold=True))
        self.entry.setMinimumHeight(int(key_px * 1.1))
        self.message.setFont(pixel_font(int(key_px * 0.32)))
        self.message.setMinimumHeight(int(key_px * 0.9))
        self.setStyleSheet(
            "#keypad QPushButton { background: #ffffff; color: #1a1a1a; border: 2px solid #9aa5b1;"
            f" border-radius: {key_px // 6}px; }}"
            "#keypad QPushButton:pressed { background: #dbe7f3; }"
            "#keypad QPushButton:disabled { color: #9aa5b1; }"
            "#keypad #keypadOk { background: #0b6e3d; color: white; border-color: #0b6e3d; }"
            "#keypad #keypadOk:disabled { background: #8fb7a1; border-color: #8fb7a1; }"
            "#keypad #keypadCancel { background: #eef1f4; }"
            f"#keypadEntry {{ background: #ffffff; border: 2px solid #56606b; border-radius: {key_px // 6}px;"
            " color: #1a1a1a; letter-spacing: 4px; }"
        )

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.clear_key.setText(t("keypad.clear", lang))
        self.back_key.setText(t("keypad.back", lang))
        self.cancel_key.setText(t("keypad.cancel", lang))
        self.ok_key.setText(t("keypad.ok", lang))

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    # --- state ---------------------------------------------------------------------

    def value(self) -> str:
        return self._value

    def press(self, digit: str) -> None:
        if self._busy or len(self._value) >= self.max_len:
            return
        self._value += digit
        self.message.setText("")
        self._refresh()

    def backspace(self) -> None:
        if not self._busy:
            self._value = self._value[:-1]
            self._refresh()

    def clear(self) -> None:
        """Empty the entry and the message (also after a verified entry)."""
        self._value = ""
        self._busy = False
        self.message.setText("")
        self._refresh()

    def reset(self, title: str | None = None) -> None:
        if title is not None:
            self.set_title(title)
        self.clear()

    def set_busy(self, busy: bool) -> None:
        """While the entry is being checked: keys off, "Đang kiểm tra…" shown."""
        self._busy = busy
        if busy:
            self._show(t("keypad.busy", self.lang), error=False)
        self._refresh()

    def show_error(self, text: str) -> None:
        """Say what was wrong (e.g. "Mã PIN không đúng…"); the entry is emptied for a new try."""
        self._value = ""
        self._busy = False
        self._refresh()
        self._show(text, error=True)

    def message_text(self) -> str:
        return self.message.text()

    def _show(self, text: str, *, error: bool) -> None:
        colour = "#b3261e" if error else "#37474f"
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setText(text)

    def _refresh(self) -> None:
        if self.masked:
            shown = " ".join("●" for _ in self._value)
        else:
            shown = self._value
        self.entry.setText(shown or " ")
        for button in self.findChildren(QPushButton):
            button.setEnabled(not self._busy or button is self.cancel_key)
        self.ok_key.setEnabled(not self._busy and len(self._value) >= 1)

    # --- actions -------------------------------------------------------------------

    def _ok(self) -> None:
        if self._busy or not self._value:
            return
        if len(self._value) < self.min_len:
            self._show(t("keypad.too_short", self.lang, n=self.min_len), error=True)
            return
        self.accepted.emit(self._value)

    def _cancel(self) -> None:
        self.clear()
        self.cancelled.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        key = event.key()
        if event.text().isdigit() and len(event.text()) == 1:
            self.press(event.text())
        elif key == Qt.Key.Key_Backspace:
            self.backspace()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._ok()
        elif key == Qt.Key.Key_Escape:
            self._cancel()
        else:
            super().keyPressEvent(event)
