"""The apology slip (*phiếu xin lỗi và hẹn lại ngày trả kết quả*) laid out with the ticket's helpers.

The wording comes from ``lobby.dossiers.slip`` (plain data); here it becomes ESC/POS bytes
the way a ticket does (Vietnamese lines as rasters cropped to their ink, gaps as paper
feeds, the title inverted like a priority line, the new date large) and is printed with
the same status checks before and after as a ticket.
"""

from __future__ import annotations

import time

from lobby.dossiers.slip import ApologySlip
from printer_drivers.errors import PrinterFault
from printer_drivers.layout import _recorder, feed_paper, sizes_for
from printer_drivers.printer import PrintResult, TicketPrinter
from printer_drivers.profiles import PrinterProfile
from printer_drivers.raster import text_block, text_lines
from printer_drivers.typeface import BOLD, REGULAR


def build_apology(slip: ApologySlip, profile: PrinterProfile) -> bytes:
    """The whole slip, from initialise to cut."""
    out = _recorder(profile)
    width = profile.width_dots
    size = sizes_for(width)

    def gap(dots: int = size.gap) -> None:
        feed_paper(out, dots)

    def lines(text: str, px: int, face: str) -> None:
        if not text:
            return
        for feed, image in text_lines(text, width=width, size=px, font_name=face):
            if feed > 0:
                gap(feed)
            out.image(image)
        gap(size.gap // 2)

    def block(text: str, px: int, face: str, *, inverted: bool = False) -> None:
        image = text_block(text, width=width, size=px, font_name=face, inverted=inverted)
        if image is not None:
            out.image(image)
            gap()

    out.hw("INIT")
    out.set(align="center")
    lines(slip.centre_name, size.centre, BOLD)
    gap()
    for part in slip.title.split("\n"):
        block(part, size.heading, BOLD, inverted=True)
    lines(slip.to_line, size.body, BOLD)
    for fact in slip.facts:
        lines(fact, size.body, REGULAR)
    gap()
    lines(slip.body, size.body, REGULAR)
    gap()
    lines(slip.new_date_label, size.heading, REGULAR)
    lines(slip.new_date, size.service, BOLD)
    gap()
    lines(slip.ticket_line, size.body, BOLD)
    lines(slip.closing, size.footer, REGULAR)
    gap()
    lines(slip.printed_text, size.footer, REGULAR)
    lines(slip.footer, size.footer, REGULAR)
    gap(2 * size.gap)
    out.cut(mode="PART")
    return out.output


def print_apology(printer: TicketPrinter, slip: ApologySlip) -> PrintResult:
    """Print the slip on an open printer, checking its status before and after (as ``print_ticket`` does)."""
    started = time.monotonic()
    data = build_apology(slip, printer.profile)
    before = printer.status()
    if not before.ok:
        raise PrinterFault(before, url=printer.url)
    sent = printer.connection.send(data)
    path = printer.connection.end_job(slip.name)
    after = printer.status()
    if not after.ok:
        raise PrinterFault(after, url=printer.url, bytes_sent=sent)
    return PrintResult(url=printer.url, bytes_sent=sent, seconds=time.monotonic() - started, status_before=before,
                       status_after=after, output_path=path)
