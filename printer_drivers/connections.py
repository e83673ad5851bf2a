"""Links to printers, one class per URL scheme, each wrapping a python-escpos printer.

Every link is opened and closed explicitly and never blocks for longer than its
timeout: sockets, serial writes and reads, USB transfers and device-file writes all
have one (python-escpos's USB default of "no timeout" hangs when the cover is open).
Bytes are sent in chunks so the timeout means "no progress for that long", not
"the whole ticket within that long" (a 14 kB ticket takes 15 s at 9,600 baud).
"""

from __future__ import annotations

import os
import re
import select
import shutil
import socket
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from escpos.escpos import Escpos
from escpos.printer import CupsPrinter, Dummy, File, LP, Network, Serial, Usb

from printer_drivers.errors import PrinterError, PrinterUnreachable
from printer_drivers.profiles import PrinterProfile
from printer_drivers.render import render_bytes
from printer_drivers.status import DLE_EOT, PrinterStatus, encode_status
from printer_drivers.urls import PrinterURL


class Connection:
    """An open link to one printer. Subclasses set ``answers_status`` and ``printer``."""

    answers_status = False
    chunk_size = 4096
    #: What to check, in English and Vietnamese, when the printer cannot be reached.
    advice = ("check the printer is switched on and connected", "kiểm tra máy in đã bật và đã kết nối")

    def __init__(self, url: PrinterURL, profile: PrinterProfile, timeout: float) -> None:
        self.url = url
        self.profile = profile
        self.timeout = timeout
        self.printer: Escpos | None = None

    # -- lifecycle -----------------------------------------------------------

    def open(self) -> None:
        self.printer = self._make()
        try:
            self.printer.open()
        except PrinterError:
            raise
        except Exception as exc:  # escpos wraps OSError in DeviceNotFoundError
            self.printer = None
            raise self.unreachable("cannot be reached", "không kết nối được", exc) from None

    def close(self) -> None:
        printer, self.printer = self.printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:  # closing a dead link must not hide the real error
                pass

    def _make(self) -> Escpos:
        raise NotImplementedError

    # -- jobs ----------------------------------------------------------------

    def send(self, data: bytes) -> int:
        """Send ``data``; on failure raise :class:`PrinterUnreachable` with the bytes sent."""
        printer = self._require()
        sent = 0
        try:
            for start in range(0, len(data), self.chunk_size):
                chunk = data[start:start + self.chunk_size]
                printer._raw(chunk)
                sent += len(chunk)
        except PrinterError:
            raise
        except Exception as exc:
            raise self.unreachable(
                "stopped accepting data mid-ticket", "ngừng nhận dữ liệu giữa chừng", exc, sent
            ) from None
        return sent

    def ask(self, n: int) -> int:
        """Send ``DLE EOT n`` and return the one-byte answer (silence is an error)."""
        printer = self._require()
        try:
            printer._raw(DLE_EOT + bytes((n,)))
            deadline = time.monotonic() + self.timeout
            while True:
                answer = printer._read()
                if answer:
                    return answer[0]
                if self._closed_by_peer(answer) or time.monotonic() >= deadline:
                    break
        except PrinterError:
            raise
        except TimeoutError:
            pass
        except Exception as exc:
            raise self.unreachable("stopped answering", "không trả lời", exc) from None
        raise self.unreachable(
            f"did not answer the status query within {self.timeout:g} s",
            f"không trả lời trong {self.timeout:g} giây",
        )

    def _closed_by_peer(self, answer: bytes) -> bool:
        return False

    def end_job(self, number: str) -> Path | None:
        """Called after a ticket is sent: flush, submit or write it. Returns a file if any."""
        return None

    def simulated_status(self) -> PrinterStatus | None:
        return None

    # -- helpers -------------------------------------------------------------

    def _require(self) -> Escpos:
        if self.printer is None:
            raise PrinterError(
                f"Printer {self.url} is not open: use it inside 'with open_printer(...)'",
                f"Máy in {self.url} chưa được mở",
                url=str(self.url),
            )
        return self.printer

    def unreachable(
        self, what_en: str, what_vi: str, exc: BaseException | None = None, sent: int = 0
    ) -> PrinterUnreachable:
        detail = f" ({_describe(exc)})" if exc is not None else ""
        en = f"Printer {self.url} {what_en}{detail}: {self.advice[0]}"
        vi = f"Máy in {self.url} {what_vi}{detail}: {self.advice[1]}"
        if sent:
            en += ". Part of the ticket was sent: print it again."
            vi += ". Vé đã được gửi một phần: in lại vé."
        return PrinterUnreachable(en, vi, url=str(self.url), bytes_sent=sent)


def _describe(exc: BaseException) -> str:
    if type(exc).__module__.startswith("escpos") and exc.__context__ is not None:
        exc = exc.__context__  # escpos wraps the OSError that says what happened
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1]}" if text else type(exc).__name__


# -- links that answer -----------------------------------------------------


class _Network(Network):
    """python-escpos's Network, but a failed connect closes its socket (escpos leaks it)."""

    def open(self, raise_not_found: bool = True) -> None:
        self._device = socket.create_connection((self.host, self.port), timeout=self.timeout)


class TcpConnection(Connection):
    """``tcp://host:9100``: the usual Ethernet printer (raw port 9100)."""

    answers_status = True

    @property
    def advice(self) -> tuple[str, str]:  # type: ignore[override]
        where = f"{self.url.target}:{self.url.port}"
        return (
            f"check the printer is on, its network cable is plugged in and its address is {where}",
            f"kiểm tra máy in đã bật, cáp mạng đã cắm và địa chỉ là {where}",
        )

    def _make(self) -> Escpos:
        return _Network(
            host=self.url.target, port=self.url.port or 9100, timeout=self.timeout,
            profile=self.profile.name,
        )

    def _closed_by_peer(self, answer: bytes) -> bool:
        if answer == b"":
            raise self.unreachable("closed the connection", "đã ngắt kết nối")
        return False


class _Serial(Serial):
    """python-escpos's Serial with a write timeout, prompt reads and a close that never drains."""

    def __init__(self, *, write_timeout: float, rtscts: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.write_timeout = write_timeout
        self.rtscts = rtscts

    def open(self, raise_not_found: bool = True) -> None:
        super().open(raise_not_found)
        if self._device:
            self._device.write_timeout = self.write_timeout
            self._device.rtscts = self.rtscts

    def _read(self) -> bytes:
        assert self._device
        return bytes(self._device.read(1))  # returns at the first byte, or after the timeout

    def close(self) -> None:
        device, self._device = self._device, False
        if not device:
            return
        try:  # escpos flushes here, which waits forever for a printer that stopped reading
            if device.out_waiting:
                device.reset_output_buffer()
        except Exception:
            pass
        device.close()


class SerialConnection(Connection):
    """``serial:///dev/ttyUSB0?baudrate=19200`` (also parity, stopbits, xonxoff, rtscts)."""

    answers_status = True
    advice = (
        "check the cable, the device name and that the baud rate matches the printer's self-test page",
        "kiểm tra cáp, tên cổng và tốc độ baud khớp với trang tự kiểm tra của máy in",
    )

    @property
    def baudrate(self) -> int:
        return int(self.url.options.get("baudrate", 9600))

    @property
    def chunk_size(self) -> int:  # type: ignore[override]
        # about half the timeout's worth of bytes (10 bits a byte on the wire)
        return max(64, min(4096, int(self.baudrate / 10 * self.timeout / 2)))

    def _make(self) -> Escpos:
        opts = self.url.options
        flag = lambda name, default: opts.get(name, default).lower() in ("1", "true", "yes", "on")  # noqa: E731
        return _Serial(
            devfile=self.url.target,
            baudrate=self.baudrate,
            bytesize=int(opts.get("bytesize", 8)),
            parity=opts.get("parity", "N").upper(),
            stopbits=int(opts.get("stopbits", 1)),
            timeout=self.timeout,
            xonxoff=flag("xonxoff", "0"),
            dsrdtr=flag("dsrdtr", "0"),
            rtscts=flag("rtscts", "0"),
            write_timeout=self.timeout,
            profile=self.profile.name,
        )


class _Usb(Usb):
    """python-escpos's Usb with a finite timeout on reads too (milliseconds, as pyusb)."""

    def _read(self) -> bytes:
        assert self._device
        return bytes(self._device.read(self.in_ep, 16, self.timeout))


class UsbConnection(Connection):
    """``usb://VID:PID`` through pyusb (optional ``in_ep``, ``out_ep``)."""

    answers_status = True
    advice = (
        "check the USB cable and that the printer is switched on",
        "kiểm tra cáp USB và máy in đã bật",
    )

    def _make(self) -> Escpos:
        if not Usb.is_usable():
            raise PrinterError(
                f"Printer {self.url}: USB printing needs the pyusb package and libusb "
                "(pip install pyusb; apt install libusb-1.0-0), or use file:///dev/usb/lp0",
                f"Máy in {self.url}: in qua USB cần gói pyusb và libusb, hoặc dùng file:///dev/usb/lp0",
                url=str(self.url),
            )
        vid, pid = (int(part, 16) for part in self.url.target.split(":"))
        opts = self.url.options
        return _Usb(
            vid, pid, timeout=max(1, int(self.timeout * 1000)),
            in_ep=int(opts.get("in_ep", "0x82"), 0), out_ep=int(opts.get("out_ep", "0x01"), 0),
            profile=self.profile.name,
        )


# -- links that cannot answer ---------------------------------------------


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
        except Exception as exc:
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
            raise self.unreachable("cannot create its directory", "không tạo được thư mục", exc)
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


SCHEMES: dict[str, type[Connection]] = {
    "tcp": TcpConnection,
    "serial": SerialConnection,
    "usb": UsbConnection,
    "file": FileConnection,
    "cups": CupsConnection,
    "png": PngConnection,
    "dummy": DummyConnection,
}


def connection_for(url: PrinterURL, profile: PrinterProfile, timeout: float) -> Connection:
    return SCHEMES[url.scheme](url, profile, timeout)


__all__ = ["Connection", "DummyPrinter", "SCHEMES", "connection_for"]
