"""Errors a person can act on.

Every error carries its message in Vietnamese (the default) and English, and names
what is wrong (service, counter, ticket, URL, account) and what to do about it.
"""
from __future__ import annotations

import unicodedata

SHOWN_MAX = 40
#: Unicode categories never stored or echoed raw: control (Cc), format (Cf: bidi overrides,
#: zero-width joiners...), unassigned, private use and surrogates.
REFUSED_CATEGORIES = ("Cc", "Cf", "Cn", "Co", "Cs")


def shown(value: object, limit: int = SHOWN_MAX) -> str:
    """``value`` quoted for a message: control characters escaped, at most ``limit`` characters kept.

    So a megabyte of input is never echoed back whole, nor a terminal escape sequence replayed.
    """
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit and text.strip() == text and text and not any(
            unicodedata.category(ch) in REFUSED_CATEGORIES for ch in text):
        return text  # short and plain: as typed
    cut = text[:limit]
    out = "".join(ch if unicodedata.category(ch) not in REFUSED_CATEGORIES else f"\\u{ord(ch):04x}" for ch in cut)
    more = f"… ({len(text)} ký tự / characters)" if len(text) > limit else ""
    return f"«{out}»{more}"


class LobbyError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(vi)
        self.vi = vi
        self.en = en

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


class ConfigError(LobbyError):
    """A config file is unreadable or invalid; `problems` lists one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        text = "\n".join(problems)
        super().__init__(text, text)
        self.problems = problems


class UnknownService(LobbyError):
    def __init__(self, code: str, known: list[str]) -> None:
        names = ", ".join(known)
        super().__init__(
            f"Không có dịch vụ mã {shown(code)}. Các mã hợp lệ: {names}.",
            f"No service with code {shown(code)}. Valid codes: {names}.",
        )
        self.code = code


class UnknownCounter(LobbyError):
    def __init__(self, number: int, known: list[int]) -> None:
        names = ", ".join(str(n) for n in known)
        super().__init__(
            f"Không có quầy số {number}. Các quầy hợp lệ: {names}.",
            f"No counter number {number}. Valid counters: {names}.",
        )
        self.number = number


class UnknownPriorityGroup(LobbyError):
    def __init__(self, code: str, known: list[str]) -> None:
        names = ", ".join(known)
        super().__init__(
            f"Không có nhóm ưu tiên {shown(code)}. Các nhóm hợp lệ: {names}.",
            f"No priority group {shown(code)}. Valid groups: {names}.",
        )


class ServiceClosed(LobbyError):
    def __init__(self, name_vi: str, name_en: str, hours: str) -> None:
        super().__init__(
            f"Dịch vụ «{name_vi}» chỉ cấp số trong giờ {hours}.",
            f"Service “{name_en}” issues tickets only during {hours}.",
        )


class DailyLimitReached(LobbyError):
    def __init__(self, name_vi: str, name_en: str, limit: int) -> None:
        super().__init__(
            f"Dịch vụ «{name_vi}» đã hết số hôm nay (tối đa {limit} số). Vui lòng quay lại ngày làm việc tiếp theo.",
            f"Service “{name_en}” has issued all {limit} tickets for today. Please come back on the next working day.",
        )


class PriorityNeedsPin(LobbyError):
    def __init__(self, group_vi: str, group_en: str) -> None:
        super().__init__(
            f"Vé ưu tiên «{group_vi}» cần mã PIN của cán bộ hoặc bảo vệ.",
            f"A “{group_en}” priority ticket needs a staff PIN.",
        )


class NoCurrentTicket(LobbyError):
    def __init__(self, counter: int) -> None:
        super().__init__(
            f"Quầy số {counter} chưa gọi số nào. Bấm «Gọi số tiếp» trước.",
            f"Counter {counter} has no current ticket. Press “Next” first.",
        )


class InvalidTransition(LobbyError):
    def __init__(self, number: str, status: str, action_vi: str, action_en: str) -> None:
        super().__init__(
            f"Số {number} đang ở trạng thái «{status}», không thể {action_vi}.",
            f"Ticket {number} is {status}; it cannot be {action_en}.",
        )


class DayStillOpen(LobbyError):
    def __init__(self, closing: str) -> None:
        super().__init__(
            f"Trung tâm còn làm việc đến {closing}: kết thúc ngày bây giờ sẽ hủy số của người đang chờ. "
            "Chạy lại sau giờ đóng cửa, hoặc thêm --force nếu thật sự cần.",
            f"The centre is open until {closing}: closing the day now would expire the tickets of people "
            "still waiting. Run it after closing time, or add --force if you really must.",
        )


class TicketNotFound(LobbyError):
    def __init__(self, number: str, day: str) -> None:
        super().__init__(
            f"Không tìm thấy số {shown(number, 20)} trong ngày {day}.",
            f"No ticket {shown(number, 20)} on {day}.",
        )


class CounterNotOpen(LobbyError):
    def __init__(self, counter: int, state: str, state_en: str | None = None) -> None:
        super().__init__(
            f"Quầy số {counter} đang {state}; mở quầy (hoặc tiếp tục sau giờ nghỉ) rồi gọi số.",
            f"Counter {counter} is {state_en or state}; open it (or resume after the break) before calling.",
        )


class PinRejected(LobbyError):
    def __init__(self, remaining: int) -> None:
        super().__init__(
            f"Mã PIN không đúng. Còn {remaining} lần thử trước khi tài khoản bị khóa.",
            f"Wrong PIN. {remaining} tries left before the account is locked.",
        )
        self.remaining = remaining


class AccountLocked(LobbyError):
    def __init__(self, username: str, until_local: str) -> None:
        super().__init__(
            f"Tài khoản {username} bị khóa do nhập sai PIN nhiều lần, đến {until_local}. Liên hệ quản lý để mở khóa.",
            f"Account {username} is locked after too many wrong PINs until {until_local}. "
            "Ask the manager to unlock it.",
        )
        self.username = username


class NotAllowed(LobbyError):
    def __init__(self, username: str, role: str, needed: str) -> None:
        super().__init__(
            f"Tài khoản {username} ({role}) không có quyền này; cần vai trò: {needed}.",
            f"Account {username} ({role}) may not do this; it needs the role: {needed}.",
        )


class CounterTaken(LobbyError):
    def __init__(self, counter: int, holder: str) -> None:
        super().__init__(
            f"Quầy số {counter} đang do {holder} đăng nhập. Người đó cần đăng xuất trước.",
            f"Counter {counter} is signed in by {holder}. They must sign out first.",
        )
        self.holder = holder


class InvalidRating(LobbyError, ValueError):
    def __init__(self, value: str, allowed: tuple[str, ...]) -> None:
        names = ", ".join(allowed)
        super().__init__(
            f"Mức đánh giá {value!r} không hợp lệ; chọn một trong: {names}.",
            f"Rating {value!r} is not valid; use one of: {names}.",
        )


class AlreadyRated(LobbyError):
    def __init__(self, number: str) -> None:
        super().__init__(
            f"Số {number} đã được đánh giá.",
            f"Ticket {number} has already been rated.",
        )


class StaffExists(LobbyError):
    def __init__(self, username: str) -> None:
        super().__init__(
            f"Đã có tài khoản {shown(username)}. Dùng «staff passwd» để đổi PIN.",
            f"Account {shown(username)} already exists. Use “staff passwd” to change its PIN.",
        )


class UnknownStaff(LobbyError):
    def __init__(self, username: str) -> None:
        super().__init__(
            f"Không có tài khoản {shown(username)}. Dùng «lobby staff list» để xem danh sách.",
            f"No account {shown(username)}. See “lobby staff list”.",
        )


class BadPinFormat(LobbyError):
    def __init__(self, shortest: int = 4, longest: int = 8) -> None:
        super().__init__(
            f"Mã PIN phải gồm {shortest} đến {longest} chữ số 0–9 (quản lý và bảo vệ: ít nhất 6).",
            f"A PIN must be {shortest} to {longest} digits 0-9 (a manager's or guard's: at least 6).",
        )


class BadUsername(LobbyError):
    def __init__(self, shown: str) -> None:
        super().__init__(
            f"Tên đăng nhập {shown} không hợp lệ: dùng 2–32 ký tự a–z, 0–9, dấu chấm, gạch dưới hoặc gạch ngang, "
            "bắt đầu bằng chữ hoặc số.",
            f"Username {shown} is not valid: use 2-32 of a-z, 0-9, dot, underscore or hyphen, "
            "starting with a letter or digit.",
        )


class BadText(LobbyError, ValueError):
    """A free-text input (name, note, source) too long or holding control characters."""

    def __init__(self, field: str, shown: str, limit: int) -> None:
        super().__init__(
            f"{field}: {shown} không hợp lệ: tối đa {limit} ký tự, không có ký tự điều khiển. Sửa lại rồi thử lại.",
            f"{field}: {shown} is not valid: at most {limit} characters, no control characters. Fix it and retry.",
        )


class NumberOutOfRange(LobbyError, ValueError):
    def __init__(self, what: str, shown: str, low: int, high: int) -> None:
        super().__init__(
            f"{what}: {shown} nằm ngoài khoảng cho phép {low}–{high}.",
            f"{what}: {shown} is outside the allowed range {low}-{high}.",
        )


class StoreUnavailable(LobbyError):
    def __init__(self, safe_url: str, reason: str) -> None:
        super().__init__(
            f"Không kết nối được cơ sở dữ liệu {safe_url}: {reason}. "
            "Kiểm tra máy chủ và mạng, hoặc đặt LOBBY_DB đúng địa chỉ.",
            f"Cannot reach the database {safe_url}: {reason}. Check the server and the network, or set LOBBY_DB.",
        )
        self.safe_url = safe_url


class SchemaOutdated(LobbyError):
    def __init__(self, safe_url: str, found: str | None, expected: str) -> None:
        super().__init__(
            f"Cơ sở dữ liệu {safe_url} chưa được khởi tạo hoặc cũ hơn phần mềm "
            f"(phiên bản {found or 'trống'}, cần {expected}). Chạy «lobby init».",
            f"The database {safe_url} is empty or older than the code "
            f"(revision {found or 'none'}, need {expected}). Run “lobby init”.",
        )


class BadDatabaseUrl(StoreUnavailable):
    """The database URL itself is wrong: no server or network is involved."""

    def __init__(self, safe_url: str, reason: str) -> None:
        LobbyError.__init__(
            self,
            f"Địa chỉ cơ sở dữ liệu {safe_url} không hợp lệ: {reason}. Sửa --db, LOBBY_DB hoặc [database] url.",
            f"The database URL {safe_url} is not valid: {reason}. Fix --db, LOBBY_DB or [database] url.",
        )
        self.safe_url = safe_url


class DatabaseDamaged(LobbyError):
    def __init__(self, where: str) -> None:
        super().__init__(
            f"Tệp cơ sở dữ liệu {where} bị hỏng (không đọc được). Không ghi gì thêm vào tệp; "
            "khôi phục từ bản sao lưu gần nhất (xem docs/operations.md).",
            f"The database file {where} is damaged (unreadable). Write nothing more to it; "
            "restore the latest backup (see docs/operations.md).",
        )


class DatabaseReadOnly(LobbyError):
    def __init__(self, where: str) -> None:
        super().__init__(
            f"Tệp cơ sở dữ liệu {where} (hoặc thư mục của nó) chỉ cho đọc: cấp quyền ghi cho người dùng chạy "
            "Lobby Queue.",
            f"The database file {where} (or its folder) is read-only: give the user running Lobby Queue "
            "write permission.",
        )


class DatabaseMissing(LobbyError):
    def __init__(self, where: str, folder_missing: bool) -> None:
        if folder_missing:
            vi = f"Thư mục của {where} không tồn tại. Kiểm tra đường dẫn, hoặc tạo thư mục rồi chạy «lobby init»."
            en = f"The folder of {where} does not exist. Check the path, or create the folder and run “lobby init”."
        else:
            vi = f"Chưa có cơ sở dữ liệu {where}. Kiểm tra đường dẫn, hoặc chạy «lobby init» để tạo."
            en = f"There is no database at {where}. Check the path, or run “lobby init” to create it."
        super().__init__(vi, en)


class SchemaNewer(LobbyError):
    def __init__(self, safe_url: str, found: str, expected: str) -> None:
        super().__init__(
            f"Cơ sở dữ liệu {safe_url} mới hơn phần mềm (phiên bản {found}, phần mềm biết đến {expected}). "
            "Cập nhật Lobby Queue trên máy này; đừng chạy «lobby init» bằng bản cũ.",
            f"The database {safe_url} is newer than this code (revision {found}, the code knows up to {expected}). "
            "Update Lobby Queue on this machine; do not run “lobby init” with the old version.",
        )


class OutputProblem(LobbyError):
    """Writing a file or the terminal failed: the path is a folder, unwritable, under a file, or the disk is full."""

    def __init__(self, where: str, reason_vi: str, reason_en: str) -> None:
        super().__init__(f"Không ghi được {where}: {reason_vi}.", f"Cannot write {where}: {reason_en}.")
