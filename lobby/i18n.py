"""One catalogue of the words the apps and the command line share, Vietnamese first.

Screens keep their own sentences next to their widgets; what is here are the words
that must read the same everywhere: ticket states, counter states, ratings, roles.
"""
from __future__ import annotations

LANGS = ("vi", "en")

CATALOGUE: dict[str, tuple[str, str]] = {
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


def tr(key: str, lang: str = "vi", **kw: object) -> str:
    """The text for ``key`` in ``lang`` (Vietnamese when the language is unknown); the key itself if missing."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**kw) if kw else text


def pick(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi
