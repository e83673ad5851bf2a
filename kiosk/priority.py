"""Choosing the priority group (the groups in the centre's config)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk import style as st
from kiosk.style import Style, box, label_font
from kiosk.texts import t
from lobby.config import PriorityGroupConfig
from lobby_qt.fonts import pixel_font


class GroupButton(QPushButton):
    def __init__(self, group: PriorityGroupConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.priority_group = group
        self.setObjectName("groupButton")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.name = QLabel()
        self.note = QLabel()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for label in (self.name, self.note):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setStyleSheet("color: white; background: transparent;")
            layout.addWidget(label)
        layout.addStretch(1)

    def set_lang(self, lang: str) -> None:
        self.name.setText(self.priority_group.name(lang))
        self.note.setText(t("needs_pin", lang) if self.priority_group.needs_pin else "")
        self.note.setVisible(self.priority_group.needs_pin)


class PriorityScreen(QWidget):
    """Emits ``chosen(group_code)`` or ``back``.

    ``set_lang(..., show_pin_notes=False)`` (guard mode) hides the PIN notes.
    """

    chosen = Signal(str)
    back = Signal()

    def __init__(self, groups: list[PriorityGroupConfig], style: Style, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("priorityScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.lang = "vi"
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.buttons: dict[str, GroupButton] = {}
        self.grid = QGridLayout()
        for group in groups:
            button = GroupButton(group)
            button.clicked.connect(lambda _=False, code=group.code: self.chosen.emit(code))
            self.buttons[group.code] = button
        self.back_button = QPushButton()
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(self.back)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.grid, 1)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.apply_style(style)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        while self.grid.count():
            self.grid.takeAt(0)
        cols = 1 if style.portrait else 2
        for i, button in enumerate(self.buttons.values()):
            self.grid.addWidget(button, i // cols, i % cols)
            label_font(button.name, style.px(46), bold=True)
            button.note.setFont(pixel_font(style.small_px))
            button.setMinimumHeight(style.px(150))
        self.grid.setSpacing(style.px(20))
        label_font(self.title, style.px(50), bold=True)
        self.back_button.setFont(pixel_font(style.small_px, bold=True))
        self.back_button.setMinimumSize(style.px(320), style.px(100))
        m = style.px(40)
        box(self).setContentsMargins(m, m, m, m)
        box(self).setSpacing(style.px(24))
        r = style.px(22)
        self.setStyleSheet(
            f"#priorityScreen {{ background: {st.PAPER}; }}"
            f"#priorityScreen > QLabel {{ color: {st.INK}; }}"
            f"#groupButton {{ background: {st.ORANGE}; border: none; border-radius: {r}px; }}"
            "#groupButton:pressed { background: #8f3e00; }"
            f"#backButton {{ background: {st.WHITE}; color: {st.BLUE_DARK}; border: 3px solid {st.BLUE};"
            f" border-radius: {r}px; }}"
        )

    def set_lang(self, lang: str, *, title: str | None = None, show_pin_notes: bool = True) -> None:
        self.lang = lang
        self.title.setText(title or t("choose_group", lang))
        self.back_button.setText(t("back", lang))
        for button in self.buttons.values():
            button.set_lang(lang)
            if not show_pin_notes:
                button.note.setVisible(False)
