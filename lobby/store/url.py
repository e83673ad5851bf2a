"""Database URLs as the store accepts and shows them, and a database error in one line.

Apart from the engine so that the engine and the schema check (``revision``) share them
without importing each other.
"""
from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from lobby.errors import BadDatabaseUrl


def _hidden_authority(text: str) -> str:
    """``scheme://***@host/...`` for a URL text: everything before the last ``@`` of the authority hidden."""
    scheme, sep, rest = text.partition("://")
    if not sep:
        return "<invalid URL>"
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rsplit("@", 1)[1]
    return f"{scheme}://{authority}{slash}{path}"[:200]


def safe_url(url: str | URL) -> str:
    """The URL without its password (all of it, even one holding an unencoded ``@``), fit for messages and logs."""
    try:
        u = make_url(url) if isinstance(url, str) else url
    except (ArgumentError, ValueError):
        return _hidden_authority(url) if isinstance(url, str) else "<invalid URL>"
    if u.host and "@" in u.host:  # "user:p@ss@host": the parser took part of the password for the host
        return _hidden_authority(u.render_as_string(hide_password=False))
    return u.render_as_string(hide_password=True)[:200]


def normalise_url(url: str) -> URL:
    """The URL with the driver the store uses; StoreUnavailable for anything but SQLite and PostgreSQL."""
    hint = "use sqlite:///path/to/file.sqlite3 or postgresql://user@host:5432/dbname"
    if not isinstance(url, str) or len(url) > 2000 or any(ord(ch) < 32 for ch in url):
        raise BadDatabaseUrl("<invalid URL>", f"not a database URL; {hint}")
    try:
        u = make_url(url)
        u.port  # noqa: B018 - a port such as "54x2" fails here, not later in the driver
    except (ArgumentError, ValueError):
        raise BadDatabaseUrl(_hidden_authority(url), f"not a database URL (a malformed part); {hint}") from None
    if u.host and "@" in u.host:
        raise BadDatabaseUrl(_hidden_authority(url),
                               "the user or password holds an unencoded @; write it as %40")
    if u.port is not None and not 0 < u.port < 65536:
        raise BadDatabaseUrl(safe_url(u), f"port {u.port} is outside 1-65535")
    if u.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        u = u.set(drivername="postgresql+psycopg")
    if u.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise BadDatabaseUrl(safe_url(u), "only sqlite:/// and postgresql:// URLs are supported")
    return u


def short_reason(exc: BaseException) -> str:
    """The first line of a database error (at most 300 characters)."""
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return first[:300]
