"""The web app's words, Vietnamese first, English second (see ``lobby.i18n``)."""
from __future__ import annotations

from lobby.i18n import Translator

CATALOGUE: dict[str, tuple[str, str]] = {
    "site.title": ("Theo dõi lượt chờ", "Follow your turn"),
    "lang.switch": ("English", "Tiếng Việt"),
    "ticket.number": ("Số thứ tự", "Your number"),
    "ticket.service": ("Dịch vụ", "Service"),
    "ticket.status": ("Trạng thái", "Status"),
    "ticket.ahead": ("Số người chờ trước ông/bà", "People ahead of you"),
    "ticket.ahead_none": ("Không có ai chờ trước ông/bà", "Nobody is ahead of you"),
    "ticket.wait": ("Thời gian chờ dự kiến", "Estimated wait"),
    "ticket.wait_value": ("khoảng {m} phút", "about {m} min"),
    "ticket.go_to": ("Mời đến quầy số {n}", "Please go to counter {n}"),
    "ticket.go_to_en_sub": ("Please go to counter {n}", "Mời đến quầy số {n}"),
    "ticket.called_hint": ("Số của ông/bà đã được gọi. Vui lòng đến quầy ngay.",
                           "Your number has been called. Please go to the counter now."),
    "ticket.serving": ("Đang phục vụ tại quầy số {n}", "Being served at counter {n}"),
    "ticket.done": ("Đã hoàn tất. Cảm ơn ông/bà.", "Finished. Thank you."),
    "ticket.no_show": ("Số đã được gọi nhưng ông/bà vắng mặt. Vui lòng liên hệ quầy hướng dẫn.",
                       "Your number was called but you were not there. Please ask at the information desk."),
    "ticket.cancelled": ("Số này đã bị hủy.", "This ticket was cancelled."),
    "ticket.expired": ("Số này đã hết hạn (hết ngày làm việc).", "This ticket has expired (the day is over)."),
    "ticket.parked": ("Hồ sơ đang tạm gác tại quầy số {n}.", "Your file is set aside at counter {n}."),
    "ticket.transferred": ("Đã chuyển sang «{service}». Ông/bà giữ nguyên số và thứ tự.",
                           "Moved to “{service}”. You keep your number and your place."),
    "ticket.priority": ("Ưu tiên", "Priority"),
    "ticket.day": ("Ngày", "Date"),
    "ticket.live": ("Tự cập nhật", "Updates live"),
    "ticket.offline": ("Mất kết nối, đang thử lại…", "Connection lost, retrying…"),
    "ticket.reload": ("Tải lại trang", "Reload the page"),
    "ticket.sound": ("Bật âm thanh báo", "Turn on the sound alert"),
    "ticket.privacy": ("Trang này không chứa thông tin cá nhân.", "This page holds no personal data."),
    "notfound.title": ("Không tìm thấy số thứ tự", "Ticket not found"),
    "notfound.body": ("Đường dẫn không đúng hoặc số thứ tự đã hết hạn. Vui lòng quét lại mã QR trên phiếu, "
                      "hoặc hỏi quầy hướng dẫn.",
                      "The link is wrong or the ticket has expired. Please scan the QR code on your ticket "
                      "again, or ask at the information desk."),
    "unavailable.title": ("Hệ thống tạm gián đoạn", "The system is temporarily unavailable"),
    "unavailable.body": ("Vui lòng thử lại sau ít phút. Số thứ tự của ông/bà vẫn còn hiệu lực.",
                         "Please try again in a few minutes. Your ticket is still valid."),
    "slowdown.title": ("Quá nhiều lần thử", "Too many attempts"),
    "slowdown.body": ("Vui lòng đợi {s} giây rồi thử lại.", "Please wait {s} seconds and try again."),
}

t = Translator(CATALOGUE)
