from __future__ import annotations

import pytest

from printer_drivers.errors import BadPrinterURL, PrinterError
from printer_drivers.urls import ACCEPTED_FORMS, parse_printer_url, redact


@pytest.mark.parametrize(
    ("url", "scheme", "target", "port", "options"),
    [
        ("tcp://192.168.1.50:9100", "tcp", "192.168.1.50", 9100, {}),
        ("tcp://printer.local", "tcp", "printer.local", 9100, {}),
        ("serial:///dev/ttyUSB0?baudrate=19200", "serial", "/dev/ttyUSB0", None, {"baudrate": "19200"}),
        ("serial://COM3?baudrate=9600", "serial", "COM3", None, {"baudrate": "9600"}),
        ("usb://04b8:0202", "usb", "04b8:0202", None, {}),
        ("usb://0416:5011?in_ep=0x81&out_ep=0x03", "usb", "0416:5011", None, {"in_ep": "0x81", "out_ep": "0x03"}),
        ("file:///dev/usb/lp0", "file", "/dev/usb/lp0", None, {}),
        ("cups://Kiosk_Printer", "cups", "Kiosk_Printer", None, {}),
        ("png://var/tickets", "png", "var/tickets", None, {}),
        ("png:///srv/lobby/tickets", "png", "/srv/lobby/tickets", None, {}),
        ("dummy://", "dummy", "", None, {}),
    ],
)
def test_accepted_forms(url: str, scheme: str, target: str, port: int | None, options: dict[str, str]) -> None:
    parsed = parse_printer_url(url)
    assert (parsed.scheme, parsed.target, parsed.port, parsed.options) == (scheme, target, port, options)
    assert str(parsed) == url


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("192.168.1.50", "no scheme"),
        ("http://printer", "unknown scheme"),
        ("tcp://", "host is missing"),
        ("tcp://host:99999", "port"),
        ("serial://", "device is missing"),
        ("serial:///dev/ttyS0?baud=9600", "unknown option"),
        ("serial:///dev/ttyS0?baudrate=fast", "baudrate must be a number"),
        ("usb://epson", "VID:PID"),
        ("usb://zz:01", "VID:PID"),
        ("cups://", "queue name is missing"),
        ("png://", "directory is missing"),
    ],
)
def test_bad_urls_say_why_and_list_the_accepted_forms(url: str, why: str) -> None:
    with pytest.raises(BadPrinterURL) as caught:
        parse_printer_url(url)
    message = str(caught.value)
    assert why in message
    for form in ACCEPTED_FORMS:
        assert form in message
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, PrinterError)
    assert "không hợp lệ" in caught.value.message("vi")


def test_passwords_never_shown() -> None:
    with pytest.raises(BadPrinterURL) as caught:
        parse_printer_url("ipp://admin:s3cret@printer/queue")
    assert "s3cret" not in str(caught.value)
    assert redact("tcp://admin:s3cret@printer:9100") == "tcp://admin:***@printer:9100"
    assert str(parse_printer_url("tcp://admin:s3cret@printer:9100")) == "tcp://admin:***@printer:9100"
