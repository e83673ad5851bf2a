"""From an issued ticket to a print job: the receipt, and the factory that opens the printer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from lobby.config import CentreConfig, PrinterConfig
from lobby.queue.offer import receipt_text
from lobby.queue.views import TicketInfo
from printer_drivers import TicketPrinter, TicketReceipt, open_printer

PrinterFactory = Callable[[], TicketPrinter]
"""Returns a printer not yet opened; the print thread opens it in a ``with`` block per job."""


def printer_factory(config: PrinterConfig, url: str | None = None) -> PrinterFactory:
    """A factory for the configured printer (``url`` overrides the config's).

    The URL and profile are checked now, so a typo stops the kiosk at start with a
    message naming the accepted forms (``BadPrinterURL``), not at the first ticket.
    """
    target = url or config.url

    def make() -> TicketPrinter:
        return open_printer(target, profile=config.profile, paper_mm=config.paper_mm,
                            force_raster=config.force_raster, timeout=config.timeout_s)

    make()  # validate now
    return make


def make_receipt(cfg: CentreConfig, ticket: TicketInfo, lang: str, *,
                 reprinted_at: datetime | None = None) -> TicketReceipt:
    return receipt_text(cfg, ticket, lang, reprinted_at=reprinted_at)


@dataclass(frozen=True)
class PrintJob:
    """One ticket to print. A ``reprint`` is asked by the guard: tried even when the printer looks faulted."""

    ticket: TicketInfo
    receipt: TicketReceipt
    reprint: bool = False
    created: float = field(default_factory=time.monotonic)
