"""Every text of the counter app, Vietnamese first, English second; ``t`` translates them.

Counter states and ratings are the shared words of :mod:`lobby.i18n` (``counter.open``,
``rating.satisfied``…), so they read the same in every app.
"""
from __future__ import annotations

from lobby.i18n import Translator

CATALOGUE: dict[str, tuple[str, str]] = {
    # sign-in
    "app_title": ("Quầy tiếp nhận", "Service counter"),
    "signin_title": ("Đăng nhập quầy", "Counter sign-in"),
    "username": ("Tên đăng nhập", "Username"),
    "pin": ("Mã PIN", "PIN"),
    "counter": ("Quầy", "Counter"),
    "counter_fixed": ("Quầy của máy này", "This machine's counter"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "signing_in": ("Đang kiểm tra…", "Checking…"),
    "need_username": ("Nhập tên đăng nhập.", "Enter your username."),
    "need_pin": ("Nhập mã PIN (4 đến 8 chữ số).", "Enter your PIN (4 to 8 digits)."),
    "idle_signed_out": ("Đã tự động đăng xuất sau {minutes} phút không thao tác.",
                        "Signed out automatically after {minutes} minutes without activity."),
    "taken_over": ("Quầy số {counter} không còn do tài khoản này đăng nhập (đã đăng xuất hoặc đăng nhập ở quầy khác).",
                   "You are no longer signed in at counter {counter} (signed out, or signed in elsewhere)."),
    "signed_out": ("Đã đăng xuất.", "Signed out."),
    # work screen
    "official": ("Cán bộ", "Official"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "lang_switch": ("English", "Tiếng Việt"),
    "status_none": ("Chưa gọi số", "No ticket called"),
    "status_called": ("Đang mời", "Calling"),
    "status_serving": ("Đang phục vụ", "Serving"),
    "status_paused": ("Quầy đang tạm nghỉ", "The counter is on a break"),
    "press_next": ("Bấm «Gọi số tiếp» (Space) để mời công dân tiếp theo.",
                   "Press “Next” (Space) to call the next citizen."),
    "paused_hint": ("Bấm «Mở lại quầy» (F12) để tiếp tục nhận hồ sơ.",
                    "Press “Reopen” (F12) to take citizens again."),
    "priority": ("Ưu tiên", "Priority"),
    "waited": ("Đã chờ {span}", "Waited {span}"),
    "called_times": ("Đã gọi {n} lần", "Called {n} times"),
    "nobody_waiting": ("Không còn ai chờ ở các dịch vụ của quầy này.",
                       "Nobody is waiting for this counter's services."),
    "did_next": ("Đã mời số {number}.", "Called {number}."),
    "did_recall": ("Đã gọi lại số {number}.", "Called {number} again."),
    "did_serve": ("Bắt đầu phục vụ số {number}.", "Serving {number}."),
    "did_finish": ("Đã kết thúc số {number}.", "Finished {number}."),
    "did_no_show": ("Số {number} vắng mặt.", "{number} marked absent."),
    "did_transfer": ("Đã chuyển số {number} sang «{service}».", "Sent {number} to “{service}”."),
    "did_park": ("Đã tạm gác số {number}.", "Set {number} aside."),
    "did_resume": ("Tiếp tục với số {number}.", "Back to {number}."),
    "did_pause": ("Quầy tạm nghỉ.", "Counter on a break."),
    "did_unpause": ("Quầy mở lại.", "Counter reopened."),
    "lost": ("Mất kết nối cơ sở dữ liệu — các nút tạm khóa, đang tự kết nối lại…",
             "Database connection lost — actions are disabled, reconnecting…"),
    # actions (label, shortcut shown on the button)
    "act_next": ("Gọi số tiếp", "Next"),
    "act_recall": ("Gọi lại", "Recall"),
    "act_serve": ("Bắt đầu phục vụ", "Start serving"),
    "act_finish": ("Kết thúc", "Finish"),
    "act_no_show": ("Vắng mặt", "No-show"),
    "act_transfer": ("Chuyển dịch vụ", "Transfer"),
    "act_park": ("Tạm gác", "Park"),
    "act_resume": ("Tiếp tục số đã gác", "Resume parked"),
    "act_call_number": ("Gọi số…", "Call a number…"),
    "act_pause": ("Tạm nghỉ", "Take a break"),
    "act_unpause": ("Mở lại quầy", "Reopen counter"),
    # queue panel
    "waiting_title": ("Đang chờ", "Waiting"),
    "next_title": ("Số tiếp theo", "Next numbers"),
    "parked_title": ("Số đang tạm gác", "Parked"),
    "none": ("(không có)", "(none)"),
    "today_title": ("Hôm nay", "Today"),
    "served": ("Đã phục vụ", "Served"),
    "no_shows": ("Vắng mặt", "No-shows"),
    "avg_service": ("Trung bình mỗi lượt", "Average per citizen"),
    # dialogs
    "finish_title": ("Kết thúc phục vụ", "Finish the service"),
    "finish_note": ("Ghi chú kết quả (không bắt buộc)", "Outcome note (optional)"),
    "transfer_title": ("Chuyển sang dịch vụ", "Transfer to service"),
    "call_title": ("Gọi một số", "Call a number"),
    "call_label": ("Số cần gọi (ví dụ A012)", "Number to call (e.g. A012)"),
    "resume_title": ("Tiếp tục số đã gác", "Resume a parked ticket"),
    "ok": ("Đồng ý", "OK"),
    "cancel": ("Hủy", "Cancel"),
    # rating panel
    "rate_welcome": ("Xin kính chào ông/bà", "Welcome"),
    "rate_officer": ("Cán bộ tiếp nhận", "Receiving official"),
    "rate_no_officer": ("Quầy chưa có cán bộ", "No official at this counter"),
    "rate_question": ("Ông/bà có hài lòng với cán bộ tiếp nhận?",
                      "Are you satisfied with the official who served you?"),
    "rate_ticket": ("Số {number}", "Ticket {number}"),
    "rate_thanks": ("Cảm ơn ông/bà đã đánh giá!", "Thank you for your rating!"),
    "rate_lost": ("Mất kết nối — đánh giá chưa được ghi. Xin vui lòng chạm lại.",
                  "Connection lost — the rating was not saved. Please tap again."),
}


t = Translator(CATALOGUE)
