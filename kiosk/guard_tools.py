"""The printer's side of the kiosk for the guard: its status line, "check the printer", the
fault banner and alert, and reprints (the last ticket, or a number typed on the keypad).

The kiosk controller's part for them, as :class:`kiosk.results.ResultsFlow` is for results:
it listens to the printer monitor and the guard's buttons and tells the window what to show.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from kiosk.printer_monitor import PrinterHealth
from kiosk.printing import PrintJob, make_receipt
from kiosk.texts import t
from lobby import queue
from lobby.errors import LobbyError, StoreUnavailable
from lobby.queue.offer import number_from_entry
from lobby.queue.printing import mark_printed, unprinted_tickets
from lobby.queue.views import TicketInfo

if TYPE_CHECKING:
    from kiosk.controller import KioskController

log = logging.getLogger(__name__)
RECORD_ATTEMPTS = 30  # a print record is retried this many times (a store restarting) before it is left
RECORD_RETRY_MS = 2000


def _message(exc: BaseException, lang: str) -> str:
    return exc.message(lang) if isinstance(exc, LobbyError) else str(exc)


class GuardTools(QObject):
    """Wired to the controller's window, printer monitor and store link at construction."""

    def __init__(self, controller: KioskController) -> None:
        super().__init__(controller)
        self.c = controller
        w, monitor = controller.window, controller.monitor
        w.reprint_last.connect(self.reprint_last)
        w.reprint_number.connect(self.ask_reprint_number)
        w.reprint_entered.connect(self.reprint_entered)
        w.check_printer.connect(self.check_printer)
        w.guard.reprint_unprinted.connect(self.reprint)
        monitor.faulted.connect(self.printer_faulted)
        monitor.recovered.connect(self.printer_recovered)
        monitor.health_changed.connect(self.show_health)

    # --- the printer's state ------------------------------------------------------------

    def show_health(self, health: PrinterHealth) -> None:
        lang = self.c.lang
        text = t("printer_ok", lang) if health.ok and health.known else health.message(lang)
        self.c.window.set_printer_status(text, health.ok)

    def printer_faulted(self, health: PrinterHealth) -> None:
        self.c.window.set_printer_fault(True)
        self.c.link.record_alert(health.message("vi"))

    def printer_recovered(self) -> None:
        self.c.window.set_printer_fault(False)
        self.c.link.record_alert(None)

    def check_printer(self) -> None:
        self.c.window.set_printer_status(t("printer_checking", self.c.lang), self.c.monitor.health.ok)
        self.c.monitor.check()

    # --- reprints -----------------------------------------------------------------------

    def reprint_last(self) -> None:
        if self.c.last_ticket is not None:
            self.reprint(self.c.last_ticket.number)

    def ask_reprint_number(self) -> None:
        self.c._shown()  # its idle time starts now
        self.c.window.show_reprint(t("reprint_title", self.c.lang), self.c.lang)

    def reprint_entered(self, prefix: str, digits: str) -> None:
        try:
            number = number_from_entry(self.c.cfg, prefix, digits)
        except (LobbyError, ValueError) as exc:
            self.c.window.show_keypad_error(_message(exc, self.c.lang))
            return
        self.c.window.set_keypad_busy()
        self.reprint(number, from_keypad=True)

    # --- nothing lost on paper ----------------------------------------------------------

    def offer_unprinted(self) -> None:
        """Show the guard the tickets this kiosk issued but never printed (``lobby.queue.printing``)."""
        c = self.c

        def read() -> list[TicketInfo]:
            with c.store.session() as s:
                return unprinted_tickets(s, c.cfg, c.name, now=c.now())

        def shown(tickets: list[TicketInfo]) -> None:
            numbers = [ticket.number for ticket in tickets]
            c.window.guard.set_unprinted(numbers)
            if numbers:  # the soak's report reads this line (tests/e2e/faultday.py)
                log.info("unprinted tickets offered to the guard: %s", " ".join(numbers))

        c.runner.run(read, shown, lambda exc: log.warning("cannot list the unprinted tickets: %s", exc))

    def record_printed(self, job: PrintJob, attempt: int = 1) -> None:
        """The printer finished ``job``: record it, so that the ticket is never offered for a reprint again.
        A store that does not answer (restarting) is asked again every ``RECORD_RETRY_MS`` for a while."""
        c = self.c

        def failed(exc: BaseException) -> None:
            if attempt < RECORD_ATTEMPTS:
                QTimer.singleShot(RECORD_RETRY_MS, self, lambda: self.record_printed(job, attempt + 1))
            else:
                log.warning("cannot record the print of %s: %s", job.ticket.number, exc)

        def record() -> bool:
            with c.store.session() as s:
                return mark_printed(s, job.ticket.id, now=c.now())

        def recorded(_first: bool) -> None:
            if job.ticket.number in c.window.guard.unprinted:
                self.offer_unprinted()

        c.runner.run(record, recorded, failed)

    def reprint(self, number: str, *, from_keypad: bool = False) -> None:
        c, lang = self.c, self.c.lang

        def find() -> TicketInfo:
            with c.store.session() as s:
                return queue.find_ticket(s, c.cfg, number)

        def found(ticket: TicketInfo) -> None:
            c.window.clear_keypads()
            receipt = make_receipt(c.cfg, ticket, lang, reprinted_at=c.now())
            c.monitor.submit(PrintJob(ticket, receipt, reprint=True))
            c.window.show_guard_message(t("printing", lang) + f" {ticket.number}")
            c.back_to_guard()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, StoreUnavailable):
                c.link.lose(exc)
            elif from_keypad:
                c.window.show_keypad_error(_message(exc, lang))
            else:
                c.window.show_guard_message(_message(exc, lang), error=True)

        c.runner.run(find, found, failed)
