"""Fixtures for end-to-end tests: the printer emulator and app processes, on both stores."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import AppProcess, free_port, script, wait_until
from lobby.launcher import demo_config_text
from support import PROCESS_S, patient_timers

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[AppProcess]:
    port = free_port()
    proc = AppProcess("printer", script("lobby-printer-emulator") + [
        "--port", str(port), "--control-port", str(free_port()), "--out", str(tmp_path / "tickets")],
        tmp_path / "logs", automation=False)
    proc.start()
    wait_until(lambda: "ready tcp=" in proc.log_text(), PROCESS_S, "the printer emulator to start")
    proc.printer_port = port
    proc.tickets = tmp_path / "tickets"
    yield proc
    proc.stop()


@pytest.fixture
def e2e_config(tmp_path: Path, emulator: AppProcess) -> Path:
    """The demo centre, always open, printing to the emulator, its timers patient (``patient_timers``)."""
    path = tmp_path / "centre.toml"
    port = emulator.printer_port
    text = demo_config_text(ROOT / "config" / "demo.toml", f"tcp://127.0.0.1:{port}", True)
    path.write_text(patient_timers(text), encoding="utf-8")
    return path
