"""The kiosk's service tiles break a name between words, never inside one, at every screen size."""
from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.service_grid import ServiceGrid
from kiosk.style import Style
from lobby.config import load_config
from lobby.line_breaks import breaks_inside_a_word
from lobby_qt.fonts import load_fonts
from support import SETTLE_MS

ROOT = Path(__file__).resolve().parents[2]
SCREENS = [(1080, 1920), (768, 1366), (540, 960), (1920, 1080), (1366, 768), (1024, 768), (800, 600)]


@pytest.mark.parametrize("config", ["demo.toml", "default.toml"])
@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_every_service_name_breaks_between_words(qtbot: QtBot, config: str, width: int, height: int) -> None:
    load_fonts()
    cfg = load_config(ROOT / "config" / config)
    grid = ServiceGrid(cfg.services, Style.for_size(width, height))
    qtbot.addWidget(grid)
    grid.resize(width - 40, int(height * 0.7))
    grid.show()
    qtbot.waitExposed(grid, timeout=SETTLE_MS)
    checked = 0
    for page in range(grid.pages):
        grid.show_page(page)
        for button in grid.buttons.values():
            if not button.isVisible():
                continue
            lines = button.name.text().split("\n")
            assert " ".join(lines) == " ".join(button.service.name("vi").split())
            assert breaks_inside_a_word(lines) == [], (button.service.code, lines, width, height)
            widest = max(button.name.fontMetrics().horizontalAdvance(line) for line in lines)
            assert widest <= button.width(), (button.service.code, lines)
            checked += 1
    assert checked == len(cfg.services)
