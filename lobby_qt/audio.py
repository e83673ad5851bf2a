"""Playing WAV files one after another, never blocking the GUI and never failing loudly.

:class:`AudioQueue` plays queued WAV files in order, none overlapping and none cut
off: each one is given the time its header says it lasts (plus a short tail) before
the next starts.  The pacing comes from that duration and a ``QTimer``, not from the
sound device, so a screen that follows the audio (the display's big number) behaves
the same with or without speakers.

The sound itself goes to a :class:`WavPlayer`.  :class:`QtWavPlayer` uses
QtMultimedia's ``QSoundEffect``; on a machine with no audio device (a server, a test
runner) it logs one warning and stays silent.  Tests pass a recording fake::

    class RecordingPlayer:
        def __init__(self): self.played = []
        def play(self, path): self.played.append(path); return True
        def stop(self): pass

    audio = AudioQueue(player=RecordingPlayer(), time_scale=0.01)
    audio.finished.connect(...)
    audio.enqueue(Path("a.wav"), token="A023")
"""

from __future__ import annotations

import logging
import wave
from collections import deque
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

log = logging.getLogger(__name__)

TAIL_MS = 150  # silence kept after each file before the next one starts
UNKNOWN_DURATION_S = 3.0


class WavPlayer(Protocol):
    """Something that starts playing a WAV file without blocking."""

    def play(self, path: Path) -> bool:
        """Start playing; return False (quietly) when it cannot."""
        ...

    def stop(self) -> None: ...


def wav_duration_s(path: Path) -> float:
    """Length of a WAV file from its header (``UNKNOWN_DURATION_S`` if unreadable)."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / float(w.getframerate())
    except (OSError, wave.Error, EOFError, ZeroDivisionError):
        return UNKNOWN_DURATION_S


class QtWavPlayer:
    """Plays through QtMultimedia's QSoundEffect on the default output, if there is one.

    With no audio device, or when playback fails, it logs one warning (naming the
    problem) and from then on stays silent; it never raises and never blocks.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        self._parent = parent
        self._effect: Any = None
        self._warned = False
        self._available: bool | None = None

    def _warn_once(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            log.warning("audio: %s; announcements are shown but not heard", message)

    def available(self) -> bool:
        """True when the machine has an audio output device (checked once)."""
        if self._available is None:
            try:
                from PySide6.QtMultimedia import QMediaDevices

                self._available = bool(QMediaDevices.audioOutputs())
            except Exception as exc:  # noqa: BLE001 - a missing backend is "no device"
                self._available = False
                self._warn_once(f"QtMultimedia unavailable ({exc})")
            if not self._available:
                self._warn_once("no audio output device found")
        return self._available

    def play(self, path: Path) -> bool:
        if not self.available():
            return False
        try:
            from PySide6.QtMultimedia import QSoundEffect

            if self._effect is not None:
                self._effect.stop()
                self._effect.deleteLater()
            effect = QSoundEffect(self._parent)
            effect.statusChanged.connect(lambda: self._on_status(effect))
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.play()
            self._effect = effect
            return True
        except Exception as exc:  # noqa: BLE001 - sound must never take the screen down
            self._warn_once(f"cannot play {path.name} ({exc})")
            return False

    def _on_status(self, effect: Any) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if effect.status() == QSoundEffect.Status.Error:
            self._warn_once("the audio device refused the announcement")

    def stop(self) -> None:
        if self._effect is not None:
            try:
                self._effect.stop()
            except RuntimeError:
                pass


class AudioQueue(QObject):
    """Plays WAV files one after another; emits ``started(token)`` and ``finished(token)``.

    ``player``: the sink (default :class:`QtWavPlayer`).  ``time_scale`` shortens the
    pacing in tests (0.01 = a hundred times faster); leave it at 1.0 in the apps.
    """

    started = Signal(object)
    finished = Signal(object)
    idle = Signal()

    def __init__(
        self,
        player: WavPlayer | None = None,
        *,
        time_scale: float = 1.0,
        tail_ms: int = TAIL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.player: WavPlayer = player if player is not None else QtWavPlayer(self)
        self.time_scale = time_scale
        self.tail_ms = tail_ms
        self._pending: deque[tuple[Path, Any, float | None]] = deque()
        self._current: tuple[Path, Any] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._done)

    def enqueue(self, path: Path, token: Any = None, duration_s: float | None = None) -> None:
        """Queue ``path``; it plays when everything queued before it has finished."""
        self._pending.append((path, token, duration_s))
        if self._current is None:
            self._next()

    @property
    def busy(self) -> bool:
        return self._current is not None

    def pending(self) -> int:
        """Files waiting (not counting the one playing)."""
        return len(self._pending)

    def clear(self) -> None:
        """Drop what is queued and stop the current sound (used at shutdown)."""
        self._pending.clear()
        self._timer.stop()
        self._current = None
        self.player.stop()

    def _next(self) -> None:
        if not self._pending:
            self.idle.emit()
            return
        path, token, duration = self._pending.popleft()
        self._current = (path, token)
        length = duration if duration is not None else wav_duration_s(path)
        try:
            self.player.play(path)
        except Exception:  # noqa: BLE001 - a broken sink must not stop the queue
            log.exception("audio: player failed on %s", path)
        self.started.emit(token)
        self._timer.start(max(0, int((length * 1000 + self.tail_ms) * self.time_scale)))

    def _done(self) -> None:
        current = self._current
        self._current = None
        if current is not None:
            self.finished.emit(current[1])
        if self._current is None:
            self._next()
