"""Rating reasons and citizens' remarks."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from lobby.store.models.base import Base, BigId, UTCDateTime


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
