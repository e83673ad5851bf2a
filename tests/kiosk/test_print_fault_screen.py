"""The kiosk's screen after a failed print: what to do is large; only a deliberate tap leaves it."""
from __future__ import annotations

from test_kiosk import tap, wait_page

from kiosk.confirmation import PrintState
from support import SETTLE_MS


def test_a_failed_print_is_left_only_by_its_noted_button(qtbot, store, cfg, emulator, make_kiosk, clock):
    kiosk = make_kiosk(store)
    qtbot.waitUntil(lambda: kiosk.monitor.health.known, timeout=SETTLE_MS)
    emulator.set_state(paper_out=True)
    kiosk.monitor.check()
    qtbot.waitUntil(lambda: not kiosk.monitor.health.ok, timeout=SETTLE_MS)
    tap(qtbot, kiosk.window.home.grid.button("DKKD"))
    wait_page(qtbot, kiosk, "confirm")
    screen = kiosk.window.confirmation
    assert screen.print_state == PrintState.FAILED
    assert "ghi nhớ số" in screen.status.text()
    assert "báo bảo vệ hoặc cán bộ" in screen.more.text()
    assert screen.more.font().pixelSize() > screen.hint.font().pixelSize()  # the instruction is large
    assert screen.noted.isVisibleTo(screen) and screen.noted.text() == "Tôi đã ghi nhớ số"
    clock.advance(5)  # past the double-tap guard
    tap(qtbot, screen)  # an accidental touch anywhere else
    assert kiosk.window.current_page() == "confirm"
    tap(qtbot, screen.noted)
    wait_page(qtbot, kiosk, "home")
