"""The store's tables, as SQLAlchemy 2 typed models.

Migrations in ``lobby/migrations`` are the only way the schema is made; a test
checks that they match these models on both SQLite and PostgreSQL.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from lobby.access.tokens import new_public_token

# BIGINT primary keys autoincrement on PostgreSQL; SQLite only does so for INTEGER.
BigId = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Service(Base):
    __tablename__ = "service"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    prefix: Mapped[str] = mapped_column(String(3))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    target_wait_min: Mapped[int] = mapped_column(Integer, default=15)
    default_service_min: Mapped[float] = mapped_column(Float, default=8.0)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(255), deferred=True)  # app roles cannot read it (0007)
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Counter(Base):
    __tablename__ = "counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="closed")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CounterService(Base):
    __tablename__ = "counter_service"

    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, default=0)


class DaySequence(Base):
    """The next number per service per local day, and how many of that day's tickets wait.

    ``next_number`` is taken with one atomic upsert, so numbers are never repeated or
    skipped however many kiosks issue at once. ``waiting`` and ``waiting_priority`` are
    kept by the queue rules in the same transaction as each state change, so "people
    ahead" costs one row read instead of a count over the queue.
    """

    __tablename__ = "day_sequence"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    next_number: Mapped[int] = mapped_column(Integer)
    issued: Mapped[int] = mapped_column(Integer, default=0)
    waiting: Mapped[int] = mapped_column(Integer, default=0)
    waiting_priority: Mapped[int] = mapped_column(Integer, default=0)


# What the reports read of a ticket, in one index: a range of days is read from the index alone
# (and the priority tickets' groups and who allowed them from a small partial one).
REPORT_COLUMNS = ("day", "origin_service_id", "counter_id", "staff_id", "status", "is_priority", "granted_by_id",
                  "wait_us", "service_us", "issued_at")


def duration_us(start: datetime | None, end: datetime | None) -> int | None:
    """``end - start`` in whole microseconds (exact), or None if either is missing."""
    if start is None or end is None:
        return None
    return (end - start) // timedelta(microseconds=1)


class Ticket(Base):
    """A numbered ticket. ``number`` is unique per day (the index holds it even if formats clash).

    ``wait_us`` and ``service_us`` are derived from the times, in whole microseconds, so
    that the reports count and rank integers instead of working out a million time differences.
    """

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("day", "origin_service_id", "seq"),
        Index("ix_ticket_queue", "service_id", "day", "status", "is_priority", "queued_at", "id"),
        Index("ix_ticket_counter_status", "counter_id", "status"),
        Index("ux_ticket_day_number", "day", "number", unique=True),
        Index("ix_ticket_service_status_finished", "service_id", "status", "finished_at"),
        Index("ix_ticket_status_day", "status", "day"),
        Index("ix_ticket_report", *REPORT_COLUMNS),
        Index("ix_ticket_priority_day", "day", "priority_group", "granted_by_id",
              sqlite_where=text("is_priority"), postgresql_where=text("is_priority")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    origin_service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(16))
    priority_group: Mapped[str | None] = mapped_column(String(32), nullable=True)
    is_priority: Mapped[bool] = mapped_column(Boolean, default=False)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    source: Mapped[str] = mapped_column(String(64), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    call_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Derived, kept by the queue rules in the same transaction as the change they follow (microseconds):
    # wait_us = called_at - issued_at (first call); service_us = finished_at - started_at of a served ticket.
    wait_us: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    service_us: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # The ticket's name in links and QR codes (lobby.access.tokens), made here so every insert path gets one.
    public_token: Mapped[str | None] = mapped_column(String(24), unique=True, index=True, default=new_public_token)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # on paper (NULL: not yet; 0009)


class Rating(Base):
    """One rating per ticket (the primary key makes a second one impossible)."""

    __tablename__ = "rating"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), primary_key=True)
    value: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(8), default="counter", server_default="counter")  # or "phone"


class Event(Base):
    """Append-only history: every state change, who did it, where, when.

    Rows carry the ticket number, service code and counter number as they were, so
    the change feed and the audit log need no joins and stay true after renames.
    """

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_ticket", "ticket_id"),
        Index("ix_event_kind_at", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(24))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    number: Mapped[str | None] = mapped_column(String(16), nullable=True)
    service_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    counter_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    actor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


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


class Dossier(Base):
    """A dossier received at a counter and its promise (see ``lobby.dossiers``).

    ``first_promised_at`` is the promise on the receipt (the reports measure against it);
    ``promised_at`` is the current one, moved by an apology slip's new date.
    """

    __tablename__ = "dossier"
    __table_args__ = (
        Index("ix_dossier_state_promised_at", "state", "promised_at"),
        Index("ix_dossier_received_at", "received_at"),
        Index("ix_dossier_ticket_id", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    state: Mapped[str] = mapped_column(String(16))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    counter_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_promised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    promised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reschedules: Mapped[int] = mapped_column(SmallInteger, default=0)
    ready_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class EventKindGrant(Base):
    """Which event kinds a PostgreSQL role may insert (migration 0007; the roles script fills it; empty on SQLite)."""

    __tablename__ = "event_kind_grant"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)


class RatingReason(Base):
    """One reason a citizen gave with a rating (several per rating; see ``lobby.feedback``)."""

    __tablename__ = "rating_reason"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("rating.ticket_id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32), primary_key=True)


class Remark(Base):
    """A remark or complaint (góp ý, phản ánh) as typed, its deadline and answer; see ``lobby.feedback.remarks``."""

    __tablename__ = "remark"
    __table_args__ = (
        Index("ix_remark_state_due_at", "state", "due_at"),
        Index("ix_remark_received_at", "received_at"),
        Index("ix_remark_ticket_id", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), nullable=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(500), nullable=True)
    state: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
