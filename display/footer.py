"""The bottom of the board: the ticker line (the waiting counts are in ``display.waiting_strip``)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from display import theme
from lobby.i18n import nfc
from lobby_qt.fonts import pixel_font


class Ticker(QWidget):
    """A line of text scrolling right to left (static when it fits)."""

    STEP_PX = 3
    FRAME_MS = 33

    def __init__(self, text: str, *, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = nfc(text)
        self._font = pixel_font(int(34 * scale), bold=True)
        self._offset = 0
        self.setFixedHeight(int(64 * scale))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._advance)
        if self._text:
            self._timer.start(self.FRAME_MS)

    def text(self) -> str:
        return self._text

    def pause(self) -> None:
        """Stop scrolling (screenshots)."""
        self._timer.stop()
        self._offset = 0
        self.update()

    def _advance(self) -> None:
        width = QFontMetrics(self._font).horizontalAdvance(self._text)
        if width + 80 <= self.width():
            self._offset = 0
            return
        self._offset = (self._offset + self.STEP_PX) % (width + self.width())
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt naming
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme.TICKER_BG))
        if self._text:
            painter.setFont(self._font)
            painter.setPen(QColor(theme.TEXT))
            width = QFontMetrics(self._font).horizontalAdvance(self._text)
            x = 40 - self._offset if width + 80 > self.width() or self._offset else 40
            if self._offset and x + width < 0:
                x += width + self.width()
            painter.drawText(QRect(x, 0, width + 10, self.height()), int(Qt.AlignmentFlag.AlignVCenter), self._text)
        painter.end()
