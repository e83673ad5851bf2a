"""The TrueType fonts the tickets are drawn with: the DejaVu fonts bundled in ``lobby.fonts``.

Loaded from the package, never from the system, so a ticket looks the same on every
machine (``lobby.fonts`` is data only: no store, no Qt).
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import ImageFont

from lobby.fonts import BOLD, CONDENSED_BOLD, REGULAR, font_bytes

__all__ = ["BOLD", "CONDENSED_BOLD", "REGULAR", "font"]


@lru_cache(maxsize=64)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """The bundled font ``name`` at ``size`` pixels (cached)."""
    return ImageFont.truetype(io.BytesIO(font_bytes(name)), size)
