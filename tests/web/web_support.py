"""Helpers of the web tests (a module of its own: ``conftest`` is a name every test folder uses)."""
from __future__ import annotations

from lobby.access.api_tokens import add_token, parse_scopes
from lobby.store.engine import Store
from support import SETTLE_S

PUBLIC_URL = "http://192.0.2.10:8080"


def make_token(store: Store, name: str, scopes: str) -> str:
    with store.session() as s:
        _, secret = add_token(s, name, parse_scopes(scopes))
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


class LiveServer:
    """``lobby-web``'s app served by uvicorn in a thread of the test process, on a free loopback port."""

    def __init__(self, app: object) -> None:
        import socket
        import threading

        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",  # type: ignore[arg-type]
                                                    timeout_graceful_shutdown=1))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + SETTLE_S
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web app did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(SETTLE_S)
