"""counter.__main__: the command line and the wiring of the windows."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from counter.__main__ import build, counter_problem, main, parser
from counter.rating import RatingPanel
from counter.window import CounterWindow
from counter_helpers import PIN, CounterApp
from support import SETTLE_MS


def test_parser_modes() -> None:
    args = parser().parse_args(["--counter", "3", "--with-rating-panel"])
    assert args.counter == 3 and args.with_rating_panel and not args.rating_panel
    with pytest.raises(SystemExit):
        parser().parse_args(["--rating-panel", "--with-rating-panel"])


def test_counter_problems(cfg) -> None:
    assert counter_problem(cfg, 3, True) is None
    assert "No counter number 99" in (counter_problem(cfg, 99, False) or "")
    assert "--rating-panel needs the counter" in (counter_problem(cfg, None, True) or "")
    assert counter_problem(cfg, None, False) is None  # chosen at sign-in


@pytest.mark.parametrize("argv, said", [
    (["--rating-panel"], "--rating-panel needs the counter"),
    (["--counter", "99"], "No counter number 99"),
])
def test_main_refuses_a_bad_counter_clearly(tmp_path, capsys, argv, said) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", "--log-dir", str(tmp_path)])
    assert exit_.value.code == 2
    assert said in capsys.readouterr().err


def test_rating_panel_only(qtbot, store, cfg, officials) -> None:
    running = build(cfg, store, counter=5, lang="vi", rating_panel=True)
    try:
        assert running.controller is None
        assert [type(w) for w in running.windows] == [RatingPanel]
        qtbot.waitUntil(lambda: running.bridge.connected, timeout=SETTLE_MS)
    finally:
        running.stop()
        for w in running.windows:
            w.close()
    assert not running.bridge.connected


def test_with_rating_panel_follows_the_counter_chosen_at_sign_in(qtbot, store, cfg, officials) -> None:
    running = build(cfg, store, counter=None, lang="vi", with_rating_panel=True)
    try:
        window = running.windows[0]
        assert isinstance(window, CounterWindow) and not running.panels
        assert running.controller is not None
        app = CounterApp(running.runner, running.bridge, running.controller, window)
        screen = app.window.sign_in
        screen.counter_box.setCurrentIndex(screen.counter_box.findData(9))
        screen.username.setText("an")
        screen.pin.setText(PIN)
        with qtbot.waitSignal(running.controller.signed_in, timeout=SETTLE_MS):
            screen.button.click()
        assert len(running.panels) == 1 and running.panels[0].counter == 9
        qtbot.waitUntil(lambda: running.panels[0].view.officer_name.text() == "Nguyễn Văn An", timeout=SETTLE_MS)
    finally:
        running.stop()
        for w in running.windows:
            w.close()
    # stop() signed the official out
    from lobby.staffing.counters import counter_infos

    with store.session() as s:
        assert next(c for c in counter_infos(s, cfg) if c.number == 9).staff is None
    assert QApplication.instance() is not None


def test_screenshots_render(qtbot, tmp_path) -> None:
    from counter.screenshots import render_all

    paths = render_all(tmp_path)
    names = {p.name for p in paths}
    for screen in ("signin-counter4-vi", "signin-counter4-en", "work-idle-vi", "work-calling-vi", "work-serving-en",
                   "rating-question-vi", "rating-question-en"):
        assert f"counter-{screen}.png" in names
    assert all(p.stat().st_size > 10_000 for p in paths)
