"""The migrations make exactly the schema of the models, on SQLite and PostgreSQL, and go down again."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from lobby.config import CentreConfig
from lobby.migrate import alembic_config, current_revision, head_revision, init_store, upgrade
from lobby.models import Base
from lobby.store import Store


def _diff(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return list(compare_metadata(ctx, Base.metadata))


def test_migrated_schema_matches_the_models(store: Store) -> None:
    assert current_revision(store) == head_revision()
    assert _diff(store) == []


def test_down_and_up_again(store: Store, cfg: CentreConfig) -> None:
    acfg = alembic_config(store)
    with store.engine.begin() as conn:
        acfg.attributes["connection"] = conn
        command.downgrade(acfg, "0001")
    assert current_revision(store) == "0001"
    with store.engine.begin() as conn:
        acfg.attributes["connection"] = conn
        command.downgrade(acfg, "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    upgrade(store)
    assert _diff(store) == []
    init_store(store, cfg)  # idempotent: a second init changes nothing
    init_store(store, cfg)
    assert current_revision(store) == head_revision()


def test_ticket_number_unique_per_day_index(store: Store) -> None:
    indexes = {ix["name"]: ix for ix in inspect(store.engine).get_indexes("ticket")}
    assert indexes["ux_ticket_day_number"]["unique"]
    assert indexes["ix_ticket_queue"]["column_names"] == ["service_id", "day", "status", "is_priority", "queued_at", "id"]
