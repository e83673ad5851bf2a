"""dossiers and their promised dates

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

- ``dossier``: a dossier received at a counter (its one-stop code, service, the ticket,
  official and counter of the visit), its promise on the receipt and the current one,
  and when it became ready, overdue and returned. ``ix_dossier_state_promised_at`` finds
  the dossiers whose promise has passed; ``ix_dossier_received_at`` serves the reports.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import lobby.store.models

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = lobby.store.models.UTCDateTime
    op.create_table(
        "dossier",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("ticket_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("counter_number", sa.Integer(), nullable=True),
        sa.Column("received_at", when(), nullable=False),
        sa.Column("first_promised_at", when(), nullable=False),
        sa.Column("promised_at", when(), nullable=False),
        sa.Column("ready_at", when(), nullable=True),
        sa.Column("overdue_at", when(), nullable=True),
        sa.Column("returned_at", when(), nullable=True),
        sa.Column("reschedules", sa.SmallInteger(), nullable=False),
        sa.Column("ready_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], name=op.f("fk_dossier_service_id_service")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_dossier_staff_id_staff")),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=op.f("fk_dossier_ticket_id_ticket")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier")),
        sa.UniqueConstraint("code", name=op.f("uq_dossier_code")),
    )
    op.create_index("ix_dossier_state_promised_at", "dossier", ["state", "promised_at"])
    op.create_index("ix_dossier_received_at", "dossier", ["received_at"])
    op.create_index("ix_dossier_ticket_id", "dossier", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_dossier_ticket_id", table_name="dossier")
    op.drop_index("ix_dossier_received_at", table_name="dossier")
    op.drop_index("ix_dossier_state_promised_at", table_name="dossier")
    op.drop_table("dossier")
