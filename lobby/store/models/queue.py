"""The queue's tables: services, staff, counters, numbering, tickets, ratings and the event log."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from lobby.access.tokens import new_public_token
from lobby.store.models.base import REPORT_COLUMNS, Base, BigId, UTCDateTime


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
