"""The demo ticket: used by the emulator's --help example, the bench and the tests."""

from __future__ import annotations

from printer_drivers.receipt import TicketReceipt

DEMO_RECEIPT = TicketReceipt(
    centre_name="Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng",
    service_name="Đăng ký kinh doanh",
    number="A023",
    issued_at_text="28/11/2026 08:15",
    ahead=12,
    estimated_wait_min=25,
    priority_label="Người cao tuổi",
    qr_payload="https://dichvucong.lamdong.gov.vn/tra-cuu?so=A023&ngay=20261128",
    footer="Vui lòng theo dõi màn hình và loa gọi số. Xin cảm ơn quý khách!",
)
