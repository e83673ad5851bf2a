"""The general remark page's address: what the QR code on the kiosk's home and the ticket's foot leads to."""
from __future__ import annotations

from lobby.config import CentreConfig

REMARK_PATH = "/gop-y"  # web/routers/feedback.py serves the anonymous remark form here


def general_remark_url(cfg: CentreConfig) -> str | None:
    """``{web.public_url}/gop-y``, or None when there is no public web address or ``[feedback] general_qr``
    is off (a code that leads nowhere only makes citizens scan in vain)."""
    if not cfg.feedback.general_qr or not cfg.web.public_url:
        return None
    return cfg.web.public_url.rstrip("/") + REMARK_PATH
