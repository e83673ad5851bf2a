"""Links to printers, one class per URL scheme, each wrapping a python-escpos printer.

Every link is opened and closed explicitly and never blocks for longer than its
timeout: sockets, serial writes and reads, USB transfers and device-file writes all
have one (python-escpos's USB default of "no timeout" hangs when the cover is open).
Bytes are sent in chunks so the timeout means "no progress for that long", not
"the whole ticket within that long" (a 14 kB ticket takes 15 s at 9,600 baud).
"""
from __future__ import annotations

import time
from abc import ABC, abstractmethod
from pathlib import Path

from escpos.escpos import Escpos

from printer_drivers.errors import PrinterError, PrinterUnreachable
from printer_drivers.profiles import PrinterProfile
from printer_drivers.status import DLE_EOT
from printer_drivers.urls import PrinterURL


class Connection(ABC):
    """An open link to one printer. Subclasses set ``answers_status`` and ``printer``."""

    answers_status = False
    chunk_size = 4096
    #: What to check, in English and Vietnamese, when the printer cannot be reached.
    advice = ("check the printer is switched on and connected", "kiểm tra máy in đã bật và đã kết nối")

    def __init__(self, url: PrinterURL, profile: PrinterProfile, timeout: float) -> None:
        self.url = url
        self.profile = profile
        self.timeout = timeout
        self.printer: Escpos | None = None

    # -- lifecycle -----------------------------------------------------------

    def open(self) -> None:
        self.printer = self._make()
        try:
            self.printer.open()
        except PrinterError:
            raise
        except Exception as exc:  # noqa: BLE001 - escpos wraps OSError in DeviceNotFoundError, and more
            self.printer = None
            raise self.unreachable("cannot be reached", "không kết nối được", exc) from None

    def close(self) -> None:
        printer, self.printer = self.printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:  # noqa: BLE001 - closing a dead link must not hide the real error
                pass

    @abstractmethod
    def _make(self) -> Escpos:
        """The python-escpos printer of this link, not yet open."""

    # -- jobs ----------------------------------------------------------------

    def send(self, data: bytes) -> int:
        """Send ``data``; on failure raise :class:`PrinterUnreachable` with the bytes sent."""
        printer = self._require()
        sent = 0
        try:
            for start in range(0, len(data), self.chunk_size):
                chunk = data[start:start + self.chunk_size]
                printer._raw(chunk)
                sent += len(chunk)
        except PrinterError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the link mid-ticket is "unreachable"
            raise self.unreachable(
                "stopped accepting data mid-ticket", "ngừng nhận dữ liệu giữa chừng", exc, sent
            ) from None
        return sent

    def ask(self, n: int) -> int:
        """Send ``DLE EOT n`` and return the one-byte answer (silence is an error)."""
        printer = self._require()
        try:
            printer._raw(DLE_EOT + bytes((n,)))
            deadline = time.monotonic() + self.timeout
            while True:
                answer = printer._read()
                if answer:
                    return answer[0]
                if self._closed_by_peer(answer) or time.monotonic() >= deadline:
                    break
        except PrinterError:
            raise
        except TimeoutError:
            pass
        except Exception as exc:  # noqa: BLE001 - any failure of the link while asking is "unreachable"
            raise self.unreachable("stopped answering", "không trả lời", exc) from None
        raise self.unreachable(
            f"did not answer the status query within {self.timeout:g} s",
            f"không trả lời trong {self.timeout:g} giây",
        )

    def _closed_by_peer(self, answer: bytes) -> bool:
        return False

    def end_job(self, number: str) -> Path | None:
        """Called after a ticket is sent: flush, submit or write it. Returns a file if any."""
        return None

    # -- helpers -------------------------------------------------------------

    def _require(self) -> Escpos:
        if self.printer is None:
            raise PrinterError(
                f"Printer {self.url} is not open: use it inside 'with open_printer(...)'",
                f"Máy in {self.url} chưa được mở",
                url=str(self.url),
            )
        return self.printer

    def unreachable(
        self, what_en: str, what_vi: str, exc: BaseException | None = None, sent: int = 0
    ) -> PrinterUnreachable:
        detail = f" ({describe(exc)})" if exc is not None else ""
        en = f"Printer {self.url} {what_en}{detail}: {self.advice[0]}"
        vi = f"Máy in {self.url} {what_vi}{detail}: {self.advice[1]}"
        if sent:
            en += ". Part of the ticket was sent: print it again."
            vi += ". Vé đã được gửi một phần: in lại vé."
        return PrinterUnreachable(en, vi, url=str(self.url), bytes_sent=sent)


def describe(exc: BaseException) -> str:
    if type(exc).__module__.startswith("escpos") and exc.__context__ is not None:
        exc = exc.__context__  # escpos wraps the OSError that says what happened
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1]}" if text else type(exc).__name__
