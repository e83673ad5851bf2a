"""The ``[web]`` section: where ``lobby-web`` listens, the address phones use, and how long ticket links work."""
from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator

from lobby.config.base import Strict


class WebConfig(Strict):
    # the address phones and other systems use, e.g. "http://192.168.1.10:8080"; QR codes and links are
    # built from it. Unset: tickets print no QR code and status_url is null.
    public_url: str | None = None
    host: str = Field(default="127.0.0.1", min_length=1, max_length=255)
    port: int = Field(default=8080, ge=1, le=65535)
    # a ticket's link works on its day and this many days after
    token_days: int = Field(default=3, ge=0, le=90)

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, v: str | None) -> str | None:
        if not v:
            return None
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f'must be an address like "http://192.168.1.10:8080" (http or https, no ?query), '
                             f'got "{v}"')
        return v.rstrip("/")
