"""Display fixtures: a recording audio sink, another process that calls, a link that breaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from lobby.store.engine import Store
from support import PROCESS_S
from tcp_proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]


class RecordingPlayer:
    """The only fake: an audio sink that records what it was asked to play."""

    def __init__(self) -> None:
        self.played: list[Path] = []
        self.sizes: list[int] = []

    def play(self, path: Path) -> bool:
        self.played.append(path)
        self.sizes.append(path.stat().st_size)
        return True

    def stop(self) -> None:
        pass


@pytest.fixture
def player() -> RecordingPlayer:
    return RecordingPlayer()


@pytest.fixture(autouse=True)
def _fonts(qapp: object) -> None:
    from lobby_qt.fonts import load_fonts

    load_fonts()


_CALLER = textwrap.dedent(
    """
    import json, sys
    from datetime import datetime, timedelta, timezone
    from display.screenshots import demo_config
    from lobby.queue.operations import call_next, issue_ticket, recall
    from lobby.store.engine import Store

    url, actions = sys.argv[1], json.loads(sys.argv[2])
    cfg = demo_config()
    store = Store(url)
    out = []
    for act in actions:
        now = None
        if act.get("age_s"):
            now = datetime.now(timezone.utc) - timedelta(seconds=act["age_s"])
        with store.session() as s:
            if act["do"] == "issue":
                out.append(issue_ticket(s, cfg, act["service"], now=now).number)
            elif act["do"] == "call":
                t = call_next(s, cfg, act["counter"], now=now)
                out.append(t.number if t else None)
            elif act["do"] == "recall":
                out.append(recall(s, cfg, act["counter"]).number)
    store.dispose()
    print(json.dumps(out))
    """
)


def run_caller(url: str, actions: list[dict[str, object]]) -> list[str | None]:
    """Perform queue actions in a separate Python process (another machine's app, in effect)."""
    proc = subprocess.run(
        [sys.executable, "-c", _CALLER, url, json.dumps(actions)],
        capture_output=True, text=True, timeout=PROCESS_S, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if proc.returncode != 0:
        raise AssertionError(f"caller process failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


class LinkBreaker:
    """Makes the display's store unreachable and reachable again, on either backend.

    PostgreSQL: the display connects through a TCP proxy that is cut and restored.
    SQLite (a file has no link to cut): another process moves the ``event`` table out
    of the way, so every read of the feed fails, then moves it back.
    """

    def __init__(self, store_url: str) -> None:
        self.store_url = store_url
        self.proxy: TcpProxy | None = None
        if store_url.startswith("postgresql"):
            self.proxy, self.display_url = TcpProxy.in_front_of(store_url)
        else:
            self.display_url = store_url

    def _sqlite_exec(self, sql: str) -> None:
        store = Store(self.store_url)
        try:
            with store.engine.begin() as conn:
                conn.execute(text(sql))
        finally:
            store.dispose()

    def cut(self) -> None:
        if self.proxy is not None:
            self.proxy.cut()
        else:
            self._sqlite_exec("ALTER TABLE event RENAME TO event_unavailable")

    def restore(self) -> None:
        if self.proxy is not None:
            self.proxy.restore()
        else:
            self._sqlite_exec("ALTER TABLE event_unavailable RENAME TO event")

    def close(self) -> None:
        if self.proxy is not None:
            self.proxy.close()


@pytest.fixture
def caller() -> Callable[[str, list[dict[str, object]]], list[str | None]]:
    """``caller(url, actions)`` runs queue actions in another process; returns the numbers."""
    return run_caller


@pytest.fixture
def link(store_url: str) -> Iterator[LinkBreaker]:
    breaker = LinkBreaker(store_url)
    yield breaker
    breaker.close()
