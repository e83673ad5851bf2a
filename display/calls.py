"""The latest calls, one row per counter: "Số – Quầy", newest first.

Rows of counters called in the last ``highlight_s`` seconds are lit.  When there are
more counters than fit in one column the list flows into a second column; beyond
that the oldest calls are left out (a line says how many).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from display import theme
from display.fit import FitLabel
from display.model import CounterCall
from display.texts import t
from lobby.i18n import other_lang
from lobby_qt.fonts import pixel_font


class CallRow(QFrame):
    """One row: the number, an arrow, the counter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callRow")
        self.number = FitLabel(height_share=0.78, align=Qt.AlignmentFlag.AlignLeft)
        self.arrow = FitLabel("→", bold=False, height_share=0.6, color=theme.MUTED)
        self.counter = FitLabel(height_share=0.78, align=Qt.AlignmentFlag.AlignRight)
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 2, 18, 2)
        row.addWidget(self.number, 5)
        row.addWidget(self.arrow, 2)
        row.addWidget(self.counter, 3)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.call: CounterCall | None = None
        self.lit = False
        self._style = ""

    def _set_style(self, style: str) -> None:
        if style != self._style:  # restyling is the costly part of a refresh
            self._style = style
            self.setStyleSheet(style)

    def show_call(self, call: CounterCall | None, lit: bool) -> None:
        self.call, self.lit = call, lit
        self.number.setText(call.number if call else "")
        self.counter.setText(str(call.counter) if call else "")
        self.arrow.setText("→" if call else "")
        if call is None:
            self._set_style("#callRow { background: transparent; border: none; }")
            return
        bg = theme.HIGHLIGHT_ROW if lit else theme.PANEL
        fg = theme.ACCENT_DARK if lit else theme.TEXT
        self._set_style(f"#callRow {{ background: {bg}; border-radius: 12px; }}")
        self.number.setColor(fg)
        self.counter.setColor(theme.ACCENT_DARK if lit else theme.ACCENT)
        self.arrow.setColor(theme.ACCENT_DARK if lit else theme.MUTED)


class CallList(QWidget):
    """Header "Số | Quầy" and up to ``rows_per_column × columns`` rows."""

    def __init__(self, *, lang: str = "vi", rows_per_column: int = 8, columns: int = 2, scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.rows_per_column = rows_per_column
        self.max_columns = columns
        self.columns_used = 1
        self._scale = scale
        self.title = QLabel(f"{t('recent', lang)} · {t('recent', other_lang(lang))}")
        self.title.setFont(pixel_font(int(30 * scale), bold=True))
        self.title.setStyleSheet(f"color: {theme.MUTED};")
        self.more = QLabel()
        self.more.setFont(pixel_font(int(24 * scale)))
        self.more.setStyleSheet(f"color: {theme.MUTED};")
        self.more.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(int(16 * scale))
        self.grid.setVerticalSpacing(int(10 * scale))
        self._heads: list[QWidget] = []
        self._rows: list[CallRow] = []
        for col in range(columns):
            self._heads.append(self._head())
            self.grid.addWidget(self._heads[-1], 0, col)
            for r in range(rows_per_column):
                row = CallRow()
                self._rows.append(row)
                self.grid.addWidget(row, r + 1, col)
        for r in range(rows_per_column):
            self.grid.setRowStretch(r + 1, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(int(8 * scale))
        box.addWidget(self.title)
        box.addLayout(self.grid, 1)
        box.addWidget(self.more)
        self.set_rows([], set())

    def _head(self) -> QWidget:
        head = QWidget()
        line = QHBoxLayout(head)
        line.setContentsMargins(18, 0, 18, 0)
        columns = (("number", Qt.AlignmentFlag.AlignLeft, 5), ("counter", Qt.AlignmentFlag.AlignRight, 5))
        for key, align, stretch in columns:
            label = QLabel(f"{t(key, self.lang)} · {t(key, other_lang(self.lang))}")
            label.setFont(pixel_font(int(21 * self._scale)))
            label.setStyleSheet(f"color: {theme.MUTED};")
            label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
            line.addWidget(label, stretch)
        return head

    @property
    def capacity(self) -> int:
        return self.rows_per_column * self.max_columns

    def shown(self) -> list[CounterCall]:
        """The calls currently on screen, newest first (column by column)."""
        return [r.call for r in self._rows if r.call is not None]

    def lit_counters(self) -> set[int]:
        return {r.call.counter for r in self._rows if r.call is not None and r.lit}

    def set_rows(self, calls: list[CounterCall], lit: set[int]) -> None:
        """Show ``calls`` (newest first), lighting the counters in ``lit``."""
        visible = calls[: self.capacity]
        columns = max(1, min(self.max_columns, -(-len(visible) // self.rows_per_column)))
        self.columns_used = columns
        for col in range(self.max_columns):
            self._heads[col].setVisible(col < columns)
            for r in range(self.rows_per_column):
                row = self._rows[col * self.rows_per_column + r]
                row.setVisible(col < columns)
        per_column = -(-len(visible) // columns) if visible else 0  # balanced columns, newest top-left
        for col in range(self.max_columns):
            for r in range(self.rows_per_column):
                i = col * per_column + r
                call = visible[i] if r < per_column and i < len(visible) else None
                self._rows[col * self.rows_per_column + r].show_call(call, call is not None and call.counter in lit)
        hidden = len(calls) - len(visible)
        self.more.setText(f"+{hidden} quầy khác · {hidden} more counters" if hidden > 0 and self.lang != "en"
                          else (f"+{hidden} more counters · {hidden} quầy khác" if hidden > 0 else ""))
