"""Free text a person types (names, notes, sources): trimmed, NFC, length-limited, no control characters.

And ``shown``: how an input appears in an error message, so that a megabyte of input is
never echoed back whole, nor a terminal escape sequence replayed.
"""
from __future__ import annotations

import unicodedata

from lobby.errors import REFUSED_CATEGORIES as _REFUSED
from lobby.errors import BadText, shown
from lobby.i18n import nfc

SOURCE_MAX = 64  # ticket.source and event.actor are String(64)
NOTE_MAX = 1000  # an official's outcome note


def has_refused_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in _REFUSED for ch in text)


def clean_text(value: str | None, field: str, limit: int, *, required: bool = False) -> str:
    """The text as stored; BadText naming ``field`` if too long, empty but required, or with control characters."""
    text = nfc((value or "").strip())
    if len(text) > limit or has_refused_characters(text) or (required and not text):
        raise BadText(field, shown(value or ""), limit)
    return text


def clean_optional(value: str | None, field: str, limit: int) -> str | None:
    """Like ``clean_text``, keeping None (and an empty text) as None."""
    if value is None:
        return None
    return clean_text(value, field, limit) or None


__all__ = ["NOTE_MAX", "SOURCE_MAX", "clean_optional", "clean_text", "has_refused_characters", "shown"]
