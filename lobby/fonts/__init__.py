"""The bundled DejaVu fonts (see LICENSE-DejaVu.txt): data only, so the reports' charts, the Qt apps
and the printer drivers all draw Vietnamese the same way without importing one another.

Read through importlib.resources, never from the system, so text looks the same on every machine.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold.ttf"
FONT_FILES = (REGULAR, BOLD, CONDENSED_BOLD)


def font_bytes(name: str) -> bytes:
    """The bytes of bundled font ``name`` (one of ``FONT_FILES``)."""
    if name not in FONT_FILES:
        raise ValueError(f"no bundled font {name!r}; use one of {', '.join(FONT_FILES)}")
    return resources.files(__name__).joinpath(name).read_bytes()


@contextmanager
def font_path(name: str) -> Iterator[Path]:
    """A file path of bundled font ``name`` for as long as the ``with`` lasts (for libraries that want a file)."""
    if name not in FONT_FILES:
        raise ValueError(f"no bundled font {name!r}; use one of {', '.join(FONT_FILES)}")
    with resources.as_file(resources.files(__name__).joinpath(name)) as path:
        yield path
