"""Text and QR codes drawn to 1-bit images, cropped to the ink, ready for ``GS v 0``.

Images are PIL mode ``"1"``, black ink on white, the form python-escpos's
``image()`` expects. Widths are padded to whole bytes with the ink centred, so a
printer centring the image (``ESC a 1``) centres the ink.
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from printer_drivers.typeface import font

LINE_HEIGHT = 1.32  # x font size: room for Vietnamese stacked marks (ệ, ẫ, Ở)
THRESHOLD = 140


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap to ``width`` pixels; words longer than a line are split."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if face.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while face.getlength(word) > width:
                cut = len(word) - 1
                while cut > 1 and face.getlength(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return [line for line in lines if line]


def byte_align(image: Image.Image) -> Image.Image:
    """Pad ``image`` (mode "1") to a multiple of 8 dots wide, ink centred."""
    width, height = image.size
    padded = -(-width // 8) * 8
    if padded == width:
        return image
    out = Image.new("1", (padded, height), 1)
    out.paste(image, ((padded - width) // 2, 0))
    return out


def _ink_bbox(gray: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box of the dark pixels of an ``L`` image (ink is dark)."""
    return gray.point(lambda v: 255 if v < THRESHOLD else 0).getbbox()


def text_block(
    text: str,
    *,
    width: int,
    size: int,
    font_name: str,
    inverted: bool = False,
    pad: int = 8,
) -> Image.Image | None:
    """``text`` wrapped to ``width``, each line centred; None when it has no ink.

    ``inverted`` draws white text on a black box (used for the priority line).
    """
    face = font(font_name, size)
    inner = width - 2 * pad if inverted else width
    lines = wrap(text, face, inner)
    if not lines:
        return None
    step = round(size * LINE_HEIGHT)
    canvas = Image.new("L", (width, step * len(lines) + size), 255)
    draw = ImageDraw.Draw(canvas)
    for i, line in enumerate(lines):
        draw.text((width / 2, i * step + size * 0.4), line, font=face, fill=0, anchor="mt")
    box = _ink_bbox(canvas)
    if box is None:
        return None
    gray = canvas.crop(box)
    if inverted:
        boxed = Image.new("L", (min(gray.width + 2 * pad, width), gray.height + 2 * pad), 0)
        boxed.paste(gray.point(lambda v: 255 - v), (pad, pad))
        gray = boxed
    ink = gray.point(lambda v: 0 if v < THRESHOLD else 255).convert("1")
    return byte_align(ink)


def qr_image(payload: str, module: int) -> Image.Image:
    """A QR code (error correction M, no quiet zone) with ``module`` dots per module."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    small = Image.new("1", (n, n), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return byte_align(small.resize((n * module, n * module), Image.NEAREST))
