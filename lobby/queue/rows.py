"""What the queue's ORM readers and writers share: the centre's day, a ticket's service, its event at
a counter, and the detached :class:`TicketInfo` handed to the apps.

The counter rules and issuing work on plain rows instead (``lobby.queue.ticket_rows``)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from lobby.clock import at_or_now, local_day
from lobby.config import CentreConfig
from lobby.feed.events import record_event
from lobby.queue.views import TicketInfo
from lobby.store.models import Counter, Service, Staff, Ticket
from lobby.vocabulary import EventKind, TicketState


def today(cfg: CentreConfig, now: datetime | None = None) -> date:
    return local_day(at_or_now(now), cfg.tz)


def ticket_event(
    session: Session, kind: EventKind, ticket: Ticket, counter: Counter | None, at: datetime, *,
    staff_id: int | None = None, data: dict[str, object] | None = None,
) -> None:
    """The event of a state change of a ticket at a counter (by default done by the ticket's official)."""
    record_event(
        session, kind, ticket=ticket, service_code=service_code_of(session, ticket),
        counter_number=counter.number if counter is not None else None,
        staff_id=staff_id if staff_id is not None else ticket.staff_id, at=at, data=data,
    )


def service_of(session: Session, service_id: int) -> Service:
    """The service row, kept for the session's life (the identity map alone holds rows weakly)."""
    cache: dict[int, Service] = session.info.setdefault("lobby_services", {})
    svc = cache.get(service_id)
    if svc is None:
        svc = session.get(Service, service_id)
        assert svc is not None
        cache[service_id] = svc
    return svc


def service_code_of(session: Session, ticket: Ticket) -> str:
    return service_of(session, ticket.service_id).code


def ticket_info(session: Session, t: Ticket, *, ahead: int | None = None, wait: int | None = None) -> TicketInfo:
    svc = service_of(session, t.service_id)
    counter = session.get(Counter, t.counter_id) if t.counter_id else None
    staff = session.get(Staff, t.staff_id) if t.staff_id else None
    return TicketInfo(
        id=t.id, day=t.day, number=t.number, seq=t.seq, service=svc.code, service_name_vi=svc.name_vi,
        service_name_en=svc.name_en, status=TicketState(t.status), priority=t.priority_group,
        counter=counter.number if counter else None, staff=staff.username if staff else None,
        issued_at=t.issued_at, called_at=t.called_at, started_at=t.started_at, finished_at=t.finished_at,
        call_count=t.call_count, ahead=ahead, estimated_wait_min=wait, note=t.note,
        public_token=t.public_token,
    )
