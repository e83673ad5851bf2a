"""Signing in and out at a counter: refusals, lockout, one official per counter, idle sign-out."""
from __future__ import annotations

from counter.texts import t
from counter_helpers import PIN, FakeMonotonic, sign_in
from lobby import queue
from lobby.staffing import counters
from lobby.staffing.counters import counter_infos
from support import SETTLE_MS


def holder(store, cfg, number: int) -> str | None:
    with store.session() as s:
        return next(c for c in counter_infos(s, cfg) if c.number == number).staff


def submit(qtbot, app, username: str, pin: str, counter: int | None = None) -> str:
    """Submit the real form and wait for the refusal shown on it."""
    screen = app.window.sign_in
    if counter is not None:
        screen.counter_box.setCurrentIndex(screen.counter_box.findData(counter))
    screen.username.setText(username)
    screen.pin.setText(pin)
    with qtbot.waitSignal(app.controller.sign_in_failed, timeout=SETTLE_MS):
        qtbot.mouseClick(screen.button, qtbot_left())
    assert screen.error.isVisible() and screen.button.isEnabled()
    assert screen.pin.text() == ""  # a refused PIN is cleared
    return screen.error.text()


def qtbot_left():  # noqa: ANN201 - tiny helper
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_sign_in_shows_the_work_screen(qtbot, apps, store, cfg) -> None:
    app = apps.window()
    sign_in(qtbot, app, "an", counter=4)
    work = app.window.work
    assert app.window.stack.currentWidget() is work
    assert "Nguyễn Văn An" in work.official.text()
    assert work.counter_label.text() == cfg.counter(4).label("vi")  # the name in the config
    assert holder(store, cfg, 4) == "an"
    qtbot.waitUntil(lambda: work.state.text() == "Đang mở", timeout=SETTLE_MS)


def test_counter_fixed_by_the_machine_cannot_be_changed(qtbot, apps) -> None:
    app = apps.window(fixed_counter=7)
    box = app.window.sign_in.counter_box
    assert not box.isEnabled() and box.currentData() == 7
    sign_in(qtbot, app, "an")
    assert app.controller.counter == 7


def test_wrong_pin_says_how_many_tries_are_left_then_locks(qtbot, apps, store, cfg) -> None:
    app = apps.window()
    limit = cfg.security.pin_max_attempts
    for tries_left in range(limit - 1, 0, -1):
        text = submit(qtbot, app, "an", "9999", counter=3)
        assert f"Còn {tries_left} lần thử" in text
    text = submit(qtbot, app, "an", "9999", counter=3)
    assert "bị khóa" in text and "an" in text
    # even the right PIN is refused while locked
    text = submit(qtbot, app, "an", PIN, counter=3)
    assert "bị khóa" in text
    assert app.window.stack.currentWidget() is app.window.sign_in
    assert holder(store, cfg, 3) is None


def test_unknown_user_is_named(qtbot, apps) -> None:
    app = apps.window()
    assert "Không có tài khoản zoe" in submit(qtbot, app, "zoe", PIN)


def test_empty_fields_are_refused_before_asking_the_store(qtbot, apps) -> None:
    app = apps.window()
    screen = app.window.sign_in
    screen.button.click()
    assert screen.error.text() == "Nhập tên đăng nhập."
    screen.username.setText("an")
    screen.pin.setText("12")
    screen.button.click()
    assert "4 đến 8 chữ số" in screen.error.text()
    assert screen.button.isEnabled()


def test_second_official_at_a_held_counter_is_refused_with_the_holder(qtbot, apps, store, cfg) -> None:
    first = apps.window(fixed_counter=5)
    sign_in(qtbot, first, "an")
    second = apps.window(fixed_counter=5)
    text = submit(qtbot, second, "binh", PIN)
    assert "Quầy số 5 đang do Nguyễn Văn An (an) đăng nhập" in text
    assert holder(store, cfg, 5) == "an"
    # once the first signs out, the second gets in
    first.window.work.sign_out_button.click()
    qtbot.waitUntil(lambda: holder(store, cfg, 5) is None, timeout=SETTLE_MS)
    sign_in(qtbot, second, "binh")
    assert holder(store, cfg, 5) == "binh"


def test_sign_out_button_releases_the_counter(qtbot, apps, store, cfg) -> None:
    app = apps.window(fixed_counter=2)
    sign_in(qtbot, app, "an")
    with qtbot.waitSignal(app.controller.signed_out, timeout=SETTLE_MS):
        app.window.work.sign_out_button.click()
    assert app.window.stack.currentWidget() is app.window.sign_in
    assert app.window.sign_in.info.text() == "Đã đăng xuất."
    qtbot.waitUntil(lambda: holder(store, cfg, 2) is None, timeout=SETTLE_MS)
    with store.session() as s:
        assert [c.state for c in counters.counter_infos(s, cfg) if c.number == 2] == ["closed"]


def test_idle_official_is_signed_out(qtbot, apps, store, cfg) -> None:
    clock = FakeMonotonic()  # the idle time is the clock's: no race with the first view on a slow machine
    app = apps.window(fixed_counter=2, idle_signout_s=60, monotonic=clock)
    sign_in(qtbot, app, "an")
    with qtbot.waitSignal(app.controller.signed_out, timeout=SETTLE_MS):
        clock.advance(61)
    assert "tự động đăng xuất" in app.window.sign_in.info.text()
    qtbot.waitUntil(lambda: holder(store, cfg, 2) is None, timeout=SETTLE_MS)


def test_activity_in_the_window_restarts_the_idle_clock(qtbot, apps) -> None:
    clock = FakeMonotonic()
    app = apps.window(fixed_counter=2, idle_signout_s=60, monotonic=clock)
    sign_in(qtbot, app, "an")
    clock.advance(50)
    qtbot.mouseClick(app.window.work.queue, qtbot_left())
    assert app.controller.idle_s() == 0
    clock.advance(50)
    qtbot.keyClick(app.window.work, "x")
    assert app.controller.idle_s() == 0
    clock.advance(50)
    app.controller.check_idle()
    assert app.controller.staff is not None  # 150 s signed in, but only 50 s since the last key
    with qtbot.waitSignal(app.controller.signed_out, timeout=SETTLE_MS):
        clock.advance(11)


def test_signed_in_elsewhere_leaves_this_counter(qtbot, apps, store, cfg) -> None:
    """One official, one counter: signing in at another counter ends the session here."""
    app = apps.window(fixed_counter=2)
    sign_in(qtbot, app, "an")
    with qtbot.waitSignal(app.controller.signed_out, timeout=SETTLE_MS):
        with store.session() as s:
            counters.sign_in(s, cfg, 3, "an", PIN)
    assert app.window.sign_in.info.text() == t("taken_over", "vi", counter=2)


def test_english_sign_in_refusal(qtbot, apps, store, cfg) -> None:
    app = apps.window(lang="en")
    assert app.window.sign_in.button.text() == "Sign in"
    text = submit(qtbot, app, "an", "9999", counter=1)
    assert text.startswith("Wrong PIN.")
    app.window.sign_in.lang_button.click()
    assert app.window.sign_in.button.text() == "Đăng nhập"
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DKKD")
    sign_in(qtbot, app, "an", counter=1)
    assert app.window.work.sign_out_button.text() == "Đăng xuất"
