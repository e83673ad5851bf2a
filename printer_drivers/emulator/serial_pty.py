"""The emulator behind a pseudo-terminal, so pyserial code is tested for real.

``device`` (e.g. ``/dev/pts/7``) is what a ``serial://`` URL names. A serial line has
no "connection closed", so besides the cut a ticket also ends when the line has been
idle for ``idle_flush`` seconds (printers without a cutter).
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from pathlib import Path

from printer_drivers.emulator.core import EmulatorFront, LinkJob, PrinterCore

POLL = 0.05


class SerialPrinterEmulator(EmulatorFront):
    def __init__(
        self,
        out_dir: Path = Path("var/emulator"),
        *,
        paper_mm: int = 80,
        idle_flush: float = 1.0,
        core: PrinterCore | None = None,
    ) -> None:
        self.core = core or PrinterCore(out_dir, paper_mm=paper_mm)
        self.idle_flush = idle_flush
        self._master: int | None = None
        self._slave: int | None = None
        self.device = ""
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> SerialPrinterEmulator:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo and no CR/LF translation: bytes pass as they are
        self.device = os.ttyname(self._slave)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._close_master()
        if self._slave is not None:
            os.close(self._slave)
            self._slave = None

    @property
    def url(self) -> str:
        return f"serial://{self.device}?baudrate=115200"

    def _close_master(self) -> None:
        if self._master is not None:
            os.close(self._master)
            self._master = None

    def _run(self) -> None:
        job = LinkJob(self.core)
        last = time.monotonic()
        while not self._stopping.is_set() and self._master is not None:
            if job.hung():
                self._stopping.wait(POLL)  # stop reading: the pty buffer fills, writes block
                continue
            ready, _, _ = select.select([self._master], [], [], POLL)
            if not ready:
                if time.monotonic() - last > self.idle_flush:
                    job.flush()
                    last = time.monotonic()
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:  # no process has the device open
                self._stopping.wait(POLL)
                continue
            last = time.monotonic()
            answers, action = job.feed(data)
            if answers:
                os.write(self._master, answers)
            if action == "vanish":
                self._close_master()  # as a cable pulled out: the other side sees a hang-up
                return
