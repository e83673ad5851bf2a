"""A discreet "connection lost" mark for any screen that follows the store.

Hidden while connected.  ``show_lost(detail)`` shows "Mất kết nối" (and the English
second line) with a tooltip naming what failed; ``show_restored()`` hides it.  Wire it
to a :class:`lobby_qt.feed_bridge.FeedBridge`::

    banner = ConnectionBanner(parent=window)
    bridge.connection_lost.connect(banner.show_lost)
    bridge.connection_restored.connect(banner.show_restored)

The mark does not move the layout around (it keeps its place in the layout while
hidden) so nothing on a busy screen jumps when the link flickers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from lobby.i18n import other_lang
from lobby_qt.fonts import pixel_font
from lobby_qt.texts import t


class ConnectionBanner(QLabel):
    """A small red pill, "⚠ Mất kết nối · Connection lost", hidden while connected."""

    def __init__(self, parent: QWidget | None = None, *, pixel_size: int = 22, lang: str = "vi") -> None:
        super().__init__(parent)
        self.lang = lang
        self.lost = False
        self.setObjectName("connectionBanner")
        self.setFont(pixel_font(pixel_size, bold=True))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pad = max(4, pixel_size // 3)
        self.setStyleSheet(
            f"#connectionBanner {{ color: white; background: #b3261e; border-radius: {pixel_size // 2 + pad}px;"
            f" padding: {pad}px {pixel_size}px; }}"
        )
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Maximum)
        self.setSizePolicy(policy)
        self.setText(self.label_text())
        self.hide()

    def label_text(self) -> str:
        return f"⚠ {t('banner.lost', self.lang)} · {t('banner.lost', other_lang(self.lang))}"

    def show_lost(self, detail: str = "") -> None:
        """Show the mark; ``detail`` (what failed, e.g. the store URL and error) goes in the tooltip."""
        self.lost = True
        more = t("banner.reconnecting", self.lang)
        self.setToolTip(f"{detail}\n{more}" if detail else more)
        self.show()
        self.raise_()

    def show_restored(self) -> None:
        """Hide the mark."""
        self.lost = False
        self.setToolTip("")
        self.hide()
