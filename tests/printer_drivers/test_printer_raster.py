from __future__ import annotations

from pathlib import Path

from PIL import Image

import lobby.fonts
from printer_drivers import typeface
from printer_drivers.raster import byte_align, qr_image, text_block, wrap
from printer_drivers.typeface import BOLD, REGULAR, font


def ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    return image.convert("L").point(lambda v: 255 - v).getbbox()


def test_fonts_come_from_the_package() -> None:
    face = font(REGULAR, 24)
    fonts_dir = Path(lobby.fonts.__file__).parent
    assert (fonts_dir / REGULAR).read_bytes() == typeface.font_bytes(REGULAR)
    assert face.getlength("Ệ") > 0


def test_block_is_cropped_to_the_ink_and_byte_aligned() -> None:
    image = text_block("Số người đang chờ", width=576, size=24, font_name=REGULAR)
    assert image is not None and image.mode == "1"
    assert image.width % 8 == 0 and image.width < 576
    left, top, right, bottom = ink_box(image) or (0, 0, 0, 0)
    assert top == 0 and bottom == image.height
    assert left <= 4 and image.width - right <= 4  # only the centred byte padding
    assert abs(left - (image.width - right)) <= 1


def test_stacked_vietnamese_marks_are_drawn() -> None:
    plain = text_block("E", width=200, size=40, font_name=BOLD)
    marked = text_block("Ễ", width=200, size=40, font_name=BOLD)
    assert plain is not None and marked is not None
    assert marked.height > plain.height * 1.3  # the tilde and the circumflex above, the dot below


def test_long_text_wraps_inside_the_paper() -> None:
    text = "Trung tâm Phục vụ hành chính công tỉnh Bà Rịa – Vũng Tàu"
    face = font(BOLD, 24)
    lines = wrap(text, face, 384)
    assert len(lines) >= 2 and all(face.getlength(line) <= 384 for line in lines)
    image = text_block(text, width=384, size=24, font_name=BOLD)
    assert image is not None and image.width <= 384
    assert wrap("x" * 200, face, 100)[0] and all(face.getlength(line) <= 100 for line in wrap("x" * 200, face, 100))


def test_inverted_block_is_white_on_black() -> None:
    image = text_block("ƯU TIÊN", width=576, size=24, font_name=BOLD, inverted=True)
    assert image is not None
    left, top, _, _ = ink_box(image) or (0, 0, 0, 0)
    assert image.getpixel((left, top)) == 0  # the box corner is ink
    assert image.getpixel((left + 4, image.height // 2)) == 0  # inside the box, left of the text


def test_blank_text_has_no_block() -> None:
    assert text_block("   ", width=576, size=24, font_name=REGULAR) is None


def test_byte_align_centres() -> None:
    image = Image.new("1", (13, 2), 0)
    aligned = byte_align(image)
    assert aligned.size == (16, 2)
    assert ink_box(aligned) == (1, 0, 14, 2)


def test_qr_image_has_whole_modules() -> None:
    image = qr_image("A023", 4)
    assert image.width % 8 == 0 and image.height % 4 == 0
    left, top, _, _ = ink_box(image) or (9, 9, 0, 0)
    assert (left, top) == ((image.width - image.height) // 2, 0)  # no quiet zone
