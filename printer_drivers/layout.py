"""The ticket laid out as ESC/POS bytes, built with python-escpos's ``Dummy``.

Small on the wire: every line with Vietnamese text is a raster cropped to its own
ink (not a full-width strip), gaps are paper feeds (``ESC J``, 3 bytes) rather than
blank raster rows, the ASCII number is the printer's own enlarged text and the QR
code is the printer's own ``GS ( k`` where the profile has it.
"""

from __future__ import annotations

from dataclasses import dataclass

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image

from printer_drivers.profiles import PrinterProfile, resolve_profile
from printer_drivers.raster import qr_image, text_block, text_lines
from printer_drivers.receipt import TicketReceipt
from printer_drivers.typeface import BOLD, CONDENSED_BOLD, REGULAR

ESC_J = b"\x1bJ"  # print and feed n dots; python-escpos has no method for it
GS_V_FEED_AND_CUT = b"\x1dVB\x00"  # feed to the cutting position, then partial cut
TEAR_BAR_LINES = 4
NATIVE_CELL = 12  # width in dots of the printer's font A at size 1 x 1


@dataclass(frozen=True)
class Sizes:
    """Font sizes (pixels) and spacing (dots) for one paper width."""

    centre: int
    service: int
    heading: int
    body: int
    footer: int
    number_max: int  # native character magnification, 1..8
    qr_module: int
    remark_module: int  # the general remark QR at the foot: smaller, fewer bytes to print
    gap: int


WIDE = Sizes(centre=24, service=30, heading=22, body=24, footer=19, number_max=6, qr_module=5, remark_module=3, gap=14)
NARROW = Sizes(centre=20, service=24, heading=18, body=19, footer=16, number_max=5, qr_module=4, remark_module=3,
               gap=10)


def sizes_for(width_dots: int) -> Sizes:
    return WIDE if width_dots >= 500 else NARROW


def ticket_bytes(
    receipt: TicketReceipt,
    *,
    paper_mm: int = 80,
    profile: str | None = None,
    force_raster: bool = False,
) -> bytes:
    """The whole ticket, from initialise to cut, for the given profile and paper."""
    return build_ticket(receipt, resolve_profile(profile, paper_mm), force_raster=force_raster)


def build_ticket(
    receipt: TicketReceipt, profile: PrinterProfile, *, force_raster: bool = False
) -> bytes:
    out = _recorder(profile)
    width = profile.width_dots
    size = sizes_for(width)

    def gap(dots: int = size.gap) -> None:
        feed_paper(out, dots)

    def raster(text: str | None, px: int, face: str, *, inverted: bool = False) -> None:
        if not text:
            return
        if inverted:
            image = text_block(text, width=width, size=px, font_name=face, inverted=True)
            pieces = [] if image is None else [(0, image)]
        else:
            pieces = text_lines(text, width=width, size=px, font_name=face)
        for feed, image in pieces:
            if feed > 0:
                gap(feed)
            out.image(image)
        if pieces:
            gap()

    out.hw("INIT")
    out.set(align="center")
    raster(receipt.centre_name, size.centre, BOLD)
    raster(receipt.service_name, size.service, BOLD)
    gap(size.gap)
    raster(receipt.labels.heading, size.heading, REGULAR)
    _number(out, receipt.number, width, size, native=not force_raster)
    gap()
    raster(receipt.priority_text(), size.body, BOLD, inverted=True)
    raster(receipt.ahead_text(), size.body, REGULAR)
    raster(receipt.wait_text(), size.body, REGULAR)
    raster(receipt.issued_text(), size.body, REGULAR)
    raster(receipt.labels.valid, size.footer, BOLD)
    if receipt.qr_payload:
        gap()
        _qr(out, receipt.qr_payload, size.qr_module, native=profile.native_qr and not force_raster)
        gap(size.gap // 2)
        raster(receipt.labels.qr_caption, size.footer, REGULAR)
    raster(receipt.footer, size.footer, REGULAR)
    if receipt.remark_url:
        gap()
        _qr(out, receipt.remark_url, size.remark_module, native=profile.native_qr and not force_raster)
        gap(size.gap // 2)
        raster(receipt.labels.remark_caption, size.footer, REGULAR)
    _cut(out)
    return out.output


def _qr(out: Dummy, payload: str, module: int, *, native: bool) -> None:
    """A QR code: the printer's own ``GS ( k`` where it has one, else a raster of ``module`` dots a module."""
    if native:
        out.qr(payload, ec=QR_ECLEVEL_M, size=module, native=True)
    else:
        out.image(qr_image(payload, module))


def _cut(out: Dummy) -> None:
    """End the ticket without a long blank tail.

    A printer with a cutter gets ``GS V 66 0``: it feeds just far enough to bring the last line past its blade,
    then cuts (python-escpos's usual ``cut()`` feeds six blank lines first). One without a cutter is fed past its
    tear bar (four lines) and gets no cut command it would not know."""
    if out.profile.supports("paperPartCut") or out.profile.supports("paperFullCut"):
        out._raw(GS_V_FEED_AND_CUT)
    else:
        out._raw(b"\x1bd" + bytes((TEAR_BAR_LINES,)))


def _number(out: Dummy, number: str, width: int, size: Sizes, *, native: bool) -> None:
    """The big number: enlarged native text when ASCII, else (or when forced) a raster."""
    magnify = max(1, min(size.number_max, width // (NATIVE_CELL * len(number))))
    if native and number.isascii() and number.isprintable():
        out.set(bold=True, custom_size=True, width=magnify, height=magnify)
        out.text(number + "\n")
        out.set(bold=False, custom_size=True, width=1, height=1)
        return
    image = text_block(number, width=width, size=24 * magnify, font_name=CONDENSED_BOLD)
    if image is not None:
        out.image(image)


def feed_paper(out: Dummy, dots: int) -> None:
    """Feed ``dots`` of paper (ESC J, at most 255 dots a command): the gaps of every slip."""
    while dots > 0:
        out._raw(ESC_J + bytes((min(dots, 255),)))
        dots -= 255


def _recorder(profile: PrinterProfile) -> Dummy:
    """A Dummy on ``profile`` whose media width is the width we lay out for.

    Setting it on this profile instance keeps python-escpos's own image-width check
    in line with our layout (and quiet for profiles whose width is "Unknown").
    """
    out = Dummy(profile=profile.name)
    data = dict(out.profile.profile_data)
    data["media"] = {"width": {"pixels": profile.width_dots}}
    out.profile.profile_data = data
    return out


def naive_ticket_bytes(image: Image.Image, profile: PrinterProfile) -> bytes:
    """The naive way, for comparison: the whole ticket as one full-width raster."""
    out = _recorder(profile)
    out.hw("INIT")
    out.image(image.convert("1"))
    out.cut(mode="PART")
    return out.output
