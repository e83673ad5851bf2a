"""The side panel: who waits for this counter's services, the next numbers, the parked
tickets, and the official's figures for today."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from counter.texts import t
from lobby.config import CentreConfig
from lobby.staffing.desk import CounterView
from lobby_qt.fonts import pixel_font


def _title(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setFont(pixel_font(20, bold=True))
    label.setStyleSheet("color: #455a64; margin-top: 8px;")
    return label


class QueuePanel(QFrame):
    def __init__(self, cfg: CentreConfig, parent: QWidget | None = None, *, lang: str = "vi") -> None:
        super().__init__(parent)
        self.cfg = cfg
        self.lang = lang
        self.view: CounterView | None = None
        self.setObjectName("queuePanel")
        self.setStyleSheet("#queuePanel { background: #eceff1; border-radius: 14px; }")
        self.setMinimumWidth(340)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(4)
        self.waiting_title = _title(self)
        layout.addWidget(self.waiting_title)
        self.waiting_grid = QGridLayout()
        self.waiting_grid.setHorizontalSpacing(10)
        layout.addLayout(self.waiting_grid)
        self.waiting_rows: dict[str, tuple[QLabel, QLabel]] = {}
        self.next_title = _title(self)
        layout.addWidget(self.next_title)
        self.next_label = QLabel(self)
        self.next_label.setObjectName("nextNumbers")
        self.next_label.setFont(pixel_font(28, bold=True))
        self.next_label.setWordWrap(True)
        layout.addWidget(self.next_label)
        self.parked_title = _title(self)
        layout.addWidget(self.parked_title)
        self.parked_list = QListWidget(self)
        self.parked_list.setFont(pixel_font(22, bold=True))
        self.parked_list.setMaximumHeight(110)
        self.parked_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.parked_list)
        self.parked_none = QLabel(self)
        self.parked_none.setFont(pixel_font(20))
        self.parked_none.setStyleSheet("color: #78909c;")
        layout.addWidget(self.parked_none)
        self.today_title = _title(self)
        layout.addWidget(self.today_title)
        self.figures = QLabel(self)
        self.figures.setObjectName("figures")
        self.figures.setFont(pixel_font(20))
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.figures)
        layout.addStretch(1)
        self.show_view(None)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.show_view(self.view)

    def _ensure_rows(self, codes: list[str]) -> None:
        if list(self.waiting_rows) == codes:
            return
        for name, count in self.waiting_rows.values():
            name.deleteLater()
            count.deleteLater()
        self.waiting_rows = {}
        for row, code in enumerate(codes):
            name = QLabel(self)
            name.setFont(pixel_font(20))
            name.setWordWrap(True)
            count = QLabel(self)
            count.setObjectName(f"waiting_{code}")
            count.setFont(pixel_font(34, bold=True))
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.waiting_grid.addWidget(name, row, 0)
            self.waiting_grid.addWidget(count, row, 1)
            self.waiting_rows[code] = (name, count)

    def show_view(self, view: CounterView | None) -> None:
        self.view = view
        lang = self.lang
        self.waiting_title.setText(t("waiting_title", lang).upper())
        self.next_title.setText(t("next_title", lang).upper())
        self.parked_title.setText(t("parked_title", lang).upper())
        self.today_title.setText(t("today_title", lang).upper())
        codes = list(view.waiting) if view else []
        self._ensure_rows(codes)
        for code, (name, count) in self.waiting_rows.items():
            sc = self.cfg.service(code)
            name.setText(f"{sc.prefix} · {sc.name(lang)}")
            n = view.waiting.get(code, 0) if view else 0
            count.setText(str(n))
            count.setStyleSheet("color: #b71c1c;" if n >= 10 else "color: #263238;")
        upcoming = view.next_numbers if view else ()
        self.next_label.setText("  ".join(upcoming) if upcoming else t("none", lang))
        self.next_label.setStyleSheet("" if upcoming else "color: #78909c;")
        selected = self.selected_parked()
        self.parked_list.clear()
        for ticket in view.parked if view else ():
            self.parked_list.addItem(f"{ticket.number} · {ticket.service_name(lang)}")
            self.parked_list.item(self.parked_list.count() - 1).setData(Qt.ItemDataRole.UserRole, ticket.number)
        self.parked_list.setVisible(bool(view and view.parked))
        if view and view.parked:
            numbers = [p.number for p in view.parked]
            self.parked_list.setCurrentRow(numbers.index(selected) if selected in numbers else 0)
        self.parked_none.setText(t("none", lang))
        self.parked_none.setVisible(not (view and view.parked))
        f = view.figures if view else None
        rows = [
            (t("served", lang), str(f.served) if f else "0"),
            (t("no_shows", lang), str(f.no_shows) if f else "0"),
            (t("avg_service", lang), f.average_text(lang) if f else "—"),
        ]
        self.figures.setText(
            "<table cellspacing='2'>" + "".join(
                f"<tr><td>{k}</td><td style='padding-left:14px'><b>{v}</b></td></tr>" for k, v in rows) + "</table>")

    def selected_parked(self) -> str | None:
        item = self.parked_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
