"""Helpers shared by the tests (imported by tests/conftest.py and by tests that need them directly)."""
from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest

from lobby.config import CentreConfig, load_config

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONFIG = ROOT / "config" / "demo.toml"
PG_ADMIN = os.environ.get("LOBBY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
# Truncated between PostgreSQL tests; append the tables you add.
TABLES: tuple[str, ...] = (
    "rating", "event", "ticket", "day_sequence", "counter_service", "counter", "staff", "service",
)
TABLES += ("alert", "service_pause", "web_session", "web_password")  # the manager's view (migration 0005)
TABLES += ("dossier",)  # dossiers and their promises (migration 0006)
TABLES += ("api_token",)  # the HTTP API's clients (migration 0004)
TABLES += ("event_kind_grant",)  # event kinds per PostgreSQL role (migration 0007)


def demo_config(**centre: object) -> CentreConfig:
    """The demo centre, open at all hours unless a test asks otherwise."""
    cfg = load_config(DEMO_CONFIG)
    updates = {"enforce_hours": False, **centre}
    return cfg.model_copy(update={"centre": cfg.centre.model_copy(update=updates)})


def _pg_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
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
