"""The kiosk's background link to the store: the services' states, the printer alerts, and
the watch for a store that stopped answering (probed until it answers again).

Every call runs off the GUI thread through the controller's :class:`TaskRunner`; the
results come back as signals on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from lobby.config import CentreConfig
from lobby.errors import StoreUnavailable
from lobby.feed import alerts
from lobby.queue.offer import ServiceState, service_states
from lobby.store.engine import Store
from lobby_qt.tasks import TaskRunner

log = logging.getLogger(__name__)


class StoreLink(QObject):
    """``states_read(dict)`` after each read; ``lost(exc)`` once when the store stops answering;
    ``back(dict)`` with the first states read once it answers again."""

    states_read = Signal(object)  # dict[str, ServiceState]
    lost = Signal(object)  # the exception
    back = Signal(object)  # dict[str, ServiceState]

    def __init__(self, store: Store, cfg: CentreConfig, runner: TaskRunner, now: Callable[[], datetime], *,
                 source: str, printer_url: str, retry_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.cfg = cfg
        self.runner = runner
        self.now = now
        self.source = source
        self.printer_url = printer_url
        self.ok = True
        self.alert_recorded: bool | None = None  # the printer state last written to the store (True = fault)
        self._reading = False
        self._retry = QTimer(self)
        self._retry.setInterval(int(retry_s * 1000))
        self._retry.timeout.connect(self._probe)

    def stop(self) -> None:
        self._retry.stop()

    # --- the services' states ---------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the services' states (one read at a time; none while the store is lost)."""
        if self._reading or not self.ok:
            return
        self._reading = True
        self.runner.run(self._read_states, self._states_read, self._read_failed)

    def _read_states(self) -> dict[str, ServiceState]:
        with self.store.read_session() as s:
            return service_states(s, self.cfg, self.now())

    def _states_read(self, states: dict[str, ServiceState]) -> None:
        self._reading = False
        self.states_read.emit(states)

    def _read_failed(self, exc: BaseException) -> None:
        self._reading = False
        if isinstance(exc, StoreUnavailable):
            self.lose(exc)
        else:
            log.error("reading the services' states failed", exc_info=exc)

    # --- losing the store and finding it again ----------------------------------------------

    def lose(self, exc: BaseException) -> None:
        """The store did not answer (here or in another call): say so, and probe until it answers."""
        if self.ok:
            log.warning("store lost: %s", exc)
        self.ok = False
        if not self._retry.isActive():
            self._retry.start()
        self.lost.emit(exc)

    def _probe(self) -> None:
        if self._reading:
            return
        self._reading = True
        self.runner.run(self._read_states, self._found, self._probe_failed)

    def _probe_failed(self, _exc: BaseException) -> None:
        self._reading = False

    def _found(self, states: dict[str, ServiceState]) -> None:
        log.info("store answers again: issuing resumes")
        self._retry.stop()
        self.ok = True
        self._states_read(states)
        self.back.emit(states)

    # --- the printer alert ------------------------------------------------------------------

    def record_alert(self, fault_message: str | None) -> None:
        """The guard's alert: a ``printer_fault`` event (``fault_message`` given) or ``printer_ok``."""
        store, source, url = self.store, self.source, self.printer_url

        def record() -> None:
            with store.session() as s:
                if fault_message is None:
                    alerts.record_printer_ok(s, source, url)
                else:
                    alerts.record_printer_fault(s, source, url, fault_message)

        def done(_: object) -> None:
            self.alert_recorded = fault_message is not None

        def failed(exc: BaseException) -> None:
            log.warning("printer alert not recorded (%s); it will be when the store is back", exc)

        self.runner.run(record, done, failed)

    def sync_alert(self, fault_message: str | None) -> None:
        """Record the printer's state if it changed while the store was down."""
        if fault_message is not None and self.alert_recorded is not True:
            self.record_alert(fault_message)
        elif fault_message is None and self.alert_recorded is True:
            self.record_alert(None)
