"""Colours and sizes of the hallway board (its words are in :mod:`display.texts`)."""

from __future__ import annotations

BACKGROUND = "#0a2342"
PANEL = "#12325c"
PANEL_LINE = "#23497d"
TEXT = "#ffffff"
MUTED = "#a9bfdc"
ACCENT = "#ffc72c"  # the called number
ACCENT_DARK = "#0a2342"
HIGHLIGHT_ROW = "#ffc72c"
TICKER_BG = "#b3261e"

BLINK_MS = 500
