"""open_printer on the links that need no emulator: dummy, png, file, and the missing ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from printer_drivers.connections import DummyConnection
from printer_drivers.errors import PrinterError, PrinterFault, PrinterUnreachable
from printer_drivers.layout import ticket_bytes
from printer_drivers.printer import open_printer
from printer_drivers.receipt import TicketReceipt
from printer_drivers.render import render_bytes
from printer_drivers.status import PrinterStatus


def dummy_of(printer: object) -> DummyConnection:
    connection = printer.connection  # type: ignore[attr-defined]
    assert isinstance(connection, DummyConnection)
    return connection


def test_dummy_keeps_exactly_the_ticket_bytes(receipt: TicketReceipt) -> None:
    with open_printer("dummy://", paper_mm=58) as printer:
        result = printer.print_ticket(receipt)
        output = dummy_of(printer).dummy.output
    assert output == ticket_bytes(receipt, paper_mm=58)
    assert result.bytes_sent == len(output)
    assert result.status_before.ok and result.status_after.known
    assert result.message("en") == "Ticket printed"


@pytest.mark.parametrize(
    ("state", "text"),
    [
        (PrinterStatus(online=False, paper_out=True), "Hết giấy"),
        (PrinterStatus(online=False, cover_open=True), "Nắp máy in đang mở"),
        (PrinterStatus(online=False), "offline"),
    ],
)
def test_fault_before_sending_sends_nothing(receipt: TicketReceipt, state: PrinterStatus, text: str) -> None:
    with open_printer("dummy://") as printer:
        dummy_of(printer).dummy.state = state
        with pytest.raises(PrinterFault) as caught:
            printer.print_ticket(receipt)
        assert dummy_of(printer).dummy.output == b""
    assert not caught.value.status.ok and caught.value.bytes_sent == 0
    assert caught.value.status.message("en") == state.message("en")
    assert text in caught.value.message("vi") and "dummy://" in str(caught.value)


def test_paper_near_end_prints_and_warns(receipt: TicketReceipt) -> None:
    with open_printer("dummy://") as printer:
        dummy_of(printer).dummy.state = PrinterStatus(paper_near_end=True)
        result = printer.print_ticket(receipt)
    assert result.paper_near_end and result.message("vi").startswith("Sắp hết giấy")


def test_silent_printer_is_unreachable(receipt: TicketReceipt) -> None:
    with open_printer("dummy://", timeout=0.2) as printer:
        dummy_of(printer).dummy.answering = False
        with pytest.raises(PrinterUnreachable, match="did not answer"):
            printer.status()


def test_using_a_closed_printer_says_so(receipt: TicketReceipt) -> None:
    printer = open_printer("dummy://")
    with pytest.raises(PrinterError, match="not open"):
        printer.print_ticket(receipt)


def test_png_printer_writes_what_the_bytes_print(tmp_path: Path, receipt: TicketReceipt) -> None:
    with open_printer(f"png://{tmp_path}/tickets", paper_mm=58) as printer:
        assert printer.status() == PrinterStatus.unknown()
        result = printer.print_ticket(receipt)
    assert result.output_path is not None and result.output_path.parent == tmp_path / "tickets"
    assert result.output_path.name.startswith("A023-") and result.output_path.suffix == ".png"
    (expected,) = render_bytes(ticket_bytes(receipt, paper_mm=58), 384)
    with Image.open(result.output_path) as written:
        assert written.size == expected.size and written.convert("1").tobytes() == expected.tobytes()


def test_file_printer_writes_the_bytes(tmp_path: Path, receipt: TicketReceipt) -> None:
    target = tmp_path / "lp0"
    with open_printer(f"file://{target}") as printer:
        result = printer.print_ticket(receipt)
    assert target.read_bytes() == ticket_bytes(receipt)
    assert not result.status_after.known


def test_missing_device_file_is_unreachable(tmp_path: Path, receipt: TicketReceipt) -> None:
    with pytest.raises(PrinterUnreachable, match="device path") as caught:
        with open_printer("file:///dev/usb/lp9-not-here"):
            pass
    assert "lp9-not-here" in str(caught.value)


def test_usb_without_pyusb_says_what_to_install() -> None:
    pytest.importorskip("escpos.printer.usb")
    from escpos.printer import Usb

    if Usb.is_usable():
        pytest.skip("pyusb is installed")
    with pytest.raises(PrinterError, match="pip install pyusb"):
        with open_printer("usb://04b8:0202"):
            pass


def test_cups_without_client_says_what_to_install() -> None:
    from escpos.printer import LP, CupsPrinter

    if CupsPrinter.is_usable() or (LP.is_usable() and shutil.which("lp")):
        pytest.skip("a CUPS client is installed")
    with pytest.raises(PrinterError, match="pycups"):
        with open_printer("cups://Kiosk"):
            pass


def test_unknown_profile_lists_the_known_ones() -> None:
    with pytest.raises(PrinterError, match="TM-T20II"):
        open_printer("dummy://", profile="TM-NOPE")
    with pytest.raises(PrinterError, match="58 or 80"):
        open_printer("dummy://", paper_mm=76)
