"""The database goes away and comes back: a banner, actions off, reconnection by itself, the store's truth shown.

PostgreSQL is lost through a TCP proxy the test cuts; SQLite by moving the database's
folder away (and closing the pooled connections) until the test moves it back.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from counter_helpers import PIN, Apps, CounterApp, sign_in
from lobby import queue
from lobby.store.engine import Store
from support import SETTLE_MS
from tcp_proxy import TcpProxy


class Network:
    """The app's own store, which the test can cut off and restore; ``side()`` writes past the cut."""

    def __init__(self, store: Store, tmp_path: Path) -> None:
        self.fixture_store = store
        self.proxy: TcpProxy | None = None
        self.lost = False
        self._side: Store | None = None
        if store.dialect == "postgresql":
            self.proxy, url = TcpProxy.in_front_of(store.url)
        else:
            self.live = tmp_path / "live"
            self.gone = tmp_path / "gone"
            self.live.mkdir()
            src = sqlite3.connect(str(store.sqlite_path))
            dst = sqlite3.connect(str(self.live / "lobby.sqlite3"))
            src.backup(dst)
            src.close()
            dst.close()
            url = f"sqlite:///{self.live / 'lobby.sqlite3'}"
        self.app_store = Store(url)

    def side(self) -> Store:
        """A store that reaches the data whether or not the app can (another machine, or the file moved)."""
        if self.proxy is not None:
            return self.fixture_store
        if self._side is None:
            folder = self.gone if self.lost else self.live
            self._side = Store(f"sqlite:///{folder / 'lobby.sqlite3'}")
        return self._side

    def _drop_side(self) -> None:
        if self._side is not None:
            self._side.dispose()
            self._side = None

    def cut(self) -> None:
        self._drop_side()
        self.lost = True
        if self.proxy is not None:
            self.proxy.cut()
        else:
            self.live.rename(self.gone)
            self.app_store.dispose()  # pooled connections would keep the moved file open

    def restore(self) -> None:
        self._drop_side()
        self.lost = False
        if self.proxy is not None:
            self.proxy.restore()
        else:
            self.gone.rename(self.live)

    def close(self) -> None:
        if self.lost:
            self.restore()
        self._drop_side()
        self.app_store.dispose()
        if self.proxy is not None:
            self.proxy.close()


@pytest.fixture
def net(apps: Apps, store: Store, tmp_path: Path) -> Iterator[Network]:
    network = Network(store, tmp_path)
    yield network
    apps.close()  # join the app's threads before the link they use goes away
    network.close()


def enabled(app: CounterApp) -> set[str]:
    return {a for a, b in app.window.work.action_bar.buttons.items() if b.isEnabled()}


def test_lost_and_back_shows_the_store_state(qtbot, apps, net, cfg) -> None:
    app = apps.window(fixed_counter=4, store=net.app_store)
    sign_in(qtbot, app, "an")
    for _ in range(2):
        with net.side().session() as s:
            queue.issue_ticket(s, cfg, "DD")
    qtbot.mouseClick(app.window.work.action_bar.buttons["next"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.controller.view.current is not None and "recall" in enabled(app), timeout=SETTLE_MS)

    net.cut()
    # whichever notices first, the feed or the action, the screen says so and locks the actions
    if app.window.work.action_bar.buttons["recall"].isEnabled():
        qtbot.mouseClick(app.window.work.action_bar.buttons["recall"], Qt.MouseButton.LeftButton)
    work = app.window.work
    # ...and the recall, if it was pressed, has failed by then (the feed may notice before it does)
    qtbot.waitUntil(lambda: work.banner.isVisible() and not enabled(app) and not app.controller.busy,
                    timeout=SETTLE_MS)
    assert "Mất kết nối" in work.banner.text()
    assert "Mất kết nối cơ sở dữ liệu" in work.message.text()
    assert not app.controller.connected
    qtbot.keyClick(app.window, Qt.Key.Key_Space)  # the keys are off too
    assert not app.controller.busy

    # meanwhile the ticket moves on in the store (the official's other device, a manager)
    with net.side().session() as s:
        queue.start_serving(s, cfg, 4)
    net.restore()
    qtbot.waitUntil(lambda: app.controller.connected and not work.banner.isVisible(), timeout=SETTLE_MS)
    qtbot.waitUntil(lambda: app.controller.view.current is not None
                    and app.controller.view.current.status == "serving", timeout=SETTLE_MS)
    assert work.ticket.number.text() == "B001" and work.ticket.status.text() == "ĐANG PHỤC VỤ"
    assert work.message.text() == ""
    assert enabled(app) == {"next", "finish", "transfer", "park", "call_number"}
    # and work goes on
    qtbot.keyClick(app.window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: app.controller.view.current is not None and app.controller.view.current.number == "B002",
                    timeout=SETTLE_MS)


def test_sign_in_while_lost_names_the_database(qtbot, apps, net) -> None:
    app = apps.window(fixed_counter=4, store=net.app_store)
    net.cut()
    screen = app.window.sign_in
    screen.username.setText("an")
    screen.pin.setText(PIN)
    with qtbot.waitSignal(app.controller.sign_in_failed, timeout=SETTLE_MS):
        screen.button.click()
    assert "Không kết nối được cơ sở dữ liệu" in screen.error.text()
    assert screen.button.isEnabled()
    net.restore()
    sign_in(qtbot, app, "an")
    assert app.controller.counter == 4
