"""What the apology slip says (*phiếu xin lỗi và hẹn lại ngày trả kết quả*), worded once for every printer.

When a result is late the centre owes the citizen a written apology with a new date.
This module words it (plain data, standard library only, like ``lobby.receipt``);
``printer_drivers.apology`` lays it out with the ticket's own layout helpers.
Citizens are addressed as "ông/bà".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from lobby.i18n import nfc, pick


@dataclass(frozen=True)
class ApologySlip:
    centre_name: str
    title: str  # lines separated by \n
    to_line: str
    facts: tuple[str, ...]  # field, received, promised
    body: str
    new_date_label: str
    new_date: str  # large
    ticket_line: str
    closing: str
    printed_text: str
    footer: str
    name: str  # for a PNG printer's file name

    def __post_init__(self) -> None:
        for key, value in self.__dict__.items():
            if isinstance(value, str):
                object.__setattr__(self, key, nfc(value))


def _when(dt: datetime, tz: ZoneInfo, lang: str) -> str:
    local = dt.astimezone(tz)
    return pick(lang, f"{local:%H} giờ {local:%M}, ngày {local:%d/%m/%Y}", f"{local:%H:%M}, {local:%d %B %Y}")


def apology_slip(*, centre_name: str, code: str, service_name: str, received_at: datetime,
                 first_promised_at: datetime, new_promise: datetime, ticket_number: str | None,
                 priority: bool, printed_at: datetime, tz: ZoneInfo, lang: str = "vi",
                 footer: str = "") -> ApologySlip:
    ticket = ""
    if ticket_number:
        ticket = pick(lang, f"Số thứ tự hôm nay: {ticket_number}" + (" (ưu tiên)" if priority else ""),
                      f"Your ticket today: {ticket_number}" + (" (priority)" if priority else ""))
    return ApologySlip(
        centre_name=centre_name,
        title=pick(lang, "PHIẾU XIN LỖI\nVÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "APOLOGY\nAND NEW DATE FOR YOUR RESULT"),
        to_line=pick(lang, f"Kính gửi: Ông/Bà có hồ sơ mã {code}", f"To the holder of dossier {code}"),
        facts=(
            pick(lang, f"Lĩnh vực: {service_name}", f"Field: {service_name}"),
            pick(lang, f"Ngày tiếp nhận: {_when(received_at, tz, lang)}", f"Received: {_when(received_at, tz, lang)}"),
            pick(lang, f"Hẹn trả kết quả: {_when(first_promised_at, tz, lang)}",
                 f"Promised: {_when(first_promised_at, tz, lang)}"),
        ),
        body=pick(lang,
                  "Đến nay hồ sơ của ông/bà chưa có kết quả như đã hẹn. Trung tâm thành thật xin lỗi ông/bà "
                  "vì sự chậm trễ này và xin hẹn lại ngày trả kết quả:",
                  "Your result was not ready on the promised date. The centre sincerely apologises for the "
                  "delay and sets a new date for your result:"),
        new_date_label=pick(lang, "Ngày hẹn trả mới", "New date"),
        new_date=_when(new_promise, tz, lang),
        ticket_line=ticket,
        closing=pick(lang,
                     "Mong ông/bà thông cảm. Trước khi đến, ông/bà có thể kiểm tra tại ki-ốt «Nhận kết quả» "
                     "hoặc quét mã trên giấy hẹn: nếu chưa có kết quả, ông/bà không phải chờ.",
                     "We ask for your understanding. Before coming, you can check at the \"Collect results\" "
                     "kiosk: if the result is not ready yet, you will not have to wait."),
        printed_text=pick(lang, f"In lúc {printed_at.astimezone(tz):%H:%M %d/%m/%Y}",
                          f"Printed {printed_at.astimezone(tz):%H:%M %d/%m/%Y}"),
        footer=footer,
        name=f"xin-loi-{ticket_number or code}".replace("/", "-")[:60],
    )
