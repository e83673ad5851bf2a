"""web access: public ticket tokens, API tokens

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

- ``ticket.public_token``: the unguessable name of a ticket in links and QR codes
  (``lobby.access.tokens``), unique. Tickets of the last ``BACKFILL_DAYS`` days get one
  here; older tickets keep none (their page would have expired anyway).
- ``api_token``: the HTTP API's clients, with the SHA-256 of their secret only.
"""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

from lobby.access.tokens import new_public_token
from lobby.store.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BACKFILL_DAYS = 30
CHUNK = 1000


def upgrade() -> None:
    op.add_column("ticket", sa.Column("public_token", sa.String(length=24), nullable=True))
    bind = op.get_bind()
    since = date.today() - timedelta(days=BACKFILL_DAYS)
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM ticket WHERE day >= :since"), {"since": since})]
    stmt = sa.text("UPDATE ticket SET public_token = :token WHERE id = :id")
    for start in range(0, len(ids), CHUNK):
        bind.execute(stmt, [{"id": i, "token": new_public_token()} for i in ids[start:start + CHUNK]])
    op.create_index("ix_ticket_public_token", "ticket", ["public_token"], unique=True)
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("name", name=op.f("uq_api_token_name")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_token_secret_hash")),
    )


def downgrade() -> None:
    op.drop_table("api_token")
    op.drop_index("ix_ticket_public_token", table_name="ticket")
    op.execute("ALTER TABLE ticket DROP COLUMN public_token")  # see 0003: no batch copy of the ticket table
