"""Phone-size screenshots of the ticket page for the docs, in a real browser (Debian's Chromium).

    python -m web.screenshots docs/screenshots

Builds a throw-away demo store, serves the app on a loopback port, and saves
``web-{waiting,called,done,notfound}-{vi,en}.png`` at 360×740 CSS pixels.
"""
from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE_WIDTH, PHONE_HEIGHT = 360, 740


def main(argv: list[str] | None = None) -> int:
    import socket

    import uvicorn
    from playwright.sync_api import sync_playwright

    from lobby import queue
    from lobby.config import DEFAULT_CONFIG, load_config
    from lobby.store.engine import Store
    from lobby.store.migrate import init_store
    from web.app import create_app

    out = Path((argv or sys.argv[1:] or ["docs/screenshots"])[0])
    out.mkdir(parents=True, exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    base = load_config(DEFAULT_CONFIG)
    cfg = base.model_copy(update={
        "centre": base.centre.model_copy(update={"enforce_hours": False}),
        "web": base.web.model_copy(update={"public_url": f"http://127.0.0.1:{port}"}),
    })
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/shots.sqlite3")
        init_store(store, cfg)
        with store.session() as s:
            tickets = [queue.issue_ticket(s, cfg, "DKKD") for _ in range(6)]
        for counter in (1, 2):
            with store.session() as s:
                queue.call_next(s, cfg, counter)
        with store.session() as s:
            queue.finish(s, cfg, 2)
        pages = {"waiting": tickets[5].public_token, "called": tickets[0].public_token,
                 "done": tickets[1].public_token, "notfound": "xxxxxxxxxxxxxxxx"}
        server = uvicorn.Server(uvicorn.Config(create_app(cfg, store), host="127.0.0.1", port=port,
                                               log_level="warning", timeout_graceful_shutdown=1))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
                                              device_scale_factor=2, is_mobile=True, has_touch=True)
                page = context.new_page()
                for name, token in pages.items():
                    for lang in ("vi", "en"):
                        page.goto(f"http://127.0.0.1:{port}/v/{token}?lang={lang}")
                        if name in ("waiting", "called"):  # the live stream is open
                            page.wait_for_function("document.getElementById('live').textContent.length > 0")
                        path = out / f"web-{name}-{lang}.png"
                        page.screenshot(path=str(path))
                        print(path)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(10)
            store.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
