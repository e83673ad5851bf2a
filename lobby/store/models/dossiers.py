"""The dossier table: a one-stop dossier code, its promised date and state."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from lobby.store.models.base import Base, BigId, UTCDateTime


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
