"""The PostgreSQL roles and the feedback tables (section 12 of docs/deploy/postgres-roles.sql), on a real server.

The counter's panel rates with reasons, the web server rates from the phone and runs the remarks
inbox, the manager and the display read the figures, each connected as its own role; what a role
has no business doing is refused. Setup as in test_pg_roles.py (this run's own role names).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lobby import queue
from lobby.feedback.phone import rate_from_phone
from lobby.feedback.published import published_figures
from lobby.feedback.reasons import add_reasons
from lobby.feedback.remarks import answer_remark, assign_remark, close_remark, list_remarks, submit_remark
from lobby.reports.feedback import feedback_report
from lobby.staffing import counters, staff
from pg_roles_support import Cluster, denied, granted_cluster
from support import demo_config

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2026, 12, 7, 8, 0, tzinfo=VN)
AN_PIN, MANAGER_PIN = "135790", "482916"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with granted_cluster("feedback") as c:
        with c.store("manager").session() as s:
            staff.add_staff(s, "an", "Nguyễn Văn An", "official", AN_PIN)
        with c.store("manager").session() as s:
            staff.add_staff(s, "quanly", "Lê Thị Quản", "manager", MANAGER_PIN)
        yield c


def _served(cluster: Cluster, n: int) -> list[int]:
    cfg = demo_config()
    kiosk, counter = cluster.store("kiosk"), cluster.store("counter")
    with counter.session() as s:
        counters.sign_in(s, cfg, 1, "an", AN_PIN, now=T0)
    ids = []
    for i in range(n):
        at = T0 + timedelta(minutes=15 * i)
        with kiosk.session() as s:
            ticket = queue.issue_ticket(s, cfg, "DKKD", now=at)
        with counter.session() as s:
            queue.call_number(s, cfg, 1, ticket.number, now=at + timedelta(minutes=1))
        with counter.session() as s:
            queue.finish(s, cfg, 1, now=at + timedelta(minutes=8))
        ids.append(ticket.id)
    return ids


def test_every_app_does_its_feedback_work_as_its_own_role(cluster: Cluster) -> None:
    cfg = demo_config()
    first, second, third = _served(cluster, 3)
    counter, web = cluster.store("counter"), cluster.store("web")
    after = T0 + timedelta(hours=2)
    with counter.session() as s:
        queue.rate(s, cfg, first, "not_satisfied", now=after)
    with counter.session() as s:
        assert add_reasons(s, cfg, first, ["long_wait", "attitude"], now=after) == ["long_wait", "attitude"]
    with counter.session() as s:
        queue.rate(s, cfg, second, "satisfied", reasons=["unclear_guidance"], now=after)
    with web.session() as s:
        rate_from_phone(s, cfg, third, "not_satisfied", ["long_wait"], now=after)
    with web.session() as s:
        linked = submit_remark(s, cfg, "Chờ lâu quá <script>", contact="0912345678", ticket_id=first, now=after)
    with web.session() as s:
        submit_remark(s, cfg, "Nhà vệ sinh cần sạch hơn", now=after)
    manager_id = _staff_id(cluster, "quanly")
    with web.session() as s:
        assign_remark(s, cfg, linked.id, manager_id, by=manager_id, now=after)
    with web.session() as s:
        answer_remark(s, cfg, linked.id, "Xin lỗi ông/bà.", by=manager_id, now=after + timedelta(hours=1))
    with web.session() as s:
        close_remark(s, cfg, linked.id, by=manager_id, now=after + timedelta(hours=2))
    with web.session() as s:
        assert [r.state for r in list_remarks(s, cfg, now=after)] == ["received", "closed"]
    report = feedback_report(cluster.store("manager"), cfg, T0.date(), T0.date(), now=after)
    assert report.total.counts == {"long_wait": 2, "attitude": 1, "unclear_guidance": 1}
    assert (report.rated("counter"), report.rated("phone"), report.remarks.received) == (2, 1, 2)
    shown = published_figures(cluster.store("display"), cfg, now=after)
    assert shown.rated == 3 and shown.satisfied_share == pytest.approx(1 / 3)


def _staff_id(cluster: Cluster, username: str) -> int:
    with cluster.store("web").session() as s:
        return int(s.execute(text("SELECT id FROM staff WHERE username = :u"), {"u": username}).scalar_one())


@pytest.mark.parametrize(("kind", "sql"), [
    ("kiosk", "SELECT * FROM remark"),
    ("counter", "SELECT * FROM remark"),
    ("display", "SELECT * FROM remark"),
    ("kiosk", "INSERT INTO rating_reason (ticket_id, reason) VALUES (1, 'other')"),
    ("counter", "INSERT INTO remark (body, state, received_at, due_at) VALUES ('x', 'received', now(), now())"),
    ("counter", "DELETE FROM rating_reason"),
    ("web", "DELETE FROM remark"),
    ("web", "DELETE FROM rating_reason"),
    ("web", "UPDATE remark SET body = 'edited'"),
    ("web", "UPDATE remark SET received_at = now()"),
    ("web", "UPDATE rating SET value = 'very_satisfied'"),
    ("manager", "UPDATE remark SET state = 'closed'"),
])
def test_what_a_role_must_not_do(cluster: Cluster, kind: str, sql: str) -> None:
    with cluster.store(kind).session() as s, pytest.raises(DBAPIError) as exc:
        with s.begin():
            s.execute(text(sql))
    assert denied(exc.value), sql


def test_an_app_cannot_write_a_feedback_event_it_has_no_business_with(cluster: Cluster) -> None:
    with cluster.store("kiosk").session() as s, pytest.raises(DBAPIError):
        with s.begin():
            s.execute(text("INSERT INTO event (at, kind) VALUES (now(), 'remark_answered')"))
