"""Remarks and complaints: stored as typed, never cut, deadlines in working days, assign/answer/close, events."""
from __future__ import annotations

from datetime import timedelta

import pytest
from feedback_support import VN, add_officials, feedback_config, serve, sign_in, vn
from sqlalchemy import select

from lobby.config import CentreConfig
from lobby.feedback.errors import RemarkClosed, RemarkNotFound, TextEmpty, TextInvalid, TextTooLong
from lobby.feedback.remarks import (
    answer_due,
    answer_remark,
    assign_remark,
    close_remark,
    list_remarks,
    remarks_of_ticket,
    submit_remark,
)
from lobby.feedback.throttle import RemarkThrottle
from lobby.store.engine import Store
from lobby.store.models import Event, Remark

TYPED = "  Quầy 1 <b>chờ lâu</b> & \"khó hiểu\"\n\tXin cảm ơn.  "  # spaces, markup, quotes: kept as typed


@pytest.fixture
def fcfg() -> CentreConfig:
    return feedback_config(answer_working_days=5, remark_max_chars=200)


def test_deadline_counts_working_days_skipping_weekends_and_holidays(fcfg: CentreConfig) -> None:
    # Wednesday 30/12/2026; 1/1/2027 is a holiday of the demo centre: Thu 31, Mon 4, Tue 5, Wed 6, Thu 7.
    due = answer_due(fcfg, vn(2026, 12, 30, 10, 0)).astimezone(VN)
    assert (due.date().isoformat(), due.hour, due.minute) == ("2027-01-07", 23, 59)
    # A remark sent on Saturday night counts from the next working days as well.
    assert answer_due(fcfg, vn(2026, 12, 5, 22, 0)).astimezone(VN).date().isoformat() == "2026-12-11"


def test_a_remark_from_a_ticket_is_linked_and_stored_as_typed(store: Store, fcfg: CentreConfig) -> None:
    ids = add_officials(store)
    t0 = vn(2026, 12, 30, 8, 0)
    sign_in(store, fcfg, 3, "binh", t0)
    tid = serve(store, fcfg, t0, service="DD", counter=3)
    with store.session() as s:
        r = submit_remark(s, fcfg, TYPED, contact="0912 345 678", ticket_id=tid, now=t0 + timedelta(hours=1))
    assert r.body == TYPED and r.contact == "0912 345 678" and r.state == "received"
    assert (r.service_code, r.counter_number, r.staff_name) == ("DD", 3, "Trần Thị Bình")
    with store.read_session() as s:
        row = s.get(Remark, r.id)
        assert row is not None and row.body == TYPED and row.staff_id == ids["binh"]
        ev = s.execute(select(Event.kind, Event.ticket_id, Event.data).where(Event.kind == "remark_received")).one()
    assert ev.ticket_id == tid and ev.data["remark"] == r.id and ev.data["chars"] == len(TYPED)
    assert TYPED not in str(ev.data)  # the citizen's words stay in the remark table, not in the shared feed


def test_limits_refuse_whole_and_never_cut(store: Store, fcfg: CentreConfig) -> None:
    with store.session() as s, pytest.raises(TextTooLong) as long:
        submit_remark(s, fcfg, "ô" * 201)
    assert "201" in long.value.message("vi") and "200" in long.value.message("vi")
    with store.session() as s, pytest.raises(TextEmpty):
        submit_remark(s, fcfg, " \n\t ")
    with store.session() as s, pytest.raises(TextInvalid):
        submit_remark(s, fcfg, "a\x00b")
    with store.session() as s, pytest.raises(TextTooLong):
        submit_remark(s, fcfg, "ok", contact="x" * 121)
    with store.session() as s:
        exact = submit_remark(s, fcfg, "ô" * 200)  # exactly at the limit is fine
    assert len(exact.body) == 200
    with store.read_session() as s:
        assert s.scalar(select(Remark.id).where(Remark.id != exact.id)) is None  # nothing half-stored


def test_assign_answer_close_each_an_event_and_the_answer_shows_on_the_ticket(store: Store,
                                                                               fcfg: CentreConfig) -> None:
    ids = add_officials(store)
    t0 = vn(2026, 12, 30, 8, 0)
    sign_in(store, fcfg, 1, "an", t0)
    tid = serve(store, fcfg, t0)
    with store.session() as s:
        r = submit_remark(s, fcfg, "Chờ quá lâu", ticket_id=tid, now=t0 + timedelta(hours=1))
    with store.session() as s:
        assert assign_remark(s, fcfg, r.id, ids["binh"], by=ids["an"], now=t0 + timedelta(hours=2)).assigned_to \
            == "Trần Thị Bình"
    with store.session() as s:
        answered = answer_remark(s, fcfg, r.id, "Xin lỗi ông/bà; trung tâm đã mở thêm quầy.", by=ids["binh"],
                                 now=t0 + timedelta(days=1))
    assert answered.state == "answered" and not answered.overdue
    with store.session() as s:
        shown = remarks_of_ticket(s, fcfg, tid)
    assert [x.answer for x in shown] == ["Xin lỗi ông/bà; trung tâm đã mở thêm quầy."]
    with store.session() as s:
        close_remark(s, fcfg, r.id, by=ids["an"], now=t0 + timedelta(days=2))
    with store.session() as s, pytest.raises(RemarkClosed):
        answer_remark(s, fcfg, r.id, "sửa", by=ids["an"])
    with store.session() as s, pytest.raises(RemarkNotFound):
        close_remark(s, fcfg, 999_999, by=ids["an"])
    with store.read_session() as s:
        kinds = list(s.scalars(select(Event.kind).where(Event.kind.like("remark_%")).order_by(Event.id)))
        answered_ev = s.scalars(select(Event.data).where(Event.kind == "remark_answered")).one()
    assert kinds == ["remark_received", "remark_assigned", "remark_answered", "remark_closed"]
    assert answered_ev["on_time"] is True and answered_ev["answer"].startswith("Xin lỗi")


def test_the_inbox_flags_overdue_and_puts_them_first(store: Store, fcfg: CentreConfig) -> None:
    ids = add_officials(store)
    received = vn(2026, 12, 30, 10, 0)  # due Thursday 7/1/2027 23:59
    with store.session() as s:
        old = submit_remark(s, fcfg, "Cũ", now=received)
    with store.session() as s:
        new = submit_remark(s, fcfg, "Mới", now=received + timedelta(days=6))
    with store.session() as s:
        done = submit_remark(s, fcfg, "Đã trả lời", now=received)
    with store.session() as s:
        answer_remark(s, fcfg, done.id, "Đã xử lý", by=ids["an"], now=received + timedelta(days=1))
    still_in_time = vn(2027, 1, 7, 23, 0)
    with store.session() as s:
        assert [r.overdue for r in list_remarks(s, fcfg, now=still_in_time)] == [False, False, False]
    late = vn(2027, 1, 8, 0, 1)
    with store.session() as s:
        inbox = list_remarks(s, fcfg, now=late)
    assert [(r.id, r.overdue) for r in inbox] == [(old.id, True), (new.id, False), (done.id, False)]
    with store.session() as s:
        assert [r.id for r in list_remarks(s, fcfg, overdue_only=True, now=late)] == [old.id]


def test_the_throttle_lets_an_address_send_a_few_per_hour() -> None:
    now = [1000.0]
    throttle = RemarkThrottle(2, clock=lambda: now[0])
    for _ in range(2):
        assert throttle.retry_after("10.0.0.5") == 0
        throttle.sent("10.0.0.5")
    assert throttle.retry_after("10.0.0.5") == pytest.approx(3600)
    assert throttle.retry_after("10.0.0.6") == 0  # another phone is not slowed
    now[0] += 3600.5
    assert throttle.retry_after("10.0.0.5") == 0
