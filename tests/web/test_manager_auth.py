"""Staff sign-in on the web through the real ASGI app, on both stores: cookie, CSRF, expiry, lockout, roles."""
from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from manager_helpers import PASSWORD, T0, Clock, add_accounts, csrf_of, sign_in, signed_in

from lobby.config import CentreConfig
from lobby.feed.reader import FeedReader
from lobby.store.engine import Store


def test_sign_in_sets_a_strict_http_only_cookie_and_records_it(client: TestClient, store: Store, clock: Clock) -> None:
    assert client.get("/quan-ly", follow_redirects=False).headers["location"] == "/quan-ly/dang-nhap?next=%2Fquan-ly"
    response = sign_in(client, "quanly", next_path="/quan-ly/nhat-ky")
    assert response.status_code == 303 and response.headers["location"] == "/quan-ly/nhat-ky"
    cookie = response.headers["set-cookie"]
    assert "lobby_staff=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain HTTP here; over HTTPS the cookie is Secure (below)
    page = client.get("/quan-ly")
    assert page.status_code == 200 and "Trần Thị Quản" in page.text and "Giám sát" in page.text
    csrf = csrf_of(page.text)
    out = client.post("/quan-ly/dang-xuat", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/quan-ly", follow_redirects=False).status_code == 303
    kinds = [(e.kind, e.staff) for e in FeedReader(store).poll() if e.kind.startswith("web_signed")]
    assert kinds == [("web_signed_in", "quanly"), ("web_signed_out", "quanly")]


def test_the_cookie_is_secure_over_https(cfg: CentreConfig, store: Store) -> None:
    from web.app import create_app

    add_accounts(store)
    with TestClient(create_app(cfg, store), base_url="https://lobby.example") as c:
        response = sign_in(c, "quanly")
    assert "Secure" in response.headers["set-cookie"]


def test_an_open_redirect_is_refused(client: TestClient, clock: Clock) -> None:
    response = sign_in(client, "quanly", next_path="//evil.example/x")
    assert response.headers["location"] == "/quan-ly"


def test_wrong_password_and_lockout(client: TestClient, store: Store, cfg: CentreConfig, clock: Clock) -> None:
    response = sign_in(client, "quanly", "không phải mật khẩu")
    assert response.status_code == 401 and "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
    assert sign_in(client, "ai-do", PASSWORD).status_code == 401  # an unknown name reads the same
    for _ in range(cfg.security.pin_max_attempts - 2):
        sign_in(client, "quanly", "không phải mật khẩu")
    locked = sign_in(client, "quanly", "không phải mật khẩu")
    assert locked.status_code == 401 and "bị khóa" in locked.text
    assert "bị khóa" in sign_in(client, "quanly").text  # even the right password, while locked
    clock.now = T0 + timedelta(minutes=cfg.security.lockout_minutes + 1)
    assert sign_in(client, "quanly").status_code == 303


def test_the_pin_is_not_a_web_password(client: TestClient, clock: Clock) -> None:
    assert sign_in(client, "an", "135790").status_code == 401


def test_sign_in_form_needs_its_own_token(client: TestClient, clock: Clock) -> None:
    client.get("/quan-ly/dang-nhap")
    response = client.post("/quan-ly/dang-nhap", data={"csrf": "forged", "username": "quanly", "password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 403 and "đăng nhập lại" in response.text


def test_csrf_is_checked_on_every_change(client: TestClient, store: Store, clock: Clock) -> None:
    csrf = signed_in(client, "quanly")
    posts = ["/quan-ly/dich-vu/DD/tam-ngung", "/quan-ly/dich-vu/DD/tiep-tuc", "/quan-ly/quay/1/dong",
             "/quan-ly/quay/1/dang-xuat", "/quan-ly/canh-bao/1/xac-nhan", "/quan-ly/nhan-vien",
             "/quan-ly/nhan-vien/an/vai-tro", "/quan-ly/nhan-vien/an/pin", "/quan-ly/nhan-vien/an/mat-khau",
             "/quan-ly/nhan-vien/an/vo-hieu", "/quan-ly/nhan-vien/an/kich-hoat", "/quan-ly/in-lai",
             "/quan-ly/dang-xuat"]
    for path in posts:
        missing = client.post(path, data={"reason": "x", "role": "guard"}, follow_redirects=False)
        assert missing.status_code == 403, path
        assert "Biểu mẫu đã cũ" in missing.text
    other_site = client.post("/quan-ly/dich-vu/DD/tam-ngung", data={"csrf": csrf, "reason": "x"},
                             headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert other_site.status_code == 403
    header = client.post("/quan-ly/dich-vu/DD/tam-ngung", data={"reason": "Mất mạng"},
                         headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    assert header.status_code == 303
    assert [e.kind for e in FeedReader(store).poll() if e.kind.startswith("service_")] == ["service_paused"]


def test_sessions_end_when_idle_and_after_their_lifetime(client: TestClient, cfg: CentreConfig, clock: Clock) -> None:
    signed_in(client, "quanly")
    clock.now = T0 + timedelta(minutes=cfg.monitor.session_idle_min - 1)
    assert client.get("/quan-ly").status_code == 200
    clock.now += timedelta(minutes=cfg.monitor.session_idle_min + 1)
    response = client.get("/quan-ly/nhat-ky", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/quan-ly/dang-nhap")
    assert client.get("/quan-ly/su-kien").status_code == 401
    clock.now = T0
    signed_in(client, "quanly")
    for minutes in range(25, cfg.monitor.session_hours * 60, 25):  # busy all day: only the lifetime ends it
        clock.now = T0 + timedelta(minutes=minutes)
        assert client.get("/quan-ly/cua-toi", follow_redirects=False).status_code == 200
    clock.now = T0 + timedelta(hours=cfg.monitor.session_hours, minutes=1)
    assert client.get("/quan-ly/cua-toi", follow_redirects=False).status_code == 303


ROLE_PAGES = {
    # path: (manager, guard, official) → status
    "/quan-ly": (200, 200, 303),
    "/quan-ly/bao-cao": (200, 403, 403),
    "/quan-ly/nhat-ky": (200, 403, 403),
    "/quan-ly/nhan-vien": (200, 403, 403),
    "/quan-ly/cua-toi": (200, 200, 200),
    "/quan-ly/bao-cao/tai-ve.csv?from=2026-11-01&to=2026-11-30": (200, 403, 403),
}


@pytest.mark.parametrize("username,column", [("quanly", 0), ("baove", 1), ("an", 2)])
def test_what_each_role_may_see(client: TestClient, clock: Clock, username: str, column: int) -> None:
    signed_in(client, username)
    for path, statuses in ROLE_PAGES.items():
        assert client.get(path, follow_redirects=False).status_code == statuses[column], path
    page = client.get("/quan-ly", follow_redirects=True).text
    if username == "quanly":
        assert "Đóng quầy" in page or "Tạm ngưng" in page
    elif username == "baove":  # the queue and reprint requests, no actions, no counters
        assert "Yêu cầu in lại phiếu" in page and "Tạm ngưng" not in page and "part-counters" not in page
    else:
        assert "Kết quả làm việc của tôi" in page and "Yêu cầu in lại" not in page


@pytest.mark.parametrize("username", ["baove", "an"])
def test_what_guards_and_officials_may_not_do(client: TestClient, store: Store, clock: Clock, username: str) -> None:
    csrf = signed_in(client, username)
    for path in ("/quan-ly/dich-vu/DD/tam-ngung", "/quan-ly/quay/1/dong", "/quan-ly/nhan-vien",
                 "/quan-ly/nhan-vien/an/vo-hieu", "/quan-ly/canh-bao/1/xac-nhan"):
        response = client.post(path, data={"csrf": csrf, "reason": "x", "username": "x"}, follow_redirects=False)
        assert response.status_code == 403 and "Không có quyền" in response.text, path
    reprint = client.post("/quan-ly/in-lai", data={"csrf": csrf, "number": "A001"}, follow_redirects=False)
    assert reprint.status_code == (303 if username == "baove" else 403)
    assert not [e for e in FeedReader(store).poll() if e.kind.startswith(("service_", "staff_"))]


def test_english_switch(client: TestClient, clock: Clock) -> None:
    signed_in(client, "quanly")
    page = client.get("/quan-ly?lang=en").text
    assert "Monitor" in page and "Services" in page and "Counters" in page
    assert "Monitor" in client.get("/quan-ly/nhat-ky").text  # the choice is kept


def test_many_wrong_sign_ins_from_one_address_must_wait(client: TestClient, clock: Clock) -> None:
    from web.routers.manager import SIGN_IN_MISSES

    for i in range(SIGN_IN_MISSES):
        assert sign_in(client, f"ten-{i}", PASSWORD).status_code == 401
    slowed = sign_in(client, "quanly")  # even a right password waits: the address is guessing
    assert slowed.status_code == 429 and "Vui lòng đợi" in slowed.text and int(slowed.headers["retry-after"]) > 0
