"""Glue between the feed, the announcement rules, the voice pack and the speakers.

For each batch of feed events the :class:`Announcer` asks
:class:`lobby.voice.announcements.AnnouncementQueue` which calls to speak, then speaks them
one at a time: ``announcing(call)`` is emitted as a call starts (the board puts it in
the big panel at once), its WAV is assembled in a worker thread (file reads, and
espeak-ng only for a clip missing from the pack), played through the
:class:`lobby_qt.audio.AudioQueue`, and ``announced(call)`` is emitted when it has been
heard; then the next one starts.  A failure to assemble or play is logged once and the
call is still shown for the usual time, so the screen never waits on the sound.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from lobby.clock import utcnow
from lobby.config import DisplayConfig
from lobby.voice.announcements import AnnouncementQueue, Call
from lobby.voice.speech import CHIME, Clip, all_word_clips, announcement_clips, template_phrases
from lobby.voice.voicepack import VoicePack
from lobby_qt.audio import AudioQueue

log = logging.getLogger(__name__)

SILENT_ANNOUNCEMENT_S = 4.0  # how long a call holds the big panel when it cannot be voiced


class Announcer(QObject):
    """Speaks fresh calls in order, one at a time; see the module docstring."""

    announcing = Signal(object)  # Call, as it starts
    announced = Signal(object)  # Call, after it was heard (or its silent time passed)
    _rendered = Signal(object, object)  # Call, Path | None (from the render thread)

    def __init__(
        self,
        display: DisplayConfig,
        pack: VoicePack | None,
        audio: AudioQueue,
        *,
        service_names: dict[str, str] | None = None,
        now: Callable[[], datetime] = utcnow,
        time_scale: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.display = display
        self.pack = pack
        self.audio = audio
        self.queue = AnnouncementQueue(display.stale_after_s)
        self.service_names = service_names or {}
        self._now = now
        self.time_scale = time_scale
        self.current: Call | None = None
        self.spoken: deque[Call] = deque(maxlen=1000)  # the last calls heard, oldest first
        self._warned: set[str] = set()
        self._files: list[Path] = []
        self._work = Path(tempfile.mkdtemp(prefix="lobby-display-audio-"))
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="announce-render")
        self._silent = QTimer(self)
        self._silent.setSingleShot(True)
        self._silent.timeout.connect(self._silent_done)
        self._rendered.connect(self._play)
        audio.finished.connect(self._heard)
        if pack is not None:
            self._pool.submit(self._prepare)

    # --- public --------------------------------------------------------------------

    def offer(self, events: Iterable[Any]) -> list[Call]:
        """Take a batch of feed events; return the calls queued to be spoken."""
        queued = self.queue.offer(events, self._now())
        for call in queued:
            log.info("announcement queued: number=%s counter=%s event=%s", call.number, call.counter, call.event_id)
        self._pump()
        return queued

    @property
    def busy(self) -> bool:
        return self.current is not None

    def pending(self) -> list[Call]:
        return self.queue.pending()

    def close(self) -> None:
        """Stop speaking, end the render thread, remove temporary files."""
        self.queue.clear()
        self.audio.clear()
        self._silent.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._work, ignore_errors=True)

    # --- internals -----------------------------------------------------------------

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning("announcer: %s", message)

    def _prepare(self) -> None:
        try:
            assert self.pack is not None
            self.pack.prepare([Clip(CHIME, ""), *template_phrases(self.display.template), *all_word_clips()])
        except Exception as exc:  # noqa: BLE001 - reported again when a call needs it
            self._warn_once("prepare", f"cannot prepare the voice clips: {exc}")

    def _pump(self) -> None:
        if self.current is not None:
            return
        call = self.queue.pop()
        if call is None:
            return
        self.current = call
        self.announcing.emit(call)
        if self.pack is None:
            self._silent.start(int(SILENT_ANNOUNCEMENT_S * 1000 * self.time_scale))
            return
        future = self._pool.submit(self._render, call)
        future.add_done_callback(partial(self._after_render, call))

    def _render(self, call: Call) -> Path:
        assert self.pack is not None
        clips = announcement_clips(
            self.display.template, call.number, call.counter, self.display.region,
            service_name=self.service_names.get(call.service or ""), chime=self.display.chime,
            repeat=self.display.repeat, repeat_pause_ms=self.display.repeat_pause_ms,
        )
        return self.pack.assemble(clips, self._work / f"call-{call.event_id}.wav")

    def _after_render(self, call: Call, future: Future[Path]) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            self._warn_once(type(exc).__name__, f"cannot assemble the announcement of {call.number}: {exc}")
            self._rendered.emit(call, None)
        else:
            self._rendered.emit(call, future.result())

    def _play(self, call: Call, path: Path | None) -> None:
        if call is not self.current:
            return
        if path is None:
            self._silent.start(int(SILENT_ANNOUNCEMENT_S * 1000 * self.time_scale))
            return
        self._files.append(path)
        self.audio.enqueue(path, token=call)

    def _silent_done(self) -> None:
        self._heard(self.current)

    def _heard(self, token: object) -> None:
        if token is None or token is not self.current:
            return
        call = self.current
        self.current = None
        if call is not None:
            self.spoken.append(call)
        while len(self._files) > 3:
            self._files.pop(0).unlink(missing_ok=True)
        self.announced.emit(call)
        self._pump()
