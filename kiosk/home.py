"""Home: the centre's name, the date and time, one button per service, Priority, the language switch."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk import style as st
from kiosk.gesture import HoldLabel
from kiosk.remark_qr import RemarkQr
from kiosk.service_grid import ServiceGrid
from kiosk.style import Style, box, label_font
from kiosk.texts import t
from lobby.config import CentreConfig, PriorityGroupConfig
from lobby.line_breaks import keep_words
from lobby.queue.offer import ServiceState
from lobby_qt.fonts import pixel_font


class Header(QWidget):
    """The centre's name (hold it for guard mode) and the clock."""

    def __init__(self, cfg: CentreConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = HoldLabel()
        self.title.setObjectName("centreName")
        self.title.setWordWrap(True)
        self.clock = QLabel()
        layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        layout.addWidget(self.title, 1)
        layout.addWidget(self.clock)
        self.box = layout

    def apply_style(self, style: Style) -> None:
        label_font(self.title, style.title_px, bold=True)
        self.clock.setFont(pixel_font(style.clock_px, bold=True))
        # portrait: the name on its own full-width line, the clock under it
        self.box.setDirection(QBoxLayout.Direction.TopToBottom if style.portrait else QBoxLayout.Direction.LeftToRight)
        self.clock.setAlignment((Qt.AlignmentFlag.AlignLeft if style.portrait else Qt.AlignmentFlag.AlignRight)
                                | Qt.AlignmentFlag.AlignVCenter)
        box(self).setContentsMargins(style.px(30), style.px(18), style.px(30), style.px(18))
        self.setStyleSheet(f"#header {{ background: {st.BLUE_DARK}; }} QLabel {{ color: white; }}")

    def set_lang(self, lang: str) -> None:
        name = self.cfg.centre.title(lang)
        self.title.setText(keep_words(name))  # Qt wraps it, between words only ("Bình An" stays whole)


class HomeScreen(QWidget):
    """Signals: ``service_chosen(code)``, ``priority_tapped``, ``language_tapped``, ``cancel_priority``."""

    service_chosen = Signal(str)
    priority_tapped = Signal()
    language_tapped = Signal()
    cancel_priority = Signal()

    def __init__(self, cfg: CentreConfig, style: Style, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.lang: str = cfg.kiosk.language
        self.group: PriorityGroupConfig | None = None
        self.setObjectName("home")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.header = Header(cfg)
        self.prompt = QLabel()
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)
        self.printer_banner = QLabel()
        self.printer_banner.setObjectName("printerBanner")
        self.printer_banner.setWordWrap(True)
        self.printer_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.printer_banner.hide()
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.hide()
        self.cancel_priority_button = QPushButton()
        self.cancel_priority_button.setObjectName("cancelPriority")
        self.cancel_priority_button.clicked.connect(self.cancel_priority)
        self.grid = ServiceGrid(cfg.services, style)
        self.grid.chosen.connect(self.service_chosen)
        self.priority_button = QPushButton()
        self.priority_button.setObjectName("priorityButton")
        self.priority_button.clicked.connect(self.priority_tapped)
        self.priority_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.priority_hint = QLabel()
        self.priority_hint.setWordWrap(True)
        self.priority_hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.priority_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint_layout = QVBoxLayout(self.priority_button)
        hint_layout.addStretch(1)
        self.priority_title = QLabel()
        self.priority_title.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.priority_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint_layout.addWidget(self.priority_title)
        hint_layout.addWidget(self.priority_hint)
        hint_layout.addStretch(1)
        self.language_button = QPushButton()
        self.language_button.setObjectName("languageButton")
        self.language_button.clicked.connect(self.language_tapped)
        self.bottom = QHBoxLayout()
        self.bottom.addWidget(self.priority_button, 3)
        self.bottom.addWidget(self.language_button, 1)
        self.remark_qr = RemarkQr(style)  # the general remark code, in the bottom corner, hidden without a URL
        self.bottom.addWidget(self.remark_qr, 0, Qt.AlignmentFlag.AlignBottom)
        self.body = QVBoxLayout()
        self.body.addWidget(self.prompt)
        self.body.addWidget(self.printer_banner)
        self.body.addWidget(self.notice)
        self.body.addWidget(self.cancel_priority_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.body.addWidget(self.grid, 1)
        self.body.addLayout(self.bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addLayout(self.body, 1)
        self.cancel_priority_button.hide()
        self.apply_style(style)
        self.set_lang(self.lang)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.header.apply_style(style)
        self.grid.apply_style(style)
        self.remark_qr.apply_style(style)
        m = style.px(28)
        self.body.setContentsMargins(m, style.px(16), m, m)
        self.body.setSpacing(style.px(16))
        self.bottom.setSpacing(style.px(20))
        label_font(self.prompt, style.body_px, bold=True)
        self.printer_banner.setFont(pixel_font(style.small_px, bold=True))
        self.notice.setFont(pixel_font(style.small_px, bold=True))
        label_font(self.priority_title, style.px(48), bold=True)
        self.priority_hint.setFont(pixel_font(style.px(24)))
        self.priority_button.setFixedHeight(style.px(150))
        self.language_button.setFixedHeight(style.px(150))
        self.language_button.setFont(pixel_font(style.px(36), bold=True))
        self.cancel_priority_button.setFont(pixel_font(style.small_px, bold=True))
        self.cancel_priority_button.setMinimumHeight(style.px(80))
        r = style.px(22)
        self.setStyleSheet(
            f"#home {{ background: {st.PAPER}; }}"
            f"#home > QLabel {{ color: {st.INK}; }}"
            f"#printerBanner {{ background: #fff3cd; color: #5c3b00; border: 3px solid {st.ORANGE};"
            f" border-radius: {r}px; padding: {style.px(12)}px; }}"
            f"#notice {{ background: #fdecea; color: {st.RED}; border-radius: {r}px; padding: {style.px(12)}px; }}"
            f"#priorityButton {{ background: {st.ORANGE}; border: none; border-radius: {r}px; }}"
            "#priorityButton:pressed { background: #8f3e00; }"
            "#priorityButton QLabel { color: white; background: transparent; }"
            f"#languageButton {{ background: {st.WHITE}; color: {st.BLUE_DARK}; border: 3px solid {st.BLUE};"
            f" border-radius: {r}px; }}"
            f"#cancelPriority {{ background: {st.WHITE}; color: {st.RED}; border: 3px solid {st.RED};"
            f" border-radius: {r}px; padding: 0 {style.px(30)}px; }}"
        )

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.header.set_lang(lang)
        self.grid.set_lang(lang)
        self.priority_title.setText("★ " + t("priority", lang))
        self.priority_hint.setText(t("priority_hint", lang))
        self.language_button.setText(t("other_lang", lang))
        self.cancel_priority_button.setText("✕ " + t("cancel_priority", lang))
        self.printer_banner.setText("⚠ " + t("printer_banner", lang))
        self.remark_qr.set_lang(lang)
        self._prompt()

    def set_states(self, states: dict[str, ServiceState]) -> None:
        self.grid.set_states(states, self.lang)

    def set_clock(self, text: str) -> None:
        self.header.clock.setText(text)

    def set_priority_group(self, group: PriorityGroupConfig | None) -> None:
        """In priority mode the next service tapped issues a priority ticket of ``group``."""
        self.group = group
        self.cancel_priority_button.setVisible(group is not None)
        self.priority_button.setVisible(group is None)
        self._prompt()

    def set_remark_url(self, url: str | None) -> None:
        """The general remark QR code in the corner, or none (``url`` None)."""
        self.remark_qr.set_url(url)

    def set_printer_fault(self, faulted: bool) -> None:
        self.printer_banner.setVisible(faulted)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _prompt(self) -> None:
        if self.group is not None:
            self.prompt.setText(t("choose_service_priority", self.lang, group=self.group.name(self.lang)))
            self.prompt.setStyleSheet(f"color: {st.ORANGE};")
        else:
            self.prompt.setText(t("choose_service", self.lang))
            self.prompt.setStyleSheet(f"color: {st.INK};")
