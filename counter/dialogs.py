"""Small window-modal dialogs of the work screen: finish with a note, transfer, call a
number, resume a parked ticket. Each opens with ``open()`` (never blocks) and emits
``chosen(value)`` when confirmed."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.texts import t
from lobby.config import CentreConfig
from lobby_qt.fonts import pixel_font


class _Dialog(QDialog):
    chosen = Signal(str)

    def __init__(self, title: str, lang: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setFont(pixel_font(20))
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(title, self)
        heading.setFont(pixel_font(26, bold=True))
        self.layout_.addWidget(heading)

    def _buttons(self) -> QDialogButtonBox:
        box = QDialogButtonBox(self)
        self.ok_button = box.addButton(t("ok", self.lang), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = box.addButton(t("cancel", self.lang), QDialogButtonBox.ButtonRole.RejectRole)
        for b in (self.ok_button, self.cancel_button):
            b.setMinimumHeight(56)
        box.accepted.connect(self._confirm)
        box.rejected.connect(self.reject)
        self.layout_.addWidget(box)
        return box

    def _confirm(self) -> None:
        value = self.value()
        if value is None:
            return
        self.accept()
        self.chosen.emit(value)

    def value(self) -> str | None:
        return ""


class FinishDialog(_Dialog):
    """Finish the service, with an optional outcome note (Enter confirms at once)."""

    def __init__(self, number: str, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(f"{t('finish_title', lang)} — {number}", lang, parent)
        self.layout_.addWidget(QLabel(t("finish_note", lang), self))
        self.note = QLineEdit(self)
        self.note.setMinimumHeight(48)
        self.note.setMaxLength(500)
        self.layout_.addWidget(self.note)
        self._buttons()
        self.ok_button.setDefault(True)
        self.note.setFocus()

    def value(self) -> str | None:
        return self.note.text().strip()


class CallNumberDialog(_Dialog):
    """Type a number (letter and digits, e.g. A012) to call it out of order."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(t("call_title", lang), lang, parent)
        self.layout_.addWidget(QLabel(t("call_label", lang), self))
        self.number = QLineEdit(self)
        self.number.setObjectName("callNumber")
        self.number.setFont(pixel_font(40, bold=True))
        self.number.setMaxLength(16)
        self.number.setValidator(QRegularExpressionValidator(r"[A-Za-z]{0,3}[0-9]{0,6}", self.number))
        self.number.textEdited.connect(lambda s: self.number.setText(s.upper()))
        self.layout_.addWidget(self.number)
        self._buttons()
        self.ok_button.setDefault(True)
        self.number.setFocus()

    def value(self) -> str | None:
        text = self.number.text().strip().upper()
        return text or None


class _PickDialog(_Dialog):
    """A choice among large buttons (one tap chooses)."""

    def __init__(self, title: str, lang: str, parent: QWidget | None, choices: list[tuple[str, str]]) -> None:
        super().__init__(title, lang, parent)
        grid = QGridLayout()
        self.choice_buttons: dict[str, QPushButton] = {}
        for i, (value, text) in enumerate(choices):
            button = QPushButton(text, self)
            button.setObjectName(f"choice_{value}")
            button.setMinimumSize(260, 64)
            button.setFont(pixel_font(20, bold=True))
            button.clicked.connect(lambda _c=False, v=value: self._pick(v))
            grid.addWidget(button, i // 2, i % 2)
            self.choice_buttons[value] = button
        self.layout_.addLayout(grid)
        box = QDialogButtonBox(self)
        self.cancel_button = box.addButton(t("cancel", lang), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setMinimumHeight(56)
        box.rejected.connect(self.reject)
        self.layout_.addWidget(box)

    def _pick(self, value: str) -> None:
        self.accept()
        self.chosen.emit(value)


class TransferDialog(_PickDialog):
    """Pick the service the current ticket goes to wait for (not its own)."""

    def __init__(self, cfg: CentreConfig, current_service: str, lang: str, parent: QWidget | None = None) -> None:
        choices = [(s.code, f"{s.prefix} · {s.name(lang)}") for s in cfg.services if s.code != current_service]
        super().__init__(t("transfer_title", lang), lang, parent, choices)


class ResumeDialog(_PickDialog):
    """Pick which parked ticket comes back."""

    def __init__(self, numbers: list[tuple[str, str]], lang: str, parent: QWidget | None = None) -> None:
        super().__init__(t("resume_title", lang), lang, parent, numbers)
