"""Fixtures for the printer tests: emulators on loopback and a pty, the demo ticket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from printer_drivers.demo import DEMO_RECEIPT
from printer_drivers.emulator import PrinterEmulator, SerialPrinterEmulator
from printer_drivers.receipt import TicketReceipt
from support import SETTLE_S

REFERENCE_DIR = Path(__file__).parent / "reference"


@pytest.fixture
def receipt() -> TicketReceipt:
    return DEMO_RECEIPT


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[PrinterEmulator]:
    with PrinterEmulator(out_dir=tmp_path / "emulator", control_port=0) as emu:
        yield emu


@pytest.fixture
def emulator58(tmp_path: Path) -> Iterator[PrinterEmulator]:
    with PrinterEmulator(out_dir=tmp_path / "emulator58", paper_mm=58) as emu:
        yield emu


@pytest.fixture
def serial_emulator(tmp_path: Path) -> Iterator[SerialPrinterEmulator]:
    # A ticket ends at its cut; the idle flush is for printers without a cutter, and a short one would
    # split a ticket whenever a loaded machine pauses the sender mid-ticket.
    with SerialPrinterEmulator(tmp_path / "serial", idle_flush=SETTLE_S) as emu:
        yield emu


def differing_fraction(a: Image.Image, b: Image.Image) -> float:
    """Share of pixels that differ, over the larger image (size differences count)."""
    width, height = max(a.width, b.width), max(a.height, b.height)
    canvas_a = Image.new("1", (width, height), 1)
    canvas_b = Image.new("1", (width, height), 1)
    canvas_a.paste(a.convert("1"), (0, 0))
    canvas_b.paste(b.convert("1"), (0, 0))
    diff = ImageChops.logical_xor(canvas_a, canvas_b)
    return diff.histogram()[255] / (width * height)


@pytest.fixture
def compare_images() -> object:
    return differing_fraction
