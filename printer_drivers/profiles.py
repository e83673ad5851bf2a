"""Printer profiles: python-escpos capability profiles plus the paper width we lay out for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from escpos.capabilities import CAPABILITIES, get_profile

from printer_drivers.errors import PrinterError

#: Printable width in dots for each paper width, at the usual 203 dpi.
PAPER_DOTS = {58: 384, 80: 576}

#: The profile used when the configuration names none. TM-T20II: 80 mm, 576 dots,
#: native QR, partial cut. POS-5890: the common cheap 58 mm printer, 384 dots,
#: no native QR and no cutter.
DEFAULT_PROFILES = {80: "TM-T20II", 58: "POS-5890"}


@dataclass(frozen=True)
class PrinterProfile:
    """What the layout needs to know about a printer."""

    name: str
    escpos_profile: Any
    width_dots: int
    native_qr: bool
    can_cut: bool
    partial_cut: bool


def profile_names() -> list[str]:
    return sorted(CAPABILITIES["profiles"])


def resolve_profile(profile: str | None = None, paper_mm: int = 80) -> PrinterProfile:
    """Pick the escpos profile and the layout width.

    With no ``profile``, ``paper_mm`` picks the default profile for that paper.
    The profile's own media width wins when it is known; otherwise the width comes
    from ``paper_mm``.
    """
    if paper_mm not in PAPER_DOTS:
        raise PrinterError(
            f"Paper width {paper_mm} mm is not supported: use 58 or 80",
            f"Khổ giấy {paper_mm} mm không được hỗ trợ: dùng 58 hoặc 80",
        )
    name = profile or DEFAULT_PROFILES[paper_mm]
    if name not in CAPABILITIES["profiles"]:
        known = ", ".join(profile_names())
        raise PrinterError(
            f"Unknown printer profile {name!r}. Known profiles: {known}",
            f"Không có cấu hình máy in {name!r}. Các cấu hình có sẵn: {known}",
        )
    escpos_profile = get_profile(name)
    pixels = escpos_profile.profile_data.get("media", {}).get("width", {}).get("pixels")
    width = pixels if isinstance(pixels, int) else PAPER_DOTS[paper_mm]
    return PrinterProfile(
        name=name,
        escpos_profile=escpos_profile,
        width_dots=width,
        native_qr=bool(escpos_profile.supports("qrCode")),
        can_cut=bool(
            escpos_profile.supports("paperPartCut") or escpos_profile.supports("paperFullCut")
        ),
        partial_cut=bool(escpos_profile.supports("paperPartCut")),
    )
