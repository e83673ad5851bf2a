"""The reports' fast path (day summaries, lobby.reports.summary) gives exactly the figures of the direct computation.

A generated history of three weeks, plus live tickets today and an open ticket on a past day, on
both stores: every grouping, the total, the grants and the heat map are compared with the direct
computation before anything is stored, once the settled days are stored, and after each way a past
day can change (a late rating, a ticket added to a past day, an expiry at close of day, another time
zone or target wait). Everything is compared exactly, the times (seconds as floats)
to the last bit: both paths rank the same microseconds and interpolate and divide them the same way.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from lobby import queue
from lobby.clock import local_day, utcnow
from lobby.config import CentreConfig
from lobby.reports.demo_history import generate_history
from lobby.reports.figures import GROUPINGS, Report, ReportQuery, build_report, report_bundle
from lobby.reports.summary import summarise, summarise_closed_days
from lobby.reports.summary_values import Runs, percentiles
from lobby.store.engine import Store
from lobby.store.migrate import init_store
from support import demo_config

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LAST = date(2025, 3, 21)   # a Friday
FIRST = LAST - timedelta(days=20)
QUERY = ReportQuery(FIRST, LAST)


def at(day: date, hhmm: str, tz: ZoneInfo = TZ) -> datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, tzinfo=tz)


def _clear(store: Store) -> None:
    """The PostgreSQL test database is truncated between tests; the summaries too (a day is a day)."""
    with store.engine.begin() as conn:
        for table in ("day_summary_values", "day_summary_group", "day_summary"):
            conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def history(store: Store, cfg: CentreConfig) -> Store:
    _clear(store)
    generate_history(store, cfg, days=21, end=LAST, per_day=40, seed=11)
    return store


def _stored_days(store: Store) -> set[date]:
    with store.read_engine.connect() as conn:
        return {d if isinstance(d, date) else date.fromisoformat(d)
                for (d,) in conn.execute(text("SELECT day FROM day_summary"))}


def _same_figures(fast: Any, direct: Any, where: str) -> None:
    a, b = fast.to_json(), direct.to_json()
    assert a.keys() == b.keys()
    for name, want in b.items():
        assert a[name] == want, f"{where} {name}: {a[name]!r} != {want!r}"


def assert_same(store: Store, cfg: CentreConfig, q: ReportQuery = QUERY) -> dict[str, Report]:
    """Every grouping, the total, the grants and the heat map: fast path == direct computation."""
    fast, fast_heat = report_bundle(store, cfg, q)
    direct, direct_heat = report_bundle(store, cfg, q, direct=True)
    for by in GROUPINGS:
        assert [g.key for g in fast[by].groups] == [g.key for g in direct[by].groups], by
        for f, d in zip(fast[by].groups, direct[by].groups, strict=True):
            _same_figures(f, d, f"{by} {f.key}")
        _same_figures(fast[by].total, direct[by].total, f"{by} total")
        assert fast[by].grants == direct[by].grants
    assert fast_heat == direct_heat
    return fast  # type: ignore[return-value]


def test_fast_path_equals_direct_before_and_after_storing(history: Store, cfg: CentreConfig) -> None:
    today = local_day(utcnow(), cfg.tz)
    queue.issue_ticket(history.session(), cfg, "DKKD", now=at(LAST, "16:30"))  # a past day left open
    first = assert_same(history, cfg)
    generated = {date.fromisoformat(g.key) for g in first["day"].groups if g.key}
    assert len(generated) == 15 and first["day"].total.issued > 400
    assert _stored_days(history) == generated - {LAST}  # settled days only: LAST still has an open ticket
    again = assert_same(history, cfg)  # now read from the stored days
    assert again["service"].total == first["service"].total
    # a range cut inside the history, and one reaching today (worked out from the tickets, never stored)
    assert_same(history, cfg, ReportQuery(FIRST + timedelta(days=3), LAST - timedelta(days=4)))
    queue.issue_ticket(history.session(), cfg, "DD")
    assert_same(history, cfg, ReportQuery(FIRST, today))
    assert today not in _stored_days(history)


def test_direct_path_stores_nothing(history: Store, cfg: CentreConfig) -> None:
    build_report(history, cfg, QUERY, "staff", direct=True)
    assert _stored_days(history) == set()
    assert build_report(history, cfg, QUERY, "staff") == build_report(history, cfg, QUERY, "staff", direct=True)


def _a_done_unrated_ticket(store: Store, day: date) -> int:
    with store.read_engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT t.id FROM ticket t LEFT JOIN rating r ON r.ticket_id = t.id "
            "WHERE t.day = :d AND t.status = 'done' AND r.ticket_id IS NULL ORDER BY t.id LIMIT 1"),
            {"d": day}).scalar_one())


def test_a_changed_past_day_is_never_stale(history: Store, cfg: CentreConfig) -> None:
    before = assert_same(history, cfg)
    day = LAST - timedelta(days=7)
    assert day in _stored_days(history)

    # a late rating (from a phone, a week later)
    queue.rate(history.session(), cfg, _a_done_unrated_ticket(history, day), "not_satisfied",
               now=at(day + timedelta(days=7), "09:00"))
    rated = assert_same(history, cfg)
    assert rated["service"].total.not_satisfied == before["service"].total.not_satisfied + 1

    # a ticket added to a past day (a kiosk whose clock is behind), then cancelled
    added = queue.issue_ticket(history.session(), cfg, "DD", now=at(day, "16:50"))
    assert_same(history, cfg)  # open: that day is worked out from its tickets
    queue.cancel(history.session(), cfg, added.number, now=at(day, "16:55"))
    cancelled = assert_same(history, cfg)
    assert cancelled["day"].total.cancelled == rated["day"].total.cancelled + 1

    # a ticket left open, expired at the close of day
    queue.issue_ticket(history.session(), cfg, "DKKD", now=at(day, "16:58"))
    queue.close_day(history.session(), cfg, now=at(day + timedelta(days=1), "07:00"))
    expired = assert_same(history, cfg)
    assert expired["day"].total.expired == cancelled["day"].total.expired + 1
    assert day in _stored_days(history)  # stored again, with the day as it is now


def test_another_zone_or_target_rebuilds_every_day(history: Store, cfg: CentreConfig) -> None:
    assert_same(history, cfg)
    tokyo = demo_config(timezone="Asia/Tokyo")
    moved = assert_same(history, tokyo)
    assert [g.key for g in moved["hour"].groups] != [g.key for g in build_report(history, cfg, QUERY, "hour").groups]
    strict = cfg.model_copy(update={"services": [s.model_copy(update={"target_wait_min": 1}) for s in cfg.services]})
    init_store(history, strict)  # the new targets reach the service rows
    tight = assert_same(history, strict)
    assert tight["service"].total.within_target < moved["service"].total.within_target


def test_summarise_stores_settled_days_up_to_a_day(history: Store, cfg: CentreConfig) -> None:
    assert summarise(history, cfg, FIRST, LAST, until=LAST - timedelta(days=7)) == 10
    # after the close of LAST: the rest (the first ten are fresh)
    assert summarise_closed_days(history, cfg, now=at(LAST, "18:00")) == 5
    assert summarise(history, cfg, FIRST, LAST) == 0
    assert_same(history, cfg)


def test_hours_across_daylight_saving_from_stored_days(store_url: str) -> None:
    cfg = demo_config(timezone="Europe/Berlin")
    store = Store(store_url)
    try:
        init_store(store, cfg)
        _clear(store)
        berlin = ZoneInfo("Europe/Berlin")
        for day in (date(2025, 3, 28), date(2025, 3, 31)):
            for hhmm in ("00:30", "09:30", "23:30"):
                t = queue.issue_ticket(store.session(), cfg, "DKKD", now=at(day, hhmm, berlin))
                queue.cancel(store.session(), cfg, t.number, now=at(day, hhmm, berlin) + timedelta(minutes=1))
        q = ReportQuery(date(2025, 3, 28), date(2025, 3, 31))
        assert_same(store, cfg, q)
        assert len(_stored_days(store)) == 2
        hours = assert_same(store, cfg, q)["hour"]
        assert [(g.key, g.issued) for g in hours.groups] == [("00", 2), ("09", 2), ("23", 2)]
    finally:
        store.dispose()


def test_runs_round_trip_and_percentiles_match_percentile_cont() -> None:
    import numpy as np

    keys = np.array([3, 1, 3, 3, 1, -1, 3], dtype=np.int64)
    values = np.array([50, 7, -2, 10**12, 7, 4, 9], dtype=np.int64)
    runs = Runs.of(keys, values)
    back = Runs.decode(runs.encode())
    assert back.keys.tolist() == [-1, 1, 3] and back.sizes.tolist() == [1, 2, 4]
    assert back.values.tolist() == [4, 7, 7, -2, 9, 50, 10**12]

    def cont(v: list[int], p: float) -> float:
        v = sorted(v)
        pos = p * (len(v) - 1)
        lo = int(pos)
        return v[lo] + (pos - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo])

    got = percentiles(keys, values)
    for key in (-1, 1, 3):
        mine = [int(v) for k, v in zip(keys, values, strict=True) if k == key]
        assert got[key] == (cont(mine, 0.5), cont(mine, 0.9))
