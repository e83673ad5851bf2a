"""Every text of the hallway board, Vietnamese first, English second; ``t`` translates them.

The board shows each text twice: large in its first language and small in the other
(``t(key, other_lang(lang))``).
"""

from __future__ import annotations

from datetime import datetime

from lobby.i18n import Translator, nfc, weekday_name

CATALOGUE: dict[str, tuple[str, str]] = {
    "now_calling": ("Mời số", "Now calling"),
    "last_called": ("Số vừa gọi", "Last called"),
    "to_counter": ("Quầy", "Counter"),
    "number": ("Số", "Number"),
    "counter": ("Quầy", "Counter"),
    "waiting": ("Đang chờ", "Waiting"),
    "welcome": ("Xin mời lấy số tại máy cấp số", "Please take a ticket at the kiosk"),
    "no_calls": ("Chưa có số nào được gọi", "No number called yet"),
    "recent": ("Các số vừa gọi", "Recent calls"),
    "stale": ("Mất kết nối — số trên bảng có thể chưa cập nhật",
              "Connection lost — the numbers shown may be out of date"),
}

t = Translator(CATALOGUE)


def long_date(now: datetime, lang: str = "vi") -> str:
    """``Thứ Ba, 04/03/2025`` (vi) or ``Tuesday, 04/03/2025`` (en)."""
    return nfc(f"{weekday_name(now.date(), lang)}, {now:%d/%m/%Y}")
