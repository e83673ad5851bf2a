"""Random sequences of every queue operation, checked against a model and the store's invariants.

After each step, on both stores:
- a number is unique per day, and each service's numbers run 1..n without a gap;
- a counter has at most one current ticket (called or serving);
- day_sequence.waiting / waiting_priority equal the real counts;
- replaying each ticket's events gives its status (every state change has its event);
- the store agrees with the model, whose "call next" follows the priority policy and its cap;
- the derived ``wait_us`` / ``service_us`` equal the durations worked out again from the times.
"""
from __future__ import annotations

import shutil
import uuid
from collections import Counter as Tally
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select, text

import lobby.staffing.counters as counter_rules
from lobby import queue
from lobby.config import CentreConfig, PriorityPolicy
from lobby.errors import CounterNotOpen, InvalidTransition, LobbyError, NoCurrentTicket
from lobby.store.engine import Store
from lobby.store.migrate import init_store
from lobby.store.models import DaySequence, Event, Service, Ticket
from support import TABLES, demo_config

US = timedelta(microseconds=1)
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
COUNTERS = {1: ["DKKD"], 2: ["DKKD", "CT"], 3: ["DD"], 4: ["DD", "TNMT"]}  # as in config/demo.toml
SERVICES = ["DKKD", "CT", "DD", "TNMT"]
AFTER = {"issued": "waiting", "called": "called", "recalled": "called", "serving": "serving", "finished": "done",
         "no_show": "no_show", "transferred": "waiting", "parked": "parked", "cancelled": "cancelled",
         "expired": "expired"}


def machine_config() -> CentreConfig:
    cfg = demo_config()
    return cfg.model_copy(update={"priority_policy": PriorityPolicy(max_consecutive=2)})


@dataclass
class Model:
    """What the store should hold, kept the plain way."""

    id: int
    number: str
    service: str
    priority: bool
    issued: int  # the clock tick it was issued at = its place after a transfer
    queued: int
    status: str = "waiting"
    counter: int | None = None
    started: bool = False


class QueueMachine(RuleBasedStateMachine):
    url: str = ""
    template: Path | None = None

    def __init__(self) -> None:
        super().__init__()
        self.cfg = machine_config()
        self.store = self._fresh_store()
        self.tick = 0
        self.tickets: dict[str, Model] = {}
        self.state = {n: "closed" for n in COUNTERS}
        self.streak = {n: 0 for n in COUNTERS}

    def _fresh_store(self) -> Store:
        if self.template is not None:  # SQLite: a copy of a migrated file
            path = self.template.parent / f"sm-{uuid.uuid4().hex[:8]}.sqlite3"
            shutil.copy(self.template, path)
            return Store(f"sqlite:///{path}")
        store = Store(self.url)
        with store.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        init_store(store, self.cfg)
        return store

    def teardown(self) -> None:
        path = self.store.sqlite_path
        self.store.dispose()
        if path is not None:
            for p in path.parent.glob(path.name + "*"):
                p.unlink()

    # ------------------------------------------------------------ helpers

    def now(self) -> datetime:
        self.tick += 1
        return START + timedelta(seconds=7 * self.tick)

    def current(self, counter: int) -> Model | None:
        return next((t for t in self.tickets.values() if t.counter == counter and t.status in ("called", "serving")),
                    None)

    def pick(self, index: int, usually: str | None = None) -> Model | None:
        """A ticket: three times in four one in the ``usually`` status (when there is one), else any."""
        numbers = sorted(self.tickets)
        likely = [n for n in numbers if self.tickets[n].status == usually]
        if likely and index % 4:
            return self.tickets[likely[index % len(likely)]]
        return self.tickets[numbers[index % len(numbers)]] if numbers else None

    def finish_current(self, counter: int) -> None:
        t = self.current(counter)
        if t is not None:
            t.status = "done"

    def expect(self, error: type[LobbyError] | None, action: Any) -> Any:
        if error is None:
            return action()
        with pytest.raises(error):
            action()
        return None

    def run(self, fn: Any, *args: Any, **kw: Any) -> Any:
        with self.store.session() as s:
            return fn(s, self.cfg, *args, **kw)

    def expected_next(self, counter: int) -> Model | None:
        waiting = [t for t in self.tickets.values() if t.status == "waiting" and t.service in COUNTERS[counter]]
        key = lambda t: (t.queued, t.id)  # noqa: E731
        prio = min((t for t in waiting if t.priority), key=key, default=None)
        ordinary = min((t for t in waiting if not t.priority), key=key, default=None)
        if prio is None:
            self.streak[counter] = 0
            return ordinary
        if ordinary is None or key(ordinary) > key(prio):
            return prio
        if self.streak[counter] >= self.cfg.priority_policy.max_consecutive:
            self.streak[counter] = 0
            return ordinary
        self.streak[counter] += 1
        return prio

    # ------------------------------------------------------------ rules

    @rule(service=st.sampled_from(SERVICES), priority=st.booleans())
    def issue(self, service: str, priority: bool) -> None:
        t = self.run(queue.issue_ticket, service, priority="elderly" if priority else None, now=self.now())
        assert t.number not in self.tickets
        self.tickets[t.number] = Model(t.id, t.number, service, priority, self.tick, self.tick)

    @rule(counter=st.sampled_from(list(COUNTERS)))
    def call_next(self, counter: int) -> None:
        at = self.now()
        if self.state[counter] == "paused":
            self.expect(CounterNotOpen, lambda: self.run(queue.call_next, counter, now=at))
            return
        got = self.run(queue.call_next, counter, now=at)
        self.state[counter] = "open"
        self.finish_current(counter)
        want = self.expected_next(counter)
        assert (got.number if got else None) == (want.number if want else None)
        if want is not None:
            want.status, want.counter = "called", counter

    @rule(counter=st.sampled_from(list(COUNTERS)), index=st.integers(0, 10_000))
    def call_number(self, counter: int, index: int) -> None:
        t = self.pick(index, "waiting")
        if t is None:
            return
        at = self.now()
        error = (InvalidTransition if t.status != "waiting"
                 else CounterNotOpen if self.state[counter] == "paused" else None)
        got = self.expect(error, lambda: self.run(queue.call_number, counter, t.number, now=at))
        if got is not None:
            self.state[counter] = "open"
            self.finish_current(counter)
            t.status, t.counter = "called", counter
            assert got.number == t.number

    def _at_counter(self, counter: int, allowed: tuple[str, ...]) -> tuple[Model | None, type[LobbyError] | None]:
        t = self.current(counter)
        if t is None:
            return None, NoCurrentTicket
        return t, None if t.status in allowed else InvalidTransition

    @rule(counter=st.sampled_from(list(COUNTERS)))
    def recall(self, counter: int) -> None:
        t, error = self._at_counter(counter, ("called",))
        self.expect(error, lambda: self.run(queue.recall, counter, now=self.now()))

    @rule(counter=st.sampled_from(list(COUNTERS)))
    def start(self, counter: int) -> None:
        t, error = self._at_counter(counter, ("called",))
        if self.expect(error, lambda: self.run(queue.start_serving, counter, now=self.now())) is not None:
            assert t is not None
            t.status, t.started = "serving", True

    @rule(counter=st.sampled_from(list(COUNTERS)))
    def finish(self, counter: int) -> None:
        t, error = self._at_counter(counter, ("called", "serving"))
        if self.expect(error, lambda: self.run(queue.finish, counter, now=self.now())) is not None:
            assert t is not None
            t.status = "done"

    @rule(counter=st.sampled_from(list(COUNTERS)))
    def no_show(self, counter: int) -> None:
        t, error = self._at_counter(counter, ("called",))
        if self.expect(error, lambda: self.run(queue.no_show, counter, now=self.now())) is not None:
            assert t is not None
            t.status = "no_show"

    @rule(counter=st.sampled_from(list(COUNTERS)), service=st.sampled_from(SERVICES))
    def transfer(self, counter: int, service: str) -> None:
        t, error = self._at_counter(counter, ("called", "serving"))
        if self.expect(error, lambda: self.run(queue.transfer, counter, service, now=self.now())) is not None:
            assert t is not None
            t.status, t.service, t.counter, t.queued, t.started = "waiting", service, None, t.issued, False

    @rule(counter=st.sampled_from(list(COUNTERS)))
    def park(self, counter: int) -> None:
        t, error = self._at_counter(counter, ("called", "serving"))
        if self.expect(error, lambda: self.run(queue.park, counter, now=self.now())) is not None:
            assert t is not None
            t.status = "parked"

    @rule(counter=st.sampled_from(list(COUNTERS)), index=st.integers(0, 10_000))
    def resume(self, counter: int, index: int) -> None:
        t = self.pick(index, "parked")
        if t is None:
            return
        error = None if t.status == "parked" and t.counter == counter else InvalidTransition
        if self.expect(error, lambda: self.run(queue.resume, counter, t.number, now=self.now())) is not None:
            self.finish_current(counter)
            t.status = "serving" if t.started else "called"

    @rule(index=st.integers(0, 10_000))
    def cancel(self, index: int) -> None:
        t = self.pick(index, "waiting")
        if t is None:
            return
        error = None if t.status == "waiting" else InvalidTransition
        if self.expect(error, lambda: self.run(queue.cancel, t.number, now=self.now())) is not None:
            t.status = "cancelled"

    @rule(counter=st.sampled_from(list(COUNTERS)), state=st.sampled_from(["open", "paused"]))
    def set_state(self, counter: int, state: str) -> None:
        self.run(counter_rules.set_counter_state, counter, state, now=self.now())
        self.state[counter] = state

    @rule()
    def close_day(self) -> None:
        expired = self.run(queue.close_day, now=self.now())
        still_open = [t for t in self.tickets.values() if t.status in ("waiting", "called", "serving", "parked")]
        assert expired == len(still_open)
        for t in still_open:
            t.status = "expired"
        self.state = {n: "closed" for n in COUNTERS}
        self.streak = {n: 0 for n in COUNTERS}

    # ------------------------------------------------------------ invariants

    @invariant()
    def store_matches_model_and_rules(self) -> None:
        with self.store.read_session() as s:
            rows = s.execute(
                select(Ticket.id, Ticket.day, Ticket.number, Ticket.seq, Ticket.origin_service_id, Ticket.status,
                       Ticket.counter_id, Service.code, Ticket.is_priority)
                .join(Service, Service.id == Ticket.service_id)
            ).all()
            # one number per ticket per day; numbers never skipped
            assert len({(r.day, r.number) for r in rows}) == len(rows)
            by_origin = Tally(r.origin_service_id for r in rows)
            for origin, n in by_origin.items():
                assert sorted(r.seq for r in rows if r.origin_service_id == origin) == list(range(1, n + 1))
            # a counter has at most one current ticket
            current = Tally(r.counter_id for r in rows if r.status in ("called", "serving"))
            assert all(n == 1 for n in current.values())
            # the waiting counters equal the real counts
            real = Tally((r.day, r.code) for r in rows if r.status == "waiting")
            real_p = Tally((r.day, r.code) for r in rows if r.status == "waiting" and r.is_priority)
            kept = s.execute(
                select(DaySequence.day, Service.code, DaySequence.waiting, DaySequence.waiting_priority)
                .join(Service, Service.id == DaySequence.service_id)
            ).all()
            for day, code, waiting, waiting_priority in kept:
                assert (waiting, waiting_priority) == (real[(day, code)], real_p[(day, code)]), code
            assert set(real) <= {(d, c) for d, c, _, _ in kept}
            # every state change has its event: replaying the events gives the status
            replay: dict[int, str] = {}
            for ticket_id, kind, data in s.execute(
                select(Event.ticket_id, Event.kind, Event.data).where(Event.ticket_id.is_not(None)).order_by(Event.id)
            ):
                after = AFTER.get(kind, replay.get(ticket_id, ""))
                replay[ticket_id] = (data or {}).get("status", "") if kind == "resumed" else after
            assert {r.id: r.status for r in rows} == replay
            # and the store agrees with the model
            model = {t.number: (t.status, t.service) for t in self.tickets.values()}
            assert {r.number: (r.status, r.code) for r in rows} == model
            counts = s.execute(select(func.count()).select_from(Ticket)).scalar()
            assert counts == len(self.tickets)
            # the derived durations equal the ones worked out again from the times
            for t in s.scalars(select(Ticket)):
                assert t.wait_us == (None if t.called_at is None else (t.called_at - t.issued_at) // US), t.number
                served = None
                if t.status == "done" and t.started_at is not None and t.finished_at is not None:
                    served = (t.finished_at - t.started_at) // US
                assert t.service_us == served, t.number


@pytest.fixture
def sqlite_clean_template(tmp_path: Path) -> Path:
    path = tmp_path / "template.sqlite3"
    store = Store(f"sqlite:///{path}")
    init_store(store, machine_config())
    store.dispose()
    return path


def test_random_operations_keep_every_invariant(store_url: str, request: pytest.FixtureRequest) -> None:
    machine: type[QueueMachine] = type("Machine", (QueueMachine,), {"url": store_url})
    if store_url.startswith("sqlite"):
        machine.template = request.getfixturevalue("sqlite_clean_template")
    run_state_machine_as_test(
        machine,
        settings=settings(max_examples=60 if machine.template else 25, stateful_step_count=40, deadline=None,
                          database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]),
    )
