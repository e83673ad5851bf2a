"""Decoding DLE EOT answers: bytes as the Epson ESC/POS reference documents them."""

from __future__ import annotations

import pytest

from printer_drivers.status import PrinterStatus, decode_status, encode_status

READY = 0x12  # fixed bits only: nothing to report


def test_all_clear() -> None:
    status = decode_status(READY, READY, READY)
    assert status == PrinterStatus()
    assert status.ok and status.known


def test_offline_bit_of_printer_status() -> None:
    status = decode_status(0x1A, READY, READY)
    assert not status.online and not status.ok


def test_cover_open() -> None:
    status = decode_status(0x1A, 0x16, READY)
    assert status.cover_open and not status.ok
    assert "Nắp máy in đang mở" in status.message("vi")
    assert "cover open" in status.message("en")


def test_paper_out_from_roll_sensor_and_offline_cause() -> None:
    assert decode_status(0x1A, READY, 0x72).paper_out
    assert decode_status(0x1A, 0x32, READY).paper_out
    status = decode_status(0x1A, 0x32, 0x7E)
    assert status.paper_out and status.paper_near_end
    assert status.message("vi") == "Hết giấy: thay cuộn giấy rồi đóng nắp máy in"
    assert status.message("en") == "Paper out: load a new roll and close the cover"


def test_paper_near_end_is_only_a_warning() -> None:
    status = decode_status(READY, READY, 0x1E)
    assert status.paper_near_end and status.ok
    assert "Sắp hết giấy" in status.message("vi")


def test_cutter_error_needs_the_error_cause() -> None:
    assert decode_status(0x1A, 0x52, READY, 0x1A).cutter_error
    other = decode_status(0x1A, 0x52, READY, 0x32)
    assert other.error and not other.cutter_error and not other.ok


@pytest.mark.parametrize("bad", [0x00, 0xFF, 0x41])
def test_bytes_without_the_fixed_bits_are_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="not a DLE EOT status byte"):
        decode_status(bad, READY, READY)


@pytest.mark.parametrize(
    "status",
    [
        PrinterStatus(),
        PrinterStatus(online=False),
        PrinterStatus(online=False, cover_open=True),
        PrinterStatus(online=False, paper_out=True, paper_near_end=True),
        PrinterStatus(paper_near_end=True),
        PrinterStatus(online=False, cutter_error=True),
        PrinterStatus(online=False, error=True),
    ],
)
def test_encode_decode_round_trip(status: PrinterStatus) -> None:
    answers = encode_status(status)
    assert decode_status(answers[1], answers[2], answers[4], answers[3]) == status


def test_unknown_status_is_not_a_fault() -> None:
    status = PrinterStatus.unknown()
    assert status.ok and not status.known
    assert "cannot report" in status.message("en")
