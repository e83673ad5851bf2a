"""``lobby_qt.shutdown``: a process stops soon after SIGTERM, whatever its threads are waiting for.

The promise is two seconds: the polite stop, then the hard exit ``GRACE_S`` after the signal.
Timing a process would fail on a loaded machine, so each case here blocks on something that never
ends by itself (a lock held until the test is over, a thread that never returns): the process can
only be gone because the watchdog ended it, and its last words say so.
"""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lobby_qt.shutdown import GRACE_S
from support import SETTLE_S

ROOT = Path(__file__).resolve().parents[1]
PROMISE_S = 2.0
LAST_WORDS = "ending the process now"

PRELUDE = """
import sys, threading
from lobby_qt.shutdown import ShutdownWatchdog
stop = threading.Event()
ShutdownWatchdog(stop.set).install()
"""

CASES = {
    # The main thread inside C: a write waiting an hour for a SQLite lock (the Python handler cannot run).
    "main-thread-in-a-database-wait": """
import sqlite3
conn = sqlite3.connect(sys.argv[1], timeout=3600, isolation_level=None)
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


def test_the_hard_exit_comes_within_the_promise() -> None:
    assert 0 < GRACE_S < PROMISE_S


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_watchdog_ends_a_process_stuck_after_sigterm(tmp_path: Path, case: str) -> None:
    db = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # what the waiting write waits for, until the test is over
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(PRELUDE + CASES[case]), str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "waiting", proc.stderr
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=SETTLE_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{case}: still running {SETTLE_S} s after SIGTERM")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        holder.close()
    assert proc.returncode == 0, proc.returncode
    assert LAST_WORDS in err, err
