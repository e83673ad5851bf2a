"""The board on a real store (SQLite and PostgreSQL), fed by calls from another process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from display.app import DEFAULT_PACK, DisplayApp
from lobby.config import CentreConfig
from lobby.store.engine import Store
from lobby.store.models import Event
from lobby.voice.voicepack import VoicePack
from support import SETTLE_MS, SETTLE_S

FAST_BACKOFF = (0.05, 0.1, 0.2)
Caller = Callable[[str, list[dict[str, object]]], list[str | None]]


@pytest.fixture
def pack(tmp_path_factory: pytest.TempPathFactory) -> VoicePack:
    return VoicePack(DEFAULT_PACK, cache_dir=tmp_path_factory.mktemp("voice-cache"))


def _display(qtbot: QtBot, cfg: CentreConfig, url: str, player: Any, pack: VoicePack) -> Iterator[DisplayApp]:
    store = Store(url)
    # the highlight outlasts the test: it is asserted after waits that a loaded machine may stretch
    cfg = cfg.model_copy(update={"display": cfg.display.model_copy(update={"highlight_s": 600})})
    app = DisplayApp(cfg, store, player=player, pack=pack, audio_time_scale=0.02, backoff_s=FAST_BACKOFF)
    qtbot.addWidget(app.window)
    with qtbot.waitSignal(app.bridge.listening, timeout=SETTLE_MS):
        app.start()
    try:
        yield app
    finally:
        app.stop()
        assert not app.bridge.running
        store.dispose()


@pytest.fixture
def display(qtbot: QtBot, cfg: CentreConfig, store_url: str, player: Any, pack: VoicePack) -> Iterator[DisplayApp]:
    yield from _display(qtbot, cfg, store_url, player, pack)


def _row(app: DisplayApp, counter: int) -> str | None:
    call = app.model.rows.get(counter)
    shown = {c.counter: c.number for c in app.window.calls.shown()}
    return shown.get(counter) if call is not None else None


def test_call_from_another_process_appears_and_is_spoken(
    qtbot: QtBot, display: DisplayApp, store_url: str, player: Any, caller: Caller
) -> None:
    number = caller(store_url, [{"do": "issue", "service": "DD"}, {"do": "call", "counter": 3}])[-1]
    assert number == "B001"
    qtbot.waitUntil(lambda: _row(display, 3) == "B001", timeout=SETTLE_MS)
    qtbot.waitUntil(lambda: display.window.current.big.text() == "B001", timeout=SETTLE_MS)
    assert display.window.current.announcing
    assert display.window.current.counter_label.text().endswith("3")
    assert 3 in display.window.calls.lit_counters()
    qtbot.waitUntil(lambda: len(display.announcer.spoken) == 1, timeout=SETTLE_MS)
    assert [c.number for c in display.announcer.spoken] == ["B001"]
    assert len(player.played) == 1 and player.sizes[0] > 100_000  # chime + sentence, several seconds


def test_recall_speaks_again_and_burst_is_spoken_in_order(
    qtbot: QtBot, display: DisplayApp, store_url: str, caller: Caller
) -> None:
    actions: list[dict[str, object]] = [{"do": "issue", "service": "DKKD"} for _ in range(4)]
    actions += [{"do": "call", "counter": 1}, {"do": "call", "counter": 2}, {"do": "call", "counter": 1},
                {"do": "recall", "counter": 2}]
    out = caller(store_url, actions)
    assert out[-4:] == ["A001", "A002", "A003", "A002"]
    qtbot.waitUntil(lambda: len(display.announcer.spoken) == 4, timeout=SETTLE_MS)
    assert [(c.number, c.counter, c.kind) for c in display.announcer.spoken] == [
        ("A001", 1, "called"), ("A002", 2, "called"), ("A003", 1, "called"), ("A002", 2, "recalled"),
    ]
    assert _row(display, 1) == "A003" and _row(display, 2) == "A002"


def test_lost_connection_shows_mark_recovers_and_catches_up(
    qtbot: QtBot, cfg: CentreConfig, store_url: str, link: Any, player: Any, pack: VoicePack,
    caller: Caller,
) -> None:
    # a call older than stale_after_s is stale; one made "now" is not, however slowly the display catches up
    # (it reaches the display after a few waits of at most SETTLE_S each)
    stale_after_s = 3 * SETTLE_S
    cfg = cfg.model_copy(update={"display": cfg.display.model_copy(update={"stale_after_s": stale_after_s})})
    for app in _display(qtbot, cfg, link.display_url, player, pack):
        caller(store_url, [{"do": "issue", "service": "HT"} for _ in range(3)])
        with qtbot.waitSignal(app.bridge.connection_lost, timeout=SETTLE_MS):
            link.cut()
        assert app.window.connection_lost
        assert app.window.header.banner.isVisible() or not app.window.isVisible()
        assert "Mất kết nối" in app.window.header.banner.text()
        # one call long ago (stale: shown, not spoken) and one just now.  On PostgreSQL they are
        # made while the display is cut off, so it must catch up; an SQLite file cannot be cut
        # off from the display alone, so there they are made as the store comes back.
        calls: list[dict[str, object]] = [{"do": "call", "counter": 5, "age_s": stale_after_s + 30},
                                          {"do": "call", "counter": 11}]
        if link.proxy is not None:
            caller(store_url, calls)
        with qtbot.waitSignal(app.bridge.connection_restored, timeout=SETTLE_MS):
            link.restore()
        if link.proxy is None:
            caller(store_url, calls)
        assert not app.window.connection_lost
        qtbot.waitUntil(lambda app=app: _row(app, 5) == "C001" and _row(app, 11) == "C002", timeout=SETTLE_MS)
        qtbot.waitUntil(lambda app=app: len(app.announcer.spoken) == 1, timeout=SETTLE_MS)
        assert [c.number for c in app.announcer.spoken] == ["C002"]  # the stale call is shown, not spoken
        assert app.announcer.queue.stale_skipped == 1


def test_the_display_writes_nothing(qtbot: QtBot, display: DisplayApp, store_url: str, caller: Caller) -> None:
    caller(store_url, [{"do": "issue", "service": "DKKD"}, {"do": "call", "counter": 1}])
    qtbot.waitUntil(lambda: len(display.announcer.spoken) == 1, timeout=SETTLE_MS)
    store = Store(store_url)
    try:
        with store.read_session() as s:
            before = s.scalar(select(func.count()).select_from(Event))
            kinds = list(s.scalars(select(Event.kind).order_by(Event.id)))
    finally:
        store.dispose()
    assert kinds == ["issued", "counter_opened", "called"]  # only the caller's own events
    assert before == 3
