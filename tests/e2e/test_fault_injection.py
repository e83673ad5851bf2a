"""The fault day's injections: a slow or failed one is retried, then skipped and counted; the day goes on."""
from __future__ import annotations

import subprocess
from pathlib import Path

from faultday import FaultDay, Plan
from printer_drivers.emulator.tcp import PrinterEmulator


class Flaky:
    """Fails ``failures`` times (as a fresh emulator process timing out on a loaded machine), then works."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise subprocess.TimeoutExpired(["lobby-printer-emulator", "--set", "paper_out=on"], 15)


def day(tmp_path: Path) -> FaultDay:
    made = FaultDay(Plan(), tmp_path, log=lambda _line: None)
    made.retry_pause_s = 0.0
    return made


def test_a_slow_injection_is_retried(tmp_path: Path) -> None:
    d, action = day(tmp_path), Flaky(failures=2)
    assert d.inject("paper", action)
    assert action.calls == 3
    assert d.report.injection_retries == 2
    assert not d.stop.is_set() and not d.report.driver_errors


def test_an_injection_that_keeps_failing_is_skipped_not_fatal(tmp_path: Path) -> None:
    d, action = day(tmp_path), Flaky(failures=99)
    assert not d.inject("paper", action)
    assert action.calls == 3
    assert not d.stop.is_set() and not d.report.driver_errors
    assert d.report.injection_retries == 3  # fault_round then counts it in report.faults_skipped


def test_undoing_a_fault_is_tried_even_when_the_day_stops(tmp_path: Path) -> None:
    d, action = day(tmp_path), Flaky(failures=1)
    d.stop.set()
    assert not d.inject("paper", Flaky(failures=0))  # no new fault once the day is over
    assert d.inject("paper-back", action, attempts=10, always=True)
    assert action.calls == 2


def test_paper_out_is_switched_on_the_running_emulator(tmp_path: Path) -> None:
    emulator = PrinterEmulator(out_dir=tmp_path / "out", control_port=0).start()
    try:
        d = day(tmp_path)
        assert emulator.control_port is not None
        d.control_port = emulator.control_port
        assert d.inject("paper", lambda: d.emulator_set("paper_out=on"))
        assert emulator.core.state.paper_out
        assert d.inject("paper-back", lambda: d.emulator_set("paper_out=off"), attempts=10, always=True)
        assert not emulator.core.state.paper_out
        assert not d.inject("paper", lambda: d.emulator_set("paper_out=maybe"))  # refused: retried, then skipped
        assert d.report.injection_retries == 3
    finally:
        emulator.stop()
