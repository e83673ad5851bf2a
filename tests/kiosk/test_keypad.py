"""The shared on-screen keypad (lobby_qt.keypad)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from lobby_qt.keypad import Keypad
from support import SETTLE_MS


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_masked_entry_back_clear_and_ok(qtbot):
    pad = Keypad(title="Nhập mã PIN", min_len=4)
    qtbot.addWidget(pad)
    for d in "12345":
        click(qtbot, pad.digit_keys[d])
    assert pad.value() == "12345" and "1" not in pad.entry.text() and pad.entry.text().count("●") == 5
    click(qtbot, pad.back_key)
    assert pad.value() == "1234"
    with qtbot.waitSignal(pad.accepted, timeout=SETTLE_MS) as got:
        click(qtbot, pad.ok_key)
    assert got.args == ["1234"]
    click(qtbot, pad.clear_key)
    assert pad.value() == ""
    assert not pad.ok_key.isEnabled()


def test_too_short_busy_error_and_cancel(qtbot):
    pad = Keypad(lang="en", min_len=4, max_len=6)
    qtbot.addWidget(pad)
    for d in "12":
        click(qtbot, pad.digit_keys[d])
    with qtbot.assertNotEmitted(pad.accepted):
        click(qtbot, pad.ok_key)
    assert pad.message_text() == "At least 4 digits, please"
    for d in "3456789":
        click(qtbot, pad.digit_keys[d])
    assert pad.value() == "123456"  # max_len
    pad.set_busy(True)
    click(qtbot, pad.digit_keys["1"])
    assert pad.value() == "123456" and pad.message_text() == "Checking…"
    assert pad.cancel_key.isEnabled() and not pad.ok_key.isEnabled()
    pad.show_error("Wrong PIN. 4 tries left before the account is locked.")
    assert pad.value() == "" and pad.message_text().startswith("Wrong PIN")
    with qtbot.waitSignal(pad.cancelled, timeout=SETTLE_MS):
        click(qtbot, pad.cancel_key)
    pad.set_lang("vi")
    assert (pad.ok_key.text(), pad.cancel_key.text(), pad.clear_key.text()) == ("Đồng ý", "Hủy", "Xóa")


def test_physical_keyboard_and_plain_numbers(qtbot):
    pad = Keypad(masked=False, min_len=1, max_len=4)
    qtbot.addWidget(pad)
    qtbot.keyClicks(pad, "23")
    assert pad.entry.text() == "23"
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    with qtbot.waitSignal(pad.accepted, timeout=SETTLE_MS) as got:
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert got.args == ["2"]
