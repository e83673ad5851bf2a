"""The bundled fonts, so that no screen depends on what the machine has installed.

DejaVu Sans (``lobby/fonts/``) covers every Vietnamese letter with its
diacritics.  Call :func:`load_fonts` once after the ``QApplication`` exists, then use
:func:`ui_font` (or the family name it returns) for every widget::

    app = QApplication(sys.argv)
    family = load_fonts()          # "DejaVu Sans"
    app.setFont(ui_font(14))

``load_fonts`` is idempotent and returns the family name even when called again.
"""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from lobby.line_breaks import break_lines

log = logging.getLogger(__name__)

FONT_PACKAGE = "lobby.fonts"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf")
FALLBACK_FAMILY = "DejaVu Sans"

_loaded: dict[str, str] = {}


def load_fonts() -> str:
    """Register the bundled TTFs with Qt and return the UI family name ("DejaVu Sans").

    Needs a ``QGuiApplication``.  A font that cannot be read is logged (once) and
    skipped; the family name is still returned so callers need no special case.
    """
    if _loaded:
        return _loaded.get("DejaVuSans.ttf", FALLBACK_FAMILY)
    folder = resources.files(FONT_PACKAGE)
    for name in FONT_FILES:
        data = folder.joinpath(name).read_bytes()
        font_id = QFontDatabase.addApplicationFontFromData(data)
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.error("could not load the bundled font %s from %s; text may lack Vietnamese diacritics", name,
                      FONT_PACKAGE)
            continue
        _loaded[name] = families[0]
    return _loaded.get("DejaVuSans.ttf", FALLBACK_FAMILY)


def ui_family() -> str:
    """The UI family name (loads the fonts if needed)."""
    return load_fonts()


def condensed_family() -> str:
    """Family of the condensed bold face (long service names in narrow cells)."""
    load_fonts()
    return _loaded.get("DejaVuSansCondensed-Bold.ttf", ui_family())


def ui_font(point_size: float = 12, *, bold: bool = False, condensed: bool = False) -> QFont:
    """A QFont of the bundled family; sizes in points (``pixel_font`` for pixel sizes)."""
    font = QFont(condensed_family() if condensed else ui_family())
    font.setPointSizeF(point_size)
    font.setBold(bold or condensed)
    return font


def pixel_font(pixel_size: int, *, bold: bool = False, condensed: bool = False) -> QFont:
    """A QFont of the bundled family sized in pixels: for screens laid out in pixels."""
    font = QFont(condensed_family() if condensed else ui_family())
    font.setPixelSize(max(1, int(pixel_size)))
    font.setBold(bold or condensed)
    return font


def fit_words(text: str, width: int, px: int, min_px: int, *, max_lines: int = 3) -> tuple[int, list[str] | None]:
    """The bold pixel size at which ``text`` breaks between words (``lobby.line_breaks``) into at most
    ``max_lines`` lines no wider than ``width``: tried from ``px`` down by 2 until it fits or reaches
    ``min_px``. Returns the size and the lines (None when nothing fits, or there is no width)."""
    lines: list[str] | None = None
    while width > 0 and px > 0:
        metrics = QFontMetrics(pixel_font(px, bold=True))

        def fits(line: str, m: QFontMetrics = metrics) -> bool:
            return m.horizontalAdvance(line) <= width

        lines = break_lines(text, fits, max_lines=max_lines)
        if lines is not None or px <= min_px:
            break
        px -= 2
    return px, lines
