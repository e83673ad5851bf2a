"""``GET /api/v1/dossiers/{code}`` (the real web app, both stores) and the citizen page's data."""
from __future__ import annotations

from datetime import timedelta

from dossier_support import vn
from fastapi.testclient import TestClient

from lobby import dossiers, queue
from lobby.access.api_tokens import add_token, parse_scopes
from lobby.config import CentreConfig
from lobby.dossiers.citizen import for_ticket
from lobby.store.engine import Store
from web.app import create_app


def _secret(store: Store, scopes: str) -> dict[str, str]:
    with store.session() as s:
        _, secret = add_token(s, f"mot-cua-{scopes.replace(',', '-')}", parse_scopes(scopes))
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_answers_with_the_state_and_the_promise(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        dossiers.receive(s, cfg, "000.00.13.H61-261130-0021", "HT", promised=vn(2027, 1, 5, 16),
                         now=vn(2026, 11, 30, 9))
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["000.00.13.H61-261130-0021"], now=vn(2026, 12, 1, 9))
    reader, issuer = _secret(store, "read"), _secret(store, "issue")
    with TestClient(create_app(cfg, store)) as client:
        got = client.get("/api/v1/dossiers/000.00.13.h61-261130-0021", headers=reader)
        assert got.status_code == 200
        body = got.json()
        assert (body["code"], body["state"], body["ready"]) == ("000.00.13.H61-261130-0021", "ready", True)
        assert body["promised_text"] == "16 giờ 00, thứ ba 05/01/2027"
        en = client.get("/api/v1/dossiers/000.00.13.H61-261130-0021?lang=en", headers=reader).json()
        assert en["state_text"] == "Result ready" and en["promised_text"] == "16:00, Tuesday 05/01/2027"
        missing = client.get("/api/v1/dossiers/KHONG-CO", headers=reader)
        assert missing.status_code == 404 and missing.json()["error"] == "dossier_not_found"
        assert "KHONG-CO" in missing.json()["message_en"]
        assert client.get("/api/v1/dossiers/000.00.13.H61-261130-0021", headers=issuer).status_code == 403
        assert client.get("/api/v1/dossiers/000.00.13.H61-261130-0021").status_code == 401


def test_the_ticket_page_data_says_when_the_result_is_ready(store: Store, cfg: CentreConfig) -> None:
    at = vn(2026, 11, 30, 9)
    with store.session() as s:
        ticket = queue.issue_ticket(s, cfg, "HT", now=at)
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-1", "HT", ticket_id=ticket.id, now=at + timedelta(minutes=20))
    with store.session() as s:
        [before] = for_ticket(s, cfg, ticket.id, now=at + timedelta(hours=1))
    assert before["ready"] is False and before["advice"].startswith("Chưa có kết quả")
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["HS-1"], now=at + timedelta(days=1))
    with store.session() as s:
        [after] = for_ticket(s, cfg, ticket.id, "vi", now=at + timedelta(days=1))
    assert after["ready"] is True and after["state_text"] == "Đã có kết quả"


def test_the_ticket_page_shows_the_dossiers_of_the_visit(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        ticket = queue.issue_ticket(s, cfg, "DKKD")
    with store.session() as s:
        other = queue.issue_ticket(s, cfg, "DKKD")
    with store.session() as s:
        dossiers.receive(s, cfg, "000.00.11.H61-261130-0004", "DKKD", ticket_id=ticket.id)
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["000.00.11.H61-261130-0004"])
    with TestClient(create_app(cfg, store)) as client:
        page = client.get(f"/v/{ticket.public_token}").text
        assert "Hồ sơ của ông/bà" in page and "000.00.11.H61-261130-0004" in page
        assert "Đã có kết quả" in page and "Mời ông/bà đến nhận" in page
        assert "Your result is ready" in client.get(f"/v/{ticket.public_token}?lang=en").text
        assert 'id="dossiers"' not in client.get(f"/v/{other.public_token}").text  # no dossier, no block
