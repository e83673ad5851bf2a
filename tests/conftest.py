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

import pytest
from hypothesis import settings
from sqlalchemy import text

from lobby.config import CentreConfig
from lobby.store.engine import Store
from lobby.store.migrate import init_store
from support import (  # noqa: F401 - tests import these from support; fixtures below use them
    DEMO_CONFIG,
    PG_ADMIN,
    ROOT,
    TABLES,
    create_pg_database,
    demo_config,
    drop_pg_database,
    require_pg,
)

# Hypothesis fails an example slower than 200 ms by default: on a loaded machine that is a test
# of the machine's speed, not of the code. Built on the profile in force (CI's when CI is set).
settings.register_profile("lobby", deadline=None)
settings.load_profile("lobby")


@pytest.fixture
def cfg() -> CentreConfig:
    return demo_config()


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
