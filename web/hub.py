"""One change-feed waiter per server process, fanned out to any number of subscribers.

The hub's thread blocks in :class:`lobby.feed.reader.ChangeWaiter` (``LISTEN`` on
PostgreSQL, ``PRAGMA data_version`` on SQLite), reads the new events once with a
:class:`~lobby.feed.reader.FeedReader`, optionally enriches the batch (``on_batch``,
run in the same thread, e.g. one query per touched service), and hands it to every
subscriber's asyncio queue. A thousand open pages therefore cost the store what
one costs. The last ``backlog`` events stay in memory so that a browser that
reconnects with ``Last-Event-ID`` catches up without touching the store; an older
id is caught up with one read.

A subscriber that does not keep up (its queue is full) is dropped: its stream ends
and the browser reconnects with its last id, losing nothing.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lobby.errors import LobbyError
from lobby.feed.reader import BATCH, ChangeWaiter, FeedEvent, FeedReader, latest_event_id
from lobby.store.engine import Store

log = logging.getLogger("lobby.web.hub")

WAIT_S = 1.0
RETRY_S = 2.0
KEEPALIVE_S = 15.0
BACKLOG = 5000
QUEUE_SIZE = 256


@dataclass(frozen=True)
class Batch:
    """Events read together (in id order) and what ``on_batch`` made of them."""

    events: tuple[FeedEvent, ...]
    extra: Any = None

    @property
    def last_id(self) -> int:
        return max(e.id for e in self.events) if self.events else 0

    @property
    def keepalive(self) -> bool:
        """An empty batch: the hub's periodic tick (streams send a comment line, nothing else)."""
        return not self.events


@dataclass(eq=False)
class Subscription:
    """One subscriber's queue of batches; ``closed`` is set when the hub drops it."""

    queue: asyncio.Queue[Batch | None]
    catch_up: tuple[FeedEvent, ...] = ()
    closed: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    # Which batches to queue at all (None: every one). Ticks always pass. A page that cares about one
    # service is then woken only by that service's changes, not by all of them.
    wants: Callable[[Batch], bool] | None = None

    async def get(self) -> Batch | None:
        """The next batch (an empty one every ``keepalive_s``); None when the hub dropped this subscriber.

        No timer per subscriber: the hub's one tick wakes them all, so a thousand idle
        streams cost one timer.
        """
        return await self.queue.get()

    async def next(self, timeout: float) -> Batch | None:
        """The next batch, or None after ``timeout`` seconds (or when dropped: check ``closed``)."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None


class FeedHub:
    """The process's one feed waiter; ``start``/``stop`` from the app's lifespan."""

    def __init__(self, store: Store, *, on_batch: Callable[[list[FeedEvent]], Any] | None = None,
                 wait_s: float = WAIT_S, backlog: int = BACKLOG, queue_size: int = QUEUE_SIZE,
                 keepalive_s: float = KEEPALIVE_S) -> None:
        self.store = store
        self.on_batch = on_batch
        self.wait_s = wait_s
        self.keepalive_s = keepalive_s
        self._ticker: asyncio.Task[None] | None = None
        self.queue_size = queue_size
        self._recent: deque[FeedEvent] = deque(maxlen=backlog)
        self._subs: set[Subscription] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.last_id = 0
        self.available = False  # the store answered the last time we asked
        self.problem: str | None = None
        self.ready = threading.Event()

    # ------------------------------------------------------------ lifecycle

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop or asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._run, name="lobby-feed-hub", daemon=True)
        self._thread.start()
        self._ticker = self._loop.create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.keepalive_s)
            self._publish(Batch(()))

    def stop(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.cancel()
        if self._thread is not None:
            self._thread.join(timeout=self.wait_s + 5)
        for sub in list(self._subs):
            self._drop(sub)

    @property
    def subscribers(self) -> int:
        return len(self._subs)

    # ------------------------------------------------------------ subscribing (event loop side)

    def subscribe(self, last_event_id: int | None = None, *,
                  wants: Callable[[Batch], bool] | None = None) -> Subscription:
        """A new subscriber; with ``last_event_id`` the events after it come first (``catch_up``)."""
        sub = Subscription(queue=asyncio.Queue(self.queue_size), wants=wants)
        if last_event_id is not None and last_event_id < self.last_id:
            sub.catch_up = self._since(last_event_id)
        self._subs.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        self._subs.discard(sub)

    def _since(self, last_event_id: int) -> tuple[FeedEvent, ...]:
        if self._recent and self._recent[0].id <= last_event_id + 1:
            return tuple(e for e in self._recent if e.id > last_event_id)
        try:  # older than the backlog: one read (rare: a phone that slept for a long time)
            reader = FeedReader(self.store, after_id=last_event_id)
            events: list[FeedEvent] = []
            while batch := reader.poll():
                events.extend(e for e in batch if e.id <= self.last_id)
                if reader.last_id >= self.last_id:
                    break
            return tuple(events)
        except LobbyError as exc:
            log.warning("catch-up after event %s failed: %s", last_event_id, exc.message("en"))
            return ()

    def _publish(self, batch: Batch) -> None:
        for sub in list(self._subs):
            if sub.wants is not None and not batch.keepalive and not sub.wants(batch):
                continue
            try:
                sub.queue.put_nowait(batch)
            except asyncio.QueueFull:
                self._drop(sub)

    def _drop(self, sub: Subscription) -> None:
        sub.closed = True
        self._subs.discard(sub)
        try:
            sub.queue.put_nowait(None)
        except asyncio.QueueFull:
            pass

    # ------------------------------------------------------------ the waiter thread

    def _run(self) -> None:
        waiter = ChangeWaiter(self.store)
        reader: FeedReader | None = None
        while not self._stop.is_set():
            try:
                if reader is None:
                    self.last_id = max(self.last_id, latest_event_id(self.store))
                    reader = FeedReader(self.store, after_id=self.last_id)
                    self._set_available(True, None)
                if waiter.wait(self.wait_s):
                    self._read(reader)
                elif reader._gaps:  # noqa: SLF001 - a gap may fill without a new notification
                    self._read(reader)
            except LobbyError as exc:
                self._set_available(False, exc.message("en"))
                waiter.close()
                self._stop.wait(RETRY_S)
            except Exception:  # noqa: BLE001 - the hub must outlive any one bad batch
                log.exception("feed hub: unexpected error; retrying")
                waiter.close()
                self._stop.wait(RETRY_S)
        waiter.close()

    def _read(self, reader: FeedReader) -> None:
        while events := reader.poll():
            extra = None
            if self.on_batch is not None:
                try:
                    extra = self.on_batch(events)
                except LobbyError as exc:  # the events still go out; subscribers read what they need
                    log.warning("feed hub: enriching a batch failed: %s", exc.message("en"))
            self.last_id = max(self.last_id, reader.last_id)
            self._recent.extend(events)
            self._call_soon(self._publish, Batch(tuple(events), extra))
            if len(events) < BATCH:
                break

    def _set_available(self, ok: bool, problem: str | None) -> None:
        changed = ok != self.available
        self.available, self.problem = ok, problem
        self.ready.set()
        if changed:
            (log.info if ok else log.warning)("feed hub: store %s%s", "available" if ok else "unavailable",
                                              f" ({problem})" if problem else "")

    def _call_soon(self, fn: Callable[..., None], *args: Any) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(fn, *args)
