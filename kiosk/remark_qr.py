"""The general remark QR code on Home: a small corner tile leading to the anonymous remark page.

Hidden until a URL is given (none without ``[web] public_url`` or with ``[feedback] general_qr = false``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk import style as st
from kiosk.style import Style
from kiosk.texts import t
from lobby_qt.fonts import pixel_font

QUIET_MODULES = 2  # white margin around the code, in modules, so phones find it on any background


def qr_pixmap(payload: str, side: int) -> QPixmap:
    """``payload`` as a black-on-white QR code of at most ``side`` pixels, whole pixels per module."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_MODULES, box_size=1)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    image = QImage(n, n, QImage.Format.Format_RGB32)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            image.setPixel(x, y, 0xFF000000 if dark else 0xFFFFFFFF)
    module = max(1, side // n)
    return QPixmap.fromImage(image.scaled(n * module, n * module, Qt.AspectRatioMode.IgnoreAspectRatio,
                                          Qt.TransformationMode.FastTransformation))


class RemarkQr(QWidget):
    """The code and its caption "Góp ý, phản ánh — quét mã", small, beside the language button."""

    def __init__(self, style: Style, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remarkQr")
        self.url: str | None = None
        self.code = QLabel()
        self.code.setObjectName("remarkQrCode")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel()
        self.caption.setObjectName("remarkQrCaption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.code, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.caption)
        self.hide()
        self.apply_style(style)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.caption.setFont(pixel_font(style.px(17), bold=True))
        self.caption.setStyleSheet(f"color: {st.MUTED};")
        self.setFixedSize(style.px(190), style.px(150))
        self._draw()

    def set_url(self, url: str | None) -> None:
        self.url = url
        self._draw()
        self.setVisible(url is not None)

    def set_lang(self, lang: str) -> None:
        self.caption.setText(t("remark_qr", lang))

    def _draw(self) -> None:
        if self.url is not None:
            self.code.setPixmap(qr_pixmap(self.url, self.style_.px(108)))
