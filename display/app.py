"""Wiring of the display: store → feed bridge → model → board window, and the announcer.

``DisplayApp`` holds no rules: the model decides the rows, ``lobby.voice.announcements``
decides what is spoken, the board shows.  Everything arrives through the
constructor, so tests pass a recording audio player and the real store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from display.announcer import Announcer
from display.board import BoardWindow
from display.model import BoardModel, BoardSnapshot
from display.published_figures import FiguresRotation
from display.snapshot import read_snapshot, waiting_may_change
from lobby.config import CentreConfig, var_dir
from lobby.feed.reader import FeedEvent
from lobby.store.engine import Store
from lobby.vocabulary import CALL_KINDS
from lobby.voice.announcements import Call
from lobby.voice.voicepack import VoicePack, VoicePackError, shipped_pack_dir, voice_for_region
from lobby_qt.audio import AudioQueue, WavPlayer
from lobby_qt.feed_bridge import DEFAULT_BACKOFF_S, FeedBridge

log = logging.getLogger(__name__)

DEFAULT_PACK = Path(__file__).resolve().parent / "voice" / "default"
VOICE_CACHE = var_dir() / "voice-cache"


def resolve_pack_dir(cfg: CentreConfig) -> Path:
    """``display.voice_pack``: empty → the shipped pack; a relative path is taken from the config file's folder."""
    value = cfg.display.voice_pack
    if not value:
        return shipped_pack_dir(cfg.display.region)
    path = Path(value).expanduser()
    if not path.is_absolute() and cfg.source:
        path = Path(cfg.source).resolve().parent / path
    return path


def open_pack(cfg: CentreConfig, cache_dir: Path = VOICE_CACHE) -> VoicePack | None:
    """The configured voice pack; on a problem, log it and fall back to synthesis only."""
    voice = voice_for_region(cfg.display.region)
    try:
        return VoicePack(resolve_pack_dir(cfg), cache_dir=cache_dir, voice=voice)
    except VoicePackError as exc:
        log.error("%s; every clip will be synthesised with espeak-ng", exc)
        return VoicePack(None, cache_dir=cache_dir, voice=voice)


class DisplayApp(QObject):
    """The running display: call ``start()``, show ``window``, ``stop()`` at exit."""

    call_shown = Signal(object)  # list[FeedEvent]: calls just put in the rows (before they are announced)

    def __init__(
        self,
        cfg: CentreConfig,
        store: Store,
        *,
        portrait: bool = False,
        lang: str = "vi",
        player: WavPlayer | None = None,
        pack: VoicePack | None = None,
        after_id: int | None = None,
        audio_time_scale: float = 1.0,
        backoff_s: Sequence[float] = DEFAULT_BACKOFF_S,
        clock: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.store = store
        self.model = BoardModel(cfg)
        self.window = BoardWindow(cfg, self.model, portrait=portrait, lang=lang, clock=clock)
        self.audio = AudioQueue(player, time_scale=audio_time_scale, parent=self)
        names = {s.code: s.name_vi for s in cfg.services}
        self.announcer = Announcer(cfg.display, pack, self.audio, service_names=names,
                                   time_scale=audio_time_scale, parent=self)
        self.bridge = FeedBridge(
            store, after_id, snapshot=partial(read_snapshot, store, cfg),
            wants_snapshot=waiting_may_change, backoff_s=backoff_s, lang=lang, parent=self,
        )
        self.bridge.events_arrived.connect(self.on_events)
        self.bridge.snapshot_ready.connect(self.on_snapshot)
        self.bridge.connection_lost.connect(self.window.set_connection_lost)
        self.bridge.connection_restored.connect(self.window.set_connection_ok)
        self.announcer.announcing.connect(self.on_announcing)
        # this month's figures between calls, when [feedback] display_panel is on (display/published_figures.py)
        self.figures = FiguresRotation(cfg, store, self.window, self.call_shown, lang=lang)

    def start(self) -> None:
        self.bridge.start()

    def stop(self) -> None:
        """Stop following the feed and speaking (joins the worker threads)."""
        self.bridge.stop()
        self.announcer.close()
        self.figures.stop()

    def on_events(self, events: list[FeedEvent]) -> None:
        changed = self.model.apply_events(events)
        calls = [e for e in events if e.kind in CALL_KINDS and e.counter in changed]
        if calls:
            self.window.light({int(e.counter) for e in calls if e.counter is not None})
        if changed:
            self.window.refresh()
        if calls:
            self.call_shown.emit(calls)
        for e in events:
            if e.kind in CALL_KINDS:
                log.info("call shown: event=%d number=%s counter=%s kind=%s", e.id, e.number, e.counter, e.kind)
        self.announcer.offer(events)

    def on_snapshot(self, snapshot: BoardSnapshot) -> None:
        self.model.apply_snapshot(snapshot)
        self.window.refresh()

    def on_announcing(self, call: Call) -> None:
        self.window.announce(call.number, call.counter)
