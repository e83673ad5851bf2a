"""The citizen's ticket page: the facts without JavaScript, live updates by SSE, 404 and slowing guessers."""
from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
from fastapi.testclient import TestClient
from web_support import LiveServer

from lobby import queue
from lobby.access.limiter import GuessLimiter
from lobby.config import CentreConfig
from lobby.staffing import staff
from lobby.staffing.counters import sign_in
from lobby.store.engine import Store
from support import SETTLE_S
from web.app import create_app


def take(store: Store, cfg: CentreConfig, service: str = "DKKD") -> str:
    with store.session() as s:
        token = queue.issue_ticket(s, cfg, service).public_token
    assert token is not None
    return token


def test_waiting_page_shows_the_facts_without_javascript(client: TestClient, cfg: CentreConfig, store: Store) -> None:
    take(store, cfg)
    token = take(store, cfg)
    r = client.get(f"/v/{token}")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert "A002" in r.text and "Đăng ký kinh doanh" in r.text and "Đang chờ" in r.text
    assert "Số người chờ trước ông/bà: 1" in r.text and "bạn" not in r.text
    en = client.get(f"/v/{token}?lang=en")
    assert "People ahead of you: 1" in en.text and "Business registration" in en.text and 'lang="en"' in en.text
    assert en.cookies.get("lang") == "en"


def test_called_done_and_transferred_pages(client: TestClient, cfg: CentreConfig, store: Store) -> None:
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "135790")
    with store.session() as s:
        sign_in(s, cfg, 1, "an", "135790")
    token = take(store, cfg)
    with store.session() as s:
        queue.call_next(s, cfg, 1)
    page = client.get(f"/v/{token}").text
    assert "Mời đến quầy số 1" in page and "state-called" in page
    assert "Nguyễn Văn An" not in page and ">an<" not in page  # no personal data, not even the official's
    with store.session() as s:
        queue.transfer(s, cfg, 1, "HT")
    page = client.get(f"/v/{token}").text
    assert "Đã chuyển sang «Hộ tịch" in page
    with store.session() as s:
        queue.call_next(s, cfg, 5)
        queue.finish(s, cfg, 5)
    page = client.get(f"/v/{token}").text
    assert "Đã hoàn tất" in page and 'data-final="true"' in page


def test_wrong_tokens_get_404_then_429(cfg: CentreConfig, store: Store) -> None:
    clock = [0.0]
    limiter = GuessLimiter(max_misses=3, window_s=60, clock=lambda: clock[0])
    token = take(store, cfg)
    with TestClient(create_app(cfg, store, limiter=limiter)) as client:
        for guess in ("AAAAAAAAAAAAAAAA", "x", "BBBBBBBBBBBBBBBB"):
            r = client.get(f"/v/{guess}")
            assert r.status_code == 404 and "Không tìm thấy số thứ tự" in r.text
        slowed = client.get(f"/v/{token}")
        assert slowed.status_code == 429 and int(slowed.headers["retry-after"]) == 60
        assert "Vui lòng đợi" in slowed.text
        clock[0] = 61.0
        assert client.get(f"/v/{token}").status_code == 200


def sse_events(response: httpx.Response) -> Iterator[tuple[str | None, dict[str, object]]]:
    """(id, data) of each ``ticket`` event of a stream."""
    event_id, kind, data = None, None, []
    for line in response.iter_lines():
        if line.startswith("id: "):
            event_id = line[4:]
        elif line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            data.append(line[6:])
        elif line == "" and data:
            if kind == "ticket":
                yield event_id, json.loads("\n".join(data))
            event_id, kind, data = None, None, []


def test_page_updates_live_by_sse(live: LiveServer, cfg: CentreConfig, store: Store) -> None:
    first = take(store, cfg)
    mine = take(store, cfg)
    with httpx.Client(base_url=live.url, timeout=httpx.Timeout(SETTLE_S)) as http, \
            http.stream("GET", f"/v/{mine}/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response)
        _, view = next(events)
        assert view["status"] == "waiting" and "1" in str(view["ahead"])
        with store.session() as s:
            queue.call_next(s, cfg, 1)  # calls A001: one fewer ahead of A002
        _, view = next(events)
        assert view["ahead"] == "Không có ai chờ trước ông/bà"
        with store.session() as s:
            queue.call_next(s, cfg, 2)
        last_id, view = next(events)
        assert view["headline"] == "Mời đến quầy số 2" and view["called"] is True
    assert first != mine and last_id is not None
    # a reconnecting browser gets the state at once, then what follows
    with httpx.Client(base_url=live.url, timeout=httpx.Timeout(SETTLE_S)) as http, \
            http.stream("GET", f"/v/{mine}/events?lang=en", headers={"Last-Event-ID": last_id}) as response:
        events = sse_events(response)
        _, view = next(events)
        assert view["headline"] == "Please go to counter 2"
        with store.session() as s:
            queue.start_serving(s, cfg, 2)
        _, view = next(events)
        assert view["status"] == "serving" and view["headline"] == "Being served at counter 2"
