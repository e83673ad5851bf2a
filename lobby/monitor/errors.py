"""Refusals of the manager's actions, each naming what is wrong and what to do."""

from __future__ import annotations

from lobby.errors import LobbyError


class Refused(LobbyError):
    """An action that makes no sense now (pausing a paused service, closing a closed counter …)."""


class ServicePaused(LobbyError):
    """The kiosk's and the API's refusal while a manager has paused issuing for the service."""

    def __init__(self, name_vi: str, name_en: str, reason: str) -> None:
        super().__init__(
            f"Dịch vụ «{name_vi}» tạm ngưng cấp số: {reason}",
            f"Service “{name_en or name_vi}” has stopped issuing tickets for today: {reason}",
        )
        self.reason = reason


class SignInRefused(LobbyError):
    """A wrong username or password; says no more, so that names cannot be guessed one by one."""

    def __init__(self) -> None:
        super().__init__(
            "Tên đăng nhập hoặc mật khẩu không đúng. Kiểm tra lại, hoặc nhờ quản lý đặt lại mật khẩu.",
            "Wrong username or password. Check them, or ask the manager to reset the password.",
        )


class BadPassword(LobbyError):
    def __init__(self, minimum: int, maximum: int) -> None:
        super().__init__(
            f"Mật khẩu phải dài từ {minimum} đến {maximum} ký tự. Hãy chọn một câu dễ nhớ, khó đoán.",
            f"A password must be {minimum} to {maximum} characters long. Choose a phrase that is easy to "
            "remember and hard to guess.",
        )


class BadInput(LobbyError):
    """A field of a form or a command is empty, too long or of the wrong shape."""
