"""What a manager does: pauses, staff accounts, counters, web passwords and sessions (both stores, no web)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lobby import queue
from lobby.config import CentreConfig
from lobby.errors import AccountLocked, BadPinFormat, BadUsername, PinRejected, StaffExists
from lobby.feed.reader import FeedReader
from lobby.monitor import admin, passwords, pauses, sessions
from lobby.monitor.errors import BadInput, BadPassword, Refused, SignInRefused
from lobby.queue.views import StaffInfo
from lobby.staffing import counters, staff
from lobby.store.engine import Store
from support import PROCESS_S

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
PASSWORD = "mật khẩu dài đủ"


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def boss(store: Store) -> StaffInfo:
    with store.session() as s:
        return staff.add_staff(s, "quanly", "Trần Thị Quản", "manager", "999999")


def kinds(store: Store) -> list[str]:
    return [e.kind for e in FeedReader(store).poll()]


def test_pause_and_resume_a_service_for_the_day(store: Store, cfg: CentreConfig, boss: StaffInfo) -> None:
    with store.session() as s, pytest.raises(BadInput, match="1 đến 200"):
        pauses.pause_service(s, cfg, "DD", "   ", by=boss, now=at(0))
    with store.session() as s:
        pauses.pause_service(s, cfg, "DD", "Mất kết nối  hệ thống đất đai", by=boss, now=at(0))
    with store.session() as s, pytest.raises(Refused, match="đã tạm ngưng cấp số từ trước"):
        pauses.pause_service(s, cfg, "DD", "lần nữa", by=boss, now=at(1))
    with store.session() as s:
        assert pauses.paused_reasons(s, cfg, at(2)) == {"DD": "Mất kết nối hệ thống đất đai"}
        assert pauses.paused_reasons(s, cfg, at(24 * 60)) == {}  # the next day issues again
    assert pauses.paused_text("Mất điện") == "Tạm ngưng cấp số: Mất điện"
    with store.session() as s:
        pauses.resume_service(s, cfg, "DD", by=boss, now=at(3))
    with store.session() as s, pytest.raises(Refused, match="không có gì để tiếp tục"):
        pauses.resume_service(s, cfg, "DD", by=boss, now=at(4))
    with store.session() as s:
        assert pauses.paused_reasons(s, cfg, at(5)) == {}
    events = [e for e in FeedReader(store).poll() if e.kind.startswith("service_")]
    assert [(e.kind, e.service, e.staff) for e in events] == [("service_paused", "DD", "quanly"),
                                                              ("service_resumed", "DD", "quanly")]


def test_staff_accounts(store: Store, cfg: CentreConfig, boss: StaffInfo) -> None:
    with store.session() as s, pytest.raises(BadUsername, match="Tên đăng nhập"):
        admin.add_account(s, "Nguyễn An", "Nguyễn Văn An", "official", "123456", by=boss)
    with store.session() as s, pytest.raises(BadPinFormat, match="ít nhất 6"):
        admin.add_account(s, "baove2", "Lê Văn Hùng", "guard", "1234", by=boss)
    with store.session() as s, pytest.raises(BadInput, match="Vai trò"):
        admin.add_account(s, "an", "Nguyễn Văn An", "boss", "123456", by=boss)
    with store.session() as s:
        an = admin.add_account(s, "an", " Nguyễn  Văn An ", "official", "123456", by=boss)
    assert (an.username, an.full_name, an.role, an.active) == ("an", "Nguyễn Văn An", "official", True)
    with store.session() as s, pytest.raises(StaffExists):
        admin.add_account(s, "an", "Nguyễn Văn An", "official", "123456", by=boss)
    with store.session() as s, pytest.raises(Refused, match="đã có vai trò official"):
        admin.change_role(s, "an", "official", by=boss)
    with store.session() as s:
        assert admin.change_role(s, "an", "guard", by=boss).role == "guard"
    with store.session() as s, pytest.raises(Refused, match="quản lý cuối cùng"):
        admin.change_role(s, "quanly", "official", by=boss)
    with store.session() as s:
        admin.reset_pin(s, "an", "567890", by=boss)
    with store.session() as s:
        assert staff.verify_pin(s, cfg, "an", "567890").username == "an"
    with store.session() as s, pytest.raises(Refused, match="tự khóa"):
        admin.deactivate(s, "quanly", by=boss)
    assert [k for k in kinds(store) if k.startswith("staff_")] == ["staff_added", "staff_role_changed",
                                                                   "staff_pin_reset"]


def test_a_deactivated_account_signs_in_nowhere(store: Store, cfg: CentreConfig, boss: StaffInfo) -> None:
    with store.session() as s:
        admin.add_account(s, "an", "Nguyễn Văn An", "official", "123456", by=boss)
    with store.session() as s:
        passwords.set_web_password(s, "an", PASSWORD, actor="quanly")
    with store.session() as s:
        counters.sign_in(s, cfg, 2, "an", "123456", now=at(0))
    with store.session() as s:
        member = passwords.verify_password(s, cfg, "an", PASSWORD, now=at(1))
    with store.session() as s:
        token, _ = sessions.open_session(s, member, lifetime=timedelta(hours=8), now=at(1))
    with store.session() as s:
        gone = admin.deactivate(s, "an", by=boss, now=at(2))
    assert not gone.active
    with store.session() as s:  # signed out of the counter (which closed) and of the browser at once
        c2 = next(c for c in counters.counter_infos(s, cfg) if c.number == 2)
        assert (c2.staff, c2.state) == (None, "closed")
        assert sessions.session_user(s, token, idle=timedelta(minutes=30), now=at(3)) is None
    with store.session() as s, pytest.raises(PinRejected):  # counter
        counters.sign_in(s, cfg, 2, "an", "123456", now=at(4))
    with store.session() as s, pytest.raises(PinRejected):  # kiosk, PIN typed alone (guard mode)
        staff.verify_any_pin(s, cfg, "123456", roles=("official", "guard", "manager"), source="kiosk-1", now=at(4))
    with store.session() as s, pytest.raises(SignInRefused):  # web
        passwords.verify_password(s, cfg, "an", PASSWORD, now=at(4))
    with store.session() as s, pytest.raises(Refused, match="đã bị vô hiệu hóa"):
        admin.deactivate(s, "an", by=boss, now=at(5))
    with store.session() as s:
        admin.reactivate(s, "an", by=boss, now=at(6))
    with store.session() as s:
        assert passwords.verify_password(s, cfg, "an", PASSWORD, now=at(7)).username == "an"


def test_close_a_counter_left_open_and_sign_an_official_out(store: Store, cfg: CentreConfig, boss: StaffInfo) -> None:
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "123456")
    with store.session() as s, pytest.raises(Refused, match="Không có cán bộ nào đăng nhập ở quầy số 1"):
        admin.sign_official_out(s, cfg, 1, by=boss)
    with store.session() as s, pytest.raises(Refused, match="Quầy số 1 đã đóng"):
        admin.close_counter(s, cfg, 1, by=boss)
    with store.session() as s:
        counters.sign_in(s, cfg, 1, "an", "123456", now=at(0))
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DKKD", now=at(1))
    with store.session() as s:
        queue.call_next(s, cfg, 1, now=at(2))
    with store.session() as s, pytest.raises(Refused, match="đang phục vụ số A001"):
        admin.close_counter(s, cfg, 1, by=boss, now=at(3))
    with store.session() as s:
        queue.finish(s, cfg, 1, now=at(4))
    with store.session() as s:
        assert admin.sign_official_out(s, cfg, 1, by=boss, now=at(5)) == "an"
    with store.session() as s:
        counters.set_counter_state(s, cfg, 1, "open", now=at(6))  # left open, nobody there
    with store.session() as s:
        admin.close_counter(s, cfg, 1, by=boss, now=at(7))
    with store.session() as s:
        assert next(c for c in counters.counter_infos(s, cfg) if c.number == 1).state == "closed"
    events = [(e.kind, e.data.get("by")) for e in FeedReader(store).poll() if e.kind in ("signed_out",
                                                                                         "counter_closed")]
    assert events == [("signed_out", "quanly"), ("counter_closed", "quanly"), ("counter_closed", "quanly")]


def test_web_passwords_and_lockout(store: Store, cfg: CentreConfig, boss: StaffInfo) -> None:
    with store.session() as s, pytest.raises(BadPassword, match="10 đến 128"):
        passwords.set_web_password(s, "quanly", "ngắn quá")
    with store.session() as s, pytest.raises(SignInRefused):  # no web password yet: the PIN is not one
        passwords.verify_password(s, cfg, "quanly", "999999", now=at(0))
    with store.session() as s:
        passwords.set_web_password(s, "quanly", PASSWORD)
    with store.session() as s:
        assert passwords.verify_password(s, cfg, "quanly", PASSWORD, now=at(0)).role == "manager"
    with store.session() as s, pytest.raises(SignInRefused):
        passwords.verify_password(s, cfg, "nobody", PASSWORD, now=at(0))
    for _ in range(cfg.security.pin_max_attempts - 1):
        with store.session() as s, pytest.raises(SignInRefused):
            passwords.verify_password(s, cfg, "quanly", "sai mật khẩu rồi", now=at(1))
    with store.session() as s, pytest.raises(AccountLocked):
        passwords.verify_password(s, cfg, "quanly", "sai mật khẩu rồi", now=at(1))
    with store.session() as s, pytest.raises(AccountLocked):  # even the right one, while locked
        passwords.verify_password(s, cfg, "quanly", PASSWORD, now=at(2))
    with store.session() as s:  # the lock ends on its own
        later = at(1 + cfg.security.lockout_minutes + 1)
        assert passwords.verify_password(s, cfg, "quanly", PASSWORD, now=later).username == "quanly"
    failed = [k for k in kinds(store) if k in ("web_sign_in_failed", "account_locked")]
    assert failed == ["web_sign_in_failed"] * (cfg.security.pin_max_attempts + 2) + ["account_locked"]


def test_web_sessions_expire(store: Store, boss: StaffInfo) -> None:
    idle = timedelta(minutes=30)
    with store.session() as s:
        token, user = sessions.open_session(s, boss, lifetime=timedelta(hours=2), now=at(0))
    with store.session() as s:
        assert sessions.session_user(s, token, idle=idle, now=at(29)) == user
        assert sessions.session_user(s, token, idle=idle, now=at(58)) == user  # seen at 29: still fresh
        assert sessions.session_user(s, token, idle=idle, now=at(89)) is None  # idle 31 minutes
        assert sessions.session_user(s, token + "x", idle=idle, now=at(59)) is None
        assert sessions.session_user(s, token, idle=idle, now=at(120)) is None  # past the lifetime
    with store.session() as s:
        token, user = sessions.open_session(s, boss, lifetime=timedelta(hours=2), now=at(0))
    with store.session() as s:
        sessions.end_session(s, user, now=at(1))
    with store.session() as s:
        assert sessions.session_user(s, token, idle=idle, now=at(2)) is None
    assert [k for k in kinds(store) if k.startswith("web_")] == ["web_signed_in", "web_signed_in", "web_signed_out"]


def test_lobby_staff_passwd_web_sets_the_web_password(store_url: str, cfg: CentreConfig) -> None:
    """``lobby staff passwd USER --web``, the real command: the password from standard input, refused when short."""
    import subprocess
    import sys

    from support import DEMO_CONFIG, ROOT

    store = Store(store_url)
    try:
        with store.session() as s:
            staff.add_staff(s, "quanly", "Trần Thị Quản", "manager", "999999")
        head = [sys.executable, "-m", "lobby.cli", "--db", store_url, "--config", str(DEMO_CONFIG),
                "staff", "passwd", "quanly", "--web"]
        short = subprocess.run(head, input="ngắn\n", capture_output=True, text=True, timeout=PROCESS_S, cwd=ROOT)
        assert short.returncode == 2 and "10 đến 128 ký tự" in short.stderr
        done = subprocess.run(head, input=PASSWORD + "\n", capture_output=True, text=True, timeout=PROCESS_S,
                              cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert "Đã đặt mật khẩu web của quanly" in done.stdout
        with store.session() as s:
            assert passwords.verify_password(s, cfg, "quanly", PASSWORD).role == "manager"
        with store.session() as s:  # the PIN is unchanged
            assert staff.verify_pin(s, cfg, "quanly", "999999").username == "quanly"
    finally:
        store.dispose()
