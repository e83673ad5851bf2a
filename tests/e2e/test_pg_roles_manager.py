"""The grants of the manager's pages (section 11 of docs/deploy/postgres-roles.sql) on a real server.

As in test_pg_roles.py: a database owned by the owner role, ``lobby init`` as that owner, the
grants script twice as the superuser, then the manager's pages served by the web app connected
as ``lobby_web``, the kiosk reading a pause as ``lobby_kiosk``, and what the other roles may not touch.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

import lobby.queue.offer as kiosk_rules
from lobby import queue
from lobby.monitor import passwords
from lobby.staffing import counters, staff
from lobby.store.models import WebPassword, WebSession
from pg_roles_support import Cluster, denied, granted_cluster
from support import demo_config
from web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from manager_helpers import PASSWORD, csrf_of, sign_in  # noqa: E402


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with granted_cluster("mgr") as c:
        # `lobby staff add` and `lobby staff passwd USER --web`, as the manager role
        with c.store("manager").session() as s:
            staff.add_staff(s, "quanly", "Trần Thị Quản", "manager", "999999")
        with c.store("manager").session() as s:
            staff.add_staff(s, "an", "Nguyễn Văn An", "official", "135790")
        with c.store("manager").session() as s:
            passwords.set_web_password(s, "quanly", PASSWORD)
        yield c


def test_the_web_role_runs_the_managers_pages(cluster: Cluster) -> None:
    cfg = demo_config()
    with cluster.store("counter").session() as s:
        counters.sign_in(s, cfg, 3, "an", "135790")
    with cluster.store("kiosk").session() as s:
        queue.issue_ticket(s, cfg, "DKKD", source="kiosk-1")
    web = cluster.store("web")
    app = create_app(cfg, web)
    with TestClient(app) as client:
        assert sign_in(client, "quanly").status_code == 303
        page = client.get("/quan-ly")
        assert page.status_code == 200, page.text
        csrf = csrf_of(page.text)
        app.state.monitor_board.cfg = cfg.model_copy(update={"monitor": cfg.monitor.model_copy(
            update={"amber_share": 0.0001})})  # any wait is amber now: an alert is raised as lobby_web
        app.state.monitor_board.invalidate()
        alert_page = client.get("/quan-ly").text
        alert_id = re.search(r"/quan-ly/canh-bao/(\d+)/xac-nhan", alert_page)
        assert alert_id, alert_page
        steps = [
            (f"/quan-ly/canh-bao/{alert_id.group(1)}/xac-nhan", {}),
            ("/quan-ly/dich-vu/DD/tam-ngung", {"reason": "Mất điện khu B"}),
            ("/quan-ly/quay/3/dang-xuat", {}),
            ("/quan-ly/nhan-vien", {"username": "binh", "full_name": "Phạm Thị Bình", "role": "guard",
                                    "pin": "246802"}),
            ("/quan-ly/nhan-vien/binh/mat-khau", {"password": PASSWORD}),
            ("/quan-ly/nhan-vien/an/vo-hieu", {}),
        ]
        for path, data in steps:
            done = client.post(path, data={"csrf": csrf, **data}, follow_redirects=False)
            assert done.status_code == 303 and "error" not in done.cookies.get("lobby_flash", ""), (path, done.cookies)
        client.post("/quan-ly/dang-xuat", data={"csrf": csrf})
    with cluster.store("kiosk").session() as s:  # the kiosk reads the pause
        state = kiosk_rules.service_states(s, cfg)["DD"]
    assert not state.enabled and "Mất điện khu B" in state.reason()


@pytest.mark.parametrize("kind", ["kiosk", "counter", "display"])
def test_other_roles_cannot_read_sessions_or_passwords_or_change_pauses_and_alerts(cluster: Cluster, kind: str) -> None:
    store = cluster.store(kind)
    with store.session() as s, pytest.raises(DBAPIError) as exc:
        s.execute(select(WebSession.token_hash)).all()
    assert denied(exc.value)
    with store.session() as s, pytest.raises(DBAPIError) as exc:
        s.execute(select(WebPassword.hash)).all()
    assert denied(exc.value)
    for sql in ("INSERT INTO service_pause (day, service_id, reason, paused_at) VALUES (CURRENT_DATE, 1, 'x', now())",
                "UPDATE alert SET acked_at = now()",
                "UPDATE web_password SET hash = 'x'"):
        with store.session() as s, pytest.raises(DBAPIError) as exc, s.begin():
            s.execute(text("SET TRANSACTION READ WRITE"))  # the display's default is read-only: test the grants
            s.execute(text(sql))
        assert denied(exc.value), (kind, sql)


def test_the_web_role_deletes_nothing(cluster: Cluster) -> None:
    for table in ("alert", "service_pause", "web_session", "web_password", "staff"):
        with cluster.store("web").session() as s, pytest.raises(DBAPIError) as exc, s.begin():
            s.execute(text(f"DELETE FROM {table}"))
        assert denied(exc.value), table
