"""What a fault day (tests/e2e/faultday.py) found: the counts a centre must be able to trust."""
from __future__ import annotations

from collections import Counter as Tally
from dataclasses import dataclass, field

from lobby.vocabulary import FINAL_STATES

FINAL = {str(state) for state in FINAL_STATES}


@dataclass
class Report:
    issued: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    calls: int = 0
    shown_by_display: list[int] = field(default_factory=list)
    missing_by_display: list[list[int]] = field(default_factory=list)
    duplicate_numbers: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    printed: int = 0
    unprinted: int = 0  # tickets whose print was never recorded (ticket.printed_at NULL)
    unprinted_unoffered: list[str] = field(default_factory=list)  # of those, never offered to the guard
    faults: list[str] = field(default_factory=list)  # injected
    faults_skipped: list[str] = field(default_factory=list)  # failed every attempt: the day went on without them
    injection_retries: int = 0
    crashed: list[str] = field(default_factory=list)
    restarts: dict[str, int] = field(default_factory=dict)
    driver_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (self.issued > 0 and not self.duplicate_numbers and not self.gaps and not self.crashed
                and set(self.by_status) <= FINAL and all(not m for m in self.missing_by_display)
                and not self.driver_errors)

    def lines(self) -> list[str]:
        return [
            f"tickets issued: {self.issued}; final states: {dict(sorted(self.by_status.items()))}",
            f"calls (called + recalled events): {self.calls}; shown per display: {self.shown_by_display}; "
            f"missing per display: {[len(m) for m in self.missing_by_display]}",
            f"numbers repeated: {len(self.duplicate_numbers)}; gaps in numbering: {len(self.gaps)}",
            f"tickets printed (PNG from the emulator): {self.printed}",
            f"tickets never printed: {self.unprinted}; left unoffered to the guard for a reprint: "
            f"{len(self.unprinted_unoffered)} {self.unprinted_unoffered or ''}".rstrip(),
            f"faults injected: {len(self.faults)}: {dict(sorted(Tally(self.faults).items()))}; "
            f"injections retried: {self.injection_retries}; skipped after every attempt: "
            f"{dict(sorted(Tally(self.faults_skipped).items())) or 'none'}",
            f"process restarts by the test: {self.restarts}; apps that died on their own: {self.crashed or 'none'}",
            f"driver errors: {len(self.driver_errors)}; duration: {self.seconds:.0f} s",
        ]
