"""The ``lobby_web`` role of docs/deploy/postgres-roles.sql, and who may touch ``api_token``, on a real server.

As in test_pg_roles.py: a database owned by the owner role, ``lobby init`` as that owner,
the grants script twice as the superuser, then the web app's real work connected as
``lobby_web`` (this run's own role names, dropped at the end).
"""
from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from lobby import queue
from lobby.access.api_tokens import add_token, parse_scopes, revoke_token
from lobby.store.models import ApiToken
from pg_roles_support import Cluster, denied, granted_cluster
from support import demo_config
from web.app import create_app


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with granted_cluster("web") as c:
        yield c


def test_manager_makes_and_revokes_tokens_others_cannot_read_them(cluster: Cluster) -> None:
    with cluster.store("manager").session() as s:
        _, secret = add_token(s, "portal", parse_scopes("issue,read"))
    with cluster.store("manager").session() as s:
        add_token(s, "old", parse_scopes("read"))
    with cluster.store("manager").session() as s:
        assert revoke_token(s, "old").revoked_at is not None
    assert secret.startswith("lq_")
    for kind in ("kiosk", "counter", "display"):
        with cluster.store(kind).session() as s, pytest.raises(DBAPIError) as exc:
            s.execute(select(ApiToken.secret_hash)).all()
        assert denied(exc.value), kind
    with cluster.store("web").session() as s, pytest.raises(DBAPIError) as exc, s.begin():
        s.execute(text("UPDATE api_token SET revoked_at = NULL"))
    assert denied(exc.value)


def test_web_role_serves_the_api_and_the_pages(cluster: Cluster) -> None:
    cfg = demo_config()
    with cluster.store("manager").session() as s:
        _, secret = add_token(s, "zalo", parse_scopes("issue,read,report"))
    web = cluster.store("web")
    auth = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(cfg, web)) as client:
        r = client.post("/api/v1/tickets", json={"service": "DKKD"}, headers=auth)
        assert r.status_code == 201, r.text
        token = r.json()["token"]
        assert client.get(f"/api/v1/tickets/{token}", headers=auth).json()["number"] == r.json()["number"]
        assert client.get("/api/v1/queue", headers=auth).status_code == 200
        assert client.get("/api/v1/summary", headers=auth).status_code == 200
        assert client.get(f"/v/{token}").status_code == 200
        assert client.get("/healthz").json()["status"] == "ok"
    # the web role issues, but moves no ticket through its states and deletes nothing
    with web.session() as s, pytest.raises(DBAPIError) as exc:
        queue.call_next(s, cfg, 1)
    assert denied(exc.value)
    with web.session() as s, pytest.raises(DBAPIError) as exc, s.begin():
        s.execute(text("DELETE FROM event"))
    assert denied(exc.value)


def test_web_role_is_a_plain_login(cluster: Cluster) -> None:
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        row = conn.execute("SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = %s",
                           (cluster.roles["web"],)).fetchone()
    assert row == (True, False, False, False)
