"""The TrueType fonts the tickets are drawn with (DejaVu, see LICENSE-DejaVu.txt).

Loaded from the package, never from the system, so a ticket looks the same on every
machine.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources

from PIL import ImageFont

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold.ttf"


@lru_cache(maxsize=8)
def _font_bytes(name: str) -> bytes:
    return resources.files("printer_drivers.fonts").joinpath(name).read_bytes()


@lru_cache(maxsize=64)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """The bundled font ``name`` at ``size`` pixels (cached)."""
    return ImageFont.truetype(io.BytesIO(_font_bytes(name)), size)
