"""The manager's alert rules and snapshot, on hand-built histories at chosen moments (no web, no Qt)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lobby import queue
from lobby.config import CentreConfig
from lobby.feed.alerts import record_printer_fault, record_printer_ok
from lobby.feed.reader import FeedReader
from lobby.monitor import alerts
from lobby.monitor.errors import Refused
from lobby.monitor.snapshot import read_snapshot, wait_level
from lobby.queue.views import StaffInfo
from lobby.staffing import counters, staff
from lobby.store.engine import Store

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội, a Monday


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def manager(store: Store) -> StaffInfo:
    with store.session() as s:
        return staff.add_staff(s, "quanly", "Trần Thị Quản", "manager", "999999")


def issue(store: Store, cfg: CentreConfig, code: str, minute: float) -> str:
    with store.session() as s:
        return queue.issue_ticket(s, cfg, code, now=at(minute)).number


def kinds(store: Store, *, prefix: str = "alert_") -> list[tuple[str, object]]:
    return [(str(e.kind), e.data.get("subject")) for e in FeedReader(store).poll() if e.kind.startswith(prefix)]


def test_wait_levels() -> None:
    assert wait_level(None, 15, 0.8) == "none"
    assert wait_level(0, 15, 0.8) == "green"
    assert wait_level(11.9 * 60, 15, 0.8) == "green"
    assert wait_level(12 * 60, 15, 0.8) == "amber"
    assert wait_level(15 * 60, 15, 0.8) == "amber"
    assert wait_level(15 * 60 + 1, 15, 0.8) == "red"


def test_a_long_wait_turns_amber_then_red_and_clears_when_called(store: Store, cfg: CentreConfig) -> None:
    boss = manager(store)
    first = issue(store, cfg, "DKKD", 0)  # target 15 min
    issue(store, cfg, "DKKD", 5)
    snap = read_snapshot(store, cfg, at(11))
    dkkd = snap.service("DKKD")
    assert (dkkd.waiting, dkkd.level, dkkd.oldest_number, round(dkkd.longest_wait_s or 0)) == (2, "green", first, 660)
    assert alerts.conditions(snap, cfg.monitor) == []

    snap = read_snapshot(store, cfg, at(12))  # 80 % of 15 minutes
    found = alerts.conditions(snap, cfg.monitor)
    assert [(c.kind, c.subject, c.level) for c in found] == [("wait", "DKKD", "amber")]
    with store.session() as s:
        opened = alerts.sync_alerts(s, found, at(12))
    assert [(a.kind, a.subject, a.level, a.acked_at) for a in opened] == [("wait", "DKKD", "amber", None)]
    assert "A001" in opened[0].text() and "mục tiêu 15 phút" in opened[0].text()

    with store.session() as s:  # a manager has seen it
        acked = alerts.acknowledge(s, opened[0].id, by=boss, now=at(13))
    assert (acked.acked_by, acked.acked_at) == ("quanly", at(13))
    with store.session() as s, pytest.raises(Refused, match="đã được quanly xác nhận"):
        alerts.acknowledge(s, opened[0].id, by=boss, now=at(13))

    snap = read_snapshot(store, cfg, at(16))  # past the target: red, asks again
    with store.session() as s:
        opened = alerts.sync_alerts(s, alerts.conditions(snap, cfg.monitor), at(16))
    assert [(a.level, a.acked_at) for a in opened] == [("red", None)]

    with store.session() as s:  # the same condition again changes nothing
        again = alerts.sync_alerts(s, alerts.conditions(read_snapshot(store, cfg, at(17)), cfg.monitor), at(17))
    assert [a.id for a in again] == [opened[0].id]

    with store.session() as s:
        counters.sign_in(s, cfg, 1, "quanly", "999999", now=at(17))
    with store.session() as s:
        queue.call_next(s, cfg, 1, now=at(17))
    with store.session() as s:
        queue.call_next(s, cfg, 1, now=at(18))
    snap = read_snapshot(store, cfg, at(18))
    with store.session() as s:
        assert alerts.sync_alerts(s, alerts.conditions(snap, cfg.monitor), at(18)) == []
    with store.session() as s, pytest.raises(Refused, match="đã hết"):
        alerts.acknowledge(s, opened[0].id, by=boss, now=at(19))
    assert kinds(store) == [("alert_raised", "DKKD"), ("alert_acknowledged", "DKKD"), ("alert_escalated", "DKKD"),
                            ("alert_cleared", "DKKD")]


def test_idle_counter_while_its_services_have_people_waiting(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "123456")
    with store.session() as s:
        counters.sign_in(s, cfg, 3, "an", "123456", now=at(0))  # counter 3 serves DD only
    issue(store, cfg, "DKKD", 1)  # not its service: no idle alert
    snap = read_snapshot(store, cfg, at(10))
    assert snap.counter(3).idle_s == 600 and snap.counter(3).waiting_for_it == 0
    assert [c.kind for c in alerts.conditions(snap, cfg.monitor)] == []
    issue(store, cfg, "DD", 2)
    snap = read_snapshot(store, cfg, at(4))  # idle 4 min < 5
    assert [c.kind for c in alerts.conditions(snap, cfg.monitor)] == []
    snap = read_snapshot(store, cfg, at(6))
    found = [c for c in alerts.conditions(snap, cfg.monitor) if c.kind == "idle"]
    assert [(c.subject, c.data["waiting"], c.data["staff"]) for c in found] == [("3", 1, "an")]
    with store.session() as s:  # the official calls: busy, no longer idle
        queue.call_next(s, cfg, 3, now=at(6))
    snap = read_snapshot(store, cfg, at(9))
    c3 = snap.counter(3)
    assert (c3.ticket, c3.ticket_status, c3.busy_s, c3.idle_s) == ("B001", "called", 180, None)
    assert not [c for c in alerts.conditions(snap, cfg.monitor) if c.kind == "idle"]


def test_counter_open_with_nobody_signed_in_and_printer_faults(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        counters.set_counter_state(s, cfg, 4, "open", now=at(0))
    assert [c.kind for c in alerts.conditions(read_snapshot(store, cfg, at(1)), cfg.monitor)] == []
    found = alerts.conditions(read_snapshot(store, cfg, at(2)), cfg.monitor)
    assert [(c.kind, c.subject) for c in found] == [("unattended", "4")]
    with store.session() as s:
        record_printer_fault(s, "kiosk-1", "tcp://10.0.0.9:9100", "Hết giấy")
    snap = read_snapshot(store, cfg, at(3))
    found = alerts.conditions(snap, cfg.monitor)
    assert [(c.kind, c.subject, c.level) for c in found] == [("unattended", "4", "amber"),
                                                            ("printer", "kiosk-1", "red")]
    with store.session() as s:
        opened = alerts.sync_alerts(s, found, at(3))
    assert [a.kind for a in opened] == ["printer", "unattended"]  # red first
    assert opened[0].text("en") == "Printer of kiosk-1: Hết giấy"
    with store.session() as s:
        record_printer_ok(s, "kiosk-1", "tcp://10.0.0.9:9100")
    with store.session() as s:
        opened = alerts.sync_alerts(s, alerts.conditions(read_snapshot(store, cfg, at(4)), cfg.monitor), at(4))
    assert [a.kind for a in opened] == ["unattended"]


def test_two_monitors_raise_an_alert_once(store: Store, cfg: CentreConfig) -> None:
    issue(store, cfg, "HT", 0)
    found = alerts.conditions(read_snapshot(store, cfg, at(20)), cfg.monitor)
    with store.session() as a, store.session() as b:
        alerts.sync_alerts(a, found, at(20))
        alerts.sync_alerts(b, found, at(20))
    assert kinds(store) == [("alert_raised", "HT")]


def test_snapshot_counts_today_through_the_reports_and_trend(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "123456")
    with store.session() as s:
        counters.sign_in(s, cfg, 1, "an", "123456", now=at(0))
    for minute in (0, 1, 2, 31, 55):
        issue(store, cfg, "DKKD", minute)
    with store.session() as s:
        queue.call_next(s, cfg, 1, now=at(40))
    with store.session() as s:
        queue.start_serving(s, cfg, 1, now=at(41))
    with store.session() as s:
        queue.call_next(s, cfg, 1, now=at(50))  # finishes A001, calls A002
    with store.session() as s:
        queue.no_show(s, cfg, 1, now=at(51))
    with store.session() as s:
        queue.rate(s, cfg, 1, "very_satisfied", now=at(52))
    snap = read_snapshot(store, cfg, at(60))
    today = snap.today
    assert today is not None
    assert (today.issued, today.served, today.no_show, today.very_satisfied) == (5, 1, 1, 1)
    # waiting at 08:00, 08:10 … 09:00: A001 alone, then three until A001 is called at 08:40 as A004 waits,
    # two after A002 is called at 08:50, three when A005 arrives at 08:55
    assert snap.service("DKKD").trend == (1, 3, 3, 3, 3, 2, 3)
    assert snap.to_json()["services"][0]["code"] == "DKKD"


def test_the_board_reads_again_only_when_the_feed_or_the_clock_moves(store: Store, cfg: CentreConfig) -> None:
    from lobby.feed.reader import latest_event_id
    from lobby.monitor.board import MonitorBoard

    now = [at(0)]
    board = MonitorBoard(store, cfg, clock=lambda: now[0], tick_s=5.0)
    first = board.view(latest_event_id(store))
    assert board.view(latest_event_id(store)) is first  # nothing moved: the same view, no read
    assert board.recent(latest_event_id(store)) is first
    issue(store, cfg, "HT", 0)
    moved = board.view(latest_event_id(store))
    assert moved.version == first.version + 1 and moved.snapshot.service("HT").waiting == 1
    now[0] = at(16)  # no event, only time: the wait is red and its alert raised
    late = board.view(latest_event_id(store))
    assert late.snapshot.service("HT").level == "red" and [a.kind for a in late.alerts] == ["wait"]
    board.invalidate()
    assert board.view(latest_event_id(store)).version == late.version + 1
