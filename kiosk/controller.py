"""The kiosk's behaviour: which page shows, what a tap does, what happens when things fail.

The window is passive; this controller listens to its signals, calls the core
(``lobby``) and the printer off the GUI thread, and tells the window what to show
through its verbs (``show_home``, ``show_ticket``…). Collaborators come in through
the constructor: the store, the config, the window, a printer factory, and clocks
(tests pass fakes).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk.guard_tools import GuardTools
from kiosk.printer_monitor import PrinterHealth, PrinterMonitor
from kiosk.printing import PrinterFactory, PrintJob, make_receipt
from kiosk.results import ResultsFlow
from kiosk.store_link import StoreLink
from kiosk.texts import clock_text, t
from kiosk.window import KioskWindow
from lobby import queue
from lobby.clock import local, utcnow
from lobby.config import CentreConfig
from lobby.errors import LobbyError, StoreUnavailable
from lobby.i18n import other_lang
from lobby.queue.offer import EXIT_ROLES, GUARD_ROLES, PRIORITY_PIN_ROLES, ServiceState, page_timeout_s
from lobby.queue.views import StaffInfo, TicketInfo
from lobby.staffing import staff
from lobby.store.engine import Store
from lobby_qt.tasks import TaskRunner

log = logging.getLogger(__name__)

ACTIVITY = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress)
TAP_GUARD_S = 1.2  # a confirmation ignores taps this long (the second tap of a double tap)


class KioskController(QObject):
    """Emits ``exit_requested`` when the manager's PIN allows leaving the app."""

    exit_requested = Signal()
    issued = Signal(object)  # TicketInfo, once shown on the confirmation

    def __init__(
        self,
        store: Store,
        cfg: CentreConfig,
        window: KioskWindow,
        printer: PrinterFactory,
        *,
        printer_url: str = "",
        now: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
        store_retry_s: float = 2.0,
        refresh_s: float = 15.0,
        poll_fault_s: float = 3.0,
        poll_ok_s: float = 30.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.cfg = cfg
        self.name = cfg.kiosk.name
        self.printer_url = printer_url or cfg.printer.url
        self.now = now
        self.monotonic = monotonic
        self.lang: str = cfg.kiosk.language
        self.runner = TaskRunner(self, max_threads=2)
        self.monitor = PrinterMonitor(printer, poll_ok_s=poll_ok_s, poll_fault_s=poll_fault_s, parent=self)
        self.window = window
        self.states: dict[str, ServiceState] = {}
        self.last_ticket: TicketInfo | None = None
        self.guard_staff: StaffInfo | None = None
        self._priority: tuple[str, int | None] | None = None  # (group code, granted_by)
        self._priority_by_guard = False
        self._issuing = False
        self._pending_group = ""
        self._pin_purpose = ""  # what the PIN on screen is for: guard, exit or priority
        self._print_failed = False  # the ticket on the confirmation could not be printed
        self._last_activity = monotonic()
        self._confirm_at: float | None = None  # when the confirmation was shown (the monotonic clock)
        self.link = StoreLink(store, cfg, self.runner, now, source=self.name, printer_url=self.printer_url,
                              retry_s=store_retry_s, parent=self)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(int(refresh_s * 1000))
        self._refresh_timer.timeout.connect(self.refresh)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.tick)
        self._wire()
        self.results = ResultsFlow(self)  # the "Nhận kết quả" page (kiosk/results.py)
        self.guard_tools = GuardTools(self)  # printer status, fault alert, reprints (kiosk/guard_tools.py)

    # --- wiring ---------------------------------------------------------------------

    def _wire(self) -> None:
        w = self.window
        w.service_chosen.connect(self.tap_service)
        w.priority_tapped.connect(self._open_priority)
        w.language_tapped.connect(self._toggle_language)
        w.cancel_priority.connect(self.go_home)
        w.guard_gesture.connect(self.open_guard_keypad)
        w.confirmation_tapped.connect(self._confirmation_tapped)
        w.group_chosen.connect(self._group_chosen)
        w.priority_back.connect(self._priority_back)
        w.pin_entered.connect(self._pin_entered)
        w.pin_cancelled.connect(self._pin_cancelled)
        w.guard_priority.connect(self._guard_priority)
        w.exit_app.connect(lambda: self._ask_pin("exit", t("manager_pin", self.lang)))
        w.close_guard.connect(self.go_home)
        w.reprint_cancelled.connect(self.back_to_guard)
        w.attract_tapped.connect(self.go_home)
        self.monitor.printed.connect(self._printed)
        self.monitor.failed.connect(self._job_failed)
        self.link.states_read.connect(self._states_read)
        self.link.lost.connect(self._store_lost)
        self.link.back.connect(self._store_back)

    def start(self) -> None:
        """Show Home, read the services' states, ask the printer, start the clocks."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._apply_lang()
        self._update_clock()
        self._shown()
        self.window.show_home()
        self.refresh()
        self.guard_tools.offer_unprinted()  # tickets this kiosk issued but never printed, for the guard
        self.monitor.start()
        self._tick.start()
        self._refresh_timer.start()

    def shutdown(self) -> None:
        """Stop every timer and wait for the background work (nothing left running)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for timer in (self._tick, self._refresh_timer):
            timer.stop()
        self.link.stop()
        self.monitor.stop()
        self.runner.wait()

    # --- activity, idle and the clock -------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() in ACTIVITY:
            self._last_activity = self.monotonic()
        return False

    def idle_s(self) -> float:
        return self.monotonic() - self._last_activity

    def _timeout_for(self, page: str) -> float | None:
        return page_timeout_s(self.cfg.kiosk, page, print_failed=self._print_failed, guard_flow=self._in_guard_flow(),
                              priority_chosen=self._priority is not None)

    def _in_guard_flow(self) -> bool:
        return self.guard_staff is not None or self._pin_purpose in ("guard", "exit")

    def tick(self) -> None:
        """Every second: the clock, and the page that has been left alone too long."""
        self._update_clock()
        page = self.window.current_page()
        timeout = self._timeout_for(page)
        if timeout is None or self.idle_s() < timeout:
            return
        if page == "home" and self._priority is None:
            self.set_lang(self.cfg.kiosk.language)
            self._shown()
            self.window.show_attract()
        else:
            self.go_home()

    def _update_clock(self) -> None:
        self.window.set_clock(clock_text(local(self.now(), self.cfg.tz), self.lang))

    # --- pages and language -----------------------------------------------------------

    def _shown(self) -> None:
        """A page was just shown: its idle time starts now."""
        self._last_activity = self.monotonic()

    def go_home(self) -> None:
        """Back to Home, leaving any priority choice or guard session behind."""
        self._shown()
        if not self.link.ok:
            self.window.show_store_down()
            return
        self._priority = None
        self._priority_by_guard = False
        self.guard_staff = None
        self._pin_purpose = ""
        self.window.show_home()

    def _toggle_language(self) -> None:
        self.set_lang(other_lang(self.lang))

    def set_lang(self, lang: str) -> None:
        """Every page in ``lang`` (the citizen's switch, or back to the kiosk's own language)."""
        self.lang = lang
        self._apply_lang()

    def _apply_lang(self) -> None:
        self.window.set_lang(self.lang)
        self.window.set_states(self.states)
        self._update_clock()

    # --- issuing --------------------------------------------------------------------

    def tap_service(self, code: str) -> None:
        """One tap, one ticket: a second tap while the first is in flight is ignored."""
        if self._issuing or not self.link.ok:
            return
        if self.results.handles(code):  # results: check the dossier first (no wasted wait)
            self.results.open()
            return
        self._issuing = True
        self.window.show_issuing()
        group, granted_by = self._priority or (None, None)
        lang = self.lang

        def issue() -> TicketInfo:
            with self.store.session() as s:
                return queue.issue_ticket(s, self.cfg, code, priority=group, granted_by=granted_by, source=self.name)

        self.runner.run(issue, lambda ticket: self._issued(ticket, lang), self._issue_failed)

    def _issued(self, ticket: TicketInfo, lang: str) -> None:
        self._issuing = False
        self.last_ticket = ticket
        self._priority = None
        self._priority_by_guard = False
        self.guard_staff = None
        self._print_failed = not self.monitor.health.ok
        self.window.show_ticket(ticket, lang, printing=not self._print_failed)
        self._confirm_at = self.monotonic()
        self._shown()
        self.issued.emit(ticket)
        self.monitor.submit(PrintJob(ticket, make_receipt(self.cfg, ticket, lang)))
        self.refresh()

    def _issue_failed(self, exc: BaseException) -> None:
        self._issuing = False
        if isinstance(exc, StoreUnavailable):
            self.link.lose(exc)
            return
        if isinstance(exc, LobbyError):
            self.window.show_notice(exc.message(self.lang))
        else:
            log.error("issuing failed", exc_info=exc)
            self.window.show_notice(t("store_error", self.lang, message=type(exc).__name__))
        self.refresh()

    def _confirmation_tapped(self) -> None:
        if self._confirm_at is not None and self.monotonic() - self._confirm_at < TAP_GUARD_S:
            return
        self.set_lang(self.cfg.kiosk.language)
        self.go_home()

    # --- printing -------------------------------------------------------------------

    def _printed(self, job: PrintJob, _result: object) -> None:
        self.guard_tools.record_printed(job)
        if job.reprint:
            self.window.show_guard_message(t("reprinted", self.lang, number=job.ticket.number))
        elif self.window.showing_ticket(job.ticket.id):
            self.window.show_printed()

    def _job_failed(self, job: PrintJob, health: PrinterHealth) -> None:
        if job.reprint:
            self.window.show_guard_message(health.message(self.lang), error=True)
        elif self.window.showing_ticket(job.ticket.id):
            self._print_failed = True
            self.window.show_print_failed()
            self._shown()  # time to note the number down

    # --- store trouble --------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the services' states (off the GUI thread)."""
        self.link.refresh()

    def _states_read(self, states: dict[str, ServiceState]) -> None:
        self.states = states
        self.window.set_states(states)

    def _store_lost(self, _exc: BaseException) -> None:
        self._issuing = False
        self._shown()
        self.window.show_store_down()

    def _store_back(self, _states: dict[str, ServiceState]) -> None:
        health = self.monitor.health
        self.link.sync_alert(None if health.ok else health.message("vi"))  # an alert missed meanwhile
        self.go_home()

    # --- priority -------------------------------------------------------------------

    def _open_priority(self) -> None:
        self._priority_by_guard = False
        self._shown()
        self.window.show_priority(self.lang)

    def _group_chosen(self, code: str) -> None:
        group = self.cfg.priority_group(code)
        if self._priority_by_guard and self.guard_staff is not None:
            self._choose_priority(code, self.guard_staff.id)
        elif group.needs_pin:
            self._pending_group = code
            self._ask_pin("priority", t("pin_for_group", self.lang, group=group.name(self.lang)))
        else:
            self._choose_priority(code, None)

    def _choose_priority(self, code: str, granted_by: int | None) -> None:
        self._priority = (code, granted_by)
        self._shown()
        self.window.show_home(self.cfg.priority_group(code))

    def _priority_back(self) -> None:
        if self._priority_by_guard and self.guard_staff is not None:
            self.back_to_guard()
        else:
            self.go_home()

    # --- PINs -----------------------------------------------------------------------

    def _ask_pin(self, purpose: str, title: str) -> None:
        self._pin_purpose = purpose
        self._shown()
        self.window.show_pin(title, self.lang)

    def open_guard_keypad(self) -> None:
        """The hidden gesture (hold the centre's name) opens the guard's PIN keypad."""
        if self.window.current_page() in ("home", "attract") and self.link.ok:
            self._ask_pin("guard", t("guard_pin", self.lang))

    def _pin_entered(self, pin: str) -> None:
        purpose = self._pin_purpose
        roles = {"guard": GUARD_ROLES, "exit": EXIT_ROLES}.get(purpose, PRIORITY_PIN_ROLES)
        self.window.set_keypad_busy()

        def verify() -> StaffInfo:
            with self.store.session() as s:
                return staff.verify_any_pin(s, self.cfg, pin, roles=roles, source=self.name)

        self.runner.run(verify, lambda info: self._pin_ok(purpose, info), self._pin_failed)

    def _pin_ok(self, purpose: str, info: StaffInfo) -> None:
        self.window.clear_keypads()
        if purpose == "guard":
            self.guard_staff = info
            self.guard_tools.show_health(self.monitor.health)
            self._shown()
            self.window.show_guard(info.full_name, self.lang,
                                   last_number=self.last_ticket.number if self.last_ticket else None)
            self.refresh()
            self.monitor.check()
            self.guard_tools.offer_unprinted()
        elif purpose == "priority":
            self._choose_priority(self._pending_group, info.id)
        elif purpose == "exit":
            log.info("kiosk closed by %s", info.username)
            self.window.allow_close()
            self.exit_requested.emit()

    def _pin_failed(self, exc: BaseException) -> None:
        if isinstance(exc, StoreUnavailable):
            self.window.clear_keypads()
            self.link.lose(exc)
        elif isinstance(exc, LobbyError):
            self.window.show_keypad_error(exc.message(self.lang))
        else:
            log.error("PIN check failed", exc_info=exc)
            self.window.show_keypad_error(f"{type(exc).__name__}: {exc}")

    def _pin_cancelled(self) -> None:
        if self._pin_purpose == "exit" and self.guard_staff is not None:
            self.back_to_guard()
        else:
            self.go_home()

    def back_to_guard(self) -> None:
        self._shown()
        self.window.show_guard()

    # --- guard mode -----------------------------------------------------------------

    def _guard_priority(self) -> None:
        self._priority_by_guard = True
        self._shown()
        self.window.show_priority(self.lang, title=t("guard_priority", self.lang), pin_notes=False)

