"""web staff: passwords, alerts, service pauses, web sessions (the manager's view)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

- ``web_password``: a member's web password (scrypt, like the PIN), set by
  ``lobby staff passwd USER --web`` or a manager; a table of its own so that only the web
  server's role reads it.
- ``alert``: long waits, idle or unattended counters, printer faults, with who
  acknowledged them; one open alert per (kind, subject).
- ``service_pause``: issuing stopped for a service for the rest of a day, with a reason.
- ``web_session``: signed-in browsers (only a hash of the cookie's secret).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import lobby.store.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = lobby.store.models.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "web_password",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=255), nullable=False),
        sa.Column("set_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_web_password_staff_id_staff")),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_web_password")),
    )
    op.create_table(
        "alert",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("raised_at", UTC(), nullable=False),
        sa.Column("cleared_at", UTC(), nullable=True),
        sa.Column("acked_at", UTC(), nullable=True),
        sa.Column("acked_by_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["acked_by_id"], ["staff.id"], name=op.f("fk_alert_acked_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
    )
    op.create_index("ux_alert_open", "alert", ["kind", "subject"], unique=True,
                    sqlite_where=sa.text("cleared_at IS NULL"), postgresql_where=sa.text("cleared_at IS NULL"))
    op.create_index("ix_alert_raised_at", "alert", ["raised_at"])
    op.create_table(
        "service_pause",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("paused_at", UTC(), nullable=False),
        sa.Column("paused_by_id", sa.Integer(), nullable=True),
        sa.Column("resumed_at", UTC(), nullable=True),
        sa.Column("resumed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], name=op.f("fk_service_pause_service_id_service")),
        sa.ForeignKeyConstraint(["paused_by_id"], ["staff.id"], name=op.f("fk_service_pause_paused_by_id_staff")),
        sa.ForeignKeyConstraint(["resumed_by_id"], ["staff.id"], name=op.f("fk_service_pause_resumed_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_pause")),
    )
    op.create_index("ux_service_pause_open", "service_pause", ["service_id", "day"], unique=True,
                    sqlite_where=sa.text("resumed_at IS NULL"), postgresql_where=sa.text("resumed_at IS NULL"))
    op.create_table(
        "web_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("seen_at", UTC(), nullable=False),
        sa.Column("expires_at", UTC(), nullable=False),
        sa.Column("ended_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_web_session_staff_id_staff")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_session")),
    )
    op.create_index("ix_web_session_staff_id", "web_session", ["staff_id"])


def downgrade() -> None:
    op.drop_index("ix_web_session_staff_id", table_name="web_session")
    op.drop_table("web_session")
    op.drop_index("ux_service_pause_open", table_name="service_pause")
    op.drop_table("service_pause")
    op.drop_index("ix_alert_raised_at", table_name="alert")
    op.drop_index("ux_alert_open", table_name="alert")
    op.drop_table("alert")
    op.drop_table("web_password")
