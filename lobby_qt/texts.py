"""The words of the shared Qt pieces (the keypad, the "connection lost" mark); ``t`` translates them."""

from __future__ import annotations

from lobby.i18n import Translator

CATALOGUE: dict[str, tuple[str, str]] = {
    "keypad.clear": ("Xóa", "Clear"),
    "keypad.back": ("⌫", "⌫"),
    "keypad.cancel": ("Hủy", "Cancel"),
    "keypad.ok": ("Đồng ý", "OK"),
    "keypad.busy": ("Đang kiểm tra…", "Checking…"),
    "keypad.too_short": ("Cần ít nhất {n} chữ số", "At least {n} digits, please"),
    "banner.lost": ("Mất kết nối", "Connection lost"),
    "banner.reconnecting": ("đang kết nối lại…", "reconnecting…"),
}

t = Translator(CATALOGUE)
