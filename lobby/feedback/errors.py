"""The errors of the feedback rules: each names what is wrong and what to do, in Vietnamese then English."""
from __future__ import annotations

from lobby.errors import LobbyError


class UnknownReason(LobbyError, ValueError):
    def __init__(self, code: str, known: list[str]) -> None:
        names = ", ".join(known)
        super().__init__(f"Lý do «{code}» không có trong cấu hình; chọn một trong: {names}.",
                         f"Reason {code!r} is not configured; use one of: {names}.")


class TooManyReasons(LobbyError, ValueError):
    def __init__(self, given: int, limit: int) -> None:
        super().__init__(f"Đã chọn {given} lý do; chỉ được chọn tối đa {limit}. Vui lòng bỏ bớt.",
                         f"{given} reasons chosen; at most {limit} are allowed. Please remove some.")


class ReasonsAlreadyGiven(LobbyError):
    def __init__(self, number: str) -> None:
        super().__init__(f"Lý do đánh giá của số {number} đã được ghi nhận.",
                         f"The reasons for ticket {number}'s rating are already recorded.")


class NotRated(LobbyError):
    def __init__(self, number: str) -> None:
        super().__init__(f"Số {number} chưa được đánh giá; hãy chọn mức đánh giá trước.",
                         f"Ticket {number} has not been rated; choose a rating first.")


class RatingClosed(LobbyError):
    def __init__(self, number: str, hours: int) -> None:
        super().__init__(f"Đã quá {hours} giờ sau khi phục vụ số {number}; không thể đánh giá nữa. "
                         "Ông/bà vẫn có thể gửi góp ý.",
                         f"More than {hours} hours have passed since ticket {number} was served; it can no longer "
                         "be rated. A remark can still be sent.")


class TextTooLong(LobbyError, ValueError):
    def __init__(self, field_vi: str, field_en: str, length: int, limit: int) -> None:
        super().__init__(f"{field_vi} dài {length} ký tự, vượt giới hạn {limit} ký tự. "
                         f"Vui lòng rút gọn thêm {length - limit} ký tự; nội dung đã nhập vẫn được giữ.",
                         f"The {field_en} is {length} characters, over the limit of {limit}. "
                         f"Please shorten it by {length - limit}; what was typed is kept.")


class TextEmpty(LobbyError, ValueError):
    def __init__(self, field_vi: str, field_en: str) -> None:
        super().__init__(f"{field_vi} đang để trống; vui lòng nhập nội dung.",
                         f"The {field_en} is empty; please write something.")


class TextInvalid(LobbyError, ValueError):
    def __init__(self, field_vi: str, field_en: str) -> None:
        super().__init__(f"{field_vi} chứa ký tự không hợp lệ (ký tự NUL); vui lòng nhập lại phần đó.",
                         f"The {field_en} contains an invalid character (NUL); please retype that part.")


class RemarkNotFound(LobbyError):
    def __init__(self, remark_id: int) -> None:
        super().__init__(f"Không có góp ý số {remark_id}; kiểm tra lại số trong hộp thư.",
                         f"There is no remark {remark_id}; check the number in the inbox.")


class RemarkClosed(LobbyError):
    def __init__(self, remark_id: int) -> None:
        super().__init__(f"Góp ý số {remark_id} đã đóng; không thể thay đổi nữa.",
                         f"Remark {remark_id} is closed; it can no longer be changed.")


class RemarksRateLimited(LobbyError):
    def __init__(self, minutes: int) -> None:
        super().__init__(f"Đã gửi quá nhiều góp ý từ thiết bị này; vui lòng thử lại sau khoảng {minutes} phút.",
                         f"Too many remarks from this device; please try again in about {minutes} minutes.")
