"""printer_drivers stands alone: its public names import, and it pulls in no store and no Qt.

It reads the receipt's words, the fonts and the line-breaking rule from ``lobby.receipt``, ``lobby.fonts`` and
``lobby.line_breaks`` (plain data);
nothing else of ``lobby``, even after building a ticket's bytes.
"""

from __future__ import annotations

import subprocess
import sys

from support import PROCESS_S

SCRIPT = """
import sys
import printer_drivers
from printer_drivers import (
    BadPrinterURL, PrintResult, PrinterError, PrinterFault, PrinterStatus, PrinterUnreachable,
    ReceiptLabels, TicketPrinter, TicketReceipt, open_printer, ticket_bytes,
)
from printer_drivers.emulator import PrinterEmulator, SerialPrinterEmulator, main
import printer_drivers.layout, printer_drivers.render, printer_drivers.connections
from printer_drivers.demo import DEMO_RECEIPT
assert ticket_bytes(DEMO_RECEIPT).startswith(b"\x1b@")
assert issubclass(BadPrinterURL, ValueError) and issubclass(PrinterFault, PrinterError)
assert issubclass(PrinterUnreachable, PrinterError)
ALLOWED = {"lobby", "lobby.receipt", "lobby.i18n", "lobby.fonts", "lobby.line_breaks"}
bad = [m for m in sys.modules if m.split(".")[0] in ("lobby", "lobby_qt", "kiosk", "display", "counter", "PySide6",
                                                     "sqlalchemy")
       and m not in ALLOWED]
assert not bad, bad
print("ok")
"""


def test_public_api_imports_alone() -> None:
    # a fresh interpreter, outside the tests folder (whose folders shadow the package names)
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd="/", timeout=PROCESS_S)
    assert done.stdout.strip() == "ok", done.stderr
