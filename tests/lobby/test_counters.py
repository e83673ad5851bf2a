"""Counters: signing in and out, one official per counter, states and their events."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from lobby import queue
from lobby.config import CentreConfig
from lobby.errors import CounterTaken, LobbyError, NotAllowed, PinRejected, UnknownCounter
from lobby.staffing import counters
from lobby.staffing.staff import add_staff
from lobby.store.engine import Store
from lobby.store.models import Event

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def people(store: Store) -> None:
    with store.session() as s:
        add_staff(s, "an", "Nguyễn Văn An", "official", "1234")
        add_staff(s, "binh", "Lê Thị Bình", "official", "5678")
        add_staff(s, "bao", "Trần Văn Bảo", "guard", "246813")


def _info(store: Store, cfg: CentreConfig, number: int) -> counters.CounterInfo:
    with store.session() as s:
        return next(c for c in counters.counter_infos(s, cfg) if c.number == number)


def test_sign_in_opens_and_one_official_holds_one_counter(store: Store, cfg: CentreConfig, people: None) -> None:
    with store.session() as s:
        assert counters.sign_in(s, cfg, 1, "an", "1234", now=T0).username == "an"
    c1 = _info(store, cfg, 1)
    assert (c1.state, c1.staff, c1.staff_name, c1.services) == ("open", "an", "Nguyễn Văn An", ("DKKD",))
    with store.session() as s, pytest.raises(CounterTaken) as taken:
        counters.sign_in(s, cfg, 1, "binh", "5678", now=T0)
    assert "an" in taken.value.holder
    # An moves to counter 2: signed out of 1 first
    with store.session() as s:
        counters.sign_in(s, cfg, 2, "an", "1234", now=T0)
    assert (_info(store, cfg, 1).staff, _info(store, cfg, 1).state) == (None, "closed")
    assert _info(store, cfg, 2).staff == "an"
    with store.session() as s, pytest.raises(NotAllowed):
        counters.sign_in(s, cfg, 3, "bao", "246813", now=T0)
    with store.session() as s, pytest.raises(PinRejected):
        counters.sign_in(s, cfg, 3, "binh", "0000", now=T0)
    with store.session() as s, pytest.raises(UnknownCounter):
        counters.sign_in(s, cfg, 99, "binh", "5678", now=T0)
    with store.read_session() as s:
        kinds = [k for k, n in s.execute(select(Event.kind, Event.counter_number).order_by(Event.id)) if n in (1, 2)]
    assert kinds == ["signed_in", "counter_opened", "signed_out", "counter_closed", "signed_in", "counter_opened"]


def test_calls_carry_the_official_and_sign_out_keeps_the_ticket(store: Store, cfg: CentreConfig, people: None) -> None:
    with store.session() as s:
        counters.sign_in(s, cfg, 1, "an", "1234", now=T0)
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DKKD", now=T0)
    with store.session() as s:
        t = queue.call_next(s, cfg, 1, now=T0)
    assert t is not None and t.staff == "an"
    with store.session() as s:
        counters.sign_out(s, cfg, 1, now=T0)
    assert _info(store, cfg, 1).current == t.number
    with store.session() as s:
        counters.sign_in(s, cfg, 1, "binh", "5678", now=T0)
    with store.session() as s:
        assert queue.current_ticket(s, cfg, 1).staff == "binh"  # type: ignore[union-attr]


def test_states_pause_and_open(store: Store, cfg: CentreConfig, people: None) -> None:
    with store.session() as s:
        counters.set_counter_state(s, cfg, 4, "open", now=T0)
    with store.session() as s:
        counters.set_counter_state(s, cfg, 4, "paused", now=T0)
    with store.session() as s:
        counters.set_counter_state(s, cfg, 4, "paused", now=T0)  # no change, no event
    assert _info(store, cfg, 4).state == "paused"
    with store.session() as s, pytest.raises(LobbyError):
        counters.set_counter_state(s, cfg, 4, "asleep")
    with store.read_session() as s:
        kinds = list(s.scalars(select(Event.kind).where(Event.counter_number == 4).order_by(Event.id)))
    assert kinds == ["counter_opened", "counter_paused"]
