"""The hidden way into guard mode: hold a finger on the centre's name for a few seconds.

Citizens tap; nobody holds the title for three seconds by chance. The guard knows.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

HOLD_MS = 3000


class HoldLabel(QLabel):
    """A label that emits ``held`` when pressed and kept pressed for ``hold_ms``."""

    held = Signal()

    def __init__(self, text: str = "", parent: QWidget | None = None, *, hold_ms: int = HOLD_MS) -> None:
        super().__init__(text, parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self.held)

    def set_hold_ms(self, hold_ms: int) -> None:
        self._timer.setInterval(hold_ms)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt name
        self._timer.start()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt name
        self._timer.stop()
        super().mouseReleaseEvent(event)
