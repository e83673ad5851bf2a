"""The kiosk driven through its real widgets, offscreen, on SQLite and PostgreSQL, printing to the emulator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from kiosk.confirmation import PrintState
from lobby import queue
from lobby.feed import alerts
from lobby.store.engine import Store
from lobby.store.models import Event, Staff, Ticket
from support import SETTLE_MS

GUARD_PIN, MANAGER_PIN, OFFICIAL_PIN = "246813", "975310", "1357"  # as tests/kiosk/conftest.py sets them


def tap(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def wait_page(qtbot, kiosk, page: str) -> None:
    qtbot.waitUntil(lambda: kiosk.window.current_page() == page, timeout=SETTLE_MS)


def wait_printed(qtbot, emulator, n: int) -> None:
    """Wait for the emulator's ``n``-th ticket while the Qt loop runs (the kiosk's callbacks need it)."""
    qtbot.waitUntil(lambda: len(emulator.tickets) >= n, timeout=SETTLE_MS)


def type_pin(qtbot, keypad, pin: str) -> None:
    for digit in pin:
        tap(qtbot, keypad.digit_keys[digit])
    tap(qtbot, keypad.ok_key)


def tickets(store: Store, cfg) -> list:
    with store.session() as s:
        return queue.list_tickets(s, cfg)


def events(store: Store, kind: str) -> list[Event]:
    with store.read_session() as s:
        return list(s.scalars(select(Event).where(Event.kind == kind).order_by(Event.id)))


def open_guard(qtbot, kiosk, pin: str = GUARD_PIN) -> None:
    title = kiosk.window.home.header.title
    with qtbot.waitSignal(title.held, timeout=SETTLE_MS):
        qtbot.mousePress(title, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(title, Qt.MouseButton.LeftButton)
    assert kiosk.window.current_page() == "pin"
    type_pin(qtbot, kiosk.window.pin.keypad, pin)
    wait_page(qtbot, kiosk, "guard")


def test_tap_issues_shows_and_prints(qtbot, store, cfg, emulator, make_kiosk):
    kiosk = make_kiosk(store)
    qtbot.waitUntil(lambda: kiosk.window.home.grid.button("DKKD").detail.text() == "0 người đang chờ",
                    timeout=SETTLE_MS)
    tap(qtbot, kiosk.window.home.grid.button("DKKD"))
    wait_page(qtbot, kiosk, "confirm")
    screen = kiosk.window.confirmation
    assert screen.number.text() == "A001"
    assert screen.service.text() == "Đăng ký kinh doanh"
    assert screen.ahead.text() == "Không có ai chờ trước ông/bà"
    assert screen.print_state in (PrintState.PRINTING, PrintState.PRINTED)
    [ticket] = tickets(store, cfg)
    assert (ticket.number, ticket.service, ticket.status) == ("A001", "DKKD", "waiting")
    wait_printed(qtbot, emulator, 1)
    assert emulator.print_bytes > 1000
    qtbot.waitUntil(lambda: screen.print_state == PrintState.PRINTED, timeout=SETTLE_MS)
    assert screen.status.text() == "Mời nhận vé ở khe máy in bên dưới"
    [issued] = events(store, "issued")
    assert issued.actor == cfg.kiosk.name


def test_double_tap_issues_one_ticket(qtbot, store, cfg, emulator, make_kiosk):
    kiosk = make_kiosk(store)
    button = kiosk.window.home.grid.button("DD")
    tap(qtbot, button)
    tap(qtbot, button)
    kiosk.tap_service("DD")  # even a tap that reaches the controller directly
    wait_page(qtbot, kiosk, "confirm")
    tap(qtbot, kiosk.window.confirmation)  # the second tap lands on the confirmation: it stays
    assert kiosk.window.current_page() == "confirm"
    wait_printed(qtbot, emulator, 1)
    kiosk.runner.wait()
    assert [t.number for t in tickets(store, cfg)] == ["B001"]
    assert len(emulator.tickets) == 1


def test_confirmation_returns_home_after_idle_or_tap(qtbot, store, cfg, emulator, make_kiosk, clock):
    kiosk = make_kiosk(store)
    tap(qtbot, kiosk.window.home.grid.button("HT"))
    wait_page(qtbot, kiosk, "confirm")
    clock.advance(cfg.kiosk.idle_home_s + 1)
    kiosk.tick()
    assert kiosk.window.current_page() == "home"
    tap(qtbot, kiosk.window.home.grid.button("HT"))
    wait_page(qtbot, kiosk, "confirm")
    clock.advance(2)  # past the tap guard
    tap(qtbot, kiosk.window.confirmation)
    assert kiosk.window.current_page() == "home"
    assert [t.number for t in tickets(store, cfg)] == ["C001", "C002"]


def test_priority_without_pin(qtbot, store, cfg, emulator, make_kiosk, clock):
    kiosk = make_kiosk(store)
    with store.session() as s:
        queue.issue_ticket(s, cfg, "HT")
    tap(qtbot, kiosk.window.home.priority_button)
    assert kiosk.window.current_page() == "priority"
    assert kiosk.window.priority.buttons["merit"].note.isVisibleTo(kiosk.window.priority)
    tap(qtbot, kiosk.window.priority.buttons["elderly"])
    assert kiosk.window.current_page() == "home"
    assert "Người cao tuổi" in kiosk.window.home.prompt.text()
    tap(qtbot, kiosk.window.home.grid.button("HT"))
    wait_page(qtbot, kiosk, "confirm")
    assert kiosk.window.confirmation.priority.text() == "★ Ưu tiên: Người cao tuổi"
    assert kiosk.window.confirmation.number.text() == "C002"
    assert kiosk.window.confirmation.ahead.text() == "Không có ai chờ trước ông/bà"  # called before C001
    ticket = tickets(store, cfg)[-1]
    assert ticket.priority == "elderly"
    wait_printed(qtbot, emulator, 1)
    # the choice is for one ticket only
    clock.advance(2)  # past the tap guard
    tap(qtbot, kiosk.window.confirmation)
    assert kiosk.window.home.group is None


def test_priority_with_pin(qtbot, staffed, cfg, emulator, make_kiosk):
    store = staffed
    kiosk = make_kiosk(store)
    tap(qtbot, kiosk.window.home.priority_button)
    tap(qtbot, kiosk.window.priority.buttons["merit"])
    assert kiosk.window.current_page() == "pin"
    keypad = kiosk.window.pin.keypad
    assert "Người có công với cách mạng" in keypad.title.text()
    type_pin(qtbot, keypad, "0000")
    qtbot.waitUntil(lambda: "Mã PIN không đúng" in keypad.message_text(), timeout=SETTLE_MS)
    assert "Còn 4 lần thử" in keypad.message_text()
    assert len(events(store, "pin_failed")) == 1  # counts toward the keypad's lockout
    assert kiosk.window.current_page() == "pin"
    type_pin(qtbot, keypad, OFFICIAL_PIN)
    wait_page(qtbot, kiosk, "home")
    assert kiosk.window.home.group is not None and kiosk.window.home.group.code == "merit"
    tap(qtbot, kiosk.window.home.grid.button("DKKD"))
    wait_page(qtbot, kiosk, "confirm")
    with store.read_session() as s:
        row = s.scalars(select(Ticket)).one()
        official = s.scalars(select(Staff).where(Staff.username == "an")).one()
        assert (row.priority_group, row.granted_by_id) == ("merit", official.id)
    wait_printed(qtbot, emulator, 1)


def test_disabled_services(qtbot, store, cfg, emulator, make_kiosk):
    base = cfg
    limited = base.model_copy(update={"services": [
        s.model_copy(update={"daily_limit": 2}) if s.code == "XD" else s for s in base.services]})
    for _ in range(2):
        with store.session() as s:
            queue.issue_ticket(s, limited, "XD")
    kiosk = make_kiosk(store, config=limited)
    button = kiosk.window.home.grid.button("XD")
    qtbot.waitUntil(lambda: not button.isEnabled(), timeout=SETTLE_MS)
    assert button.detail.text() == "Đã hết số hôm nay"
    assert button.isVisible()
    tap(qtbot, button)
    assert kiosk.window.current_page() == "home"
    tap(qtbot, kiosk.window.home.language_button)
    assert button.detail.text() == "No more tickets today"
    assert button.name.text() == "Construction"
    with store.session() as s:
        assert len(queue.list_tickets(s, limited)) == 2


def test_paper_out_known_before_the_tap(qtbot, store, cfg, emulator, make_kiosk):
    kiosk = make_kiosk(store)
    qtbot.waitUntil(lambda: kiosk.monitor.health.known, timeout=SETTLE_MS)
    emulator.set_state(paper_out=True)
    kiosk.monitor.check()
    banner = kiosk.window.home.printer_banner
    qtbot.waitUntil(banner.isVisible, timeout=SETTLE_MS)
    qtbot.waitUntil(lambda: len(events(store, "printer_fault")) == 1, timeout=SETTLE_MS)
    with store.session() as s:
        [alert] = alerts.open_printer_faults(s)
    assert alert.source == cfg.kiosk.name and "Hết giấy" in alert.message
    tap(qtbot, kiosk.window.home.grid.button("DKKD"))
    wait_page(qtbot, kiosk, "confirm")
    screen = kiosk.window.confirmation
    assert screen.print_state == PrintState.FAILED
    assert screen.number.text() == "A001"
    assert screen.status.text() == "Vé chưa in được.\nVui lòng ghi nhớ số trên"
    assert [t.number for t in tickets(store, cfg)] == ["A001"]  # issued although not printed
    assert emulator.tickets == []
    # the printer is fixed: the kiosk notices by itself, clears the alert and prints the ticket
    emulator.set_state(paper_out=False)
    wait_printed(qtbot, emulator, 1)
    qtbot.waitUntil(lambda: not banner.isVisibleTo(kiosk.window.home), timeout=SETTLE_MS)
    qtbot.waitUntil(lambda: len(events(store, "printer_ok")) == 1, timeout=SETTLE_MS)
    with store.session() as s:
        assert alerts.open_printer_faults(s) == []


def test_paper_out_found_while_printing(qtbot, store, cfg, emulator, make_kiosk):
    kiosk = make_kiosk(store, poll_fault_s=60.0)
    qtbot.waitUntil(lambda: kiosk.monitor.health.known, timeout=SETTLE_MS)
    emulator.set_state(cover_open=True)
    tap(qtbot, kiosk.window.home.grid.button("HT"))  # (TKQ, the results service, checks a dossier first)
    wait_page(qtbot, kiosk, "confirm")
    screen = kiosk.window.confirmation
    qtbot.waitUntil(lambda: screen.print_state == PrintState.FAILED, timeout=SETTLE_MS)
    assert screen.number.text() == "C001"
    qtbot.waitUntil(lambda: len(events(store, "printer_fault")) == 1, timeout=SETTLE_MS)
    [fault] = events(store, "printer_fault")
    assert fault.data is not None and "Nắp máy in" in fault.data["message"]
    assert kiosk.window.home.printer_banner.isVisibleTo(kiosk.window.home)


def test_guard_reprints_last_and_given_number(qtbot, staffed, cfg, emulator, make_kiosk):
    store = staffed
    kiosk = make_kiosk(store)
    tap(qtbot, kiosk.window.home.grid.button("DKKD"))
    wait_page(qtbot, kiosk, "confirm")
    wait_printed(qtbot, emulator, 1)
    kiosk.go_home()
    open_guard(qtbot, kiosk)
    guard = kiosk.window.guard
    assert "Trần Văn Bảo" in guard.title.text()
    qtbot.waitUntil(lambda: guard.count_labels["DKKD"][1].text() == "1", timeout=SETTLE_MS)
    assert guard.buttons["reprint_last"].text() == "In lại vé vừa cấp (A001)"
    tap(qtbot, guard.buttons["reprint_last"])
    wait_printed(qtbot, emulator, 2)
    qtbot.waitUntil(lambda: "Đã gửi lệnh in lại số A001" in guard.message.text(), timeout=SETTLE_MS)
    tap(qtbot, guard.buttons["reprint_number"])
    reprint = kiosk.window.reprint
    tap(qtbot, reprint.prefix_buttons["A"])
    type_pin(qtbot, reprint.keypad, "9")
    qtbot.waitUntil(lambda: "Không tìm thấy số A009" in reprint.keypad.message_text(), timeout=SETTLE_MS)
    type_pin(qtbot, reprint.keypad, "1")
    wait_page(qtbot, kiosk, "guard")
    wait_printed(qtbot, emulator, 3)
    assert [t.number for t in tickets(store, cfg)] == ["A001"]  # reprints issue nothing


def test_guard_priority_ticket_and_timeout(qtbot, staffed, cfg, emulator, make_kiosk, clock):
    store = staffed
    kiosk = make_kiosk(store)
    open_guard(qtbot, kiosk)
    tap(qtbot, kiosk.window.guard.buttons["priority"])
    assert not kiosk.window.priority.buttons["merit"].note.isVisibleTo(kiosk.window.priority)
    tap(qtbot, kiosk.window.priority.buttons["merit"])  # no second PIN: the guard grants it
    assert kiosk.window.current_page() == "home"
    tap(qtbot, kiosk.window.home.grid.button("YT"))
    wait_page(qtbot, kiosk, "confirm")
    with store.read_session() as s:
        row = s.scalars(select(Ticket)).one()
        guard = s.scalars(select(Staff).where(Staff.username == "bao")).one()
        assert (row.number, row.priority_group, row.granted_by_id) == ("H001", "merit", guard.id)
    wait_printed(qtbot, emulator, 1)
    kiosk.go_home()
    open_guard(qtbot, kiosk)
    clock.advance(cfg.kiosk.guard_timeout_s - 1)
    kiosk.tick()
    assert kiosk.window.current_page() == "guard"
    clock.advance(2)
    kiosk.tick()
    assert kiosk.window.current_page() == "home"
    assert kiosk.guard_staff is None


def test_official_pin_does_not_open_guard_mode(qtbot, staffed, emulator, make_kiosk):
    kiosk = make_kiosk(staffed)
    kiosk.open_guard_keypad()
    type_pin(qtbot, kiosk.window.pin.keypad, OFFICIAL_PIN)
    qtbot.waitUntil(lambda: "Mã PIN không đúng" in kiosk.window.pin.keypad.message_text(), timeout=SETTLE_MS)
    assert kiosk.window.current_page() == "pin"


def test_leaving_needs_the_manager_pin(qtbot, staffed, emulator, make_kiosk):
    kiosk = make_kiosk(staffed)
    kiosk.window.close()
    assert kiosk.window.isVisible()
    open_guard(qtbot, kiosk)
    tap(qtbot, kiosk.window.guard.buttons["exit"])
    keypad = kiosk.window.pin.keypad
    type_pin(qtbot, keypad, GUARD_PIN)
    qtbot.waitUntil(lambda: "Mã PIN không đúng" in keypad.message_text(), timeout=SETTLE_MS)
    with qtbot.waitSignal(kiosk.exit_requested, timeout=SETTLE_MS):
        type_pin(qtbot, keypad, MANAGER_PIN)
    kiosk.window.close()
    assert not kiosk.window.isVisible()


def test_attract_after_idle_and_language_resets(qtbot, store, cfg, emulator, make_kiosk, clock):
    kiosk = make_kiosk(store)
    tap(qtbot, kiosk.window.home.language_button)
    assert kiosk.window.home.prompt.text() == "Touch the service you need to take a number"
    clock.advance(cfg.kiosk.attract_after_s + 1)
    kiosk.tick()
    assert kiosk.window.current_page() == "attract"
    assert kiosk.window.attract.main.text() == "Chạm vào màn hình để lấy số thứ tự"
    tap(qtbot, kiosk.window.attract)
    assert kiosk.window.current_page() == "home"
    assert kiosk.window.home.prompt.text() == "Chạm vào dịch vụ cần làm để lấy số thứ tự"


def test_english_ticket(qtbot, store, cfg, emulator, make_kiosk):
    kiosk = make_kiosk(store)
    tap(qtbot, kiosk.window.home.language_button)
    tap(qtbot, kiosk.window.home.grid.button("CT"))
    wait_page(qtbot, kiosk, "confirm")
    screen = kiosk.window.confirmation
    assert (screen.heading.text(), screen.service.text()) == ("YOUR NUMBER", "Industry and Trade")
    wait_printed(qtbot, emulator, 1)
    qtbot.waitUntil(lambda: screen.status.text() == "Please take your ticket below", timeout=SETTLE_MS)
