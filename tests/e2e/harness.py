"""Starting the real apps as separate processes and driving them through their automation port.

Each app runs offscreen with ``--automation-port 0``: it opens a free port itself and logs which
(a port chosen here and handed over could be taken meanwhile by any outgoing connection on a busy
machine, and the app would stop at start). The harness reads that line, taps the app's widgets by
objectName (see ``lobby_qt.automation``) and reads its log file.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
PORT_OPEN = re.compile(r"automation port open on 127\.0\.0\.1:(\d+)")  # lobby_qt.automation.install


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def app_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
    env.update(extra or {})
    return env


class AppProcess:
    """One app process (kiosk, counter, display, emulator) with its log file and automation link."""

    def __init__(self, name: str, argv: list[str], log_dir: Path, *, automation: bool = True,
                 env: dict[str, str] | None = None) -> None:
        self.name = name
        self.log_dir = log_dir
        self.automation = automation
        self.port: int | None = None  # the automation port of the running start, once read from its output
        extra = ["--automation-port", "0", "--log-dir", str(log_dir / name)] if automation else []
        self.argv = argv + extra
        self.secret = secrets.token_hex(16)  # per run, in the environment only (lobby_qt.automation)
        self.env = app_env({**(env or {}), "LOBBY_AUTOMATION_SECRET": self.secret} if automation else env)
        self.proc: subprocess.Popen[bytes] | None = None
        self.out = log_dir / f"{name}.out"
        self._out_from = 0  # where this start's output begins in ``out`` (appended to by every start)
        self.starts = 0

    def start(self) -> AppProcess:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.port = None
        with self.out.open("ab") as out:
            self._out_from = out.tell()
            self.proc = subprocess.Popen(self.argv, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.starts += 1
        return self

    def wait_ready(self, timeout: float = 60) -> AppProcess:
        if not self.automation:
            return self

        def ready() -> bool:
            self.check_alive()
            if self.port is None:
                self.port = self._opened_port()
            try:
                return self.port is not None and bool(self.request({"op": "ping"}, timeout=2).get("ok"))
            except OSError:
                return False

        wait_until(ready, timeout, f"{self.name} to answer on its automation port")
        return self

    def check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} exited with status {self.proc.returncode}:\n{self.tail()}")

    def _opened_port(self) -> int | None:
        """The port this start of the app logged as open (None until it has)."""
        if not self.out.exists():
            return None
        with self.out.open("rb") as out:
            out.seek(self._out_from)
            found = PORT_OPEN.search(out.read().decode(errors="replace"))
        return int(found.group(1)) if found else None

    def request(self, req: dict[str, Any], timeout: float = 10) -> dict[str, Any]:
        if self.port is None:  # not started, not ready yet, or restarting: as a closed port would answer
            raise ConnectionRefusedError(f"{self.name} has no automation port open yet (wait_ready first)")
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(json.dumps({**req, "secret": self.secret}).encode() + b"\n")
            buf = b""
            while not buf.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    raise OSError("automation link closed")
                buf += chunk
        return dict(json.loads(buf))

    def click(self, name: str, match: str | None = None) -> dict[str, Any]:
        return self.request({"op": "click", "name": name, **({"match": match} if match else {})})

    def wait_enabled(self, name: str, match: str, what: str, timeout: float = 30) -> None:
        """Wait until the widget ``name`` whose text holds ``match`` is enabled (``what`` names it on a timeout)."""
        wait_until(lambda: self.request({"op": "enabled", "name": name, "match": match}).get("enabled"), timeout, what)

    def key(self, key: str, name: str | None = None) -> dict[str, Any]:
        return self.request({"op": "key", "key": key, **({"name": name} if name else {"window": "active"})})

    def type(self, name: str, text: str) -> dict[str, Any]:
        return self.request({"op": "type", "name": name, "text": text})

    def text(self, name: str) -> str:
        return str(self.request({"op": "text", "name": name}).get("text", ""))

    def texts(self) -> list[str]:
        return list(self.request({"op": "texts"}).get("texts", []))

    def log_text(self) -> str:
        parts = [self.out.read_text(errors="replace")] if self.out.exists() else []
        for f in sorted((self.log_dir / self.name).glob("*.log*")) if (self.log_dir / self.name).exists() else []:
            parts.append(f.read_text(errors="replace"))
        return "\n".join(parts)

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def script(name: str) -> list[str]:
    exe = BIN / name
    if not exe.exists():
        raise FileNotFoundError(f"{exe} not found: install the project into this environment (make test does)")
    return [str(exe)]


def ticket_pngs(emulator: AppProcess) -> list[Path]:
    folder: Path = emulator.tickets  # type: ignore[attr-defined]
    return sorted(folder.glob("*.png")) if folder.exists() else []
