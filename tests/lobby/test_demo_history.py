"""The generated history: consistent rows and events, working days only, and live operation can carry on."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from lobby import cli, queue
from lobby.config import CentreConfig
from lobby.errors import LobbyError
from lobby.reports.demo_history import HistoryOverlap, LiveStore, generate_history
from lobby.reports.figures import ReportQuery, build_report, build_reports
from lobby.staffing import staff
from lobby.store.engine import Store
from lobby.store.models import DaySequence, Event, Rating, Service, Staff, Ticket
from lobby.vocabulary import EventKind

FIRST = date(2025, 3, 3)   # a Monday
LAST = date(2025, 3, 12)   # ten days: eight working days
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
US = timedelta(microseconds=1)


@pytest.fixture
def generated(store: Store, cfg: CentreConfig) -> Store:
    r = generate_history(store, cfg, days=10, end=LAST, per_day=60, seed=3)
    assert (r.first, r.last, r.days) == (FIRST, LAST, 8)
    with store.read_session() as s:
        assert r.tickets == s.scalar(select(func.count()).select_from(Ticket))
        # the queue's own events (the dossiers of those visits are generated after, by lobby.dossiers.demo)
        dossier_kinds = [k for k in EventKind if k.startswith("dossier_")] + [EventKind.STAFF_ADDED]  # accounts made
        assert r.events == s.scalar(select(func.count()).select_from(Event).where(Event.kind.not_in(dossier_kinds)))
        assert r.ratings == s.scalar(select(func.count()).select_from(Rating))
    assert 8 * 60 * 0.6 < r.tickets < 8 * 60 * 1.4
    return store


def test_rows_are_consistent(generated: Store, cfg: CentreConfig) -> None:
    with generated.read_session() as s:
        tickets = list(s.scalars(select(Ticket)))
        assert {t.day.isoweekday() for t in tickets} <= {1, 2, 3, 4, 5}
        assert {t.status for t in tickets} <= {"done", "no_show", "cancelled", "expired"}
        assert {t.status for t in tickets} >= {"done", "no_show"}
        for t in tickets:
            assert t.issued_at.astimezone(TZ).date() == t.day
            assert t.is_priority == (t.priority_group is not None)
            if t.called_at is not None:
                assert t.last_called_at is not None and t.issued_at <= t.called_at <= t.last_called_at
            if t.status == "done":
                assert t.called_at is not None and t.started_at is not None and t.finished_at is not None
                assert t.called_at <= t.started_at <= t.finished_at
                assert t.counter_id is not None and t.staff_id is not None
            # the derived durations, as the queue rules keep them
            assert t.wait_us == (None if t.called_at is None else (t.called_at - t.issued_at) // US)
            served = None
            if t.status == "done" and t.started_at is not None and t.finished_at is not None:
                served = (t.finished_at - t.started_at) // US
            assert t.service_us == served
        issued = s.scalar(select(func.count()).select_from(Event).where(Event.kind == "issued"))
        assert issued == len(tickets)
        transferred = list(s.scalars(select(Event).where(Event.kind == "transferred")))
        moved = {t.id for t in tickets if t.service_id != t.origin_service_id}
        assert {e.ticket_id for e in transferred} == moved
        for e in transferred:
            assert e.data is not None and e.data["to"] == e.service_code
        # Events are in time order, as the live queue writes them.
        times = list(s.scalars(select(Event.at).where(Event.kind.not_like("dossier_%"), Event.kind != "staff_added")
                               .order_by(Event.id)))
        assert times == sorted(times)
        for r in s.scalars(select(Rating)):
            rated = s.get(Ticket, r.ticket_id)
            assert rated is not None and rated.status == "done"
            assert (r.staff_id, r.counter_id) == (rated.staff_id, rated.counter_id)
        # day_sequence says how many numbers each service gave out each day, and nobody waits.
        codes = {sv.id: sv.code for sv in s.scalars(select(Service))}
        for seq in s.scalars(select(DaySequence)):
            numbers = [t.seq for t in tickets if t.day == seq.day and t.origin_service_id == seq.service_id]
            first = cfg.service(codes[seq.service_id]).first_number
            assert sorted(numbers) == list(range(first, first + len(numbers)))
            assert (seq.next_number, seq.issued, seq.waiting, seq.waiting_priority) == (first + len(numbers),
                                                                                       len(numbers), 0, 0)


def test_live_operation_continues(generated: Store, cfg: CentreConfig) -> None:
    with generated.read_session() as s:
        svc = s.scalar(select(Service).where(Service.code == "DKKD"))
        assert svc is not None
        n = s.scalar(select(func.count()).select_from(Ticket).where(Ticket.day == LAST,
                                                                    Ticket.origin_service_id == svc.id)) or 0
    late = datetime(LAST.year, LAST.month, LAST.day, 16, 50, tzinfo=TZ)
    t = queue.issue_ticket(generated.session(), cfg, "DKKD", now=late)
    assert t.number == cfg.service("DKKD").format_number(n + 1)
    today = queue.issue_ticket(generated.session(), cfg, "DKKD")
    assert today.seq == 1


def test_report_over_generated_history(generated: Store, cfg: CentreConfig) -> None:
    r = build_report(generated, cfg, ReportQuery(FIRST, LAST), "day")
    assert len(r.groups) == 8
    assert r.total.issued == sum(g.issued for g in r.groups)
    assert r.total.served + r.total.no_show + r.total.cancelled + r.total.expired == r.total.issued
    assert r.total.rated > 0 and r.total.wait_median_s is not None and r.total.service_median_s is not None


def test_every_grouping_at_once_matches_each_alone(generated: Store, cfg: CentreConfig) -> None:
    """All groupings share one pass (and on SQLite, other tables) yet give the same figures as one at a time."""
    q = ReportQuery(FIRST, LAST)
    together = build_reports(generated, cfg, q)
    def same(a: dict[str, object], b: dict[str, object]) -> None:
        assert a.keys() == b.keys()
        for name, value in a.items():
            assert value == (pytest.approx(b[name], abs=1e-6) if isinstance(value, float) else b[name]), name

    for by, report in together.items():
        alone = build_report(generated, cfg, q, by)
        assert [g.key for g in report.groups] == [g.key for g in alone.groups]
        for g, h in zip([*report.groups, report.total], [*alone.groups, alone.total], strict=True):
            same(g.to_json(), h.to_json())


def test_refuses_days_that_have_tickets_and_today(generated: Store, cfg: CentreConfig) -> None:
    with pytest.raises(HistoryOverlap, match="02/03/2025–04/03/2025"):
        generate_history(generated, cfg, days=3, end=FIRST + timedelta(days=1))
    with pytest.raises(LobbyError, match="--end"):
        generate_history(generated, cfg, days=3, end=queue.today(cfg))
    # Earlier days are still free.
    r = generate_history(generated, cfg, days=7, end=FIRST - timedelta(days=1), per_day=20)
    assert r.days == 5


def test_same_seed_same_history(store: Store, cfg: CentreConfig) -> None:
    a = generate_history(store, cfg, days=3, end=date(2025, 3, 5), per_day=40, seed=11)
    b = generate_history(store, cfg, days=3, end=date(2025, 3, 12), per_day=40, seed=11)
    assert (a.tickets, a.events, a.ratings) == (b.tickets, b.events, b.ratings)
    assert b.staff_created == 0


def test_cli(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--db", store_url, "demo-history", "--days", "7", "--end", "2025-03-07", "--per-day", "30"]) == 0
    out = capsys.readouterr().out
    assert "Đã tạo lịch sử mẫu 01/03/2025–07/03/2025: 5 ngày làm việc" in out and " giây." in out
    with pytest.raises(SystemExit):
        cli.main(["--db", store_url, "demo-history", "--days", "0"])
    assert "argument --days" in capsys.readouterr().err


def test_refuses_a_live_store_unless_told_it_is_a_demo_store(
    store: Store, store_url: str, cfg: CentreConfig, capsys: pytest.CaptureFixture[str],
) -> None:
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "2468")
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DD", source="kiosk-1")
    with pytest.raises(LiveStore):
        generate_history(store, cfg, days=3, end=date(2025, 3, 5), per_day=20)
    capsys.readouterr()
    assert cli.main(["--db", store_url, "demo-history", "--days", "3", "--end", "2025-03-05"]) == 2
    err = capsys.readouterr().err
    assert "--demo-store" in err and err.count("\n") == 1
    with store.read_session() as s:  # nothing was written
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1
        assert s.scalar(select(func.count()).select_from(Staff)) == 1
    assert cli.main(["--db", store_url, "demo-history", "--days", "3", "--end", "2025-03-05", "--per-day", "20",
                     "--demo-store"]) == 0


def test_demo_accounts_get_random_pins_printed_once(
    store: Store, store_url: str, cfg: CentreConfig, capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["--db", store_url, "demo-history", "--days", "3", "--end", "2025-03-05", "--per-day", "20"]) == 0
    out = capsys.readouterr().out
    printed = dict(re.findall(r"^  (\S+)\s+\S.*?\s(\d{6})$", out, flags=re.M))
    with store.read_session() as s:
        hashes = list(s.scalars(select(Staff.pin_hash)))
        usernames = set(s.scalars(select(Staff.username)))
    assert set(printed) == usernames and len(printed) >= 10
    assert len(set(printed.values())) > len(printed) // 2  # not one shared PIN
    assert len({h.split("$")[4] for h in hashes}) == len(hashes)  # one salt each
    name, pin = next(iter(printed.items()))
    with store.session() as s:
        assert staff.verify_pin(s, cfg, name, pin).username == name
    # a second run on the same (demo-made) store needs no flag and prints no new account
    assert cli.main(["--db", store_url, "demo-history", "--days", "3", "--end", "2025-03-12", "--per-day", "20"]) == 0
    assert not re.search(r"\d{6}$", capsys.readouterr().out, flags=re.M)
