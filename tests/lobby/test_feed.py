"""The change feed: events in order, PostgreSQL commit-order gaps filled, waking on another process's commit."""
from __future__ import annotations

import multiprocessing as mp
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from sqlalchemy import text

from lobby import queue
from lobby.config import CentreConfig, load_config
from lobby.errors import StoreUnavailable
from lobby.feed.events import record_event
from lobby.feed.reader import WAITER_APP_NAME, ChangeWaiter, FeedReader, latest_event_id
from lobby.store.engine import Store, transaction
from lobby.vocabulary import EventKind
from support import PROCESS_S, SETTLE_S

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Monday, open hours
DEMO = Path(__file__).resolve().parents[2] / "config" / "demo.toml"


def test_reader_returns_new_events_in_order(store: Store, cfg: CentreConfig) -> None:
    reader = FeedReader(store, after_id=latest_event_id(store))
    assert reader.poll() == []
    with store.session() as s:
        t = queue.issue_ticket(s, cfg, "DKKD", now=T0)
    with store.session() as s:
        queue.call_next(s, cfg, 1, now=T0)
    events = reader.poll()
    assert [e.kind for e in events] == ["issued", "counter_opened", "called"]
    assert [e.id for e in events] == sorted(e.id for e in events)
    called = events[-1]
    assert (called.number, called.service, called.counter, called.ticket_id) == (t.number, "DKKD", 1, t.id)
    assert reader.poll() == [] and reader.last_id == called.id
    assert latest_event_id(store) == called.id


def test_reader_fills_a_gap_left_by_a_later_commit(store: Store) -> None:
    """Two writers: the one that took the lower id commits last. The reader still sees both, once each."""
    reader = FeedReader(store, after_id=latest_event_id(store))
    slow = store.session()
    slow.begin()
    if store.dialect == "sqlite":
        # SQLite serialises writers (BEGIN IMMEDIATE), so ids appear in commit order: no gap can exist
        slow.rollback()
        slow.close()
        with store.session() as s, transaction(s):
            record_event(s, EventKind.PRINTER_OK, actor="a")
        with store.session() as s, transaction(s):
            record_event(s, EventKind.PRINTER_OK, actor="b")
        assert [e.staff for e in reader.poll()] == ["a", "b"]
        return
    early = record_event(slow, EventKind.PRINTER_FAULT, actor="slow")  # takes id n, not committed yet
    with store.session() as s, transaction(s):
        late = record_event(s, EventKind.PRINTER_OK, actor="fast")  # takes id n+1 and commits first
    assert late.id == early.id + 1
    first = reader.poll()
    assert [e.id for e in first] == [late.id]
    slow.commit()
    slow.close()
    second = reader.poll()
    assert [(e.id, e.staff) for e in second] == [(early.id, "slow")]
    assert reader.poll() == []


def _commit_one(url: str) -> None:
    """In another process: issue one ticket."""
    cfg = load_config(DEMO)
    st = Store(url)
    with st.session() as s:
        queue.issue_ticket(s, cfg, "DD", now=T0)
    st.dispose()


def test_waiter_wakes_on_a_commit_from_another_process(store: Store, store_url: str) -> None:
    waiter = ChangeWaiter(store)
    try:
        assert waiter.wait(0.1) is True  # the first wait connects: anything may have changed before
        assert waiter.wait(0.2) is False  # nothing since
        proc = mp.get_context("spawn").Process(target=_commit_one, args=(store_url,))
        proc.start()
        woke = False
        deadline = time.monotonic() + PROCESS_S  # the commit comes from a new process
        while not woke and time.monotonic() < deadline:
            woke = waiter.wait(1.0)
        proc.join(PROCESS_S)
        assert proc.exitcode == 0
        assert woke
        assert [e.kind for e in FeedReader(store).poll()][-1] == "issued"
    finally:
        waiter.close()


def test_waiter_raises_when_the_postgresql_backend_dies_then_reconnects(store: Store) -> None:
    if store.dialect != "postgresql":
        waiter = ChangeWaiter(store)
        waiter.wait(0)
        waiter.close()
        assert waiter.wait(0) is True  # closed: the next wait reconnects
        waiter.close()
        return
    waiter = ChangeWaiter(store)
    try:
        assert waiter.wait(0.1) is True
        with store.engine.connect() as conn:
            killed = conn.execute(
                text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     "WHERE application_name = :name AND datname = current_database()"),
                {"name": WAITER_APP_NAME},
            ).scalar()
        assert killed == 1
        deadline = time.monotonic() + SETTLE_S
        with pytest.raises(StoreUnavailable) as err:
            while time.monotonic() < deadline:
                waiter.wait(0.2)
        assert store.safe_url in err.value.message("en")
        assert waiter.wait(0.1) is True  # a new connection, and "something may have changed"
        with store.session() as s, transaction(s):
            record_event(s, EventKind.PRINTER_OK, actor="x")
        assert waiter.wait(SETTLE_S) is True
    finally:
        waiter.close()


def test_waiter_on_a_missing_server_raises_store_unavailable() -> None:
    store = Store("postgresql://lobby:secret@127.0.0.1:1/nothing")
    with pytest.raises(StoreUnavailable) as err:
        ChangeWaiter(store).wait(0.1)
    assert "secret" not in err.value.message() and "127.0.0.1:1" in err.value.message()
    with pytest.raises(psycopg.Error):
        psycopg.connect("postgresql://127.0.0.1:1/x", connect_timeout=1)


def test_a_store_without_tables_asks_for_lobby_init(tmp_path) -> None:
    from lobby.errors import SchemaOutdated
    from lobby.feed.reader import FeedReader, latest_event_id
    from lobby.store.engine import Store

    empty = Store(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with pytest.raises(SchemaOutdated) as err:
        latest_event_id(empty)
    assert "lobby init" in err.value.message("en")
    with pytest.raises(SchemaOutdated):
        FeedReader(empty).poll()
    empty.dispose()
