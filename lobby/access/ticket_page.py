"""What the citizen's ticket page shows, as plain data: no personal data, no ids, no web framework.

``find_page`` reads one ticket by its public token (one query, plus its service's queue
when it waits). ``PageBoard.refresh`` is what the web app's feed hub runs once per
batch of events: it re-reads only the tickets and the services' queues those events
touched, so that every open page can update itself from memory, however many there are.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lobby.clock import local_day, utcnow
from lobby.config import CentreConfig
from lobby.feed.reader import FeedEvent
from lobby.queue.operations import average_service_min
from lobby.queue.reads import find_ticket
from lobby.queue.views import TicketInfo
from lobby.store.engine import Store, read_transaction
from lobby.store.models import Counter, CounterService, Service, Ticket

COUNTER_EVENTS = ("counter_opened", "counter_closed", "counter_paused", "counter_resumed", "day_closed")


@dataclass(frozen=True)
class ServiceQueue:
    """The waiting tickets of one service in call order (ids), and minutes of wait per person ahead."""

    order: tuple[int, ...]
    minutes_per_person: float

    def ahead_of(self, ticket_id: int) -> int | None:
        try:
            return self.order.index(ticket_id)
        except ValueError:
            return None


@dataclass(frozen=True)
class TicketPage:
    ticket_id: int
    token: str
    number: str
    day: date
    service: str
    service_name_vi: str
    service_name_en: str
    origin_service: str
    origin_name_vi: str
    origin_name_en: str
    status: str
    counter: int | None
    priority: bool
    ahead: int | None = None
    estimated_wait_min: int | None = None

    def with_queue(self, queue: ServiceQueue | None) -> TicketPage:
        if self.status != "waiting" or queue is None:
            return replace(self, ahead=None, estimated_wait_min=None)
        ahead = queue.ahead_of(self.ticket_id)
        wait = None if ahead is None else math.ceil(ahead * queue.minutes_per_person)
        return replace(self, ahead=ahead, estimated_wait_min=wait)

    def service_name(self, lang: str = "vi") -> str:
        return (self.service_name_en or self.service_name_vi) if lang == "en" else self.service_name_vi

    @property
    def transferred(self) -> bool:
        return self.service != self.origin_service

    def to_json(self) -> dict[str, Any]:
        """The facts, with the field names of ``lobby issue --json`` where they share a meaning."""
        return {
            "number": self.number, "service": self.service, "service_name": self.service_name_vi,
            "status": self.status, "counter": self.counter, "priority": self.priority, "day": self.day.isoformat(),
            "ahead": self.ahead, "estimated_wait_min": self.estimated_wait_min,
        }


def token_valid_since(cfg: CentreConfig, lifetime_days: int, now: datetime | None = None) -> date:
    """The first day whose tickets' tokens still work: a token works on its day and ``lifetime_days`` after."""
    return local_day(now or utcnow(), cfg.tz) - timedelta(days=lifetime_days)


def _services(session: Session) -> dict[int, Service]:
    return {s.id: s for s in session.scalars(select(Service))}


def _page(t: Ticket, services: dict[int, Service], counter: int | None) -> TicketPage:
    svc, origin = services[t.service_id], services[t.origin_service_id]
    return TicketPage(
        ticket_id=t.id, token=t.public_token or "", number=t.number, day=t.day, service=svc.code,
        service_name_vi=svc.name_vi, service_name_en=svc.name_en, origin_service=origin.code,
        origin_name_vi=origin.name_vi, origin_name_en=origin.name_en, status=t.status, counter=counter,
        priority=t.is_priority,
    )


def _queues(session: Session, services: dict[int, Service], wanted: set[int], day: date) -> dict[str, ServiceQueue]:
    out: dict[str, ServiceQueue] = {}
    for service_id in sorted(wanted):
        svc = services.get(service_id)
        if svc is None:
            continue
        order = tuple(session.scalars(
            select(Ticket.id).where(Ticket.service_id == service_id, Ticket.day == day, Ticket.status == "waiting")
            .order_by(Ticket.is_priority.desc(), Ticket.queued_at, Ticket.id)
        ))
        counters = session.scalar(
            select(func.count()).select_from(CounterService).join(Counter, Counter.id == CounterService.counter_id)
            .where(CounterService.service_id == service_id, Counter.state == "open", Counter.active.is_(True))
        ) or session.scalar(
            select(func.count()).select_from(CounterService).where(CounterService.service_id == service_id)
        ) or 1
        out[svc.code] = ServiceQueue(order, average_service_min(session, svc) / counters)
    return out


def _counter_numbers(session: Session, ids: set[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(select(Counter.id, Counter.number).where(Counter.id.in_(ids)))
    return {cid: number for cid, number in rows}


def ticket_by_token(session: Session, cfg: CentreConfig, token: str, *, lifetime_days: int,
                    now: datetime | None = None) -> TicketInfo | None:
    """The ticket with this public token, as ``lobby issue --json`` shows it; None when none or expired."""
    with read_transaction(session):
        found = session.execute(
            select(Ticket.number, Ticket.day).where(Ticket.public_token == token,
                                                    Ticket.day >= token_valid_since(cfg, lifetime_days, now))
        ).first()
    return None if found is None else find_ticket(session, cfg, found.number, found.day)


def find_page(session: Session, cfg: CentreConfig, token: str, *, lifetime_days: int,
              now: datetime | None = None) -> TicketPage | None:
    """The page of the ticket with this public token, or None when there is none or it has expired."""
    with read_transaction(session):
        ticket = session.scalar(select(Ticket).where(Ticket.public_token == token))
        if ticket is None or ticket.day < token_valid_since(cfg, lifetime_days, now):
            return None
        services = _services(session)
        counters = _counter_numbers(session, {ticket.counter_id} if ticket.counter_id else set())
        page = _page(ticket, services, counters.get(ticket.counter_id) if ticket.counter_id else None)
        if page.status != "waiting":
            return page
        queues = _queues(session, services, {ticket.service_id}, ticket.day)
        return page.with_queue(queues.get(page.service))


@dataclass(frozen=True)
class BoardUpdate:
    """What one batch of events changed: the touched tickets' pages (without queue) and services' queues."""

    pages: dict[int, TicketPage]
    queues: dict[str, ServiceQueue]

    def apply(self, page: TicketPage) -> TicketPage:
        """``page`` as it is after this batch (the same object when nothing of it changed)."""
        fresh = self.pages.get(page.ticket_id, page)
        queue = self.queues.get(fresh.service)
        if fresh is page and queue is None:
            return page
        if fresh.status == "waiting" and queue is None:
            return replace(fresh, ahead=page.ahead, estimated_wait_min=page.estimated_wait_min)
        return fresh.with_queue(queue)


class PageBoard:
    """Runs in the feed hub's thread: one read per batch, whatever the number of open pages."""

    def __init__(self, store: Store, cfg: CentreConfig) -> None:
        self.store = store
        self.cfg = cfg

    def refresh(self, events: list[FeedEvent], now: datetime | None = None) -> BoardUpdate:
        ticket_ids = {e.ticket_id for e in events if e.ticket_id is not None}
        codes = {e.service for e in events if e.service}
        codes |= {str(e.data["from"]) for e in events if e.kind == "transferred" and e.data.get("from")}
        everything = any(e.kind in COUNTER_EVENTS for e in events)
        day = local_day(now or utcnow(), self.cfg.tz)
        with self.store.read_session() as session, read_transaction(session):
            services = _services(session)
            wanted = set(services) if everything else {sid for sid, s in services.items() if s.code in codes}
            tickets = list(session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids)))) if ticket_ids else []
            counters = _counter_numbers(session, {t.counter_id for t in tickets if t.counter_id})
            pages = {t.id: _page(t, services, counters.get(t.counter_id) if t.counter_id else None) for t in tickets}
            queues = _queues(session, services, wanted, day)
        return BoardUpdate(pages, queues)
