"""Screenshots of every kiosk screen, portrait and landscape, Vietnamese and English.

    python -m kiosk.screenshots [OUT_DIR]      # default docs/screenshots

``render_all(out_dir)`` writes ``kiosk-<screen>-<portrait|landscape>-<vi|en>.png``. The
data is real: a scratch SQLite store of the demo centre at 11:15 on a Friday, a few
tickets already waiting, "Tài nguyên và Môi trường" past its hours (07:30–11:00) and
"Giấy phép lái xe" past a daily limit lowered to 3 for the picture.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lobby import queue
from lobby.config import PROJECT_ROOT, CentreConfig, load_config
from lobby.queue.offer import service_states
from lobby.store.migrate import init_store
from lobby.store.engine import Store

AT = datetime(2026, 11, 27, 11, 15, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Friday
SCREENS = ("home", "confirm", "noprint", "priority", "pin", "guard", "storedown", "attract", "printerfault")


def _demo_config() -> CentreConfig:
    cfg = load_config(PROJECT_ROOT / "config" / "demo.toml")
    services = [s.model_copy(update={"daily_limit": 3}) if s.code == "GPLX" else s for s in cfg.services]
    return cfg.model_copy(update={"services": services})


def _seed(store: Store, cfg: CentreConfig) -> None:
    for code, n in (("DKKD", 11), ("DD", 4), ("HT", 7), ("GPLX", 3), ("CT", 2), ("TKQ", 5)):
        for _ in range(n):
            with store.session() as s:
                queue.issue_ticket(s, cfg, code, now=AT)


def render_all(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.confirmation import PrintState
    from kiosk.controller import KioskController
    from kiosk.printing import printer_factory
    from kiosk.texts import t
    from lobby_qt.fonts import load_fonts, ui_font

    app = QApplication.instance() or QApplication(sys.argv[:1])
    load_fonts()
    app.setFont(ui_font(14))  # type: ignore[union-attr]
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg = _demo_config()
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'shots.sqlite3'}")
        init_store(store, cfg)
        _seed(store, cfg)
        with store.read_session() as s:
            states = service_states(s, cfg, AT)
        with store.session() as s:
            ticket = queue.issue_ticket(s, cfg, "DKKD", now=AT)
        with store.session() as s:
            elderly = queue.issue_ticket(s, cfg, "HT", priority="elderly", now=AT)
        for portrait in (True, False):
            orientation = "portrait" if portrait else "landscape"
            for lang in ("vi", "en"):
                kiosk = KioskController(store, cfg, printer_factory(cfg.printer, "dummy://"), portrait=portrait,
                                        now=lambda: AT)
                w = kiosk.window
                kiosk.lang = lang
                kiosk.states = states
                kiosk._apply_lang()
                w.guard.set_counts(states)
                w.show()

                def shot(screen: str) -> None:
                    app.processEvents()  # type: ignore[union-attr]
                    path = out_dir / f"kiosk-{screen}-{orientation}-{lang}.png"
                    w.grab().save(str(path))
                    written.append(path)

                w.show_page("home")
                shot("home")
                w.confirmation.show_ticket(ticket, lang, PrintState.PRINTING)
                w.show_page("confirm")
                shot("confirm")
                w.confirmation.show_ticket(elderly, lang, PrintState.FAILED)
                shot("noprint")
                w.priority.set_lang(lang)
                w.show_page("priority")
                shot("priority")
                group = cfg.priority_group("merit")
                w.pin.ask("priority", t("pin_for_group", lang, group=group.name(lang)), lang)
                for digit in "246":
                    w.pin.keypad.press(digit)
                w.show_page("pin")
                shot("pin")
                w.guard.open_for("Trần Văn Bảo", lang)
                w.guard.set_last_number(ticket.number)
                w.guard.set_printer(t("printer_ok", lang), True)
                w.show_page("guard")
                shot("guard")
                w.show_page("store_down")
                shot("storedown")
                w.attract.set_clock(kiosk.window.home.header.clock.text())
                w.show_page("attract")
                shot("attract")
                w.home.set_printer_fault(True)
                w.show_page("home")
                shot("printerfault")
                kiosk.shutdown()
                w.allow_close()
                w.close()
                w.deleteLater()
        store.dispose()
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT / "docs" / "screenshots"
    for p in render_all(target):
        print(p)
