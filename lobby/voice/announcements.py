"""Which calls the hallway display speaks, and in what order (no Qt, no audio).

Rules, each tested in ``tests/lobby/test_announcements.py``:

* Only ``called`` and ``recalled`` events with a number and a counter are announced.
* Calls are spoken one after another in the order of the feed (event id order
  within a batch, arrival order across batches); none is dropped, however many
  arrive at once.
* A recall is spoken again, even if the same number was spoken a moment ago.
* The same event is never spoken twice (a feed that is re-read after a reconnection
  may deliver it again).
* A call older than ``stale_after_s`` when it reaches the display (after a lost
  connection, or at start-up) is shown but not spoken: nobody is waiting for it to
  be called any more, and a string of old announcements would drown the new ones.
  Age is measured from the event time written by the store against the display's
  clock, so the machines of a centre need synchronised clocks (NTP).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from lobby.vocabulary import CALL_KINDS, EventKind

_SEEN_LIMIT = 20000


class EventLike(Protocol):
    """The fields of ``lobby.feed.reader.FeedEvent`` that announcements use (read only)."""

    @property
    def id(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def number(self) -> str | None: ...
    @property
    def service(self) -> str | None: ...
    @property
    def counter(self) -> int | None: ...


@dataclass(frozen=True)
class Call:
    """A call to announce: ticket ``number`` to ``counter`` (a ``called`` or ``recalled`` event)."""

    event_id: int
    number: str
    counter: int
    kind: EventKind
    at: datetime
    service: str | None = None

    @property
    def is_recall(self) -> bool:
        return self.kind == EventKind.RECALLED


def call_from_event(event: EventLike) -> Call | None:
    """The call an event announces, or None for every other kind of event."""
    if event.kind not in CALL_KINDS or not event.number or event.counter is None:
        return None
    return Call(
        event_id=int(event.id),
        number=str(event.number),
        counter=int(event.counter),
        kind=EventKind(event.kind),
        at=event.at,
        service=event.service,
    )


def is_stale(call: Call, now: datetime, stale_after_s: float) -> bool:
    """True when ``call`` is older than ``stale_after_s`` at ``now`` (both aware datetimes)."""
    return now - call.at > timedelta(seconds=stale_after_s)


class AnnouncementQueue:
    """First-in first-out queue of calls waiting to be spoken.

    ``offer`` takes each batch of feed events as it arrives and queues the calls to
    speak; the announcer ``pop``\\s the next one whenever the previous has finished.
    """

    def __init__(self, stale_after_s: float) -> None:
        if stale_after_s <= 0:
            raise ValueError("stale_after_s must be positive (display.stale_after_s in the config)")
        self.stale_after_s = stale_after_s
        self._pending: deque[Call] = deque()
        self._seen: set[int] = set()
        self._seen_order: deque[int] = deque()
        self.stale_skipped = 0

    def offer(self, events: Iterable[EventLike], now: datetime) -> list[Call]:
        """Queue the fresh calls among ``events``; return them, in the order they will be spoken."""
        queued: list[Call] = []
        for event in sorted(events, key=lambda e: int(e.id)):
            call = call_from_event(event)
            if call is None or call.event_id in self._seen:
                continue
            self._remember(call.event_id)
            if is_stale(call, now, self.stale_after_s):
                self.stale_skipped += 1
                continue
            self._pending.append(call)
            queued.append(call)
        return queued

    def _remember(self, event_id: int) -> None:
        self._seen.add(event_id)
        self._seen_order.append(event_id)
        while len(self._seen_order) > _SEEN_LIMIT:
            self._seen.discard(self._seen_order.popleft())

    def pop(self) -> Call | None:
        """The next call to speak (removed from the queue), or None when all are spoken."""
        return self._pending.popleft() if self._pending else None

    def pending(self) -> list[Call]:
        """Calls still waiting to be spoken, in order."""
        return list(self._pending)

    def __len__(self) -> int:
        return len(self._pending)

    def clear(self) -> None:
        """Forget pending calls (shutting down); seen ids are kept."""
        self._pending.clear()
