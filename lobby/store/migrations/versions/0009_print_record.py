"""print record: when a ticket's print completed, so a restarted kiosk can offer the unprinted ones

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

- ``ticket.printed_at``: set by the kiosk when its printer reports the ticket printed
  (``lobby.queue.printing.mark_printed``). A kiosk killed between issuing and printing
  leaves it NULL; when it starts again it offers the guard those tickets to reprint.
  Tickets stored before this revision are taken as printed (their issue time), so that
  no old ticket is offered.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import lobby.store.models

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ticket", sa.Column("printed_at", lobby.store.models.UTCDateTime(), nullable=True))
    op.execute("UPDATE ticket SET printed_at = issued_at")


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN on both (SQLite ≥ 3.35), as in 0003: a batch copy would trip the foreign keys
    op.execute("ALTER TABLE ticket DROP COLUMN printed_at")
