"""Rating from the phone: the ticket page lets a served citizen rate once, within a time after service.

The rating goes through the same ``queue.rate`` as the counter's panel, so the rating's primary
key keeps one rating per ticket whatever the channel, even when both try at the same moment.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.errors import InvalidTransition, TicketNotFound
from lobby.feedback.errors import RatingClosed
from lobby.queue.rating import rate
from lobby.store.engine import read_transaction
from lobby.store.models import Rating, RatingReason, Ticket
from lobby.vocabulary import TicketState


@dataclass(frozen=True)
class RatingView:
    """What the ticket page shows: the rating given (if any), or whether one may still be given and until when."""

    value: str | None = None
    channel: str | None = None
    reasons: list[str] = field(default_factory=list)
    open_until: datetime | None = None

    @property
    def can_rate(self) -> bool:
        return self.value is None and self.open_until is not None


def rating_deadline(cfg: CentreConfig, ticket: Ticket) -> datetime | None:
    """Until when the phone may rate this ticket (None: never, it was not served or rating is off)."""
    if ticket.status != TicketState.DONE or ticket.finished_at is None or cfg.feedback.phone_rating_hours == 0:
        return None
    return ticket.finished_at + timedelta(hours=cfg.feedback.phone_rating_hours)


def rating_view(session: Session, cfg: CentreConfig, ticket_id: int, *, now: datetime | None = None) -> RatingView:
    at = at_or_now(now)
    with read_transaction(session):
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise TicketNotFound(str(ticket_id), "?")
        row = session.get(Rating, ticket_id)
        if row is not None:
            reasons = list(session.scalars(select(RatingReason.reason).where(RatingReason.ticket_id == ticket_id)))
            order = [r.code for r in cfg.feedback.reasons]
            reasons.sort(key=lambda c: order.index(c) if c in order else len(order))
            return RatingView(value=row.value, channel=row.channel, reasons=reasons)
        until = rating_deadline(cfg, ticket)
        return RatingView(open_until=until if until is not None and at <= until else None)


def rate_from_phone(session: Session, cfg: CentreConfig, ticket_id: int, value: str,
                    reasons: Sequence[str] = (), *, now: datetime | None = None) -> None:
    """The phone's one rating, with its reasons; AlreadyRated if the panel (or another tab) was first."""
    at = at_or_now(now)
    with read_transaction(session):
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise TicketNotFound(str(ticket_id), "?")
        number, status = ticket.number, ticket.status
        until = rating_deadline(cfg, ticket)
    if status != TicketState.DONE:
        raise InvalidTransition(number, status, "đánh giá", "rated")
    if until is None or at > until:
        raise RatingClosed(number, cfg.feedback.phone_rating_hours)
    rate(session, cfg, ticket_id, value, now=at, reasons=reasons, channel="phone")
