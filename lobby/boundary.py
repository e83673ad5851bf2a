"""The one place where an error becomes a message: the boundary of the ``lobby`` command and of each app's start-up.

Code below the boundary raises (a ``LobbyError`` on purpose, or whatever the database,
the file system or Python raised); ``explain`` turns what a person can act on into a
``LobbyError`` classified by what they must do, and ``run_at_boundary`` prints it as one
line on stderr and returns exit status 2, never a traceback. ``LOBBY_DEBUG=1`` shows
the traceback of an unexpected error for a developer.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import sys
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from lobby.errors import (
    ConfigError,
    DatabaseDamaged,
    DatabaseReadOnly,
    LobbyError,
    OutputProblem,
    StoreUnavailable,
)
from lobby.store.url import short_reason
from lobby.text_limits import shown

EXIT_PROBLEM = 2
LINE_MAX = 1000
EXIT_BUG = 1
EXIT_INTERRUPTED = 130

_DAMAGED = ("file is not a database", "database disk image is malformed", "malformed database schema",
            "file is encrypted or is not a database")
_READ_ONLY = ("attempt to write a readonly database", "readonly database", "unable to open database file")
_OS_REASONS: dict[int, tuple[str, str]] = {
    errno.EISDIR: ("đó là một thư mục, hãy cho tên tệp", "it is a folder; give a file name"),
    errno.EEXIST: ("một phần của đường dẫn là tệp, không phải thư mục", "a part of the path is a file, not a folder"),
    errno.ENOTDIR: ("một phần của đường dẫn là tệp, không phải thư mục", "a part of the path is a file, not a folder"),
    errno.EACCES: ("không có quyền ghi; chọn nơi khác hoặc cấp quyền", "permission denied; choose another place"),
    errno.EPERM: ("không có quyền ghi; chọn nơi khác hoặc cấp quyền", "permission denied; choose another place"),
    errno.EROFS: ("ổ đĩa chỉ cho đọc", "the file system is read-only"),
    errno.ENOSPC: ("ổ đĩa đầy; giải phóng chỗ trống rồi chạy lại", "the disk is full; free some space and retry"),
    errno.EDQUOT: ("hết hạn mức ổ đĩa", "the disk quota is exceeded"),
    errno.ENOENT: ("thư mục không tồn tại", "the folder does not exist"),
    errno.ENAMETOOLONG: ("tên quá dài", "the name is too long"),
}


def _database_message(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().lower()


def explain(exc: BaseException, where: str = "") -> LobbyError | None:
    """The error a person can act on, or None for a bug (which keeps its traceback in debug mode)."""
    if isinstance(exc, StoreUnavailable) and exc.__cause__ is not None and not isinstance(exc.__cause__, LobbyError):
        finer = explain(exc.__cause__, where or exc.safe_url)  # a damaged or read-only file is no network problem
        if isinstance(finer, (DatabaseDamaged, DatabaseReadOnly)):
            return finer
    if isinstance(exc, LobbyError):
        return exc
    if isinstance(exc, (DBAPIError, sqlite3.DatabaseError)):
        text = _database_message(exc)
        if any(m in text for m in _DAMAGED):
            return DatabaseDamaged(where or "?")
        if any(m in text for m in _READ_ONLY[:2]):
            return DatabaseReadOnly(where or "?")
        return StoreUnavailable(where or "?", short_reason(exc))
    if isinstance(exc, SQLAlchemyError):
        return StoreUnavailable(where or "?", short_reason(exc))
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        vi, en = _OS_REASONS[exc.errno]
        name = shown(exc.filename if exc.filename is not None else where or "?", 120)
        return OutputProblem(name, vi, en)
    if isinstance(exc, OverflowError):
        return LobbyError(f"Một số quá lớn: {shown(str(exc))}. Dùng giá trị trong khoảng hợp lý.",
                          f"A number is too large: {shown(str(exc))}. Use a value in a sane range.")
    if isinstance(exc, RecursionError):
        return LobbyError("Dữ liệu lồng nhau quá sâu; kiểm tra lại tệp.", "Data nested too deeply; check the file.")
    if isinstance(exc, MemoryError):
        return LobbyError("Dữ liệu quá lớn để đọc; kiểm tra lại tệp.", "Input too large to read; check the file.")
    return None


def print_problem(error: LobbyError, lang: str, prefix: str = "") -> None:
    """One line per problem on stderr (a config file with three problems gets three lines)."""
    lines = error.problems if isinstance(error, ConfigError) else [error.message(lang)]
    for line in lines:
        flat = prefix + " ".join(line.split("\n"))
        if len(flat) > LINE_MAX:  # a last guard: whatever a message quotes, a line stays readable
            flat = flat[:LINE_MAX] + "…"
        sys.stderr.write(flat + "\n")
    sys.stderr.flush()


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run_at_boundary(body: Callable[[], int], lang: Callable[[], str], where: Callable[[], str],
                    prefix: str = "") -> int:
    """Run ``body``; turn every error a person can act on into one stderr line and exit status 2.

    ``prefix`` (an app's name and a colon) starts each line; ``SystemExit`` passes through.
    """
    try:
        code = body()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()
        print_problem(LobbyError("Đầu ra bị đóng sớm (ống dẫn tới lệnh khác đã dừng); không in hết.",
                                 "The output was closed early (the command piped into stopped); not all printed."),
                      lang(), prefix)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - this is the boundary
        error = explain(exc, where())
        if error is None:
            if os.environ.get("LOBBY_DEBUG"):
                raise
            print_problem(LobbyError(
                f"Lỗi không mong đợi ({type(exc).__name__}): {shown(str(exc), 200)}. "
                "Chạy lại với LOBBY_DEBUG=1 và gửi kết quả cho bộ phận kỹ thuật.",
                f"Unexpected error ({type(exc).__name__}): {shown(str(exc), 200)}. "
                "Run again with LOBBY_DEBUG=1 and send the output to support."), lang(), prefix)
            return EXIT_BUG
        print_problem(error, lang(), prefix)
        return EXIT_PROBLEM
