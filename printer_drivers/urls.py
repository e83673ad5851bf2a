"""Printer URLs from the configuration: parsing, checking and safe display."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from printer_drivers.errors import BadPrinterURL

ACCEPTED_FORMS = (
    "tcp://HOST:9100",
    "serial:///dev/ttyUSB0?baudrate=19200",
    "usb://VID:PID (hex, e.g. usb://04b8:0202)",
    "file:///dev/usb/lp0",
    "cups://QUEUE",
    "png://DIRECTORY (e.g. png://var/tickets)",
    "dummy://",
)

_SERIAL_OPTIONS = {"baudrate", "bytesize", "parity", "stopbits", "xonxoff", "rtscts", "dsrdtr"}
_USB_OPTIONS = {"in_ep", "out_ep"}


@dataclass(frozen=True)
class PrinterURL:
    """A parsed printer URL. ``target`` is a host, device, path or queue name."""

    scheme: str
    target: str = ""
    port: int | None = None
    options: dict[str, str] = field(default_factory=dict)
    display: str = ""

    def __str__(self) -> str:
        return self.display


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***`` (safe for messages and logs)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _bad(url: str, why: str) -> BadPrinterURL:
    forms = "\n  ".join(ACCEPTED_FORMS)
    shown = redact(url)
    return BadPrinterURL(
        f"Bad printer URL {shown!r}: {why}. Accepted forms:\n  {forms}",
        f"Địa chỉ máy in {shown!r} không hợp lệ: {why}. Các dạng được chấp nhận:\n  {forms}",
        url=shown,
    )


def parse_printer_url(url: str) -> PrinterURL:
    """Parse ``url`` or raise :class:`BadPrinterURL` listing the accepted forms."""
    if not isinstance(url, str) or "://" not in url:
        raise _bad(str(url), "it has no scheme such as tcp:// or png://")
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        raise _bad(url, str(exc)) from None
    scheme = parts.scheme.lower()
    options = dict(parse_qsl(parts.query))
    display = redact(url.strip())
    netloc = parts.netloc.rsplit("@", 1)[-1]

    if scheme == "tcp":
        host = parts.hostname
        if not host:
            raise _bad(url, "the host is missing")
        try:
            port = parts.port or 9100
        except ValueError:
            raise _bad(url, "the port is not a number from 1 to 65535") from None
        return PrinterURL("tcp", host, port, options, display)
    if scheme == "serial":
        device = parts.path or netloc
        if not device:
            raise _bad(url, "the serial device is missing")
        unknown = set(options) - _SERIAL_OPTIONS
        if unknown:
            raise _bad(url, f"unknown option(s) {', '.join(sorted(unknown))}")
        if "baudrate" in options and not options["baudrate"].isdigit():
            raise _bad(url, "baudrate must be a number such as 9600 or 19200")
        return PrinterURL("serial", device, None, options, display)
    if scheme == "usb":
        vid, sep, pid = netloc.partition(":")
        try:
            if not sep:
                raise ValueError
            int(vid, 16), int(pid, 16)
        except ValueError:
            raise _bad(url, "give the vendor and product id in hex, as VID:PID") from None
        unknown = set(options) - _USB_OPTIONS
        if unknown:
            raise _bad(url, f"unknown option(s) {', '.join(sorted(unknown))}")
        return PrinterURL("usb", f"{vid}:{pid}", None, options, display)
    if scheme == "file":
        if not parts.path:
            raise _bad(url, "the file path is missing")
        return PrinterURL("file", parts.path, None, options, display)
    if scheme == "cups":
        queue = (netloc + parts.path).strip("/")
        if not queue:
            raise _bad(url, "the CUPS queue name is missing")
        return PrinterURL("cups", queue, None, options, display)
    if scheme == "png":
        directory = netloc + parts.path
        if not directory:
            raise _bad(url, "the directory is missing")
        return PrinterURL("png", directory, None, options, display)
    if scheme == "dummy":
        return PrinterURL("dummy", "", None, options, display)
    raise _bad(url, f"unknown scheme {parts.scheme!r}")
