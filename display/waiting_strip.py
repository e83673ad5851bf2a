"""The waiting strip under the board: "Đang chờ", then per service its letter, count and whole name.

Made to be read across the hall: the letter and the count are as large as the recent calls'
counter numbers; a name is never cut ("Lao động – Thươn…") but broken between words
(``lobby.line_breaks``) into at most two lines, shrunk only if it must. When the services do not
fit in one row, the strip pages through them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from display import theme
from display.texts import t
from lobby.i18n import nfc, other_lang, pick
from lobby_qt.fonts import fit_words, pixel_font

PAGE_MS = 7000  # how long each page of services stays
HEAD_PX = 48  # the letter and the count (× scale): the size of the recent calls' counter numbers
NAME_PX = 30  # the service name (× scale), shrunk down to NAME_MIN_PX when a name needs it
NAME_MIN_PX = 20


class WaitingCell(QWidget):
    """One service: "A  12" large, its name below in whole words."""

    def __init__(self, scale: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = scale
        self.full_name = ""
        self.head = QLabel()
        self.head.setTextFormat(Qt.TextFormat.RichText)
        self.head.setFont(pixel_font(int(HEAD_PX * scale), bold=True))
        self.name = QLabel()
        self.name.setStyleSheet(f"color: {theme.TEXT};")
        for label in (self.head, self.name):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setMinimumWidth(10)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.head)
        box.addWidget(self.name)
        box.addStretch(1)
        self.head.setStyleSheet(f"color: {theme.TEXT};")

    def set_service(self, prefix: str, name: str, count: int) -> None:
        self.head.setText(f"<span style='color:{theme.ACCENT}'>{prefix}</span>&nbsp;&nbsp;{count}")
        self.full_name = nfc(name)
        self.setToolTip(self.full_name)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        px, lines = fit_words(self.full_name, self.width() - 2, int(NAME_PX * self.scale),
                              int(NAME_MIN_PX * self.scale), max_lines=2)
        self.name.setFont(pixel_font(px, bold=True))
        self.name.setText("\n".join(lines) if lines else self.full_name)


class WaitingStrip(QWidget):
    """"Đang chờ · Waiting" and one cell per service, ``columns`` at a time (paging when there are more)."""

    def __init__(self, *, lang: str = "vi", columns: int = 5, scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.columns = columns
        self.scale = scale
        self.page = 0
        self.rows: list[tuple[str, str, str, int]] = []
        self.setObjectName("waiting")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(f"#waiting {{ background: {theme.PANEL}; }}")
        self.title = QLabel()
        self.title.setFont(pixel_font(int(36 * scale), bold=True))
        self.title.setStyleSheet(f"color: {theme.ACCENT};")
        self.title_second = QLabel()
        self.title_second.setFont(pixel_font(int(22 * scale)))
        self.title_second.setStyleSheet(f"color: {theme.MUTED};")
        self.page_label = QLabel()
        self.page_label.setFont(pixel_font(int(22 * scale)))
        self.page_label.setStyleSheet(f"color: {theme.MUTED};")
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.title_second)
        titles.addWidget(self.page_label)
        titles.addStretch(1)
        self.cells = [WaitingCell(scale, self) for _ in range(columns)]
        row = QHBoxLayout(self)
        row.setContentsMargins(int(24 * scale), int(8 * scale), int(24 * scale), int(8 * scale))
        row.setSpacing(int(28 * scale))
        row.addLayout(titles)
        for cell in self.cells:
            row.addWidget(cell, 1)
        self._pager = QTimer(self)
        self._pager.setInterval(PAGE_MS)
        self._pager.timeout.connect(lambda: self.show_page(self.page + 1))
        self.set_lang(lang)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // self.columns))

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.title.setText(t("waiting", lang).upper())
        self.title_second.setText(t("waiting", other_lang(lang)))
        self.show_page(self.page)

    def set_counts(self, rows: list[tuple[str, str, str, int]]) -> None:
        """``rows``: (prefix, name_vi, name_en, waiting) per service."""
        self.rows = list(rows)
        if self.pages > 1 and not self._pager.isActive():
            self._pager.start()
        elif self.pages == 1:
            self._pager.stop()
        self.show_page(self.page)

    def show_page(self, page: int) -> None:
        self.page = page % self.pages
        shown = self.rows[self.page * self.columns:(self.page + 1) * self.columns]
        for i, cell in enumerate(self.cells):
            if i < len(shown):
                prefix, vi, en, count = shown[i]
                cell.set_service(prefix, pick(self.lang, vi, en), count)
                cell.show()
            else:
                cell.hide()
        self.page_label.setText(f"{self.page + 1}/{self.pages}" if self.pages > 1 else "")

    def pause(self) -> None:
        """Stay on the current page (screenshots)."""
        self._pager.stop()
