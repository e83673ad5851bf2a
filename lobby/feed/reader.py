"""The change feed: apps learn what happened by reading ``event`` rows after the last id seen.

On PostgreSQL ids come from a sequence and are taken before commit, so a later id
can become visible before an earlier one. The reader therefore remembers the gaps
it has seen and looks for them again until they appear or ``GAP_TIMEOUT_S`` passes
(a rolled-back transaction leaves a gap that never fills). On SQLite writes are
serialised by ``BEGIN IMMEDIATE`` and ids appear in order.

Waking up: on PostgreSQL a ``NOTIFY`` sent in the writing transaction arrives at
commit (``LISTEN`` on a connection of its own); on SQLite the waiter polls
``PRAGMA data_version``, which changes whenever another connection commits.
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from lobby.errors import LobbyError, SchemaOutdated, StoreUnavailable
from lobby.feed.events import CHANNEL
from lobby.store.engine import PG_KEEPALIVES, Store, short_reason
from lobby.store.models import Event
from lobby.store.revision import head_revision
from lobby.vocabulary import EventKind

GAP_TIMEOUT_S = 10.0
MAX_TRACKED_GAP = 1000
BATCH = 1000
SQLITE_POLL_S = 0.02
WAITER_APP_NAME = "lobby-feed"  # the LISTEN connection, as PostgreSQL shows it in pg_stat_activity


#: A value of an event's ``data``: the rows hold flat JSON objects of scalars.
EventValue = str | int | float | bool | None


@dataclass(frozen=True)
class FeedEvent:
    """One ``event`` row as the apps read it (detached from the store)."""

    id: int
    at: datetime
    kind: EventKind
    ticket_id: int | None
    number: str | None
    service: str | None
    counter: int | None
    staff: str | None
    data: Mapping[str, EventValue] = field(default_factory=dict)

    def text(self, key: str) -> str | None:
        """A text field of ``data`` (None when absent or not text), e.g. ``text("from")`` of a transfer."""
        value = self.data.get(key)
        return value if isinstance(value, str) else None


def _event(row: Event) -> FeedEvent:
    return FeedEvent(
        id=row.id, at=row.at, kind=EventKind.read(row.kind), ticket_id=row.ticket_id, number=row.number,
        service=row.service_code, counter=row.counter_number, staff=row.actor, data=dict(row.data or {}),
    )


def _read_error(store: Store, exc: DBAPIError) -> LobbyError:
    """A store that answers but has no tables needs `lobby init`, not patience: say so."""
    text = str(getattr(exc, "orig", exc))
    if "no such table" in text or isinstance(getattr(exc, "orig", None), psycopg.errors.UndefinedTable):
        return SchemaOutdated(store.safe_url, None, head_revision())
    return StoreUnavailable(store.safe_url, short_reason(exc))


def latest_event_id(store: Store) -> int:
    try:
        with store.read_session() as s:
            return s.scalar(select(func.max(Event.id))) or 0
    except DBAPIError as exc:
        raise _read_error(store, exc) from exc


class FeedReader:
    """Reads new events in id order, at least once each, filling commit-order gaps."""

    def __init__(self, store: Store, after_id: int = 0) -> None:
        self.store = store
        self.last_id = after_id
        self._gaps: dict[int, float] = {}

    def poll(self) -> list[FeedEvent]:
        try:
            with self.store.read_session() as s:
                rows = list(s.scalars(select(Event).where(Event.id > self.last_id).order_by(Event.id).limit(BATCH)))
                filled = []
                if self._gaps:
                    filled = list(s.scalars(select(Event).where(Event.id.in_(list(self._gaps))).order_by(Event.id)))
                events = [_event(r) for r in filled + rows]
        except DBAPIError as exc:
            raise _read_error(self.store, exc) from exc
        self._track_gaps([e.id for e in events])
        return events

    def _track_gaps(self, ids: list[int]) -> None:
        now = time.monotonic()
        for i in ids:
            self._gaps.pop(i, None)
        expected = self.last_id + 1
        for i in sorted(ids):
            if i <= self.last_id:
                continue
            if self.store.dialect == "postgresql" and i > expected and i - expected <= MAX_TRACKED_GAP:
                for missing in range(expected, i):
                    self._gaps[missing] = now + GAP_TIMEOUT_S
            expected = i + 1
            self.last_id = i
        self._gaps = {i: deadline for i, deadline in self._gaps.items() if deadline > now}


class ChangeWaiter:
    """Blocks until the store may have changed (or a timeout); raises StoreUnavailable when the link is lost."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pg: psycopg.Connection[Any] | None = None
        self._sqlite: sqlite3.Connection | None = None
        self._version: int | None = None

    def _connect(self) -> None:
        try:
            if self.store.dialect == "postgresql":
                params = self.store.url.set(drivername="postgresql").render_as_string(hide_password=False)
                self._pg = psycopg.connect(params, autocommit=True, connect_timeout=5, application_name=WAITER_APP_NAME,
                                           **PG_KEEPALIVES)
                self._pg.execute(f"LISTEN {CHANNEL}")
            else:
                path = self.store.sqlite_path
                self._sqlite = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False, timeout=5)
                self._version = self._data_version()
        except (psycopg.Error, sqlite3.Error) as exc:
            self.close()
            raise StoreUnavailable(self.store.safe_url, short_reason(exc)) from exc

    def _data_version(self) -> int:
        assert self._sqlite is not None
        return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    def wait(self, timeout_s: float) -> bool:
        if self._pg is None and self._sqlite is None:
            self._connect()
            return True  # anything may have happened while we were not listening
        try:
            if self._pg is not None:
                return self._wait_pg(timeout_s)
            return self._wait_sqlite(timeout_s)
        except (psycopg.Error, sqlite3.Error) as exc:
            self.close()
            raise StoreUnavailable(self.store.safe_url, short_reason(exc)) from exc

    def _wait_pg(self, timeout_s: float) -> bool:
        assert self._pg is not None
        got = False
        for _ in self._pg.notifies(timeout=timeout_s, stop_after=1):
            got = True
        if got:  # drain whatever else arrived in the same burst without blocking
            for _ in self._pg.notifies(timeout=0, stop_after=1000):
                pass
        else:
            self._pg.execute("SELECT 1")  # notice a dead server even when nothing is said
        return got

    def _wait_sqlite(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while True:
            version = self._data_version()
            if version != self._version:
                self._version = version
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(SQLITE_POLL_S, remaining))

    def close(self) -> None:
        for conn in (self._pg, self._sqlite):
            if conn is not None:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001 - closing a broken link must not raise
                    pass
        self._pg = None
        self._sqlite = None
