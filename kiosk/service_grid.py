"""One large button per service, in pages when they do not all fit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk import style as st
from kiosk.style import Style, box, label_font
from kiosk.texts import t
from lobby.config import ServiceConfig
from lobby.queue.offer import ServiceState
from lobby_qt.fonts import fit_words, pixel_font


class ServiceButton(QPushButton):
    """The service's Vietnamese (or English) name, large; below it the queue or why it is closed."""

    def __init__(self, service: ServiceConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.state = ServiceState(service.code, True)
        self.lang = "vi"
        self.setObjectName("serviceButton")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.name = QLabel()
        self.name.setWordWrap(False)  # lines are broken between words by _fit_name, never inside one
        self.name_px = 0
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for label in (self.name, self.detail):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.name)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def apply_style(self, style: Style) -> None:
        self.name_px = style.service_px
        label_font(self.name, style.service_px, bold=True)
        self.detail.setFont(pixel_font(style.small_px))
        box(self).setContentsMargins(style.px(16), style.px(10), style.px(16), style.px(10))
        radius = style.px(22)
        self.setStyleSheet(
            f"#serviceButton {{ background: {st.BLUE}; border: none; border-radius: {radius}px; }}"
            f"#serviceButton:pressed {{ background: {st.BLUE_DARK}; }}"
            f"#serviceButton:disabled {{ background: {st.GREY}; }}"
        )
        self._colours()

    def set_state(self, state: ServiceState, lang: str) -> None:
        self.state = state
        self.lang = lang
        self._fit_name()
        if state.enabled:
            self.detail.setText(t("waiting_n", lang, n=state.waiting))
        else:
            self.detail.setText(state.reason(lang))
        self.setEnabled(state.enabled)
        self.setAccessibleName(f"{self.service.name(lang)}. {self.detail.text()}")
        self._colours()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_name()

    def _fit_name(self) -> None:
        """The name in at most three lines broken between words (``lobby.line_breaks``), the font shrunk
        until it fits the tile's width."""
        text = self.service.name(self.lang)
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else None
        width = self.width() - (margins.left() + margins.right() if margins else 0) - 4
        px, lines = fit_words(text, width, self.name_px or self.name.font().pixelSize(),
                              max(8, self.name_px * 6 // 10))
        if lines is not None and px != self.name.font().pixelSize():
            label_font(self.name, px, bold=True)
        self.name.setText("\n".join(lines) if lines else text)

    def _colours(self) -> None:
        ink = st.WHITE if self.state.enabled else st.INK
        sub = "#d6e4f5" if self.state.enabled else st.RED
        self.name.setStyleSheet(f"color: {ink}; background: transparent;")
        self.detail.setStyleSheet(f"color: {sub}; background: transparent; font-weight: bold;")


class ServiceGrid(QWidget):
    """The services in a grid of ``style.columns`` × ``style.rows`` per page; emits ``chosen(code)``."""

    chosen = Signal(str)

    def __init__(self, services: list[ServiceConfig], style: Style, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, ServiceButton] = {}
        for service in services:
            button = ServiceButton(service, self)
            button.clicked.connect(lambda _=False, code=service.code: self._tap(code))
            self.buttons[service.code] = button
        self.lang = "vi"
        self.page = 0
        self._locked = False
        self.grid = QGridLayout()
        self.prev_button = QPushButton()
        self.next_button = QPushButton()
        self.page_label = QLabel()
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prev_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.pager = QWidget()
        nav = QHBoxLayout(self.pager)
        nav.setContentsMargins(0, 0, 0, 0)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.page_label, 1)
        nav.addWidget(self.next_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.grid, 1)
        outer.addWidget(self.pager)
        self.apply_style(style)

    def button(self, code: str) -> ServiceButton:
        return self.buttons[code]

    @property
    def per_page(self) -> int:
        return self.style_.columns * self.style_.rows

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.buttons) // self.per_page))

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.grid.setSpacing(style.px(20))
        for button in self.buttons.values():
            button.apply_style(style)
        for nav in (self.prev_button, self.next_button):
            nav.setFont(pixel_font(style.small_px, bold=True))
            nav.setMinimumHeight(style.px(90))
            nav.setMinimumWidth(style.px(300))
        self.page_label.setFont(pixel_font(style.small_px))
        self.show_page(min(self.page, self.pages - 1))

    def show_page(self, page: int) -> None:
        self.page = max(0, min(page, self.pages - 1))
        while self.grid.count():
            self.grid.takeAt(0)
        codes = list(self.buttons)
        shown = codes[self.page * self.per_page:(self.page + 1) * self.per_page]
        cols = self.style_.columns
        rows_used = max(1, -(-len(shown) // cols))
        for code in codes:
            self.buttons[code].setVisible(code in shown)
        for i, code in enumerate(shown):
            self.grid.addWidget(self.buttons[code], i // cols, i % cols)
        filled = self.style_.rows if self.pages > 1 else rows_used  # equal buttons on every page
        for r in range(self.style_.rows):
            self.grid.setRowStretch(r, 1 if r < filled else 0)
        for c in range(cols):
            self.grid.setColumnStretch(c, 1)
        self.pager.setVisible(self.pages > 1)
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.pages - 1)
        self._texts()

    def set_states(self, states: dict[str, ServiceState], lang: str) -> None:
        self.lang = lang
        for code, button in self.buttons.items():
            button.set_state(states.get(code, button.state), lang)
        self._texts()

    def set_lang(self, lang: str) -> None:
        self.set_states({}, lang)

    def lock(self, locked: bool) -> None:
        """While a ticket is being issued no second tap gets through."""
        self._locked = locked

    def _texts(self) -> None:
        self.prev_button.setText(t("prev", self.lang))
        self.next_button.setText(t("next", self.lang))
        self.page_label.setText(t("page", self.lang, page=self.page + 1, pages=self.pages))

    def _tap(self, code: str) -> None:
        if self._locked or not self.buttons[code].state.enabled:
            return
        self._locked = True
        self.chosen.emit(code)
