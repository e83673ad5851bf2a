"""The emulator on a TCP port, like an Ethernet printer's raw port 9100."""

from __future__ import annotations

import socket
import struct
import threading
from pathlib import Path

from printer_drivers.emulator.control import ControlServer
from printer_drivers.emulator.core import EmulatorFront, LinkJob, PrinterCore

POLL = 0.05  # seconds between checks of the stop flag and the state


class PrinterEmulator(EmulatorFront):
    """An ESC/POS printer on ``host:port`` writing each ticket to ``out_dir`` as a PNG.

    ``port=0`` picks a free port (read ``.port`` after ``start()``). With
    ``control_port`` set (0 = pick one), a line protocol on that port switches the
    state from another process: see :mod:`printer_drivers.emulator.control`.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        out_dir: Path = Path("var/emulator"),
        *,
        paper_mm: int = 80,
        control_port: int | None = None,
        core: PrinterCore | None = None,
        control_host: str = "127.0.0.1",
        control_beyond_loopback: bool = False,
    ) -> None:
        self.host = host
        self.control_host = control_host  # never ``host``: the printer port may face the LAN, the control port not
        self._requested_port = port
        self.core = core or PrinterCore(out_dir, paper_mm=paper_mm)
        self._control = ControlServer(self.core, control_host, control_port,
                                      beyond_loopback=control_beyond_loopback) if control_port is not None else None
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> PrinterEmulator:
        listener = socket.create_server((self.host, self._requested_port), reuse_port=False)
        listener.settimeout(POLL)
        self._listener = listener
        self._stopping.clear()
        self._spawn(self._accept_loop)
        if self._control is not None:
            self._control.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._control is not None:
            self._control.stop()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    # -- what tests use --------------------------------------------------------

    @property
    def port(self) -> int:
        if self._listener is None:
            raise RuntimeError("the emulator is not started")
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    @property
    def control_port(self) -> int | None:
        return self._control.port if self._control is not None else None

    # -- serving -------------------------------------------------------------

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn(self._serve, client)

    def _serve(self, client: socket.socket) -> None:
        job = LinkJob(self.core)
        client.settimeout(POLL)
        with client:
            while not self._stopping.is_set():
                if job.hung():
                    self._stopping.wait(POLL)  # a jammed printer: reads nothing more
                    continue
                try:
                    data = client.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data:
                    job.flush()
                    return
                answers, action = job.feed(data)
                if answers:
                    try:
                        client.sendall(answers)
                    except OSError:
                        return
                if action == "vanish":
                    # reset, not a polite close: as a printer switched off mid-job
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
