"""Which schema revision a database holds, and which one this code needs (the newest migration).

Takes an engine, not a ``Store``, so that the store can check its schema without the
store and the migrations importing each other.
"""
from __future__ import annotations

from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from lobby.errors import SchemaNewer, SchemaOutdated, StoreUnavailable
from lobby.store.url import safe_url, short_reason

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def head_revision() -> str:
    """The newest migration's revision: what the code expects."""
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database holds (None: no schema yet)."""
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise StoreUnavailable(safe_url(engine.url), short_reason(exc)) from exc


def check_revision(engine: Engine) -> None:
    """SchemaOutdated (asking for ``lobby init``) unless the database holds the newest revision."""
    found = current_revision(engine)
    expected = head_revision()
    if found == expected:
        return
    if found is not None and not _known(found):
        raise SchemaNewer(safe_url(engine.url), found, expected)
    raise SchemaOutdated(safe_url(engine.url), found, expected)


def _known(revision: str) -> bool:
    """Whether this code has a migration of that revision (a newer database has one it does not)."""
    try:
        return ScriptDirectory(str(MIGRATIONS)).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown revision
        return False
