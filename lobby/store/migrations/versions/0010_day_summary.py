"""day summary: per settled day, what each group of each grouping adds up, so a year's report reads days, not tickets

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

- ``day_summary``: one row per summarised local day, with the fingerprint of its tickets and
  ratings, the span of its ticket ids and the basis (time zone, target waits, schema) it was
  built on.
- ``day_summary_group``: per day, grouping (service, counter, staff, hour) and group: counts by
  outcome, calls, within target, ratings by value, priority, sums and maxima of the waits and
  service times in microseconds.
- ``day_summary_values``: per day and grouping, every wait and service time, sorted per group
  (compressed), for exact percentiles.

Derived data only: nothing is filled here; ``lobby.reports.summary`` builds a day when a report or
``lobby close-day`` first needs it. Downgrading drops the tables and loses nothing.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import lobby.store.models

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COUNTS = ("issued", "served", "no_show", "cancelled", "expired", "open", "called", "within_target",
          "very_satisfied", "satisfied", "not_satisfied", "priority", "priority_granted")


def upgrade() -> None:
    op.create_table(
        "day_summary",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("basis", sa.String(length=64), nullable=False),
        sa.Column("first_ticket", sa.BigInteger(), nullable=False),
        sa.Column("last_ticket", sa.BigInteger(), nullable=False),
        sa.Column("built_at", lobby.store.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_day_summary")),
    )
    op.create_table(
        "day_summary_group",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("grouping", sa.String(length=8), nullable=False),
        sa.Column("group_key", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.Column("wait_sum", sa.BigInteger(), nullable=False),
        sa.Column("wait_max", sa.BigInteger(), nullable=True),
        sa.Column("service_count", sa.Integer(), nullable=False),
        sa.Column("service_sum", sa.BigInteger(), nullable=False),
        sa.Column("service_max", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["day"], ["day_summary.day"], name=op.f("fk_day_summary_group_day_day_summary"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("day", "grouping", "group_key", name=op.f("pk_day_summary_group")),
    )
    op.create_table(
        "day_summary_values",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("grouping", sa.String(length=8), nullable=False),
        sa.Column("waits", sa.LargeBinary(), nullable=False),
        sa.Column("services", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["day"], ["day_summary.day"], name=op.f("fk_day_summary_values_day_day_summary"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("day", "grouping", name=op.f("pk_day_summary_values")),
    )


def downgrade() -> None:
    op.drop_table("day_summary_values")
    op.drop_table("day_summary_group")
    op.drop_table("day_summary")
