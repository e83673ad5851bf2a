"""Database URLs as the store accepts and shows them, and a database error in one line.

Apart from the engine so that the engine and the schema check (``revision``) share them
without importing each other.
"""
from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from lobby.errors import StoreUnavailable


def safe_url(url: str | URL) -> str:
    """The URL without its password, fit for messages and logs."""
    try:
        u = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        return "<invalid URL>"
    return u.render_as_string(hide_password=True)


def normalise_url(url: str) -> URL:
    """The URL with the driver the store uses; StoreUnavailable for anything but SQLite and PostgreSQL."""
    try:
        u = make_url(url)
    except ArgumentError:
        raise StoreUnavailable(
            url.split("@")[-1],
            "not a database URL; use sqlite:///path/to/file.sqlite3 or postgresql://user@host:5432/dbname",
        ) from None
    if u.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        u = u.set(drivername="postgresql+psycopg")
    if u.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise StoreUnavailable(safe_url(u), "only sqlite:/// and postgresql:// URLs are supported")
    return u


def short_reason(exc: BaseException) -> str:
    """The first line of a database error (at most 300 characters)."""
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return first[:300]
