"""Issue and call next in few statements (issue 18), and the names a ticket's info gives when the rules
read its counter and official from plain rows."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event

from lobby import queue
from lobby.config import CentreConfig
from lobby.feed.reader import FeedReader, latest_event_id
from lobby.staffing import counters, staff
from lobby.store.engine import Store

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
# Statements sent to the driver: on SQLite the BEGIN IMMEDIATE is one of them, on PostgreSQL the NOTIFY.
ISSUE = 5  # BEGIN or NOTIFY; the service with its pause and estimate; the number; the ticket; its event
CALL_NEXT = {  # with a ticket to finish: the counter; its desk; finish; its event; the queue heads; ...
    "sqlite": 9,  # ... then the first head is the ticket: leave waiting; call; its event; BEGIN
    "postgresql": 10,  # ... then take the head FOR UPDATE SKIP LOCKED; leave waiting; call; its event; NOTIFY
}


def at(minutes: float) -> datetime:
    return MONDAY_9 + timedelta(minutes=minutes)


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_issue_and_call_next_take_few_statements(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "1234")
    with store.session() as s:
        counters.sign_in(s, cfg, 2, "an", "1234", now=at(0))
    for minute in (1, 2, 3):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DKKD", now=at(minute))
    with store.session() as s:
        queue.call_next(s, cfg, 2, now=at(4))
    with statements(store) as sent, store.session() as s:
        issued = queue.issue_ticket(s, cfg, "DKKD", now=at(5))
    assert (issued.ahead, len(sent)) == (2, ISSUE), sent
    with statements(store) as sent, store.session() as s:
        called = queue.call_next(s, cfg, 2, now=at(6))
    assert called is not None and (called.number, called.staff, called.counter) == ("A002", "an", 2)
    assert len(sent) == CALL_NEXT[store.dialect], sent


def test_info_names_the_official_who_called_after_they_left(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "1234")
    with store.session() as s:
        counters.sign_in(s, cfg, 3, "an", "1234", now=at(0))
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DD", now=at(1))
    with store.session() as s:
        assert queue.call_next(s, cfg, 3, now=at(2)).staff == "an"  # type: ignore[union-attr]
    with store.session() as s:
        counters.sign_out(s, cfg, 3, now=at(3))  # the ticket stays at the counter, with the official who called it
    after = latest_event_id(store)
    with store.read_session() as s:
        current = queue.current_ticket(s, cfg, 3)
    assert current is not None and (current.staff, current.counter) == ("an", 3)
    with store.session() as s:
        done = queue.finish(s, cfg, 3, now=at(4))
    assert (done.status, done.staff, done.counter) == ("done", "an", 3)
    [finished] = FeedReader(store, after_id=after).poll()
    assert (finished.kind, finished.counter, finished.ticket_id) == ("finished", 3, done.id)
