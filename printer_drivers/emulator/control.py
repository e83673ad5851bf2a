"""A line protocol on a second TCP port that switches the emulator's state from outside.

One command a line, one answer a line::

    set paper_out=on cover_open=off   ->  ok paper_out=on cover_open=off offline=off ...
    get                               ->  ok paper_out=off ...
    tickets                           ->  ok 3
    help                              ->  ok set NAME=VALUE ... | get | tickets

Switches: paper_out, cover_open, offline, paper_near_end, mute, garbled (on/off) and
vanish_after, hang_after (a byte count, or none).
"""

from __future__ import annotations

import ipaddress
import socket
import socketserver
import threading

from printer_drivers.emulator.core import PrinterCore, parse_assignments


def answer(core: PrinterCore, line: str) -> str:
    words = line.split()
    if not words:
        return "error empty command"
    verb, args = words[0].lower(), words[1:]
    if verb == "set":
        try:
            return "ok " + core.set_state(**parse_assignments(args)).describe()
        except (ValueError, TypeError) as exc:
            return f"error {exc}"
    if verb == "get":
        return "ok " + core.state.describe()
    if verb == "tickets":
        return f"ok {len(core.tickets)}"
    if verb == "help":
        return "ok set NAME=VALUE ... | get | tickets"
    return f"error unknown command {verb!r}: use set, get, tickets or help"


LINE_MAX = 1024  # a control command is a few words; a longer line ends the connection


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        while True:
            raw = self.rfile.readline(LINE_MAX + 1)
            if not raw:
                return
            if len(raw) > LINE_MAX and not raw.endswith(b"\n"):
                self.wfile.write(b"error line too long\n")
                return
            reply = answer(self.server.core, raw.decode("utf-8", "replace").strip())
            self.wfile.write(reply.encode() + b"\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], core: PrinterCore) -> None:
        super().__init__(address, _Handler)
        self.core = core


class ControlServer:
    """The control port: on loopback only, unless ``beyond_loopback`` asks for ``host`` a second time.

    Anyone who reaches it can make the printer report paper out or vanish mid-job, so a
    LAN address needs both ``--control-host`` and ``--control-beyond-loopback``.
    """

    def __init__(self, core: PrinterCore, host: str, port: int, *, beyond_loopback: bool = False) -> None:
        if not is_loopback(host) and not beyond_loopback:
            raise ValueError(f"the control port listens on loopback only; to listen on {host} add "
                             "--control-beyond-loopback as well")
        self._server = _Server((host, port), core)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()


def send_command(host: str, port: int, command: str, timeout: float = 5.0) -> str:
    """Send one control command to a running emulator and return its answer line."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(command.encode() + b"\n")
        with sock.makefile("rb") as reply:
            return reply.readline().decode().strip()
