"""A tiny TCP proxy a test can cut and restore, to lose a PostgreSQL server and get it back.

    proxy, url = TcpProxy.in_front_of(store_url)  # url: the same database, through the proxy
    proxy.cut()      # stop listening and drop every open connection (a pulled cable, a restarted server)
    proxy.restore()  # listen again, on the same port
    proxy.close()    # cut, then join the proxy's one thread

One thread serves every connection with ``selectors``; ``close()`` joins it.
"""
from __future__ import annotations

import selectors
import socket
import threading

from sqlalchemy.engine import URL, make_url

from support import SETTLE_S


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._pairs: dict[socket.socket, socket.socket] = {}
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._listen()
        self._thread = threading.Thread(target=self._run, name="TcpProxy", daemon=True)
        self._thread.start()

    @classmethod
    def in_front_of(cls, url: str | URL) -> tuple[TcpProxy, str]:
        """A proxy to the server of a database URL, and that URL routed through the proxy."""
        parsed = make_url(url)
        proxy = cls(parsed.host or "127.0.0.1", parsed.port or 5432)
        routed = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        return proxy, routed

    def cut(self) -> None:
        """Stop accepting and drop every open connection."""
        with self._lock:
            if self._server is not None:
                self._selector.unregister(self._server)
                self._server.close()
                self._server = None
            for sock in list(self._pairs):
                self._drop(sock)
        self._wake()

    def restore(self) -> None:
        """Accept again, on the same port; does nothing while already accepting."""
        if self._server is None:
            self._listen()

    def close(self) -> None:
        self.cut()
        self._stop.set()
        self._wake()
        self._thread.join(timeout=SETTLE_S)
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()

    def _listen(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(64)
        server.setblocking(False)
        self.port = server.getsockname()[1]
        with self._lock:
            self._server = server
            self._selector.register(server, selectors.EVENT_READ, "accept")
        self._wake()

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def _drop(self, sock: socket.socket) -> None:
        other = self._pairs.pop(sock, None)
        for s in (sock, other):
            if s is None:
                continue
            self._pairs.pop(s, None)
            try:
                self._selector.unregister(s)
            except (KeyError, ValueError):
                pass
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            for key, _mask in self._selector.select(timeout=0.5):
                with self._lock:
                    if key.data == "wake":
                        self._wake_r.recv(4096)
                    elif key.data == "accept":
                        self._accept()
                    else:
                        self._pump(key.fileobj)  # type: ignore[arg-type]

    def _accept(self) -> None:
        if self._server is None:
            return
        try:
            client, _ = self._server.accept()
        except BlockingIOError:
            return
        try:
            upstream = socket.create_connection(self.target, timeout=SETTLE_S)
        except OSError:
            client.close()
            return
        for s in (client, upstream):
            s.setblocking(False)
            self._selector.register(s, selectors.EVENT_READ, "pump")
        self._pairs[client] = upstream
        self._pairs[upstream] = client

    def _pump(self, sock: socket.socket) -> None:
        other = self._pairs.get(sock)
        if other is None:
            return
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._drop(sock)
            return
        try:
            other.settimeout(SETTLE_S)  # a peer that stops reading cannot hold the lock forever
            other.sendall(data)
            other.setblocking(False)
        except OSError:
            self._drop(sock)
