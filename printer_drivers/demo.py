"""The demo ticket: used by the emulator's --help example, the bench and the tests."""

from __future__ import annotations

from printer_drivers.receipt import TicketReceipt

DEMO_RECEIPT = TicketReceipt(
    centre_name="Trung tâm Phục vụ hành chính công tỉnh Bình An",
    service_name="Đăng ký kinh doanh",
    number="A023",
    issued_at_text="08:15 28/11/2025",
    ahead=12,
    estimated_wait_min=25,
    priority_label="Người cao tuổi",
    qr_payload="http://192.168.1.10:8080/v/Xq7mK2pVw9Rt4LzN",
    footer="Xin cảm ơn ông/bà. Vui lòng chú ý màn hình và loa gọi số.",
    remark_url="http://192.168.1.10:8080/gop-y",
)
