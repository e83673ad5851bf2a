"""The hall's published figures: between calls, this month's share of satisfied citizens, of citizens
served within the target wait and (when the centre records dossiers) of results on time.

- :class:`FiguresPanel` is passive: it covers the board and shows the figures it is given.
- :class:`FiguresRotation` decides when: with ``[feedback] display_panel`` on, every
  ``display_panel_interval_s`` without a call it reads the figures off the GUI thread
  (``lobby.feedback.published``: the reports' own code) and shows them for
  ``display_panel_seconds``; a call hides them at once. Off in the config: it does nothing.

Wiring, in ``display.app.DisplayApp``: ``FiguresRotation(cfg, store, window, call_shown)``
and ``rotation.stop()`` when the display stops.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lobby.config import CentreConfig
from lobby.feedback.published import PublishedFigures, published_figures
from lobby.i18n import Translator, month_name, other_lang
from lobby.store.engine import Store
from lobby_qt.cover import Cover
from lobby_qt.fonts import pixel_font
from lobby_qt.tasks import TaskRunner

log = logging.getLogger(__name__)

t = Translator({
    "figures.title": ("Kết quả phục vụ tháng {m}/{y}", "Our results, {month} {y}"),
    "figures.range": ("Số liệu từ {start} đến {end}", "Figures from {start} to {end}"),
    "figures.satisfied": ("Công dân hài lòng", "Citizens satisfied"),
    "figures.satisfied_of": ("trên {n} lượt đánh giá", "of {n} ratings"),
    "figures.in_time": ("Được phục vụ trong thời gian chờ quy định", "Served within the target wait"),
    "figures.in_time_of": ("trên {n} lượt phục vụ", "of {n} citizens served"),
    "figures.on_time": ("Trả kết quả đúng hẹn", "Results returned on time"),
    "figures.on_time_of": ("trên {n} hồ sơ đã trả", "of {n} results returned"),
})


class _Tile(QFrame):
    def __init__(self, name: str, colour: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(f"#{name} {{ background: {colour}; border-radius: 28px; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        self.value = QLabel(self)
        self.value.setFont(pixel_font(150, bold=True))
        self.label = QLabel(self)
        self.label.setFont(pixel_font(40, bold=True))
        self.label_other = QLabel(self)
        self.label_other.setFont(pixel_font(28))
        self.base = QLabel(self)
        self.base.setFont(pixel_font(26))
        for label in (self.value, self.label, self.label_other, self.base):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setStyleSheet("color: white; background: transparent;")
            layout.addWidget(label)
        layout.insertStretch(0, 1)
        layout.addStretch(1)

    def set(self, value: str, key: str, base: str, lang: str) -> None:
        self.value.setText(value)
        self.label.setText(t(key, lang))
        self.label_other.setText(t(key, other_lang(lang)))
        self.base.setText(base)


class FiguresPanel(Cover):
    """Covers its parent (the board) while shown. A passive view."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("figuresPanel")
        self.setStyleSheet("#figuresPanel { background: #0b2545; }")
        root = QVBoxLayout(self)
        root.setContentsMargins(60, 50, 60, 50)
        self.title = QLabel(self)
        self.title.setObjectName("figuresTitle")
        self.title.setFont(pixel_font(64, bold=True))
        self.subtitle = QLabel(self)
        self.subtitle.setFont(pixel_font(34))
        for label in (self.title, self.subtitle):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setStyleSheet("color: white; background: transparent;")
            root.addWidget(label)
        root.addSpacing(30)
        row = QHBoxLayout()
        row.setSpacing(40)
        self.satisfied = _Tile("tileSatisfied", "#1b5e20", self)
        self.in_time = _Tile("tileInTime", "#0d47a1", self)
        self.on_time = _Tile("tileOnTime", "#6a1b9a", self)
        for tile in (self.satisfied, self.in_time, self.on_time):
            row.addWidget(tile, 1)
        root.addLayout(row, 1)

    def show_figures(self, f: PublishedFigures, lang: str = "vi") -> None:
        other = other_lang(lang)
        title = t("figures.title", lang, m=f"{f.end.month:02d}", y=f.end.year, month=month_name(f.end.month, lang))
        title_other = t("figures.title", other, m=f"{f.end.month:02d}", y=f.end.year,
                        month=month_name(f.end.month, other))
        self.title.setText(f"{title}\n{title_other}")
        self.subtitle.setText(t("figures.range", lang, start=f"{f.start:%d/%m}", end=f"{f.end:%d/%m/%Y}"))
        self.satisfied.set(f.percent(f.satisfied_share), "figures.satisfied",
                           t("figures.satisfied_of", lang, n=f.rated), lang)
        self.in_time.set(f.percent(f.within_target_share), "figures.in_time",
                         t("figures.in_time_of", lang, n=f.served), lang)
        self.on_time.set(f.percent(f.results_on_time_share), "figures.on_time",
                         t("figures.on_time_of", lang, n=f.returned), lang)
        self.on_time.setVisible(f.results_on_time_share is not None)
        self.cover()

    def hide_panel(self) -> None:
        self.hide()


class FiguresRotation(QObject):
    """Shows the panel every so often between calls (when the config switches it on)."""

    shown = Signal(object)  # PublishedFigures
    hidden = Signal()

    def __init__(self, cfg: CentreConfig, store: Store, window: QWidget, calls: SignalInstance, *,
                 lang: str = "vi", interval_s: float | None = None, show_s: float | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        fb = cfg.feedback
        self.cfg, self.store, self.lang = cfg, store, lang
        self.enabled = fb.display_panel
        self.panel = FiguresPanel(window)
        self.runner = TaskRunner(self, max_threads=1)
        self._every = QTimer(self)
        self._every.setSingleShot(True)
        self._every.setInterval(int((interval_s if interval_s is not None else fb.display_panel_interval_s) * 1000))
        self._every.timeout.connect(self._fetch)
        self._shown_for = QTimer(self)
        self._shown_for.setSingleShot(True)
        self._shown_for.setInterval(int((show_s if show_s is not None else fb.display_panel_seconds) * 1000))
        self._shown_for.timeout.connect(self._end_showing)
        self._stopped = False
        calls.connect(self.on_call)
        if self.enabled:
            self._every.start()

    def on_call(self, _calls: object = None) -> None:
        """A number is called: the board comes back at once, and the wait starts again."""
        if self.panel.isVisible():
            self.panel.hide_panel()
            self.hidden.emit()
        self._shown_for.stop()
        if self.enabled and not self._stopped:
            self._every.start()

    def _fetch(self) -> None:
        store, cfg = self.store, self.cfg

        def read() -> PublishedFigures:
            return published_figures(store, cfg)

        self.runner.run(read, self._show, self._failed)

    def _show(self, figures: PublishedFigures) -> None:
        if self._stopped or self._every.isActive():  # a call came while reading: not now
            return
        self.panel.show_figures(figures, self.lang)
        self.shown.emit(figures)
        self._shown_for.start()

    def _failed(self, exc: BaseException) -> None:
        log.warning("published figures not read: %s", exc)  # the board goes on; try again next time
        if not self._stopped:
            self._every.start()

    def _end_showing(self) -> None:
        self.panel.hide_panel()
        self.hidden.emit()
        if not self._stopped:
            self._every.start()

    def stop(self) -> None:
        self._stopped = True
        self._every.stop()
        self._shown_for.stop()
        self.runner.wait()
