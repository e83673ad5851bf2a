"""Stopping within two seconds of SIGTERM, whatever the app is waiting for.

Python runs a signal handler only between bytecodes of the main thread: a main thread
blocked in C (a PIN check waiting on a locked SQLite file, a PostgreSQL socket) never
gets to ``app.exit``, and a worker thread still inside a query keeps the interpreter
from ending. So the C-level signal handler also writes the signal number to a pipe
(``signal.set_wakeup_fd``); a watcher thread reading it learns of SIGTERM at once and,
if the process is still there after ``grace`` seconds, ends it with ``os._exit``. A
transaction cut short that way is rolled back by the database: nothing committed is
lost, nothing half-done is kept.
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable

GRACE_S = 1.5  # the polite exit first; the hard one well inside the two seconds promised
log = logging.getLogger(__name__)


class ShutdownWatchdog:
    """Watch SIGTERM/SIGINT at C level; call ``polite`` (from Python) and end the process after ``grace``."""

    def __init__(self, polite: Callable[[], None], *, grace: float = GRACE_S,
                 signals: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGINT)) -> None:
        self._polite = polite
        self._grace = grace
        self._signals = signals
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)

    def install(self) -> ShutdownWatchdog:
        """Install the handlers (main thread only) and start the watcher."""
        for signum in self._signals:
            signal.signal(signum, self._on_signal)
        signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        threading.Thread(target=self._watch, name="shutdown-watchdog", daemon=True).start()
        return self

    def _on_signal(self, signum: int, _frame: object) -> None:
        self._polite()

    def _watch(self) -> None:
        while True:
            try:
                data = os.read(self._read, 16)
            except OSError:
                return
            if not data:
                return
            if any(b in {int(s) for s in self._signals} for b in data):
                break
        threading.Event().wait(self._grace)  # a process that ends politely meanwhile takes this thread with it
        log.warning("still running %.1f s after the stop signal: ending the process now", self._grace)
        for handler in logging.getLogger().handlers:
            try:
                handler.flush()
            except Exception:  # noqa: BLE001 - flushing logs must not keep the process alive
                pass
        sys.stderr.flush()
        os._exit(0)
