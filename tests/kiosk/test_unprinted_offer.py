"""Nothing lost on paper: a kiosk records each print; started again, it offers the guard what it never printed."""
from __future__ import annotations

from sqlalchemy import select
from test_kiosk import open_guard, tap, wait_page, wait_printed

from lobby import queue
from lobby.store.models import Ticket
from support import SETTLE_MS


def _printed_at(store, number: str):
    with store.read_session() as s:
        return s.scalar(select(Ticket.printed_at).where(Ticket.number == number))


def test_a_restarted_kiosk_offers_its_unprinted_tickets_one_tap_each(qtbot, staffed, cfg, emulator, make_kiosk):
    store = staffed
    # the kiosk before: A001 printed; A002 and A003 issued, then the kiosk was killed before the printer ran
    first = make_kiosk(store)
    tap(qtbot, first.window.home.grid.button("DKKD"))
    wait_page(qtbot, first, "confirm")
    wait_printed(qtbot, emulator, 1)
    qtbot.waitUntil(lambda: _printed_at(store, "A001") is not None, timeout=SETTLE_MS)
    for _ in range(2):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DKKD", source=cfg.kiosk.name)
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DKKD", source="kiosk-2")  # another kiosk's: not offered here
    first.shutdown()

    kiosk = make_kiosk(store)
    open_guard(qtbot, kiosk)
    guard = kiosk.window.guard
    qtbot.waitUntil(lambda: sorted(guard.unprinted) == ["A002", "A003"], timeout=SETTLE_MS)
    assert guard.unprinted_title.isVisibleTo(guard)
    assert guard.unprinted_title.text() == "Vé đã cấp nhưng chưa in: 2 — chạm để in lại"
    assert guard.unprinted["A002"].text() == "In lại A002"
    tap(qtbot, guard.unprinted["A002"])
    wait_printed(qtbot, emulator, 2)
    qtbot.waitUntil(lambda: _printed_at(store, "A002") is not None, timeout=SETTLE_MS)
    qtbot.waitUntil(lambda: sorted(guard.unprinted) == ["A003"], timeout=SETTLE_MS)
    tap(qtbot, guard.unprinted["A003"])
    wait_printed(qtbot, emulator, 3)
    qtbot.waitUntil(lambda: guard.unprinted == {}, timeout=SETTLE_MS)
    assert not guard.unprinted_title.isVisibleTo(guard)
    assert _printed_at(store, "A004") is None  # kiosk-2's, left for kiosk-2
