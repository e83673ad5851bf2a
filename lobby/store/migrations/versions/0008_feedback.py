"""feedback: reasons with ratings, the rating's channel, remarks and their answers (the satisfaction issue)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

- ``rating.channel``: where the citizen rated, ``counter`` (the panel; every older rating) or
  ``phone`` (the ticket page). The rating's primary key still allows one rating per ticket.
- ``rating_reason``: the reasons given with a rating (codes from ``[feedback] reasons``).
- ``remark``: a remark or complaint, linked to a ticket or anonymous, its text exactly as typed,
  its deadline in working days, and who was assigned, answered and closed it.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import lobby.store.models

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = lobby.store.models.UTCDateTime
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    with op.batch_alter_table("rating") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=8), server_default="counter", nullable=False))
    op.create_table(
        "rating_reason",
        sa.Column("ticket_id", big, nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["rating.ticket_id"], name=op.f("fk_rating_reason_ticket_id_rating")),
        sa.PrimaryKeyConstraint("ticket_id", "reason", name=op.f("pk_rating_reason")),
    )
    op.create_table(
        "remark",
        sa.Column("id", big, autoincrement=True, nullable=False),
        sa.Column("ticket_id", big, nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=500), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("received_at", when(), nullable=False),
        sa.Column("due_at", when(), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", when(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", when(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", when(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=op.f("fk_remark_ticket_id_ticket")),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], name=op.f("fk_remark_service_id_service")),
        sa.ForeignKeyConstraint(["counter_id"], ["counter.id"], name=op.f("fk_remark_counter_id_counter")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_remark_staff_id_staff")),
        sa.ForeignKeyConstraint(["assigned_to_id"], ["staff.id"], name=op.f("fk_remark_assigned_to_id_staff")),
        sa.ForeignKeyConstraint(["answered_by_id"], ["staff.id"], name=op.f("fk_remark_answered_by_id_staff")),
        sa.ForeignKeyConstraint(["closed_by_id"], ["staff.id"], name=op.f("fk_remark_closed_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remark")),
    )
    op.create_index("ix_remark_state_due_at", "remark", ["state", "due_at"])
    op.create_index("ix_remark_received_at", "remark", ["received_at"])
    op.create_index("ix_remark_ticket_id", "remark", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_remark_ticket_id", table_name="remark")
    op.drop_index("ix_remark_received_at", table_name="remark")
    op.drop_index("ix_remark_state_due_at", table_name="remark")
    op.drop_table("remark")
    op.drop_table("rating_reason")
    with op.batch_alter_table("rating") as batch:
        batch.drop_column("channel")
