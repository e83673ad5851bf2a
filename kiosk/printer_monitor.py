"""The kiosk's printer: its health, the print jobs, and the retry after a fault.

Everything that touches the printer runs on one worker thread (a ``TaskRunner`` with
one thread), so a status query never interleaves with a ticket's bytes and the
screen never waits for the printer.

* The health is known before a tap: it is updated after every job and by a poll
  (every ``poll_ok_s`` while healthy, every ``poll_fault_s`` while faulted).
* While the printer is known to be faulted a new ticket is not tried; it waits.
* When the printer recovers, the tickets that failed less than ``retry_window_s``
  ago are printed again by themselves (older ones: the guard reprints on request,
  so no stray ticket comes out for someone who has long left).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.printing import PrinterFactory, PrintJob
from lobby.i18n import pick
from lobby_qt.tasks import TaskRunner
from printer_drivers import PrinterError, PrinterStatus, PrintResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrinterHealth:
    ok: bool
    message_vi: str
    message_en: str
    known: bool = True

    @classmethod
    def from_status(cls, status: PrinterStatus) -> PrinterHealth:
        return cls(status.ok, status.message("vi"), status.message("en"), status.known)

    @classmethod
    def from_error(cls, exc: BaseException) -> PrinterHealth:
        if isinstance(exc, PrinterError):
            return cls(False, exc.message("vi"), exc.message("en"))
        text = f"{type(exc).__name__}: {exc}"
        return cls(False, f"Lỗi máy in: {text}", f"Printer failure: {text}")

    def message(self, lang: str = "vi") -> str:
        return pick(lang, self.message_vi, self.message_en)


def _print(factory: PrinterFactory, job: PrintJob) -> PrintResult:
    with factory() as printer:
        return printer.print_ticket(job.receipt)


def _status(factory: PrinterFactory) -> PrinterStatus:
    with factory() as printer:
        return printer.status()


class PrinterMonitor(QObject):
    """Signals: ``health_changed(PrinterHealth)``, ``faulted(PrinterHealth)``, ``recovered()``,
    ``printed(PrintJob, PrintResult)``, ``failed(PrintJob, PrinterHealth)``."""

    health_changed = Signal(object)
    faulted = Signal(object)
    recovered = Signal()
    printed = Signal(object, object)
    failed = Signal(object, object)

    def __init__(
        self,
        factory: PrinterFactory,
        *,
        poll_ok_s: float = 30.0,
        poll_fault_s: float = 3.0,
        retry_window_s: float = 120.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.factory = factory
        self.poll_ok_s = poll_ok_s
        self.poll_fault_s = poll_fault_s
        self.retry_window_s = retry_window_s
        self.runner = TaskRunner(self, max_threads=1)
        self.health = PrinterHealth(True, "Máy in sẵn sàng", "Printer ready", known=False)
        self.pending: list[PrintJob] = []
        self._checking = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)

    # --- GUI-thread API ------------------------------------------------------------

    def start(self) -> None:
        self._stopped = False
        self.check()

    def stop(self, timeout_ms: int = 15_000) -> None:
        """Stop polling and wait for the job or query in progress to end."""
        self._stopped = True
        self._timer.stop()
        self.runner.wait(timeout_ms)

    def submit(self, job: PrintJob) -> None:
        """Print ``job`` off the GUI thread; while the printer is known faulted, keep it for the retry."""
        if not self.health.ok and not job.reprint:
            self._keep(job)
            self.failed.emit(job, self.health)
            return
        self.runner.run(lambda: _print(self.factory, job), lambda result: self._printed(job, result),
                        lambda exc: self._failed(job, exc))

    def check(self) -> None:
        """Ask the printer's status now (off the GUI thread); a no-op while one is being asked."""
        if self._checking or self._stopped:
            return
        self._checking = True
        self.runner.run(lambda: _status(self.factory), self._checked, self._check_failed)

    # --- results (GUI thread) --------------------------------------------------------

    def _printed(self, job: PrintJob, result: PrintResult) -> None:
        after = result.status_after if result.status_after.known else result.status_before
        self._set(PrinterHealth.from_status(after) if after.known else PrinterHealth(True, *_ready()))
        self.printed.emit(job, result)

    def _failed(self, job: PrintJob, exc: BaseException) -> None:
        log.warning("ticket %s not printed: %s", job.ticket.number, exc)
        health = PrinterHealth.from_error(exc)
        if not job.reprint:
            self._keep(job)
        self._set(health)
        self.failed.emit(job, health)

    def _checked(self, status: PrinterStatus) -> None:
        self._checking = False
        self._set(PrinterHealth.from_status(status) if status.known else PrinterHealth(True, *_ready(), known=False))

    def _check_failed(self, exc: BaseException) -> None:
        self._checking = False
        self._set(PrinterHealth.from_error(exc))

    def _set(self, health: PrinterHealth) -> None:
        was_ok = self.health.ok
        self.health = health
        self.health_changed.emit(health)
        if was_ok and not health.ok:
            self.faulted.emit(health)
        elif health.ok and not was_ok:
            self.recovered.emit()
            self._retry()
        if not self._stopped:
            self._timer.start(int(1000 * (self.poll_ok_s if health.ok else self.poll_fault_s)))

    def _keep(self, job: PrintJob) -> None:
        if all(j.ticket.id != job.ticket.id for j in self.pending):
            self.pending.append(job)

    def _retry(self) -> None:
        now = time.monotonic()
        jobs, self.pending = self.pending, []
        for job in jobs:
            if now - job.created <= self.retry_window_s:
                log.info("printer back: printing ticket %s again", job.ticket.number)
                self.submit(job)
            else:
                log.info("printer back: ticket %s is %.0f s old, not printed again", job.ticket.number,
                         now - job.created)


def _ready() -> tuple[str, str]:
    return PrinterStatus().message("vi"), PrinterStatus().message("en")
