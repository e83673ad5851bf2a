"""Free text a person types (names, notes, sources): trimmed, NFC, length-limited, no control characters.

And ``shown``: how an input appears in an error message, so that a megabyte of input is
never echoed back whole, nor a terminal escape sequence replayed.
"""
from __future__ import annotations

import unicodedata

from lobby.errors import BadText
from lobby.i18n import nfc

SHOWN_MAX = 40
#: Unicode categories refused in stored text: control (Cc), format (Cf: bidi overrides,
#: zero-width joiners...), unassigned, private use and surrogates.
_REFUSED = ("Cc", "Cf", "Cn", "Co", "Cs")


def shown(value: object, limit: int = SHOWN_MAX) -> str:
    """``value`` quoted for a message: control characters escaped, at most ``limit`` characters kept."""
    text = value if isinstance(value, str) else repr(value)
    cut = text[:limit]
    out = "".join(ch if unicodedata.category(ch) not in _REFUSED else f"\\u{ord(ch):04x}" for ch in cut)
    more = f"… ({len(text)} ký tự / characters)" if len(text) > limit else ""
    return f"«{out}»{more}"


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
