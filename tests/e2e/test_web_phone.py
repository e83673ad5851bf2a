"""A citizen's phone, end to end: the kiosk prints a ticket, its QR code opens the live page in a real
browser (Debian's Chromium driven by Playwright), a counter calls the ticket, the page says so without a reload.
"""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness import AppProcess, free_port, script, ticket_pngs, wait_until
from lobby import queue
from lobby.config import load_config
from lobby.launcher import demo_config_text
from lobby.store.engine import Store
from support import PROCESS_S, SETTLE_S, browser_context, launch_chromium, patient_timers

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def decode_qr(png: Path) -> str:
    """The text of the QR code in a printed ticket, read by zbar."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.fail("zbarimg not found: install the zbar-tools package (.ci/run installs it)")
    out = subprocess.run([zbarimg, "--raw", "-q", "-Sqrcode.enable", str(png)], capture_output=True, text=True,
                         timeout=PROCESS_S)
    assert out.returncode == 0, f"no QR code found in {png}: {out.stderr}"
    return out.stdout.strip()


@pytest.fixture
def web_config(tmp_path: Path, emulator: AppProcess) -> tuple[Path, int]:
    """The demo centre, always open, printing to the emulator, with lobby-web's address as the public URL
    (its timers patient: ``patient_timers``)."""
    port = free_port()
    path = tmp_path / "centre-web.toml"
    printer = f"tcp://127.0.0.1:{emulator.printer_port}"
    text = demo_config_text(ROOT / "config" / "demo.toml", printer, True, f"http://127.0.0.1:{port}")
    path.write_text(patient_timers(text), encoding="utf-8")
    return path, port


@pytest.fixture
def web_app(tmp_path: Path, store_url: str, web_config: tuple[Path, int]) -> Iterator[AppProcess]:
    path, port = web_config
    proc = AppProcess("web", script("lobby-web") + ["--config", str(path), "--db", store_url, "--port", str(port),
                                                    "--log-dir", str(tmp_path / "logs" / "web")],
                      tmp_path / "logs", automation=False).start()

    def healthy() -> bool:
        proc.check_alive()
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=SETTLE_S).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(healthy, PROCESS_S, "lobby-web to answer /healthz")
        yield proc
    finally:
        proc.stop()


def test_printed_qr_opens_a_live_page_on_a_phone(tmp_path: Path, store_url: str, web_config: tuple[Path, int],
                                                 emulator: AppProcess, web_app: AppProcess) -> None:
    from playwright.sync_api import expect, sync_playwright

    path, port = web_config
    kiosk = AppProcess("kiosk", script("lobby-kiosk") + ["--config", str(path), "--db", store_url, "--windowed"],
                       tmp_path / "logs").start()
    try:
        kiosk.wait_ready(PROCESS_S)
        kiosk.wait_enabled("serviceButton", "Đất đai", "the Land service button to be enabled", SETTLE_S)
        assert kiosk.click("serviceButton", "Đất đai")["ok"]
        pngs = wait_until(lambda: ticket_pngs(emulator), SETTLE_S, "a ticket PNG from the emulator")
    finally:
        kiosk.stop()
    codes = sorted(decode_qr(pngs[0]).splitlines())  # the ticket's page and, at its foot, the general remark page
    assert codes[0] == f"http://127.0.0.1:{port}/gop-y"
    url = codes[1]
    assert url.startswith(f"http://127.0.0.1:{port}/v/") and len(url.rsplit("/", 1)[1]) == 16

    cfg = load_config(path)
    counter = next(c.number for c in cfg.counters if c.services == ["DD"])
    store = Store(store_url)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser_context(browser, **PHONE).new_page()
            page.goto(url)
            expect(page.locator("#number")).to_have_text("B001")
            expect(page.locator("#status")).to_have_text("Đang chờ")
            expect(page.locator("#live")).to_have_text("Tự cập nhật")  # the SSE stream is open
            page.evaluate("window.__stillThisPage = true")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
            with store.session() as s:
                called = queue.call_next(s, cfg, counter)
            assert called is not None and called.number == "B001"
            expect(page.locator("#headline")).to_have_text(f"Mời đến quầy số {counter}")
            expect(page.locator("#ticket")).to_have_class("card state-called")
            assert page.evaluate("window.__stillThisPage") is True  # updated in place, not reloaded
        finally:
            browser.close()
            store.dispose()
