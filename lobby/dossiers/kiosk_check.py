"""The kiosk's "Nhận kết quả": is this dossier's result ready, so the citizen should wait for it?

- ready → a ticket for the results service, as any other ticket;
- not ready, promise not passed → no ticket (nobody waits for nothing): the screen shows the promised date;
- not ready past its promise (overdue) → a ticket all the same, priority when configured, a new
  promise (``reschedule_days`` working days on) for the apology slip, and an alert for the manager;
- collected already / unknown code → no ticket; the screen says so and sends the citizen to the guard.

Every check is an event (``dossier_checked``, its outcome in ``data``): the reports count the
visits saved, and an overdue check (``data.alert``) is the manager's alert.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby import queue
from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.dossiers.calendar import promise_after
from lobby.dossiers.model import NOT_READY, BadDossierCode, DossierInfo, DossierState, code_from_scan, normalise_code
from lobby.dossiers.records import _event, _info, _mark_overdue, calendar_of, state_now
from lobby.dossiers.settings import settings
from lobby.errors import LobbyError
from lobby.feed.events import record_event
from lobby.queue.views import TicketInfo
from lobby.store.engine import transaction
from lobby.store.models import Dossier, Event, Service, Ticket
from lobby.vocabulary import EventKind


class Outcome(StrEnum):
    READY = "ready"
    NOT_READY = "not_ready"
    OVERDUE = "overdue"
    RETURNED = "returned"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ResultsCheck:
    outcome: Outcome
    code: str
    dossier: DossierInfo | None = None
    ticket: TicketInfo | None = None
    new_promise: datetime | None = None

    @property
    def gives_ticket(self) -> bool:
        return self.ticket is not None


class NoResultsService(LobbyError):
    def __init__(self) -> None:
        super().__init__(
            "Chưa cấu hình dịch vụ trả kết quả: đặt dossiers.results_service trong tệp cấu hình.",
            "No results service is configured: set dossiers.results_service in the config file.")


def results_service(cfg: CentreConfig) -> str:
    code = settings(cfg).results_service
    if not code:
        raise NoResultsService()
    return cfg.service(code).code


def check_results(session: Session, cfg: CentreConfig, raw_code: str, *, source: str = "kiosk",
                  now: datetime | None = None) -> ResultsCheck:
    """Answer a citizen's "is my result ready?" at the kiosk, issuing the ticket when there is one to wait for."""
    at = at_or_now(now)
    service = results_service(cfg)
    try:
        code = normalise_code(code_from_scan(raw_code))
    except BadDossierCode:
        code = raw_code.strip()[:64]
        _checked(session, code, Outcome.UNKNOWN, service, at, source)
        return ResultsCheck(Outcome.UNKNOWN, code)
    with transaction(session):
        row = session.scalar(select(Dossier).where(Dossier.code == code))
        state = state_now(row, at) if row is not None else None
        due = row.promised_at if row is not None else None
    if row is None:
        _checked(session, code, Outcome.UNKNOWN, service, at, source)
        return ResultsCheck(Outcome.UNKNOWN, code)
    if state == DossierState.RETURNED:
        return _answer(session, cfg, code, Outcome.RETURNED, at, source)
    if state == DossierState.READY:
        ticket = queue.issue_ticket(session, cfg, service, source=source, now=at)
        return _answer(session, cfg, code, Outcome.READY, at, source, ticket=ticket)
    assert due is not None
    if at <= due:  # not ready, and the (possibly new) promise still holds
        return _answer(session, cfg, code, Outcome.NOT_READY, at, source)
    group = settings(cfg).overdue_priority or None
    ticket = queue.issue_ticket(session, cfg, service, priority=group, source=source, now=at)
    return _answer(session, cfg, code, Outcome.OVERDUE, at, source, ticket=ticket)


def _checked(session: Session, code: str, outcome: Outcome, service: str, at: datetime, source: str) -> None:
    with transaction(session):
        record_event(session, EventKind.DOSSIER_CHECKED, service_code=service, actor=source, at=at,
                     data={"code": code, "outcome": str(outcome)})


def _answer(session: Session, cfg: CentreConfig, code: str, outcome: Outcome, at: datetime, source: str,
            ticket: TicketInfo | None = None) -> ResultsCheck:
    """Record the check (and, for a late result, the overdue state and the new promise) in one transaction."""
    with transaction(session):
        row = session.scalar(select(Dossier).where(Dossier.code == code).with_for_update())
        assert row is not None
        new_promise = None
        if outcome == Outcome.OVERDUE and DossierState(row.state) in NOT_READY:
            if row.state == DossierState.RECEIVED:
                _mark_overdue(session, row, at, source)
            new_promise = reschedule(session, cfg, row, at, source)
        svc_code = session.get(Service, row.service_id).code  # type: ignore[union-attr]
        ticket_row = session.get(Ticket, ticket.id) if ticket else None
        _event(session, EventKind.DOSSIER_CHECKED, row, svc_code, at=at, actor=source, ticket=ticket_row,
               outcome=str(outcome), alert=outcome == Outcome.OVERDUE,
               new_promise=new_promise.isoformat() if new_promise else None)
        return ResultsCheck(outcome, code, _info(session, row, at), ticket, new_promise)


def reschedule(session: Session, cfg: CentreConfig, row: Dossier, at: datetime, actor: str | None) -> datetime:
    """A new promise for a late result: ``reschedule_days`` working days after today (inside a transaction)."""
    ds = settings(cfg)
    new = promise_after(at, ds.reschedule_days, calendar_of(cfg), cfg.tz, ds.due_time)
    old = row.promised_at
    row.promised_at, row.reschedules = new, row.reschedules + 1
    svc_code = session.get(Service, row.service_id).code  # type: ignore[union-attr]
    _event(session, EventKind.DOSSIER_RESCHEDULED, row, svc_code, at=at, actor=actor,
           old_promise=old.isoformat(), new_promise=new.isoformat())
    return new


@dataclass(frozen=True)
class LateVisit:
    """A citizen came today for a result that was late (the manager's alert, until the result is ready)."""

    code: str
    service: str
    at: datetime
    source: str
    ticket: str | None
    new_promise: str | None


def late_visits(session: Session, cfg: CentreConfig, *, now: datetime | None = None) -> list[LateVisit]:
    """Today's kiosk checks answered "overdue" whose dossier is still not ready, oldest first.

    The events are the alerts (``dossier_checked`` with ``data.alert``); this is the list the manager's
    view shows, and it empties itself as results are marked ready.
    """
    at = at_or_now(now)
    start = datetime.combine(at.astimezone(cfg.tz).date(), datetime.min.time(), tzinfo=cfg.tz)
    with transaction(session, read_only=True):
        rows = list(session.scalars(select(Event).where(Event.kind == EventKind.DOSSIER_CHECKED, Event.at >= start,
                                                        Event.at <= at).order_by(Event.id)))
        alerts = [e for e in rows if (e.data or {}).get("alert")]
        codes = {str((e.data or {}).get("code")) for e in alerts}
        waiting = set(session.scalars(select(Dossier.code).where(
            Dossier.code.in_(codes), Dossier.state.in_([str(s) for s in NOT_READY])))) if codes else set()
    return [LateVisit(code=str(d.get("code")), service=e.service_code or "", at=e.at, source=e.actor or "",
                      ticket=e.number, new_promise=d.get("new_promise"))
            for e in alerts if (d := e.data or {}).get("code") in waiting]
