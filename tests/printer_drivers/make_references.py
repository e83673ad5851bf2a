"""Regenerate the reference tickets after an intended change to the layout or renderer.

    .venv/bin/python tests/printer_drivers/make_references.py

Prints the demo ticket to the emulator over TCP (as the round-trip test does) for
58 mm and 80 mm, stores the PNGs as the test references and copies them to
docs/printer/. Look at them before committing.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from printer_drivers.demo import DEMO_RECEIPT
from printer_drivers.emulator import PrinterEmulator
from printer_drivers.printer import open_printer

HERE = Path(__file__).parent
DOCS = HERE.parent.parent / "docs" / "printer"


def main() -> int:
    (HERE / "reference").mkdir(exist_ok=True)
    DOCS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for mm in (80, 58):
            with PrinterEmulator(out_dir=Path(tmp) / str(mm), paper_mm=mm) as emulator:
                with open_printer(emulator.url, paper_mm=mm) as printer:
                    printer.print_ticket(DEMO_RECEIPT)
                png = emulator.wait_for_ticket(1)
            for target in (HERE / "reference" / f"ticket-{mm}mm.png", DOCS / f"ticket-{mm}mm.png"):
                shutil.copyfile(png, target)
                print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
