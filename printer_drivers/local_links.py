"""Links on this machine: a device file, a CUPS queue, PNG files (the demo printer), and a recording dummy."""
from __future__ import annotations

import os
import re
import select
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from escpos.escpos import Escpos
from escpos.printer import LP, CupsPrinter, Dummy, File

from printer_drivers.connection import Connection
from printer_drivers.errors import PrinterError
from printer_drivers.profiles import PrinterProfile
from printer_drivers.render import render_bytes
from printer_drivers.status import DLE_EOT, PrinterStatus, encode_status
from printer_drivers.urls import PrinterURL


class _File(File):
    """python-escpos's File, written without blocking: a stalled device times out."""

    def __init__(self, *, timeout: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timeout = timeout
        self._fd: int | None = None

    def open(self, raise_not_found: bool = True) -> None:
        flags = os.O_WRONLY | os.O_NONBLOCK
        if not self.devfile.startswith("/dev/"):
            flags |= os.O_CREAT | os.O_TRUNC  # never invent a device file when unplugged
        self._fd = os.open(self.devfile, flags, 0o644)
        self._device = True

    def _raw(self, msg: bytes) -> None:
        assert self._fd is not None
        view = memoryview(msg)
        deadline = time.monotonic() + self.timeout
        while view:
            try:
                view = view[os.write(self._fd, view):]
                continue
            except BlockingIOError:
                pass
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"device accepted nothing for {self.timeout:g} s")
            select.select([], [self._fd], [], left)

    def close(self) -> None:
        fd, self._fd, self._device = self._fd, None, False
        if fd is not None:
            os.close(fd)


class FileConnection(Connection):
    """``file:///dev/usb/lp0``: a device file (the kernel's usblp or parallel driver)."""

    advice = (
        "check the device path exists and this user may write to it (group lp)",
        "kiểm tra đường dẫn thiết bị và quyền ghi (nhóm lp)",
    )

    def _make(self) -> Escpos:
        return _File(devfile=self.url.target, timeout=self.timeout, profile=self.profile.name)


class CupsConnection(Connection):
    """``cups://Queue``: a raw CUPS queue, through pycups or else the ``lp`` command."""

    advice = (
        "check the queue name (lpstat -p) and that CUPS is running",
        "kiểm tra tên hàng đợi (lpstat -p) và dịch vụ CUPS đang chạy",
    )

    def _make(self) -> Escpos:
        if CupsPrinter.is_usable():
            return CupsPrinter(printer_name=self.url.target, profile=self.profile.name)
        if LP.is_usable() and shutil.which("lp") and shutil.which("lpstat"):  # is_usable only checks the OS
            return LP(printer_name=self.url.target, profile=self.profile.name)
        raise PrinterError(
            f"Printer {self.url}: CUPS printing needs pycups (pip install pycups) "
            "or the lp command (apt install cups-client)",
            f"Máy in {self.url}: in qua CUPS cần gói pycups hoặc lệnh lp (cups-client)",
            url=str(self.url),
        )

    def end_job(self, number: str) -> Path | None:
        printer = self._require()
        try:
            if isinstance(printer, CupsPrinter):
                printer.send()
            elif isinstance(printer, LP):
                printer.flush()
        except Exception as exc:  # noqa: BLE001 - CUPS and lp fail in many ways: all mean "refused"
            raise self.unreachable("refused the job", "từ chối lệnh in", exc) from None
        return None


class _Collector(Escpos):
    """An escpos printer that keeps what it is sent (the base of png:// and dummy://)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.buffer = bytearray()

    def _raw(self, msg: bytes) -> None:
        self.buffer += msg


class PngConnection(Connection):
    """``png://DIR``: writes each ticket as ``DIR/<number>-<time>.png``, drawn from its bytes."""

    advice = ("check the directory can be written", "kiểm tra thư mục có quyền ghi")

    def _make(self) -> Escpos:
        directory = Path(self.url.target)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self.unreachable("cannot create its directory", "không tạo được thư mục", exc) from None
        return _Collector(profile=self.profile.name)

    def end_job(self, number: str) -> Path | None:
        printer = self._require()
        assert isinstance(printer, _Collector)
        data, printer.buffer = bytes(printer.buffer), bytearray()
        pages = render_bytes(data, self.profile.width_dots)
        safe = re.sub(r"[^\w.-]+", "_", number) or "ticket"
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = Path(self.url.target) / f"{safe}-{stamp}.png"
        try:
            pages[0].save(path)
        except (OSError, IndexError) as exc:
            raise self.unreachable("cannot write the ticket image", "không ghi được ảnh vé", exc) from None
        return path


class DummyPrinter(Dummy):
    """python-escpos's Dummy that also answers ``DLE EOT`` from ``state`` (for tests).

    Status queries are answered, not recorded, so ``output`` holds the ticket only.
    Set ``answering = False`` to simulate a printer that never answers.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = PrinterStatus()
        self.answering = True
        self._answers = bytearray()

    def _raw(self, msg: bytes) -> None:
        if len(msg) == 3 and msg[:2] == DLE_EOT:
            if self.answering:
                self._answers.append(encode_status(self.state)[msg[2]])
            return
        super()._raw(msg)

    def _read(self) -> bytes:
        answers, self._answers = bytes(self._answers), bytearray()
        return answers


class DummyConnection(Connection):
    """``dummy://``: keeps the bytes (``connection.printer.output``) and answers status."""

    answers_status = True

    def __init__(self, url: PrinterURL, profile: PrinterProfile, timeout: float) -> None:
        super().__init__(url, profile, timeout)
        self.dummy = DummyPrinter(profile=profile.name)

    def _make(self) -> Escpos:
        return self.dummy

    def ask(self, n: int) -> int:
        if not self.dummy.answering:  # no need to wait out the timeout: nobody is there
            raise self.unreachable(
                f"did not answer the status query within {self.timeout:g} s",
                f"không trả lời trong {self.timeout:g} giây",
            )
        return super().ask(n)
