"""Reads the board needs besides the feed; they run in the feed worker, never the GUI thread.

Read-only: every query goes through ``store.read_session()``-style sessions of the core
read functions, and nothing is written.
"""

from __future__ import annotations

from display.model import BoardSnapshot, CounterCall
from lobby.config import CentreConfig
from lobby.feed.reader import FeedEvent
from lobby.queue.operations import list_tickets, waiting_counts
from lobby.staffing.counters import counter_infos
from lobby.store.engine import Store
from lobby.vocabulary import WAITING_KINDS, CounterState


def read_snapshot(store: Store, cfg: CentreConfig, full: bool = True) -> BoardSnapshot:
    """Waiting counts, and when ``full`` the latest call of every open counter today."""
    with store.read_session() as session:
        waiting = waiting_counts(session, cfg)
    if not full:
        return BoardSnapshot(calls=None, waiting=waiting)
    with store.read_session() as session:
        open_counters = {c.number for c in counter_infos(session, cfg) if c.state != CounterState.CLOSED}
    with store.read_session() as session:
        tickets = list_tickets(session, cfg)
    latest: dict[int, CounterCall] = {}
    for t in tickets:
        if t.counter is None or t.called_at is None or t.counter not in open_counters:
            continue
        call = CounterCall(t.counter, t.number, t.service, t.called_at)
        if t.counter not in latest or call.at >= latest[t.counter].at:
            latest[t.counter] = call
    return BoardSnapshot(calls=list(latest.values()), waiting=waiting)


def waiting_may_change(events: list[FeedEvent]) -> bool:
    """True when a batch of events can change the waiting counts."""
    return any(e.kind in WAITING_KINDS for e in events)
