"""A label whose text grows to fill its box: the large numbers of the board."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from lobby_qt.fonts import pixel_font


class FitLabel(QWidget):
    """Paints one line of text as large as fits ``width × height_share`` of the widget.

    ``max_px`` caps the size so short texts in wide boxes stay in proportion.
    """

    def __init__(
        self,
        text: str = "",
        *,
        bold: bool = True,
        color: str = "#ffffff",
        height_share: float = 0.9,
        max_px: int = 2000,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._text = text
        self._bold = bold
        self._color = QColor(color)
        self._share = height_share
        self._max_px = max_px
        self._align = align
        self._font: QFont | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        if text != self._text:
            self._text = text
            self._font = None
            self.update()

    def setColor(self, color: str) -> None:  # noqa: N802 - Qt naming
        if QColor(color) != self._color:
            self._color = QColor(color)
            self.update()

    def pixel_size(self) -> int:
        return self._fitted().pixelSize()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(100, 40)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(10, 10)

    def _fitted(self) -> QFont:
        if self._font is not None:
            return self._font
        box_w = max(1, self.width() - 8)
        box_h = max(1, int(self.height() * self._share))
        size = min(self._max_px, box_h)
        font = pixel_font(size, bold=self._bold)
        if self._text:
            # cap height of digits and capitals is about 0.73 em in DejaVu Sans
            width = QFontMetrics(font).horizontalAdvance(self._text)
            if width > box_w:
                size = max(6, int(size * box_w / width))
                font = pixel_font(size, bold=self._bold)
        self._font = font
        return font

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt naming
        self._font = None
        super().resizeEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt naming
        if not self._text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(self._fitted())
        painter.setPen(self._color)
        flags = int(self._align | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(QRect(0, 0, self.width(), self.height()), flags, self._text)
        painter.end()
