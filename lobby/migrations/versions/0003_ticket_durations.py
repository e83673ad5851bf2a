"""ticket durations as integers; one index for the reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

- ``ticket.wait_us`` (first call − issue) and ``ticket.service_us`` (finish − start of a
  served ticket), in whole microseconds: kept by the queue rules from now on, worked
  out here for the tickets already stored. The reports count and rank these integers
  instead of subtracting times (on SQLite, ISO text) for every ticket.
- ``ix_ticket_report``: every column a report reads, led by the day, so a range of
  days is read from the index alone.
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
    op.execute(f"UPDATE ticket SET wait_us = {_us('issued_at', 'called_at', pg)} WHERE called_at IS NOT NULL")
    op.execute(f"UPDATE ticket SET service_us = {_us('started_at', 'finished_at', pg)} "
               "WHERE status = 'done' AND started_at IS NOT NULL AND finished_at IS NOT NULL")
    op.create_index("ix_ticket_report", "ticket", REPORT_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_ticket_report", table_name="ticket")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("service_us")
        batch.drop_column("wait_us")
