from __future__ import annotations

import unicodedata

import pytest

from printer_drivers.receipt import ReceiptLabels, TicketReceipt


def make(**changes: object) -> TicketReceipt:
    fields: dict[str, object] = dict(
        centre_name="Trung tâm", service_name="Hộ tịch", number="B014",
        issued_at_text="28/11/2026 16:59", ahead=3,
    )
    fields.update(changes)
    return TicketReceipt(**fields)  # type: ignore[arg-type]


def test_text_is_nfc_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Đăng ký kinh doanh")
    receipt = make(service_name=decomposed, priority_label=unicodedata.normalize("NFD", "Người cao tuổi"))
    assert receipt.service_name == "Đăng ký kinh doanh"
    assert unicodedata.is_normalized("NFC", receipt.priority_label or "")
    labels = ReceiptLabels(ahead=unicodedata.normalize("NFD", "Trước ông/bà: {n}"))
    assert labels.ahead == "Trước ông/bà: {n}"


def test_default_vietnamese_wording() -> None:
    receipt = make(estimated_wait_min=25, priority_label="Phụ nữ mang thai")
    assert receipt.ahead_text() == "Số người đang chờ trước ông/bà: 3"
    assert receipt.wait_text() == "Thời gian chờ dự kiến: khoảng 25 phút"
    assert receipt.priority_text() == "ƯU TIÊN: Phụ nữ mang thai"
    assert receipt.issued_text() == "Thời gian lấy số: 28/11/2026 16:59"


def test_optional_lines_are_left_out() -> None:
    receipt = make(ahead=0, priority_label="  ", qr_payload="")
    assert receipt.ahead_text() == "Không có ai chờ trước ông/bà"
    assert receipt.wait_text() is None
    assert receipt.priority_text() is None
    assert receipt.qr_payload is None


def test_english_labels() -> None:
    receipt = make(labels=ReceiptLabels.english(), estimated_wait_min=5)
    assert receipt.ahead_text() == "People waiting before you: 3"
    assert receipt.wait_text() == "Estimated wait: about 5 min"


@pytest.mark.parametrize("changes", [{"number": " "}, {"ahead": -1}])
def test_nonsense_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        make(**changes)
