"""The action bar: one large button per action, its keyboard shortcut written on it.

Buttons take no keyboard focus (a Space must never press whichever button has
focus); keys reach the actions only through the shortcuts, which are window-wide.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counter.texts import t
from lobby.staffing.desk import ACTIONS
from lobby_qt.fonts import pixel_font

# action → the keys that trigger it (the first ones are written on the button)
SHORTCUTS: dict[str, tuple[str, ...]] = {
    "next": ("Space", "Return", "Enter"),
    "recall": ("F2",),
    "serve": ("F3",),
    "finish": ("F4",),
    "no_show": ("F5",),
    "transfer": ("F6",),
    "park": ("F7",),
    "resume": ("F8",),
    "call_number": ("F9",),
    "pause": ("F12",),
}
KEY_LABEL = {"Space": "Space", "Return": "Enter"}

COLOURS = {
    "next": ("#1b5e20", "#2e7d32"),
    "finish": ("#0d47a1", "#1565c0"),
    "no_show": ("#8d3a00", "#a84600"),
    "pause": ("#5d4037", "#6d4c41"),
}
DEFAULT_COLOUR = ("#263238", "#37474f")


def shortcut_label(action: str) -> str:
    keys = SHORTCUTS[action]
    shown = [KEY_LABEL.get(k, k) for k in keys if k != "Enter"]
    return " / ".join(shown)


class ActionButton(QPushButton):
    """A large button: the action's name, and under it the key that does the same."""

    def __init__(self, action: str, parent: QWidget | None = None, *, big: bool = False) -> None:
        super().__init__(parent)
        self.action = action
        self.setObjectName(f"action_{action}")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(88 if big else 64)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        self.name = QLabel(self)
        self.name.setFont(pixel_font(32 if big else 21, bold=True))
        self.key = QLabel(shortcut_label(action), self)
        self.key.setObjectName("shortcut")
        self.key.setFont(pixel_font(15, bold=True))
        for label in (self.name, self.key):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.set_prominent(big)

    def set_prominent(self, on: bool) -> None:
        """The action the official most likely wants now: larger text and a bright frame."""
        self.prominent = on
        self.setMinimumHeight(88 if on else 64)
        self.name.setFont(pixel_font(32 if on else 21, bold=True))
        base, hover = COLOURS.get(self.action, DEFAULT_COLOUR)
        frame = "4px solid #ffd54f" if on else "none"
        self.setStyleSheet(
            f"ActionButton {{ background: {base}; border-radius: 10px; border: {frame}; }}"
            f"ActionButton:hover {{ background: {hover}; }}"
            "ActionButton:disabled { background: #cfd8dc; }"
            "QLabel { color: white; background: transparent; }"
            "QLabel:disabled { color: #78909c; }"
            "QLabel#shortcut { color: #e0f2f1; border: 1px solid rgba(255,255,255,0.6); border-radius: 5px;"
            " padding: 1px 10px; }"
            "QLabel#shortcut:disabled { color: #90a4ae; border-color: #b0bec5; }"
        )

    def set_name(self, text: str) -> None:
        self.name.setText(text)
        self.setAccessibleName(f"{text} ({self.key.text()})")
        self.setToolTip(f"{text} — {self.key.text()}")


class ActionBar(QWidget):
    """The action buttons and their shortcuts; emits ``triggered(action)`` for enabled actions only."""

    triggered = Signal(str)

    def __init__(self, shortcut_parent: QWidget, parent: QWidget | None = None, *, lang: str = "vi") -> None:
        super().__init__(parent)
        self.lang = lang
        self.paused = False
        self.buttons: dict[str, ActionButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        nxt = ActionButton("next", self, big=True)
        self.buttons["next"] = nxt
        grid.addWidget(nxt, 0, 0, 1, 3)
        others = [a for a in ACTIONS if a != "next"]
        for i, action in enumerate(others):
            button = ActionButton(action, self)
            self.buttons[action] = button
            grid.addWidget(button, 1 + i // 3, i % 3)
        for button in self.buttons.values():
            button.clicked.connect(lambda _checked=False, a=button.action: self._fire(a))
        self.shortcuts: list[QShortcut] = []
        for action, keys in SHORTCUTS.items():
            for key in keys:
                sc = QShortcut(QKeySequence(key), shortcut_parent)
                sc.setContext(Qt.ShortcutContext.WindowShortcut)
                sc.setAutoRepeat(False)  # holding a key down must not call ten citizens
                sc.activated.connect(lambda a=action: self._fire(a))
                self.shortcuts.append(sc)
        self.set_enabled(frozenset())
        self.retranslate(lang)

    def _fire(self, action: str) -> None:
        button = self.buttons[action]
        if button.isEnabled() and self.isVisible():
            self.triggered.emit(action)

    def set_enabled(self, enabled: frozenset[str]) -> None:
        for action, button in self.buttons.items():
            button.setEnabled(action in enabled)
        # serving (finish allowed, serve no longer): "Kết thúc" leads, "Gọi số tiếp" steps back
        lead = "finish" if "finish" in enabled and "serve" not in enabled else "next"
        for action, button in self.buttons.items():
            if button.prominent != (action == lead):
                button.set_prominent(action == lead)

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        self.retranslate(self.lang)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        for action, button in self.buttons.items():
            key = "act_unpause" if action == "pause" and self.paused else f"act_{action}"
            button.set_name(t(key, lang))
