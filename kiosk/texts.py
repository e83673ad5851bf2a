"""Every sentence the kiosk shows, Vietnamese first, English second; ``t`` translates them.

Citizens are addressed as "ông/bà" (never "bạn"), as in a public office.
"""

from __future__ import annotations

from datetime import datetime

from lobby.i18n import Translator, weekday_name

CATALOGUE: dict[str, tuple[str, str]] = {
    "choose_service": ("Chạm vào dịch vụ cần làm để lấy số thứ tự", "Touch the service you need to take a number"),
    "priority": ("Ưu tiên", "Priority"),
    "priority_hint": (
        "Người cao tuổi, người khuyết tật, phụ nữ mang thai, người có công, người đi cùng trẻ nhỏ",
        "Elderly, disabled, pregnant, people with merit, with a small child",
    ),
    "other_lang": ("English", "Tiếng Việt"),
    "waiting_n": ("{n} người đang chờ", "{n} waiting"),
    "page": ("Trang {page}/{pages}", "Page {page}/{pages}"),
    "prev": ("◀ Trang trước", "◀ Previous"),
    "next": ("Trang sau ▶", "Next ▶"),
    "back": ("◀ Quay lại", "◀ Back"),
    "your_number": ("SỐ THỨ TỰ CỦA ÔNG/BÀ", "YOUR NUMBER"),
    "ahead_n": ("Có {n} người đang chờ trước ông/bà", "{n} people are waiting before you"),
    "ahead_0": ("Không có ai chờ trước ông/bà", "Nobody is waiting before you"),
    "wait_m": ("Thời gian chờ dự kiến: khoảng {m} phút", "Estimated wait: about {m} min"),
    "wait_0": ("Ông/bà sẽ được gọi ngay", "You will be called shortly"),
    "printing": ("Đang in vé…", "Printing your ticket…"),
    "printed": ("Mời nhận vé ở khe máy in bên dưới", "Please take your ticket below"),
    "remember": ("Vé chưa in được.\nVui lòng ghi nhớ số trên",
                 "The ticket did not print.\nPlease remember this number"),
    "remember_more": (
        "Số vẫn hợp lệ. Xin báo bảo vệ hoặc cán bộ\nđể được in lại vé.",
        "Your number is valid. Please ask the guard\nor a staff member to reprint your ticket.",
    ),
    "noted": ("Tôi đã ghi nhớ số", "I have noted my number"),
    "touch_to_close": ("Chạm vào màn hình để quay lại", "Touch the screen to go back"),
    "priority_group": ("Ưu tiên: {group}", "Priority: {group}"),
    "choose_group": ("Ông/bà thuộc nhóm ưu tiên nào?", "Which priority group are you in?"),
    "needs_pin": ("Cần xác nhận của cán bộ", "A staff member confirms"),
    "pin_for_group": ("Cán bộ nhập mã PIN để xác nhận: {group}", "Staff PIN to confirm: {group}"),
    "choose_service_priority": ("Vé ưu tiên ({group}): chọn dịch vụ", "Priority ticket ({group}): choose the service"),
    "cancel_priority": ("Hủy ưu tiên", "Cancel priority"),
    "printer_banner": (
        "Máy in vé đang gặp sự cố — bảo vệ đã được báo. Ông/bà vẫn lấy được số, vui lòng ghi nhớ số.",
        "The ticket printer has a problem — the guard has been told. You can still take a number; please remember it.",
    ),
    "store_down": ("Tạm ngưng cấp số, vui lòng chờ trong giây lát", "Ticket issuing is paused, please wait a moment"),
    "store_down_more": ("Hệ thống đang tự kết nối lại…", "The system is reconnecting by itself…"),
    "attract": ("Chạm vào màn hình để lấy số thứ tự", "Touch the screen to take a number"),
    "guard_pin": ("Bảo vệ nhập mã PIN", "Guard PIN"),
    "guard_title": ("Bảo vệ trực: {name}", "Guard on duty: {name}"),
    "guard_priority": ("Cấp vé ưu tiên", "Issue a priority ticket"),
    "guard_reprint_last": ("In lại vé vừa cấp ({number})", "Reprint the last ticket ({number})"),
    "guard_reprint_last_none": ("In lại vé vừa cấp", "Reprint the last ticket"),
    "guard_reprint_number": ("In lại vé theo số…", "Reprint a given number…"),
    "guard_check_printer": ("Kiểm tra máy in", "Check the printer"),
    "guard_exit": ("Thoát ứng dụng (quản lý)", "Quit the app (manager)"),
    "guard_close": ("Đóng", "Close"),
    "guard_unprinted": ("Vé đã cấp nhưng chưa in: {n} — chạm để in lại",
                        "Tickets issued but never printed: {n} — tap to reprint"),
    "guard_reprint_one": ("In lại {number}", "Reprint {number}"),
    "guard_printer": ("Máy in: {status}", "Printer: {status}"),
    "guard_waiting": ("Số người đang chờ theo dịch vụ", "People waiting per service"),
    "guard_closes": ("Tự đóng sau {s} giây không thao tác", "Closes after {s} s without a touch"),
    "reprint_title": ("Chọn chữ cái và nhập số cần in lại", "Choose the letter and type the number to reprint"),
    "manager_pin": ("Quản lý nhập mã PIN để thoát ứng dụng", "Manager PIN to quit the app"),
    "reprinted": ("Đã gửi lệnh in lại số {number}", "Reprint of {number} sent"),
    "printer_ok": ("Sẵn sàng", "Ready"),
    "printer_checking": ("Đang kiểm tra…", "Checking…"),
    "remark_qr": ("Góp ý, phản ánh — quét mã", "Remarks and complaints — scan"),
    "store_error": ("Không cấp được số: {message}", "No ticket issued: {message}"),
}

t = Translator(CATALOGUE)


def clock_text(at: datetime, lang: str = "vi") -> str:
    """"Thứ Sáu, 28/11/2026 · 08:15" (local time already)."""
    return f"{weekday_name(at.date(), lang)}, {at:%d/%m/%Y} · {at:%H:%M}"
