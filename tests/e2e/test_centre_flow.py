"""The whole centre as separate processes: kiosk → printer, counter → display → voice queue,
rating panel → report. Runs on SQLite and on PostgreSQL."""
from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from harness import AppProcess, script, ticket_pngs, wait_until
from lobby.staffing import staff
from lobby.store.engine import Store
from support import PROCESS_S, SETTLE_S

pytestmark = pytest.mark.e2e


def centre_today() -> str:
    """The centre's local day (UTC+7), not the machine's: after 17:00 UTC they differ."""
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


def add_official(store_url: str, username: str = "an", pin: str = "2468") -> None:
    store = Store(store_url)
    with store.session() as s:
        staff.add_staff(s, username, "Nguyễn Văn An", "official", pin)
    store.dispose()


def sign_in(counter: AppProcess, username: str, pin: str) -> None:
    counter.wait_ready(PROCESS_S)
    wait_until(lambda: counter.request({"op": "enabled", "name": "signInButton"}).get("enabled"), SETTLE_S,
               "the sign-in form")
    counter.type("username", username)
    counter.type("pin", pin)
    assert counter.click("signInButton")["ok"]
    wait_until(lambda: counter.request({"op": "enabled", "name": "action_next"}).get("enabled"), SETTLE_S,
               f"the counter to sign {username} in")


def test_ticket_call_announce_and_rating(tmp_path: Path, store_url: str, e2e_config: Path,
                                         emulator: AppProcess) -> None:
    add_official(store_url)
    common = ["--config", str(e2e_config), "--db", store_url]
    logs = tmp_path / "logs"
    kiosk = AppProcess("kiosk", script("lobby-kiosk") + common + ["--windowed"], logs).start()
    display = AppProcess("display", script("lobby-display") + common, logs).start()
    counter_argv = script("lobby-counter") + common + ["--counter", "3", "--with-rating-panel"]
    counter = AppProcess("counter", counter_argv, logs).start()
    apps = [kiosk, display, counter]
    try:
        for app in apps:
            app.wait_ready(PROCESS_S)
        kiosk.wait_enabled("serviceButton", "Đất đai", "the Land button", SETTLE_S)
        assert kiosk.click("serviceButton", "Đất đai")["ok"]
        wait_until(lambda: ticket_pngs(emulator), SETTLE_S, "the printed ticket")

        sign_in(counter, "an", "2468")
        assert counter.key("Space", "work")["ok"]
        wait_until(lambda: "B001" in counter.text("number"), SETTLE_S, "the counter to show B001")
        wait_until(lambda: "call shown: " in display.log_text() and "number=B001 counter=3" in display.log_text(),
                   SETTLE_S, "the display to show B001 at counter 3")
        wait_until(lambda: "announcement queued: number=B001 counter=3" in display.log_text(), SETTLE_S,
                   "the display to queue the announcement")

        assert counter.key("F4", "work")["ok"]  # finish: a note box opens, Enter confirms
        counter.key("Return")
        wait_until(lambda: counter.request({"op": "enabled", "name": "rate_very_satisfied"}).get("enabled"), SETTLE_S,
                   "the rating question on the panel")
        assert counter.click("rate_very_satisfied")["ok"]

        def rated() -> bool:
            out = subprocess.run(
                script("lobby") + ["--db", store_url, "--config", str(e2e_config), "report", "--from", centre_today(),
                                   "--to", centre_today(), "--by", "service", "--format", "json"],
                capture_output=True, text=True, timeout=PROCESS_S)
            return out.returncode == 0 and '"very_satisfied": 1' in out.stdout.replace("'", '"')

        wait_until(rated, PROCESS_S, "the rating to appear in the report")
    finally:
        for app in apps:
            app.stop()
