"""Schema migrations (Alembic): the only way the schema is made or changed."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lobby.config import CentreConfig
from lobby.errors import StoreUnavailable
from lobby.store.catalog import sync_config
from lobby.store.engine import Store, short_reason, transaction
from lobby.store.revision import MIGRATIONS, check_revision, head_revision
from lobby.store.revision import current_revision as _engine_revision

MIGRATION_LOCK = 0x10BB1_0007  # pg_advisory_xact_lock key of `lobby init` (any constant, the same everywhere)

__all__ = ["alembic_config", "check_schema", "current_revision", "head_revision", "init_store", "upgrade"]


def alembic_config(store: Store) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", store.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def current_revision(store: Store) -> str | None:
    return _engine_revision(store.engine)


def upgrade(store: Store, revision: str = "head") -> None:
    cfg = alembic_config(store)
    try:
        with store.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two `lobby init` at once on a fresh database: the second waits here for the first's
                # commit, then finds the schema made and has nothing to do (held until this commit).
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except DBAPIError as exc:
        raise StoreUnavailable(store.safe_url, short_reason(exc)) from exc


def check_schema(store: Store) -> None:
    check_revision(store.engine)


def init_store(store: Store, cfg: CentreConfig) -> None:
    """Bring the schema to the newest revision and make services and counters match the config."""
    upgrade(store)
    with store.session() as session, transaction(session):
        if store.dialect == "postgresql":  # a second `lobby init` syncs after the first, not beside it
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        sync_config(session, cfg)
