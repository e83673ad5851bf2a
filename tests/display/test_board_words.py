"""The board read from across the hall: the waiting strip labelled, large, names whole; a lost connection
changes the big panel itself."""
from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from display.board import BoardWindow
from display.model import BoardModel
from lobby.config import CentreConfig
from lobby.line_breaks import breaks_inside_a_word
from support import SETTLE_MS


@pytest.mark.parametrize("portrait", [False, True])
def test_waiting_strip_is_labelled_large_and_shows_every_name_whole(qtbot: QtBot, cfg: CentreConfig,
                                                                     portrait: bool) -> None:
    model = BoardModel(cfg)
    model.waiting = {s.code: 7 for s in cfg.services}
    board = BoardWindow(cfg, model, portrait=portrait)
    qtbot.addWidget(board)
    board.show()
    qtbot.waitExposed(board, timeout=SETTLE_MS)
    strip = board.waiting
    assert strip.title.text() == "ĐANG CHỜ"
    seen: list[str] = []
    for page in range(strip.pages):
        strip.show_page(page)
        for cell in strip.cells:
            if not cell.isVisible():
                continue
            qtbot.waitUntil(lambda: cell.name.text() != "", timeout=SETTLE_MS)  # noqa: B023 - waited on at once
            lines = cell.name.text().split("\n")
            assert " ".join(lines) == cell.full_name, lines  # whole: never "Thươn…"
            assert "…" not in cell.name.text()
            assert breaks_inside_a_word(lines) == []
            assert max(cell.name.fontMetrics().horizontalAdvance(line) for line in lines) <= cell.width()
            assert cell.head.font().pixelSize() >= 48  # the letter and count, as large as the calls' counters
            assert "7" in cell.head.text()
            seen.append(cell.full_name)
    assert seen == [s.name_vi for s in cfg.services]  # every service, in order, across the pages


def test_lost_connection_greys_the_big_panel_and_says_so(qtbot: QtBot, cfg: CentreConfig) -> None:
    board = BoardWindow(cfg, BoardModel(cfg))
    qtbot.addWidget(board)
    board.announce("A023", 5)
    board.current.stop_highlight()
    board.set_connection_lost("timeout")
    assert board.current.stale
    assert board.current.caption.text() == "Mất kết nối — số trên bảng có thể chưa cập nhật"
    assert board.current.big.text() == "A023"  # still shown, greyed
    board.set_connection_ok()
    assert not board.current.stale and board.current.caption.text() == "SỐ VỪA GỌI"
