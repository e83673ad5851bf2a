"""Rating and a remark from the ticket page, the manager's answer, in a real browser (Debian's Chromium).

A citizen served at counter 1 opens the ticket page on a phone-sized screen, rates "Không hài lòng"
with two reasons, writes a remark; the manager answers it in the inbox; the citizen's page shows
the answer. With ``LOBBY_SCREENSHOTS=DIR`` the pages are saved there (``docs/screenshots/feedback-*.png``).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from manager_helpers import PASSWORD, add_accounts
from web_support import LiveServer

from lobby import queue
from lobby.config import CentreConfig
from lobby.staffing import counters
from lobby.store.engine import Store
from support import browser_context, launch_chromium

REMARK = "Phải chờ gần một giờ dù đã lấy số từ sớm.\nĐề nghị mở thêm quầy Đăng ký kinh doanh buổi sáng."
ANSWER = "Trung tâm xin lỗi ông/bà. Từ thứ Hai tới, quầy số 2 sẽ nhận thêm hồ sơ Đăng ký kinh doanh buổi sáng."


@pytest.fixture
def served_token(store: Store, cfg: CentreConfig) -> str:
    add_accounts(store)
    with store.session() as s:
        counters.sign_in(s, cfg, 1, "an", "135790")
    with store.session() as s:
        ticket = queue.issue_ticket(s, cfg, "DKKD")
    with store.session() as s:
        queue.call_number(s, cfg, 1, ticket.number)
    with store.session() as s:
        queue.finish(s, cfg, 1)
    assert ticket.public_token is not None
    return ticket.public_token


def test_rate_remark_answer_and_the_answer_on_the_phone(live: LiveServer, served_token: str,
                                                         shots: Path | None) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            phone = browser_context(browser, viewport={"width": 412, "height": 915}, device_scale_factor=1).new_page()
            phone.goto(f"{live.url}/v/{served_token}")
            form = phone.locator("#fb-rate")
            expect(form).to_be_visible()
            phone.get_by_label("Không hài lòng").check()
            phone.get_by_label("Chờ lâu").check()
            phone.get_by_label("Hướng dẫn chưa rõ").check()
            if shots:
                form.scroll_into_view_if_needed()
                phone.screenshot(path=str(shots / "feedback-phone-rating.png"), full_page=True)
            phone.get_by_role("button", name="Gửi đánh giá").click()
            expect(phone.locator("#fb-rated")).to_have_text(
                "Ông/bà đã đánh giá: Không hài lòng. Lý do: Chờ lâu, Hướng dẫn chưa rõ.")
            phone.get_by_label("Nội dung").fill(REMARK)
            phone.get_by_label("Liên hệ (không bắt buộc)").fill("0912 345 678")
            expect(phone.locator("#fb-count")).to_contain_text("/2000 ký tự")
            if shots:
                phone.screenshot(path=str(shots / "feedback-phone-remark.png"), full_page=True)
            phone.get_by_role("button", name="Gửi góp ý").click()
            expect(phone.locator(".fb-notice")).to_have_text("Cảm ơn ông/bà đã góp ý.")
            expect(phone.locator(".fb-remark .fb-body")).to_have_text(REMARK)
            expect(phone.locator(".fb-waiting")).to_contain_text("Đang chờ trả lời")

            office = browser_context(browser, viewport={"width": 1366, "height": 900}).new_page()
            office.goto(f"{live.url}/quan-ly/dang-nhap?next=/quan-ly/gop-y")
            office.get_by_label("Tên đăng nhập").fill("quanly")
            office.get_by_label("Mật khẩu").fill(PASSWORD)
            office.get_by_role("button", name="Đăng nhập").click()
            item = office.locator(".fb-item").first
            expect(item).to_contain_text("Từ số A001 · Đăng ký kinh doanh · quầy 1 · Nguyễn Văn An")
            expect(item.locator(".fb-body")).to_have_text(REMARK)
            if shots:
                office.screenshot(path=str(shots / "feedback-manager-inbox.png"), full_page=True)
            item.get_by_label("Trả lời").fill(ANSWER)
            item.get_by_role("button", name="Trả lời").click()
            expect(office.locator(".flash")).to_contain_text("Đã trả lời góp ý số 1.")

            phone.reload()
            expect(phone.locator(".fb-answer")).to_have_text(ANSWER)
            if shots:
                phone.locator("#fb-remarks").scroll_into_view_if_needed()
                phone.screenshot(path=str(shots / "feedback-phone-answer.png"), full_page=True)
        finally:
            browser.close()
