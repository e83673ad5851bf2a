"""The feed hub: one waiter for the whole process, fan-out to every subscriber, catch-up by last event id."""
from __future__ import annotations

import asyncio

from sqlalchemy import text

from lobby import queue
from lobby.access.ticket_page import BoardUpdate, PageBoard
from lobby.config import CentreConfig
from lobby.feed.reader import WAITER_APP_NAME
from lobby.store.engine import Store
from support import SETTLE_S
from web.hub import Batch, FeedHub


def issue(store: Store, cfg: CentreConfig, n: int = 1) -> None:
    for _ in range(n):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DKKD")


async def next_batch(sub: object, timeout: float = SETTLE_S) -> Batch:
    from web.hub import Subscription

    assert isinstance(sub, Subscription)
    batch = await sub.next(timeout)
    assert batch is not None, "no batch arrived"
    return batch


def test_every_subscriber_gets_each_batch_from_one_waiter(store: Store, cfg: CentreConfig) -> None:
    async def run() -> None:
        hub = FeedHub(store, on_batch=PageBoard(store, cfg).refresh, wait_s=0.5)
        hub.start()
        try:
            assert await asyncio.to_thread(hub.ready.wait, SETTLE_S), "the hub's waiter never started"
            subs = [hub.subscribe() for _ in range(200)]
            await asyncio.to_thread(issue, store, cfg)
            batches = [await next_batch(sub) for sub in subs]
            assert all(b is batches[0] for b in batches)  # one read, shared by every subscriber
            assert [e.kind for e in batches[0].events] == ["issued"]
            assert isinstance(batches[0].extra, BoardUpdate) and "DKKD" in batches[0].extra.queues
            if store.dialect == "postgresql":
                with store.engine.connect() as conn:
                    listeners = conn.execute(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND application_name = :name"), {"name": WAITER_APP_NAME}).scalar()
                assert listeners == 1
        finally:
            hub.stop()

    asyncio.run(run())


def test_catch_up_from_memory_and_from_the_store(store: Store, cfg: CentreConfig) -> None:
    async def run() -> None:
        hub = FeedHub(store, wait_s=0.5, backlog=3)
        hub.start()
        try:
            assert await asyncio.to_thread(hub.ready.wait, SETTLE_S), "the hub's waiter never started"
            start = hub.last_id
            watcher = hub.subscribe()
            await asyncio.to_thread(issue, store, cfg, 5)
            seen = 0
            while seen < 5:
                seen += len((await next_batch(watcher)).events)
            recent = hub.subscribe(hub.last_id - 2)
            assert [e.id for e in recent.catch_up] == [hub.last_id - 1, hub.last_id]
            old = hub.subscribe(start)  # older than the 3 events kept in memory: read from the store
            assert [e.kind for e in old.catch_up] == ["issued"] * 5
            assert hub.subscribe(hub.last_id).catch_up == ()
        finally:
            hub.stop()

    asyncio.run(run())


def test_a_subscriber_that_does_not_keep_up_is_dropped(store: Store, cfg: CentreConfig) -> None:
    async def run() -> None:
        hub = FeedHub(store, wait_s=0.5, queue_size=1)
        hub.start()
        try:
            assert await asyncio.to_thread(hub.ready.wait, SETTLE_S), "the hub's waiter never started"
            slow = hub.subscribe()
            fast = hub.subscribe()
            got = 0
            for _ in range(3):
                await asyncio.to_thread(issue, store, cfg)
                got += len((await next_batch(fast)).events)
            assert got == 3 and slow.closed and hub.subscribers == 1
        finally:
            hub.stop()
        assert fast.closed and hub.subscribers == 0  # stopping ends every stream

    asyncio.run(run())


def test_one_tick_keeps_every_idle_stream_alive(store: Store) -> None:
    async def run() -> None:
        hub = FeedHub(store, wait_s=0.5, keepalive_s=0.05)
        hub.start()
        try:
            subs = [hub.subscribe() for _ in range(100)]
            ticks = await asyncio.wait_for(asyncio.gather(*(sub.get() for sub in subs)), SETTLE_S)
            assert all(t is not None and t.keepalive and t.last_id == 0 for t in ticks)
        finally:
            hub.stop()

    asyncio.run(run())


def test_a_subscriber_gets_only_the_batches_it_wants(store: Store, cfg: CentreConfig) -> None:
    async def run() -> None:
        hub = FeedHub(store, wait_s=0.5)
        hub.start()
        try:
            assert await asyncio.to_thread(hub.ready.wait, SETTLE_S), "the hub's waiter never started"
            land = hub.subscribe(wants=lambda b: any(e.service == "DD" for e in b.events))
            everything = hub.subscribe()
            await asyncio.to_thread(issue, store, cfg)  # DKKD: not for the land page
            assert [e.service for e in (await next_batch(everything)).events] == ["DKKD"]
            with store.session() as s:
                queue.issue_ticket(s, cfg, "DD")
            assert [e.service for e in (await next_batch(everything)).events] == ["DD"]
            batch = await next_batch(land)
            assert [e.service for e in batch.events] == ["DD"]
        finally:
            hub.stop()

    asyncio.run(run())
