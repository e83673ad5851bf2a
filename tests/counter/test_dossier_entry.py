"""Dossiers at the counter with the real work screen and dialogs, keyboard only: F10 and a scanned code
(key events ending with Enter) receive a dossier for the visit; F11 marks results ready."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.dossier_entry import DossierDialog
from counter_helpers import CounterApp, signed_in_window
from lobby import dossiers, queue
from lobby.dossiers.model import DossierState
from lobby.store.engine import Store
from support import SETTLE_MS


@pytest.fixture
def app(qtbot, apps) -> CounterApp:  # noqa: ANN001
    return signed_in_window(qtbot, apps, 3)


def _dialog(qtbot, app: CounterApp, key: Qt.Key) -> DossierDialog:  # noqa: ANN001
    qtbot.keyClick(app.window, key)
    qtbot.waitUntil(lambda: app.window.dossiers.dialog is not None and app.window.dossiers.dialog.isVisible(),
                    timeout=SETTLE_MS)
    dialog = app.window.dossiers.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.code.hasFocus, timeout=SETTLE_MS)
    return dialog


def _scan(qtbot, widget, code: str) -> None:  # noqa: ANN001
    """A USB barcode scanner: the code as key presses into the focused field, then Enter."""
    focused = QApplication.focusWidget()
    assert focused is widget
    qtbot.keyClicks(widget, code)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _serve_one(qtbot, app: CounterApp, store: Store, cfg) -> str:  # noqa: ANN001
    with store.session() as s:
        number = queue.issue_ticket(s, cfg, "DD").number
    qtbot.waitUntil(lambda: "next" in app.controller.enabled(), timeout=SETTLE_MS)
    qtbot.keyClick(app.window, Qt.Key.Key_Space)  # next
    qtbot.waitUntil(lambda: app.controller.view is not None and app.controller.view.current is not None,
                    timeout=SETTLE_MS)
    qtbot.keyClick(app.window, Qt.Key.Key_F3)  # the citizen is here: serve
    qtbot.waitUntil(lambda: app.controller.view.current.status == "serving", timeout=SETTLE_MS)
    qtbot.keyClick(app.window, Qt.Key.Key_F4)  # finish (a note, if any, then Enter)
    qtbot.waitUntil(lambda: app.window.work.dialog is not None, timeout=SETTLE_MS)
    qtbot.keyClick(app.window.work.dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.controller.view is not None and app.controller.view.current is None, timeout=SETTLE_MS)
    return number


def test_receive_after_serving_with_a_scanner_and_the_keyboard(qtbot, app: CounterApp, store: Store, cfg) -> None:  # noqa: ANN001
    number = _serve_one(qtbot, app, store, cfg)
    dialog = _dialog(qtbot, app, Qt.Key.Key_F10)
    assert dialog.service.currentData() == "DD"  # the visit's service
    default = dossiers.default_promise(cfg, "DD", dialog.now).astimezone(cfg.tz)
    picked = dialog.promised.date()
    assert (picked.year(), picked.month(), picked.day()) == (default.year, default.month, default.day)
    assert "10" in dialog.days.text()  # the demo's Đất đai: 10 working days

    _scan(qtbot, dialog.code, "000.00.12.h61-261202-0001")
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Đã tiếp nhận"), timeout=SETTLE_MS)
    assert dialog.code.text() == "" and dialog.code.hasFocus()  # ready for the visit's next dossier
    with store.session() as s:
        d = dossiers.find(s, cfg, "000.00.12.H61-261202-0001")
    assert (d.ticket, d.staff, d.counter, d.service, d.state) == (number, "an", 3, "DD", DossierState.RECEIVED)
    assert d.promised_at == default

    # The second dossier of the visit, promised a day later: Tab to the date picker, Up, Enter. No mouse.
    qtbot.keyClicks(dialog.code, "000.00.12.H61-261202-0002")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: dialog.promised.hasFocus(), timeout=SETTLE_MS)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "000.00.12.H61-261202-0002" in dialog.message.text(), timeout=SETTLE_MS)
    with store.session() as s:
        second = dossiers.find(s, cfg, "000.00.12.H61-261202-0002")
    assert second.promised_at.astimezone(cfg.tz).date() == default.date() + timedelta(days=1)

    _scan(qtbot, dialog.code, "000.00.12.H61-261202-0001")  # scanned twice: refused, in red, nothing written
    qtbot.waitUntil(lambda: "không tiếp nhận lại" in dialog.message.text(), timeout=SETTLE_MS)
    assert "b3261e" in dialog.message.styleSheet()
    qtbot.keyClick(dialog.code, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: app.window.dossiers.dialog is None, timeout=SETTLE_MS)
    with store.session() as s:
        assert len(dossiers.list_dossiers(s, cfg)) == 2


def test_mark_ready_from_the_counter(qtbot, app: CounterApp, store: Store, cfg) -> None:  # noqa: ANN001
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-1", "DD")
    app.window.set_lang("en")
    dialog = _dialog(qtbot, app, Qt.Key.Key_F11)
    assert dialog.windowTitle() == "Results ready"
    _scan(qtbot, dialog.code, "hs-1")
    qtbot.waitUntil(lambda: dialog.message.text() == "Marked ready: HS-1", timeout=SETTLE_MS)
    _scan(qtbot, dialog.code, "HS-404")
    qtbot.waitUntil(lambda: "No dossier HS-404" in dialog.message.text(), timeout=SETTLE_MS)
    with store.session() as s:
        assert dossiers.find(s, cfg, "HS-1").state == DossierState.READY
    with store.session() as s:
        assert [d.code for d in dossiers.list_dossiers(s, cfg)] == ["HS-1"]


def test_hand_over_at_the_results_counter(qtbot, app: CounterApp, store: Store, cfg) -> None:  # noqa: ANN001
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-2", "DD")
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-3", "DD")
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["HS-2"])
    qtbot.keyClick(app.window, Qt.Key.Key_F11, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: app.window.dossiers.dialog is not None and app.window.dossiers.dialog.isVisible(),
                    timeout=SETTLE_MS)
    dialog = app.window.dossiers.dialog
    assert dialog is not None and dialog.mode == "returned"
    qtbot.waitUntil(dialog.code.hasFocus, timeout=SETTLE_MS)
    _scan(qtbot, dialog.code, "HS-2")
    qtbot.waitUntil(lambda: dialog.message.text() == "Đã trả kết quả: HS-2", timeout=SETTLE_MS)
    _scan(qtbot, dialog.code, "HS-3")  # not ready yet: refused
    qtbot.waitUntil(lambda: "chỉ trả kết quả đã sẵn sàng" in dialog.message.text(), timeout=SETTLE_MS)
    with store.session() as s:
        assert [d.state for d in dossiers.list_dossiers(s, cfg)] == [DossierState.RETURNED, DossierState.RECEIVED]
