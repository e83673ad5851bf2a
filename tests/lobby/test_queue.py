"""The queue rules on both stores: numbering, the ticket's life, waiting counts, estimates, ratings."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from lobby import queue
from lobby.config import CentreConfig
from lobby.errors import (
    AlreadyRated,
    CounterNotOpen,
    DailyLimitReached,
    InvalidRating,
    InvalidTransition,
    NoCurrentTicket,
    PriorityNeedsPin,
    ServiceClosed,
    TicketNotFound,
    UnknownService,
)
from lobby.staffing.counters import set_counter_state
from lobby.staffing.staff import add_staff
from lobby.store.engine import Store
from lobby.store.models import DaySequence, Event, Service, Ticket

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=HCM)


def at(minutes: float) -> datetime:
    return MONDAY_9 + timedelta(minutes=minutes)


def issue(store: Store, cfg: CentreConfig, code: str = "DKKD", minute: float = 0, **kw: object) -> queue.TicketInfo:
    with store.session() as s:
        return queue.issue_ticket(s, cfg, code, now=at(minute), **kw)  # type: ignore[arg-type]


def call(store: Store, cfg: CentreConfig, counter: int, minute: float = 30) -> queue.TicketInfo | None:
    with store.session() as s:
        return queue.call_next(s, cfg, counter, now=at(minute))


def waiting(store: Store, cfg: CentreConfig) -> dict[str, int]:
    with store.read_session() as s:
        return queue.waiting_counts(s, cfg, now=MONDAY_9)


def real_waiting(store: Store) -> dict[str, tuple[int, int]]:
    """Service code → (waiting, waiting priority) counted from the tickets themselves."""
    with store.read_session() as s:
        rows = s.execute(
            select(Service.code, func.count(), func.sum(func.cast(Ticket.is_priority, type_=Ticket.seq.type)))
            .join(Service, Service.id == Ticket.service_id)
            .where(Ticket.status == "waiting").group_by(Service.code)
        ).all()
        return {code: (n, int(p or 0)) for code, n, p in rows}


def sequence_waiting(store: Store) -> dict[str, tuple[int, int]]:
    with store.read_session() as s:
        rows = s.execute(
            select(Service.code, DaySequence.waiting, DaySequence.waiting_priority)
            .join(Service, Service.id == DaySequence.service_id)
        ).all()
        return {code: (w, p) for code, w, p in rows if (w, p) != (0, 0)}


def test_numbers_per_service_with_the_configured_format(store: Store, cfg: CentreConfig) -> None:
    assert [issue(store, cfg).number for _ in range(3)] == ["A001", "A002", "A003"]
    assert issue(store, cfg, "DD").number == "B001"
    assert issue(store, cfg, "b").number == "B002"  # a prefix names its service too
    with pytest.raises(UnknownService):
        issue(store, cfg, "NOPE")


def test_issue_tells_ahead_and_estimate(store: Store, cfg: CentreConfig) -> None:
    first = issue(store, cfg)
    assert (first.ahead, first.estimated_wait_min, first.status) == (0, 0, "waiting")
    third = [issue(store, cfg) for _ in range(2)][-1]
    assert third.ahead == 2
    # two counters serve DKKD (1 and 2), none open: 2 ahead / 2 counters × 10 min default
    assert third.estimated_wait_min == 10
    with store.session() as s:
        assert queue.find_ticket(s, cfg, third.number, day=third.day).ahead == 2


def test_the_whole_life_of_a_ticket_writes_each_event(store: Store, cfg: CentreConfig) -> None:
    t = issue(store, cfg)
    called = call(store, cfg, 1, 10)
    assert called is not None
    assert (called.number, called.counter, called.status, called.call_count) == (t.number, 1, "called", 1)
    with store.session() as s:
        assert queue.recall(s, cfg, 1, now=at(11)).call_count == 2
    with store.session() as s:
        assert queue.start_serving(s, cfg, 1, now=at(12)).status == "serving"
    with store.session() as s:
        done = queue.finish(s, cfg, 1, note="đủ hồ sơ", now=at(20))
    assert done.status == "done" and done.note == "đủ hồ sơ"
    assert done.started_at == at(12) and done.finished_at == at(20) and done.called_at == at(10)
    with store.session() as s:
        queue.rate(s, cfg, t.id, "very_satisfied", now=at(21))
    with store.session() as s:
        assert queue.rating_of(s, t.id) == "very_satisfied"
    with store.read_session() as s:
        kinds = list(s.scalars(select(Event.kind).where(Event.ticket_id == t.id).order_by(Event.id)))
    assert kinds == ["issued", "called", "recalled", "serving", "finished", "rated"]


def test_rating_edge_cases(store: Store, cfg: CentreConfig) -> None:
    t = issue(store, cfg)
    with store.session() as s, pytest.raises(InvalidTransition):
        queue.rate(s, cfg, t.id, "satisfied")  # not served yet
    call(store, cfg, 1)
    with store.session() as s:
        queue.finish(s, cfg, 1, now=at(40))
    with store.session() as s, pytest.raises(InvalidRating) as bad:
        queue.rate(s, cfg, t.id, "meh")
    assert isinstance(bad.value, ValueError) and "very_satisfied" in bad.value.message("en")
    with store.session() as s:
        queue.rate(s, cfg, t.id, "not_satisfied")
    with store.session() as s, pytest.raises(AlreadyRated):
        queue.rate(s, cfg, t.id, "satisfied")
    with store.session() as s, pytest.raises(TicketNotFound):
        queue.rate(s, cfg, 987654, "satisfied")
    with store.session() as s:
        assert queue.rating_of(s, t.id) == "not_satisfied"


def test_call_next_finishes_the_current_ticket(store: Store, cfg: CentreConfig) -> None:
    a, b = issue(store, cfg), issue(store, cfg)
    assert call(store, cfg, 1, 10).number == a.number  # type: ignore[union-attr]
    assert call(store, cfg, 1, 20).number == b.number  # type: ignore[union-attr]
    with store.session() as s:
        first = queue.find_ticket(s, cfg, a.number, day=a.day)
    assert first.status == "done" and first.finished_at == at(20)
    assert call(store, cfg, 1, 30) is None  # nobody waits: b is finished, nothing called
    with store.session() as s:
        assert queue.current_ticket(s, cfg, 1) is None
        assert queue.find_ticket(s, cfg, b.number, day=b.day).status == "done"


def test_no_show_cancel_and_invalid_transitions(store: Store, cfg: CentreConfig) -> None:
    a, b = issue(store, cfg), issue(store, cfg)
    with store.session() as s, pytest.raises(NoCurrentTicket):
        queue.no_show(s, cfg, 1)
    call(store, cfg, 1)
    with store.session() as s:
        queue.start_serving(s, cfg, 1, now=at(31))
    with store.session() as s, pytest.raises(InvalidTransition):
        queue.no_show(s, cfg, 1)  # already being served
    with store.session() as s:
        queue.finish(s, cfg, 1, now=at(32))
    with store.session() as s:
        cancelled = queue.cancel(s, cfg, b.number, actor="guard", now=at(33))
    assert cancelled.status == "cancelled"
    with store.session() as s, pytest.raises(InvalidTransition):
        queue.cancel(s, cfg, a.number, now=at(34))  # done, not waiting
    with store.session() as s, pytest.raises(InvalidTransition):
        queue.call_number(s, cfg, 2, b.number, now=at(34))
    c = issue(store, cfg, minute=35)
    call(store, cfg, 2, 36)
    with store.session() as s:
        assert queue.no_show(s, cfg, 2, now=at(40)).status == "no_show"
    assert waiting(store, cfg)["DKKD"] == 0
    with store.session() as s:
        assert queue.find_ticket(s, cfg, c.number, day=c.day).status == "no_show"


def test_call_number_out_of_order(store: Store, cfg: CentreConfig) -> None:
    a, b, c = issue(store, cfg), issue(store, cfg), issue(store, cfg)
    with store.session() as s:
        got = queue.call_number(s, cfg, 2, " " + c.number.lower(), now=at(10))
    assert got.number == c.number and got.counter == 2
    with store.session() as s:
        assert queue.next_numbers(s, cfg, 2, now=MONDAY_9) == [a.number, b.number]
    assert waiting(store, cfg)["DKKD"] == 2
    with store.session() as s, pytest.raises(TicketNotFound):
        queue.call_number(s, cfg, 2, "A999", now=at(10))


def test_transfer_keeps_number_and_place(store: Store, cfg: CentreConfig) -> None:
    a = issue(store, cfg, "DKKD", 0)
    issue(store, cfg, "DD", 1)
    b2 = issue(store, cfg, "DD", 2)
    call(store, cfg, 1, 10)
    with store.session() as s:
        queue.start_serving(s, cfg, 1, now=at(11))
    with store.session() as s:
        moved = queue.transfer(s, cfg, 1, "DD", now=at(15))
    assert (moved.number, moved.service, moved.status, moved.counter, moved.started_at) == (
        a.number, "DD", "waiting", None, None)
    assert waiting(store, cfg) | {} == {**{s.code: 0 for s in cfg.services}, "DD": 3}
    # issued first, so it is called first at the land counter, ahead of B001 and B002
    assert call(store, cfg, 3, 20).number == a.number  # type: ignore[union-attr]
    with store.session() as s:
        assert queue.next_numbers(s, cfg, 3, now=MONDAY_9) == ["B001", b2.number]
    with store.read_session() as s:
        data = s.scalar(select(Event.data).where(Event.kind == "transferred"))
    assert data is not None and data["from"] == "DKKD" and data["to"] == "DD" and data["was"] == "serving"


def test_transfer_into_a_service_with_no_ticket_today_keeps_its_first_number(store: Store, cfg: CentreConfig) -> None:
    services = [s.model_copy(update={"first_number": 100}) if s.code == "DD" else s for s in cfg.services]
    cfg = cfg.model_copy(update={"services": services})
    issue(store, cfg, "DKKD")
    call(store, cfg, 1)
    with store.session() as s:
        queue.transfer(s, cfg, 1, "DD", now=at(31))
    assert issue(store, cfg, "DD", 32).number == "B100"
    assert sequence_waiting(store) == real_waiting(store) == {"DD": (2, 0)}


def test_park_and_resume(store: Store, cfg: CentreConfig) -> None:
    a, b = issue(store, cfg), issue(store, cfg)
    call(store, cfg, 1, 10)
    with store.session() as s:
        assert queue.park(s, cfg, 1, now=at(11)).status == "parked"
    with store.session() as s:
        assert queue.current_ticket(s, cfg, 1) is None
        assert [t.number for t in queue.parked_tickets(s, cfg, 1)] == [a.number]
    assert call(store, cfg, 1, 12).number == b.number  # type: ignore[union-attr]
    with store.session() as s, pytest.raises(InvalidTransition):
        queue.resume(s, cfg, 2, a.number, now=at(13))  # parked at counter 1, not 2
    with store.session() as s:
        back = queue.resume(s, cfg, 1, a.number, now=at(14))
    assert back.status == "called" and back.counter == 1
    with store.session() as s:
        assert queue.find_ticket(s, cfg, b.number, day=b.day).status == "done"
        assert queue.current_ticket(s, cfg, 1).number == a.number  # type: ignore[union-attr]


def test_paused_counter_cannot_call(store: Store, cfg: CentreConfig) -> None:
    issue(store, cfg)
    with store.session() as s:
        set_counter_state(s, cfg, 1, "paused")
    with store.session() as s, pytest.raises(CounterNotOpen) as err:
        queue.call_next(s, cfg, 1, now=at(5))
    assert "paused" in err.value.message("en") and "tạm nghỉ" in err.value.message()
    with store.session() as s:
        set_counter_state(s, cfg, 1, "open")
    assert call(store, cfg, 1) is not None


def test_priority_groups_and_pin(store: Store, cfg: CentreConfig) -> None:
    issue(store, cfg, minute=0)
    with pytest.raises(PriorityNeedsPin):
        issue(store, cfg, minute=1, priority="merit")
    with store.session() as s:
        guard = add_staff(s, "bao", "Trần Văn Bảo", "guard", "246813")
    p = issue(store, cfg, minute=2, priority="merit", granted_by=guard.id)
    e = issue(store, cfg, minute=3, priority="elderly")
    assert (p.priority, p.ahead, e.ahead) == ("merit", 0, 1)
    with store.session() as s:
        assert queue.next_numbers(s, cfg, 1, now=MONDAY_9) == [p.number, e.number, "A001"]
    assert sequence_waiting(store) == real_waiting(store) == {"DKKD": (3, 2)}
    assert call(store, cfg, 1).number == p.number  # type: ignore[union-attr]
    with store.read_session() as s:
        granted = s.scalar(select(Event.staff_id).where(Event.kind == "issued", Event.ticket_id == p.id))
    assert granted == guard.id


def test_daily_limit_rolls_back_and_never_skips(store: Store, cfg: CentreConfig) -> None:
    services = [s.model_copy(update={"daily_limit": 2}) if s.code == "GPLX" else s for s in cfg.services]
    cfg = cfg.model_copy(update={"services": services})
    assert [issue(store, cfg, "GPLX").number for _ in range(2)] == ["E001", "E002"]
    for _ in range(2):
        with pytest.raises(DailyLimitReached):
            issue(store, cfg, "GPLX")
    assert sequence_waiting(store) == real_waiting(store) == {"GPLX": (2, 0)}


def test_service_hours_in_local_time(store: Store, cfg: CentreConfig) -> None:
    cfg = cfg.model_copy(update={"centre": cfg.centre.model_copy(update={"enforce_hours": True})})
    # TNMT issues 07:30-11:00 on working days, local time (00:30-04:00 UTC)
    assert issue(store, cfg, "TNMT", 0).number == "K001"  # Monday 09:00 local
    with pytest.raises(ServiceClosed) as err:
        issue(store, cfg, "TNMT", 121)  # 11:01 local
    assert "07:30-11:00" in err.value.message()
    with pytest.raises(ServiceClosed):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DKKD", now=datetime(2026, 3, 7, 9, 0, tzinfo=HCM))  # Saturday


def test_estimate_uses_recent_done_service_times_only(store: Store, cfg: CentreConfig) -> None:
    # three tickets served in 4 minutes each at counter 1; then one expired while being served all day
    for i in range(3):
        issue(store, cfg, minute=i)
    for i in range(3):
        call(store, cfg, 1, 10 + 10 * i)
        with store.session() as s:
            queue.start_serving(s, cfg, 1, now=at(11 + 10 * i))
        with store.session() as s:
            queue.finish(s, cfg, 1, now=at(15 + 10 * i))
    with store.session() as s:
        svc = s.scalar(select(Service).where(Service.code == "DKKD"))
        assert svc is not None
        assert queue.average_service_min(s, svc) == pytest.approx(4.0)
    issue(store, cfg, minute=50)
    call(store, cfg, 2, 51)
    with store.session() as s:
        queue.start_serving(s, cfg, 2, now=at(52))
    with store.session() as s:
        queue.close_day(s, cfg, now=at(600))
    with store.session() as s:
        svc = s.scalar(select(Service).where(Service.code == "DKKD"))
        assert svc is not None
        assert queue.average_service_min(s, svc) == pytest.approx(4.0)


def test_close_day_expires_everything_open_and_closes_counters(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        add_staff(s, "an", "Nguyễn Văn An", "official", "1234")
    from lobby.staffing.counters import sign_in

    with store.session() as s:
        sign_in(s, cfg, 1, "an", "1234", now=at(0))
    issue(store, cfg), issue(store, cfg), issue(store, cfg, priority="elderly")
    issue(store, cfg, "DD")
    call(store, cfg, 1, 10)
    with store.session() as s:
        queue.park(s, cfg, 1, now=at(11))
    call(store, cfg, 1, 12)
    with store.session() as s:
        expired = queue.close_day(s, cfg, now=at(600))
    assert expired == 4  # parked, called, waiting A, waiting B
    assert sequence_waiting(store) == real_waiting(store) == {}
    with store.session() as s:
        assert {t.status for t in queue.list_tickets(s, cfg, day=MONDAY_9.date())} == {"expired"}
    with store.read_session() as s:
        kinds = list(s.scalars(select(Event.kind).where(Event.counter_number == 1).order_by(Event.id)))
        assert kinds[-2:] == ["signed_out", "counter_closed"]
        closed = s.scalar(select(Event.data).where(Event.kind == "day_closed"))
    assert closed == {"day": "2026-03-02", "expired": 4}
    # history is kept: the next day starts again at 001
    with store.session() as s:
        assert queue.issue_ticket(s, cfg, "DKKD", now=at(24 * 60)).number == "A001"
    with store.session() as s:
        assert len(queue.list_tickets(s, cfg, day=MONDAY_9.date())) == 4


def test_lists_and_reads_never_take_the_sqlite_write_lock(store: Store, cfg: CentreConfig) -> None:
    """A read through a write session begins deferred, so it runs while another writer holds the lock."""
    issue(store, cfg)
    holder = store.session()
    holder.begin()
    holder.execute(select(1))  # on SQLite BEGIN IMMEDIATE: this session holds the write lock
    try:
        with store.session() as s:
            assert queue.waiting_counts(s, cfg, now=MONDAY_9)["DKKD"] == 1
            assert queue.next_numbers(s, cfg, 1, now=MONDAY_9) == ["A001"]
            assert queue.current_ticket(s, cfg, 1) is None
            assert queue.find_ticket(s, cfg, "A001", day=MONDAY_9.date()).number == "A001"
            assert len(queue.list_tickets(s, cfg, day=MONDAY_9.date())) == 1
    finally:
        holder.rollback()
        holder.close()


def test_a_failed_rule_leaves_no_transaction_open(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        with pytest.raises(NoCurrentTicket):
            queue.finish(s, cfg, 1)
        assert not s.in_transaction()
        assert queue.issue_ticket(s, cfg, "DKKD", now=MONDAY_9).number == "A001"  # the same session goes on
        assert not s.in_transaction()
