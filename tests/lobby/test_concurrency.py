"""Many kiosks and counters at once, as separate processes, on both stores.

8 kiosks issue 100 tickets each for one service: the numbers are 1 to 800, each once.
16 counters call until nobody waits: every ticket is called exactly once.
"""
from __future__ import annotations

import multiprocessing as mp
import queue as stdqueue
from collections import Counter as Tally
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select

from lobby import queue
from lobby.config import CentreConfig, CounterConfig
from lobby.store.engine import Store
from lobby.store.migrate import init_store
from lobby.store.models import DaySequence, Event, Service, Ticket
from support import SETTLE_S

KIOSKS, PER_KIOSK = 8, 100
COUNTERS = 16
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TIMEOUT_S = 4 * SETTLE_S  # for the whole workload of a worker (100 tickets or more), not one state change
CTX = mp.get_context("spawn")


def sixteen_counters(cfg: CentreConfig) -> CentreConfig:
    """Counters 1 to 16, all serving business registration (DKKD)."""
    counters = [CounterConfig(number=n, name=f"Quầy {n}", services=["DKKD"]) for n in range(1, COUNTERS + 1)]
    return cfg.model_copy(update={"counters": counters})


def load_waiting(store: Store, n: int) -> None:
    """n tickets waiting for DKKD, one in ten priority, inserted directly with day_sequence to match."""
    at = NOW.astimezone(UTC)
    day = NOW.date()
    with store.engine.begin() as conn:
        service_id = conn.execute(select(Service.id).where(Service.code == "DKKD")).scalar_one()
        conn.execute(insert(Ticket), [
            {"day": day, "service_id": service_id, "origin_service_id": service_id, "seq": i, "number": f"A{i:03d}",
             "priority_group": "elderly" if i % 10 == 0 else None, "is_priority": i % 10 == 0, "status": "waiting",
             "source": "test", "issued_at": at + timedelta(seconds=i), "queued_at": at + timedelta(seconds=i),
             "call_count": 0}
            for i in range(1, n + 1)
        ])
        conn.execute(insert(DaySequence).values(day=day, service_id=service_id, next_number=n + 1, issued=n,
                                                waiting=n, waiting_priority=n // 10))


def _kiosk(url: str, cfg: CentreConfig, name: str, start: Any, out: Any) -> None:
    store = Store(url)
    start.wait(TIMEOUT_S)
    numbers = []
    try:
        for _ in range(PER_KIOSK):
            with store.session() as s:
                numbers.append(queue.issue_ticket(s, cfg, "DKKD", source=name, now=NOW).seq)
        out.put((name, numbers, None))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        out.put((name, numbers, repr(exc)))
    finally:
        store.dispose()


def _counter(url: str, cfg: CentreConfig, number: int, start: Any, out: Any) -> None:
    store = Store(url)
    start.wait(TIMEOUT_S)
    called: list[str] = []
    try:
        while True:
            with store.session() as s:
                t = queue.call_next(s, cfg, number, now=NOW)
            if t is not None:
                called.append(t.number)
                continue
            with store.read_session() as s:  # "nobody waits" must mean it: check before going home
                if queue.waiting_counts(s, cfg, now=NOW)["DKKD"] == 0:
                    break
        out.put((number, called, None))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        out.put((number, called, repr(exc)))
    finally:
        store.dispose()


def _run(target: Any, args: list[tuple[Any, ...]]) -> list[tuple[Any, list[Any], str | None]]:
    start, out = CTX.Event(), CTX.Queue()
    procs = [CTX.Process(target=target, args=(*a, start, out)) for a in args]
    for p in procs:
        p.start()
    start.set()
    results = []
    try:
        for _ in procs:
            results.append(out.get(timeout=TIMEOUT_S))
    except stdqueue.Empty:
        pytest.fail(f"only {len(results)} of {len(procs)} workers answered within {TIMEOUT_S} s")
    finally:
        for p in procs:
            p.join(SETTLE_S)
            if p.is_alive():
                p.kill()
    assert [err for _, _, err in results if err] == []
    return results


def test_eight_kiosks_get_each_number_once(store_url: str, cfg: CentreConfig) -> None:
    results = _run(_kiosk, [(store_url, cfg, f"kiosk-{k}") for k in range(KIOSKS)])
    seqs = sorted(n for _, numbers, _ in results for n in numbers)
    assert seqs == list(range(1, KIOSKS * PER_KIOSK + 1))
    for _, numbers, _ in results:
        assert numbers == sorted(numbers)  # each kiosk's own numbers grow
    store = Store(store_url)
    try:
        with store.read_session() as s:
            seq = s.scalar(select(DaySequence))
            assert seq is not None
            assert (seq.next_number, seq.issued, seq.waiting) == (801, 800, 800)
            assert s.scalar(select(func.count(func.distinct(Ticket.number)))) == 800
            assert s.scalar(select(func.count()).where(Event.kind == "issued")) == 800
    finally:
        store.dispose()


def test_sixteen_counters_call_each_ticket_once(store_url: str, cfg: CentreConfig) -> None:
    cfg = sixteen_counters(cfg)
    store = Store(store_url)
    try:
        init_store(store, cfg)
        load_waiting(store, KIOSKS * PER_KIOSK)
        results = _run(_counter, [(store_url, cfg, n) for n in range(1, COUNTERS + 1)])
        called = [number for _, numbers, _ in results for number in numbers]
        assert len(called) == 800 and len(set(called)) == 800
        assert sum(1 for _, numbers, _ in results if numbers) >= 2  # they really ran side by side
        with store.read_session() as s:
            statuses = Tally(s.scalars(select(Ticket.status)))
            calls = Tally(s.scalars(select(Event.ticket_id).where(Event.kind == "called")))
            seq = s.scalar(select(DaySequence))
        assert statuses == {"done": 800}  # the last "next" of each counter finished its ticket
        assert set(calls.values()) == {1} and len(calls) == 800
        assert seq is not None and (seq.waiting, seq.waiting_priority) == (0, 0)
    finally:
        store.dispose()
