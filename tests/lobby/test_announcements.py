"""The announcement queue: bursts, recalls, stale calls, duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lobby.voice.announcements import AnnouncementQueue, call_from_event, is_stale

NOW = datetime(2025, 3, 4, 2, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Ev:
    id: int
    kind: str
    number: str | None
    counter: int | None
    at: datetime = NOW
    service: str | None = "A"
    data: dict[str, Any] = field(default_factory=dict)


def _numbers(queue: AnnouncementQueue) -> list[tuple[str, int]]:
    out = []
    while (call := queue.pop()) is not None:
        out.append((call.number, call.counter))
    return out


def test_burst_is_spoken_in_order_and_nothing_dropped() -> None:
    q = AnnouncementQueue(stale_after_s=60)
    events = [Ev(i, "called", f"A{i:03d}", i % 50 + 1) for i in range(1, 101)]
    queued = q.offer(reversed(events), NOW)  # arrival order within a batch does not matter
    assert [c.event_id for c in queued] == list(range(1, 101))
    assert len(q) == 100
    assert _numbers(q) == [(f"A{i:03d}", i % 50 + 1) for i in range(1, 101)]


def test_batches_keep_arrival_order_while_speaking() -> None:
    q = AnnouncementQueue(stale_after_s=60)
    q.offer([Ev(1, "called", "A001", 1), Ev(2, "called", "B001", 2)], NOW)
    assert q.pop().number == "A001"  # type: ignore[union-attr]
    q.offer([Ev(3, "called", "A002", 3)], NOW)
    assert [c.number for c in q.pending()] == ["B001", "A002"]


def test_only_calls_and_recalls_are_spoken() -> None:
    q = AnnouncementQueue(stale_after_s=60)
    kinds = ["issued", "called", "serving", "finished", "no_show", "recalled", "counter_paused", "rated"]
    q.offer([Ev(i, k, "A001", 1) for i, k in enumerate(kinds, 1)], NOW)
    assert [c.kind for c in q.pending()] == ["called", "recalled"]


def test_recall_speaks_the_number_again() -> None:
    q = AnnouncementQueue(stale_after_s=60)
    q.offer([Ev(1, "called", "A007", 3)], NOW)
    assert q.pop().number == "A007"  # type: ignore[union-attr]
    q.offer([Ev(2, "recalled", "A007", 3)], NOW + timedelta(seconds=20))
    call = q.pop()
    assert call is not None and call.number == "A007" and call.is_recall


def test_same_event_is_never_spoken_twice() -> None:
    q = AnnouncementQueue(stale_after_s=60)
    q.offer([Ev(1, "called", "A001", 1), Ev(2, "called", "A002", 2)], NOW)
    q.offer([Ev(2, "called", "A002", 2), Ev(3, "called", "A003", 3)], NOW)  # re-read after reconnect
    assert [c.number for c in q.pending()] == ["A001", "A002", "A003"]


def test_late_committed_lower_id_is_still_spoken() -> None:
    # on PostgreSQL id 5 may commit after id 6; the feed then delivers it later
    q = AnnouncementQueue(stale_after_s=60)
    q.offer([Ev(6, "called", "A006", 1)], NOW)
    q.offer([Ev(5, "called", "A005", 2)], NOW)
    assert [c.number for c in q.pending()] == ["A006", "A005"]


def test_stale_calls_are_not_spoken() -> None:
    q = AnnouncementQueue(stale_after_s=120)
    old = Ev(1, "called", "A001", 1, at=NOW - timedelta(seconds=600))
    edge = Ev(2, "called", "A002", 2, at=NOW - timedelta(seconds=120))
    fresh = Ev(3, "called", "A003", 3, at=NOW - timedelta(seconds=5))
    queued = q.offer([old, edge, fresh], NOW)
    assert [c.number for c in queued] == ["A002", "A003"]
    assert q.stale_skipped == 1


def test_stale_recall_is_not_spoken_either() -> None:
    q = AnnouncementQueue(stale_after_s=30)
    assert q.offer([Ev(1, "recalled", "A001", 1, at=NOW - timedelta(minutes=5))], NOW) == []


def test_is_stale_and_call_from_event() -> None:
    call = call_from_event(Ev(9, "called", "C010", 12, at=NOW))
    assert call is not None and call.counter == 12 and not call.is_recall
    assert not is_stale(call, NOW + timedelta(seconds=10), 10)
    assert is_stale(call, NOW + timedelta(seconds=11), 10)
    assert call_from_event(Ev(10, "called", None, 3)) is None
    assert call_from_event(Ev(11, "called", "A1", None)) is None


def test_stale_age_must_be_positive() -> None:
    with pytest.raises(ValueError, match="stale_after_s"):
        AnnouncementQueue(stale_after_s=0)
