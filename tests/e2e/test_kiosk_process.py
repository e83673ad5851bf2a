"""The real kiosk process: a tap gives a ticket in the store and a printed ticket PNG."""
from __future__ import annotations

from pathlib import Path

import pytest

from harness import AppProcess, script, ticket_pngs, wait_until
from lobby import queue
from lobby.config import load_config
from lobby.store.engine import Store
from support import PROCESS_S, SETTLE_S

pytestmark = pytest.mark.e2e


def test_kiosk_tap_prints_a_ticket(tmp_path: Path, store_url: str, e2e_config: Path, emulator: AppProcess) -> None:
    kiosk = AppProcess("kiosk", script("lobby-kiosk") + ["--config", str(e2e_config), "--db", store_url, "--windowed"],
                       tmp_path / "logs").start()
    try:
        kiosk.wait_ready(PROCESS_S)
        kiosk.wait_enabled("serviceButton", "Đất đai", "the Land service button to be enabled", SETTLE_S)
        assert kiosk.click("serviceButton", "Đất đai")["ok"]
        wait_until(lambda: "B001" in kiosk.texts(), SETTLE_S, "the confirmation showing B001")
        png = wait_until(lambda: ticket_pngs(emulator), SETTLE_S, "a ticket PNG from the emulator")
        assert len(png) == 1
        cfg = load_config(e2e_config)
        store = Store(store_url)
        with store.session() as s:
            tickets = queue.list_tickets(s, cfg)
        store.dispose()
        assert [t.number for t in tickets] == ["B001"]
    finally:
        kiosk.stop()
