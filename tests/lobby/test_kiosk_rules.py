"""The kiosk's rules without Qt: which services take a number now, what a ticket says."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from lobby import queue
from lobby.queue.offer import (
    PRIORITY_IDLE_S,
    number_from_entry,
    page_timeout_s,
    qr_payload,
    receipt_text,
    service_states,
)
from tests.conftest import demo_config

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY_1115 = datetime(2026, 11, 27, 11, 15, tzinfo=HCM)


def test_hours_close_a_service_with_the_reason(store):
    cfg = demo_config(enforce_hours=True)
    with store.read_session() as s:
        states = service_states(s, cfg, FRIDAY_1115)
    assert list(states) == [sc.code for sc in cfg.services]
    tnmt = states["TNMT"]  # hours 07:30-11:00
    assert not tnmt.enabled
    assert tnmt.reason("vi") == "Ngoài giờ cấp số (07:30-11:00)"
    assert tnmt.reason("en") == "Outside ticket hours (07:30-11:00)"
    assert states["DKKD"].enabled and states["DKKD"].reason("vi") == ""
    with store.read_session() as s:
        sunday = service_states(s, cfg, datetime(2026, 11, 29, 9, 0, tzinfo=HCM))
    assert not any(st.enabled for st in sunday.values())


def test_daily_limit_disables_exactly_when_issue_would_refuse(store):
    base = demo_config()
    cfg = base.model_copy(update={"services": [
        s.model_copy(update={"daily_limit": 2}) if s.code == "DD" else s for s in base.services]})
    for expected_enabled in (True, True):
        with store.read_session() as s:
            assert service_states(s, cfg)["DD"].enabled is expected_enabled
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DD")
    with store.read_session() as s:
        dd = service_states(s, cfg)["DD"]
    assert (dd.enabled, dd.waiting, dd.reason("vi")) == (False, 2, "Đã hết số hôm nay")
    with store.session() as s, pytest.raises(Exception, match="hết số"):
        queue.issue_ticket(s, cfg, "DD")


def test_waiting_counts_follow_the_queue(store, cfg):
    for _ in range(3):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "HT")
    with store.session() as s:
        queue.call_next(s, cfg, 5)
    with store.read_session() as s:
        assert service_states(s, cfg)["HT"].waiting == 2


def test_qr_payload_is_the_status_link_or_the_ticket(store, cfg):
    with store.session() as s:
        ticket = queue.issue_ticket(s, cfg, "DKKD")
    assert qr_payload(cfg, ticket) is None  # no public URL, no status link: no QR code
    web = cfg.model_copy(update={"web": cfg.web.model_copy(update={"public_url": "http://192.0.2.1:8080"})})
    assert qr_payload(web, ticket) == f"http://192.0.2.1:8080/v/{ticket.public_token}"
    linked = demo_config(status_url="https://dichvucong.binhan.gov.vn/t/{id}")
    assert qr_payload(linked, ticket) == f"https://dichvucong.binhan.gov.vn/t/{ticket.id}"


def test_receipt_text_in_both_languages(store, cfg):
    for _ in range(2):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "HT")
    with store.session() as s:
        ticket = queue.issue_ticket(s, cfg, "HT", priority="pregnant")
    with store.session() as s:
        plain = queue.issue_ticket(s, cfg, "HT")
    vi = receipt_text(cfg, ticket, "vi")
    assert (vi.centre_name, vi.service_name, vi.number) == (cfg.centre.name, "Hộ tịch – Lý lịch tư pháp", "C003")
    assert (vi.priority_label, vi.ahead, vi.footer) == ("Phụ nữ mang thai", 0, cfg.centre.footer)
    assert vi.estimated_wait_min is None  # nobody ahead: no "about 0 min"
    local = ticket.issued_at.astimezone(HCM)
    assert vi.issued_at_text == local.strftime("%H:%M %d/%m/%Y")
    later = receipt_text(cfg, plain, "vi")
    assert later.ahead == 3 and later.estimated_wait_min and later.priority_label is None
    en = receipt_text(cfg, ticket, "en", reprinted_at=FRIDAY_1115)
    assert (en.centre_name, en.service_name, en.priority_label) == (
        cfg.centre.name_en, "Civil status and judicial records", "Pregnant woman")
    assert en.issued_at_text.endswith("(reprinted 11:15)") and en.footer == cfg.centre.footer_en
    assert receipt_text(cfg, ticket, "vi", reprinted_at=FRIDAY_1115).issued_at_text.endswith("(in lại 11:15)")


def test_number_from_entry(cfg):
    assert number_from_entry(cfg, "A", "23") == "A023"
    assert number_from_entry(cfg, "T", "0007") == "T007"
    with pytest.raises(ValueError):
        number_from_entry(cfg, "A", "")


def test_page_timeouts(cfg):
    k = cfg.kiosk.model_copy(update={"idle_home_s": 8, "attract_after_s": 180, "guard_timeout_s": 60})
    assert page_timeout_s(k, "confirm") == 8
    assert page_timeout_s(k, "confirm", print_failed=True) == 20  # time to note the number down
    assert page_timeout_s(k.model_copy(update={"idle_home_s": 15}), "confirm", print_failed=True) == 30
    assert page_timeout_s(k, "guard") == page_timeout_s(k, "reprint") == 60
    assert page_timeout_s(k, "pin", guard_flow=True) == page_timeout_s(k, "priority", guard_flow=True) == 60
    assert page_timeout_s(k, "pin") == page_timeout_s(k, "priority") == PRIORITY_IDLE_S
    assert page_timeout_s(k, "home", priority_chosen=True) == PRIORITY_IDLE_S
    assert page_timeout_s(k, "home") == 180
    assert page_timeout_s(k, "attract") is None
    assert page_timeout_s(k, "store_down") is None


def test_kiosk_rules_import_no_qt_and_no_printer():
    code = ("import sys, lobby.queue.offer; "
            "print(any(m.split('.')[0] in ('PySide6', 'escpos', 'printer_drivers') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
