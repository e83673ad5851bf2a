"""The work screen: every action by button and by key, the disabled states, the live queue figures."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter.actions import SHORTCUTS
from counter.dialogs import CallNumberDialog, FinishDialog, ResumeDialog, TransferDialog
from counter_helpers import CounterApp, signed_in_window
from lobby import queue
from lobby.staffing import counters
from lobby.staffing.desk import ACTIONS
from support import SETTLE_MS

LEFT = Qt.MouseButton.LeftButton


def issue(store, cfg, code: str = "DD", n: int = 1, priority: str | None = None) -> list[str]:
    numbers = []
    for _ in range(n):
        with store.session() as s:
            numbers.append(queue.issue_ticket(s, cfg, code, priority=priority).number)
    return numbers


def current(app: CounterApp) -> tuple[str, str] | None:
    view = app.controller.view
    if view is None or view.current is None:
        return None
    return view.current.number, view.current.status


def enabled_buttons(app: CounterApp) -> set[str]:
    return {a for a, b in app.window.work.action_bar.buttons.items() if b.isEnabled()}


def settle(qtbot, app: CounterApp, check) -> None:  # noqa: ANN001
    """Wait until the action finished, the screen shows ``check`` and the buttons are live again."""
    qtbot.waitUntil(lambda: not app.controller.busy and check() and bool(enabled_buttons(app)), timeout=SETTLE_MS)


def press(qtbot, app: CounterApp, action: str) -> None:
    qtbot.mouseClick(app.window.work.action_bar.buttons[action], LEFT)


def key(qtbot, app: CounterApp, action: str, which: int = 0) -> None:
    qtbot.keyClick(app.window, SHORTCUTS[action][which] if len(SHORTCUTS[action][which]) == 1 else getattr(
        Qt.Key, f"Key_{SHORTCUTS[action][which]}"))


@pytest.fixture
def app(qtbot, apps) -> CounterApp:  # noqa: ANN001
    return signed_in_window(qtbot, apps, 4)


def test_idle_screen_state(qtbot, app, store, cfg) -> None:
    work = app.window.work
    assert work.ticket.number.text() == "—"
    assert work.ticket.status.text() == "CHƯA GỌI SỐ"
    assert enabled_buttons(app) == {"next", "call_number", "pause"}
    for action, button in work.action_bar.buttons.items():
        assert button.key.text(), f"{action} shows no shortcut"
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert work.action_bar.buttons["next"].key.text() == "Space / Enter"


def test_next_by_button_shows_the_ticket_large(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD")
    issue(store, cfg, "TNMT")
    press(qtbot, app, "next")
    settle(qtbot, app, lambda: current(app) == ("B001", "called"))
    t = app.window.work.ticket
    assert t.number.text() == "B001" and t.service.text() == "Đất đai"
    assert t.status.text() == "ĐANG MỜI" and t.detail.text().startswith("Đã chờ")
    assert not t.priority.isVisible()
    assert app.window.work.message.text() == "Đã mời số B001."
    assert enabled_buttons(app) == set(ACTIONS) - {"pause", "resume"}


@pytest.mark.parametrize("which", [0, 1, 2])
def test_next_by_space_and_enter(qtbot, app, store, cfg, which) -> None:
    issue(store, cfg, "DD", 2)
    qtbot.keyClick(app.window, [Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter][which])
    settle(qtbot, app, lambda: current(app) == ("B001", "called"))


def test_priority_ticket_shows_its_group(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD")
    issue(store, cfg, "DD", priority="elderly")
    key(qtbot, app, "next", 0)
    settle(qtbot, app, lambda: current(app) == ("B002", "called"))
    assert app.window.work.ticket.priority.isVisible()
    assert app.window.work.ticket.priority.text() == "Ưu tiên: Người cao tuổi"


def test_nobody_waiting_is_said_not_an_error(qtbot, app) -> None:
    press(qtbot, app, "next")
    qtbot.waitUntil(lambda: app.window.work.message.text() != "", timeout=SETTLE_MS)
    assert app.window.work.message_level == "info"
    assert "Không còn ai chờ" in app.window.work.message.text()


def test_recall_serve_finish_by_keys(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD", 2)
    key(qtbot, app, "next")
    settle(qtbot, app, lambda: current(app) == ("B001", "called"))
    key(qtbot, app, "recall")
    settle(qtbot, app, lambda: app.controller.view.current.call_count == 2)
    assert "Đã gọi 2 lần" in app.window.work.ticket.detail.text()
    key(qtbot, app, "serve")
    settle(qtbot, app, lambda: current(app) == ("B001", "serving"))
    assert app.window.work.ticket.status.text() == "ĐANG PHỤC VỤ"
    assert enabled_buttons(app) == {"next", "finish", "transfer", "park", "call_number"}
    key(qtbot, app, "finish")
    dialog = app.window.work.dialog
    assert isinstance(dialog, FinishDialog) and dialog.isVisible()
    dialog.note.insert("Đủ hồ sơ")  # QTest types ASCII only
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter confirms, it does not call the next citizen
    settle(qtbot, app, lambda: current(app) is None and app.controller.view.figures.served == 1)
    with store.session() as s:
        done = queue.find_ticket(s, cfg, "B001")
    assert done.status == "done" and done.note == "Đủ hồ sơ"
    assert app.window.work.message.text() == "Đã kết thúc số B001."
    assert "B002" in app.window.work.queue.next_label.text()


def test_finish_without_note_by_button(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD")
    press(qtbot, app, "next")
    settle(qtbot, app, lambda: current(app) is not None)
    press(qtbot, app, "finish")
    dialog = app.window.work.dialog
    qtbot.mouseClick(dialog.ok_button, LEFT)
    settle(qtbot, app, lambda: current(app) is None)
    with store.session() as s:
        assert queue.find_ticket(s, cfg, "B001").note is None


def test_cancelled_dialog_changes_nothing(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD")
    press(qtbot, app, "next")
    settle(qtbot, app, lambda: current(app) is not None)
    press(qtbot, app, "finish")
    qtbot.mouseClick(app.window.work.dialog.cancel_button, LEFT)
    assert current(app) == ("B001", "called")
    # Space while a dialog is open does not call the next citizen either
    press(qtbot, app, "transfer")
    qtbot.keyClick(app.window, Qt.Key.Key_Space)
    assert not app.controller.busy and current(app) == ("B001", "called")


def test_no_show_by_key(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD")
    key(qtbot, app, "next")
    settle(qtbot, app, lambda: current(app) is not None)
    key(qtbot, app, "no_show")
    settle(qtbot, app, lambda: current(app) is None and app.controller.view.figures.no_shows == 1)
    with store.session() as s:
        assert queue.find_ticket(s, cfg, "B001").status == "no_show"


def test_transfer_picks_the_service(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD")
    press(qtbot, app, "next")
    settle(qtbot, app, lambda: current(app) is not None)
    key(qtbot, app, "transfer")
    dialog = app.window.work.dialog
    assert isinstance(dialog, TransferDialog)
    assert "DD" not in dialog.choice_buttons  # not to its own service
    qtbot.mouseClick(dialog.choice_buttons["HT"], LEFT)
    settle(qtbot, app, lambda: current(app) is None)
    with store.session() as s:
        moved = queue.find_ticket(s, cfg, "B001")
    assert moved.status == "waiting" and moved.service == "HT"
    assert "Hộ tịch" in app.window.work.message.text()


def test_park_and_resume(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD", 3)
    press(qtbot, app, "next")
    settle(qtbot, app, lambda: current(app) == ("B001", "called"))
    key(qtbot, app, "park")
    settle(qtbot, app, lambda: current(app) is None and len(app.controller.view.parked) == 1)
    assert app.window.work.queue.parked_list.count() == 1
    assert "resume" in enabled_buttons(app)
    press(qtbot, app, "next")
    settle(qtbot, app, lambda: current(app) == ("B002", "called"))
    press(qtbot, app, "park")
    settle(qtbot, app, lambda: len(app.controller.view.parked) == 2)
    # one parked: resumed at once; two: the official picks
    key(qtbot, app, "resume")
    dialog = app.window.work.dialog
    assert isinstance(dialog, ResumeDialog) and set(dialog.choice_buttons) == {"B001", "B002"}
    qtbot.mouseClick(dialog.choice_buttons["B001"], LEFT)
    settle(qtbot, app, lambda: current(app) == ("B001", "called") and len(app.controller.view.parked) == 1)
    key(qtbot, app, "resume")  # finishes B001, brings B002 back
    settle(qtbot, app, lambda: current(app) == ("B002", "called") and not app.controller.view.parked)
    assert "resume" not in enabled_buttons(app)


def test_call_a_number(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD", 3)
    key(qtbot, app, "call_number")
    dialog = app.window.work.dialog
    assert isinstance(dialog, CallNumberDialog)
    qtbot.keyClicks(dialog.number, "b003")
    assert dialog.number.text() == "B003"
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    settle(qtbot, app, lambda: current(app) == ("B003", "called"))


def test_call_an_unknown_number_is_explained(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD")
    press(qtbot, app, "call_number")
    qtbot.keyClicks(app.window.work.dialog.number, "B042")
    qtbot.mouseClick(app.window.work.dialog.ok_button, LEFT)
    qtbot.waitUntil(lambda: app.window.work.message_level == "error", timeout=SETTLE_MS)
    assert "Không tìm thấy số B042" in app.window.work.message.text()
    settle(qtbot, app, lambda: current(app) is None)


def test_break_and_back(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD")
    key(qtbot, app, "pause")
    settle(qtbot, app, lambda: app.controller.view.counter.state == "paused")
    work = app.window.work
    assert enabled_buttons(app) == {"pause"}
    assert work.action_bar.buttons["pause"].name.text() == "Mở lại quầy"
    assert work.ticket.status.text() == "QUẦY ĐANG TẠM NGHỈ"
    assert work.state.text() == "Tạm nghỉ"
    qtbot.keyClick(app.window, Qt.Key.Key_Space)  # Next is off during a break
    assert not app.controller.busy
    key(qtbot, app, "pause")
    settle(qtbot, app, lambda: app.controller.view.counter.state == "open")
    assert work.action_bar.buttons["pause"].name.text() == "Tạm nghỉ"
    press(qtbot, app, "next")
    settle(qtbot, app, lambda: current(app) == ("B001", "called"))
    assert "pause" not in enabled_buttons(app)  # finish first


def test_disabled_buttons_and_keys_do_nothing(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD")
    for action in ("recall", "serve", "finish", "no_show", "transfer", "park", "resume"):
        assert not app.window.work.action_bar.buttons[action].isEnabled()
        key(qtbot, app, action)
        assert not app.controller.busy and app.window.work.dialog is None
    assert current(app) is None
    with store.session() as s:
        assert queue.waiting_counts(s, cfg)["DD"] == 1


def test_double_space_calls_one_citizen(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD", 3)
    qtbot.keyClick(app.window, Qt.Key.Key_Space)
    qtbot.keyClick(app.window, Qt.Key.Key_Space)  # while the first is still running: ignored
    settle(qtbot, app, lambda: current(app) is not None)
    with store.session() as s:
        assert queue.waiting_counts(s, cfg)["DD"] in (1, 2)
    # whichever way the race went, nobody was skipped: B001 was called
    with store.session() as s:
        assert queue.find_ticket(s, cfg, "B001").status in ("called", "done")


def test_queue_panel_follows_the_feed(qtbot, app, store, cfg) -> None:
    panel = app.window.work.queue
    assert set(panel.waiting_rows) == {"DD", "TNMT"}
    issue(store, cfg, "DD", 2)
    issue(store, cfg, "TNMT")
    issue(store, cfg, "HT", 4)  # not this counter's service
    qtbot.waitUntil(lambda: panel.waiting_rows["DD"][1].text() == "2" and panel.waiting_rows["TNMT"][1].text() == "1",
                    timeout=SETTLE_MS)
    assert panel.next_label.text().split() == ["B001", "B002", "K001"]
    # another counter serving the same service takes one: the panel follows, no reload
    with store.session() as s:
        counters.sign_in(s, cfg, 3, "binh", "1234")
    with store.session() as s:
        queue.call_next(s, cfg, 3)
    qtbot.waitUntil(lambda: panel.waiting_rows["DD"][1].text() == "1", timeout=SETTLE_MS)
    assert panel.next_label.text().split() == ["B002", "K001"]


def test_figures_for_today(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD", 2)
    for _ in range(2):
        press(qtbot, app, "next")
        settle(qtbot, app, lambda: current(app) is not None)
        press(qtbot, app, "serve")
        settle(qtbot, app, lambda: (current(app) or ("", ""))[1] == "serving")
        press(qtbot, app, "finish")
        qtbot.mouseClick(app.window.work.dialog.ok_button, LEFT)
        settle(qtbot, app, lambda: current(app) is None)
    qtbot.waitUntil(lambda: app.controller.view.figures.served == 2, timeout=SETTLE_MS)
    text = app.window.work.queue.figures.text()
    assert "Đã phục vụ" in text and "<b>2</b>" in text and "Trung bình mỗi lượt" in text


def test_language_switch_keeps_the_state(qtbot, app, store, cfg) -> None:
    issue(store, cfg, "DD")
    press(qtbot, app, "next")
    settle(qtbot, app, lambda: current(app) is not None)
    work = app.window.work
    qtbot.mouseClick(work.lang_button, LEFT)
    assert work.ticket.status.text() == "CALLING" and work.ticket.service.text() == "Land"
    assert work.action_bar.buttons["next"].name.text() == "Next"
    assert work.message.text() == "Called B001."
    assert work.queue.waiting_title.text() == "WAITING"
    qtbot.mouseClick(work.lang_button, LEFT)
    assert work.ticket.status.text() == "ĐANG MỜI"
