"""Helpers shared by the tests (imported by tests/conftest.py and by tests that need them directly)."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

from lobby.config import CentreConfig, load_config

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONFIG = ROOT / "config" / "demo.toml"
PG_ADMIN = os.environ.get("LOBBY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

# How long a test waits for the real app, process, server or browser to reach a state it must reach
# (``qtbot.waitUntil``, ``waitSignal``, Playwright's ``expect``, ``queue.get``, a readiness poll, a
# printer's answer).  A wait on a condition returns as soon as the condition holds, so this bound only
# costs time when the test is failing anyway: it is generous because a loaded machine must make a test
# slower, never make it fail.  Waits for something that must NOT happen stay short (they always run out).
SETTLE_S = 60
SETTLE_MS = SETTLE_S * 1000
# The same for a new process of ours (a command run to its end, an app's start-up): the interpreter and its
# imports come first, and under load they alone can take a SETTLE_S (an app took 60 s to say "run lobby
# init" at a load average of 80 on 2 cores, against about 1 s on an idle machine).
PROCESS_S = 2 * SETTLE_S

# Truncated between PostgreSQL tests; append the tables you add.
TABLES: tuple[str, ...] = (
    "rating", "event", "ticket", "day_sequence", "counter_service", "counter", "staff", "service",
)
TABLES += ("alert", "service_pause", "web_session", "web_password")  # the manager's view (migration 0005)
TABLES += ("dossier",)  # dossiers and their promises (migration 0006)
TABLES += ("api_token",)  # the HTTP API's clients (migration 0004)
TABLES += ("event_kind_grant",)  # event kinds per PostgreSQL role (migration 0007)


def launch_chromium(pw: Playwright) -> Browser:
    """Debian's Chromium (as ``web.screenshots`` uses it), every ``expect`` bounded by SETTLE_MS, not 5 s."""
    from playwright.sync_api import expect

    from web.screenshots import CHROMIUM, CHROMIUM_ARGS

    expect.set_options(timeout=SETTLE_MS)
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=SETTLE_MS)


def browser_context(browser: Browser, **options: Any) -> BrowserContext:
    """A new context whose clicks, fills, navigations and waits are bounded by SETTLE_MS, not 30 s."""
    context = browser.new_context(**options)
    context.set_default_timeout(SETTLE_MS)
    context.set_default_navigation_timeout(SETTLE_MS)
    return context


# The apps' own timers that a wait of an end-to-end test could lose to on a loaded machine: the kiosk's
# confirmation going home (8 s in the demo), the rating question going away (30 s), the printer's answer (5 s;
# ``timeout_s`` is the [printer] key, the only one of that name).
PATIENT_TIMERS = {"idle_home_s": "120", "rating_timeout_s": "600", "timeout_s": str(SETTLE_S)}


def patient_timers(config_text: str) -> str:
    """A demo config's text with PATIENT_TIMERS, each as long as a wait of a test or longer. The apps' own
    tests exercise these timeouts with a controlled clock or values of their own; end-to-end tests do not."""
    for key, value in PATIENT_TIMERS.items():
        config_text, found = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", config_text, count=1)
        assert found == 1, f"{key} is no longer in config/demo.toml"
    return config_text


def demo_config(**centre: object) -> CentreConfig:
    """The demo centre, open at all hours unless a test asks otherwise."""
    cfg = load_config(DEMO_CONFIG)
    updates = {"enforce_hours": False, **centre}
    return cfg.model_copy(update={"centre": cfg.centre.model_copy(update=updates)})


def _pg_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=SETTLE_S):  # a loaded server answers late, not never
            return True
    except psycopg.Error:
        return False


def require_pg() -> None:
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not answering at {PG_ADMIN}; CI must run every store test on it")
        pytest.skip(f"PostgreSQL is not answering at {PG_ADMIN}")


def create_pg_database(name: str) -> str:
    """Create (or recreate) a database on the test server and return its URL."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
TABLES += ("rating_reason", "remark")  # feedback: reasons and remarks (migration 0008)
TABLES += ("day_summary_values", "day_summary_group", "day_summary")  # past days' report figures (0010)
