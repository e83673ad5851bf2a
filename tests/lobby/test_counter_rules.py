"""lobby.staffing.desk: enabled actions, today's figures, the counter view, the rating panel's decisions."""
from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lobby import queue
from lobby.feed.reader import FeedEvent, FeedReader
from lobby.staffing import counters, staff
from lobby.staffing.desk import (
    ACTIONS,
    OfficialFigures,
    concerns_counter,
    enabled_actions,
    minutes_text,
    official_figures,
    panel_update,
    read_counter_view,
    waited,
)
from lobby.vocabulary import EventKind

T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam, a Monday


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def event(kind: str, counter: int | None = 3, ticket_id: int | None = 7, minutes: float = 0, **kw: Any) -> FeedEvent:
    return FeedEvent(id=1, at=at(minutes), kind=EventKind(kind), ticket_id=ticket_id, number="B001",
                     service=kw.pop("service", "DD"), counter=counter, staff="an", data=dict(kw))


# ------------------------------------------------------------ enabled actions


def test_no_ticket_allows_next_call_number_and_a_break() -> None:
    assert enabled_actions(None, "open") == {"next", "call_number", "pause"}


def test_called_ticket_allows_everything_but_a_break() -> None:
    assert enabled_actions("called", "open") == set(ACTIONS) - {"pause", "resume"}


def test_serving_ticket_cannot_be_recalled_or_marked_absent() -> None:
    allowed = enabled_actions("serving", "open")
    assert {"finish", "transfer", "park", "next", "call_number"} <= allowed
    assert not allowed & {"recall", "no_show", "serve", "pause"}


def test_resume_only_with_parked_tickets() -> None:
    assert "resume" not in enabled_actions(None, "open", parked=0)
    assert "resume" in enabled_actions(None, "open", parked=2)
    assert "resume" in enabled_actions("serving", "open", parked=1)


def test_on_a_break_only_the_end_of_the_break() -> None:
    assert enabled_actions(None, "paused", parked=3) == {"pause"}


def test_nothing_while_lost_or_busy() -> None:
    assert enabled_actions("called", "open", connected=False) == frozenset()
    assert enabled_actions("called", "open", busy=True) == frozenset()


def test_a_closed_counter_opens_on_next() -> None:
    assert "next" in enabled_actions(None, "closed")


# ------------------------------------------------------------ times


def test_minutes_text_both_languages() -> None:
    assert minutes_text(timedelta(seconds=20)) == "dưới 1 phút"
    assert minutes_text(timedelta(minutes=12, seconds=59)) == "12 phút"
    assert minutes_text(timedelta(minutes=65), "en") == "1 h 05 min"
    assert minutes_text(timedelta(minutes=65)) == "1 giờ 05 phút"


def test_waited_is_issue_to_first_call(store, cfg) -> None:
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DD", now=at(0))
    with store.session() as s:
        ticket = queue.call_next(s, cfg, 3, now=at(17))
    assert ticket is not None
    assert waited(ticket) == timedelta(minutes=17)
    with store.session() as s:
        waiting = queue.issue_ticket(s, cfg, "DD", now=at(20))
    assert waited(waiting, now=at(25)) == timedelta(minutes=5)


# ------------------------------------------------------------ today's figures


def _official(store, username: str = "an") -> int:
    with store.session() as s:
        return staff.add_staff(s, username, "Nguyễn Văn An", "official", "1234").id


def test_figures_count_served_and_no_shows_of_this_official_today(store, cfg) -> None:
    an = _official(store)
    binh = _official(store, "binh")
    with store.session() as s:
        counters.sign_in(s, cfg, 3, "an", "1234", now=at(0))
    with store.session() as s:
        counters.sign_in(s, cfg, 4, "binh", "1234", now=at(0))
    for i in range(4):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DD", now=at(i))
    # an: 6 min and 10 min services, then a no-show; binh: one service
    with store.session() as s:
        queue.call_next(s, cfg, 3, now=at(10))
    with store.session() as s:
        queue.start_serving(s, cfg, 3, now=at(11))
    with store.session() as s:
        queue.finish(s, cfg, 3, now=at(17))
    with store.session() as s:
        queue.call_next(s, cfg, 3, now=at(20))
    with store.session() as s:
        queue.start_serving(s, cfg, 3, now=at(20))
    with store.session() as s:
        queue.finish(s, cfg, 3, now=at(30))
    with store.session() as s:
        queue.call_next(s, cfg, 3, now=at(31))
    with store.session() as s:
        queue.no_show(s, cfg, 3, now=at(33))
    with store.session() as s:
        queue.call_next(s, cfg, 4, now=at(31))
    with store.session() as s:
        queue.finish(s, cfg, 4, now=at(40))
    with store.session() as s:
        mine = official_figures(s, cfg, an, now=at(60))
    assert mine.served == 2 and mine.no_shows == 1
    assert mine.average_service_s == pytest.approx(8 * 60, abs=1)
    assert mine.average_text() == "8 phút" and mine.average_text("en") == "8 min"
    with store.session() as s:
        assert official_figures(s, cfg, binh, now=at(60)).served == 1
    with store.session() as s:  # tomorrow starts at zero
        assert official_figures(s, cfg, an, now=at(60 * 24)) == OfficialFigures()


def test_figures_empty_day() -> None:
    assert OfficialFigures().average_text() == "—"


# ------------------------------------------------------------ the counter view


def test_read_counter_view(store, cfg) -> None:
    an = _official(store)
    with store.session() as s:
        counters.sign_in(s, cfg, 4, "an", "1234")
    for code in ("DD", "DD", "TNMT", "HT"):
        with store.session() as s:
            queue.issue_ticket(s, cfg, code)
    with store.session() as s:
        queue.call_next(s, cfg, 4)
    with store.session() as s:
        queue.park(s, cfg, 4)
    with store.session() as s:
        queue.call_next(s, cfg, 4)
    view = read_counter_view(store, cfg, 4, an)
    assert view.counter.number == 4 and view.counter.staff == "an" and view.counter.state == "open"
    assert view.current is not None and view.current.number == "B002" and view.current.status == "called"
    assert [p.number for p in view.parked] == ["B001"]
    assert view.waiting == {"DD": 0, "TNMT": 1}  # only this counter's services, HT is not one
    assert view.next_numbers == ("K001",)
    assert view.figures.served == 0


# ------------------------------------------------------------ feed decisions


def test_concerns_counter() -> None:
    services = ["DD", "TNMT"]
    assert concerns_counter([event("issued", counter=None, service="DD")], 4, services)
    assert not concerns_counter([event("issued", counter=None, service="HT")], 4, services)
    assert concerns_counter([event("signed_out", counter=4, service=None)], 4, services)
    assert not concerns_counter([event("signed_in", counter=5, service=None)], 4, services)
    moved: dict[str, Any] = {"from": "HT", "to": "DD"}
    assert concerns_counter([event("transferred", counter=5, service="HT", **moved)], 4, services)
    assert not concerns_counter([event("pin_failed", counter=None, service=None)], 4, services)


def test_panel_asks_for_a_finished_service_at_its_counter() -> None:
    update = panel_update([event("finished", counter=3, ticket_id=7)], 3, now=at(0.1), max_age_s=30)
    assert update.ask == (7, "B001")
    assert panel_update([event("finished", counter=4)], 3).ask is None


def test_panel_asks_only_the_latest_and_not_a_stale_one() -> None:
    batch = [event("finished", ticket_id=7), event("finished", ticket_id=8)]
    assert panel_update(batch, 3, now=at(0), max_age_s=30).ask == (8, "B001")
    assert panel_update([event("finished", minutes=0)], 3, now=at(5), max_age_s=30).ask is None


def test_panel_sees_ratings_made_elsewhere_and_staff_changes() -> None:
    update = panel_update([event("finished", ticket_id=7), event("rated", ticket_id=7)], 3, now=at(0))
    assert update.ask is None and update.answered == {7}
    assert panel_update([event("signed_in", ticket_id=None)], 3).staff_changed


def test_panel_update_from_the_real_feed(store, cfg) -> None:
    _official(store)
    with store.session() as s:
        counters.sign_in(s, cfg, 3, "an", "1234")
    with store.session() as s:
        ticket = queue.issue_ticket(s, cfg, "DD")
    with store.session() as s:
        queue.call_next(s, cfg, 3)
    with store.session() as s:
        queue.finish(s, cfg, 3)
    update = panel_update(FeedReader(store).poll(), 3, max_age_s=30)
    assert update.ask == (ticket.id, ticket.number) and update.staff_changed


def test_rules_import_no_qt() -> None:
    code = "import sys, lobby.staffing.desk; assert not [m for m in sys.modules if m.startswith('PySide6')]"
    subprocess.run([sys.executable, "-c", code], check=True)
