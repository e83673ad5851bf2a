"""``lobby init`` under pressure: two at once on a fresh PostgreSQL database, and never a database by accident."""
from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lobby.store.engine import Store
from lobby.store.models import Counter, Service
from lobby.store.revision import current_revision, head_revision
from support import DEMO_CONFIG, PROCESS_S, create_pg_database, demo_config, drop_pg_database, require_pg

ROOT = Path(__file__).resolve().parents[2]


def start_init(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "lobby.cli", "--db", url, "--config", str(DEMO_CONFIG), "init"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def test_two_inits_at_once_on_a_fresh_postgresql_database_both_succeed() -> None:
    require_pg()
    for attempt in range(3):  # three fresh databases: a race that loses once in a while must show
        name = f"lobby_init_race_{uuid.uuid4().hex[:8]}"
        url = create_pg_database(name)
        try:
            runs = [start_init(url) for _ in range(2)]
            results = [(p.wait(timeout=PROCESS_S), p.stderr.read() if p.stderr else "") for p in runs]
            for p in runs:
                for stream in (p.stdout, p.stderr):
                    if stream is not None:
                        stream.close()
            assert [code for code, _ in results] == [0, 0], (attempt, results)
            store = Store(url)
            try:
                assert current_revision(store.engine) == head_revision()
                cfg = demo_config()
                with store.read_session() as s:
                    assert s.scalar(select(func.count()).select_from(Service)) == len(cfg.services)
                    assert s.scalar(select(func.count()).select_from(Counter)) == len(cfg.counters)
            finally:
                store.dispose()
        finally:
            drop_pg_database(name)


def test_init_never_creates_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "typo" / "lobby.sqlite3"
    done = subprocess.run([sys.executable, "-m", "lobby.cli", "--db", f"sqlite:///{target}", "--config",
                           str(DEMO_CONFIG), "init"], capture_output=True, text=True, cwd=ROOT, timeout=PROCESS_S)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "không tồn tại" in done.stderr
    assert not (tmp_path / "typo").exists()


@pytest.mark.parametrize("command", [["status"], ["tickets"], ["issue", "DD"], ["staff", "list"]])
def test_reading_commands_never_create_the_file(tmp_path: Path, command: list[str]) -> None:
    target = tmp_path / "lobby.sqlite3"
    done = subprocess.run([sys.executable, "-m", "lobby.cli", "--db", f"sqlite:///{target}", "--config",
                           str(DEMO_CONFIG), *command], capture_output=True, text=True, cwd=ROOT, timeout=PROCESS_S)
    assert done.returncode == 2 and "lobby init" in done.stderr and done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
