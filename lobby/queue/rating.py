"""The citizen's one rating of a finished service."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.errors import AlreadyRated, InvalidRating, InvalidTransition, TicketNotFound
from lobby.feedback.reasons import checked_reasons, store_reasons
from lobby.queue.rows import ticket_event
from lobby.queue.views import RATINGS
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Counter, Rating, Ticket
from lobby.vocabulary import EventKind, TicketState


def rate(session: Session, cfg: CentreConfig, ticket_id: int, value: str, *, now: datetime | None = None,
         reasons: Sequence[str] = (), channel: str = "counter") -> None:
    """Store the citizen's one rating of a finished service (a second one raises AlreadyRated), whatever
    the channel ("counter" panel or "phone"), with its reasons if given now (``lobby.feedback.reasons``)."""
    if value not in RATINGS:
        raise InvalidRating(value, RATINGS)
    codes = checked_reasons(cfg, reasons)
    at = at_or_now(now)
    number = str(ticket_id)
    try:
        with transaction(session):
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise TicketNotFound(str(ticket_id), "?")
            number = ticket.number
            if ticket.status != TicketState.DONE:
                raise InvalidTransition(ticket.number, ticket.status, "đánh giá", "rated")
            if session.get(Rating, ticket_id) is not None:
                raise AlreadyRated(ticket.number)
            counter = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
            session.add(Rating(ticket_id=ticket.id, value=value, staff_id=ticket.staff_id,
                               counter_id=ticket.counter_id, at=at, channel=channel))
            session.flush()
            store_reasons(session, ticket.id, codes)
            ticket_event(session, EventKind.RATED, ticket, counter, at,
                         data={"value": value, "channel": channel, "reasons": codes})
    except IntegrityError:
        raise AlreadyRated(number) from None


def rating_of(session: Session, ticket_id: int) -> str | None:
    with read_transaction(session):
        row = session.get(Rating, ticket_id)
        return row.value if row else None
