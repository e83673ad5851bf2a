"""The printer's side of the kiosk for the guard: its status line, "check the printer", the
fault banner and alert, and reprints (the last ticket, or a number typed on the keypad).

The kiosk controller's part for them, as :class:`kiosk.results.ResultsFlow` is for results:
it listens to the printer monitor and the guard's buttons and tells the window what to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.printer_monitor import PrinterHealth
from kiosk.printing import PrintJob, make_receipt
from kiosk.texts import t
from lobby import queue
from lobby.errors import LobbyError, StoreUnavailable
from lobby.queue.offer import number_from_entry
from lobby.queue.views import TicketInfo

if TYPE_CHECKING:
    from kiosk.controller import KioskController


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
