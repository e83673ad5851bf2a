"""The ESC/POS renderer behind the emulator and png://."""

from __future__ import annotations

from escpos.printer import Dummy
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from printer_drivers.layout import ticket_bytes
from printer_drivers.receipt import TicketReceipt
from printer_drivers.render import EscposRenderer, render_bytes

ESC, GS, DLE_EOT = b"\x1b", b"\x1d", b"\x10\x04"
CUT = GS + b"V\x00"


def ink(image: Image.Image) -> tuple[int, int, int, int] | None:
    return image.convert("L").point(lambda v: 255 - v).getbbox()


def test_raster_image_pixels_land_where_sent() -> None:
    image = Image.new("1", (16, 3), 1)
    image.putpixel((0, 0), 0)
    image.putpixel((15, 2), 0)
    dummy = Dummy()
    dummy.image(image)
    (ticket,) = render_bytes(dummy.output + CUT, 64)
    assert ticket.size == (64, 3)
    assert ticket.getpixel((0, 0)) == 0 and ticket.getpixel((15, 2)) == 0
    assert ticket.getpixel((1, 0)) != 0


def test_alignment_centres_images() -> None:
    dummy = Dummy()
    dummy.set(align="center")
    dummy.image(Image.new("1", (16, 4), 0))
    (ticket,) = render_bytes(dummy.output + CUT, 64)
    assert ink(ticket) == (24, 0, 40, 4)


def test_feeds_and_text_size() -> None:
    dummy = Dummy()
    dummy.set(custom_size=True, width=2, height=3)
    dummy.text("AB\n")
    dummy._raw(ESC + b"J\x28")
    dummy.text("C\n")
    (ticket,) = render_bytes(dummy.output + CUT, 576)
    assert ticket.height == 72 + 40 + 72  # two lines 3 x 24 dots high, 40 dots fed between
    box = ink(ticket)
    assert box is not None and box[2] <= 2 * 2 * 12 + 12


def test_cut_separates_tickets_and_blank_cuts_are_ignored() -> None:
    data = b"one\n" + CUT + CUT + b"two\n" + GS + b"VA\x10" + b"three\n"
    assert len(render_bytes(data, 384)) == 3


def test_native_qr_is_drawn() -> None:
    dummy = Dummy()
    dummy.qr("https://example.vn", native=True, size=4)
    (ticket,) = render_bytes(dummy.output + CUT, 576)
    box = ink(ticket)
    assert box is not None and box[2] - box[0] == box[3] - box[1] and (box[2] - box[0]) % 4 == 0


def test_status_queries_are_answered_and_not_printed() -> None:
    asked: list[int] = []
    def answer(n: int) -> int:
        asked.append(n)
        return 0x12

    renderer = EscposRenderer(576, status=answer)
    tickets, answers = renderer.feed(DLE_EOT + b"\x01" + DLE_EOT + b"\x04")
    assert answers == b"\x12\x12" and asked == [1, 4] and tickets == []
    assert renderer.print_bytes == 0


def test_any_chunking_gives_the_same_ticket(receipt: TicketReceipt) -> None:
    data = ticket_bytes(receipt)
    (whole,) = render_bytes(data, 576)
    renderer = EscposRenderer(576)
    got: list[Image.Image] = []
    for start in range(0, len(data), 7):
        got += renderer.feed(data[start:start + 7])[0]
    assert len(got) == 1 and got[0].tobytes() == whole.tobytes()


def test_printing_while_faulted_spoils_the_ticket() -> None:
    renderer = EscposRenderer(384, can_print=lambda: False)
    tickets, _ = renderer.feed(b"lost\n" + CUT)
    assert tickets == [] and renderer.print_bytes == len(b"lost\n" + CUT)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_garbage_never_crashes(data: bytes) -> None:
    renderer = EscposRenderer(384, status=lambda n: 0x12)
    renderer.feed(data)
    renderer.feed(data[::-1])
    renderer.finish()
