"""The kiosk's "Nhận kết quả" with real widgets, a real store and the printer emulator: the three outcomes
(ready, not ready, overdue with its apology slip printed), a collected result and an unknown code."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from sqlalchemy import select

from kiosk.confirmation import PrintState
from lobby import dossiers
from lobby.config import CentreConfig
from lobby.dossiers.kiosk_check import Outcome
from lobby.store.engine import Store
from lobby.store.models import Event
from support import SETTLE_MS


def _now(cfg: CentreConfig) -> datetime:
    return datetime(2026, 12, 2, 10, 0, tzinfo=cfg.tz)  # a Wednesday morning


def _checks(store: Store) -> list[dict[str, object]]:
    with store.read_session() as s:
        rows = s.scalars(select(Event).where(Event.kind == "dossier_checked").order_by(Event.id))
        return [e.data or {} for e in rows]


def _open_results(qtbot, kiosk) -> None:
    qtbot.mouseClick(kiosk.window.home.grid.button("TKQ"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.window.current_page() == "results", timeout=SETTLE_MS)
    assert not kiosk.window.results.answering()


def _scan(qtbot, kiosk, code: str) -> None:
    """What a USB barcode scanner does: it types the code into the focused field and ends with Enter."""
    entry = kiosk.window.results.entry
    qtbot.waitUntil(entry.hasFocus, timeout=SETTLE_MS)
    qtbot.keyClicks(entry, code)
    qtbot.keyClick(entry, Qt.Key.Key_Return)


def _receive(store: Store, cfg: CentreConfig, code: str, *, days_ago: float, promised_in_h: float) -> None:
    now = _now(cfg)
    with store.session() as s:
        dossiers.receive(s, cfg, code, "HT", promised=now + timedelta(hours=promised_in_h),
                         now=now - timedelta(days=days_ago))


def test_ready_gives_the_usual_ticket(qtbot, store, cfg, emulator, make_kiosk) -> None:
    _receive(store, cfg, "000.00.13.H61-261130-0007", days_ago=2, promised_in_h=6)
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["000.00.13.H61-261130-0007"], now=_now(cfg) - timedelta(hours=1))
    kiosk = make_kiosk(store, now=lambda: _now(cfg))
    _open_results(qtbot, kiosk)
    _scan(qtbot, kiosk, "000.00.13.h61-261130-0007")
    qtbot.waitUntil(lambda: kiosk.window.current_page() == "confirm", timeout=SETTLE_MS)
    screen = kiosk.window.confirmation
    assert screen.number.text() == "T001" and screen.service.text() == "Trả kết quả"
    qtbot.waitUntil(lambda: screen.print_state == PrintState.PRINTED, timeout=SETTLE_MS)
    assert len(emulator.tickets) == 1
    assert _checks(store)[-1]["outcome"] == "ready"


def test_not_ready_gives_no_ticket_and_the_promised_date(qtbot, store, cfg, emulator, make_kiosk) -> None:
    _receive(store, cfg, "HS-CHUA-XONG", days_ago=1, promised_in_h=30)  # Thursday 3/12 at 16:00
    kiosk = make_kiosk(store, now=lambda: _now(cfg))
    _open_results(qtbot, kiosk)
    _scan(qtbot, kiosk, " hs-chua-xong ")
    results = kiosk.window.results
    qtbot.waitUntil(results.answering, timeout=SETTLE_MS)
    assert results.outcome == Outcome.NOT_READY
    assert results.heading.text() == "Hồ sơ chưa có kết quả"
    assert "16 giờ 00, thứ năm 03/12/2026" in results.detail.text()
    assert "không cần lấy số" in results.detail.text()
    assert not results.number.isVisibleTo(results)
    assert emulator.tickets == [] and _checks(store)[-1]["outcome"] == "not_ready"
    with store.session() as s:
        assert dossiers.list_dossiers(s, cfg) and queue_empty(s, cfg)
    qtbot.mouseClick(results.answer, Qt.MouseButton.LeftButton)  # a touch goes home
    qtbot.waitUntil(lambda: kiosk.window.current_page() == "home", timeout=SETTLE_MS)


def queue_empty(session, cfg: CentreConfig) -> bool:
    from lobby import queue

    return queue.list_tickets(session, cfg, _now(cfg).date()) == []


def test_overdue_prints_a_priority_ticket_and_the_apology(qtbot, store, cfg, emulator, make_kiosk,
                                                          tmp_path: Path) -> None:
    _receive(store, cfg, "HS-TRE-HEN", days_ago=5, promised_in_h=-18)  # promised Tuesday 1/12 at 16:00
    kiosk = make_kiosk(store, now=lambda: _now(cfg))
    kiosk.set_lang("en")
    _open_results(qtbot, kiosk)
    _scan(qtbot, kiosk, "HS-TRE-HEN")
    results = kiosk.window.results
    qtbot.waitUntil(results.answering, timeout=SETTLE_MS)
    assert results.outcome == Outcome.OVERDUE and results.number.text() == "T001"
    assert results.heading.text() == "We apologise: your result is late"
    assert "New date: 16:00, Friday 04/12/2026" in results.detail.text()  # 2 working days after Wednesday
    assert "Your priority ticket: T001" in results.detail.text()
    qtbot.waitUntil(lambda: len(emulator.tickets) == 2, timeout=SETTLE_MS)  # the ticket, then the apology
    ticket_png, slip_png = emulator.tickets
    slip = Image.open(slip_png)
    assert slip.height > Image.open(ticket_png).height  # the slip is the longer paper
    assert _ink_rows(slip) > 300
    check = _checks(store)[-1]
    assert check["outcome"] == "overdue" and check["alert"] is True  # the manager's alert
    with store.session() as s:
        d = dossiers.find(s, cfg, "HS-TRE-HEN", now=_now(cfg))
    assert d.state == "overdue" and d.reschedules == 1
    assert d.promised_at.astimezone(cfg.tz) == datetime(2026, 12, 4, 16, 0, tzinfo=cfg.tz)
    with store.session() as s:
        from lobby import queue

        [ticket] = queue.list_tickets(s, cfg, _now(cfg).date())
    assert (ticket.number, ticket.priority) == ("T001", "late_result")
    slip.save(tmp_path / "apology.png")


def _ink_rows(image: Image.Image) -> int:
    """Rows with any black: the slip really has text on it."""
    gray = image.convert("L")
    width, height = gray.size
    data = gray.tobytes()
    return sum(1 for y in range(height) if min(data[y * width:(y + 1) * width]) < 128)


def test_unknown_code_typed_on_the_keys_and_a_collected_result(qtbot, store, cfg, emulator, make_kiosk) -> None:
    _receive(store, cfg, "HS-1", days_ago=3, promised_in_h=-20)
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["HS-1"], now=_now(cfg) - timedelta(days=2))
    with store.session() as s:
        dossiers.mark_returned(s, cfg, "HS-1", now=_now(cfg) - timedelta(days=1))
    kiosk = make_kiosk(store, now=lambda: _now(cfg))
    _open_results(qtbot, kiosk)
    results = kiosk.window.results
    for ch in "HS-9":
        qtbot.mouseClick(results.keys[ch], Qt.MouseButton.LeftButton)
    assert results.entry.text() == "HS-9"
    qtbot.mouseClick(results.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(results.answering, timeout=SETTLE_MS)
    assert results.outcome == Outcome.UNKNOWN and results.heading.text() == "Không tìm thấy hồ sơ này"
    assert "hỏi bảo vệ" in results.detail.text() and "Chưa cấp số thứ tự" in results.detail.text()

    qtbot.mouseClick(results.answer, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.window.current_page() == "home", timeout=SETTLE_MS)
    _open_results(qtbot, kiosk)
    qtbot.mouseClick(results.check_button, Qt.MouseButton.LeftButton)  # nothing typed: asked to type
    assert results.message.text() == "Vui lòng nhập hoặc quét mã hồ sơ."
    _scan(qtbot, kiosk, "HS-1")
    qtbot.waitUntil(results.answering, timeout=SETTLE_MS)
    assert results.outcome == Outcome.RETURNED and results.heading.text() == "Kết quả của hồ sơ này đã được trả"
    assert emulator.tickets == []
    assert [c["outcome"] for c in _checks(store)] == ["unknown", "returned"]


def test_overdue_with_the_printer_out_of_paper_keeps_the_new_date_on_screen(qtbot, store, cfg, emulator,
                                                                            make_kiosk) -> None:
    _receive(store, cfg, "HS-TRE-HEN", days_ago=5, promised_in_h=-18)
    emulator.set_state(paper_out=True)
    kiosk = make_kiosk(store, now=lambda: _now(cfg))
    qtbot.waitUntil(lambda: kiosk.monitor.health.known and not kiosk.monitor.health.ok, timeout=SETTLE_MS)
    _open_results(qtbot, kiosk)
    _scan(qtbot, kiosk, "HS-TRE-HEN")
    results = kiosk.window.results
    qtbot.waitUntil(results.answering, timeout=SETTLE_MS)
    assert results.outcome == Outcome.OVERDUE and results.number.text() == "T001"
    assert "Ngày hẹn mới: 16 giờ 00, thứ sáu 04/12/2026" in results.detail.text()
    assert "Máy in đang gặp sự cố" in results.detail.text()
    with store.session() as s:
        d = dossiers.find(s, cfg, "HS-TRE-HEN", now=_now(cfg))
    assert d.reschedules == 1 and emulator.tickets == []  # recorded all the same; nothing printed
