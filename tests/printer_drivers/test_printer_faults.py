"""Faults against the emulator, over TCP and over a pseudo-terminal (real pyserial).

Paper out, cover open and offline are reported before anything is sent; a printer
that vanishes mid-job or never answers gives a clear error within the timeout.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from printer_drivers.emulator import PrinterEmulator, SerialPrinterEmulator
from printer_drivers.errors import PrinterFault, PrinterUnreachable
from printer_drivers.printer import open_printer
from printer_drivers.receipt import TicketReceipt

TIMEOUT = 0.5
Emulator = PrinterEmulator | SerialPrinterEmulator

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


@pytest.mark.parametrize(("state", "english", "vietnamese"), FAULTS)
def test_fault_reported_before_sending(
    printer_emulator: Emulator, receipt: TicketReceipt, state: dict[str, bool], english: str, vietnamese: str
) -> None:
    printer_emulator.set_state(**state)
    with open_printer(printer_emulator.url, timeout=TIMEOUT) as printer:
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
    with open_printer(printer_emulator.url, timeout=TIMEOUT) as printer:
        with pytest.raises(PrinterFault):
            printer.print_ticket(receipt)
        printer_emulator.set_state(cover_open=False, paper_near_end=True)
        result = printer.print_ticket(receipt)
    assert result.paper_near_end
    assert printer_emulator.wait_for_ticket(1).exists()


def test_never_answers(printer_emulator: Emulator, receipt: TicketReceipt) -> None:
    printer_emulator.set_state(mute=True)
    started = time.monotonic()
    with open_printer(printer_emulator.url, timeout=TIMEOUT) as printer:
        with pytest.raises(PrinterUnreachable, match="did not answer the status query") as caught:
            printer.print_ticket(receipt)
    assert time.monotonic() - started < 3 * TIMEOUT
    assert caught.value.bytes_sent == 0 and printer_emulator.print_bytes == 0
    assert printer_emulator.url in str(caught.value)


def test_vanishes_mid_job(printer_emulator: Emulator, receipt: TicketReceipt) -> None:
    printer_emulator.set_state(vanish_after=3000)
    started = time.monotonic()
    with open_printer(printer_emulator.url, timeout=TIMEOUT) as printer:
        with pytest.raises(PrinterUnreachable) as caught:
            printer.print_ticket(receipt)
    assert time.monotonic() - started < 3 * TIMEOUT
    assert caught.value.bytes_sent > 0
    assert "print it again" in str(caught.value) and "in lại vé" in caught.value.message("vi")


def test_stops_reading_mid_job(printer_emulator: Emulator, receipt: TicketReceipt) -> None:
    printer_emulator.set_state(hang_after=2000)
    started = time.monotonic()
    with open_printer(printer_emulator.url, timeout=TIMEOUT) as printer:
        with pytest.raises(PrinterUnreachable) as caught:
            printer.print_ticket(receipt)
    assert time.monotonic() - started < 3 * TIMEOUT
    assert caught.value.bytes_sent > 0


def test_serial_write_timeout_when_the_printer_stops_reading(serial_emulator: SerialPrinterEmulator) -> None:
    """More than the pty's buffer holds: pyserial's write must give up, not block."""
    serial_emulator.set_state(hang_after=0)
    started = time.monotonic()
    with open_printer(serial_emulator.url, timeout=TIMEOUT) as printer:
        with pytest.raises(PrinterUnreachable, match="stopped accepting data") as caught:
            printer.connection.send(b"\x00" * 2_000_000)
    assert time.monotonic() - started < 3 * TIMEOUT
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
    with open_printer(serial_emulator.url, timeout=TIMEOUT) as printer:
        with pytest.raises(PrinterError, match="baud rate"):
            printer.status()
