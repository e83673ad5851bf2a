"""Shared fixtures: the demo config, and a store parametrised over SQLite and PostgreSQL.

Every store test runs on both. PostgreSQL tests skip when no server answers on a
developer's machine, but fail when ``CI`` is set: CI must prove both stores.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from lobby.config import CentreConfig, load_config
from lobby.migrate import init_store
from lobby.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONFIG = ROOT / "config" / "demo.toml"
PG_ADMIN = os.environ.get("LOBBY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
TABLES = ("rating", "event", "ticket", "day_sequence", "counter_service", "counter", "staff", "service")


def demo_config(**centre: object) -> CentreConfig:
    """The demo centre, open at all hours unless a test asks otherwise."""
    cfg = load_config(DEMO_CONFIG)
    updates = {"enforce_hours": False, **centre}
    return cfg.model_copy(update={"centre": cfg.centre.model_copy(update=updates)})


@pytest.fixture
def cfg() -> CentreConfig:
    return demo_config()


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


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def pg_template_url() -> Iterator[str]:
    """One migrated PostgreSQL database per test worker, truncated between tests."""
    require_pg()
    name = f"lobby_test_{_worker()}_{os.getpid()}"
    url = create_pg_database(name)
    store = Store(url)
    init_store(store, demo_config())
    store.dispose()
    yield url
    drop_pg_database(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "lobby.sqlite3"
    store = Store(f"sqlite:///{path}")
    init_store(store, demo_config())
    store.dispose()
    return path


def _fresh_pg(url: str, cfg: CentreConfig) -> Store:
    store = Store(url)
    with store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    init_store(store, cfg)
    return store


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, cfg: CentreConfig) -> Iterator[str]:
    """A freshly initialised store's URL on each backend (for tests that start other processes)."""
    if request.param == "sqlite":
        path = tmp_path / f"lobby-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        store = Store(f"sqlite:///{path}")
        init_store(store, cfg)
        store.dispose()
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_template_url")
        _fresh_pg(url, cfg).dispose()
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    yield s
    s.dispose()
