"""``lobby_qt.guard``: an app's start-up error is one prefixed line and exit status 2, like the ``lobby`` command's."""
from __future__ import annotations

import errno
import sqlite3

import pytest

from lobby.errors import SchemaNewer
from lobby_qt.guard import guarded


@pytest.mark.parametrize(("error", "words"), [
    (sqlite3.DatabaseError("file is not a database"), "damaged"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
    (SchemaNewer("sqlite:///x", "0099", "0007"), "newer than this code"),
    (OSError(errno.ENOSPC, "No space left on device", "/var/log/kiosk.log"), "disk is full"),
    (OverflowError("Python int too large to convert to C long"), "too large"),
])
def test_start_up_errors_are_one_line(capsys: pytest.CaptureFixture[str], error: BaseException, words: str) -> None:
    @guarded("lobby-kiosk")
    def main(argv: list[str] | None = None) -> int:
        raise error

    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lobby-kiosk: ") and err.count("\n") == 1 and "Traceback" not in err
    assert words in err


def test_a_clean_run_and_an_explicit_exit_pass_through() -> None:
    @guarded("lobby-display")
    def ok(argv: list[str] | None = None) -> int:
        return 0

    @guarded("lobby-display")
    def leaves(argv: list[str] | None = None) -> int:
        raise SystemExit(2)

    assert ok() == 0
    with pytest.raises(SystemExit):
        leaves()
