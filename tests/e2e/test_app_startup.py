"""Each app, started against a database that answers but was never initialised, says to run
`lobby init` and exits 2, instead of showing a broken screen."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness import app_env, script
from support import PROCESS_S

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("app,extra", [
    ("lobby-kiosk", ["--windowed"]), ("lobby-display", []), ("lobby-counter", ["--counter", "1"]),
])
def test_an_uninitialised_store_asks_for_lobby_init(tmp_path: Path, app: str, extra: list[str]) -> None:
    db = f"sqlite:///{tmp_path / 'never-initialised.sqlite3'}"
    done = subprocess.run(script(app) + ["--db", db, "--log-dir", str(tmp_path / "log"), *extra],
                          env=app_env(), capture_output=True, text=True, timeout=PROCESS_S)
    assert done.returncode == 2
    assert "lobby init" in done.stderr
    assert "Traceback" not in done.stderr
