"""One shared, cached view of the centre for every manager's browser of a server process.

The monitor is read again when the change feed has moved on (``last_event_id``) or when
``tick_s`` has passed (a wait turns red with no event at all, only time), never more:
ten managers' browsers cost the store what one costs. Reading syncs the alerts too, so an
alert is raised (and recorded) as soon as any monitor looks. Today's report totals are
read again at most every ``figures_every_s`` (a report over the day's tickets is the
heaviest part). Thread-safe: the web app calls :meth:`MonitorBoard.view` from its
thread pool; one caller reads while the others wait for its result.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from lobby.clock import utcnow
from lobby.config import CentreConfig
from lobby.monitor import alerts
from lobby.monitor.alerts import AlertInfo
from lobby.monitor.snapshot import Snapshot, read_snapshot, today_figures
from lobby.reports.figures import Figures
from lobby.store.engine import Store

TICK_S = 5.0
FIGURES_EVERY_S = 3.0


@dataclass(frozen=True)
class MonitorView:
    """What the monitor shows: the snapshot, the open alerts, and the feed position it reflects."""

    snapshot: Snapshot
    alerts: tuple[AlertInfo, ...]
    event_id: int
    version: int


class MonitorBoard:
    def __init__(
        self,
        store: Store,
        cfg: CentreConfig,
        *,
        clock: Callable[[], datetime] = utcnow,
        tick_s: float = TICK_S,
        figures_every_s: float = FIGURES_EVERY_S,
    ) -> None:
        self.store, self.cfg, self.clock = store, cfg, clock
        self.tick_s, self.figures_every_s = tick_s, figures_every_s
        self._lock = threading.Lock()
        self._view: MonitorView | None = None
        self._key: tuple[int, int] | None = None
        self._figures: Figures | None = None
        self._figures_key: tuple[int, float] = (-1, 0.0)
        self._read_at = 0.0

    def _bucket(self, at: datetime) -> int:
        return int(at.timestamp() // self.tick_s)

    def view(self, event_id: int, *, force: bool = False) -> MonitorView:
        """The view as of feed position ``event_id`` and the clock's now (read again only when either moved)."""
        with self._lock:
            at = self.clock()
            key = (event_id, self._bucket(at))
            if self._view is not None and not force and self._key == key:
                return self._view
            snap = read_snapshot(self.store, self.cfg, at, figures=False)
            snap = replace(snap, today=self._today(event_id, at))
            with self.store.session() as s:
                open_alerts = alerts.sync_alerts(s, alerts.conditions(snap, self.cfg.monitor), at)
            version = (self._view.version + 1) if self._view else 1
            self._view = MonitorView(snapshot=snap, alerts=tuple(open_alerts), event_id=event_id, version=version)
            self._key = key
            self._read_at = time.monotonic()
            return self._view

    def recent(self, event_id: int, max_age_s: float = 1.0) -> MonitorView:
        """The view last read if it is younger than ``max_age_s`` (a page's first render; the live stream
        brings it up to date within a moment), else :meth:`view`. Never waits for another reader."""
        view, read_at = self._view, self._read_at
        if view is not None and time.monotonic() - read_at < max_age_s:
            return view
        return self.view(event_id)

    def _today(self, event_id: int, at: datetime) -> Figures:
        last_id, last_time = self._figures_key
        now = time.monotonic()
        if (
            self._figures is None
            or (event_id != last_id and now - last_time >= self.figures_every_s)
            or now - last_time >= self.tick_s
        ):
            self._figures = today_figures(self.store, self.cfg, at)
            self._figures_key = (event_id, now)
        return self._figures

    def invalidate(self) -> None:
        """Read again at the next call (after an action of this process, e.g. an acknowledged alert)."""
        with self._lock:
            self._key = None
            self._read_at = 0.0
            self._figures_key = (-1, 0.0)
