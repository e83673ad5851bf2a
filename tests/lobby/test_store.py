"""Opening the store: URLs, errors a person can act on, SQLite settings, the schema check."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from lobby.config import CentreConfig
from lobby.errors import SchemaOutdated, StoreUnavailable
from lobby.store.engine import Store, default_db, open_store, resolve_db_url, safe_url
from lobby.store.migrate import upgrade
from support import create_pg_database, drop_pg_database, require_pg


def test_url_order(monkeypatch: pytest.MonkeyPatch, cfg: CentreConfig) -> None:
    monkeypatch.delenv("LOBBY_DB", raising=False)
    monkeypatch.delenv("LOBBY_VAR", raising=False)
    assert resolve_db_url(None, None) == default_db() and default_db().endswith("var/lobby.sqlite3")
    monkeypatch.setenv("LOBBY_VAR", "/srv/lobby")
    assert resolve_db_url(None, None) == "sqlite:////srv/lobby/lobby.sqlite3"
    with_db = cfg.model_copy(update={"database": cfg.database.model_copy(update={"url": "sqlite:///from-config.db"})})
    assert resolve_db_url(None, with_db) == "sqlite:///from-config.db"
    monkeypatch.setenv("LOBBY_DB", "sqlite:///from-env.db")
    assert resolve_db_url(None, with_db) == "sqlite:///from-env.db"
    assert resolve_db_url("sqlite:///cli.db", with_db) == "sqlite:///cli.db"


def test_safe_url_hides_the_password() -> None:
    assert safe_url("postgresql://lobby:s3cret@db.local:5432/lobby") == "postgresql://lobby:***@db.local:5432/lobby"
    assert Store("postgres://lobby:s3cret@db.local/lobby").safe_url == "postgresql+psycopg://lobby:***@db.local/lobby"


def test_unreachable_database_names_the_url_without_password() -> None:
    with pytest.raises(StoreUnavailable) as err:
        open_store("postgresql://lobby:s3cret@127.0.0.1:1/lobby")
    for lang in ("vi", "en"):
        msg = err.value.message(lang)
        assert "s3cret" not in msg and "127.0.0.1:1/lobby" in msg and "LOBBY_DB" in msg
    with pytest.raises(StoreUnavailable) as err:
        Store("postgresql://lobby:s3cret@127.0.0.1:1/lobby").check_schema()
    assert "s3cret" not in err.value.message()


def test_bad_urls() -> None:
    with pytest.raises(StoreUnavailable) as err:
        Store("not a url :: user:pw@x")
    assert "sqlite:///" in err.value.message("en") and "pw" not in err.value.message("en")
    with pytest.raises(StoreUnavailable) as err:
        Store("mysql://u:pw@h/db")
    assert "only sqlite:/// and postgresql://" in err.value.message("en") and "pw@" not in err.value.message("en")


def test_sqlite_file_in_a_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(StoreUnavailable) as err:
        open_store(f"sqlite:///{tmp_path}/afile/lobby.sqlite3")
    assert "afile" in err.value.message("en")


def test_sqlite_settings_and_immediate_write_transactions(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/lobby.sqlite3")
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
        with store.session() as s:
            s.begin()
            s.execute(text("SELECT 1"))  # a write session holds the write lock from its first statement
            other = sqlite3.connect(str(store.sqlite_path), timeout=0, isolation_level=None)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            with store.read_session() as r:  # readers are never blocked
                assert r.execute(text("SELECT 1")).scalar() == 1
            s.rollback()
            other.execute("BEGIN IMMEDIATE")  # released
            other.execute("ROLLBACK")
            other.close()
    finally:
        store.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.sqlite3"
        return
    require_pg()
    name = f"lobby_empty_{os.getpid()}"
    yield create_pg_database(name)
    drop_pg_database(name)


def test_schema_check_on_empty_older_and_current_databases(empty_url: str) -> None:
    store = open_store(empty_url)
    try:
        with pytest.raises(SchemaOutdated) as err:
            store.check_schema()
        assert "lobby init" in err.value.message() and "none" in err.value.message("en")
        upgrade(store, "0001")
        with pytest.raises(SchemaOutdated) as err:
            store.check_schema()
        assert "0001" in err.value.message("en")
        upgrade(store)
        store.check_schema()
    finally:
        store.dispose()
