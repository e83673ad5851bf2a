"""The `lobby` command as an IT officer and a test script use it: run as a real process."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support import DEMO_CONFIG, PROCESS_S

ROOT = Path(__file__).resolve().parents[2]
TICKET_KEYS = {"id", "number", "service", "status", "priority", "counter", "issued_at", "called_at", "ahead",
               "estimated_wait_min"}


@pytest.fixture
def always_open(tmp_path: Path) -> Path:
    """The demo centre with its hours not enforced, so the tests pass at any time of day."""
    path = tmp_path / "centre.toml"
    path.write_text(DEMO_CONFIG.read_text(encoding="utf-8").replace("enforce_hours = true", "enforce_hours = false"),
                    encoding="utf-8")
    return path


def lobby(*args: str, db: str | None = None, config: Path | None = None,
          stdin: str = "") -> subprocess.CompletedProcess[str]:
    head = [sys.executable, "-m", "lobby.cli"]
    if db:
        head += ["--db", db]
    if config:
        head += ["--config", str(config)]
    return subprocess.run(head + list(args), capture_output=True, text=True, input=stdin, timeout=PROCESS_S,
                          cwd=ROOT)


def test_issue_call_and_list_as_json(store_url: str, always_open: Path) -> None:
    issued = lobby("issue", "DKKD", "--json", db=store_url, config=always_open)
    assert issued.returncode == 0, issued.stderr
    ticket = json.loads(issued.stdout)
    assert TICKET_KEYS <= set(ticket)
    assert ticket["number"] == "A001" and ticket["status"] == "waiting" and ticket["ahead"] == 0
    called = json.loads(lobby("call", "1", "--json", db=store_url, config=always_open).stdout)
    assert called["number"] == "A001" and called["counter"] == 1 and called["called_at"]
    nobody = lobby("call", "1", "--json", db=store_url, config=always_open)
    assert nobody.returncode == 0 and json.loads(nobody.stdout) is None
    listed = json.loads(lobby("tickets", "--json", db=store_url, config=always_open).stdout)
    assert [t["number"] for t in listed] == ["A001"] and listed[0]["status"] == "done"


def test_counter_actions_and_human_output(store_url: str, always_open: Path) -> None:
    for service in ("DD", "DD", "HT"):
        assert lobby("issue", service, db=store_url, config=always_open).returncode == 0
    out = lobby("call", "3", db=store_url, config=always_open).stdout
    assert "B001" in out and "Quầy 3" in out
    assert "B001" in lobby("recall", "3", db=store_url, config=always_open).stdout
    assert lobby("transfer", "3", "HT", "--json", db=store_url, config=always_open).returncode == 0
    called = json.loads(lobby("call", "5", "--json", db=store_url, config=always_open).stdout)
    assert called["number"] == "B001"  # keeps its place by issue time in the new service
    assert lobby("finish", "5", "--note", "đủ hồ sơ", db=store_url, config=always_open).returncode == 0
    assert lobby("call", "3", db=store_url, config=always_open).returncode == 0
    assert json.loads(lobby("no-show", "3", "--json", db=store_url, config=always_open).stdout)["status"] == "no_show"
    status = lobby("--lang", "en", "status", db=store_url, config=always_open).stdout
    assert "Waiting per service" in status and "Counters" in status
    refused = lobby("close-day", db=store_url, config=always_open)  # C001 was issued a moment ago
    assert refused.returncode == 2 and "--force" in refused.stderr and refused.stderr.count("\n") == 1
    closed = lobby("close-day", "--force", db=store_url, config=always_open)
    assert closed.returncode == 0 and "1 số" in closed.stdout  # C001 was still waiting


def test_staff_accounts(store_url: str, always_open: Path) -> None:
    added = lobby("staff", "add", "an", "--name", "Nguyễn Văn An", "--role", "official", "--pin", "2468",
                  db=store_url, config=always_open)
    assert added.returncode == 0 and "an" in added.stdout
    again = lobby("staff", "add", "an", "--pin", "1357", db=store_url, config=always_open)
    assert again.returncode == 2 and "staff passwd" in again.stderr
    assert lobby("staff", "passwd", "an", stdin="1357\n", db=store_url, config=always_open).returncode == 0
    members = json.loads(lobby("staff", "list", "--json", db=store_url, config=always_open).stdout)
    assert members == [{"username": "an", "full_name": "Nguyễn Văn An", "role": "official", "active": True,
                        "locked_until": None}]


def test_priority_group_that_needs_a_pin(store_url: str, always_open: Path) -> None:
    assert lobby("staff", "add", "baove", "--role", "guard", "--pin", "864208", db=store_url,
                 config=always_open).returncode == 0
    refused = lobby("issue", "DD", "--priority", "merit", db=store_url, config=always_open)
    assert refused.returncode == 2 and "--granted-by" in refused.stderr
    wrong = lobby("issue", "DD", "--priority", "merit", "--granted-by", "baove", stdin="0000\n", db=store_url,
                  config=always_open)
    assert wrong.returncode == 2 and "PIN" in wrong.stderr
    ok = lobby("issue", "DD", "--priority", "merit", "--granted-by", "baove", "--json", stdin="864208\n", db=store_url,
               config=always_open)
    assert ok.returncode == 0 and json.loads(ok.stdout)["priority"] == "merit"


def test_bad_input_is_one_clear_message(store_url: str, always_open: Path) -> None:
    unknown = lobby("issue", "ZZ", db=store_url, config=always_open)
    assert unknown.returncode == 2 and "ZZ" in unknown.stderr and "DKKD" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    counter = lobby("--lang", "en", "call", "99", db=store_url, config=always_open)
    assert counter.returncode == 2 and "No counter number 99" in counter.stderr
    day = lobby("tickets", "--day", "28/11/2026", db=store_url, config=always_open)
    assert day.returncode == 2 and "YYYY-MM-DD" in day.stderr


def test_unreachable_database_names_the_url_without_password(always_open: Path) -> None:
    done = lobby("status", db="postgresql://lobby:s3cret@127.0.0.1:1/lobby", config=always_open)
    assert done.returncode == 2
    assert "127.0.0.1:1/lobby" in done.stderr and "s3cret" not in done.stderr
    assert "Traceback" not in done.stderr


def test_empty_database_asks_for_lobby_init(tmp_path: Path, always_open: Path) -> None:
    db = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    done = lobby("issue", "DKKD", db=db, config=always_open)
    assert done.returncode == 2 and "lobby init" in done.stderr
    assert lobby("init", db=db, config=always_open).returncode == 0
    assert lobby("issue", "DKKD", db=db, config=always_open).returncode == 0


def test_bad_config_names_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(DEMO_CONFIG.read_text(encoding="utf-8").replace('prefix = "B"', 'prefix = "a1"'), encoding="utf-8")
    done = lobby("status", config=bad)
    assert done.returncode == 2
    assert f'{bad}: services[1].prefix: must be 1 to 3 capital letters, got "a1"' in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [
    [], ["init"], ["issue"], ["call"], ["recall"], ["start"], ["finish"], ["no-show"], ["park"], ["transfer"],
    ["resume"], ["cancel"], ["tickets"], ["status"], ["close-day"], ["counter"], ["staff"], ["staff", "add"],
    ["staff", "passwd"], ["staff", "list"], ["report"], ["demo-history"],
])
def test_every_subcommand_has_help(command: list[str]) -> None:
    done = lobby(*command, "--help")
    assert done.returncode == 0 and "usage: lobby" in done.stdout


BROKEN_REPORT = """
import sys
sys.modules["lobby.reports.command"] = None  # as if the module failed to import
from lobby.cli import main
main(["report", "--help"])
"""


def test_a_broken_report_module_fails_loudly_instead_of_losing_the_command() -> None:
    done = subprocess.run([sys.executable, "-c", BROKEN_REPORT], capture_output=True, text=True, timeout=PROCESS_S,
                          cwd="/", env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "import of lobby.reports.command halted" in done.stderr
    assert "invalid choice" not in done.stderr


def test_every_command_module_registers_its_commands() -> None:
    import argparse

    from lobby.cli import COMMAND_MODULES, build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert {"report", "demo-history", "token", "dossier"} <= set(commands)
    assert len(COMMAND_MODULES) == 3
