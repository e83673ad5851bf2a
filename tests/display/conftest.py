"""Display fixtures: a recording audio sink, another process that calls, a link that breaks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from lobby.store import Store

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
    from lobby.queue import call_next, issue_ticket, recall
    from lobby.store import Store

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
        capture_output=True, text=True, timeout=60, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if proc.returncode != 0:
        raise AssertionError(f"caller process failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


class TcpProxy:
    """A TCP forwarder to PostgreSQL that the test can cut (refusing and dropping connections) and restore."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._server: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.restore()

    def restore(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        self.port = server.getsockname()[1]
        server.listen(64)
        self._server = server
        t = threading.Thread(target=self._accept, args=(server,), daemon=True)
        t.start()
        self._threads.append(t)

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        """Refuse new connections and drop the open ones, as a dead link would."""
        if self._server is not None:
            self._server.close()
            self._server = None
        with self._lock:
            conns, self._conns = self._conns, []
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self.cut()


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
            from sqlalchemy.engine import make_url

            u = make_url(store_url)
            self.proxy = TcpProxy((u.host or "127.0.0.1", u.port or 5432))
            self.display_url = u.set(host="127.0.0.1", port=self.proxy.port).render_as_string(hide_password=False)
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
