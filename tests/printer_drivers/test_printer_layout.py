"""The ticket's bytes, piece by piece, against python-escpos's Dummy."""

from __future__ import annotations

import re

import pytest
from escpos.printer import Dummy

from printer_drivers.layout import NARROW, WIDE, ticket_bytes
from printer_drivers.profiles import resolve_profile
from printer_drivers.raster import qr_image, text_block, text_lines
from printer_drivers.receipt import ReceiptLabels, TicketReceipt
from printer_drivers.typeface import BOLD, REGULAR

ESC, GS = b"\x1b", b"\x1d"
RASTER = re.compile(rb"\x1dv0(.)(..)(..)", re.S)


def rasters(data: bytes) -> list[tuple[int, int]]:
    """(width in dots, height) of every GS v 0 image, skipping over their data."""
    found = []
    pos = 0
    while (match := RASTER.search(data, pos)) is not None:
        width_bytes = int.from_bytes(match.group(2), "little")
        height = int.from_bytes(match.group(3), "little")
        found.append((width_bytes * 8, height))
        pos = match.end() + width_bytes * height
    return found


def without_rasters(data: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while (match := RASTER.search(data, pos)) is not None:
        out += data[pos:match.start()]
        pos = match.end() + int.from_bytes(match.group(2), "little") * int.from_bytes(match.group(3), "little")
    return bytes(out + data[pos:])


def escpos_image(image: object, profile: str = "TM-T20II") -> bytes:
    dummy = Dummy(profile=profile)
    dummy.image(image)
    return dummy.output


def test_starts_with_initialise_and_centre(receipt: TicketReceipt) -> None:
    assert ticket_bytes(receipt).startswith(ESC + b"@" + ESC + b"a\x01" + GS + b"v0")


def test_vietnamese_lines_are_the_cropped_rasters(receipt: TicketReceipt) -> None:
    data = ticket_bytes(receipt, paper_mm=80)
    feed = ESC + b"J" + bytes((WIDE.gap,))
    (line1_feed, line1), (line2_feed, line2) = text_lines(
        receipt.centre_name, width=576, size=WIDE.centre, font_name=BOLD
    )
    assert line1_feed == 0 and 0 < line2_feed < WIDE.centre
    assert max(line1.width, line2.width) < 576  # each line costs its own width only, not the paper's
    expected = escpos_image(line1) + ESC + b"J" + bytes((line2_feed,)) + escpos_image(line2) + feed
    assert ESC + b"a\x01" + expected in data
    ((_, ahead),) = text_lines(receipt.ahead_text(), width=576, size=WIDE.body, font_name=REGULAR)
    assert feed + escpos_image(ahead) + feed in data


def test_lines_sit_where_the_block_puts_them(receipt: TicketReceipt) -> None:
    block = text_block(receipt.footer, width=384, size=NARROW.footer, font_name=REGULAR)
    pieces = text_lines(receipt.footer, width=384, size=NARROW.footer, font_name=REGULAR)
    assert block is not None and len(pieces) == 2
    assert sum(feed + image.height for feed, image in pieces) == block.height


def test_no_vietnamese_as_printer_text(receipt: TicketReceipt) -> None:
    text = without_rasters(ticket_bytes(receipt))
    assert all(byte < 0x80 for byte in text)  # no code-page text at all
    assert text.count(ESC + b"t") == 1 and ESC + b"t\x00" in text


def test_big_number_is_native_enlarged_text(receipt: TicketReceipt) -> None:
    data = ticket_bytes(receipt, paper_mm=80)
    # GS ! 0x55 = 6 x 6, ESC E 1 = bold; then back to 1 x 1
    assert GS + b"!\x55" + ESC + b"E\x01" + ESC + b"t\x00" + b"A023\n" + GS + b"!\x00" + ESC + b"E\x00" in data
    narrow = ticket_bytes(receipt, paper_mm=58)
    assert GS + b"!\x44" + ESC + b"E\x01" in narrow  # 5 x 5 on 58 mm


def test_long_numbers_shrink_to_fit() -> None:
    receipt = TicketReceipt("C", "S", "GPLX-1234", "28/11/2026 08:15", 0)
    data = ticket_bytes(receipt, paper_mm=58)
    assert GS + b"!\x22" + ESC + b"E\x01" in data  # 384 // (12 * 9) = 3


def test_native_qr_on_80mm(receipt: TicketReceipt) -> None:
    payload = (receipt.qr_payload or "").encode()
    data = ticket_bytes(receipt, paper_mm=80)
    store = GS + b"(k" + (len(payload) + 3).to_bytes(2, "little") + b"1P0" + payload
    expected = (
        GS + b"(k\x04\x001A2\x00"  # model 2
        + GS + b"(k\x03\x001C" + bytes((WIDE.qr_module,))  # module size
        + GS + b"(k\x03\x001E1"  # error correction M
        + store
        + GS + b"(k\x03\x001Q0"  # print
    )
    assert expected in data


def test_raster_qr_on_58mm_profile_without_qr(receipt: TicketReceipt) -> None:
    assert not resolve_profile(None, 58).native_qr
    data = ticket_bytes(receipt, paper_mm=58)
    assert GS + b"(k" not in data
    assert escpos_image(qr_image(receipt.qr_payload or "", NARROW.qr_module), "POS-5890") in data


def test_force_raster_uses_no_native_text_or_qr(receipt: TicketReceipt) -> None:
    data = ticket_bytes(receipt, paper_mm=80, force_raster=True)
    assert b"A023" not in without_rasters(data)
    assert GS + b"(k" not in data
    assert GS + b"!" not in data


def test_ends_with_partial_cut_where_supported(receipt: TicketReceipt) -> None:
    # GS V 66 0: the printer feeds only as far as its blade needs (no six blank lines first: no long white tail)
    assert ticket_bytes(receipt, paper_mm=80).endswith(GS + b"VB\x00")
    assert ESC + b"d\x06" not in ticket_bytes(receipt, paper_mm=80)
    assert ticket_bytes(receipt, profile="TM-U220B", paper_mm=80).endswith(GS + b"VB\x00")
    # POS-5890 has no cutter: feed past the tear bar, send no cut the printer would not know
    assert ticket_bytes(receipt, paper_mm=58).endswith(ESC + b"d\x04")


@pytest.mark.parametrize(("mm", "profile", "width"), [(80, None, 576), (58, None, 384), (80, "TM-T88V", 512)])
def test_every_image_fits_the_paper(receipt: TicketReceipt, mm: int, profile: str | None, width: int) -> None:
    images = rasters(ticket_bytes(receipt, paper_mm=mm, profile=profile))
    assert len(images) >= 7
    assert all(w <= width for w, _ in images)


def test_optional_lines_leave_no_bytes() -> None:
    full = TicketReceipt("C", "Hộ tịch", "B014", "28/11/2026 08:15", 3, 10, "Người khuyết tật", "x", "Cảm ơn")
    bare = TicketReceipt("C", "Hộ tịch", "B014", "28/11/2026 08:15", 3)
    # wait, priority, QR caption, footer
    assert len(rasters(ticket_bytes(full))) == len(rasters(ticket_bytes(bare))) + 4
    assert GS + b"(k" not in ticket_bytes(bare)


def test_labels_change_the_wording_only() -> None:
    vi = TicketReceipt("C", "S", "A001", "08:00", 2)
    en = TicketReceipt("C", "S", "A001", "08:00", 2, labels=ReceiptLabels.english())
    assert ticket_bytes(vi) != ticket_bytes(en)
    assert len(rasters(ticket_bytes(vi))) == len(rasters(ticket_bytes(en)))


def test_same_receipt_same_bytes(receipt: TicketReceipt) -> None:
    assert ticket_bytes(receipt) == ticket_bytes(receipt)
