"""Kiosk fixtures: the printer emulator, a kiosk wired to a real store, a fake clock, staff."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.controller import KioskController
from kiosk.printing import printer_factory
from kiosk.window import KioskWindow
from lobby.config import CentreConfig
from lobby.staffing import staff
from lobby.store.engine import Store
from lobby_qt.fonts import load_fonts
from printer_drivers.emulator import PrinterEmulator
from support import SETTLE_S

GUARD_PIN = "246813"  # a guard and a manager need 6 digits or more
MANAGER_PIN = "975310"
OFFICIAL_PIN = "1357"


class FakeMonotonic:
    """A monotonic clock the test moves by hand (idle timeouts without waiting)."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[PrinterEmulator]:
    emu = PrinterEmulator(port=0, out_dir=tmp_path / "printed").start()
    yield emu
    emu.stop()


@pytest.fixture
def staffed(store: Store) -> Store:
    with store.session() as s:
        staff.add_staff(s, "bao", "Trần Văn Bảo", "guard", GUARD_PIN)
    with store.session() as s:
        staff.add_staff(s, "lan", "Lê Thị Lan", "manager", MANAGER_PIN)
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", OFFICIAL_PIN)
    return store


@pytest.fixture
def clock() -> FakeMonotonic:
    return FakeMonotonic()


KioskMaker = Callable[..., KioskController]


def answering_printer(config: CentreConfig) -> CentreConfig:
    """The config with SETTLE_S for the printer's answers: the emulator always answers, a loaded machine
    only makes it answer later (5 s would turn that into a failed print the test did not ask for)."""
    return config.model_copy(update={"printer": config.printer.model_copy(update={"timeout_s": SETTLE_S})})


@pytest.fixture
def make_kiosk(qtbot, emulator: PrinterEmulator, cfg: CentreConfig, clock: FakeMonotonic) -> Iterator[KioskMaker]:
    """Build a started kiosk on ``store`` (printing to the emulator unless ``printer_url`` is given)."""
    load_fonts()
    made: list[KioskController] = []

    def make(store: Store, *, config: CentreConfig | None = None, printer_url: str | None = None,
             **kw: object) -> KioskController:
        c = answering_printer(config or cfg)
        url = printer_url or emulator.url
        options: dict[str, object] = {"store_retry_s": 0.2, "poll_fault_s": 0.2, "monotonic": clock}
        options.update(kw)
        window = KioskWindow(c, hold_ms=50)
        kiosk = KioskController(store, c, window, printer_factory(c.printer, url), printer_url=url,
                                **options)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.show()
        kiosk.start()
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.shutdown()
