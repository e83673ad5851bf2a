"""Signing staff in through the real pages, and reading the CSRF token a page carries (tests of issue 13)."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from httpx import Response

from lobby.monitor import passwords
from lobby.queue.views import StaffInfo
from lobby.staffing import staff
from lobby.store.engine import Store

PASSWORD = "mật khẩu đủ dài 2026"
ACCOUNTS = {"quanly": ("Trần Thị Quản", "manager"), "baove": ("Lê Văn Hùng", "guard"),
            "an": ("Nguyễn Văn An", "official")}
PINS = {"quanly": "999999", "baove": "482916", "an": "135790"}
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội


class Clock:
    """The web app's clock (``app.state.manager_clock``), moved by the test."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def add_accounts(store: Store) -> dict[str, StaffInfo]:
    members = {}
    for username, (name, role) in ACCOUNTS.items():
        with store.session() as s:
            members[username] = staff.add_staff(s, username, name, role, PINS[username])
        with store.session() as s:
            passwords.set_web_password(s, username, PASSWORD)
    return members


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, *, next_path: str = "") -> Response:
    form = client.get("/quan-ly/dang-nhap")
    assert form.status_code == 200
    return client.post("/quan-ly/dang-nhap", data={"csrf": csrf_of(form.text), "username": username,
                                                  "password": password, "next": next_path},
                       follow_redirects=False)


def signed_in(client: TestClient, username: str) -> str:
    """Sign in and return the session's CSRF token (read from the member's home page)."""
    response = sign_in(client, username)
    assert response.status_code == 303, response.text
    home = client.get(response.headers["location"])
    assert home.status_code == 200, home.text
    return csrf_of(home.text)
