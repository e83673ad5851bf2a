"""Ratings with reasons, from the counter's panel and from the phone: one rating per ticket, on both stores."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from feedback_support import add_officials, feedback_config, serve, sign_in, vn
from sqlalchemy import select

from lobby import queue
from lobby.config import CentreConfig
from lobby.errors import AlreadyRated, InvalidTransition
from lobby.feedback.errors import NotRated, RatingClosed, ReasonsAlreadyGiven, TooManyReasons, UnknownReason
from lobby.feedback.phone import rate_from_phone, rating_view
from lobby.feedback.reasons import add_reasons, reasons_of
from lobby.store.engine import Store
from lobby.store.models import Event, Rating, RatingReason
from support import SETTLE_S

T0 = vn(2026, 11, 30, 8, 0)


@pytest.fixture
def fcfg() -> CentreConfig:
    return feedback_config(max_reasons=3, phone_rating_hours=24)


def test_the_panel_stores_the_rating_then_its_reasons_with_an_event(store: Store, fcfg: CentreConfig) -> None:
    add_officials(store)
    sign_in(store, fcfg, 1, "an", T0)
    tid = serve(store, fcfg, T0)
    with store.session() as s:
        queue.rate(s, fcfg, tid, "not_satisfied", now=T0 + timedelta(minutes=11))
    with store.session() as s:
        assert add_reasons(s, fcfg, tid, ["other", "long_wait", "long_wait"], now=T0 + timedelta(minutes=12)) \
            == ["long_wait", "other"]  # once each, in the config's order
    with store.session() as s:
        assert reasons_of(s, tid) == ["long_wait", "other"]
    with store.session() as s, pytest.raises(ReasonsAlreadyGiven):
        add_reasons(s, fcfg, tid, ["attitude"])
    with store.read_session() as s:
        row = s.get(Rating, tid)
        assert row is not None and (row.value, row.channel) == ("not_satisfied", "counter")
        events = s.execute(select(Event.kind, Event.data, Event.counter_number).where(Event.ticket_id == tid)
                           .order_by(Event.id)).all()
    assert [e.kind for e in events][-2:] == ["rated", "rating_reasons"]
    assert events[-1].data == {"value": "not_satisfied", "reasons": ["long_wait", "other"], "channel": "counter"}
    assert events[-1].counter_number == 1


def test_reasons_are_checked_and_nothing_is_half_stored(store: Store, fcfg: CentreConfig) -> None:
    add_officials(store)
    sign_in(store, fcfg, 1, "an", T0)
    tid = serve(store, fcfg, T0)
    with store.session() as s, pytest.raises(NotRated):
        add_reasons(s, fcfg, tid, ["long_wait"])
    with store.session() as s, pytest.raises(UnknownReason) as unknown:
        queue.rate(s, fcfg, tid, "not_satisfied", reasons=["rude?"])
    assert "long_wait" in unknown.value.message("en")
    with store.session() as s, pytest.raises(TooManyReasons):
        queue.rate(s, fcfg, tid, "not_satisfied", reasons=["long_wait", "attitude", "other", "unclear_guidance"])
    with store.session() as s:
        assert queue.rating_of(s, tid) is None  # a refused rating stores nothing
        assert add_reasons(s, fcfg, tid, []) == []  # the step timed out: nothing to record, no error


def test_the_phone_rates_once_within_the_window(store: Store, fcfg: CentreConfig) -> None:
    add_officials(store)
    sign_in(store, fcfg, 1, "an", T0)
    tid = serve(store, fcfg, T0)
    done = T0 + timedelta(minutes=10)
    with store.session() as s:
        view = rating_view(s, fcfg, tid, now=done + timedelta(hours=1))
    assert view.can_rate and view.open_until == done + timedelta(hours=24)
    with store.session() as s:
        rate_from_phone(s, fcfg, tid, "satisfied", ["unclear_guidance"], now=done + timedelta(hours=2))
    with store.session() as s:
        view = rating_view(s, fcfg, tid, now=done + timedelta(hours=3))
    assert (view.value, view.channel, view.reasons, view.can_rate) == ("satisfied", "phone", ["unclear_guidance"],
                                                                       False)
    with store.session() as s, pytest.raises(AlreadyRated):
        rate_from_phone(s, fcfg, tid, "very_satisfied", now=done + timedelta(hours=4))
    with store.session() as s, pytest.raises(AlreadyRated):
        queue.rate(s, fcfg, tid, "very_satisfied")  # the panel cannot rate a ticket rated by phone


def test_the_phone_window_closes_and_unserved_tickets_cannot_be_rated(store: Store, fcfg: CentreConfig) -> None:
    add_officials(store)
    sign_in(store, fcfg, 1, "an", T0)
    tid = serve(store, fcfg, T0)
    late = T0 + timedelta(minutes=10, hours=24, seconds=1)
    with store.session() as s:
        assert not rating_view(s, fcfg, tid, now=late).can_rate
    with store.session() as s, pytest.raises(RatingClosed) as closed:
        rate_from_phone(s, fcfg, tid, "satisfied", now=late)
    assert "24" in closed.value.message("vi")
    with store.session() as s:
        waiting = queue.issue_ticket(s, fcfg, "DKKD", now=T0 + timedelta(hours=1)).id
    with store.session() as s, pytest.raises(InvalidTransition):
        rate_from_phone(s, fcfg, waiting, "satisfied", now=T0 + timedelta(hours=1))
    off = feedback_config(phone_rating_hours=0)
    with store.session() as s:
        assert not rating_view(s, off, tid, now=T0 + timedelta(hours=1)).can_rate


def test_panel_and_phone_at_the_same_moment_give_exactly_one_rating(store: Store, fcfg: CentreConfig) -> None:
    add_officials(store)
    sign_in(store, fcfg, 1, "an", T0)
    ids = [serve(store, fcfg, T0 + timedelta(minutes=15 * i)) for i in range(6)]
    at = T0 + timedelta(hours=3)

    for tid in ids:
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def panel(tid: int = tid, barrier: threading.Barrier = barrier, outcomes: list[str] = outcomes) -> None:
            with store.session() as s:
                barrier.wait()
                try:
                    queue.rate(s, fcfg, tid, "not_satisfied", reasons=["long_wait"], now=at)
                    outcomes.append("counter")
                except AlreadyRated:
                    outcomes.append("refused")

        def phone(tid: int = tid, barrier: threading.Barrier = barrier, outcomes: list[str] = outcomes) -> None:
            with store.session() as s:
                barrier.wait()
                try:
                    rate_from_phone(s, fcfg, tid, "very_satisfied", ["other"], now=at)
                    outcomes.append("phone")
                except AlreadyRated:
                    outcomes.append("refused")

        threads = [threading.Thread(target=panel), threading.Thread(target=phone)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=SETTLE_S)
        assert sorted(outcomes)[-1] == "refused" and len(outcomes) == 2, outcomes
        winner = next(o for o in outcomes if o != "refused")
        with store.read_session() as s:
            row = s.get(Rating, tid)
            reasons = list(s.scalars(select(RatingReason.reason).where(RatingReason.ticket_id == tid)))
            rated = s.scalars(select(Event.data).where(Event.ticket_id == tid, Event.kind == "rated")).all()
        assert row is not None and row.channel == winner
        assert reasons == (["long_wait"] if winner == "counter" else ["other"])  # the winner's reasons only
        assert len(rated) == 1 and rated[0]["channel"] == winner
