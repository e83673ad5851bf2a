"""The HTTP API through the real ASGI app, on SQLite and PostgreSQL: every endpoint, error and scope."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from web_support import PUBLIC_URL, bearer, make_token

from lobby import queue
from lobby.access.api_tokens import revoke_token
from lobby.config import CentreConfig
from lobby.store.engine import Store
from lobby.store.models import Event, Ticket
from web.app import create_app


def issue(client: TestClient, secret: str, **body: object) -> httpx.Response:
    return client.post("/api/v1/tickets", json=body, headers=bearer(secret))


def assert_error(r: httpx.Response, status: int, code: str) -> dict[str, str]:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] == code
    assert body["message_vi"] and body["message_en"] and body["message_vi"] != body["message_en"]
    return dict(body)


def test_issue_records_the_client_and_returns_the_ticket(client: TestClient, store: Store) -> None:
    secret = make_token(store, "cong-dvc", "issue,read")
    r = issue(client, secret, service="DKKD")
    assert r.status_code == 201, r.text
    t = r.json()
    assert (t["number"], t["service"], t["status"], t["ahead"]) == ("A001", "DKKD", "waiting", 0)
    assert t["status_url"] == f"{PUBLIC_URL}/v/{t['token']}" and len(t["token"]) == 16
    with store.read_session() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.id == t["id"]))
        event = s.scalar(select(Event).where(Event.ticket_id == t["id"], Event.kind == "issued"))
    assert ticket is not None and ticket.source == "api:cong-dvc" and ticket.public_token == t["token"]
    assert event is not None and event.actor == "api:cong-dvc"
    again = client.get(f"/api/v1/tickets/{t['token']}", headers=bearer(secret))
    assert again.status_code == 200 and again.json()["number"] == "A001" and again.json()["ahead"] == 0
    assert set(again.json()) == set(t)  # one shape: the fields of `lobby issue --json`


def test_authentication_and_scopes(client: TestClient, store: Store) -> None:
    reader = make_token(store, "reader", "read")
    issuer = make_token(store, "issuer", "issue")
    r = client.post("/api/v1/tickets", json={"service": "DKKD"})
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert_error(issue(client, "lq_not-a-real-secret", service="DKKD"), 401, "invalid_token")
    assert_error(issue(client, reader, service="DKKD"), 403, "missing_scope")
    assert_error(client.get("/api/v1/queue", headers=bearer(issuer)), 403, "missing_scope")
    assert_error(client.get("/api/v1/summary", headers=bearer(reader)), 403, "missing_scope")
    assert_error(issue(client, issuer, service="DKKD", priority="elderly"), 403, "missing_scope")
    assert issue(client, issuer, service="DKKD").status_code == 201
    with store.session() as s:
        revoke_token(s, "issuer")
    assert_error(issue(client, issuer, service="DKKD"), 401, "invalid_token")
    with store.read_session() as s:
        assert s.scalar(select(Ticket.id).where(Ticket.number == "A002")) is None


def test_priority_tickets(client: TestClient, store: Store) -> None:
    secret = make_token(store, "portal", "issue,priority")
    r = issue(client, secret, service="HT", priority="elderly")
    assert r.status_code == 201 and r.json()["priority"] == "elderly"
    assert_error(issue(client, secret, service="HT", priority="merit"), 403, "priority_needs_pin")
    assert_error(issue(client, secret, service="HT", priority="vip"), 422, "unknown_priority_group")


def test_bad_input(client: TestClient, store: Store) -> None:
    secret = make_token(store, "portal", "issue,read")
    assert_error(issue(client, secret, service="NOPE"), 422, "unknown_service")
    assert_error(issue(client, secret, service=""), 422, "invalid_input")
    assert_error(issue(client, secret, service="X" * 17), 422, "invalid_input")
    assert_error(issue(client, secret, service="DKKD", color="red"), 422, "invalid_input")
    assert_error(issue(client, secret), 422, "invalid_input")
    r = client.post("/api/v1/tickets", content=b'{"service": ', headers={**bearer(secret),
                                                                          "content-type": "application/json"})
    assert_error(r, 400, "bad_json")
    assert_error(client.get("/api/v1/tickets/AAAAAAAAAAAAAAAA", headers=bearer(secret)), 404, "ticket_not_found")
    assert_error(client.get("/api/v1/tickets/../../etc", headers=bearer(secret)), 404, "not_found")
    assert_error(client.get("/api/v1/tickets/short", headers=bearer(secret)), 404, "ticket_not_found")
    assert_error(client.get("/api/v1/nothing-here", headers=bearer(secret)), 404, "not_found")
    assert_error(client.delete("/api/v1/queue", headers=bearer(secret)), 405, "method_not_allowed")
    assert_error(client.get("/api/v1/summary?day=2026-13-01", headers=bearer(make_token(store, "r", "report"))),
                 422, "invalid_input")
    with store.read_session() as s:
        assert s.scalar(select(Ticket.id)) is None  # nothing refused was written


def test_daily_limit_and_hours(cfg: CentreConfig, store: Store) -> None:
    services = [s.model_copy(update={"daily_limit": 2}) if s.code == "DKKD" else s for s in cfg.services]
    limited = cfg.model_copy(update={"services": services})
    secret = make_token(store, "portal", "issue")
    with TestClient(create_app(limited, store)) as client:
        assert [issue(client, secret, service="DKKD").status_code for _ in range(2)] == [201, 201]
        assert_error(issue(client, secret, service="DKKD"), 409, "daily_limit_reached")
    today = queue.today(cfg).isoweekday()
    closed = cfg.model_copy(update={"centre": cfg.centre.model_copy(update={
        "enforce_hours": True, "opening_days": [d for d in range(1, 8) if d != today]})})
    with TestClient(create_app(closed, store)) as client:
        body = assert_error(issue(client, secret, service="DD"), 409, "service_closed")
        assert "07:30" in body["message_vi"]
    with store.read_session() as s:
        assert len(list(s.scalars(select(Ticket.id)))) == 2


def test_expired_token(client: TestClient, cfg: CentreConfig, store: Store) -> None:
    secret = make_token(store, "portal", "issue,read")
    t = issue(client, secret, service="DKKD").json()
    old = queue.today(cfg) - timedelta(days=cfg.web.token_days + 1)
    with store.session() as s, s.begin():
        s.execute(update(Ticket).where(Ticket.id == t["id"]).values(day=old))
    assert_error(client.get(f"/api/v1/tickets/{t['token']}", headers=bearer(secret)), 404, "ticket_not_found")
    assert client.get(f"/v/{t['token']}").status_code == 404


def test_queue_and_summary(client: TestClient, cfg: CentreConfig, store: Store) -> None:
    secret = make_token(store, "portal", "issue,read,report")
    for code in ("DKKD", "DKKD", "HT"):
        assert issue(client, secret, service=code).status_code == 201
    with store.session() as s:
        called = queue.call_next(s, cfg, 1)
    assert called is not None
    q = client.get("/api/v1/queue", headers=bearer(secret)).json()
    waiting = {s["service"]: s["waiting"] for s in q["services"]}
    assert waiting["DKKD"] + waiting["HT"] == 2 and set(waiting) == {s.code for s in cfg.services}
    assert q["latest_calls"][0]["number"] == called.number and q["latest_calls"][0]["counter"] == 1
    counter = next(c for c in q["counters"] if c["counter"] == 1)
    assert counter["current"] == called.number and counter["state"] == "open"
    summary = client.get("/api/v1/summary", headers=bearer(secret)).json()
    assert summary["total"]["issued"] == 3 and summary["by"] == "service"
    by_counter = client.get("/api/v1/summary?by=counter", headers=bearer(secret)).json()
    assert by_counter["by"] == "counter"


def test_health_openapi_and_docs(client: TestClient) -> None:
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok" and health.json()["store"]["ok"]
    doc = client.get("/api/openapi.json").json()
    assert {"/api/v1/tickets", "/api/v1/tickets/{token}", "/api/v1/queue", "/api/v1/summary"} <= set(doc["paths"])
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/api/v1/tickets/{token}" in page.text
    assert "cdn" not in page.text.lower() and "<script src=\"http" not in page.text


def test_unreachable_store_gives_503(cfg: CentreConfig) -> None:
    down = Store("postgresql://postgres@127.0.0.1:9/nowhere")
    with TestClient(create_app(cfg, down)) as client:
        r = client.post("/api/v1/tickets", json={"service": "DKKD"}, headers=bearer("lq_x"))
        body = assert_error(r, 503, "store_unavailable")
        assert body["message_vi"].startswith("Hệ thống tạm gián đoạn")
        assert client.get("/healthz").status_code == 503
        page = client.get("/v/AAAAAAAAAAAAAAAA")
        assert page.status_code == 503 and "Hệ thống tạm gián đoạn" in page.text and "Traceback" not in page.text
    down.dispose()


def test_sixteen_clients_issue_800_distinct_numbers(cfg: CentreConfig, store: Store) -> None:
    secret = make_token(store, "load", "issue")
    app = create_app(cfg, store)

    async def worker(n: int) -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://web") as c:
            numbers = []
            for _ in range(n):
                r = await c.post("/api/v1/tickets", json={"service": "DKKD"}, headers=bearer(secret))
                assert r.status_code == 201, r.text
                numbers.append(r.json()["number"])
            return numbers

    async def run() -> list[list[str]]:
        return await asyncio.gather(*(worker(50) for _ in range(16)))

    numbers = [n for batch in asyncio.run(run()) for n in batch]
    assert len(numbers) == 800 and len(set(numbers)) == 800
    assert sorted(numbers) == [f"A{i:03d}" for i in range(1, 801)]


@pytest.mark.parametrize("scopes", ["", "issue,admin"])
def test_cli_refuses_bad_scopes(store: Store, scopes: str) -> None:
    from lobby.access.api_tokens import ScopeInvalid, add_token, parse_scopes

    with pytest.raises(ScopeInvalid), store.session() as s:
        add_token(s, "x", parse_scopes(scopes))
