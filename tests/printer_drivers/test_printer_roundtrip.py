"""Receipt -> bytes -> emulator over TCP -> PNG, against the stored reference images.

After an intended change, run make_references.py in this folder and look at the PNGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from printer_drivers.emulator import PrinterEmulator, SerialPrinterEmulator
from printer_drivers.printer import open_printer
from printer_drivers.receipt import TicketReceipt
from support import SETTLE_S

REFERENCE = Path(__file__).parent / "reference"
TOLERANCE = 0.005  # share of pixels; absorbs FreeType anti-aliasing differences

Compare = Callable[[Image.Image, Image.Image], float]


@pytest.mark.parametrize("mm", [80, 58])
def test_ticket_matches_reference(
    tmp_path: Path, receipt: TicketReceipt, compare_images: Compare, mm: int
) -> None:
    with PrinterEmulator(out_dir=tmp_path, paper_mm=mm) as emulator:
        with open_printer(emulator.url, paper_mm=mm, timeout=SETTLE_S) as printer:
            result = printer.print_ticket(receipt)
        png = emulator.wait_for_ticket(1, timeout=SETTLE_S)
    assert result.status_before.ok and result.status_after.ok
    with Image.open(png) as got, Image.open(REFERENCE / f"ticket-{mm}mm.png") as want:
        assert got.width == {80: 576, 58: 384}[mm]
        assert abs(got.height - want.height) <= 4
        assert compare_images(got, want) <= TOLERANCE


def test_forced_raster_prints_the_same_layout(
    emulator: PrinterEmulator, receipt: TicketReceipt, compare_images: Compare
) -> None:
    """All-raster is for printers whose own text or QR misbehaves: same lines, only images."""
    with open_printer(emulator.url, force_raster=True, timeout=SETTLE_S) as printer:
        printer.print_ticket(receipt)
    png = emulator.wait_for_ticket(1, timeout=SETTLE_S)
    with Image.open(png) as got, Image.open(REFERENCE / "ticket-80mm.png") as want:
        assert abs(got.height - want.height) <= want.height // 10
        top = (0, 0, 576, 120)  # centre and service names: identical rasters above the number
        assert compare_images(got.crop(top), want.crop(top)) == 0


def test_serial_ticket_matches_tcp_ticket(
    serial_emulator: SerialPrinterEmulator, receipt: TicketReceipt, compare_images: Compare
) -> None:
    with open_printer(serial_emulator.url, timeout=SETTLE_S) as printer:
        printer.print_ticket(receipt)
    png = serial_emulator.wait_for_ticket(1, timeout=SETTLE_S)
    with Image.open(png) as got, Image.open(REFERENCE / "ticket-80mm.png") as want:
        assert compare_images(got, want) <= TOLERANCE


def test_several_tickets_on_one_connection(emulator: PrinterEmulator, receipt: TicketReceipt) -> None:
    with open_printer(emulator.url, timeout=SETTLE_S) as printer:
        for _ in range(3):
            printer.print_ticket(receipt)
    assert emulator.wait_for_ticket(3, timeout=SETTLE_S).name == "ticket-0003.png"
