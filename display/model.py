"""What the hallway board shows, as plain data (no Qt): testable without a window.

``BoardModel`` keeps the latest call of each counter (one row per counter), the
waiting counts per service and nothing else.  It is fed by the change feed
(``apply_events``) and by a snapshot read at (re)connection (``apply_snapshot``).
The display never writes to the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from lobby.config import CentreConfig
from lobby.feed.reader import FeedEvent
from lobby.vocabulary import CALL_KINDS, CLEAR_ROW_KINDS


@dataclass(frozen=True)
class CounterCall:
    """The latest call at one counter."""

    counter: int
    number: str
    service: str | None
    at: datetime
    event_id: int = 0


@dataclass(frozen=True)
class BoardSnapshot:
    """Read from the store in the feed worker: the latest calls (when ``full``) and the waiting counts."""

    calls: list[CounterCall] | None
    waiting: dict[str, int] = field(default_factory=dict)


class BoardModel:
    """The latest call per counter and the waiting counts, newest first."""

    def __init__(self, cfg: CentreConfig) -> None:
        self.cfg = cfg
        self.rows: dict[int, CounterCall] = {}
        self.waiting: dict[str, int] = {}

    def _newer(self, call: CounterCall) -> bool:
        old = self.rows.get(call.counter)
        if old is None:
            return True
        return (call.at, call.event_id) >= (old.at, old.event_id)

    def apply_events(self, events: Iterable[FeedEvent]) -> set[int]:
        """Apply feed events; return the counters whose row changed (added, updated or removed)."""
        changed: set[int] = set()
        for ev in sorted(events, key=lambda e: int(e.id)):
            if ev.kind in CALL_KINDS and ev.number and ev.counter is not None:
                call = CounterCall(int(ev.counter), str(ev.number), ev.service, ev.at, int(ev.id))
                if self._newer(call):
                    self.rows[call.counter] = call
                    changed.add(call.counter)
            elif ev.kind in CLEAR_ROW_KINDS and ev.counter is not None:
                if self.rows.pop(int(ev.counter), None) is not None:
                    changed.add(int(ev.counter))
            elif ev.kind == "day_closed":
                changed |= set(self.rows)
                self.rows.clear()
        return changed

    def apply_snapshot(self, snapshot: BoardSnapshot) -> set[int]:
        """Merge a snapshot: rows only where it is newer; waiting counts replaced."""
        self.waiting = dict(snapshot.waiting)
        changed: set[int] = set()
        for call in snapshot.calls or []:
            if self._newer(call) and self.rows.get(call.counter) != call:
                self.rows[call.counter] = call
                changed.add(call.counter)
        return changed

    def recent(self, limit: int | None = None) -> list[CounterCall]:
        """Rows, the most recent call first."""
        rows = sorted(self.rows.values(), key=lambda c: (c.at, c.event_id), reverse=True)
        return rows if limit is None else rows[:limit]

    def latest(self) -> CounterCall | None:
        rows = self.recent(1)
        return rows[0] if rows else None

    def waiting_rows(self) -> list[tuple[str, str, str, int]]:
        """(prefix, name_vi, name_en, waiting) per configured service, config order."""
        return [(s.prefix, s.name_vi, s.name_en, self.waiting.get(s.code, 0)) for s in self.cfg.services]
