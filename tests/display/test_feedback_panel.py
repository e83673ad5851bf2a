"""The hall's published-figures panel on the real board, offscreen: shown between calls, hidden by a call,
the figures those of the reports; off when the config says so.

With ``LOBBY_SCREENSHOTS=DIR`` the board with the panel is saved as ``feedback-display-figures.png`` there.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from display.app import DisplayApp
from display.published_figures import FiguresRotation
from lobby import queue
from lobby.config import CentreConfig
from lobby.config.feedback import FeedbackConfig
from lobby.feedback.published import published_figures
from lobby.staffing import counters, staff
from lobby.store.engine import Store
from support import SETTLE_MS, SETTLE_S


def served_and_rated(store: Store, cfg: CentreConfig) -> None:
    """Four citizens served at counter 1 now, three rated (two satisfied)."""
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "135790")
    with store.session() as s:
        counters.sign_in(s, cfg, 1, "an", "135790")
    ids = []
    for _ in range(4):
        with store.session() as s:
            ticket = queue.issue_ticket(s, cfg, "DKKD")
        with store.session() as s:
            queue.call_number(s, cfg, 1, ticket.number)
        with store.session() as s:
            queue.finish(s, cfg, 1)
        ids.append(ticket.id)
    for tid, value in zip(ids, ("very_satisfied", "satisfied", "not_satisfied"), strict=False):
        with store.session() as s:
            queue.rate(s, cfg, tid, value)


@pytest.fixture
def app(qtbot, store: Store, cfg: CentreConfig, player) -> Iterator[DisplayApp]:  # noqa: ANN001
    made = DisplayApp(cfg, store, player=player)
    qtbot.addWidget(made.window)
    made.window.resize(1920, 1080)
    made.window.show()
    made.start()
    yield made
    made.stop()


def test_the_panel_shows_the_reports_figures_and_a_call_hides_it(qtbot, app: DisplayApp, store: Store,  # noqa: ANN001
                                                                  cfg: CentreConfig) -> None:
    served_and_rated(store, cfg)
    rotation = FiguresRotation(cfg, store, app.window, app.call_shown, interval_s=0.2, show_s=SETTLE_S)
    try:
        with qtbot.waitSignal(rotation.shown, timeout=SETTLE_MS) as shown:
            pass
        expected = published_figures(store, cfg)
        assert shown.args[0] == expected and expected.satisfied_share == pytest.approx(2 / 3)
        panel = rotation.panel
        assert panel.isVisible() and panel.satisfied.value.text() == "67%"
        assert panel.satisfied.label.text() == "Công dân hài lòng"
        assert panel.satisfied.base.text() == "trên 3 lượt đánh giá"
        assert panel.in_time.base.text() == "trên 4 lượt phục vụ"
        assert not panel.on_time.isVisible()  # no dossier returned this month: no such figure
        if os.environ.get("LOBBY_SCREENSHOTS"):
            app.window.grab().save(str(Path(os.environ["LOBBY_SCREENSHOTS"]) / "feedback-display-figures.png"))
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DKKD")
        with qtbot.waitSignal(rotation.hidden, timeout=SETTLE_MS):
            with store.session() as s:
                queue.call_next(s, cfg, 1)
        assert not panel.isVisible()
    finally:
        rotation.stop()


def test_off_in_the_config_it_never_shows(qtbot, app: DisplayApp, store: Store, cfg: CentreConfig) -> None:  # noqa: ANN001
    off = cfg.model_copy(update={"feedback": FeedbackConfig.model_validate(
        {**cfg.feedback.model_dump(), "display_panel": False})})
    rotation = FiguresRotation(off, store, app.window, app.call_shown, interval_s=0.05, show_s=60)
    try:
        assert not rotation.enabled and not rotation._every.isActive()
        with qtbot.assertNotEmitted(rotation.shown, wait=500):
            pass
        assert not rotation.panel.isVisible()
    finally:
        rotation.stop()
