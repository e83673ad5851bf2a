"""The one way Lobby Queue translates: catalogues of (Vietnamese, English) pairs and one function.

Every app keeps its own catalogue next to its screens (``kiosk/texts.py``, ``counter/texts.py``,
``display/texts.py``, ``web/texts.py``) and builds its ``t`` with :class:`Translator`, which also
knows the shared words below (ticket states, counter states, ratings, roles), so those read the
same everywhere. Weekday and month names live here once. Text is NFC-normalised on the way out.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date

LANGS = ("vi", "en")

Catalogue = Mapping[str, tuple[str, str]]

SHARED: dict[str, tuple[str, str]] = {
    "status.waiting": ("Đang chờ", "Waiting"),
    "status.called": ("Đã gọi", "Called"),
    "status.serving": ("Đang phục vụ", "Serving"),
    "status.parked": ("Tạm gác", "Parked"),
    "status.done": ("Đã xong", "Done"),
    "status.no_show": ("Vắng mặt", "No-show"),
    "status.cancelled": ("Đã hủy", "Cancelled"),
    "status.expired": ("Hết hạn", "Expired"),
    "counter.open": ("Đang mở", "Open"),
    "counter.paused": ("Tạm nghỉ", "On a break"),
    "counter.closed": ("Đóng", "Closed"),
    "rating.very_satisfied": ("Rất hài lòng", "Very satisfied"),
    "rating.satisfied": ("Hài lòng", "Satisfied"),
    "rating.not_satisfied": ("Không hài lòng", "Not satisfied"),
    "role.official": ("Cán bộ", "Official"),
    "role.guard": ("Bảo vệ", "Guard"),
    "role.manager": ("Quản lý", "Manager"),
    "word.ticket": ("Số thứ tự", "Ticket"),
    "word.counter": ("Quầy", "Counter"),
    "word.service": ("Dịch vụ", "Service"),
    "word.waiting": ("Đang chờ", "Waiting"),
    "word.priority": ("Ưu tiên", "Priority"),
    "word.nobody_waiting": ("Không có ai đang chờ.", "Nobody is waiting."),
    "word.minutes": ("phút", "min"),
}

CATALOGUE = SHARED

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS: dict[str, tuple[str, ...]] = {
    "vi": tuple(f"Tháng {m}" for m in range(1, 13)),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}


def nfc(text: str) -> str:
    """Unicode NFC: one code point per accented letter, as Vietnamese text is stored and compared."""
    return unicodedata.normalize("NFC", text)


def translate(catalogue: Catalogue, key: str, lang: str = "vi", **kw: object) -> str:
    """The text for ``key`` in ``lang`` (Vietnamese when the language is unknown); the key itself if missing."""
    pair = catalogue.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return nfc(text.format(**kw) if kw else text)


class Translator:
    """An app's ``t(key, lang, **kw)``: its own catalogue first, then the shared words."""

    def __init__(self, *catalogues: Catalogue) -> None:
        merged: dict[str, tuple[str, str]] = dict(SHARED)
        for catalogue in catalogues:
            merged.update(catalogue)
        self.catalogue = merged

    def __call__(self, key: str, lang: str = "vi", **kw: object) -> str:
        return translate(self.catalogue, key, lang, **kw)


def tr(key: str, lang: str = "vi", **kw: object) -> str:
    """A shared word (see :data:`SHARED`) in ``lang``."""
    return translate(SHARED, key, lang, **kw)


def weekday_name(day: date | int, lang: str = "vi") -> str:
    """``day`` a date, or an ISO weekday number (Monday = 1)."""
    index = (day.isoweekday() if isinstance(day, date) else day) - 1
    return WEEKDAYS["en" if lang == "en" else "vi"][index]


def month_name(month: int, lang: str = "vi") -> str:
    return MONTHS["en" if lang == "en" else "vi"][month - 1]


def pick(lang: str, vi: str, en: str) -> str:
    """For a sentence built at run time from data (names from the config); fixed words belong in a catalogue."""
    return en if lang == "en" else vi


def other_lang(lang: str) -> str:
    """The second of the two languages: the small line under the first on bilingual screens."""
    return "vi" if lang == "en" else "en"
