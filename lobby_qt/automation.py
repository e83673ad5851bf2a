"""A loopback automation port for end-to-end tests and the soak bench.

With ``--automation-port N`` an app listens on 127.0.0.1:N for newline-delimited
JSON requests and acts on its real widgets, found by ``objectName``, exactly as a
touch or a key press would (QTest synthesises the events). Off unless asked for;
it never listens on anything but the loopback address.

Loopback is not enough: a web page open on the same machine can make the browser send
an HTTP request there. So the port needs a per-run secret (``LOBBY_AUTOMATION_SECRET``
in the app's environment, at least 16 characters; never on the command line, where any
local user reads it), every request carries it as ``"secret"``, every line must be one
JSON object (``POST / HTTP/1.1`` is not, and ends the connection before any body is
read), and a command must name its widget (``"name"``; a key may say
``"window": "active"`` instead).

Requests: ``{"op": "ping"}``, ``{"op": "click", "name": N}``,
``{"op": "key", "key": "Space", "name": N?}``, ``{"op": "type", "name": N, "text": T}``,
``{"op": "text", "name": N}``, ``{"op": "texts"}`` (visible texts of every window),
``{"op": "enabled", "name": N}``. Each gets one JSON line back with ``ok``. Where several
widgets share an objectName (a grid of service buttons), ``"match": TEXT`` picks the one
whose text contains TEXT.
"""
from __future__ import annotations

import hmac
import json
import logging
import os
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

log = logging.getLogger(__name__)

SECRET_ENV = "LOBBY_AUTOMATION_SECRET"
SECRET_MIN = 16
LINE_MAX = 64 * 1024


def find_widget(name: str, text: str | None = None) -> QWidget | None:
    """The visible widget with this objectName (and, when given, whose text contains ``text``)."""
    matches = [w for w in QApplication.allWidgets() if w.objectName() == name]
    if text is not None:
        matches = [w for w in matches if text in widget_text(w)]
    visible = [w for w in matches if w.isVisible()]
    found = visible or matches
    return found[0] if found else None


def widget_text(w: QWidget) -> str:
    """The widget's own text, or for a button drawn with child labels, their texts joined."""
    own = w.text() if isinstance(w, (QLabel, QAbstractButton, QLineEdit)) else ""
    if own:
        return own
    children = [c.text() for c in w.findChildren(QLabel) if c.text()]
    return " ".join(children) or w.accessibleName() or ""


def visible_texts() -> list[str]:
    texts = []
    for w in QApplication.allWidgets():
        if w.isVisible() and isinstance(w, (QLabel, QAbstractButton)) and w.text():
            texts.append(w.text())
    return texts


def _key(name: str) -> Qt.Key:
    key = getattr(Qt.Key, f"Key_{name}", None)
    if key is None:
        raise ValueError(f"unknown key {name!r}; use Qt key names such as Space, Return, F5, R")
    return key


def handle(request: dict[str, Any]) -> dict[str, Any]:
    op = request.get("op")
    if op == "ping":
        return {"ok": True}
    if op == "texts":
        return {"ok": True, "texts": visible_texts()}
    name = request.get("name")
    if not (isinstance(name, str) and name.strip()) and not (op == "key" and request.get("window") == "active"):
        return {"ok": False, "error": f"{op!r} names no widget: give \"name\" (a key may give \"window\": \"active\")"}
    if op == "key":
        if name:
            target = find_widget(name, request.get("match"))
        else:
            target = QApplication.activeWindow() or _any_window()
        if target is None:
            return {"ok": False, "error": "no window to send the key to"}
        window = target.window()
        if not window.isActiveWindow():  # window shortcuts only fire in the active window
            window.raise_()
            window.activateWindow()
            QApplication.processEvents()
        QTest.keyClick(target, _key(request["key"]))
        return {"ok": True}
    w = find_widget(str(request.get("name", "")), request.get("match"))
    if w is None:
        return {"ok": False, "error": f"no widget named {request.get('name')!r}"}
    if op == "click":
        if not (w.isVisible() and w.isEnabled()):
            return {"ok": False, "error": f"{w.objectName()} is not visible and enabled"}
        QTest.mouseClick(w, Qt.MouseButton.LeftButton)
        return {"ok": True}
    if op == "type":
        QTest.keyClicks(w, str(request.get("text", "")))
        return {"ok": True}
    if op == "text":
        return {"ok": True, "text": widget_text(w)}
    if op == "enabled":
        return {"ok": True, "enabled": w.isEnabled() and w.isVisible()}
    return {"ok": False, "error": f"unknown op {op!r}"}


def _any_window() -> QWidget | None:
    tops = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    return tops[0] if tops else None


def secret_from_env() -> str:
    """The per-run secret the harness put in the environment; OSError (exit 2 at start-up) when missing or short."""
    secret = os.environ.get(SECRET_ENV, "")
    if len(secret) < SECRET_MIN:
        raise OSError(f"--automation-port needs {SECRET_ENV} (at least {SECRET_MIN} characters) in the environment")
    return secret


def check_request(line: bytes, secret: str) -> dict[str, Any]:
    """The request of one line, or ValueError: not one JSON object, or without the right secret."""
    try:
        request = json.loads(line)
    except (UnicodeDecodeError, ValueError):
        raise ValueError("not a JSON line") from None
    if not isinstance(request, dict):
        raise ValueError("not a JSON object")
    given = request.pop("secret", None)
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), secret.encode()):
        raise ValueError("wrong or missing secret")
    return request


class AutomationServer(QObject):
    def __init__(self, port: int, parent: QObject | None = None, *, secret: str | None = None) -> None:
        super().__init__(parent)
        self.secret = secret if secret is not None else secret_from_env()
        self.server = QTcpServer(self)
        if not self.server.listen(QHostAddress.SpecialAddress.LocalHost, port):
            raise OSError(f"automation port {port}: {self.server.errorString()}")
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QTcpSocket, bytes] = {}

    @property
    def port(self) -> int:
        return int(self.server.serverPort())

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._buffers.pop(s, None))

    def _read(self, sock: QTcpSocket) -> None:
        if sock not in self._buffers:  # refused already: nothing more is read from it
            return
        data = self._buffers[sock] + bytes(sock.readAll().data())
        while b"\n" in data:
            line, data = data.split(b"\n", 1)
            try:
                request = check_request(line.rstrip(b"\r"), self.secret)
            except ValueError as exc:
                self._refuse(sock, str(exc))
                return
            try:
                reply = handle(request)
            except Exception as exc:  # noqa: BLE001 - a bad request is answered, never fatal
                reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            sock.write(json.dumps(reply, ensure_ascii=False).encode() + b"\n")
            sock.flush()
        if len(data) > LINE_MAX:
            self._refuse(sock, "line too long")
            return
        self._buffers[sock] = data

    def _refuse(self, sock: QTcpSocket, why: str) -> None:
        """Answer once and drop the connection: what follows (an HTTP body, say) is never read."""
        log.warning("automation request refused: %s", why)
        self._buffers.pop(sock, None)
        sock.write(json.dumps({"ok": False, "error": f"refused: {why}"}).encode() + b"\n")
        sock.flush()
        sock.disconnectFromHost()


def install(port: int | None, parent: QObject | None = None) -> AutomationServer | None:
    if port is None:
        return None
    server = AutomationServer(port, parent)  # OSError without the secret: the app stops at start-up
    log.warning("automation port open on 127.0.0.1:%d (testing only)", server.port)
    return server
