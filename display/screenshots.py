"""Screenshots of the board in every state and both orientations (``make screenshots``).

``render_all(out_dir)`` builds a temporary SQLite store from ``config/demo.toml``, makes
real tickets and calls with the core, and renders the board offscreen:

    display-idle-landscape-vi.png          display-idle-portrait-vi.png
    display-announcing-landscape-vi.png    display-announcing-portrait-vi.png
    display-many-counters-landscape-vi.png display-many-counters-portrait-vi.png
    display-disconnected-landscape-vi.png  display-disconnected-portrait-vi.png

and the announcing board in English first (``-en``) in both orientations.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lobby.config import DEFAULT_CONFIG, CentreConfig, CounterConfig, load_config
from lobby.feed.reader import FeedReader
from lobby.queue.operations import call_next, issue_ticket
from lobby.store.engine import Store
from lobby.store.migrate import init_store
from lobby.vocabulary import EventKind

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

STATES = ("idle", "announcing", "many-counters", "disconnected")


def demo_config(path: Path = DEFAULT_CONFIG) -> CentreConfig:
    """The demo centre, issuing tickets at any hour (screenshots and benches run at night too)."""
    cfg = load_config(path)
    return cfg.model_copy(update={"centre": cfg.centre.model_copy(update={"enforce_hours": False})})


def with_counters(cfg: CentreConfig, n: int) -> CentreConfig:
    """The config with counters 1…n; counters beyond the configured ones serve every service."""
    known = {c.number: c for c in cfg.counters}
    codes = [s.code for s in cfg.services]
    counters = [known.get(i) or CounterConfig(number=i, name=f"Quầy {i}", services=codes) for i in range(1, n + 1)]
    return cfg.model_copy(update={"counters": counters})


class _SilentPlayer:
    def play(self, path: Path) -> bool:
        return True

    def stop(self) -> None:
        pass


@contextmanager
def _populated_store(cfg: CentreConfig, calls: int) -> Iterator[Store]:
    with tempfile.TemporaryDirectory(prefix="lobby-shots-") as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'lobby.sqlite3'}")
        try:
            init_store(store, cfg)
            services = [s.code for s in cfg.services]
            for i in range(calls * 2 + 20):
                with store.session() as s:
                    issue_ticket(s, cfg, services[i % len(services)] if i % 3 else "DKKD")
            for i in range(calls):
                counter = cfg.counters[i % len(cfg.counters)].number
                with store.session() as s:
                    call_next(s, cfg, counter)
            yield store
        finally:
            store.dispose()


def _ensure_app() -> QApplication:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from lobby_qt.fonts import load_fonts, ui_font

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    load_fonts()
    app.setFont(ui_font(14))
    return app


def render_all(out_dir: Path, langs: tuple[str, ...] = ("vi", "en")) -> list[Path]:
    """Render every board state in both orientations to PNG files in ``out_dir``."""
    app = _ensure_app()
    from display.app import DisplayApp

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    base = demo_config()
    clock_cfg = base.tz
    fixed = datetime(2025, 11, 28, 9, 41, 27, tzinfo=clock_cfg)  # the demo history's last day, as every demo image
    for state in STATES:
        cfg = with_counters(base, 40) if state == "many-counters" else base
        n_calls = 40 if state == "many-counters" else 9
        with _populated_store(cfg, n_calls) as store:
            events = FeedReader(store).poll()
            variants = [(p, lang) for lang in langs for p in (False, True)
                        if lang == "vi" or state == "announcing"]
            for portrait, lang in variants:
                display = DisplayApp(cfg, store, portrait=portrait, lang=lang, player=_SilentPlayer(), pack=None,
                                     clock=lambda: fixed)
                win = display.window
                win.freeze_animations()
                from display.snapshot import read_snapshot

                display.on_snapshot(read_snapshot(store, cfg))
                calls = [e for e in events if e.kind == EventKind.CALLED]
                last = calls[-1]
                if state in ("announcing", "many-counters"):
                    display.model.apply_events(events)
                    win.light({int(e.counter) for e in calls[-3:] if e.counter is not None})
                    win.refresh()
                    win.announce(str(last.number), int(last.counter or 0))
                    win.current._blink.stop()
                if state == "disconnected":
                    win.set_connection_lost("postgresql://lobby@192.168.1.10:5432/lobby: connection refused")
                win.show()
                app.processEvents()
                path = out_dir / f"display-{state}-{'portrait' if portrait else 'landscape'}-{lang}.png"
                win.grab().save(str(path))
                written.append(path)
                win.close()
                display.announcer.close()
                win.deleteLater()
                display.deleteLater()
                app.processEvents()
    return written


def main(argv: list[str] | None = None) -> int:
    """Write every display screenshot into the folder named by the first argument."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    paths = render_all(Path(args[0] if args else "docs/screenshots"))
    for p in paths:
        print(p)
    print(f"display: {len(paths)} screenshots")
    return 0 if paths else 1


if __name__ == "__main__":
    raise SystemExit(main())
