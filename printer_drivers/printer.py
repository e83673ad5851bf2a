"""The kiosk's view of a printer: open it, ask its status, print a ticket."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from printer_drivers.connections import Connection, connection_for
from printer_drivers.errors import PrinterError, PrinterFault, PrinterUnreachable
from printer_drivers.layout import build_ticket
from printer_drivers.profiles import PrinterProfile, resolve_profile
from printer_drivers.receipt import TicketReceipt
from printer_drivers.status import PrinterStatus, decode_status
from printer_drivers.urls import parse_printer_url


@dataclass(frozen=True)
class PrintResult:
    """What happened to one ticket. ``status_after`` is unknown on links that cannot answer."""

    url: str
    bytes_sent: int
    seconds: float
    status_before: PrinterStatus
    status_after: PrinterStatus
    output_path: Path | None = None

    @property
    def paper_near_end(self) -> bool:
        return self.status_after.paper_near_end or self.status_before.paper_near_end

    def message(self, lang: str = "vi") -> str:
        """What to tell the guard: a warning when the paper is nearly out, else "printed"."""
        if self.paper_near_end:
            return PrinterStatus(paper_near_end=True).message(lang)
        return "Đã in vé" if lang == "vi" else "Ticket printed"


class TicketPrinter:
    """A printer named by URL. Use as a context manager, or ``open()`` / ``close()``."""

    def __init__(self, connection: Connection, profile: PrinterProfile, *, force_raster: bool = False) -> None:
        self.connection = connection
        self.profile = profile
        self.force_raster = force_raster

    @property
    def url(self) -> str:
        """The URL with any password hidden."""
        return str(self.connection.url)

    @property
    def answers_status(self) -> bool:
        return self.connection.answers_status

    def open(self) -> TicketPrinter:
        self.connection.open()
        return self

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> TicketPrinter:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def status(self) -> PrinterStatus:
        """The real-time status (``DLE EOT 1, 2, 4``, and ``3`` after an error).

        Links that cannot answer (file, CUPS, PNG) give ``PrinterStatus.unknown()``.
        Raises :class:`PrinterUnreachable` when the printer does not answer in time.
        """
        if not self.answers_status:
            return PrinterStatus.unknown()
        ask = self.connection.ask
        printer, cause, paper = ask(1), ask(2), ask(4)
        error = ask(3) if cause & 0x40 else None
        try:
            return decode_status(printer, cause, paper, error)
        except ValueError as exc:
            raise PrinterError(
                f"Printer {self.url} answered the status query with something that is not "
                f"ESC/POS ({exc}): check the baud rate and that it is an ESC/POS printer",
                f"Máy in {self.url} trả lời không đúng chuẩn ESC/POS: kiểm tra tốc độ baud "
                "và loại máy in",
                url=self.url,
            ) from None

    def print_ticket(self, receipt: TicketReceipt) -> PrintResult:
        """Print one ticket, checking the status before and after.

        Raises :class:`PrinterFault` before sending anything when the printer reports
        paper out, cover open, offline or an error; :class:`PrinterUnreachable` when it
        cannot be reached or stops answering; :class:`PrinterFault` after sending when
        the printer reports a fault once the ticket is sent (it may be incomplete).
        """
        started = time.monotonic()
        data = build_ticket(receipt, self.profile, force_raster=self.force_raster)
        before = self.status()
        if not before.ok:
            raise PrinterFault(before, url=self.url)
        sent = self.connection.send(data)
        path = self.connection.end_job(receipt.number)
        try:
            after = self.status()
        except PrinterUnreachable as exc:
            raise PrinterUnreachable(
                f"{exc.message('en')}. The ticket was sent but may not have printed: print it again",
                f"{exc.message('vi')}. Vé đã gửi nhưng có thể chưa in được: in lại vé",
                url=self.url,
                bytes_sent=sent,
            ) from exc
        if not after.ok:
            raise PrinterFault(after, url=self.url, bytes_sent=sent)
        return PrintResult(
            url=self.url,
            bytes_sent=sent,
            seconds=time.monotonic() - started,
            status_before=before,
            status_after=after,
            output_path=path,
        )


def open_printer(
    url: str,
    *,
    profile: str | None = None,
    paper_mm: int = 80,
    force_raster: bool = False,
    timeout: float = 5.0,
) -> TicketPrinter:
    """A :class:`TicketPrinter` for ``url``, to use in a ``with`` block (which opens it).

    The URL and profile are checked now: a bad one raises :class:`BadPrinterURL` or
    :class:`PrinterError` at once, before any connection is tried.
    """
    parsed = parse_printer_url(url)
    resolved = resolve_profile(profile, paper_mm)
    return TicketPrinter(connection_for(parsed, resolved, timeout), resolved, force_raster=force_raster)
