"""The call being announced, very large: the number, and the counter to go to.

Blinks (colours swap every ``theme.BLINK_MS``) for ``highlight_s`` seconds after
``announce``; afterwards it stays, calm, until the next call.  With nothing called
yet it invites citizens to take a ticket.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from display import theme
from display.fit import FitLabel
from display.texts import t
from lobby.i18n import other_lang
from lobby_qt.fonts import pixel_font

STALE_INK = "#ffab91"  # the "connection lost" caption: warm, readable on the dark panel


class CurrentCall(QWidget):
    """Big number + counter panel with a blink."""

    def __init__(self, *, lang: str = "vi", highlight_s: float = 8, scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.highlight_s = highlight_s
        self.number: str | None = None
        self.counter: int | None = None
        self.announcing = False
        self.blink_on = False
        self.stale = False  # the store does not answer: what is shown may be out of date
        self.setObjectName("current")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)

        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setFont(pixel_font(int(54 * scale), bold=True))
        self.caption_second = QLabel()
        self.caption_second.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption_second.setFont(pixel_font(int(30 * scale)))
        self.big = FitLabel(height_share=0.98)
        self.counter_label = FitLabel(height_share=0.8)
        self.counter_second = QLabel()
        self.counter_second.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.counter_second.setFont(pixel_font(int(30 * scale)))

        for label in (self.caption, self.caption_second, self.counter_second):
            label.setWordWrap(True)
            label.setMinimumWidth(10)
        box = QVBoxLayout(self)
        box.setContentsMargins(int(24 * scale), int(20 * scale), int(24 * scale), int(24 * scale))
        box.setSpacing(0)
        box.addWidget(self.caption)
        box.addWidget(self.caption_second)
        box.addWidget(self.big, 62)
        box.addWidget(self.counter_label, 20)
        box.addWidget(self.counter_second)

        self._blink = QTimer(self)
        self._blink.setInterval(theme.BLINK_MS)
        self._blink.timeout.connect(self._toggle)
        self._calm = QTimer(self)
        self._calm.setSingleShot(True)
        self._calm.timeout.connect(self.stop_highlight)
        self._paint()

    def announce(self, number: str, counter: int) -> None:
        """Show ``number`` → ``counter`` and blink it for ``highlight_s`` seconds."""
        self.number, self.counter = number, counter
        self.announcing = True
        self.blink_on = True
        self._blink.start()
        self._calm.start(int(self.highlight_s * 1000))
        self._paint()

    def show_last(self, number: str | None, counter: int | None) -> None:
        """Show the last call calmly (start-up, or a call that is shown but not spoken)."""
        if self.announcing:
            return
        self.number, self.counter = number, counter
        self._paint()

    def set_stale(self, stale: bool) -> None:
        """Lost connection: the panel itself says so, its number greyed; back to normal when it returns."""
        self.stale = stale
        self._paint()

    def stop_highlight(self) -> None:
        self.announcing = False
        self.blink_on = False
        self._blink.stop()
        self._calm.stop()
        self._paint()

    def _toggle(self) -> None:
        self.blink_on = not self.blink_on
        self._paint()

    def _paint(self) -> None:
        lang = self.lang
        if self.number is None or self.counter is None:
            self.caption.setText(t("welcome", lang))
            self.caption_second.setText(t("welcome", other_lang(lang)))
            self.big.setText("")
            self.counter_label.setText(t("no_calls", lang))
            self.counter_second.setText(t("no_calls", other_lang(lang)))
        else:
            key = "now_calling" if self.announcing else "last_called"
            self.caption.setText(t(key, lang).upper())
            self.caption_second.setText(t(key, other_lang(lang)))
            self.big.setText(self.number)
            self.counter_label.setText(f"→ {t('to_counter', lang).upper()} {self.counter}")
            self.counter_second.setText(f"{t('to_counter', other_lang(lang))} {self.counter}")
        if self.stale:
            self.caption.setText(t("stale", lang))
            self.caption_second.setText(t("stale", other_lang(lang)))
        lit = self.announcing and self.blink_on and not self.stale
        bg = theme.ACCENT if lit else theme.BACKGROUND
        fg = theme.ACCENT_DARK if lit else (theme.ACCENT if self.announcing else theme.TEXT)
        sub = theme.ACCENT_DARK if lit else theme.MUTED
        border = theme.ACCENT if self.announcing else theme.PANEL_LINE
        if self.stale:
            fg, border = theme.MUTED, theme.MUTED
        self._style(self, f"#current {{ background: {bg}; border: 6px solid {border}; border-radius: 24px; }}")
        self.big.setColor(fg)
        self.counter_label.setColor(theme.MUTED if self.number is None else (theme.ACCENT_DARK if lit else theme.TEXT))
        caption = STALE_INK if self.stale else (theme.ACCENT_DARK if lit else theme.TEXT)
        self._style(self.caption, f"color: {caption}; background: transparent;")
        for label in (self.caption_second, self.counter_second):
            self._style(label, f"color: {sub}; background: transparent;")

    @staticmethod
    def _style(widget: QWidget, style: str) -> None:
        if widget.styleSheet() != style:  # restyling costs more than comparing
            widget.setStyleSheet(style)
