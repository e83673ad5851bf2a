"""Faults against the emulator, over TCP and over a pseudo-terminal (real pyserial).

Paper out, cover open and offline are reported before anything is sent; a printer
that vanishes mid-job or never answers gives a clear error instead of blocking.

Two timeouts: the link's ``SETTLE_S`` wherever the emulator must answer (a loaded machine
only makes it answer later), the short ``TIMEOUT`` where the test waits for it to run out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from printer_drivers.emulator import PrinterEmulator, SerialPrinterEmulator
from printer_drivers.errors import PrinterFault, PrinterUnreachable
from printer_drivers.printer import open_printer
from printer_drivers.receipt import TicketReceipt
from support import SETTLE_S

TIMEOUT = 0.5
Emulator = PrinterEmulator | SerialPrinterEmulator
T = TypeVar("T")

FAULTS = [
    ({"paper_out": True}, "Paper out: load a new roll and close the cover", "Hết giấy"),
    ({"cover_open": True}, "Printer cover open", "Nắp máy in đang mở"),
    ({"offline": True}, "Printer offline", "Máy in không sẵn sàng"),
]


@pytest.fixture(params=["tcp", "pty"])
def printer_emulator(
    request: pytest.FixtureRequest, emulator: PrinterEmulator, serial_emulator: SerialPrinterEmulator
) -> Iterator[Emulator]:
    yield emulator if request.param == "tcp" else serial_emulator


def without_hanging(action: Callable[[], T]) -> T:
    """``action()`` run in a thread: what it returns or raises; a failure if it is still blocked after SETTLE_S.

    A link that honours its timeout gives up; one that ignores it blocks for good. A generous wait
    tells the two apart on any machine, where timing the call would fail on a loaded one.
    """
    outcome: list[tuple[T | None, BaseException | None]] = []

    def run() -> None:
        try:
            outcome.append((action(), None))
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            outcome.append((None, exc))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(SETTLE_S)
    if not outcome:
        pytest.fail(f"still blocked after {SETTLE_S} s: the link's {TIMEOUT} s timeout was not applied")
    result, error = outcome[0]
    if error is not None:
        raise error
    return result  # type: ignore[return-value]


def print_one(url: str, receipt: TicketReceipt, timeout: float) -> None:
    with open_printer(url, timeout=timeout) as printer:
        printer.print_ticket(receipt)


@pytest.mark.parametrize(("state", "english", "vietnamese"), FAULTS)
def test_fault_reported_before_sending(
    printer_emulator: Emulator, receipt: TicketReceipt, state: dict[str, bool], english: str, vietnamese: str
) -> None:
    printer_emulator.set_state(**state)
    with open_printer(printer_emulator.url, timeout=SETTLE_S) as printer:
        status = printer.status()
        with pytest.raises(PrinterFault) as caught:
            printer.print_ticket(receipt)
    assert not status.ok and not status.online
    assert caught.value.bytes_sent == 0 and not caught.value.status.ok
    assert str(caught.value).startswith(english) and printer_emulator.url in str(caught.value)
    assert caught.value.message("vi").startswith(vietnamese)
    assert printer_emulator.print_bytes == 0  # only status queries reached the printer


def test_fault_cleared_then_prints(printer_emulator: Emulator, receipt: TicketReceipt) -> None:
    printer_emulator.set_state(cover_open=True)
    with open_printer(printer_emulator.url, timeout=SETTLE_S) as printer:
        with pytest.raises(PrinterFault):
            printer.print_ticket(receipt)
        printer_emulator.set_state(cover_open=False, paper_near_end=True)
        result = printer.print_ticket(receipt)
    assert result.paper_near_end
    assert printer_emulator.wait_for_ticket(1, timeout=SETTLE_S).exists()


def test_never_answers(printer_emulator: Emulator, receipt: TicketReceipt) -> None:
    printer_emulator.set_state(mute=True)
    with pytest.raises(PrinterUnreachable, match="did not answer the status query") as caught:
        without_hanging(lambda: print_one(printer_emulator.url, receipt, TIMEOUT))
    assert caught.value.bytes_sent == 0 and printer_emulator.print_bytes == 0
    assert printer_emulator.url in str(caught.value)


def test_vanishes_mid_job(printer_emulator: Emulator, receipt: TicketReceipt) -> None:
    """The link breaks: the error comes from the break itself, not from waiting out a timeout."""
    printer_emulator.set_state(vanish_after=3000)
    with pytest.raises(PrinterUnreachable) as caught:
        without_hanging(lambda: print_one(printer_emulator.url, receipt, SETTLE_S))
    assert caught.value.bytes_sent > 0
    assert "print it again" in str(caught.value) and "in lại vé" in caught.value.message("vi")


def print_until_under_way(url: str, receipt: TicketReceipt) -> PrinterUnreachable:
    """``print_ticket`` on a printer that stops reading mid-job: the error once the ticket was under way.

    With the short timeout the status query before the ticket may go unanswered on a loaded
    machine (then nothing is sent and nothing was tested): that case alone is tried again, on a
    new connection, for up to SETTLE_S.
    """
    deadline = time.monotonic() + SETTLE_S
    while True:
        with pytest.raises(PrinterUnreachable) as caught:
            without_hanging(lambda: print_one(url, receipt, TIMEOUT))
        if caught.value.bytes_sent > 0 or time.monotonic() > deadline:
            return caught.value


def test_stops_reading_mid_job(printer_emulator: Emulator, receipt: TicketReceipt) -> None:
    printer_emulator.set_state(hang_after=2000)
    assert print_until_under_way(printer_emulator.url, receipt).bytes_sent > 0


def test_serial_write_timeout_when_the_printer_stops_reading(serial_emulator: SerialPrinterEmulator) -> None:
    """More than the pty's buffer holds: pyserial's write must give up, not block."""
    serial_emulator.set_state(hang_after=0)

    def send() -> int:
        with open_printer(serial_emulator.url, timeout=TIMEOUT) as printer:
            return printer.connection.send(b"\x00" * 2_000_000)

    with pytest.raises(PrinterUnreachable, match="stopped accepting data") as caught:
        without_hanging(send)
    assert 0 < caught.value.bytes_sent < 2_000_000


def test_tcp_refused_is_unreachable_at_once(emulator: PrinterEmulator) -> None:
    port = emulator.port
    emulator.stop()
    with pytest.raises(PrinterUnreachable, match="cannot be reached") as caught:
        with open_printer(f"tcp://127.0.0.1:{port}", timeout=TIMEOUT):
            pass
    assert f"127.0.0.1:{port}" in caught.value.message("vi")


def test_missing_serial_device(tmp_path: object) -> None:
    with pytest.raises(PrinterUnreachable, match="baud rate"):
        with open_printer("serial:///dev/ttyUSB-not-here?baudrate=19200", timeout=TIMEOUT):
            pass


def test_wrong_baud_rate_garbage_is_reported(serial_emulator: SerialPrinterEmulator) -> None:
    """A garbled answer (as at the wrong baud rate) is an error, never "paper plenty"."""
    from printer_drivers.errors import PrinterError

    serial_emulator.set_state(garbled=True)
    with open_printer(serial_emulator.url, timeout=SETTLE_S) as printer:
        with pytest.raises(PrinterError, match="baud rate"):
            printer.status()
