"""Colours, sizes and bilingual text of the hallway board (Vietnamese first, English second)."""

from __future__ import annotations

import unicodedata
from datetime import datetime

BACKGROUND = "#0a2342"
PANEL = "#12325c"
PANEL_LINE = "#23497d"
TEXT = "#ffffff"
MUTED = "#a9bfdc"
ACCENT = "#ffc72c"  # the called number
ACCENT_DARK = "#0a2342"
HIGHLIGHT_ROW = "#ffc72c"
TICKER_BG = "#b3261e"

BLINK_MS = 500

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

TEXTS: dict[str, tuple[str, str]] = {
    "now_calling": ("Mời số", "Now calling"),
    "last_called": ("Số vừa gọi", "Last called"),
    "to_counter": ("Quầy", "Counter"),
    "number": ("Số", "Number"),
    "counter": ("Quầy", "Counter"),
    "waiting": ("Đang chờ", "Waiting"),
    "welcome": ("Xin mời lấy số tại máy cấp số", "Please take a ticket at the kiosk"),
    "no_calls": ("Chưa có số nào được gọi", "No number called yet"),
    "recent": ("Các số vừa gọi", "Recent calls"),
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def t(key: str, lang: str = "vi") -> str:
    """The text in the board's first language."""
    vi, en = TEXTS[key]
    return nfc(en if lang == "en" else vi)


def t2(key: str, lang: str = "vi") -> str:
    """The text in the board's second language."""
    vi, en = TEXTS[key]
    return nfc(vi if lang == "en" else en)


def long_date(now: datetime, lang: str = "vi") -> str:
    """``Thứ Ba, 04/03/2025`` (vi) or ``Tuesday, 04/03/2025`` (en)."""
    names = WEEKDAYS_EN if lang == "en" else WEEKDAYS_VI
    return nfc(f"{names[now.weekday()]}, {now:%d/%m/%Y}")
