"""The general remark QR code: on Home and at the printed ticket's foot only with ``[web] public_url``.

Real widgets offscreen, the real printer emulator, and zbar reading the codes as a phone would.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from kiosk.window import KioskWindow
from lobby.config import CentreConfig
from lobby.feedback.general import general_remark_url
from lobby.store.models import Ticket
from lobby_qt.fonts import load_fonts
from support import PROCESS_S, SETTLE_MS

PUBLIC = "http://192.0.2.7:8080"


def decode_all(png: Path) -> list[str]:
    """Every QR code zbar finds in ``png`` (none: an empty list)."""
    zbarimg = shutil.which("zbarimg")
    assert zbarimg is not None, "zbarimg not found: install the zbar-tools package (.ci/run installs it)"
    out = subprocess.run([zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)],
                         capture_output=True, text=True, timeout=PROCESS_S)
    assert out.returncode in (0, 4), out.stderr  # 4: no code found
    return sorted(line for line in out.stdout.splitlines() if line)


def with_public_url(cfg: CentreConfig, url: str | None = PUBLIC, *, general_qr: bool = True) -> CentreConfig:
    return cfg.model_copy(update={
        "web": cfg.web.model_copy(update={"public_url": url}),
        "feedback": cfg.feedback.model_copy(update={"general_qr": general_qr}),
    })


def test_home_shows_the_remark_code_only_with_a_public_url(qtbot, cfg, tmp_path):
    load_fonts()
    window = KioskWindow(cfg)
    qtbot.addWidget(window)
    window.show()
    window.show_home()
    home = window.home
    window.set_remark_url(general_remark_url(cfg))  # no public_url in the demo config
    assert not home.remark_qr.isVisible()
    plain = tmp_path / "plain.png"
    home.grab().save(str(plain))
    assert decode_all(plain) == []

    window.set_remark_url(general_remark_url(with_public_url(cfg)))
    qtbot.waitUntil(home.remark_qr.isVisible, timeout=SETTLE_MS)
    assert home.remark_qr.caption.text() == "Góp ý, phản ánh — quét mã"
    shot = tmp_path / "home.png"
    home.grab().save(str(shot))
    assert decode_all(shot) == [f"{PUBLIC}/gop-y"]
    corner = home.remark_qr.geometry()
    assert corner.right() > home.language_button.geometry().right()  # in the corner, beside the buttons
    window.set_lang("en")
    assert home.remark_qr.caption.text() == "Remarks and complaints — scan"
    window.set_remark_url(None)
    assert not home.remark_qr.isVisible()


def test_printed_ticket_carries_both_codes_with_a_public_url(qtbot, store, cfg, emulator, make_kiosk):
    kiosk = make_kiosk(store, config=with_public_url(cfg))
    button = kiosk.window.home.grid.button("DKKD")
    qtbot.waitUntil(button.isEnabled, timeout=SETTLE_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(emulator.tickets) >= 1, timeout=SETTLE_MS)
    with store.read_session() as s:
        token = s.scalars(select(Ticket.public_token)).one()
    assert decode_all(emulator.tickets[0]) == sorted([f"{PUBLIC}/v/{token}", f"{PUBLIC}/gop-y"])


def test_printed_ticket_has_no_code_without_a_public_url(qtbot, store, cfg, emulator, make_kiosk):
    kiosk = make_kiosk(store)
    button = kiosk.window.home.grid.button("DKKD")
    qtbot.waitUntil(button.isEnabled, timeout=SETTLE_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(emulator.tickets) >= 1, timeout=SETTLE_MS)
    assert decode_all(emulator.tickets[0]) == []
    assert not kiosk.window.home.remark_qr.isVisible()
