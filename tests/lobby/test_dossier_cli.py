"""``lobby dossier`` as a process (both stores): JSON out; bad input gets one line, status 2, and nothing is written."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from support import DEMO_CONFIG, PROCESS_S, ROOT

CODE = "000.00.19.H61-231128-0012"
KEYS = {"code", "service", "state", "promised_at", "received_at", "ready_at", "returned_at"}


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    """The demo centre, open at all hours, its drop folder in the test's own directory."""
    path = tmp_path / "centre.toml"
    text = DEMO_CONFIG.read_text(encoding="utf-8").replace("enforce_hours = true", "enforce_hours = false")
    drop = tmp_path / "drop"
    drop.mkdir()
    path.write_text(text.replace('sync_folder = "var/dossier-drop"', f'sync_folder = "{drop.as_posix()}"'),
                    encoding="utf-8")
    return path


def lobby(db: str, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lobby.cli", "--db", db, "--config", str(config), *args],
                          capture_output=True, text=True, timeout=PROCESS_S, cwd=ROOT)


def _json(result: subprocess.CompletedProcess[str]) -> object:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_life_of_a_dossier(store_url: str, centre: Path) -> None:
    issued = _json(lobby(store_url, centre, "issue", "DKKD", "--json"))
    assert isinstance(issued, dict)
    added = _json(lobby(store_url, centre, "dossier", "add", f"  {CODE.lower()} ", "--service", "A",
                        "--ticket", issued["number"], "--json"))
    assert isinstance(added, dict) and set(added) >= KEYS
    assert (added["code"], added["service"], added["state"], added["ticket"]) == (CODE, "DKKD", "received", "A001")
    received = datetime.fromisoformat(added["received_at"])
    promised = datetime.fromisoformat(added["promised_at"])
    assert timedelta(days=3) <= promised - received <= timedelta(days=3 + 4 + 2)  # 3 working days, holidays aside

    later = date.today() + timedelta(days=60)  # any day two months on (the promise must lie ahead)
    other = _json(lobby(store_url, centre, "dossier", "add", "HS-2", "--service", "DD",
                        "--promised", f"{later.isoformat()}T10:30", "--json"))
    assert isinstance(other, dict) and other["promised_at"] == f"{later.isoformat()}T03:30:00+00:00"  # 10:30 in VN
    day3 = later + timedelta(days=1)
    third = _json(lobby(store_url, centre, "dossier", "add", "HS-3", "--service", "HT", "--promised",
                        day3.isoformat(), "--json"))
    assert isinstance(third, dict) and third["promised_at"] == f"{day3.isoformat()}T09:00:00+00:00"  # due 16:00

    ready = _json(lobby(store_url, centre, "dossier", "ready", CODE, "hs-2", "--json"))
    assert isinstance(ready, list) and [d["state"] for d in ready] == ["ready", "ready"]
    back = _json(lobby(store_url, centre, "dossier", "returned", CODE, "--json"))
    assert isinstance(back, dict) and back["state"] == "returned" and back["returned_at"]
    shown = _json(lobby(store_url, centre, "dossier", "show", "HS-2", "--json"))
    assert isinstance(shown, dict) and shown["ready_at"] and not shown["returned_at"]
    listed = _json(lobby(store_url, centre, "dossier", "list", "--json"))
    assert isinstance(listed, list) and [d["code"] for d in listed] == [CODE, "HS-2", "HS-3"]
    assert _json(lobby(store_url, centre, "dossier", "list", "--overdue", "--json")) == []
    text = lobby(store_url, centre, "--lang", "en", "dossier", "show", "HS-3")
    assert text.returncode == 0
    assert f"HS-3 · Civil status and judicial records · In progress · promised 16:00 {day3:%d/%m/%Y}" in text.stdout


BAD = [
    (("add", "HS-9", "--service", "NOPE"), "NOPE"),
    (("add", "HS-9", "--service", "DD", "--promised", "2026-02-30"), "YYYY-MM-DD"),
    (("add", "HS-9", "--service", "DD", "--promised", "tomorrow"), "YYYY-MM-DD"),
    (("add", "HS-9", "--service", "DD", "--promised", "2020-01-01"), "after"),
    (("add", "HS-1", "--service", "DD"), "already received"),
    (("add", "X" * 65, "--service", "DD"), "64"),
    (("add", "HS-9", "--service", "DD", "--ticket", "Z999"), "Z999"),
    (("ready", "HS-1", "NOT-THERE"), "NOT-THERE"),
    (("returned", "NOT-THERE"), "NOT-THERE"),
    (("returned", "HS-1"), "mark it ready first"),
    (("show", "NOT-THERE"), "NOT-THERE"),
]


def test_bad_input_is_one_line_status_2_and_nothing_written(store_url: str, centre: Path) -> None:
    assert lobby(store_url, centre, "dossier", "add", "HS-1", "--service", "DD").returncode == 0
    before = lobby(store_url, centre, "dossier", "list", "--json").stdout
    for args, says in BAD:
        result = lobby(store_url, centre, "--lang", "en", "dossier", *args)
        assert result.returncode == 2, args
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and says in lines[0], result.stderr
    assert lobby(store_url, centre, "dossier", "list", "--json").stdout == before


def test_sync_command_reads_the_drop_folder(store_url: str, centre: Path) -> None:
    assert lobby(store_url, centre, "dossier", "add", "HS-1", "--service", "DD").returncode == 0
    drop = centre.parent / "drop"
    (drop / "ket-qua.csv").write_text("ma_ho_so,trang_thai,ngay_co_ket_qua\nhs-1,DA_CO_KET_QUA,\n", encoding="utf-8")
    report = _json(lobby(store_url, centre, "dossier", "sync", "--json"))
    assert isinstance(report, dict) and report["marked"] == ["HS-1"] and report["errors"] == []
    (drop / "hong.csv").write_text("khong,dung\n1,2\n", encoding="utf-8")
    broken = lobby(store_url, centre, "dossier", "sync")
    assert broken.returncode == 2 and "no column ma_ho_so" in broken.stdout
