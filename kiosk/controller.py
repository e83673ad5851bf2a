"""The kiosk's behaviour: which page shows, what a tap does, what happens when things fail.

The window and its pages are passive; this controller listens to them, calls the
core (``lobby``) and the printer off the GUI thread, and decides what to show.
Collaborators come in through the constructor: the store, the config, a printer
factory, and clocks (tests pass fakes).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk.confirmation import PrintState
from kiosk.printer_monitor import PrinterHealth, PrinterMonitor
from kiosk.printing import PrinterFactory, PrintJob, make_receipt
from kiosk.texts import clock_text, t
from kiosk.window import KioskWindow
from lobby.feed import alerts
from lobby import queue
from lobby.staffing import staff
from lobby.clock import local
from lobby.config import CentreConfig
from lobby.errors import LobbyError, StoreUnavailable
from lobby.queue.offer import (
    EXIT_ROLES,
    GUARD_ROLES,
    PRIORITY_PIN_ROLES,
    ServiceState,
    number_from_entry,
    page_timeout_s,
    service_states,
)
from lobby.store.engine import Store
from lobby.queue.views import StaffInfo, TicketInfo
from lobby_qt.tasks import TaskRunner

log = logging.getLogger(__name__)

ACTIVITY = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress)
TAP_GUARD_MS = 1200  # a confirmation ignores taps this long (the second tap of a double tap)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class KioskController(QObject):
    """Emits ``exit_requested`` when the manager's PIN allows leaving the app."""

    exit_requested = Signal()
    issued = Signal(object)  # TicketInfo, once shown on the confirmation

    def __init__(
        self,
        store: Store,
        cfg: CentreConfig,
        printer: PrinterFactory,
        *,
        printer_url: str = "",
        portrait: bool = False,
        now: Callable[[], datetime] = _utcnow,
        monotonic: Callable[[], float] = time.monotonic,
        hold_ms: int = 3000,
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
        self.lang = cfg.kiosk.language
        self.runner = TaskRunner(self, max_threads=2)
        self.monitor = PrinterMonitor(printer, poll_ok_s=poll_ok_s, poll_fault_s=poll_fault_s, parent=self)
        self.window = KioskWindow(cfg, portrait=portrait)
        self.states: dict[str, ServiceState] = {}
        self.last_ticket: TicketInfo | None = None
        self.guard_staff: StaffInfo | None = None
        self.store_ok = True
        self._priority: tuple[str, int | None] | None = None  # (group code, granted_by)
        self._priority_by_guard = False
        self._issuing = False
        self._refreshing = False
        self._alert_recorded: bool | None = None  # the printer state last written to the store (True = fault)
        self._pending_group = ""
        self._last_activity = monotonic()
        self._confirm_shown = QElapsedTimer()
        self._store_retry = QTimer(self)
        self._store_retry.setInterval(int(store_retry_s * 1000))
        self._store_retry.timeout.connect(self._probe_store)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(int(refresh_s * 1000))
        self._refresh_timer.timeout.connect(self.refresh)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.tick)
        self._wire(hold_ms)

    # --- wiring ---------------------------------------------------------------------

    def _wire(self, hold_ms: int) -> None:
        w = self.window
        w.home.service_chosen.connect(self.tap_service)
        w.home.priority_tapped.connect(self._open_priority)
        w.home.language_tapped.connect(self._toggle_language)
        w.home.cancel_priority.connect(self.go_home)
        w.home.header.title.set_hold_ms(hold_ms)
        w.home.header.title.held.connect(self.open_guard_keypad)
        w.confirmation.tapped.connect(self._confirmation_tapped)
        w.priority.chosen.connect(self._group_chosen)
        w.priority.back.connect(self._priority_back)
        w.pin.keypad.accepted.connect(self._pin_entered)
        w.pin.keypad.cancelled.connect(self._pin_cancelled)
        w.guard.issue_priority.connect(self._guard_priority)
        w.guard.reprint_last.connect(self._reprint_last)
        w.guard.reprint_number.connect(self._ask_reprint_number)
        w.guard.check_printer.connect(self._check_printer)
        w.guard.exit_app.connect(lambda: self._ask_pin("exit", t("manager_pin", self.lang)))
        w.guard.close_panel.connect(self.go_home)
        w.reprint.entered.connect(self._reprint_entered)
        w.reprint.cancelled.connect(lambda: self._show("guard"))
        w.attract.tapped.connect(self.go_home)
        self.monitor.faulted.connect(self._printer_faulted)
        self.monitor.recovered.connect(self._printer_recovered)
        self.monitor.health_changed.connect(self._health_changed)
        self.monitor.printed.connect(self._printed)
        self.monitor.failed.connect(self._print_failed)

    def start(self) -> None:
        """Show Home, read the services' states, ask the printer, start the clocks."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._apply_lang()
        self._update_clock()
        self._show("home")
        self.refresh()
        self.monitor.start()
        self._tick.start()
        self._refresh_timer.start()

    def shutdown(self) -> None:
        """Stop every timer and wait for the background work (nothing left running)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for timer in (self._tick, self._refresh_timer, self._store_retry):
            timer.stop()
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
        return page_timeout_s(
            self.cfg.kiosk, page,
            print_failed=self.window.confirmation.print_state == PrintState.FAILED,
            guard_flow=self._in_guard_flow(),
            priority_chosen=self._priority is not None,
        )

    def _in_guard_flow(self) -> bool:
        return self.guard_staff is not None or self.window.pin.purpose in ("guard", "exit")

    def tick(self) -> None:
        """Every second: the clock, and the page that has been left alone too long."""
        self._update_clock()
        page = self.window.current_page()
        timeout = self._timeout_for(page)
        if timeout is None or self.idle_s() < timeout:
            return
        if page == "home" and self._priority is None:
            self.lang = self.cfg.kiosk.language
            self._apply_lang()
            self._show("attract")
        else:
            self.go_home()

    def _update_clock(self) -> None:
        text = clock_text(local(self.now(), self.cfg.tz), self.lang)
        self.window.home.set_clock(text)
        self.window.attract.set_clock(text)

    # --- pages and language -----------------------------------------------------------

    def _show(self, page: str) -> None:
        self._last_activity = self.monotonic()
        self.window.show_page(page)

    def go_home(self) -> None:
        """Back to Home, leaving any priority choice or guard session behind."""
        if not self.store_ok:
            self._show("store_down")
            return
        self._priority = None
        self._priority_by_guard = False
        self.guard_staff = None
        self.window.pin.purpose = ""
        self.window.home.set_priority_group(None)
        self.window.home.grid.lock(False)
        self._show("home")

    def _toggle_language(self) -> None:
        self.lang = "en" if self.lang == "vi" else "vi"
        self._apply_lang()

    def _apply_lang(self) -> None:
        w = self.window
        w.home.set_lang(self.lang)
        w.home.set_states(self.states)
        w.attract.set_lang(self.lang)
        w.store_down.set_lang(self.lang)
        w.priority.set_lang(self.lang)
        self._update_clock()

    # --- issuing --------------------------------------------------------------------

    def tap_service(self, code: str) -> None:
        """One tap, one ticket: a second tap while the first is in flight is ignored."""
        if self._issuing or not self.store_ok:
            return
        self._issuing = True
        self.window.home.grid.lock(True)
        self.window.home.show_notice("")
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
        self.window.home.set_priority_group(None)
        state = PrintState.PRINTING if self.monitor.health.ok else PrintState.FAILED
        self.window.confirmation.show_ticket(ticket, lang, state)
        self._confirm_shown.start()
        self._show("confirm")
        self.issued.emit(ticket)
        self.monitor.submit(PrintJob(ticket, make_receipt(self.cfg, ticket, lang)))
        self.refresh()

    def _issue_failed(self, exc: BaseException) -> None:
        self._issuing = False
        self.window.home.grid.lock(False)
        if isinstance(exc, StoreUnavailable):
            self._store_lost(exc)
            return
        if isinstance(exc, LobbyError):
            self.window.home.show_notice(exc.message(self.lang))
        else:
            log.error("issuing failed", exc_info=exc)
            self.window.home.show_notice(t("store_error", self.lang, message=type(exc).__name__))
        self.refresh()

    def _confirmation_tapped(self) -> None:
        if self._confirm_shown.isValid() and self._confirm_shown.elapsed() < TAP_GUARD_MS:
            return
        self.lang = self.cfg.kiosk.language
        self._apply_lang()
        self.go_home()

    # --- printing -------------------------------------------------------------------

    def _showing(self, job: PrintJob) -> bool:
        shown = self.window.confirmation.ticket
        return self.window.current_page() == "confirm" and shown is not None and shown.id == job.ticket.id

    def _printed(self, job: PrintJob, _result: object) -> None:
        if job.reprint:
            self.window.guard.show_message(t("reprinted", self.lang, number=job.ticket.number))
        elif self._showing(job):
            self.window.confirmation.set_print_state(PrintState.PRINTED)

    def _print_failed(self, job: PrintJob, health: PrinterHealth) -> None:
        if job.reprint:
            self.window.guard.show_message(health.message(self.lang), error=True)
        elif self._showing(job):
            self.window.confirmation.set_print_state(PrintState.FAILED)
            self._last_activity = self.monotonic()  # time to note the number down

    def _health_changed(self, health: PrinterHealth) -> None:
        text = t("printer_ok", self.lang) if health.ok and health.known else health.message(self.lang)
        self.window.guard.set_printer(text, health.ok)

    def _printer_faulted(self, health: PrinterHealth) -> None:
        self.window.home.set_printer_fault(True)
        self._record_alert(health)

    def _printer_recovered(self) -> None:
        self.window.home.set_printer_fault(False)
        self._record_alert(None)

    def _record_alert(self, health: PrinterHealth | None) -> None:
        """The guard's alert: a ``printer_fault`` event (or ``printer_ok``) in the store."""

        def record() -> None:
            with self.store.session() as s:
                if health is None:
                    alerts.record_printer_ok(s, self.name, self.printer_url)
                else:
                    alerts.record_printer_fault(s, self.name, self.printer_url, health.message("vi"))

        def done(_: object) -> None:
            self._alert_recorded = health is not None

        def failed(exc: BaseException) -> None:
            log.warning("printer alert not recorded (%s); it will be when the store is back", exc)

        self.runner.run(record, done, failed)

    def _check_printer(self) -> None:
        self.window.guard.set_printer(t("printer_checking", self.lang), self.monitor.health.ok)
        self.monitor.check()

    # --- store trouble --------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the services' states (off the GUI thread)."""
        if self._refreshing or not self.store_ok:
            return
        self._refreshing = True
        self.runner.run(self._read_states, self._states_read, self._refresh_failed)

    def _read_states(self) -> dict[str, ServiceState]:
        with self.store.read_session() as s:
            return service_states(s, self.cfg, self.now())

    def _states_read(self, states: dict[str, ServiceState]) -> None:
        self._refreshing = False
        self.states = states
        self.window.home.set_states(states)
        self.window.guard.set_counts(states)

    def _refresh_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        if isinstance(exc, StoreUnavailable):
            self._store_lost(exc)
        else:
            log.error("reading the services' states failed", exc_info=exc)

    def _store_lost(self, exc: BaseException) -> None:
        if self.store_ok:
            log.warning("store lost: %s", exc)
        self.store_ok = False
        self._issuing = False
        self._show("store_down")
        if not self._store_retry.isActive():
            self._store_retry.start()

    def _probe_store(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        self.runner.run(self._read_states, self._store_back, self._probe_failed)

    def _probe_failed(self, exc: BaseException) -> None:
        self._refreshing = False

    def _store_back(self, states: dict[str, ServiceState]) -> None:
        log.info("store answers again: issuing resumes")
        self._store_retry.stop()
        self.store_ok = True
        self._states_read(states)
        faulted = not self.monitor.health.ok
        if faulted and self._alert_recorded is not True:  # an alert missed while the store was down
            self._record_alert(self.monitor.health)
        elif not faulted and self._alert_recorded is True:
            self._record_alert(None)
        self.go_home()

    # --- priority -------------------------------------------------------------------

    def _open_priority(self) -> None:
        self._priority_by_guard = False
        self.window.priority.set_lang(self.lang)
        self._show("priority")

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
        self.window.home.set_priority_group(self.cfg.priority_group(code))
        self.window.home.grid.lock(False)
        self._show("home")

    def _priority_back(self) -> None:
        if self._priority_by_guard and self.guard_staff is not None:
            self._show("guard")
        else:
            self.go_home()

    # --- PINs -----------------------------------------------------------------------

    def _ask_pin(self, purpose: str, title: str) -> None:
        self.window.pin.ask(purpose, title, self.lang)
        self._show("pin")

    def open_guard_keypad(self) -> None:
        """The hidden gesture (hold the centre's name) opens the guard's PIN keypad."""
        if self.window.current_page() in ("home", "attract") and self.store_ok:
            self._ask_pin("guard", t("guard_pin", self.lang))

    def _pin_entered(self, pin: str) -> None:
        purpose = self.window.pin.purpose
        roles = {"guard": GUARD_ROLES, "exit": EXIT_ROLES}.get(purpose, PRIORITY_PIN_ROLES)
        self.window.pin.keypad.set_busy(True)

        def verify() -> StaffInfo:
            with self.store.session() as s:
                return staff.verify_any_pin(s, self.cfg, pin, roles=roles, source=self.name)

        self.runner.run(verify, lambda info: self._pin_ok(purpose, info), self._pin_failed)

    def _pin_ok(self, purpose: str, info: StaffInfo) -> None:
        self.window.pin.keypad.clear()
        if purpose == "guard":
            self.guard_staff = info
            self.window.guard.open_for(info.full_name, self.lang)
            self.window.guard.set_last_number(self.last_ticket.number if self.last_ticket else None)
            self._health_changed(self.monitor.health)
            self._show("guard")
            self.refresh()
            self.monitor.check()
        elif purpose == "priority":
            self._choose_priority(self._pending_group, info.id)
        elif purpose == "exit":
            log.info("kiosk closed by %s", info.username)
            self.window.allow_close()
            self.exit_requested.emit()

    def _pin_failed(self, exc: BaseException) -> None:
        if isinstance(exc, StoreUnavailable):
            self.window.pin.keypad.clear()
            self._store_lost(exc)
        elif isinstance(exc, LobbyError):
            self.window.pin.keypad.show_error(exc.message(self.lang))
        else:
            log.error("PIN check failed", exc_info=exc)
            self.window.pin.keypad.show_error(f"{type(exc).__name__}: {exc}")

    def _pin_cancelled(self) -> None:
        if self.window.pin.purpose == "exit" and self.guard_staff is not None:
            self._show("guard")
        else:
            self.go_home()

    # --- guard mode -----------------------------------------------------------------

    def _guard_priority(self) -> None:
        self._priority_by_guard = True
        self.window.priority.set_lang(self.lang, title=t("guard_priority", self.lang), show_pin_notes=False)
        self._show("priority")

    def _reprint_last(self) -> None:
        if self.last_ticket is not None:
            self._reprint(self.last_ticket.number)

    def _ask_reprint_number(self) -> None:
        self.window.reprint.ask(t("reprint_title", self.lang), self.lang)
        self._show("reprint")

    def _reprint_entered(self, prefix: str, digits: str) -> None:
        try:
            number = number_from_entry(self.cfg, prefix, digits)
        except (LobbyError, ValueError) as exc:
            self.window.reprint.keypad.show_error(exc.message(self.lang) if isinstance(exc, LobbyError) else str(exc))
            return
        self.window.reprint.keypad.set_busy(True)
        self._reprint(number, from_keypad=True)

    def _reprint(self, number: str, *, from_keypad: bool = False) -> None:
        lang = self.lang

        def find() -> TicketInfo:
            with self.store.session() as s:
                return queue.find_ticket(s, self.cfg, number)

        def found(ticket: TicketInfo) -> None:
            self.window.reprint.keypad.clear()
            self.monitor.submit(PrintJob(ticket, make_receipt(self.cfg, ticket, lang, reprinted_at=self.now()), reprint=True))
            self.window.guard.show_message(t("printing", lang) + f" {ticket.number}")
            self._show("guard")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, StoreUnavailable):
                self._store_lost(exc)
            elif from_keypad:
                self.window.reprint.keypad.show_error(exc.message(lang) if isinstance(exc, LobbyError) else str(exc))
            else:
                self.window.guard.show_message(exc.message(lang) if isinstance(exc, LobbyError) else str(exc), error=True)

        self.runner.run(find, found, failed)
