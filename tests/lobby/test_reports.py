"""Reports over a small hand-built history whose every figure is worked out by hand, on both stores.

The history is made with the real queue rules (so the events and ticket rows are the
ones the apps write). Times are local (Asia/Ho_Chi_Minh, UTC+7):

Monday 03/03/2025 — An at counter 1 (DKKD), Bình at counter 3 (DD), Cường (guard) grants priority.
  T1 A001 DKKD  08:00 called 08:05 start 08:06 done 08:16  wait 300  svc 600   very satisfied
  T2 A002 DKKD  08:01 called 08:16 start 08:17 done 08:25  wait 900  svc 480   satisfied (wait = target)
  T3 A003 DKKD  08:02 elderly, called 08:25 start 08:26 done 08:30  wait 1380 svc 240  not satisfied
  T4 A004 DKKD  09:10 called 09:12, no-show 09:15           wait 120
  T5 B001 DD    09:20 merit granted by Cường, called c3 09:30, start 09:31, transferred to DKKD 09:40,
                called c1 09:50, start 09:51, done 10:01   wait 600  svc 600   very satisfied
  T6 B002 DD    10:00 cancelled 10:10
  T7 B003 DD    14:00 never called, expired at close of day 17:30
Tuesday 04/03/2025
  T8 A001 DKKD  08:00 called 08:10 start 08:10 done 08:30  wait 600  svc 1200  (not rated)
  T9 B001 DD    08:05 called c3 08:30 start 08:31 done 08:41  wait 1500 svc 600  satisfied
  T10 B002 DD   13:30 called c3 13:40 start 13:45 (still serving)  wait 600
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from lobby import queue
from lobby.config import CentreConfig
from lobby.errors import LobbyError, UnknownCounter, UnknownService, UnknownStaff
from lobby.reports.figures import (
    Figures,
    ReportQuery,
    ReportRangeError,
    arrivals_heatmap,
    build_report,
    build_reports,
    offset_pieces,
    utc_bounds,
)
from lobby.staffing import counters, staff
from lobby.store.engine import Store

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY1 = date(2025, 3, 3)
DAY2 = date(2025, 3, 4)
QUERY = ReportQuery(DAY1, DAY2)


def at(day: date, hhmm: str) -> datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, tzinfo=TZ)


def build_history(store: Store, cfg: CentreConfig) -> dict[str, int]:
    """Write the history above; return the ticket ids by name (T1…T10)."""
    def s() -> Any:
        return store.session()

    staff.add_staff(s(), "an", "Nguyễn Văn An", "official", "1111")
    staff.add_staff(s(), "binh", "Trần Thị Bình", "official", "2222")
    cuong = staff.add_staff(s(), "cuong", "Lê Văn Cường", "guard", "333333")
    ids: dict[str, int] = {}

    def issue(name: str, code: str, day: date, hhmm: str, **kw: Any) -> None:
        ids[name] = queue.issue_ticket(s(), cfg, code, now=at(day, hhmm), **kw).id

    def served(counter: int, number: str, day: date, call: str, start: str, done: str) -> None:
        queue.call_number(s(), cfg, counter, number, now=at(day, call))
        queue.start_serving(s(), cfg, counter, now=at(day, start))
        queue.finish(s(), cfg, counter, now=at(day, done))

    def rate(name: str, value: str, day: date, hhmm: str) -> None:
        queue.rate(s(), cfg, ids[name], value, now=at(day, hhmm))

    d = DAY1
    counters.sign_in(s(), cfg, 1, "an", "1111", now=at(d, "07:30"))
    counters.sign_in(s(), cfg, 3, "binh", "2222", now=at(d, "07:30"))
    issue("T1", "DKKD", d, "08:00")
    issue("T2", "DKKD", d, "08:01")
    issue("T3", "DKKD", d, "08:02", priority="elderly")
    served(1, "A001", d, "08:05", "08:06", "08:16")
    rate("T1", "very_satisfied", d, "08:16")
    served(1, "A002", d, "08:16", "08:17", "08:25")
    rate("T2", "satisfied", d, "08:25")
    served(1, "A003", d, "08:25", "08:26", "08:30")
    rate("T3", "not_satisfied", d, "08:31")
    issue("T4", "DKKD", d, "09:10")
    queue.call_number(s(), cfg, 1, "A004", now=at(d, "09:12"))
    queue.no_show(s(), cfg, 1, now=at(d, "09:15"))
    issue("T5", "DD", d, "09:20", priority="merit", granted_by=cuong.id)
    queue.call_number(s(), cfg, 3, "B001", now=at(d, "09:30"))
    queue.start_serving(s(), cfg, 3, now=at(d, "09:31"))
    queue.transfer(s(), cfg, 3, "DKKD", now=at(d, "09:40"))
    served(1, "B001", d, "09:50", "09:51", "10:01")
    rate("T5", "very_satisfied", d, "10:02")
    issue("T6", "DD", d, "10:00")
    queue.cancel(s(), cfg, "B002", now=at(d, "10:10"))
    issue("T7", "DD", d, "14:00")
    queue.close_day(s(), cfg, now=at(d, "17:30"))

    d = DAY2
    counters.sign_in(s(), cfg, 1, "an", "1111", now=at(d, "07:30"))
    counters.sign_in(s(), cfg, 3, "binh", "2222", now=at(d, "07:30"))
    issue("T8", "DKKD", d, "08:00")
    issue("T9", "DD", d, "08:05")
    served(1, "A001", d, "08:10", "08:10", "08:30")
    served(3, "B001", d, "08:30", "08:31", "08:41")
    rate("T9", "satisfied", d, "08:42")
    issue("T10", "DD", d, "13:30")
    queue.call_number(s(), cfg, 3, "B002", now=at(d, "13:40"))
    queue.start_serving(s(), cfg, 3, now=at(d, "13:45"))
    return ids


@pytest.fixture
def history(store: Store, cfg: CentreConfig) -> Store:
    build_history(store, cfg)
    return store


def fig(issued: int, served: int = 0, no_show: int = 0, cancelled: int = 0, expired: int = 0, open: int = 0,
        transferred: int = 0, wait: tuple[float, float, float, float] | None = None,
        svc: tuple[float, float, float] | None = None, within: int = 0, ratings: tuple[int, int, int] = (0, 0, 0),
        priority: int = 0, granted: int = 0, called: int | None = None) -> dict[str, Any]:
    """The expected figures in the order of the history's table (times in seconds)."""
    w = wait or (None, None, None, None)
    v = svc or (None, None, None)
    return dict(
        issued=issued, served=served, no_show=no_show, cancelled=cancelled, expired=expired, open=open,
        transferred=transferred, wait_mean_s=w[0], wait_median_s=w[1], wait_p90_s=w[2], wait_max_s=w[3],
        service_mean_s=v[0], service_median_s=v[1], service_p90_s=v[2], within_target=within,
        very_satisfied=ratings[0], satisfied=ratings[1], not_satisfied=ratings[2], priority=priority,
        priority_granted=granted,
        **({"called": called} if called is not None else {}),
    )


TOTAL = fig(10, served=6, no_show=1, cancelled=1, expired=1, open=1, transferred=1, called=8,
            wait=(750, 600, 1416, 1500), svc=(620, 600, 900), within=4, ratings=(2, 2, 1), priority=2, granted=1)
C1 = fig(6, served=5, no_show=1, wait=(650, 600, 1140, 1380), svc=(624, 600, 960), within=4,
         ratings=(2, 1, 1), priority=2, granted=1)
C3 = fig(2, served=1, open=1, transferred=1, wait=(1050, 1050, 1410, 1500), svc=(600, 600, 600), ratings=(0, 1, 0))
NOT_CALLED = fig(2, cancelled=1, expired=1)

EXPECTED: dict[str, dict[str | None, dict[str, Any]]] = {
    "day": {
        "2025-03-03": fig(7, served=4, no_show=1, cancelled=1, expired=1, transferred=1,
                          wait=(660, 600, 1188, 1380), svc=(480, 540, 600), within=3, ratings=(2, 1, 1),
                          priority=2, granted=1),
        "2025-03-04": fig(3, served=2, open=1, wait=(900, 600, 1320, 1500), svc=(900, 900, 1140), within=1,
                          ratings=(0, 1, 0)),
    },
    "service": {
        "DKKD": fig(5, served=4, no_show=1, wait=(660, 600, 1188, 1380), svc=(630, 540, 1020), within=3,
                    ratings=(1, 1, 1), priority=1),
        "DD": fig(5, served=2, cancelled=1, expired=1, open=1, transferred=1, wait=(900, 600, 1320, 1500),
                  svc=(600, 600, 600), within=1, ratings=(1, 1, 0), priority=1, granted=1),
    },
    "counter": {"1": C1, "3": C3, None: NOT_CALLED},
    "staff": {"an": C1, "binh": C3, None: NOT_CALLED},
    "hour": {
        "08": fig(5, served=5, wait=(936, 900, 1452, 1500), svc=(624, 600, 960), within=3, ratings=(1, 2, 1),
                  priority=1),
        "09": fig(2, served=1, no_show=1, transferred=1, wait=(360, 360, 552, 600), svc=(600, 600, 600), within=1,
                  ratings=(1, 0, 0), priority=1, granted=1),
        "10": fig(1, cancelled=1),
        "13": fig(1, open=1, wait=(600, 600, 600, 600)),
        "14": fig(1, expired=1),
    },
}


def check(actual: Figures, expected: dict[str, Any]) -> None:
    for name, want in expected.items():
        got = getattr(actual, name)
        if isinstance(want, (int, float)) and not isinstance(want, bool) and name.endswith("_s"):
            assert got == pytest.approx(want, abs=1e-6), f"{actual.key} {name}"
        else:
            assert got == want, f"{actual.key} {name}: {got!r} != {want!r}"


def test_total(history: Store, cfg: CentreConfig) -> None:
    r = build_report(history, cfg, QUERY, "service")
    check(r.total, TOTAL)
    assert r.total.within_target_share == pytest.approx(4 / 6)
    assert r.total.satisfied_share == pytest.approx(4 / 5)
    assert r.total.rated_share == pytest.approx(5 / 6)
    assert r.total.label == "Tổng cộng"


@pytest.mark.parametrize("by", ["day", "service", "counter", "staff", "hour"])
def test_each_grouping(history: Store, cfg: CentreConfig, by: str) -> None:
    r = build_report(history, cfg, QUERY, by)  # type: ignore[arg-type]
    assert [g.key for g in r.groups] == list(EXPECTED[by])
    for g in r.groups:
        check(g, EXPECTED[by][g.key])
    assert sum(g.issued for g in r.groups) == 10
    assert sum(g.transferred for g in r.groups) == 1


def test_labels(history: Store, cfg: CentreConfig) -> None:
    reports = build_reports(history, cfg, QUERY)
    assert [g.label for g in reports["day"].groups] == ["Thứ Hai 03/03/2025", "Thứ Ba 04/03/2025"]
    assert [g.label for g in reports["service"].groups] == ["Đăng ký kinh doanh", "Đất đai"]
    assert [g.label for g in reports["staff"].groups] == ["Nguyễn Văn An", "Trần Thị Bình",
                                                          "Không ở quầy nào (chưa gọi, chờ lại)"]
    assert [g.label for g in reports["counter"].groups][:2] == ["Quầy 1", "Quầy 3"]
    assert reports["hour"].groups[0].label == "08:00–09:00"


def test_grants(history: Store, cfg: CentreConfig) -> None:
    r = build_report(history, cfg, QUERY)
    got = [(g.group, g.granted_by, g.granted_by_name, g.count) for g in r.grants]
    assert got == [("elderly", None, None, 1), ("merit", "cuong", "Lê Văn Cường", 1)]
    assert r.grants[0].group_name == "Người cao tuổi"


def test_filters(history: Store, cfg: CentreConfig) -> None:
    dd = build_report(history, cfg, ReportQuery(DAY1, DAY2, service="DD"), "service")
    assert [g.key for g in dd.groups] == ["DD"]
    check(dd.total, EXPECTED["service"]["DD"])
    c3 = build_report(history, cfg, ReportQuery(DAY1, DAY2, counter=3), "counter")
    check(c3.total, C3)
    an = build_report(history, cfg, ReportQuery(DAY1, DAY2, staff="an"), "day")
    check(an.total, C1)
    assert [g.key for g in an.groups] == ["2025-03-03", "2025-03-04"]
    one_day = build_report(history, cfg, ReportQuery(DAY2, DAY2), "day")
    check(one_day.total, EXPECTED["day"]["2025-03-04"])


def test_empty_range(history: Store, cfg: CentreConfig) -> None:
    r = build_report(history, cfg, ReportQuery(date(2025, 1, 1), date(2025, 1, 31)), "day")
    assert r.groups == []
    assert r.total.issued == 0 and r.total.wait_median_s is None and r.total.within_target_share is None


def test_heatmap(history: Store, cfg: CentreConfig) -> None:
    h = arrivals_heatmap(history, cfg, QUERY)
    assert h.counts == {(1, 8): 3, (1, 9): 2, (1, 10): 1, (1, 14): 1, (2, 8): 2, (2, 13): 1}
    assert h.days == {1: 1, 2: 1}
    assert h.hours == list(range(8, 15))
    assert h.mean(1, 8) == 3.0


def test_bad_input(history: Store, cfg: CentreConfig) -> None:
    with pytest.raises(ReportRangeError, match="--from"):
        build_report(history, cfg, ReportQuery(DAY2, DAY1))
    with pytest.raises(UnknownService):
        build_report(history, cfg, ReportQuery(DAY1, DAY2, service="NOPE"))
    with pytest.raises(UnknownCounter):
        build_report(history, cfg, ReportQuery(DAY1, DAY2, counter=99))
    with pytest.raises(UnknownStaff):
        build_report(history, cfg, ReportQuery(DAY1, DAY2, staff="nobody"))
    with pytest.raises(LobbyError):
        build_report(history, cfg, ReportQuery(date(2000, 1, 1), date(2025, 1, 1)))


def test_local_day_bounds_and_offsets() -> None:
    lo, hi = utc_bounds(_cfg_with_tz("Asia/Ho_Chi_Minh"), DAY1, DAY1)
    assert (lo.isoformat(), hi.isoformat()) == ("2025-03-02T17:00:00+00:00", "2025-03-03T17:00:00+00:00")
    assert offset_pieces(TZ, lo, hi) == [(None, 420)]
    berlin = ZoneInfo("Europe/Berlin")
    lo, hi = utc_bounds(_cfg_with_tz("Europe/Berlin"), date(2025, 3, 29), date(2025, 3, 31))
    pieces = offset_pieces(berlin, lo, hi)
    assert [(p[0].isoformat() if p[0] else None, p[1]) for p in pieces] == [
        ("2025-03-30T01:00:00+00:00", 60), (None, 120)]


def _cfg_with_tz(name: str) -> CentreConfig:
    from support import demo_config

    return demo_config(timezone=name)


def test_hours_follow_the_centre_zone(store_url: str) -> None:
    """A centre in a zone with daylight saving: the local hour is right on each side of the change."""
    from lobby.store.migrate import init_store
    from support import demo_config

    cfg = demo_config(timezone="Europe/Berlin")
    store = Store(store_url)
    try:
        init_store(store, cfg)
        berlin = ZoneInfo("Europe/Berlin")
        for day in (date(2025, 3, 28), date(2025, 3, 31)):
            queue.issue_ticket(store.session(), cfg, "DKKD", now=datetime(day.year, day.month, day.day, 9, 30,
                                                                            tzinfo=berlin))
        r = build_report(store, cfg, ReportQuery(date(2025, 3, 28), date(2025, 3, 31)), "hour")
        assert [(g.key, g.issued) for g in r.groups] == [("09", 2)]
        h = arrivals_heatmap(store, cfg, ReportQuery(date(2025, 3, 28), date(2025, 3, 31)))
        assert h.counts == {(5, 9): 1, (1, 9): 1}
    finally:
        store.dispose()


def test_times_to_the_microsecond(store: Store, cfg: CentreConfig) -> None:
    """Waits and service times keep their microseconds on both stores (no rounding of the stored times)."""
    from datetime import timedelta

    def pc(values: list[float], p: float) -> float:
        v = sorted(values)
        pos = p * (len(v) - 1)
        lo = int(pos)
        return v[lo] + (v[min(lo + 1, len(v) - 1)] - v[lo]) * (pos - lo)

    def s() -> Any:
        return store.session()

    staff.add_staff(s(), "an", "Nguyễn Văn An", "official", "1111")
    base = at(DAY1, "08:00")
    counters.sign_in(s(), cfg, 1, "an", "1111", now=base)
    issued = [base + timedelta(seconds=i * 0.3 + 0.000001 * (i + 1)) for i in range(5)]
    for when in issued:
        queue.issue_ticket(s(), cfg, "DKKD", now=when)
    waits, services = [], []
    for i, when in enumerate(issued):
        call = base + timedelta(seconds=200 * (i + 1), microseconds=111_111 * i + 7)
        start = call + timedelta(seconds=1, microseconds=1)
        done = start + timedelta(seconds=100 + i * 0.333333)
        queue.call_next(s(), cfg, 1, now=call)
        queue.start_serving(s(), cfg, 1, now=start)
        queue.finish(s(), cfg, 1, now=done)
        waits.append((call - when).total_seconds())
        services.append((done - start).total_seconds())
    total = build_report(store, cfg, ReportQuery(DAY1, DAY1), "service").total
    got = (total.wait_mean_s, total.wait_median_s, total.wait_p90_s, total.wait_max_s,
           total.service_mean_s, total.service_median_s, total.service_p90_s)
    want = (sum(waits) / 5, pc(waits, 0.5), pc(waits, 0.9), max(waits),
            sum(services) / 5, pc(services, 0.5), pc(services, 0.9))
    assert got == pytest.approx(want, abs=1e-7)
    assert waits[0] % 1 != 0 and pc(waits, 0.9) * 1000 % 1 != 0  # sub-millisecond parts really are there
