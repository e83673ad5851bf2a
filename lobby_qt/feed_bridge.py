"""The change feed of the store, delivered as Qt signals.

A worker ``QThread`` waits on :class:`lobby.feed.reader.ChangeWaiter` (NOTIFY on PostgreSQL,
``PRAGMA data_version`` on SQLite), reads new events with :class:`lobby.feed.reader.FeedReader`
and emits them to the GUI thread.  Nothing here blocks the GUI thread: connecting,
reading and the optional snapshot query all run in the worker.

When the store cannot be reached the bridge emits ``connection_lost`` once, retries by
itself with a growing pause (``backoff_s``), and when the store answers again emits
``connection_restored`` and carries on from the last event it delivered, so nothing is
missed and nothing is delivered twice.

Typical use (display, counter, kiosk)::

    bridge = FeedBridge(store, after_id=None, snapshot=lambda full: read_counts(store, cfg))
    bridge.events_arrived.connect(board.apply_events)        # list[FeedEvent]
    bridge.snapshot_ready.connect(board.apply_snapshot)      # whatever snapshot() returns
    bridge.connection_lost.connect(banner.show_lost)         # str: what failed
    bridge.connection_restored.connect(banner.show_restored)
    bridge.start()
    app.aboutToQuit.connect(bridge.stop)                     # joins the thread

Signals are queued to the bridge's thread (the GUI thread), so slots may touch widgets.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from lobby.errors import LobbyError
from lobby.feed.reader import BATCH, ChangeWaiter, FeedEvent, FeedReader, latest_event_id
from lobby.store.engine import Store

log = logging.getLogger(__name__)

DEFAULT_BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)
SAFETY_POLL_S = 2.0  # read the feed at least this often even without a wake-up


def describe(exc: BaseException, lang: str = "vi") -> str:
    """A one-line message for a failure, in the UI language when the error knows it."""
    if isinstance(exc, LobbyError):
        return exc.message(lang)
    return f"{type(exc).__name__}: {exc}".strip()


class _Worker(QThread):
    def __init__(self, bridge: FeedBridge) -> None:
        super().__init__()
        self.setObjectName("FeedBridgeWorker")
        self.bridge = bridge

    def run(self) -> None:
        self.bridge._run()


class FeedBridge(QObject):
    """Follows the store's change feed in a worker thread and emits Qt signals.

    ``after_id``: the last event already known (events after it are delivered); None
    means "from now on" (the latest id when the bridge first connects).
    ``snapshot``: optional callable run in the worker, with ``full=True`` after
    (re)connecting and ``full=False`` after every batch for which
    ``wants_snapshot(events)`` is true (default: every batch); its result is emitted
    with ``snapshot_ready``.  Use it for reads the screen needs
    besides the events (waiting counts, the current calls) so they never block the GUI.
    A snapshot after a batch waits until ``snapshot_every_s`` has passed since the last
    one (a burst of events costs one snapshot, and never delays the events themselves).
    ``wait_s`` bounds how long the worker blocks before it checks for ``stop()``.
    """

    events_arrived = Signal(list)  # list[FeedEvent], in id order
    connection_lost = Signal(str)  # what failed, in the UI language
    connection_restored = Signal()
    snapshot_ready = Signal(object)
    listening = Signal(int)  # (re)connected and following the feed after this event id

    def __init__(
        self,
        store: Store,
        after_id: int | None = None,
        *,
        snapshot: Callable[[bool], Any] | None = None,
        wants_snapshot: Callable[[list[FeedEvent]], bool] | None = None,
        wait_s: float = 0.25,
        snapshot_every_s: float = 0.5,
        backoff_s: Sequence[float] = DEFAULT_BACKOFF_S,
        lang: str = "vi",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if not backoff_s:
            raise ValueError("backoff_s needs at least one pause")
        self.store = store
        self._after_id = after_id
        self._snapshot = snapshot
        self._wants_snapshot = wants_snapshot
        self.wait_s = wait_s
        self.snapshot_every_s = snapshot_every_s
        self.backoff_s = tuple(backoff_s)
        self.lang = lang
        self._stop = threading.Event()
        self._worker: _Worker | None = None
        self._last_id = after_id or 0
        self._connected = False

    # --- GUI-thread API ----------------------------------------------------------

    def start(self) -> None:
        """Start following the feed (once)."""
        if self._worker is not None:
            return
        self._stop.clear()
        self._worker = _Worker(self)
        self._worker.start()

    def stop(self, timeout_s: float = 5.0) -> bool:
        """Stop the worker and wait for it to end; True when it has ended."""
        worker = self._worker
        if worker is None:
            return True
        self._stop.set()
        ended = worker.wait(int(timeout_s * 1000))
        if ended:
            self._worker = None
        else:
            log.warning("feed worker still blocked on %s after %.1f s; it will end when the call returns",
                        self.store.safe_url, timeout_s)
        return bool(ended)

    @property
    def last_id(self) -> int:
        """The id of the last event delivered (or the starting point)."""
        return self._last_id

    @property
    def connected(self) -> bool:
        return self._connected

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.isRunning()

    # --- worker thread -------------------------------------------------------------

    def _run(self) -> None:
        waiter = ChangeWaiter(self.store)
        reader: FeedReader | None = None
        failures = 0
        lost = False
        since_poll = 0.0
        snapshot_due = False
        last_snapshot = 0.0
        try:
            while not self._stop.is_set():
                try:
                    if reader is None:
                        start = self._after_id if self._after_id is not None else latest_event_id(self.store)
                        reader = FeedReader(self.store, start)
                        self._last_id = start
                    reconnecting = not self._connected
                    changed = waiter.wait(self.wait_s)
                    since_poll += self.wait_s
                    if reconnecting or changed or since_poll >= SAFETY_POLL_S:
                        since_poll = 0.0
                        events = self._drain(reader)
                    else:
                        events = []
                    if reconnecting:
                        self._connected = True
                        failures = 0
                        if lost:
                            lost = False
                            log.info("feed: %s answers again", self.store.safe_url)
                            self.connection_restored.emit()
                        self.listening.emit(reader.last_id)
                    if events:
                        self.events_arrived.emit(events)
                    if self._snapshot is not None:
                        if events and (self._wants_snapshot is None or self._wants_snapshot(events)):
                            snapshot_due = True
                        now = time.monotonic()
                        if reconnecting or (snapshot_due and now - last_snapshot >= self.snapshot_every_s):
                            snapshot_due = False
                            last_snapshot = now
                            self.snapshot_ready.emit(self._snapshot(reconnecting))
                except Exception as exc:  # noqa: BLE001 - any failure: report, pause, retry
                    waiter.close()
                    self._connected = False
                    if not lost:
                        lost = True
                        message = describe(exc, self.lang)
                        if isinstance(exc, LobbyError):
                            log.warning("feed: connection lost: %s", message)
                        else:
                            log.exception("feed: unexpected failure, retrying")
                        self.connection_lost.emit(message)
                    pause = self.backoff_s[min(failures, len(self.backoff_s) - 1)]
                    failures += 1
                    self._stop.wait(pause)
        finally:
            waiter.close()
            self._connected = False

    def _drain(self, reader: FeedReader) -> list[FeedEvent]:
        events: list[FeedEvent] = []
        while True:
            batch = reader.poll()
            events += batch
            if len(batch) < BATCH or self._stop.is_set():
                break
        self._last_id = reader.last_id
        return events
