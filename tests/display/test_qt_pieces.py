"""The shared Qt pieces (fonts, banner, audio queue, feed bridge) and the board's widgets."""

from __future__ import annotations

import logging
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from display.board import BoardWindow
from display.model import BoardModel, BoardSnapshot, CounterCall
from display.screenshots import STATES, render_all
from lobby.config import CentreConfig
from lobby.feed.reader import FeedEvent, latest_event_id
from lobby.queue.operations import call_next, issue_ticket
from lobby.store.engine import Store
from lobby.vocabulary import EventKind
from lobby.voice.voicepack import RATE
from lobby_qt.audio import AudioQueue, QtWavPlayer, wav_duration_s
from lobby_qt.banner import ConnectionBanner
from lobby_qt.feed_bridge import FeedBridge
from lobby_qt.fonts import load_fonts, ui_font
from support import SETTLE_MS

NOW = datetime.now(UTC)


def _wav(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(int(RATE * seconds) * 2))
    return path


def _ev(i: int, kind: str, number: str | None, counter: int | None, at: datetime = NOW) -> FeedEvent:
    return FeedEvent(id=i, at=at, kind=EventKind(kind), ticket_id=i, number=number, service="DKKD", counter=counter,
                     staff=None)


def test_bundled_font_has_vietnamese() -> None:
    from PySide6.QtGui import QFontMetrics

    assert load_fonts() == "DejaVu Sans"
    metrics = QFontMetrics(ui_font(20))
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "Mời công dân có số thứ tự đến quầy ẦỄỖ⚠→")


def test_banner_hidden_until_lost(qtbot: QtBot) -> None:
    banner = ConnectionBanner()
    qtbot.addWidget(banner)
    assert not banner.lost and banner.isHidden()
    banner.show_lost("postgresql://db: connection refused")
    assert banner.lost and not banner.isHidden()
    assert banner.text().startswith("⚠ Mất kết nối")
    assert "connection refused" in banner.toolTip()
    banner.show_restored()
    assert banner.isHidden()
    assert ConnectionBanner(lang="en").text().startswith("⚠ Connection lost")


def test_audio_queue_plays_in_order_without_overlap(qtbot: QtBot, tmp_path: Path, player: Any) -> None:
    audio = AudioQueue(player, time_scale=0.01)
    files = [_wav(tmp_path / f"{i}.wav", 1.0 + i) for i in range(4)]
    assert wav_duration_s(files[2]) == pytest.approx(3.0)
    log: list[tuple[str, object]] = []
    audio.started.connect(lambda t: log.append(("start", t)))
    audio.finished.connect(lambda t: log.append(("end", t)))
    for i, f in enumerate(files):
        audio.enqueue(f, token=i)
    assert audio.busy and audio.pending() == 3
    with qtbot.waitSignal(audio.idle, timeout=SETTLE_MS):
        pass
    assert log == [(e, i) for i in range(4) for e in ("start", "end")]  # each ends before the next starts
    assert player.played == files


def test_no_audio_device_fails_quietly_and_logs_once(qtbot: QtBot, tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    real = QtWavPlayer()
    if real.available():
        pytest.skip("this machine has an audio device")
    audio = AudioQueue(real, time_scale=0.01)
    with caplog.at_level(logging.WARNING, logger="lobby_qt.audio"):
        for i in range(3):
            audio.enqueue(_wav(tmp_path / f"{i}.wav", 0.5), token=i)
        with qtbot.waitSignal(audio.idle, timeout=SETTLE_MS):
            pass
    warnings = [r for r in caplog.records if r.name == "lobby_qt.audio"]
    assert len(warnings) == 1 and "shown but not heard" in warnings[0].getMessage()


def test_feed_bridge_starts_after_given_id_and_stops_cleanly(qtbot: QtBot, store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        issue_ticket(s, cfg, "DKKD")
    start = latest_event_id(store)
    with store.session() as s:
        issue_ticket(s, cfg, "DKKD")
    bridge = FeedBridge(store, after_id=start)
    got: list[FeedEvent] = []
    bridge.events_arrived.connect(got.extend)
    with qtbot.waitSignal(bridge.listening, timeout=SETTLE_MS):
        bridge.start()
    qtbot.waitUntil(lambda: len(got) == 1, timeout=SETTLE_MS)
    assert got[0].number == "A002" and got[0].id > start
    with store.session() as s:
        call_next(s, cfg, 1)
    qtbot.waitUntil(lambda: [e.kind for e in got][-1] == "called", timeout=SETTLE_MS)
    assert bridge.last_id == latest_event_id(store)
    assert bridge.stop()
    assert not bridge.running


def test_feed_bridge_snapshot_runs_in_worker(qtbot: QtBot, store: Store, cfg: CentreConfig) -> None:
    import threading

    threads: list[str] = []

    def snap(full: bool) -> str:
        threads.append(threading.current_thread().name)
        return "full" if full else "delta"

    bridge = FeedBridge(store, snapshot=snap, snapshot_every_s=0)
    with qtbot.waitSignal(bridge.snapshot_ready, timeout=SETTLE_MS) as first:
        bridge.start()
    assert first.args == ["full"]
    with qtbot.waitSignal(bridge.snapshot_ready, timeout=SETTLE_MS) as second:
        with store.session() as s:
            issue_ticket(s, cfg, "DD")
    assert second.args == ["delta"]
    bridge.stop()
    assert threading.main_thread().name not in threads


def test_model_rows_one_per_counter_newest_first(cfg: CentreConfig) -> None:
    model = BoardModel(cfg)
    model.apply_events([_ev(1, "called", "A001", 1), _ev(2, "called", "B001", 3, NOW + timedelta(seconds=1))])
    changed = model.apply_events([_ev(3, "called", "A002", 1, NOW + timedelta(seconds=2)),
                                  _ev(4, "issued", "A009", None)])
    assert changed == {1}
    assert [(c.counter, c.number) for c in model.recent()] == [(1, "A002"), (3, "B001")]
    assert model.apply_events([_ev(5, "counter_closed", None, 3)]) == {3}
    assert list(model.rows) == [1]
    old = BoardSnapshot(calls=[CounterCall(1, "A001", "DKKD", NOW)], waiting={"DKKD": 4})
    model.apply_snapshot(old)  # an older snapshot does not undo a newer event
    assert model.rows[1].number == "A002" and model.waiting["DKKD"] == 4
    model.apply_events([_ev(6, "day_closed", None, None)])
    assert model.rows == {}


@pytest.mark.parametrize("portrait", [False, True])
def test_board_big_number_fills_the_screen(qtbot: QtBot, cfg: CentreConfig, portrait: bool) -> None:
    model = BoardModel(cfg)
    board = BoardWindow(cfg, model, portrait=portrait)
    qtbot.addWidget(board)
    board.show()
    qtbot.waitExposed(board, timeout=SETTLE_MS)
    assert (board.width(), board.height()) == ((1080, 1920) if portrait else (1920, 1080))
    board.announce("A023", 5)
    # asserted before the wait: the highlight's 8 s may be over by the time a loaded machine has laid it out
    assert board.current.announcing and board.current.big.text() == "A023"
    qtbot.waitUntil(lambda: board.current.big.pixel_size() > 0, timeout=SETTLE_MS)
    # digits are ~0.73 em tall: the glyphs take over a fifth of the screen's short side
    # (the height in landscape; in portrait the width limits a four-character number)
    assert board.current.big.pixel_size() * 0.73 > 0.2 * min(board.width(), board.height())
    assert board.current.counter_label.text() == "→ QUẦY 5"
    board.current.stop_highlight()
    assert not board.current.announcing and board.current.big.text() == "A023"


def test_many_counters_flow_into_two_columns(qtbot: QtBot, cfg: CentreConfig) -> None:
    model = BoardModel(cfg)
    board = BoardWindow(cfg, model)
    qtbot.addWidget(board)
    model.apply_events([_ev(i, "called", f"A{i:03d}", i, NOW + timedelta(seconds=i)) for i in range(1, 13)])
    board.light({12})
    board.refresh()
    shown = board.calls.shown()
    assert board.calls.columns_used == 2
    assert [c.counter for c in shown] == list(range(12, 0, -1))
    assert board.calls.lit_counters() == {12}


def test_screenshots_render_every_state(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    paths = render_all(tmp_path, langs=("vi",))
    assert len(paths) == 2 * len(STATES)
    for p in paths:
        image = QImage(str(p))
        assert (image.width(), image.height()) in ((1920, 1080), (1080, 1920)), p
