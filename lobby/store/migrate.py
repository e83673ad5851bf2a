"""Schema migrations (Alembic): the only way the schema is made or changed."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError

from typing import TYPE_CHECKING

from lobby.errors import SchemaOutdated, StoreUnavailable
from lobby.store.engine import Store, short_reason

if TYPE_CHECKING:
    from lobby.config import CentreConfig

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(store: Store) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", store.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    try:
        with store.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise StoreUnavailable(store.safe_url, short_reason(exc)) from exc


def upgrade(store: Store, revision: str = "head") -> None:
    cfg = alembic_config(store)
    try:
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except DBAPIError as exc:
        raise StoreUnavailable(store.safe_url, short_reason(exc)) from exc


def check_schema(store: Store) -> None:
    found = current_revision(store)
    expected = head_revision()
    if found != expected:
        raise SchemaOutdated(store.safe_url, found, expected)


def init_store(store: Store, cfg: "CentreConfig") -> None:
    """Bring the schema to the newest revision and make services and counters match the config."""
    from lobby.store.catalog import sync_config
    from lobby.store.engine import transaction

    upgrade(store)
    with store.session() as session, transaction(session):
        sync_config(session, cfg)
