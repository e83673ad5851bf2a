"""The database goes away and comes back: a calm waiting screen, nothing half-issued, issuing resumes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from sqlalchemy.engine import make_url

from lobby import queue
from lobby.store.engine import Store
from support import SETTLE_MS
from tcp_proxy import TcpProxy


@pytest.fixture
def proxied_store(store_url: str) -> Iterator[tuple[Store, TcpProxy]]:
    """The test PostgreSQL database, reached through a proxy the test can cut."""
    url = make_url(store_url)
    if url.drivername.startswith("sqlite"):
        pytest.skip("the proxy stands in front of PostgreSQL; SQLite has no link to cut")
    proxy, proxied_url = TcpProxy.in_front_of(url)
    store = Store(proxied_url)
    yield store, proxy
    store.dispose()
    proxy.close()


def test_store_down_waits_and_recovers(qtbot, proxied_store, cfg, emulator, make_kiosk):
    store, proxy = proxied_store
    kiosk = make_kiosk(store)
    home = kiosk.window.home
    qtbot.waitUntil(lambda: home.grid.button("DKKD").detail.text() == "0 người đang chờ", timeout=SETTLE_MS)
    qtbot.mouseClick(home.grid.button("DKKD"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.window.current_page() == "confirm", timeout=SETTLE_MS)
    kiosk.go_home()

    proxy.cut()
    qtbot.mouseClick(home.grid.button("DKKD"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.window.current_page() == "store_down", timeout=SETTLE_MS)
    assert kiosk.window.store_down.main.text() == "Tạm ngưng cấp số, vui lòng chờ trong giây lát"
    kiosk.tap_service("DKKD")  # taps while down do nothing
    assert kiosk.window.current_page() == "store_down"

    proxy.restore()
    qtbot.waitUntil(lambda: kiosk.window.current_page() == "home", timeout=SETTLE_MS)
    qtbot.mouseClick(home.grid.button("DKKD"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.window.current_page() == "confirm", timeout=SETTLE_MS)
    assert kiosk.window.confirmation.number.text() == "A002"  # nothing half-issued, no gap
    with store.session() as s:
        assert [t.number for t in queue.list_tickets(s, cfg)] == ["A001", "A002"]
    qtbot.waitUntil(lambda: len(emulator.tickets) == 2, timeout=SETTLE_MS)


def test_store_lost_while_idle_shows_waiting_screen(qtbot, proxied_store, cfg, emulator, make_kiosk):
    store, proxy = proxied_store
    kiosk = make_kiosk(store, refresh_s=0.2)
    qtbot.waitUntil(lambda: kiosk.states != {}, timeout=SETTLE_MS)
    proxy.cut()
    qtbot.waitUntil(lambda: kiosk.window.current_page() == "store_down", timeout=SETTLE_MS)
    proxy.restore()
    qtbot.waitUntil(lambda: kiosk.window.current_page() == "home", timeout=SETTLE_MS)
