"""The kiosk window: one page at a time, no window controls, closed only when the controller allows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.confirmation import ConfirmationScreen
from kiosk.guard import GuardPanel
from kiosk.home import HomeScreen
from kiosk.pin_screen import PinScreen, ReprintScreen
from kiosk.priority import PriorityScreen
from kiosk.style import Style
from kiosk.waiting import AttractScreen, StoreDownScreen
from lobby.config import CentreConfig

PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)


class KioskWindow(QWidget):
    """Pages: home, confirm, priority, pin, guard, reprint, store_down, attract."""

    def __init__(self, cfg: CentreConfig, *, portrait: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(cfg.centre.name)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self._may_close = False
        size = PORTRAIT if portrait else LANDSCAPE
        self.style_ = Style.for_size(*size)
        self.home = HomeScreen(cfg, self.style_)
        self.confirmation = ConfirmationScreen(cfg, self.style_)
        self.priority = PriorityScreen(cfg.priority_groups, self.style_)
        self.pin = PinScreen(self.style_)
        self.guard = GuardPanel(cfg, self.style_)
        self.reprint = ReprintScreen(cfg.services, self.style_)
        self.store_down = StoreDownScreen(self.style_)
        self.attract = AttractScreen(cfg, self.style_)
        self.pages: dict[str, QWidget] = {
            "home": self.home, "confirm": self.confirmation, "priority": self.priority, "pin": self.pin,
            "guard": self.guard, "reprint": self.reprint, "store_down": self.store_down, "attract": self.attract,
        }
        self.stack = QStackedWidget()
        for page in self.pages.values():
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.resize(*size)

    def show_page(self, name: str) -> None:
        self.stack.setCurrentWidget(self.pages[name])

    def current_page(self) -> str:
        current = self.stack.currentWidget()
        return next(name for name, page in self.pages.items() if page is current)

    def allow_close(self) -> None:
        """Called once the manager's PIN was accepted."""
        self._may_close = True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        if self._may_close:
            event.accept()
        else:
            event.ignore()  # Alt+F4 and the like: leaving needs the manager's PIN

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt name
        style = Style.for_size(event.size().width(), event.size().height())
        if style != self.style_:
            self.style_ = style
            for page in self.pages.values():
                page.apply_style(style)  # type: ignore[attr-defined]
        super().resizeEvent(event)
