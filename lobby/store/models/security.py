"""Which event kinds each PostgreSQL role may write (enforced by a trigger on PostgreSQL)."""
from __future__ import annotations

from sqlalchemy import (
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from lobby.store.models.base import Base


class EventKindGrant(Base):
    """Which event kinds a PostgreSQL role may insert (migration 0007; the roles script fills it; empty on SQLite)."""

    __tablename__ = "event_kind_grant"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
