"""A panel that covers its host widget while shown (the counter's reasons step, the hall's figures).

:class:`Cover` starts hidden, follows the host's size, and ``cover()`` lays it over the host.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QFrame, QWidget


class Cover(QFrame):
    """A child of ``host`` that, once ``cover()`` is called, fills the host and stays on top of it."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.host = host
        host.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.host.rect())
        return False

    def cover(self) -> None:
        """Fill the host, above its other children, and show."""
        self.setGeometry(self.host.rect())
        self.raise_()
        self.show()
