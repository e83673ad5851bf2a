"""Real-time printer status: the ``DLE EOT n`` answers, decoded here.

python-escpos 3.1 reads these too, but reports "paper plenty" when the printer says
nothing at all, so a dead link looks healthy. We decode the bytes ourselves and
treat silence as an error (see ``printer_drivers.connections``).

Each answer is one byte with fixed bits: bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0
(``0x12`` means "nothing to report"). Meaning of the other bits (Epson ESC/POS):

* ``DLE EOT 1`` printer:  bit 3 offline.
* ``DLE EOT 2`` offline cause: bit 2 cover open, bit 3 paper fed by button,
  bit 5 printing stopped by paper end, bit 6 error occurred.
* ``DLE EOT 3`` error cause: bit 3 autocutter error, bit 5 unrecoverable error,
  bit 6 auto-recoverable error.
* ``DLE EOT 4`` roll paper sensor: bits 2-3 near end, bits 5-6 paper end.
"""

from __future__ import annotations

from dataclasses import dataclass

DLE_EOT = b"\x10\x04"
FIXED_MASK = 0x93
FIXED_BITS = 0x12
NOTHING_TO_REPORT = 0x12


def is_status_byte(value: int) -> bool:
    """True when ``value`` has the fixed bits every ``DLE EOT`` answer has."""
    return value & FIXED_MASK == FIXED_BITS


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself. ``known`` is False when the link cannot ask."""

    online: bool = True
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    cutter_error: bool = False
    error: bool = False
    known: bool = True

    @classmethod
    def unknown(cls) -> PrinterStatus:
        """The status of a link that cannot answer (file, CUPS, PNG)."""
        return cls(known=False)

    @property
    def ok(self) -> bool:
        """True when a ticket can be printed (paper near end is only a warning)."""
        return self.online and not (
            self.cover_open or self.paper_out or self.cutter_error or self.error
        )

    def message(self, lang: str = "vi") -> str:
        """The most urgent thing to tell a person, in ``"vi"`` or ``"en"``."""
        key = self._worst()
        vi, en = _MESSAGES[key]
        return en if lang == "en" else vi

    def _worst(self) -> str:
        if not self.known:
            return "unknown"
        if self.paper_out:
            return "paper_out"
        if self.cover_open:
            return "cover_open"
        if self.cutter_error:
            return "cutter_error"
        if self.error:
            return "error"
        if not self.online:
            return "offline"
        if self.paper_near_end:
            return "paper_near_end"
        return "ready"


_MESSAGES: dict[str, tuple[str, str]] = {
    "ready": ("Máy in sẵn sàng", "Printer ready"),
    "unknown": (
        "Không đọc được trạng thái máy in qua kết nối này",
        "This connection cannot report the printer status",
    ),
    "paper_out": (
        "Hết giấy: thay cuộn giấy rồi đóng nắp máy in",
        "Paper out: load a new roll and close the cover",
    ),
    "cover_open": (
        "Nắp máy in đang mở: đóng nắp lại cho đến khi nghe tiếng khớp",
        "Printer cover open: close it until it clicks",
    ),
    "cutter_error": (
        "Lỗi dao cắt: tắt máy in, gỡ giấy kẹt ở dao cắt rồi bật lại",
        "Cutter error: switch the printer off, clear the paper jammed in the cutter, switch it on",
    ),
    "error": (
        "Máy in báo lỗi: tắt máy in rồi bật lại; nếu vẫn lỗi, gọi kỹ thuật",
        "Printer error: switch the printer off and on; if it persists, call support",
    ),
    "offline": (
        "Máy in không sẵn sàng (offline): kiểm tra đèn báo, giấy và nắp máy",
        "Printer offline: check its lights, the paper and the cover",
    ),
    "paper_near_end": (
        "Sắp hết giấy: chuẩn bị thay cuộn giấy mới",
        "Paper near end: have a new roll ready",
    ),
}


def decode_status(
    printer: int, offline_cause: int, paper: int, error_cause: int | None = None
) -> PrinterStatus:
    """Decode the answers to ``DLE EOT 1``, ``2``, ``4`` (and ``3`` when asked).

    ``error_cause`` is only needed when ``offline_cause`` has its error bit set: it
    tells a cutter error from other errors.
    """
    for value in (printer, offline_cause, paper) + (
        () if error_cause is None else (error_cause,)
    ):
        if not is_status_byte(value):
            raise ValueError(f"0x{value:02x} is not a DLE EOT status byte")
    error_occurred = bool(offline_cause & 0x40)
    cutter = error_cause is not None and bool(error_cause & 0x08)
    other_error = error_occurred and not cutter
    if error_cause is not None and error_cause & 0x60:
        other_error = True
    return PrinterStatus(
        online=not printer & 0x08,
        cover_open=bool(offline_cause & 0x04),
        paper_near_end=bool(paper & 0x0C),
        paper_out=bool(paper & 0x60) or bool(offline_cause & 0x20),
        cutter_error=cutter,
        error=other_error,
    )


def encode_status(status: PrinterStatus) -> dict[int, int]:
    """The bytes a printer in ``status`` answers to ``DLE EOT 1..4`` (for emulators)."""
    faulted = not status.ok
    printer = NOTHING_TO_REPORT | (0x08 if faulted or not status.online else 0)
    cause = NOTHING_TO_REPORT
    cause |= 0x04 if status.cover_open else 0
    cause |= 0x20 if status.paper_out else 0
    cause |= 0x40 if status.cutter_error or status.error else 0
    error = NOTHING_TO_REPORT
    error |= 0x08 if status.cutter_error else 0
    error |= 0x20 if status.error else 0
    paper = NOTHING_TO_REPORT
    paper |= 0x0C if status.paper_near_end or status.paper_out else 0
    paper |= 0x60 if status.paper_out else 0
    return {1: printer, 2: cause, 3: error, 4: paper}
