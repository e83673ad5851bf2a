"""``lobby token`` and ``lobby issue --json``'s status_url, as an IT officer runs them (real processes)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import bearer

from lobby.config import load_config
from lobby.store.engine import Store
from support import DEMO_CONFIG, PROCESS_S
from web.app import create_app

ROOT = Path(__file__).resolve().parents[2]


def lobby(*args: str, db: str, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lobby.cli", "--db", db, "--config", str(config), *args],
                          capture_output=True, text=True, timeout=PROCESS_S, cwd=ROOT)


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    path = tmp_path / "centre.toml"
    text = DEMO_CONFIG.read_text(encoding="utf-8").replace("enforce_hours = true", "enforce_hours = false")
    path.write_text(text.replace("[web]\n", '[web]\npublic_url = "http://10.0.0.5:8080/"\n'), encoding="utf-8")
    return path


def test_issue_json_carries_the_status_url(store_url: str, centre: Path, tmp_path: Path) -> None:
    out = lobby("issue", "DKKD", "--json", db=store_url, config=centre)
    assert out.returncode == 0, out.stderr
    ticket = json.loads(out.stdout)
    assert ticket["status_url"] == f"http://10.0.0.5:8080/v/{ticket['token']}"
    plain = tmp_path / "plain.toml"
    plain.write_text(DEMO_CONFIG.read_text(encoding="utf-8").replace("enforce_hours = true", "enforce_hours = false"),
                     encoding="utf-8")
    out = lobby("issue", "DKKD", "--json", db=store_url, config=plain)
    assert json.loads(out.stdout)["status_url"] is None


def test_token_add_list_revoke(store_url: str, centre: Path) -> None:
    added = lobby("token", "add", "cong-dvc", "--scope", "issue,read", db=store_url, config=centre)
    assert added.returncode == 0, added.stderr
    secret = added.stdout.strip().splitlines()[-1]
    assert secret.startswith("lq_") and "Mã bí mật chỉ hiện một lần" in added.stdout
    as_json = lobby("token", "add", "zalo", "--scope", "read", "--json", db=store_url, config=centre)
    made = json.loads(as_json.stdout)
    assert made["name"] == "zalo" and made["secret"].startswith("lq_")
    listed = lobby("token", "list", db=store_url, config=centre)
    assert "cong-dvc" in listed.stdout and "issue,read" in listed.stdout and secret not in listed.stdout
    store = Store(store_url)
    try:
        with TestClient(create_app(load_config(centre), store)) as client:
            assert client.post("/api/v1/tickets", json={"service": "DD"}, headers=bearer(secret)).status_code == 201
            assert lobby("token", "revoke", "cong-dvc", db=store_url, config=centre).returncode == 0
            assert client.post("/api/v1/tickets", json={"service": "DD"}, headers=bearer(secret)).status_code == 401
    finally:
        store.dispose()
    refused = lobby("token", "add", "zalo", "--scope", "read", db=store_url, config=centre)
    assert refused.returncode == 2 and "zalo" in refused.stderr and refused.stdout == ""
    bad = lobby("token", "add", "x", "--scope", "admin", db=store_url, config=centre)
    assert bad.returncode == 2 and "admin" in bad.stderr
    listed = json.loads(lobby("token", "list", "--json", db=store_url, config=centre).stdout)
    assert [(t["name"], t["revoked_at"] is not None) for t in listed] == [("cong-dvc", True), ("zalo", False)]
