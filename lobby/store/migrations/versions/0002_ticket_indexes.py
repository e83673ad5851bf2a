"""ticket numbers unique per day; service-time index by status

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

- ``ux_ticket_day_number``: a number is unique per day (was a plain index), so two
  services whose formats print the same number cannot both issue it.
- ``ix_ticket_service_status_finished``: the recent service times of a service
  (``status = 'done'`` ordered by ``finished_at``) are read from the index alone,
  however many tickets wait or were served before.
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_ticket_day_number", table_name="ticket")
    op.create_index("ux_ticket_day_number", "ticket", ["day", "number"], unique=True)
    op.drop_index("ix_ticket_service_finished", table_name="ticket")
    op.create_index("ix_ticket_service_status_finished", "ticket", ["service_id", "status", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_service_status_finished", table_name="ticket")
    op.create_index("ix_ticket_service_finished", "ticket", ["service_id", "finished_at"])
    op.drop_index("ux_ticket_day_number", table_name="ticket")
    op.create_index("ix_ticket_day_number", "ticket", ["day", "number"])
