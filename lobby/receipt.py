"""What a ticket says: its words and figures, worded here once for every printer.

:func:`lobby.queue.offer.receipt_text` fills a :class:`TicketReceipt` from an issued
ticket; ``printer_drivers`` lays out what it is given (and imports this module, which
needs nothing but the standard library: no store, no Qt); the kiosk passes it through.
Citizens are addressed as "ông/bà", as in a public office.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from lobby.i18n import nfc


@dataclass(frozen=True)
class ReceiptLabels:
    """The fixed wording around the data. ``{n}``, ``{m}``, ``{label}``, ``{time}`` are filled in."""

    heading: str = "SỐ THỨ TỰ"
    ahead: str = "Số người đang chờ trước ông/bà: {n}"
    ahead_none: str = "Không có ai chờ trước ông/bà"
    wait: str = "Thời gian chờ dự kiến: khoảng {m} phút"
    priority: str = "ƯU TIÊN: {label}"
    issued: str = "Thời gian lấy số: {time}"
    valid: str = "Chỉ có giá trị trong ngày"
    qr_caption: str = "Quét mã để theo dõi lượt chờ"
    remark_caption: str = "Góp ý, phản ánh — quét mã"

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, nfc(getattr(self, f.name)))

    @classmethod
    def english(cls) -> ReceiptLabels:
        return cls(
            heading="YOUR NUMBER",
            ahead="People waiting before you: {n}",
            ahead_none="Nobody is waiting before you",
            wait="Estimated wait: about {m} min",
            priority="PRIORITY: {label}",
            issued="Issued: {time}",
            valid="Valid today only",
            qr_caption="Scan the code to follow your turn",
            remark_caption="Remarks and complaints — scan",
        )

    @classmethod
    def for_lang(cls, lang: str) -> ReceiptLabels:
        """The labels in ``lang`` ("en", else Vietnamese)."""
        return cls.english() if lang == "en" else cls()


@dataclass(frozen=True)
class TicketReceipt:
    """One queue ticket as the kiosk issued it. All text is NFC-normalised."""

    centre_name: str
    service_name: str
    number: str
    issued_at_text: str
    ahead: int
    estimated_wait_min: int | None = None
    priority_label: str | None = None
    qr_payload: str | None = None
    footer: str = ""
    remark_url: str | None = None  # the general (anonymous) remark page, a small second QR code at the foot
    labels: ReceiptLabels = field(default_factory=ReceiptLabels)

    def __post_init__(self) -> None:
        for name in ("centre_name", "service_name", "number", "issued_at_text", "footer"):
            object.__setattr__(self, name, nfc(getattr(self, name)).strip())
        for name in ("priority_label", "qr_payload", "remark_url"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, nfc(value).strip() or None)
        if not self.number:
            raise ValueError("a ticket needs a number")
        if self.ahead < 0:
            raise ValueError("ahead cannot be negative")

    def ahead_text(self) -> str:
        if self.ahead == 0:
            return self.labels.ahead_none
        return self.labels.ahead.format(n=self.ahead)

    def wait_text(self) -> str | None:
        if self.estimated_wait_min is None:
            return None
        return self.labels.wait.format(m=self.estimated_wait_min)

    def priority_text(self) -> str | None:
        if not self.priority_label:
            return None
        return self.labels.priority.format(label=self.priority_label)

    def issued_text(self) -> str:
        return self.labels.issued.format(time=self.issued_at_text)
