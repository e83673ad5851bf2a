"""The hallway board window: a passive screen with a few verbs.

``BoardWindow`` shows what it is told: ``refresh()`` redraws from the
:class:`display.model.BoardModel`, ``announce(number, counter)`` puts a call in the
big panel and blinks it, ``set_connection_lost(detail)`` / ``set_connection_ok()``
toggle the discreet mark.  Deciding what to show is the job of :mod:`display.app`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from display import theme
from display.calls import CallList
from display.current import CurrentCall
from display.footer import Ticker
from display.header import Header
from display.model import BoardModel
from display.waiting_strip import WaitingStrip
from lobby.config import CentreConfig
from lobby.i18n import other_lang, pick

LANDSCAPE = QSize(1920, 1080)
PORTRAIT = QSize(1080, 1920)


def ticker_text(cfg: CentreConfig, lang: str) -> str:
    """The ticker in the board's language first, then the other (either may be unset in the config)."""
    d = cfg.display
    first, second = pick(lang, d.ticker, d.ticker_en), pick(other_lang(lang), d.ticker, d.ticker_en)
    return "      •      ".join(x for x in (first, second) if x)


class BoardWindow(QWidget):
    """The board, landscape (1920×1080) or portrait (1080×1920)."""

    refreshed = Signal()  # after the rows were redrawn from the model

    def __init__(
        self,
        cfg: CentreConfig,
        model: BoardModel,
        *,
        portrait: bool = False,
        lang: str = "vi",
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.model = model
        self.portrait = portrait
        self.lang = lang
        self.highlight_s = float(cfg.display.highlight_s)
        self._lit_until: dict[int, float] = {}
        self.setWindowTitle(f"{cfg.centre.name} – Màn hình gọi số")
        self.setObjectName("board")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(f"#board {{ background: {theme.BACKGROUND}; }}")
        self.resize(PORTRAIT if portrait else LANDSCAPE)

        scale = 1.0
        c = cfg.centre
        first_name, second_name = pick(lang, c.name, c.name_en), pick(other_lang(lang), c.name, c.name_en)
        self.header = Header(first_name or cfg.centre.name, second_name or "", cfg.tz, lang=lang, scale=scale,
                             clock=clock)
        self.current = CurrentCall(lang=lang, highlight_s=self.highlight_s, scale=1.15 if portrait else 1.0)
        self.calls = CallList(lang=lang, rows_per_column=6 if portrait else 8, columns=2, scale=scale)
        self.waiting = WaitingStrip(lang=lang, columns=2 if portrait else 5, scale=scale)
        self.waiting.setVisible(cfg.display.show_waiting)
        self.ticker = Ticker(ticker_text(cfg, lang), scale=scale)

        body = QBoxLayout(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        body.setContentsMargins(28, 24, 28, 20)
        body.setSpacing(28)
        body.addWidget(self.current, 52 if portrait else 60)
        body.addWidget(self.calls, 48 if portrait else 40)

        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self.header)
        page.addLayout(body, 1)
        page.addWidget(self.waiting)
        page.addWidget(self.ticker)

        self._unlight = QTimer(self)
        self._unlight.setSingleShot(True)
        self._unlight.timeout.connect(self.refresh)
        self.refresh()

    # --- verbs ---------------------------------------------------------------------

    def light(self, counters: set[int]) -> None:
        """Highlight the rows of ``counters`` for ``highlight_s`` seconds."""
        until = time.monotonic() + self.highlight_s
        for c in counters:
            self._lit_until[c] = until

    def refresh(self) -> None:
        """Redraw rows, waiting counts and the calm big panel from the model."""
        now = time.monotonic()
        self._lit_until = {c: t for c, t in self._lit_until.items() if t > now}
        self.calls.set_rows(self.model.recent(), set(self._lit_until))
        if self.cfg.display.show_waiting:
            self.waiting.set_counts(self.model.waiting_rows())
        latest = self.model.latest()
        self.current.show_last(latest.number if latest else None, latest.counter if latest else None)
        if self._lit_until:
            self._unlight.start(max(50, int((min(self._lit_until.values()) - now) * 1000) + 20))
        self.refreshed.emit()

    def announce(self, number: str, counter: int) -> None:
        """Put ``number`` → ``counter`` in the big panel and blink it."""
        self.current.announce(number, counter)

    def set_connection_lost(self, detail: str = "") -> None:
        self.header.banner.show_lost(detail)
        self.current.set_stale(True)

    def set_connection_ok(self) -> None:
        self.header.banner.show_restored()
        self.current.set_stale(False)

    @property
    def connection_lost(self) -> bool:
        return self.header.banner.lost

    def freeze_animations(self) -> None:
        """Stop the ticker and the clock (screenshots)."""
        self.ticker.pause()
        self.header._timer.stop()
