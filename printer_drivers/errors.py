"""Errors a kiosk can show to a person: each names the printer and what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from printer_drivers.status import PrinterStatus


class PrinterError(Exception):
    """Printing failed. ``str(error)`` is an English message naming the printer.

    ``message(lang)`` gives the same in Vietnamese (``"vi"``) or English (``"en"``).
    ``bytes_sent`` tells whether part of the ticket may already be on paper.
    """

    def __init__(
        self,
        en: str,
        vi: str | None = None,
        *,
        url: str = "",
        bytes_sent: int = 0,
    ) -> None:
        super().__init__(en)
        self.url = url
        self.bytes_sent = bytes_sent
        self._messages = {"en": en, "vi": vi or en}

    def message(self, lang: str = "vi") -> str:
        return self._messages.get(lang, self._messages["en"])


class PrinterFault(PrinterError):
    """The printer answered and reported a fault (paper out, cover open, offline...)."""

    def __init__(self, status: PrinterStatus, *, url: str, bytes_sent: int = 0) -> None:
        where = f" ({url})" if url else ""
        after = bytes_sent > 0
        en = status.message("en") + where
        vi = status.message("vi") + where
        if after:
            en += ". The ticket may be incomplete: print it again once the printer is ready."
            vi += ". Vé có thể bị in thiếu: in lại khi máy in sẵn sàng."
        super().__init__(en, vi, url=url, bytes_sent=bytes_sent)
        self.status = status


class PrinterUnreachable(PrinterError):
    """The printer could not be reached, stopped answering, or vanished mid-job."""


class BadPrinterURL(PrinterError, ValueError):
    """The printer URL in the configuration is not one we understand."""
