"""Text and QR codes drawn to 1-bit images, cropped to the ink, ready for ``GS v 0``.

Images are PIL mode ``"1"``, black ink on white, the form python-escpos's
``image()`` expects. Widths are padded to whole bytes with the ink centred, so a
printer centring the image (``ESC a 1``) centres the ink.
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from lobby.line_breaks import break_lines
from printer_drivers.typeface import font

LINE_HEIGHT = 1.32  # x font size: room for Vietnamese stacked marks (ệ, ẫ, Ở)
THRESHOLD = 140


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Wrap to ``width`` pixels between Vietnamese words (``lobby.line_breaks``); when that cannot fit in four
    lines, greedy word wrap, words longer than a line split."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        whole = break_lines(paragraph, lambda s: face.getlength(s) <= width, max_lines=4)
        if whole is not None:  # broken between words, never inside one ("kinh / doanh")
            lines.extend(whole)
            continue
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
    return byte_align(small.resize((n * module, n * module), Image.Resampling.NEAREST))


def text_lines(
    text: str, *, width: int, size: int, font_name: str
) -> list[tuple[int, Image.Image]]:
    """``text`` wrapped and centred like :func:`text_block`, but one image per line.

    Each line is cropped to its own ink, so a short last line ("Lâm Đồng") costs
    its own width, not the widest line's. Returns ``(feed, image)`` pairs: ``feed``
    is the blank dots to feed before the image so the lines sit exactly where they
    would in the block. Lines whose ink overlaps (deep marks) stay one image.
    """
    face = font(font_name, size)
    lines = wrap(text, face, width)
    step = round(size * LINE_HEIGHT)
    pieces: list[tuple[int, Image.Image]] = []
    previous_bottom: int | None = None
    group: tuple[int, int, Image.Image] | None = None  # top, bottom, canvas of the open group
    for i, line in enumerate(lines):
        canvas = Image.new("L", (width, step * len(lines) + size), 255)
        ImageDraw.Draw(canvas).text(
            (width / 2, i * step + size * 0.4), line, font=face, fill=0, anchor="mt"
        )
        box = _ink_bbox(canvas)
        if box is None:
            continue
        if group is not None and box[1] < group[1]:  # touches the line above: merge
            merged = Image.new("L", canvas.size, 255)
            merged.paste(group[2], mask=group[2].point(lambda v: 255 if v < THRESHOLD else 0))
            merged.paste(canvas, mask=canvas.point(lambda v: 255 if v < THRESHOLD else 0))
            group = (group[0], box[3], merged)
            continue
        if group is not None:
            pieces.append(_piece(group, previous_bottom))
            previous_bottom = group[1]
        group = (box[1], box[3], canvas)
    if group is not None:
        pieces.append(_piece(group, previous_bottom))
    return pieces


def _piece(group: tuple[int, int, Image.Image], previous_bottom: int | None) -> tuple[int, Image.Image]:
    top, bottom, canvas = group
    box = _ink_bbox(canvas)
    assert box is not None
    ink = canvas.crop((box[0], top, box[2], bottom))
    image = byte_align(ink.point(lambda v: 0 if v < THRESHOLD else 255).convert("1"))
    return (0 if previous_bottom is None else top - previous_bottom), image
