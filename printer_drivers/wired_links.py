"""Links over a wire: TCP port 9100, a serial port, USB. Each one's reads and writes time out."""
from __future__ import annotations

import socket
from typing import Any

from escpos.escpos import Escpos
from escpos.printer import Network, Serial, Usb

from printer_drivers.connection import Connection
from printer_drivers.errors import PrinterError


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
        device: Any = self._device  # a pyserial Serial once open (escpos types it loosely)
        if device:
            device.write_timeout = self.write_timeout
            device.rtscts = self.rtscts

    def _read(self) -> bytes:
        device: Any = self._device
        assert device
        return bytes(device.read(1))  # returns at the first byte, or after the timeout

    def close(self) -> None:
        device: Any = self._device  # type: ignore[has-type]  # escpos sets it in open() only
        self._device = False
        if not device:
            return
        try:  # escpos flushes here, which waits forever for a printer that stopped reading
            if device.out_waiting:
                device.reset_output_buffer()
        except Exception:  # noqa: BLE001 - a port already gone has nothing to drop
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
        flag = lambda name, default: (opts.get(name) or default).lower() in ("1", "true", "yes", "on")  # noqa: E731
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
