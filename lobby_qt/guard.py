"""Each app's start-up behind the same boundary as the ``lobby`` command (``lobby.boundary``).

``@guarded("lobby-kiosk")`` on an app's ``main``: whatever a person can act on that
escapes start-up (a damaged or read-only database file, a newer schema, a full disk
under the log folder...) is one line on stderr, ``lobby-kiosk: ...``, and exit status 2,
never a traceback. The messages an app already gives itself (``bootstrap.fail``) pass
through unchanged.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from lobby.boundary import run_at_boundary

Main = TypeVar("Main", bound=Callable[..., int])


def guarded(app_name: str) -> Callable[[Main], Main]:
    def wrap(main: Main) -> Main:
        @functools.wraps(main)
        def run(*args: object, **kwargs: object) -> int:
            return run_at_boundary(lambda: int(main(*args, **kwargs)), lambda: "en", lambda: "", prefix=f"{app_name}: ")
        return run  # type: ignore[return-value]
    return wrap
