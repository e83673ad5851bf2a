"""ticket durations as integers; one index for the reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

- ``ticket.wait_us`` (first call − issue) and ``ticket.service_us`` (finish − start of a
  served ticket), in whole microseconds: kept by the queue rules from now on, worked
  out here for the tickets already stored. The reports count and rank these integers
  instead of subtracting times (on SQLite, ISO text) for every ticket.
- ``ix_ticket_report``: every column a report reads, led by the day, so a range of
  days is read from the index alone; ``ix_ticket_priority_day`` (priority tickets only):
  the groups of priority and who allowed them, for the report's list of grants.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

REPORT_COLUMNS = ["day", "origin_service_id", "counter_id", "staff_id", "status", "is_priority", "granted_by_id",
                  "wait_us", "service_us", "issued_at"]


def _us(a: str, b: str, pg: bool) -> str:
    """``b - a`` in microseconds, exactly. SQLite keeps times as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC)."""
    if pg:
        return f"(EXTRACT(EPOCH FROM ({b} - {a})) * 1000000)::bigint"
    whole = f"(CAST(strftime('%s', {b}) AS INTEGER) - CAST(strftime('%s', {a}) AS INTEGER)) * 1000000"
    return f"({whole} + CAST(substr({b}, 21, 6) AS INTEGER) - CAST(substr({a}, 21, 6) AS INTEGER))"


def upgrade() -> None:
    op.add_column("ticket", sa.Column("wait_us", sa.BigInteger(), nullable=True))
    op.add_column("ticket", sa.Column("service_us", sa.BigInteger(), nullable=True))
    pg = op.get_bind().dialect.name == "postgresql"
    served = "status = 'done' AND started_at IS NOT NULL AND finished_at IS NOT NULL"
    op.execute(  # one pass: each row is written once
        f"UPDATE ticket SET wait_us = CASE WHEN called_at IS NOT NULL THEN {_us('issued_at', 'called_at', pg)} END, "
        f"service_us = CASE WHEN {served} THEN {_us('started_at', 'finished_at', pg)} END "
        f"WHERE called_at IS NOT NULL OR ({served})"
    )
    op.create_index("ix_ticket_report", "ticket", REPORT_COLUMNS)
    op.create_index("ix_ticket_priority_day", "ticket", ["day", "priority_group", "granted_by_id"],
                    sqlite_where=sa.text("is_priority"), postgresql_where=sa.text("is_priority"))
    op.execute("ANALYZE ticket")  # the planner should know the new index (and, on PostgreSQL, the new values)


def downgrade() -> None:
    op.drop_index("ix_ticket_priority_day", table_name="ticket")
    op.drop_index("ix_ticket_report", table_name="ticket")
    # ALTER TABLE … DROP COLUMN on both (SQLite ≥ 3.35): a batch copy of the table would trip the
    # foreign keys of the events and ratings that point at it.
    op.execute("ALTER TABLE ticket DROP COLUMN service_us")
    op.execute("ALTER TABLE ticket DROP COLUMN wait_us")
