"""A link to a printer for each URL scheme (see ``printer_drivers.urls``)."""
from __future__ import annotations

from printer_drivers.connection import Connection
from printer_drivers.local_links import CupsConnection, DummyConnection, DummyPrinter, FileConnection, PngConnection
from printer_drivers.profiles import PrinterProfile
from printer_drivers.urls import PrinterURL
from printer_drivers.wired_links import SerialConnection, TcpConnection, UsbConnection

SCHEMES: dict[str, type[Connection]] = {
    "tcp": TcpConnection,
    "serial": SerialConnection,
    "usb": UsbConnection,
    "file": FileConnection,
    "cups": CupsConnection,
    "png": PngConnection,
    "dummy": DummyConnection,
}


def connection_for(url: PrinterURL, profile: PrinterProfile, timeout: float) -> Connection:
    return SCHEMES[url.scheme](url, profile, timeout)


__all__ = ["SCHEMES", "Connection", "DummyConnection", "DummyPrinter", "connection_for"]
