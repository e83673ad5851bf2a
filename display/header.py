"""The board's top bar: the centre's name, the date, a clock, and the connection mark."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from display import theme
from display.texts import long_date
from lobby.i18n import nfc
from lobby_qt.banner import ConnectionBanner
from lobby_qt.fonts import pixel_font


class Header(QWidget):
    """Centre name (both languages) on the left; date and clock on the right.

    ``clock`` returns the current aware time (tests and screenshots pass a fixed one).
    """

    def __init__(
        self,
        name: str,
        name_second: str,
        tz: ZoneInfo,
        *,
        lang: str = "vi",
        scale: float = 1.0,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tz = tz
        self.lang = lang
        self._clock = clock or (lambda: datetime.now(tz))
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(f"#header {{ background: {theme.PANEL}; border-bottom: 3px solid {theme.ACCENT}; }}")

        self.name = QLabel(nfc(name))
        self.name.setFont(pixel_font(int(40 * scale), bold=True))
        self.name.setStyleSheet(f"color: {theme.TEXT};")
        self.name.setWordWrap(True)
        self.name_second = QLabel(nfc(name_second))
        self.name_second.setFont(pixel_font(int(24 * scale)))
        self.name_second.setStyleSheet(f"color: {theme.MUTED};")
        self.name_second.setWordWrap(True)
        self.banner = ConnectionBanner(self, pixel_size=int(22 * scale), lang=lang)

        self.time = QLabel()
        self.time.setFont(pixel_font(int(64 * scale), bold=True))
        self.time.setStyleSheet(f"color: {theme.ACCENT};")
        self.time.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.date = QLabel()
        self.date.setFont(pixel_font(int(26 * scale)))
        self.date.setStyleSheet(f"color: {theme.TEXT};")
        self.date.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.name)
        names.addWidget(self.name_second)
        mark = QHBoxLayout()
        mark.addWidget(self.banner)
        mark.addStretch(1)
        names.addLayout(mark)
        right = QVBoxLayout()
        right.setSpacing(0)
        right.addWidget(self.time)
        right.addWidget(self.date)
        row = QHBoxLayout(self)
        m = int(18 * scale)
        row.setContentsMargins(int(28 * scale), m, int(28 * scale), m)
        row.addLayout(names, 1)
        row.addSpacing(int(24 * scale))
        row.addLayout(right, 0)

        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(1000)
        self.tick()

    def tick(self) -> None:
        now = self._clock().astimezone(self.tz)
        self.time.setText(f"{now:%H:%M:%S}")
        self.date.setText(long_date(now, self.lang))
