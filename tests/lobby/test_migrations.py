"""The migrations make exactly the schema of the models, on SQLite and PostgreSQL, and go down again."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from lobby.config import CentreConfig
from lobby.store.engine import Store
from lobby.store.migrate import alembic_config, current_revision, head_revision, init_store, upgrade
from lobby.store.models import Base


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
    assert indexes["ix_ticket_queue"]["column_names"] == ["service_id", "day", "status", "is_priority", "queued_at",
                                                          "id"]


def test_0003_works_out_the_durations_of_stored_tickets(store: Store, cfg: CentreConfig) -> None:
    """Tickets stored before 0003 get their wait and service time, to the microsecond, on both stores."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from lobby import queue
    from lobby.staffing import counters, staff
    from lobby.store.models import Ticket

    at = datetime(2025, 3, 3, 8, 0, 0, 250_001, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    staff.add_staff(store.session(), "an", "Nguyễn Văn An", "official", "1111")
    counters.sign_in(store.session(), cfg, 1, "an", "1111", now=at)
    for i in range(3):
        queue.issue_ticket(store.session(), cfg, "DKKD", now=at + timedelta(seconds=i, microseconds=7 * i))
    queue.call_next(store.session(), cfg, 1, now=at + timedelta(minutes=5, microseconds=999_999))
    queue.start_serving(store.session(), cfg, 1, now=at + timedelta(minutes=6, microseconds=3))
    queue.finish(store.session(), cfg, 1, now=at + timedelta(minutes=16, microseconds=500_000))
    queue.call_next(store.session(), cfg, 1, now=at + timedelta(minutes=17))

    def durations() -> list[tuple[int | None, int | None]]:
        with store.read_session() as s:
            return [(t.wait_us, t.service_us) for t in s.scalars(select(Ticket).order_by(Ticket.id))]

    kept = durations()
    assert kept == [(300_999_999, 600_499_997), (1_018_999_993, None), (None, None)]
    acfg = alembic_config(store)
    with store.engine.begin() as conn:
        acfg.attributes["connection"] = conn
        command.downgrade(acfg, "0002")
    upgrade(store)
    assert durations() == kept
