"""Sizes and colours for the kiosk, from the screen's size and orientation.

Everything is in pixels relative to the short side of the screen (1080 on the usual
kiosk panels), so the same screens work at 1080×1920 portrait and 1920×1080
landscape. Text a citizen must read from a metre away is never under ~34 px.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QLayout, QWidget

from lobby_qt.fonts import pixel_font

BLUE = "#0d47a1"
BLUE_DARK = "#08306b"
INK = "#1a1a1a"
MUTED = "#4a5560"
PAPER = "#f4f6f8"
WHITE = "#ffffff"
ORANGE = "#c25400"
GREEN = "#0b6e3d"
RED = "#b3261e"
GREY = "#c9d0d6"


@dataclass(frozen=True)
class Style:
    width: int
    height: int

    @classmethod
    def for_size(cls, width: int, height: int) -> Style:
        return cls(max(width, 320), max(height, 320))

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    @property
    def unit(self) -> float:
        """One pixel of the 1080-px design, scaled."""
        return min(self.width, self.height) / 1080

    def px(self, design: float) -> int:
        return max(1, round(design * self.unit))

    # the service grid
    @property
    def columns(self) -> int:
        return 2 if self.portrait else 4

    @property
    def rows(self) -> int:
        return 6 if self.portrait else 3

    # font sizes (pixels)
    @property
    def title_px(self) -> int:
        return self.px(46)

    @property
    def clock_px(self) -> int:
        return self.px(36)

    @property
    def service_px(self) -> int:
        return self.px(42 if self.portrait else 34)

    @property
    def small_px(self) -> int:
        return self.px(30)

    @property
    def body_px(self) -> int:
        return self.px(40)

    @property
    def number_px(self) -> int:
        return self.px(330 if self.portrait else 300)

    @property
    def key_px(self) -> int:
        return self.px(140 if self.portrait else 110)


def label_font(label: QLabel, pixel_size: int, *, bold: bool = False) -> None:
    """Set a label's font with room above for stacked Vietnamese marks on capitals (Ố, Ủ, Ẩ…).

    A QLabel is as tall as the font's ascent, and DejaVu's capital-plus-two-marks
    letters reach higher: without the margin "SỐ" is drawn as "SÔ", clipped.
    """
    label.setFont(pixel_font(pixel_size, bold=bold))
    label.setContentsMargins(0, max(2, pixel_size // 4), 0, 0)


def box(widget: QWidget) -> QLayout:
    """The widget's own layout (every kiosk page makes it in its constructor, before styling)."""
    layout = widget.layout()
    if layout is None:
        raise RuntimeError(f"{type(widget).__name__} is styled before it has a layout")
    return layout
