"""lobby-printer-emulator as a separate process, switched from outside as the demo does."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from printer_drivers.emulator.cli import main
from printer_drivers.emulator.control import send_command
from printer_drivers.errors import PrinterFault
from printer_drivers.printer import open_printer
from printer_drivers.receipt import TicketReceipt
from support import SETTLE_S


@pytest.fixture
def process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "printer_drivers.emulator.cli", "--port", "0", "--out", str(tmp_path / "out"), "--pty"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        ready = proc.stdout.readline().split()
        assert ready and ready[0] == "ready", proc.stderr.read() if proc.stderr else ""
        yield proc, dict(word.split("=", 1) for word in ready[1:])
    finally:
        proc.terminate()
        proc.communicate(timeout=SETTLE_S)  # also closes the pipes


def test_print_switch_and_stop(
    process: tuple[subprocess.Popen[str], dict[str, str]], tmp_path: Path, receipt: TicketReceipt,
    capsys: pytest.CaptureFixture[str],
) -> None:
    proc, info = process
    host, port = info["tcp"].rsplit(":", 1)
    control_port = info["control"].rsplit(":", 1)[1]
    with open_printer(f"tcp://{host}:{port}", timeout=SETTLE_S) as printer:
        printer.print_ticket(receipt)
    assert send_command(host, int(control_port), "tickets") == "ok 1"
    assert (tmp_path / "out" / "ticket-0001.png").exists()

    assert main(["--port", port, "--control-port", control_port, "--set", "paper_out=on"]) == 0
    assert "paper_out=on" in capsys.readouterr().out
    for url in (f"tcp://{host}:{port}", f"serial://{info['pty']}"):
        with open_printer(url, timeout=SETTLE_S) as printer:
            with pytest.raises(PrinterFault, match="Paper out"):
                printer.print_ticket(receipt)

    assert main(["--port", port, "--control-port", control_port, "--set", "paper_out=off"]) == 0
    with open_printer(f"serial://{info['pty']}?baudrate=19200", timeout=SETTLE_S) as printer:
        printer.print_ticket(receipt)
    assert send_command(host, int(control_port), "tickets") == "ok 2"

    proc.terminate()
    assert proc.wait(timeout=SETTLE_S) == 0


def test_bad_switch_is_refused(process: tuple[subprocess.Popen[str], dict[str, str]]) -> None:
    _, info = process
    host, control_port = info["control"].rsplit(":", 1)
    assert send_command(host, int(control_port), "set paper=on").startswith("error expected NAME=VALUE")
    assert send_command(host, int(control_port), "set mute=maybe").startswith("error mute takes on or off")
    assert send_command(host, int(control_port), "fly").startswith("error unknown command")


def test_set_without_emulator_fails_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--port", "1", "--control-port", "1", "--set", "paper_out=on"]) == 2
    assert "no emulator control port" in capsys.readouterr().err


def test_help_documents_the_switches(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("--port", "--out", "--set", "paper_out", "cover_open", "offline", "--pty"):
        assert word in out
