"""The kiosk window: one page at a time, no window controls, closed only when the controller allows.

A passive view: its signals say what the citizen or the guard did, its verbs (``show_home``,
``show_ticket``, ``show_pin``, ``show_keypad_error``…) say what to show. The controller uses
nothing else; the pages inside are the window's own business.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.confirmation import ConfirmationScreen, PrintState
from kiosk.gesture import HOLD_MS
from kiosk.guard import GuardPanel
from kiosk.home import HomeScreen
from kiosk.pin_screen import PinScreen, ReprintScreen
from kiosk.priority import PriorityScreen
from kiosk.results import ResultsScreen
from kiosk.style import Style
from kiosk.waiting import AttractScreen, StoreDownScreen
from lobby.config import CentreConfig, PriorityGroupConfig
from lobby.queue.offer import ServiceState
from lobby.queue.views import TicketInfo
from lobby_qt.keypad import Keypad

PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)


class KioskWindow(QWidget):
    """Pages: home, confirm, priority, pin, guard, reprint, store_down, attract."""

    # what the citizen did
    service_chosen = Signal(str)  # service code
    priority_tapped = Signal()
    language_tapped = Signal()
    cancel_priority = Signal()
    confirmation_tapped = Signal()
    group_chosen = Signal(str)  # priority group code
    priority_back = Signal()
    attract_tapped = Signal()
    # what the guard did
    guard_gesture = Signal()  # the centre's name held down
    pin_entered = Signal(str)
    pin_cancelled = Signal()
    guard_priority = Signal()
    reprint_last = Signal()
    reprint_number = Signal()
    check_printer = Signal()
    exit_app = Signal()
    close_guard = Signal()
    reprint_entered = Signal(str, str)  # prefix, digits
    reprint_cancelled = Signal()

    def __init__(self, cfg: CentreConfig, *, portrait: bool = False, hold_ms: int = HOLD_MS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(cfg.centre.name)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self._may_close = False
        size = PORTRAIT if portrait else LANDSCAPE
        self.style_ = Style.for_size(*size)
        self.home = HomeScreen(cfg, self.style_)
        self.confirmation = ConfirmationScreen(cfg, self.style_)
        self.priority = PriorityScreen([g for g in cfg.priority_groups if g.offered_at_kiosk], self.style_)
        self.pin = PinScreen(self.style_)
        self.guard = GuardPanel(cfg, self.style_)
        self.reprint = ReprintScreen(cfg.services, self.style_)
        self.store_down = StoreDownScreen(self.style_)
        self.attract = AttractScreen(cfg, self.style_)
        self.results = ResultsScreen(self.style_)  # "Nhận kết quả" (kiosk/results.py)
        self.pages: dict[str, QWidget] = {
            "home": self.home, "confirm": self.confirmation, "priority": self.priority, "pin": self.pin,
            "guard": self.guard, "reprint": self.reprint, "store_down": self.store_down, "attract": self.attract,
            "results": self.results,
        }
        self.stack = QStackedWidget()
        for page in self.pages.values():
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.resize(*size)
        self.home.header.title.set_hold_ms(hold_ms)
        self._forward_signals()

    def _forward_signals(self) -> None:
        self.home.service_chosen.connect(self.service_chosen)
        self.home.priority_tapped.connect(self.priority_tapped)
        self.home.language_tapped.connect(self.language_tapped)
        self.home.cancel_priority.connect(self.cancel_priority)
        self.home.header.title.held.connect(self.guard_gesture)
        self.confirmation.tapped.connect(self.confirmation_tapped)
        self.priority.chosen.connect(self.group_chosen)
        self.priority.back.connect(self.priority_back)
        self.attract.tapped.connect(self.attract_tapped)
        self.pin.keypad.accepted.connect(self.pin_entered)
        self.pin.keypad.cancelled.connect(self.pin_cancelled)
        self.guard.issue_priority.connect(self.guard_priority)
        self.guard.reprint_last.connect(self.reprint_last)
        self.guard.reprint_number.connect(self.reprint_number)
        self.guard.check_printer.connect(self.check_printer)
        self.guard.exit_app.connect(self.exit_app)
        self.guard.close_panel.connect(self.close_guard)
        self.reprint.entered.connect(self.reprint_entered)
        self.reprint.cancelled.connect(self.reprint_cancelled)

    # --- what every page shares ----------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        for page in (self.home, self.attract, self.store_down, self.priority, self.results):
            page.set_lang(lang)

    def set_clock(self, text: str) -> None:
        self.home.set_clock(text)
        self.attract.set_clock(text)

    def set_states(self, states: dict[str, ServiceState]) -> None:
        """The services' queues and opening states: on Home's buttons and in the guard's counts."""
        self.home.set_states(states)
        self.guard.set_counts(states)

    def set_remark_url(self, url: str | None) -> None:
        """The general remark QR code on Home (``[web] public_url``/gop-y), or none."""
        self.home.set_remark_url(url)

    def set_printer_fault(self, faulted: bool) -> None:
        """The banner on Home telling citizens the printer has a problem."""
        self.home.set_printer_fault(faulted)

    def set_printer_status(self, text: str, ok: bool) -> None:
        """The printer's line in the guard panel."""
        self.guard.set_printer(text, ok)

    # --- the citizen's pages ----------------------------------------------------------------

    def show_home(self, group: PriorityGroupConfig | None = None) -> None:
        """Home with its service buttons unlocked; with ``group`` the next tap issues a priority ticket."""
        self.home.set_priority_group(group)
        self.home.grid.lock(False)
        self._show("home")

    def show_issuing(self) -> None:
        """A service was tapped: lock the buttons (one tap, one ticket) and clear any notice."""
        self.home.grid.lock(True)
        self.home.show_notice("")

    def show_notice(self, text: str) -> None:
        """Home's notice (why no ticket was issued), the buttons unlocked again."""
        self.home.grid.lock(False)
        self.home.show_notice(text)

    def show_ticket(self, ticket: TicketInfo, lang: str, *, printing: bool = True) -> None:
        """The confirmation: the number very large, printing (or, when the printer is known faulted, not)."""
        self.home.set_priority_group(None)
        self.confirmation.show_ticket(ticket, lang, PrintState.PRINTING if printing else PrintState.FAILED)
        self._show("confirm")

    def showing_ticket(self, ticket_id: int) -> bool:
        """Is the confirmation of this ticket on screen now?"""
        shown = self.confirmation.ticket
        return self.current_page() == "confirm" and shown is not None and shown.id == ticket_id

    def show_printed(self) -> None:
        self.confirmation.set_print_state(PrintState.PRINTED)

    def show_print_failed(self) -> None:
        """The number stays on screen with "please remember your number"."""
        self.confirmation.set_print_state(PrintState.FAILED)

    def show_priority(self, lang: str, *, title: str | None = None, pin_notes: bool = True) -> None:
        """The priority groups (in guard mode with the guard's title and without the PIN notes)."""
        self.priority.set_lang(lang, title=title, show_pin_notes=pin_notes)
        self._show("priority")

    def show_results(self, lang: str) -> None:
        """The "Nhận kết quả" page: the dossier code entry, empty and focused for a scanner."""
        self.results.ask(lang)
        self._show("results")

    def show_attract(self) -> None:
        self._show("attract")

    def show_store_down(self) -> None:
        self._show("store_down")

    # --- the guard's pages ------------------------------------------------------------------

    def show_pin(self, title: str, lang: str) -> None:
        """The masked PIN keypad, empty, under ``title``."""
        self.pin.ask(title, lang)
        self._show("pin")

    def show_reprint(self, title: str, lang: str) -> None:
        """The service letter and the digits of a ticket to reprint."""
        self.reprint.ask(title, lang)
        self._show("reprint")

    def show_guard(self, staff_name: str | None = None, lang: str = "vi", *, last_number: str | None = None) -> None:
        """The guard panel; with ``staff_name`` it is opened afresh for that guard."""
        if staff_name is not None:
            self.guard.open_for(staff_name, lang)
            self.guard.set_last_number(last_number)
        self._show("guard")

    def show_guard_message(self, text: str, *, error: bool = False) -> None:
        self.guard.show_message(text, error=error)

    def set_keypad_busy(self) -> None:
        """The entry on the current keypad is being checked."""
        if (pad := self._keypad()) is not None:
            pad.set_busy(True)

    def show_keypad_error(self, text: str) -> None:
        """Why the entry on the current keypad was refused; the keypad takes a new entry."""
        if (pad := self._keypad()) is not None:
            pad.show_error(text)

    def clear_keypads(self) -> None:
        self.pin.keypad.clear()
        self.reprint.keypad.clear()

    def _keypad(self) -> Keypad | None:
        return {"pin": self.pin.keypad, "reprint": self.reprint.keypad}.get(self.current_page())

    # --- the window -------------------------------------------------------------------------

    def _show(self, name: str) -> None:
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
            for page in (self.home, self.confirmation, self.priority, self.pin, self.guard, self.reprint,
                         self.store_down, self.attract, self.results):
                page.apply_style(style)
        super().resizeEvent(event)
