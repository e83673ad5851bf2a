"""The manager's monitor in a real browser (Debian's Chromium driven by Playwright), on both stores.

A manager signs in, a service turns red without a reload when its longest wait passes the
target (the web app's clock is driven by the test), the manager acknowledges the alert,
pauses a service, and the kiosk's home screen rules show it paused. With
``LOBBY_SCREENSHOTS=DIR`` the pages are also saved there (``docs/screenshots/web-*.png``).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from manager_helpers import PASSWORD, Clock, add_accounts
from web_support import LiveServer

import lobby.queue.offer as kiosk_rules
from lobby import queue
from lobby.config import CentreConfig
from lobby.staffing import counters, staff
from lobby.store.engine import Store
from support import browser_context, launch_chromium
from web.app import create_app

T0 = datetime(2026, 11, 30, 2, 30, tzinfo=UTC)  # 09:30 in Hà Nội, a Monday
OFFICIALS = {1: "hoa", 3: "minh", 5: "lan", 7: "tuan"}
NAMES = {"hoa": "Đỗ Thị Hoa", "minh": "Vũ Văn Minh", "lan": "Hoàng Thị Lan", "tuan": "Bùi Anh Tuấn"}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def busy_morning(store: Store, cfg: CentreConfig) -> None:
    """Four officials at their counters, people waiting in several services, some served."""
    for number, username in OFFICIALS.items():
        with store.session() as s:
            staff.add_staff(s, username, NAMES[username], "official", "135790")
        with store.session() as s:
            counters.sign_in(s, cfg, number, username, "135790", now=at(-60))
    arrivals = [("DKKD", -55), ("DKKD", -50), ("DD", -45), ("HT", -40), ("DKKD", -30), ("GPLX", -25), ("DD", -20),
                ("HT", -9), ("HT", -5), ("DD", -4), ("DKKD", -1.5), ("DKKD", -1), ("XD", -1), ("GPLX", -0.5)]
    for code, minute in sorted(arrivals, key=lambda a: a[1]):
        with store.session() as s:
            queue.issue_ticket(s, cfg, code, now=at(minute))
    for counter, minute in ((1, -52), (3, -43), (5, -38), (1, -28), (7, -22), (3, -15), (5, -3), (1, -2)):
        with store.session() as s:
            queue.call_next(s, cfg, counter, now=at(minute))
    with store.session() as s:
        queue.start_serving(s, cfg, 1, now=at(-1))
    with store.session() as s:
        queue.rate(s, cfg, 1, "very_satisfied", now=at(-27))


@pytest.fixture
def server(cfg: CentreConfig, store: Store) -> Iterator[tuple[LiveServer, Clock]]:
    add_accounts(store)
    busy_morning(store, cfg)
    app = create_app(cfg, store)
    clock = Clock(T0)
    app.state.manager_clock = clock
    app.state.monitor_board.tick_s = 0.5
    with LiveServer(app) as running:
        yield running, clock


def test_manager_sees_red_acknowledges_and_pauses(server: tuple[LiveServer, Clock], store: Store, cfg: CentreConfig,
                                                   shots: Path | None) -> None:
    from playwright.sync_api import expect, sync_playwright

    running, clock = server
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser_context(browser, viewport={"width": 1366, "height": 768}).new_page()
            page.goto(running.url + "/quan-ly")
            expect(page.get_by_role("heading", name="Đăng nhập quản lý")).to_be_visible()
            page.get_by_label("Tên đăng nhập").fill("quanly")
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            ht = page.locator('tr[data-service="HT"]')
            expect(ht).to_have_attribute("data-level", "green")
            expect(page.locator(".alert-list")).to_have_count(0)
            if shots:
                page.screenshot(path=str(shots / "web-monitor-quiet-vi.png"))

            clock.now = at(11)  # HT's oldest waiting ticket (09:25) has now waited 16 minutes, target 15
            expect(ht).to_have_attribute("data-level", "red")  # live: no reload
            alert = page.locator(".alert.red", has_text="HT:")
            expect(alert).to_be_visible()
            expect(page.locator('tr[data-service="DKKD"]')).to_have_attribute("data-level", "amber")
            if shots:
                page.screenshot(path=str(shots / "web-monitor-red-vi.png"))
                tablet = browser_context(browser, viewport={"width": 800, "height": 1280}, device_scale_factor=1)
                tablet.add_cookies(page.context.cookies())
                tablet_page = tablet.new_page()
                tablet_page.goto(running.url + "/quan-ly")
                expect(tablet_page.locator('tr[data-service="HT"]')).to_have_attribute("data-level", "red")
                tablet_page.screenshot(path=str(shots / "web-monitor-tablet-vi.png"), full_page=True)
                tablet.close()
                english = browser_context(browser, viewport={"width": 1366, "height": 768})
                english.add_cookies(page.context.cookies())
                english_page = english.new_page()
                english_page.goto(running.url + "/quan-ly?lang=en")
                expect(english_page.get_by_role("heading", name="Services")).to_be_visible()
                english_page.screenshot(path=str(shots / "web-monitor-red-en.png"))
                english.close()

            alert.get_by_role("button", name="Đã biết").click()
            expect(page.locator(".alert.red", has_text="HT:")).to_contain_text("quanly đã xác nhận lúc 09:41")

            row = page.locator('tr[data-service="DD"]')
            row.locator("summary", has_text="Tạm ngưng").click()
            row.get_by_label("Lý do (hiện trên máy cấp số)").fill("Mất kết nối phần mềm đất đai")
            row.get_by_role("button", name="Tạm ngưng").click()
            expect(page.locator('tr[data-service="DD"]')).to_contain_text(
                "Tạm ngưng cấp số: Mất kết nối phần mềm đất đai")
        finally:
            browser.close()
    with store.session() as s:
        state = kiosk_rules.service_states(s, cfg, now=clock.now)["DD"]
    assert not state.enabled and state.reason() == "Tạm ngưng cấp số: Mất kết nối phần mềm đất đai"


def test_reports_page_in_the_browser(cfg: CentreConfig, store: Store, shots: Path | None) -> None:
    from playwright.sync_api import expect, sync_playwright

    from lobby.reports.demo_history import generate_history

    generate_history(store, cfg, days=14, end=date(2026, 11, 29), per_day=120)  # into an empty store
    add_accounts(store)
    app = create_app(cfg, store)
    app.state.manager_clock = lambda: T0
    with LiveServer(app) as running, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser_context(browser, viewport={"width": 1366, "height": 768}).new_page()
            page.goto(running.url + "/quan-ly/dang-nhap?next=/quan-ly/bao-cao")
            page.get_by_label("Tên đăng nhập").fill("quanly")
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.get_by_label("Từ ngày").fill("2026-11-16")
            page.get_by_label("Đến ngày").fill("2026-11-29")
            page.get_by_role("button", name="Xem báo cáo").click()
            expect(page.locator("table.report tr.total")).to_contain_text("Tổng cộng")
            charts = page.locator(".charts img")
            expect(charts).to_have_count(3)
            for i in range(3):
                charts.nth(i).scroll_into_view_if_needed()
                page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                       arg=charts.nth(i).element_handle())
            with page.expect_download() as download:
                page.get_by_role("link", name="Tải Excel (XLSX)").click()
            assert download.value.suggested_filename == "lobby-report-2026-11-16_2026-11-29.xlsx"
            if shots:
                page.screenshot(path=str(shots / "web-reports-vi.png"), full_page=True)
        finally:
            browser.close()
