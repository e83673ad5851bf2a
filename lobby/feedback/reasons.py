"""The reasons of a rating: checked against ``[feedback] reasons``, stored as ``rating_reason`` rows.

The counter's panel stores the rating at the first tap (nothing is lost if the citizen walks
away) and the reasons after, once (``add_reasons``); the phone stores both at once.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.errors import TicketNotFound
from lobby.feed.events import record_event
from lobby.feedback.errors import NotRated, ReasonsAlreadyGiven, TooManyReasons, UnknownReason
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Counter, Rating, RatingReason, Service, Ticket
from lobby.vocabulary import EventKind


def checked_reasons(cfg: CentreConfig, reasons: Sequence[str]) -> list[str]:
    """The reasons in the order of the config, each once; an unknown code or too many raise."""
    fb = cfg.feedback
    known = [r.code for r in fb.reasons]
    chosen = set()
    for code in reasons:
        if code not in known:
            raise UnknownReason(code, known)
        chosen.add(code)
    if len(chosen) > fb.max_reasons:
        raise TooManyReasons(len(chosen), fb.max_reasons)
    return [c for c in known if c in chosen]


def store_reasons(session: Session, ticket_id: int, reasons: Sequence[str]) -> None:
    """Add the (already checked) reason rows of a rating to the open transaction."""
    for code in reasons:
        session.add(RatingReason(ticket_id=ticket_id, reason=code))
    session.flush()


def add_reasons(session: Session, cfg: CentreConfig, ticket_id: int, reasons: Sequence[str], *,
                now: datetime | None = None) -> list[str]:
    """Record why, after the rating (once per rating; a second time raises ReasonsAlreadyGiven).

    An empty choice (the step timed out, or the citizen pressed "skip") records nothing.
    """
    codes = checked_reasons(cfg, reasons)
    if not codes:
        return []
    at = at_or_now(now)
    number = str(ticket_id)
    try:
        with transaction(session):
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise TicketNotFound(str(ticket_id), "?")
            number = ticket.number
            rating = session.get(Rating, ticket_id)
            if rating is None:
                raise NotRated(ticket.number)
            if session.scalar(select(RatingReason.reason).where(RatingReason.ticket_id == ticket_id).limit(1)):
                raise ReasonsAlreadyGiven(ticket.number)
            store_reasons(session, ticket_id, codes)
            service = session.get(Service, ticket.service_id)
            counter = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
            record_event(session, EventKind.RATING_REASONS, ticket=ticket,
                         service_code=service.code if service else None,
                         counter_number=counter.number if counter else None, staff_id=ticket.staff_id, at=at,
                         data={"value": rating.value, "reasons": codes, "channel": rating.channel})
    except IntegrityError:
        raise ReasonsAlreadyGiven(number) from None
    return codes


def reasons_of(session: Session, ticket_id: int) -> list[str]:
    with read_transaction(session):
        return list(session.scalars(select(RatingReason.reason).where(RatingReason.ticket_id == ticket_id)
                                    .order_by(RatingReason.reason)))
