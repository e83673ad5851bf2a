"""Rules of the counter app that need no window: which actions make sense, what an
official did today, what the counter screen shows, and what the rating panel asks.

The counter app (``counter/``) only draws what these functions decide.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from lobby import queue
from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.feed.reader import FeedEvent
from lobby.queue.views import CounterInfo, TicketInfo
from lobby.staffing.counters import counter_infos
from lobby.store.engine import Store, read_transaction
from lobby.store.models import Ticket
from lobby.vocabulary import COUNTER_KINDS, QUEUE_KINDS, SIGN_KINDS, CounterState, EventKind, TicketState

# Every action of the work screen, in the order of the action bar.
ACTIONS = (
    "next", "recall", "serve", "finish", "no_show", "transfer", "park", "resume", "call_number", "pause",
)



def enabled_actions(
    status: str | None, counter_state: str, *, parked: int = 0, connected: bool = True, busy: bool = False,
) -> frozenset[str]:
    """The actions that make sense for the counter's current ticket (``status`` None: no ticket).

    Nothing is enabled while the database is unreachable or an action is still running.
    On a break (``paused``) the only action is ending the break; a break starts only
    when no citizen is at the counter (finish or park first).
    """
    if not connected or busy:
        return frozenset()
    if counter_state == CounterState.PAUSED:
        return frozenset({"pause"})
    allowed = {"next", "call_number"}
    if parked:
        allowed.add("resume")
    if status is None:
        allowed.add("pause")
    elif status == TicketState.CALLED:
        allowed |= {"recall", "serve", "finish", "no_show", "transfer", "park"}
    elif status == TicketState.SERVING:
        allowed |= {"finish", "transfer", "park"}
    return frozenset(allowed)


def waited(ticket: TicketInfo, now: datetime | None = None) -> timedelta:
    """How long the citizen waited: from the ticket's issue to its first call (or until now)."""
    end = ticket.called_at or (at_or_now(now))
    return max(end - ticket.issued_at, timedelta(0))


def minutes_text(span: timedelta, lang: str = "vi") -> str:
    """A span as people say it at a counter: "12 phút", "1 giờ 05 phút", "dưới 1 phút"."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "under 1 min" if lang == "en" else "dưới 1 phút"
    hours, rest = divmod(minutes, 60)
    if hours:
        return f"{hours} h {rest:02d} min" if lang == "en" else f"{hours} giờ {rest:02d} phút"
    return f"{minutes} min" if lang == "en" else f"{minutes} phút"


# ---------------------------------------------------------------- today's figures


@dataclass(frozen=True)
class OfficialFigures:
    """What one official did today: services finished, no-shows, average service time."""

    served: int = 0
    no_shows: int = 0
    average_service_s: float | None = None

    def average_text(self, lang: str = "vi") -> str:
        if self.average_service_s is None:
            return "—"
        return minutes_text(timedelta(seconds=self.average_service_s), lang)


def official_figures(session: Session, cfg: CentreConfig, staff_id: int, *,
                     now: datetime | None = None) -> OfficialFigures:
    """Today's figures of one official, counted over the ticket table (the centre's local day)."""
    day = queue.today(cfg, now)
    dialect = session.get_bind().dialect.name
    seconds: ColumnElement[Any]
    if dialect == "postgresql":
        seconds = func.extract("epoch", Ticket.finished_at - Ticket.started_at)
    else:
        seconds = (func.julianday(Ticket.finished_at) - func.julianday(Ticket.started_at)) * 86400.0
    with read_transaction(session):
        served, average = session.execute(
            select(func.count(), func.avg(seconds)).where(
                Ticket.staff_id == staff_id, Ticket.day == day, Ticket.status == TicketState.DONE,
                Ticket.started_at.is_not(None), Ticket.finished_at.is_not(None),
            )
        ).one()
        no_shows = session.scalar(
            select(func.count()).select_from(Ticket).where(
                Ticket.staff_id == staff_id, Ticket.day == day, Ticket.status == TicketState.NO_SHOW)
        )
    return OfficialFigures(
        served=int(served or 0), no_shows=int(no_shows or 0),
        average_service_s=float(max(round(float(average)), 0)) if average is not None and served else None,
    )


# ---------------------------------------------------------------- the counter screen


@dataclass(frozen=True)
class CounterView:
    """Everything the work screen shows, read in one go (off the GUI thread)."""

    counter: CounterInfo
    current: TicketInfo | None
    parked: tuple[TicketInfo, ...]
    waiting: dict[str, int]
    next_numbers: tuple[str, ...]
    figures: OfficialFigures = field(default_factory=OfficialFigures)


def read_counter_view(
    store: Store, cfg: CentreConfig, counter: int, staff_id: int | None, *, next_limit: int = 5,
    now: datetime | None = None,
) -> CounterView:
    """Read the counter's state, its current and parked tickets, the queue for its services and the official's day."""
    with store.read_session() as s:
        info = next(c for c in counter_infos(s, cfg) if c.number == counter)
        current = queue.current_ticket(s, cfg, counter)
        parked = tuple(queue.parked_tickets(s, cfg, counter))
        counts = queue.waiting_counts(s, cfg, now=now)
        upcoming = tuple(queue.next_numbers(s, cfg, counter, next_limit, now=now))
        figures = official_figures(s, cfg, staff_id, now=now) if staff_id is not None else OfficialFigures()
    services = cfg.counter(counter).services
    return CounterView(
        counter=info, current=current, parked=parked, waiting={code: counts.get(code, 0) for code in services},
        next_numbers=upcoming, figures=figures,
    )


def concerns_counter(events: Iterable[FeedEvent], counter: int, services: Iterable[str]) -> bool:
    """True when a batch of feed events may change what this counter's screen shows."""
    codes = set(services)
    for e in events:
        if e.counter == counter and (e.kind in QUEUE_KINDS or e.kind in COUNTER_KINDS or e.kind == EventKind.RATED):
            return True
        if e.kind in QUEUE_KINDS and (e.service in codes or e.service is None):
            return True
        if e.kind == EventKind.TRANSFERRED and codes & {e.data.get("from"), e.data.get("to")}:
            return True
    return False


# ---------------------------------------------------------------- the rating panel


@dataclass(frozen=True)
class PanelUpdate:
    """What the rating panel should do after a batch of feed events.

    ``ask``: (ticket id, number) of a service just finished at the counter, to rate;
    ``answered``: ticket ids rated meanwhile (elsewhere, e.g. a second panel);
    ``staff_changed``: someone signed in or out at the counter (re-read the name).
    """

    ask: tuple[int, str] | None = None
    answered: frozenset[int] = frozenset()
    staff_changed: bool = False


def panel_update(
    events: Iterable[FeedEvent], counter: int, *, now: datetime | None = None, max_age_s: float | None = None,
) -> PanelUpdate:
    """Decide what the rating panel of ``counter`` does with new feed events.

    Only the latest finished service is asked about; one that finished more than
    ``max_age_s`` ago (events delivered late, after a lost connection) is not: the
    citizen has gone.
    """
    at = at_or_now(now)
    ask: tuple[int, str] | None = None
    answered: set[int] = set()
    staff_changed = False
    for e in events:
        if e.counter != counter:
            continue
        if e.kind == EventKind.FINISHED and e.ticket_id is not None:
            fresh = max_age_s is None or (at - e.at).total_seconds() <= max_age_s
            ask = (e.ticket_id, e.number or "") if fresh else None
            answered.discard(e.ticket_id)
        elif e.kind == EventKind.RATED and e.ticket_id is not None:
            answered.add(e.ticket_id)
            if ask is not None and ask[0] == e.ticket_id:
                ask = None
        elif e.kind in SIGN_KINDS:
            staff_changed = True
    return PanelUpdate(ask=ask, answered=frozenset(answered), staff_changed=staff_changed)
