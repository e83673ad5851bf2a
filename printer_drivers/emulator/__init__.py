"""An ESC/POS printer emulator: over TCP (like port 9100) or a pseudo-terminal (serial).

It accepts what a thermal printer accepts, answers ``DLE EOT`` status queries, can
be switched to paper out, cover open or offline while running, and writes each
ticket (cut to cut) as a PNG drawn by :mod:`printer_drivers.render`.
"""

from printer_drivers.emulator.cli import main
from printer_drivers.emulator.control import send_command
from printer_drivers.emulator.core import EmulatorState, PrinterCore
from printer_drivers.emulator.serial_pty import SerialPrinterEmulator
from printer_drivers.emulator.tcp import PrinterEmulator

__all__ = ["EmulatorState", "PrinterCore", "PrinterEmulator", "SerialPrinterEmulator", "main", "send_command"]
