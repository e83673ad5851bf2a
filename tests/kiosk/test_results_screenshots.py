"""Screenshots of the kiosk's "Nhận kết quả" and of the apology slip, Vietnamese and English.

Written to ``LOBBY_SCREENSHOTS`` when set (``LOBBY_SCREENSHOTS=docs/screenshots pytest …`` refreshes
the ones in the README), else to the test's own directory; each must have something drawn on it.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from lobby import dossiers
from lobby.config import CentreConfig
from lobby.store.engine import Store
from support import SETTLE_MS


def _out(tmp_path: Path) -> Path:
    out = Path(os.environ.get("LOBBY_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _drawn(path: Path) -> None:
    image = Image.open(path).convert("L")
    lo, hi = min(image.tobytes()), max(image.tobytes())
    assert hi - lo > 100, f"{path} looks blank"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_screens_and_slip(qtbot, store: Store, cfg: CentreConfig, emulator, make_kiosk, tmp_path: Path,
                          lang: str) -> None:
    now = datetime(2026, 12, 2, 10, 0, tzinfo=cfg.tz)
    with store.session() as s:
        dossiers.receive(s, cfg, "000.00.13.H61-261130-0021", "HT", promised=now + timedelta(days=1, hours=6),
                         now=now - timedelta(days=2))
    with store.session() as s:
        dossiers.receive(s, cfg, "000.00.13.H61-261125-0008", "HT", promised=now - timedelta(hours=18),
                         now=now - timedelta(days=7))
    out = _out(tmp_path)
    kiosk = make_kiosk(store, now=lambda: now)
    kiosk.set_lang(lang)
    w, results = kiosk.window, kiosk.window.results
    qtbot.mouseClick(w.home.grid.button("TKQ"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.current_page() == "results", timeout=SETTLE_MS)
    qtbot.keyClicks(results.entry, "000.00.13.H61-2611")
    shots = {"entry": out / f"dossier-kiosk-entry-{lang}.png"}
    w.grab().save(str(shots["entry"]))
    for name, code in (("notready", "30-0021"), ("overdue", "25-0008")):
        results.ask(lang)
        qtbot.keyClicks(results.entry, f"000.00.13.H61-2611{code}")
        qtbot.keyClick(results.entry, Qt.Key.Key_Return)
        qtbot.waitUntil(results.answering, timeout=SETTLE_MS)
        shots[name] = out / f"dossier-kiosk-{name}-{lang}.png"
        w.grab().save(str(shots[name]))
    shots["overdue-portrait"] = out / f"dossier-kiosk-overdue-portrait-{lang}.png"
    w.resize(1080, 1920)  # the usual kiosk panel, upright
    qtbot.waitUntil(lambda: w.style_.portrait, timeout=SETTLE_MS)
    w.grab().save(str(shots["overdue-portrait"]))
    results.ask(lang)
    qtbot.keyClicks(results.entry, "000.00.13.H61-2611")
    shots["entry-portrait"] = out / f"dossier-kiosk-entry-portrait-{lang}.png"
    w.grab().save(str(shots["entry-portrait"]))
    qtbot.waitUntil(lambda: len(emulator.tickets) == 2, timeout=SETTLE_MS)
    shots["slip"] = out / f"dossier-apology-slip-{lang}.png"
    shutil.copy(emulator.tickets[1], shots["slip"])
    for path in shots.values():
        _drawn(path)
