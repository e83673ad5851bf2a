"""The counter's main window: the sign-in screen, then the work screen."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

from counter.controller import CounterController
from counter.dossier_entry import DossierEntry
from counter.signin import SignInScreen
from counter.texts import t
from counter.work import WorkScreen
from lobby.config import CentreConfig
from lobby.i18n import other_lang
from lobby.queue.views import StaffInfo
from lobby_qt.feed_bridge import describe

ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.Wheel}


class CounterWindow(QMainWindow):
    def __init__(self, cfg: CentreConfig, controller: CounterController, *, fixed_counter: int | None = None,
                 lang: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.controller = controller
        self.lang = lang
        controller.lang = lang
        self.resize(1366, 800)
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.sign_in = SignInScreen(cfg, fixed_counter=fixed_counter, lang=lang, parent=self.stack)
        self.work = WorkScreen(cfg, controller, lang=lang, parent=self.stack)
        self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.work)
        self.dossiers = DossierEntry(self.work, controller)  # F10 / F11 (counter/dossier_entry.py)
        self.sign_in.submitted.connect(controller.sign_in)
        self.sign_in.lang_toggled.connect(self.toggle_lang)
        self.work.lang_toggled.connect(self.toggle_lang)
        controller.signed_in.connect(self._signed_in)
        controller.signed_out.connect(self._signed_out)
        controller.sign_in_failed.connect(lambda exc: self.sign_in.show_error(describe(exc, self.lang)))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._title()

    def _title(self) -> None:
        title = t("app_title", self.lang)
        if self.controller.counter is not None:
            title += f" — {t('counter', self.lang)} {self.controller.counter}"
        self.setWindowTitle(title)

    def toggle_lang(self) -> None:
        self.set_lang(other_lang(self.lang))

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.controller.lang = lang
        self.sign_in.retranslate(lang)
        self.work.retranslate(lang)
        self._title()

    def _signed_in(self, staff: StaffInfo) -> None:
        self.sign_in.show_info(None)
        self.work.start(staff)
        self.stack.setCurrentWidget(self.work)
        self._title()

    def _signed_out(self, reason: Callable[[str], str] | None) -> None:
        self.work.close_dialog()
        self.sign_in.reset()
        self.sign_in.show_info(reason or (lambda lang: t("signed_out", lang)))
        self.stack.setCurrentWidget(self.sign_in)
        self._title()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any key, click or touch in this window counts as activity for the idle sign-out."""
        if event.type() in ACTIVITY and isinstance(watched, QWidget):
            window = watched.window()
            owner = window.parentWidget()
            if window is self or (owner is not None and owner.window() is self):
                self.controller.touch()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().closeEvent(event)
