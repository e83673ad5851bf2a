"""The images the emulated printer draws itself: a character of its built-in fonts, a native QR code."""
from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw

from printer_drivers.typeface import CONDENSED_BOLD, REGULAR, font

CELLS = {0: (12, 24), 1: (9, 17)}  # font A, font B: cell width, height in dots


@lru_cache(maxsize=512)
def glyph(char: str, font_no: int, bold: bool, underline: bool, reverse: bool,
           width: int, height: int) -> Image.Image:
    """One character cell as the printer's built-in font would print it (approximately)."""
    cell_w, cell_h = CELLS[font_no]
    size = (20 if bold else 18) if font_no == 0 else (14 if bold else 13)
    face = font(CONDENSED_BOLD if bold else REGULAR, size)
    cell = Image.new("L", (cell_w, cell_h), 255)
    draw = ImageDraw.Draw(cell)
    draw.text((cell_w / 2, round(cell_h * 0.8)), char, font=face, fill=0, anchor="ms")
    if underline:
        draw.line((0, cell_h - 2, cell_w, cell_h - 2), fill=0, width=1)
    image = cell.point(lambda v: 0 if v < 128 else 255)
    if reverse:
        image = image.point(lambda v: 255 - v)
    image = image.convert("1")
    if width > 1 or height > 1:
        image = image.resize((cell_w * width, cell_h * height), Image.Resampling.NEAREST)
    return image


def qr_image(data: bytes, module: int, ec: int) -> Image.Image:
    import qrcode
    from qrcode import constants

    levels = {48: constants.ERROR_CORRECT_L, 49: constants.ERROR_CORRECT_M,
              50: constants.ERROR_CORRECT_Q, 51: constants.ERROR_CORRECT_H}
    code = qrcode.QRCode(error_correction=levels.get(ec, constants.ERROR_CORRECT_M),
                         border=0, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    small = Image.new("1", (n, n), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((n * module, n * module), Image.Resampling.NEAREST)
