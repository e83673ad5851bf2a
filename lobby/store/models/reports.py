"""The reports' day summaries (migration 0010): what a settled day's figures add up, per grouping and group.

Derived data only: every row can be deleted at any time and is built again from the tickets
on demand. How they are built, checked and read: ``lobby.reports.summary``.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from lobby.store.models.base import Base, UTCDateTime


class DaySummary(Base):
    """A summarised local day: the fingerprint of its tickets and ratings when it was built, and its span of ids.

    ``basis`` names everything else the figures depend on (the summary format, the schema
    revision, the centre's time zone, the services' target waits): a summary whose fingerprint
    or basis differs from the database's now is not used (``lobby.reports.summary_check``).
    """

    __tablename__ = "day_summary"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    basis: Mapped[str] = mapped_column(String(64))
    first_ticket: Mapped[int] = mapped_column(BigInteger)
    last_ticket: Mapped[int] = mapped_column(BigInteger)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DaySummaryGroup(Base):
    """What one group of one grouping adds up on one day (``group_key`` -1: at no counter / no official).

    Groupings: ``service`` (origin service id), ``counter`` (id), ``staff`` (id), ``hour`` (local hour
    of issue); the day's own figures are the sum of its hour rows. Durations are microseconds.
    """

    __tablename__ = "day_summary_group"

    day: Mapped[date] = mapped_column(ForeignKey("day_summary.day", ondelete="CASCADE"), primary_key=True)
    grouping: Mapped[str] = mapped_column(String(8), primary_key=True)
    group_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    issued: Mapped[int] = mapped_column(Integer)
    served: Mapped[int] = mapped_column(Integer)
    no_show: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[int] = mapped_column(Integer)
    expired: Mapped[int] = mapped_column(Integer)
    open: Mapped[int] = mapped_column(Integer)
    called: Mapped[int] = mapped_column(Integer)
    within_target: Mapped[int] = mapped_column(Integer)
    very_satisfied: Mapped[int] = mapped_column(Integer)
    satisfied: Mapped[int] = mapped_column(Integer)
    not_satisfied: Mapped[int] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(Integer)
    priority_granted: Mapped[int] = mapped_column(Integer)
    wait_sum: Mapped[int] = mapped_column(BigInteger)
    wait_max: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    service_count: Mapped[int] = mapped_column(Integer)
    service_sum: Mapped[int] = mapped_column(BigInteger)
    service_max: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class DaySummaryValues(Base):
    """Every wait and service time of one day, per group of one grouping, sorted: what exact percentiles need.

    Encoded by ``lobby.reports.summary_values`` (the groups' keys and sizes, then the values, as
    zlib-compressed little-endian integers).
    """

    __tablename__ = "day_summary_values"

    day: Mapped[date] = mapped_column(ForeignKey("day_summary.day", ondelete="CASCADE"), primary_key=True)
    grouping: Mapped[str] = mapped_column(String(8), primary_key=True)
    waits: Mapped[bytes] = mapped_column(LargeBinary)
    services: Mapped[bytes] = mapped_column(LargeBinary)
