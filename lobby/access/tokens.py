"""The public token that names a ticket in links and QR codes (never the sequential id).

96 random bits as 16 URL-safe characters: unguessable, and short enough that the QR
code of ``http://192.168.1.10:8080/v/<token>`` stays at version 3 (29×29 modules).
This module imports nothing of the store, so the model can use it as a default.
"""
from __future__ import annotations

import re
import secrets

TOKEN_BYTES = 12  # 96 bits ≥ the 80 the issue asks for
TOKEN_LENGTH = 16
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16}$")


def new_public_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(text: str) -> bool:
    """True when ``text`` has the shape of a public token (checked before any database read)."""
    return bool(_TOKEN.match(text))


def status_url(public_url: str | None, token: str | None) -> str | None:
    """The ticket page's address, or None when the centre has no public URL (or the ticket no token)."""
    if not public_url or not token:
        return None
    return f"{public_url.rstrip('/')}/v/{token}"
