"""Two quiet full screens: "issuing paused" while the store is unreachable, and the idle attract screen."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk import style as st
from kiosk.style import Style, box, label_font
from kiosk.texts import t
from lobby.config import CentreConfig
from lobby.i18n import other_lang
from lobby_qt.fonts import pixel_font


class _Message(QWidget):
    """A centred title, a second line and the other language underneath."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.top = QLabel()
        self.main = QLabel()
        self.sub = QLabel()
        self.other = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.top)
        layout.addStretch(2)
        for label in (self.main, self.sub):
            layout.addWidget(label)
        layout.addStretch(1)
        layout.addWidget(self.other)
        layout.addStretch(2)
        for label in (self.top, self.main, self.sub, self.other):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)

    def apply_style(self, style: Style) -> None:
        label_font(self.top, style.px(40), bold=True)
        label_font(self.main, style.px(72), bold=True)
        self.sub.setFont(pixel_font(style.px(40)))
        self.other.setFont(pixel_font(style.px(36)))
        m = style.px(60)
        box(self).setContentsMargins(m, m, m, m)


class StoreDownScreen(_Message):
    """Calm, no error codes: issuing is paused and comes back by itself."""

    def __init__(self, style: Style, parent: QWidget | None = None) -> None:
        super().__init__("storeDown", parent)
        self.detail = ""
        self.apply_style(style)
        self.set_lang("vi")

    def apply_style(self, style: Style) -> None:
        super().apply_style(style)
        self.setStyleSheet(f"#storeDown {{ background: #eef3f8; }} #storeDown QLabel {{ color: {st.BLUE_DARK}; }}")

    def set_lang(self, lang: str) -> None:
        other = other_lang(lang)
        self.main.setText(t("store_down", lang))
        self.sub.setText(t("store_down_more", lang))
        self.other.setText(f"{t('store_down', other)}\n{t('store_down_more', other)}")


class AttractScreen(_Message):
    """Shown after some minutes without a touch; any touch goes back to Home."""

    tapped = Signal()

    def __init__(self, cfg: CentreConfig, style: Style, parent: QWidget | None = None) -> None:
        super().__init__("attract", parent)
        self.cfg = cfg
        self.apply_style(style)
        self.set_lang(cfg.kiosk.language)

    def apply_style(self, style: Style) -> None:
        super().apply_style(style)
        label_font(self.main, style.px(84), bold=True)
        self.setStyleSheet(f"#attract {{ background: {st.BLUE_DARK}; }} #attract QLabel {{ color: white; }}")

    def set_lang(self, lang: str) -> None:
        other = other_lang(lang)
        self.top.setText(self.cfg.centre.title(lang))
        self.main.setText(t("attract", lang))
        self.other.setText(t("attract", other))

    def set_clock(self, text: str) -> None:
        self.sub.setText(text)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt name
        self.tapped.emit()
        super().mousePressEvent(event)
