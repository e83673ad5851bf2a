"""Screenshots of the counter's dossier dialogs (F10 receive, F11 ready), Vietnamese and English.

Written to ``LOBBY_SCREENSHOTS`` when set, else to the test's own directory."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from counter_helpers import CounterApp, sign_in
from lobby import dossiers, queue
from lobby.store.engine import Store
from support import SETTLE_MS


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dialogs(qtbot, apps, store: Store, cfg, tmp_path: Path, lang: str) -> None:  # noqa: ANN001
    out = Path(os.environ.get("LOBBY_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    app: CounterApp = apps.window(fixed_counter=3, lang=lang)
    sign_in(qtbot, app, "an")
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DD")
    with store.session() as s:
        dossiers.receive(s, cfg, "000.00.12.H61-261120-0003", "DD")
    app.window.activateWindow()
    qtbot.waitUntil(lambda: "next" in app.controller.enabled(), timeout=SETTLE_MS)
    qtbot.keyClick(app.window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: app.controller.view is not None and app.controller.view.current is not None,
                    timeout=SETTLE_MS)
    for key, name, code in ((Qt.Key.Key_F10, "receive", "000.00.12.H61-261202-0015"),
                            (Qt.Key.Key_F11, "ready", "000.00.12.H61-261120-0003")):
        qtbot.keyClick(app.window, key)
        qtbot.waitUntil(lambda: app.window.dossiers.dialog is not None and app.window.dossiers.dialog.isVisible(),
                        timeout=SETTLE_MS)
        dialog = app.window.dossiers.dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.code, code)
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda d=dialog, c=code: c in d.message.text(), timeout=SETTLE_MS)
        qtbot.keyClicks(dialog.code, "000.00.12.H61-2612")
        path = out / f"dossier-counter-{name}-{lang}.png"
        dialog.grab().save(str(path))
        qtbot.keyClick(dialog.code, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: app.window.dossiers.dialog is None, timeout=SETTLE_MS)
        qtbot.waitUntil(app.window.isActiveWindow, timeout=SETTLE_MS)  # the keys go to the work screen again
        image = Image.open(path).convert("L")
        lo, hi = min(image.tobytes()), max(image.tobytes())
        assert hi - lo > 100
    path = out / f"dossier-counter-work-{lang}.png"
    app.window.grab().save(str(path))
