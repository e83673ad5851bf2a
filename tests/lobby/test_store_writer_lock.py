"""SQLite writers queue on the store file's writer lock (lobby.store.writer_lock).

The lock is SQLite's own concern (PostgreSQL orders writers itself), so these tests run
on a SQLite file; tests/lobby/test_concurrency.py shows many writers at once on both stores.
The lock is looked at from outside, as another process would see it: a non-blocking
``flock`` on the lock file fails while a writer holds it and succeeds once it is let go.
"""
from __future__ import annotations

import fcntl
import multiprocessing as mp
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from lobby import queue
from lobby.config import CentreConfig
from lobby.store.engine import Store, read_transaction, transaction
from lobby.store.migrate import init_store
from lobby.store.writer_lock import QueuedWriterConnection, lock_path

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
CTX = mp.get_context("spawn")
TIMEOUT_S = 120


@pytest.fixture
def sqlite_store(tmp_path: Path, cfg: CentreConfig) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'lobby.sqlite3'}")
    init_store(store, cfg)
    yield store
    store.dispose()


def lock_is_free(store: Store) -> bool:
    """Whether another process could take the writer lock right now (taken and let go at once)."""
    assert store.sqlite_path is not None
    fd = os.open(lock_path(store.sqlite_path), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing lets go of a lock taken here
    return True


def test_a_write_transaction_holds_the_lock_until_commit(sqlite_store: Store, cfg: CentreConfig) -> None:
    with sqlite_store.session() as s:
        with transaction(s):
            s.execute(text("UPDATE counter SET name = name"))
            assert not lock_is_free(sqlite_store)
        assert lock_is_free(sqlite_store)
        queue.issue_ticket(s, cfg, "DKKD", now=NOW)
    assert lock_is_free(sqlite_store)


def test_a_failed_write_lets_go_of_the_lock(sqlite_store: Store) -> None:
    with sqlite_store.session() as s, pytest.raises(RuntimeError), transaction(s):
        s.execute(text("UPDATE counter SET name = 'x'"))
        raise RuntimeError("the rule refused")
    assert lock_is_free(sqlite_store)
    with sqlite_store.read_session() as r:
        assert "x" not in r.execute(text("SELECT name FROM counter")).scalars().all()


def test_readers_never_take_the_lock(sqlite_store: Store, cfg: CentreConfig) -> None:
    with sqlite_store.session() as writer, transaction(writer):
        writer.execute(text("UPDATE counter SET name = name"))
        with sqlite_store.read_session() as r, read_transaction(r):
            assert r.execute(text("SELECT count(*) FROM service")).scalar_one() > 0
        with sqlite_store.session() as w2, read_transaction(w2):  # a read through a write session
            assert w2.execute(text("SELECT count(*) FROM counter")).scalar_one() > 0
    with sqlite_store.read_session() as r, read_transaction(r):
        r.execute(text("SELECT 1"))
        assert lock_is_free(sqlite_store)


def _hold_and_die(url: str, holding: Any) -> None:
    store = Store(url)
    with store.session() as s, transaction(s):
        s.execute(text("UPDATE counter SET name = 'half-done'"))
        holding.set()
        threading.Event().wait(TIMEOUT_S)  # killed here, holding the lock


def test_a_writer_that_dies_holding_the_lock_does_not_wedge_the_store(sqlite_store: Store, cfg: CentreConfig) -> None:
    holding = CTX.Event()
    proc = CTX.Process(target=_hold_and_die, args=(str(sqlite_store.url.render_as_string(False)), holding))
    proc.start()
    try:
        assert holding.wait(TIMEOUT_S)
        assert not lock_is_free(sqlite_store)
    finally:
        proc.kill()
        proc.join(TIMEOUT_S)
    assert lock_is_free(sqlite_store)
    with sqlite_store.session() as s:
        assert queue.issue_ticket(s, cfg, "DKKD", now=NOW).seq == 1
    with sqlite_store.read_session() as r:
        assert "half-done" not in r.execute(text("SELECT name FROM counter")).scalars().all()


def _issue_many(url: str, cfg: CentreConfig, n: int, start: Any, out: Any) -> None:
    store = Store(url)
    start.wait(TIMEOUT_S)
    numbers = []
    for _ in range(n):
        with store.session() as s:
            numbers.append(queue.issue_ticket(s, cfg, "DKKD", now=NOW).number)
    out.put(numbers)
    store.dispose()


def test_writers_of_other_processes_wait_for_the_holder(sqlite_store: Store, cfg: CentreConfig) -> None:
    """While one writer holds the lock, a kiosk process's issue waits; it finishes once the lock is let go."""
    start, out = CTX.Event(), CTX.Queue()
    url = sqlite_store.url.render_as_string(False)
    with sqlite_store.session() as s, transaction(s):
        s.execute(text("UPDATE counter SET name = name"))
        proc = CTX.Process(target=_issue_many, args=(url, cfg, 3, start, out))
        proc.start()
        start.set()
        with pytest.raises(Exception):  # noqa: B017 - any result here would mean it did not wait
            out.get(timeout=1.0)
    assert out.get(timeout=TIMEOUT_S) == ["A001", "A002", "A003"]
    proc.join(TIMEOUT_S)


def test_threads_of_one_process_queue_like_processes(sqlite_store: Store, cfg: CentreConfig) -> None:
    """The web app writes from several threads: each connection waits its turn, no number twice, no error."""
    numbers: list[str] = []
    errors: list[BaseException] = []

    def kiosk() -> None:
        try:
            for _ in range(25):
                with sqlite_store.session() as s:
                    numbers.append(queue.issue_ticket(s, cfg, "DKKD", now=NOW).number)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=kiosk) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT_S)
    assert errors == []
    assert sorted(numbers) == [f"A{i:03d}" for i in range(1, 101)]
    assert lock_is_free(sqlite_store)


def test_a_thread_already_writing_does_not_wait_for_itself(tmp_path: Path) -> None:
    """A second connection of the same thread goes on without the lock (SQLite's busy timeout decides)."""
    path = str(tmp_path / "x.sqlite3")
    first = sqlite3.connect(path, factory=QueuedWriterConnection, isolation_level=None)
    second = sqlite3.connect(path, factory=QueuedWriterConnection, isolation_level=None)
    try:
        first.take_writer_lock()
        second.take_writer_lock()  # returns at once instead of waiting for ever
        first.commit()
        second.take_writer_lock()  # now free: taken for real
        fd = os.open(lock_path(Path(path)), os.O_RDWR)
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        second.rollback()
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(fd)
    finally:
        first.close()
        second.close()
