"""A loopback automation port for end-to-end tests and the soak bench.

With ``--automation-port N`` an app listens on 127.0.0.1:N for newline-delimited
JSON requests and acts on its real widgets, found by ``objectName``, exactly as a
touch or a key press would (QTest synthesises the events). Off unless asked for;
it never listens on anything but the loopback address.

Requests: ``{"op": "ping"}``, ``{"op": "click", "name": N}``,
``{"op": "key", "key": "Space", "name": N?}``, ``{"op": "type", "name": N, "text": T}``,
``{"op": "text", "name": N}``, ``{"op": "texts"}`` (visible texts of every window),
``{"op": "enabled", "name": N}``. Each gets one JSON line back with ``ok``. Where several
widgets share an objectName (a grid of service buttons), ``"match": TEXT`` picks the one
whose text contains TEXT.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

log = logging.getLogger(__name__)


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
    if op == "key":
        if request.get("name"):
            target = find_widget(request["name"], request.get("match"))
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


class AutomationServer(QObject):
    def __init__(self, port: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
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
        data = self._buffers.get(sock, b"") + bytes(sock.readAll().data())
        while b"\n" in data:
            line, data = data.split(b"\n", 1)
            try:
                reply = handle(json.loads(line))
            except Exception as exc:  # noqa: BLE001 - a bad request is answered, never fatal
                reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            sock.write(json.dumps(reply, ensure_ascii=False).encode() + b"\n")
            sock.flush()
        self._buffers[sock] = data


def install(port: int | None, parent: QObject | None = None) -> AutomationServer | None:
    if port is None:
        return None
    server = AutomationServer(port, parent)
    log.warning("automation port open on 127.0.0.1:%d (testing only)", server.port)
    return server
