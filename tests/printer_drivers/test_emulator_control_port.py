"""The emulator's control port stays on this machine unless asked twice, and takes short lines only."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from printer_drivers.emulator.cli import main
from printer_drivers.emulator.control import ControlServer, is_loopback, send_command
from printer_drivers.emulator.core import PrinterCore
from printer_drivers.emulator.tcp import PrinterEmulator
from support import SETTLE_S


def test_loopback_names() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.9.9.9", "::1", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.20", "printer.local", ""))


def test_printer_port_on_every_address_keeps_the_control_port_on_loopback(tmp_path: Path) -> None:
    emulator = PrinterEmulator("0.0.0.0", 0, tmp_path, control_port=0).start()
    try:
        assert emulator.control_host == "127.0.0.1"
        assert emulator.control_port is not None
        assert send_command("127.0.0.1", emulator.control_port, "get").startswith("ok ")
    finally:
        emulator.stop()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7"])
def test_a_lan_control_address_needs_the_second_flag(tmp_path: Path, host: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="--control-beyond-loopback"):
        ControlServer(PrinterCore(tmp_path), host, 0)
    assert main(["--port", "0", "--control-host", host, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--control-beyond-loopback" in err and err.count("\n") == 1


def test_asked_twice_it_listens_where_told(tmp_path: Path) -> None:
    server = ControlServer(PrinterCore(tmp_path), "0.0.0.0", 0, beyond_loopback=True)
    try:
        server.start()
        assert send_command("127.0.0.1", server.port, "tickets") == "ok 0"
    finally:
        server.stop()


def test_a_huge_line_is_refused_and_the_connection_closed(tmp_path: Path) -> None:
    emulator = PrinterEmulator("127.0.0.1", 0, tmp_path, control_port=0).start()
    try:
        assert emulator.control_port is not None
        with socket.create_connection(("127.0.0.1", emulator.control_port), timeout=SETTLE_S) as sock:
            sock.sendall(b"set " + b"x" * 100_000 + b"\n")
            try:  # the refusal, then the end; a reset instead is as good (unread bytes were left behind)
                with sock.makefile("rb") as reply:
                    assert reply.readline() in (b"error line too long\n", b"")
                    assert reply.readline() == b""
            except ConnectionResetError:
                pass
        assert emulator.core.state.describe() == PrinterCore(tmp_path).state.describe()
    finally:
        emulator.stop()
