"""The manager's monitor, actions, reports and audit through the real ASGI app, on both stores."""
from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from manager_helpers import PASSWORD, T0, Clock, sign_in, signed_in
from openpyxl import load_workbook

from lobby import queue
from lobby.config import CentreConfig
from lobby.errors import PinRejected
from lobby.feed.reader import FeedReader
from lobby.staffing import counters, staff
from lobby.store.engine import Store
from support import PROCESS_S


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def first_event(client: TestClient) -> dict[str, str]:
    with client.stream("GET", "/quan-ly/su-kien") as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                parts: dict[str, str] = json.loads(line[6:])
                return parts
    raise AssertionError("the stream ended without a message")


def test_a_long_wait_turns_red_is_acknowledged_and_kept(client: TestClient, store: Store, cfg: CentreConfig,
                                                        clock: Clock) -> None:
    with store.session() as s:
        queue.issue_ticket(s, cfg, "HT", now=at(0))  # target 15 minutes
    csrf = signed_in(client, "quanly")
    page = client.get("/quan-ly").text
    assert 'data-service="HT" data-level="green"' in page and "Không có cảnh báo." in page
    clock.now = at(16)
    parts = first_event(client)
    assert 'data-service="HT" data-level="red"' in parts["services"]
    assert "HT: số C001 đã chờ 16 phút (mục tiêu 15 phút)" in parts["alerts"]
    alert_id = parts["alerts"].split("/quan-ly/canh-bao/")[1].split("/")[0]
    done = client.post(f"/quan-ly/canh-bao/{alert_id}/xac-nhan", data={"csrf": csrf}, follow_redirects=True)
    assert "quanly đã xác nhận lúc 08:16" in done.text
    again = client.post(f"/quan-ly/canh-bao/{alert_id}/xac-nhan", data={"csrf": csrf}, follow_redirects=True)
    assert "đã được quanly xác nhận" in again.text  # refused with its reason, nothing written
    kinds = [(e.kind, e.staff) for e in FeedReader(store).poll() if e.kind.startswith("alert_")]
    assert kinds == [("alert_raised", "monitor"), ("alert_acknowledged", "quanly")]


def test_pause_a_service_and_the_kiosk_shows_it(client: TestClient, store: Store, cfg: CentreConfig,
                                                clock: Clock) -> None:
    import lobby.queue.offer as kiosk_rules

    csrf = signed_in(client, "quanly")
    empty = client.post("/quan-ly/dich-vu/DD/tam-ngung", data={"csrf": csrf, "reason": " "}, follow_redirects=True)
    assert "Lý do tạm ngưng phải có từ 1 đến 200 ký tự" in empty.text
    done = client.post("/quan-ly/dich-vu/DD/tam-ngung", data={"csrf": csrf, "reason": "Mất kết nối phần mềm đất đai"},
                       follow_redirects=True)
    assert "Tạm ngưng cấp số: Mất kết nối phần mềm đất đai" in done.text
    with store.session() as s:
        state = kiosk_rules.service_states(s, cfg, now=clock.now)["DD"]
    assert not state.enabled and state.reason() == "Tạm ngưng cấp số: Mất kết nối phần mềm đất đai"
    unknown = client.post("/quan-ly/dich-vu/NOPE/tam-ngung", data={"csrf": csrf, "reason": "x"}, follow_redirects=True)
    assert "Không có dịch vụ mã" in unknown.text
    client.post("/quan-ly/dich-vu/DD/tiep-tuc", data={"csrf": csrf}, follow_redirects=True)
    with store.session() as s:
        assert kiosk_rules.service_states(s, cfg, now=clock.now)["DD"].enabled


def test_close_a_counter_and_sign_an_official_out(client: TestClient, store: Store, cfg: CentreConfig,
                                                  clock: Clock) -> None:
    with store.session() as s:
        counters.sign_in(s, cfg, 5, "an", "135790", now=at(0))
    csrf = signed_in(client, "quanly")
    assert 'data-counter="5"' in client.get("/quan-ly").text
    out = client.post("/quan-ly/quay/5/dang-xuat", data={"csrf": csrf}, follow_redirects=True)
    assert out.status_code == 200 and "Đã đăng xuất an khỏi quầy số 5." in out.text
    again = client.post("/quan-ly/quay/5/dang-xuat", data={"csrf": csrf}, follow_redirects=True)
    assert "Không có cán bộ nào đăng nhập ở quầy số 5" in again.text
    closed = client.post("/quan-ly/quay/5/dong", data={"csrf": csrf}, follow_redirects=True)
    assert "Quầy số 5 đã đóng" in closed.text
    assert client.post("/quan-ly/quay/99/dong", data={"csrf": csrf}, follow_redirects=True).text.count("quầy số 99")


def test_a_deactivated_account_is_refused_at_counter_kiosk_and_web(client: TestClient, store: Store,
                                                                   cfg: CentreConfig, clock: Clock) -> None:
    official = TestClient(client.app)
    official.__enter__()
    try:
        assert signed_in(official, "an")
        csrf = signed_in(client, "quanly")
        done = client.post("/quan-ly/nhan-vien/an/vo-hieu", data={"csrf": csrf}, follow_redirects=True)
        assert "Đã vô hiệu hóa" in done.text
        assert official.get("/quan-ly/cua-toi", follow_redirects=False).status_code == 303  # the open session ended
        assert sign_in(official, "an").status_code == 401
    finally:
        official.__exit__(None, None, None)
    with store.session() as s, pytest.raises(PinRejected):
        counters.sign_in(s, cfg, 2, "an", "135790", now=clock.now)
    with store.session() as s, pytest.raises(PinRejected):
        staff.verify_any_pin(s, cfg, "135790", roles=("official", "guard", "manager"), source="kiosk-1", now=clock.now)
    self_off = client.post("/quan-ly/nhan-vien/quanly/vo-hieu", data={"csrf": csrf}, follow_redirects=True)
    assert "Không thể tự khóa tài khoản" in self_off.text


def test_staff_accounts_in_the_browser(client: TestClient, store: Store, cfg: CentreConfig, clock: Clock) -> None:
    csrf = signed_in(client, "quanly")
    bad = client.post("/quan-ly/nhan-vien", data={"csrf": csrf, "username": "Bình", "full_name": "Phạm Thị Bình",
                                                  "role": "official", "pin": "246802"}, follow_redirects=True)
    assert "không hợp lệ: dùng 2–32 ký tự a–z" in bad.text
    ok = client.post("/quan-ly/nhan-vien", data={"csrf": csrf, "username": "binh", "full_name": "Phạm Thị Bình",
                                                 "role": "official", "pin": "246802"}, follow_redirects=True)
    assert 'data-username="binh"' in ok.text
    client.post("/quan-ly/nhan-vien/binh/vai-tro", data={"csrf": csrf, "role": "guard"})
    client.post("/quan-ly/nhan-vien/binh/pin", data={"csrf": csrf, "pin": "112233"})
    short = client.post("/quan-ly/nhan-vien/binh/mat-khau", data={"csrf": csrf, "password": "ngắn"},
                        follow_redirects=True)
    assert "Mật khẩu phải dài từ 10 đến 128 ký tự" in short.text
    client.post("/quan-ly/nhan-vien/binh/mat-khau", data={"csrf": csrf, "password": PASSWORD})
    with store.session() as s:
        assert staff.verify_pin(s, cfg, "binh", "112233").role == "guard"
    other = TestClient(client.app)
    with other:
        assert sign_in(other, "binh").status_code == 303
    kinds = [e.kind for e in FeedReader(store).poll() if e.kind.startswith(("staff_", "web_password"))]
    assert kinds[-4:] == ["staff_added", "staff_role_changed", "staff_pin_reset", "web_password_set"]


def test_reports_in_the_browser_are_those_of_the_cli(client: TestClient, store: Store, cfg: CentreConfig,
                                                     clock: Clock) -> None:
    from lobby.reports import formats
    from lobby.reports.figures import ReportQuery, build_report

    with store.session() as s:
        counters.sign_in(s, cfg, 1, "an", "135790", now=at(0))
    for minute in (1, 2, 3):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DKKD", now=at(minute))
    with store.session() as s:
        queue.call_next(s, cfg, 1, now=at(10))
    with store.session() as s:
        queue.finish(s, cfg, 1, now=at(15))
    signed_in(client, "quanly")
    day = "2026-11-30"
    page = client.get(f"/quan-ly/bao-cao?from={day}&to={day}&by=service")
    assert page.status_code == 200 and "Đăng ký kinh doanh" in page.text and "Tải Excel" in page.text
    csv = client.get(f"/quan-ly/bao-cao/tai-ve.csv?from={day}&to={day}&by=service")
    expected = formats.to_csv(build_report(store, cfg, ReportQuery(at(0).date(), at(0).date()), "service"), "vi")
    assert csv.content.decode("utf-8-sig") == expected
    xlsx = client.get(f"/quan-ly/bao-cao/tai-ve.xlsx?from={day}&to={day}")
    assert len(load_workbook(io.BytesIO(xlsx.content)).sheetnames) >= 5
    chart = client.get(f"/quan-ly/bao-cao/bieu-do/wait-by-service.png?from={day}&to={day}")
    assert chart.headers["content-type"] == "image/png" and chart.content[:4] == b"\x89PNG"
    bad = client.get("/quan-ly/bao-cao?from=2026-13-01&to=2026-11-30", follow_redirects=True)
    assert "Ngày phải có dạng YYYY-MM-DD." in bad.text
    backwards = client.get("/quan-ly/bao-cao?from=2026-11-30&to=2026-11-01", follow_redirects=True)
    assert "phải trước hoặc bằng" in backwards.text
    # the official sees their own figures only
    other = TestClient(client.app)
    with other:
        signed_in(other, "an")
        mine = other.get("/quan-ly/cua-toi").text
    assert "Kết quả làm việc của tôi" in mine and "Tổng cộng" in mine


def test_audit_filters_and_pages(client: TestClient, store: Store, cfg: CentreConfig, clock: Clock) -> None:
    for minute in range(60):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DKKD", now=at(minute))
    signed_in(client, "quanly")
    first = client.get("/quan-ly/nhat-ky?day=2026-11-30&kind=issued")
    assert first.status_code == 200 and first.text.count("<code>issued</code>") == 50
    older = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/quan-ly/nhat-ky" + older)
    assert second.text.count("<code>issued</code>") == 10 and 'rel="next"' not in second.text
    mine = client.get("/quan-ly/nhat-ky?staff=quanly").text
    assert "web_signed_in" in mine and "<code>issued</code>" not in mine
    other_day = client.get("/quan-ly/nhat-ky?day=2026-11-29&kind=issued").text
    assert "Không có sự kiện nào khớp." in other_day


def test_a_paused_service_issues_nothing_at_the_kiosk_or_the_api(client: TestClient, store: Store, cfg: CentreConfig,
                                                                 clock: Clock) -> None:
    from lobby.access.api_tokens import add_token, parse_scopes
    from lobby.monitor.errors import ServicePaused

    clock.now = datetime.now(UTC)  # the API issues at the real time: pause today's real day
    csrf = signed_in(client, "quanly")
    client.post("/quan-ly/dich-vu/HT/tam-ngung", data={"csrf": csrf, "reason": "Hết phôi giấy tờ"})
    with store.session() as s, pytest.raises(ServicePaused, match="tạm ngưng cấp số: Hết phôi giấy tờ"):
        queue.issue_ticket(s, cfg, "HT", now=clock.now)
    with store.session() as s:
        _, secret = add_token(s, "cong-dvc", parse_scopes("issue"))
    refused = client.post("/api/v1/tickets", json={"service": "HT"}, headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 409 and refused.json()["error"] == "service_paused"
    assert "Hết phôi giấy tờ" in refused.json()["message_vi"]
    with store.session() as s:  # the other services issue as before
        assert queue.issue_ticket(s, cfg, "DKKD", now=clock.now).number == "A001"


def test_starting_the_web_app_loads_no_chart_or_workbook_library() -> None:
    """matplotlib, numpy and openpyxl (about 150 MB) wait for the first report, chart or workbook."""
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    script = ("import json, sys, web.__main__, web.app; "
              "print(json.dumps(sorted(m for m in ('matplotlib', 'numpy', 'openpyxl') if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=PROCESS_S,
                          check=True, cwd=root)
    assert json.loads(done.stdout) == []
