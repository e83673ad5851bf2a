"""Tables of the web side: alerts, service pauses, web passwords and sessions, API tokens."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from lobby.store.models.base import Base, BigId, UTCDateTime


class Alert(Base):
    """A condition the manager must see (a long wait, an idle counter, a printer fault, an unattended counter).

    Raised, escalated, acknowledged and cleared by ``lobby.monitor.alerts``, each with its event;
    at most one open alert per (kind, subject): the partial unique index holds it across processes.
    """

    __tablename__ = "alert"
    __table_args__ = (
        Index("ux_alert_open", "kind", "subject", unique=True,
              sqlite_where=text("cleared_at IS NULL"), postgresql_where=text("cleared_at IS NULL")),
        Index("ix_alert_raised_at", "raised_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(24))
    subject: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(8))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ServicePause(Base):
    """Issuing stopped for a service for the rest of a local day, with the reason the kiosk shows."""

    __tablename__ = "service_pause"
    __table_args__ = (
        Index("ux_service_pause_open", "service_id", "day", unique=True,
              sqlite_where=text("resumed_at IS NULL"), postgresql_where=text("resumed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    reason: Mapped[str] = mapped_column(String(200))
    paused_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resumed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)


class WebPassword(Base):
    """A member's web password for the manager's pages: a salted slow hash like the PIN's.

    A table of its own so that only the web server's role may read it (the PINs' table is read by every app).
    """

    __tablename__ = "web_password"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    hash: Mapped[str] = mapped_column(String(255))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebSession(Base):
    """A signed-in browser of a staff member; only the SHA-256 of the cookie's secret is stored."""

    __tablename__ = "web_session"
    __table_args__ = (Index("ix_web_session_staff_id", "staff_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ApiToken(Base):
    """An HTTP API client (``lobby token``): the SHA-256 of its secret only; revoked rows are kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
