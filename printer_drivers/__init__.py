"""Queue tickets on ESC/POS thermal printers, with Vietnamese that always prints right.

Knows nothing of the store: the kiosk passes a :class:`TicketReceipt` and a URL.

    with open_printer("tcp://192.168.1.50:9100") as printer:
        result = printer.print_ticket(receipt)
"""

from printer_drivers.errors import BadPrinterURL, PrinterError, PrinterFault, PrinterUnreachable
from printer_drivers.layout import ticket_bytes
from printer_drivers.printer import PrintResult, TicketPrinter, open_printer
from printer_drivers.receipt import ReceiptLabels, TicketReceipt
from printer_drivers.status import PrinterStatus
from printer_drivers.urls import ACCEPTED_FORMS, parse_printer_url

__all__ = [
    "ACCEPTED_FORMS",
    "BadPrinterURL",
    "PrintResult",
    "PrinterError",
    "PrinterFault",
    "PrinterStatus",
    "PrinterUnreachable",
    "ReceiptLabels",
    "TicketPrinter",
    "TicketReceipt",
    "open_printer",
    "parse_printer_url",
    "ticket_bytes",
]
