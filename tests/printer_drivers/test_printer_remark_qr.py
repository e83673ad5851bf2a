"""The general remark QR code at the ticket's foot: small, native where the printer has QR, read back by zbar."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

from printer_drivers.layout import NARROW, WIDE, ticket_bytes
from printer_drivers.printer import open_printer
from support import PROCESS_S, SETTLE_S

TICKET_PAGE = "http://192.168.1.10:8080/v/Xq7mK2pVw9Rt4LzN"
REMARKS = "http://192.168.1.10:8080/gop-y"


def decode_all(png: Path) -> list[str]:
    zbarimg = shutil.which("zbarimg")
    assert zbarimg is not None, "zbarimg not found: install the zbar-tools package (.ci/run installs it)"
    out = subprocess.run([zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)],
                         capture_output=True, text=True, timeout=PROCESS_S)
    assert out.returncode in (0, 4), out.stderr  # 4: no code found
    return sorted(line for line in out.stdout.splitlines() if line)


def native_qr_size(module: int) -> bytes:
    """``GS ( k`` function 167: the module size of the printer's own QR code."""
    return b"\x1d(k\x03\x001C" + bytes((module,))


def test_the_remark_code_is_smaller_than_the_tickets_own():
    assert WIDE.remark_module < WIDE.qr_module and NARROW.remark_module < NARROW.qr_module


def test_native_remark_code_with_its_own_module_size(receipt):
    data = ticket_bytes(receipt, paper_mm=80)
    assert data.count(native_qr_size(WIDE.qr_module)) == 1
    assert data.count(native_qr_size(WIDE.remark_module)) == 1
    assert REMARKS.encode() in data
    without = ticket_bytes(dataclasses.replace(receipt, remark_url=None), paper_mm=80)
    assert REMARKS.encode() not in without and native_qr_size(WIDE.remark_module) not in without
    assert len(without) < len(data)


def test_printed_ticket_reads_back_both_codes(emulator, receipt):
    with open_printer(emulator.url, timeout=SETTLE_S) as printer:
        printer.print_ticket(receipt)
        printer.print_ticket(dataclasses.replace(receipt, remark_url=None))
        printer.print_ticket(dataclasses.replace(receipt, remark_url=None, qr_payload=None))
    assert decode_all(emulator.wait_for_ticket(1, timeout=SETTLE_S)) == sorted([TICKET_PAGE, REMARKS])
    assert decode_all(emulator.wait_for_ticket(2, timeout=SETTLE_S)) == [TICKET_PAGE]
    assert decode_all(emulator.wait_for_ticket(3, timeout=SETTLE_S)) == []


def test_raster_remark_code_reads_back(emulator, receipt):
    with open_printer(emulator.url, force_raster=True, timeout=SETTLE_S) as printer:
        printer.print_ticket(receipt)
    assert decode_all(emulator.wait_for_ticket(1, timeout=SETTLE_S)) == sorted([TICKET_PAGE, REMARKS])
