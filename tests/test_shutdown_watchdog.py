"""``lobby_qt.shutdown``: a process stops within two seconds of SIGTERM, whatever its threads are waiting for."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 2.0

PRELUDE = """
import sys, threading
from lobby_qt.shutdown import ShutdownWatchdog
stop = threading.Event()
ShutdownWatchdog(stop.set).install()
"""

CASES = {
    # The main thread inside C: a write waiting 60 s for a SQLite lock (the Python handler cannot run).
    "main-thread-in-a-database-wait": """
import sqlite3
conn = sqlite3.connect(sys.argv[1], timeout=60, isolation_level=None)
print("waiting", flush=True)
conn.execute("BEGIN IMMEDIATE")
""",
    # The polite stop works, but a worker thread still inside a check keeps the interpreter alive.
    "worker-thread-never-returns": """
threading.Thread(target=threading.Event().wait).start()
print("waiting", flush=True)
stop.wait()
""",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_stops_within_two_seconds_of_sigterm(tmp_path: Path, case: str) -> None:
    db = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # what the waiting write waits for
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(PRELUDE + CASES[case]), str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "waiting", proc.stderr
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=LIMIT_S)  # the promise itself: gone within two seconds
        except subprocess.TimeoutExpired:
            pytest.fail(f"{case}: still running {LIMIT_S} s after SIGTERM")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        holder.close()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == 0, proc.returncode
