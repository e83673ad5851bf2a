"""Hostile and careless input to ``lobby``: one line on stderr, exit status 2, no traceback, the store unchanged.

The table runs through ``cli.main`` in-process (the same boundary as the installed
command: ``python -m lobby.cli`` only calls it); a few cases that need a real process
(a pipe closed early, a config that is a never-ending device) run it as one. Every case
runs on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from lobby import cli, queue
from lobby.config import CentreConfig
from lobby.staffing import staff
from lobby.store.engine import Store
from lobby.store.migrate import init_store
from support import DEMO_CONFIG, PROCESS_S

ROOT = Path(__file__).resolve().parents[2]
HUGE = "x" * 200_000
DIGESTED = ("ticket", "event", "staff", "counter", "day_sequence", "rating", "service", "alembic_version")


def digest(store: Store) -> str:
    """Every row of the tables a command could touch, hashed: equal before and after means unchanged."""
    h = hashlib.sha256()
    with store.engine.connect() as conn:
        for table in DIGESTED:
            for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def config_file(tmp: Path, name: str, body: str | bytes) -> str:
    path = tmp / name
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    return str(path)


def demo_toml(**replace: str) -> str:
    body = DEMO_CONFIG.read_text(encoding="utf-8").replace("enforce_hours = true", "enforce_hours = false")
    for old, new in replace.items():
        assert old in body, old
        body = body.replace(old, new)
    return body


# Each case: (id, builder of the argv after "--db URL --config PATH" given tmp_path, and what stderr must not show).
Case = tuple[str, Callable[[Path], list[str]], tuple[str, ...]]

ARGUMENT_CASES: list[Case] = [
    ("counter-overflow", lambda t: ["call", "9" * 40], ()),
    ("counter-negative", lambda t: ["call", "-1"], ()),
    ("counter-zero", lambda t: ["recall", "0"], ()),
    ("counter-float", lambda t: ["start", "1e9"], ()),
    ("counter-arabic-digit", lambda t: ["finish", "٣"], ()),
    ("counter-fullwidth", lambda t: ["no-show", "３"], ()),
    ("counter-huge-action", lambda t: ["counter", "open", "9" * 5000], ("9" * 400,)),
    ("counter-unknown", lambda t: ["counter", "pause", "998"], ()),
    ("service-huge", lambda t: ["issue", HUGE], (HUGE[:1000],)),
    ("service-escape", lambda t: ["issue", "\x1b[2J\x1b[31mDD"], ("\x1b",)),
    ("service-bidi", lambda t: ["issue", "DD\u202e"], ("\u202e",)),
    ("priority-unknown", lambda t: ["issue", "DD", "--priority", "\x07" * 50], ("\x07",)),
    ("source-huge", lambda t: ["issue", "DD", "--source", HUGE], (HUGE[:1000],)),
    ("source-control", lambda t: ["issue", "DD", "--source", "kiosk\n1"], ()),
    ("source-empty", lambda t: ["issue", "DD", "--source", "  "], ()),
    ("note-huge", lambda t: ["finish", "3", "--note", HUGE], (HUGE[:1000],)),
    ("transfer-huge", lambda t: ["transfer", "3", HUGE], (HUGE[:1000],)),
    ("cancel-huge", lambda t: ["cancel", HUGE], (HUGE[:1000],)),
    ("cancel-unknown", lambda t: ["cancel", "Z999"], ()),
    ("resume-overflow", lambda t: ["resume", "9" * 30, "A001"], ()),
    ("day-malformed", lambda t: ["tickets", "--day", "2025-13-45"], ()),
    ("day-huge", lambda t: ["tickets", "--day", HUGE], (HUGE[:1000],)),
    ("staff-username-bidi", lambda t: ["staff", "add", "an\u202enimda", "--pin", "1234"], ("\u202e",)),
    ("staff-username-cyrillic", lambda t: ["staff", "add", "аn", "--pin", "1234"], ()),
    ("staff-username-huge", lambda t: ["staff", "add", HUGE, "--pin", "1234"], (HUGE[:1000],)),
    ("staff-username-space", lambda t: ["staff", "add", "an van", "--pin", "1234"], ()),
    ("staff-name-huge", lambda t: ["staff", "add", "an", "--name", HUGE, "--pin", "1234"], (HUGE[:1000],)),
    ("staff-name-control", lambda t: ["staff", "add", "an", "--name", "An\x1b]0;pwn\x07", "--pin", "1234"],
     ("\x1b",)),
    ("staff-pin-arabic", lambda t: ["staff", "add", "an", "--pin", "١٢٣٤"], ()),
    ("staff-pin-fullwidth", lambda t: ["staff", "add", "an", "--pin", "１２３４"], ()),
    ("staff-pin-short-manager", lambda t: ["staff", "add", "boss", "--role", "manager", "--pin", "12345"], ()),
    ("staff-pin-short-guard", lambda t: ["staff", "add", "bao", "--role", "guard", "--pin", "2468"], ()),
    ("staff-role-unknown", lambda t: ["staff", "add", "x1", "--role", "king", "--pin", "1234"], ()),
    ("staff-passwd-unknown", lambda t: ["staff", "passwd", "nobody", "--pin", "1234"], ()),
    ("staff-passwd-bad-pin", lambda t: ["staff", "passwd", "an", "--pin", "12"], ()),
    ("staff-duplicate-case", lambda t: ["staff", "add", "AN", "--pin", "1234"], ()),
    ("report-out-directory", lambda t: ["report", "--from", "2025-01-01", "--to", "2025-01-02", "--out", str(t)], ()),
    ("report-out-under-file", lambda t: ["report", "--from", "2025-01-01", "--to", "2025-01-02",
                                         "--format", "csv", "--out", str(t / "afile" / "r.csv")], ()),
    ("report-out-xlsx-under-file", lambda t: ["report", "--from", "2025-01-01", "--to", "2025-01-02",
                                              "--format", "xlsx", "--out", str(t / "afile" / "r.xlsx")], ()),
    ("report-out-full-disk", lambda t: ["report", "--from", "2025-01-01", "--to", "2025-01-02",
                                        "--out", "/dev/full"], ()),
    ("report-out-unwritable", lambda t: ["report", "--from", "2025-01-01", "--to", "2025-01-02",
                                         "--out", "/proc/lobby-report.csv"], ()),
    ("report-out-huge-path", lambda t: ["report", "--from", "2025-01-01", "--to", "2025-01-02",
                                        "--out", str(t / ("d" * 5000))], ("d" * 400,)),
    ("report-date-huge", lambda t: ["report", "--from", "9" * 5000, "--to", "2025-01-02"], ("9" * 400,)),
    ("report-range-reversed", lambda t: ["report", "--from", "2025-02-01", "--to", "2025-01-02"], ()),
    ("report-counter-overflow", lambda t: ["report", "--from", "2025-01-01", "--to", "2025-01-02",
                                           "--counter", "9" * 40], ()),
    ("report-staff-huge", lambda t: ["report", "--from", "2025-01-01", "--to", "2025-01-02", "--staff", HUGE],
     (HUGE[:1000],)),
    ("demo-days-overflow", lambda t: ["demo-history", "--days", "9" * 40], ()),
    ("demo-per-day-huge", lambda t: ["demo-history", "--per-day", "999999999"], ()),
    ("demo-on-live-store", lambda t: ["demo-history", "--days", "2", "--end", "2025-01-02"], ()),
    ("close-day-recent", lambda t: ["close-day"], ()),
    ("lang-unknown", lambda t: ["--lang", "xx", "status"], ()),
    ("command-unknown-huge", lambda t: [HUGE], (HUGE[:1000],)),
    ("option-unknown", lambda t: ["status", "--" + "y" * 3000], ("y" * 400,)),
]

DB_CASES: list[tuple[str, Callable[[Path], str], tuple[str, ...]]] = [
    ("url-password-with-at", lambda t: "postgresql://bob:s3cr@t@127.0.0.1:5432/x", ("s3cr", "@t@", "t@127")),
    ("url-password-hidden", lambda t: "postgresql://bob:hunter2@127.0.0.1:1/x", ("hunter2",)),
    ("url-port-letters", lambda t: "postgresql://u@host:54x2/db", ()),
    ("url-port-huge", lambda t: "postgresql://u@host:99999999/db", ()),
    ("url-scheme", lambda t: "mysql://u@host/db", ()),
    ("url-garbage", lambda t: "::::", ()),
    ("url-huge", lambda t: "postgresql://u@h/" + HUGE, (HUGE[:1000],)),
    ("url-control", lambda t: "sqlite:///x\x00y", ()),
    ("sqlite-missing-folder", lambda t: f"sqlite:///{t}/no-such-folder/lobby.sqlite3", ()),
    ("sqlite-missing-file", lambda t: f"sqlite:///{t}/lobby-missing.sqlite3", ()),
]

CONFIG_CASES: list[tuple[str, Callable[[Path], str]]] = [
    ("config-missing", lambda t: str(t / "nope.toml")),
    ("config-directory", lambda t: str(t)),
    ("config-deep-arrays", lambda t: config_file(t, "deep1.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")),
    ("config-deep-tables", lambda t: config_file(t, "deep2.toml", "a = " + "{b = " * 3000 + "1" + "}" * 3000)),
    ("config-deep-dotted", lambda t: config_file(t, "deep3.toml", "[" + ".".join(["a"] * 500) + "]\n")),
    ("config-binary", lambda t: config_file(t, "bin.toml", b"\xff\xfe\x00garbage\x80")),
    ("config-too-large", lambda t: config_file(t, "big.toml", "# " + "x" * 2_000_000 + "\n")),
    ("config-lockout-huge", lambda t: config_file(t, "lock.toml", demo_toml(
        **{"[security]": "[security]\nlockout_minutes = 1000000000000000000000000000000"}))),
    ("config-attempts-huge", lambda t: config_file(t, "tries.toml", demo_toml(
        **{"[security]": "[security]\npin_max_attempts = 100000"}))),
    ("config-counter-huge", lambda t: config_file(t, "ctr.toml", demo_toml(
        **{"[counter_app]": "[counter_app]\ncounter = 99999999999999999999"}))),
    ("config-huge-string", lambda t: config_file(t, "str.toml", demo_toml(
        **{"[security]": "[security]\nunknown_key_" + "z" * 50_000 + " = 1"}))),
]


def count_cases() -> int:
    return len(ARGUMENT_CASES) + len(DB_CASES) + len(CONFIG_CASES) + len(OTHER_CASES) + len(DATABASE_FILE_CASES)


@pytest.fixture
def prepared(store: Store, store_url: str, cfg: CentreConfig, tmp_path: Path) -> tuple[Store, str, str, Path]:
    """A store with an account and a ticket issued a moment ago; a config file; a plain file to write under."""
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "2468")
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DD", source="kiosk-1")
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    config = config_file(tmp_path, "centre.toml", demo_toml())
    return store, store_url, config, tmp_path


def assert_one_clean_line(code: int | None, err: str, forbidden: tuple[str, ...]) -> None:
    assert code == 2, err
    assert "Traceback" not in err and err.endswith("\n"), err[:500]
    assert err.count("\n") == 1 and err.strip(), err[:500]
    assert len(err) < 1200, err[:500]
    for secret in forbidden:
        assert secret not in err, (secret[:20], err[:500])


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | None, str]:
    capsys.readouterr()
    try:
        code: int | None = cli.main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("name", "build", "forbidden"), ARGUMENT_CASES, ids=[c[0] for c in ARGUMENT_CASES])
def test_hostile_arguments(prepared: tuple[Store, str, str, Path], capsys: pytest.CaptureFixture[str],
                           name: str, build: Callable[[Path], list[str]], forbidden: tuple[str, ...]) -> None:
    store, url, config, tmp = prepared
    before = digest(store)
    code, err = run_main(["--db", url, "--config", config, *build(tmp)], capsys)
    assert_one_clean_line(code, err, forbidden)
    assert digest(store) == before, name
    assert not (tmp / "afile").is_dir()


@pytest.mark.parametrize(("name", "build", "forbidden"), DB_CASES, ids=[c[0] for c in DB_CASES])
def test_hostile_database_urls(prepared: tuple[Store, str, str, Path], capsys: pytest.CaptureFixture[str],
                               name: str, build: Callable[[Path], str], forbidden: tuple[str, ...]) -> None:
    store, _, config, tmp = prepared
    before = digest(store)
    entries = set(tmp.iterdir())
    code, err = run_main(["--db", build(tmp), "--config", config, "status"], capsys)
    assert_one_clean_line(code, err, forbidden)
    assert digest(store) == before
    assert set(tmp.iterdir()) == entries, "no file or folder is created by a command that only reads"


@pytest.mark.parametrize(("name", "build"), CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_hostile_configs(prepared: tuple[Store, str, str, Path], capsys: pytest.CaptureFixture[str],
                         name: str, build: Callable[[Path], str]) -> None:
    store, url, _, tmp = prepared
    before = digest(store)
    code, err = run_main(["--db", url, "--config", build(tmp), "issue", "DD"], capsys)
    assert_one_clean_line(code, err, ("z" * 200,))
    assert digest(store) == before


# ---------------------------------------------------------------- damaged, read-only and newer databases


def _sqlite_copy(tmp: Path, cfg: CentreConfig) -> Path:
    path = tmp / "copy.sqlite3"
    made = Store(f"sqlite:///{path}")
    try:
        init_store(made, cfg)
        for _ in range(50):
            with made.session() as s:
                queue.issue_ticket(s, cfg, "DD", source="kiosk-1")
    finally:
        made.dispose()
    return path


def corrupt(path: Path) -> None:
    """Pages overwritten mid-file, as a failing disk or a copy taken mid-write leaves them."""
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(4096 * 2)
        f.write(b"\xa5" * max(size - 4096 * 3, 4096))


def read_only_url(path: Path) -> str:
    return f"sqlite:///file:{path}?mode=ro&uri=true"


DATABASE_FILE_CASES: list[tuple[str, str, list[str]]] = [
    (f"corrupt-{cmd[0]}", "corrupt", cmd) for cmd in (
        ["status"], ["tickets"], ["issue", "DD"], ["report", "--from", "2025-01-01", "--to", "2025-01-02"])
] + [
    ("read-only-issue", "read-only", ["issue", "DD"]),
    ("read-only-close-day", "read-only", ["close-day", "--force"]),
    ("newer-schema-status", "newer", ["status"]),
    ("newer-schema-issue", "newer", ["issue", "DD"]),
]


@pytest.mark.parametrize(("name", "damage", "argv"), DATABASE_FILE_CASES, ids=[c[0] for c in DATABASE_FILE_CASES])
def test_damaged_read_only_and_newer_sqlite_files(
    tmp_path: Path, cfg: CentreConfig, capsys: pytest.CaptureFixture[str], name: str, damage: str, argv: list[str],
) -> None:
    path = _sqlite_copy(tmp_path, cfg)
    config = config_file(tmp_path, "centre.toml", demo_toml())
    url = f"sqlite:///{path}"
    if damage == "corrupt":
        corrupt(path)
    elif damage == "read-only":
        url = read_only_url(path)
    else:
        newer = Store(url)
        try:
            with newer.engine.begin() as conn:
                conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
        finally:
            newer.dispose()
    before = path.read_bytes()
    code, err = run_main(["--db", url, "--config", config, *argv], capsys)
    assert_one_clean_line(code, err, ())
    expected = {"corrupt": "hỏng", "read-only": "chỉ cho đọc", "newer": "mới hơn phần mềm"}[damage]
    assert expected in err, err
    assert damage != "newer" or "Cập nhật Lobby Queue" in err  # not "older, run lobby init"
    if damage != "newer":
        assert path.read_bytes() == before


# ---------------------------------------------------------------- as a real process


def lobby_process(*args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "lobby.cli", *args], capture_output=True, input=stdin.encode(),
                          timeout=PROCESS_S, cwd=ROOT)


# Cases outside the tables above: two never-ending devices, two closed pipes, and four sources and two notes
# handed to the queue directly (test_the_queue_itself_bounds_sources_and_notes).
OTHER_CASES = ("config-dev-zero", "config-dev-urandom", "pipe-closed-early", "pipe-closed-in-process",
               "queue-source-nul", "queue-source-long", "queue-source-bidi", "queue-source-empty",
               "queue-note-long", "queue-note-escape")


def test_a_config_that_never_ends(tmp_path: Path) -> None:
    for device in ("/dev/zero", "/dev/urandom"):
        done = lobby_process("--db", f"sqlite:///{tmp_path}/x.sqlite3", "--config", device, "status")
        err = done.stderr.decode()
        assert_one_clean_line(done.returncode, err, ())
        assert "not a regular file" in err
    assert not (tmp_path / "x.sqlite3").exists()


def test_output_into_a_pipe_closed_early(store_url: str, prepared: tuple[Store, str, str, Path]) -> None:
    _, url, config, _ = prepared
    if shutil.which("head") is None:
        pytest.skip("no head(1)")
    for _ in range(3):
        with prepared[0].session() as s:
            queue.issue_ticket(s, demo_config_of(config), "DD", source="kiosk-1")
    script = f"{sys.executable} -m lobby.cli --db '{url}' --config '{config}' tickets | head -c 1 >/dev/null"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # A tiny pipe: head reads one byte and exits; lobby's later writes hit a closed pipe.
    done = subprocess.run(["bash", "-o", "pipefail", "-c", script], capture_output=True, timeout=PROCESS_S, cwd=ROOT,
                          env=env)
    err = done.stderr.decode()
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert done.returncode in (0, 2) and err.count("\n") <= 1, err


def demo_config_of(path: str) -> CentreConfig:
    from lobby.config import load_config

    return load_config(path)


def test_count_of_hostile_inputs() -> None:
    """The closing note of issue 17 reports this number."""
    assert count_cases() >= 80
    print(f"hostile inputs: {count_cases()}")


def test_the_queue_itself_bounds_sources_and_notes(store: Store, cfg: CentreConfig) -> None:
    """The apps call the queue without the command line: the same limits hold there."""
    from lobby.errors import BadText
    from lobby.staffing import counters

    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "2468")
    with store.session() as s:
        counters.sign_in(s, cfg, 3, "an", "2468")
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DD", source="kiosk-1")
    with store.session() as s:
        queue.call_next(s, cfg, 3)
    before = digest(store)
    for source in ("kiosk\x00", "k" * 65, "\u202ekiosk", ""):
        with store.session() as s, pytest.raises(BadText):
            queue.issue_ticket(s, cfg, "DD", source=source)
    for note in ("x" * 1001, "đủ hồ sơ\x1b[2J"):
        with store.session() as s, pytest.raises(BadText):
            queue.finish(s, cfg, 3, note=note)
    assert digest(store) == before
    with store.session() as s:
        assert queue.finish(s, cfg, 3, note="  đủ hồ sơ  ").status == "done"


class ClosedPipe:
    """A stdout whose reader has gone: every write fails as a closed pipe does."""

    def write(self, _text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        raise OSError("no file descriptor")


def test_a_closed_pipe_is_one_line_not_a_traceback(prepared: tuple[Store, str, str, Path],
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store, url, config, _ = prepared
    before = digest(store)
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    code = cli.main(["--db", url, "--config", config, "tickets"])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert_one_clean_line(code, err, ())
    assert digest(store) == before
