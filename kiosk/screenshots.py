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
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from lobby import queue
from lobby.config import PROJECT_ROOT, CentreConfig, load_config
from lobby.queue.offer import ServiceState, service_states
from lobby.queue.views import TicketInfo
from lobby.store.engine import Store
from lobby.store.migrate import init_store

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

AT = datetime(2025, 11, 28, 11, 15, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Friday, the demo history's last day
DEMO_PUBLIC_URL = "https://hcc.example.gov.vn"
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


def _shoot(app: QApplication, out_dir: Path, store: Store, cfg: CentreConfig, states: dict[str, ServiceState],
           tickets: tuple[TicketInfo, TicketInfo], *, portrait: bool, lang: str, name: str) -> list[Path]:
    """Every screen of one kiosk window, driven through the window's verbs as the controller does."""
    from kiosk.controller import KioskController
    from kiosk.printing import printer_factory
    from kiosk.texts import t
    from kiosk.window import KioskWindow

    ticket, elderly = tickets
    w = KioskWindow(cfg, portrait=portrait)
    w.set_remark_url(f"{DEMO_PUBLIC_URL}/gop-y")  # the general remark code, as with [web] public_url set
    kiosk = KioskController(store, cfg, w, printer_factory(cfg.printer, "dummy://"), now=lambda: AT)
    kiosk.set_lang(lang)
    w.set_states(states)
    w.show()
    written: list[Path] = []

    def shot(screen: str) -> None:
        app.processEvents()
        path = out_dir / f"kiosk-{screen}-{name}.png"
        w.grab().save(str(path))
        written.append(path)

    w.show_home()
    shot("home")
    w.show_ticket(ticket, lang)
    shot("confirm")
    w.show_ticket(elderly, lang, printing=False)
    shot("noprint")
    w.show_priority(lang)
    shot("priority")
    group = cfg.priority_group("merit")
    w.show_pin(t("pin_for_group", lang, group=group.name(lang)), lang)
    for digit in "246":
        w.pin.keypad.press(digit)
    shot("pin")
    w.set_printer_status(t("printer_ok", lang), True)
    w.show_guard("Trần Văn Bảo", lang, last_number=ticket.number)
    w.guard.set_unprinted(["A009", "C004"])  # issued before a restart, never printed: offered for a reprint
    shot("guard")
    w.show_store_down()
    shot("storedown")
    w.show_attract()
    shot("attract")
    w.set_printer_fault(True)
    w.show_home()
    shot("printerfault")
    kiosk.shutdown()
    w.allow_close()
    w.close()
    w.deleteLater()
    return written


def render_all(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from lobby_qt.fonts import load_fonts, ui_font

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    load_fonts()
    app.setFont(ui_font(14))
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
                written += _shoot(app, out_dir, store, cfg, states, (ticket, elderly), portrait=portrait, lang=lang,
                                  name=f"{orientation}-{lang}")
        store.dispose()
    return written


def main(argv: list[str] | None = None) -> int:
    """Write every kiosk screenshot into the folder named by the first argument."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else PROJECT_ROOT / "docs" / "screenshots"
    paths = render_all(target)
    for p in paths:
        print(p)
    print(f"kiosk: {len(paths)} screenshots")
    return 0 if paths else 1


if __name__ == "__main__":
    raise SystemExit(main())
