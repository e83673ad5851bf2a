"""Opening the store: SQLite (embedded, the default) or PostgreSQL (a LAN server).

One code path for both. On SQLite every write transaction begins with
``BEGIN IMMEDIATE`` (so two writers never deadlock on a lock upgrade), after
waiting its turn on the store file's writer lock (``lobby.store.writer_lock``), in WAL
mode, with a busy timeout and foreign keys on. Readers use a second engine whose
transactions begin deferred, so a display reading the feed never takes the write lock;
``read_transaction`` does the same for a read made through a write session.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from lobby.config import CentreConfig, var_dir
from lobby.errors import StoreUnavailable
from lobby.store.revision import check_revision
from lobby.store.url import normalise_url, safe_url, short_reason
from lobby.store.writer_lock import queued_writers_of

__all__ = [
    "PG_KEEPALIVES", "Store", "default_db", "open_store", "read_transaction", "resolve_db_url", "safe_url",
    "short_reason", "transaction",
]


def default_db() -> str:
    return f"sqlite:///{var_dir() / 'lobby.sqlite3'}"
SQLITE_BUSY_MS = 30_000
# A cable pulled out (rather than a refused connection) must be noticed in seconds, not minutes.
PG_KEEPALIVES: dict[str, Any] = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3,
                 "tcp_user_timeout": 10_000}
READ_ONLY = "lobby_read_only"  # connection execution option: on SQLite begin deferred, not IMMEDIATE


def resolve_db_url(cli: str | None = None, cfg: CentreConfig | None = None) -> str:
    """The database URL: the command line, then LOBBY_DB, then the config file, then the SQLite default."""
    for candidate in (cli, os.environ.get("LOBBY_DB"), cfg.database.url if cfg else None):
        if candidate:
            return candidate
    return default_db()


class Store:
    """The two engines and their session factories for one database URL."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.safe_url = safe_url(self.url)
        self.dialect = "sqlite" if self.url.drivername.startswith("sqlite") else "postgresql"
        if self.dialect == "sqlite":
            self.engine = self._sqlite_engine(begin="BEGIN IMMEDIATE")
            self.read_engine = self._sqlite_engine(begin="BEGIN")
        else:
            self.engine = create_engine(
                self.url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                connect_args={"connect_timeout": 5, "application_name": "lobby", **PG_KEEPALIVES},
            )
            self.read_engine = self.engine
        self._session = sessionmaker(self.engine, expire_on_commit=False, autobegin=True)
        self._read_session = sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, also when the URL names it as a URI (``sqlite:///file:/path?mode=ro&uri=true``)."""
        database = self.url.database
        if self.dialect != "sqlite" or not database or database == ":memory:":
            return None
        if self.url.query.get("uri") == "true" and database.startswith("file:"):
            database = urlsplit(database).path
            return Path(unquote(database)) if database else None
        return Path(database)

    def _sqlite_engine(self, begin: str) -> Engine:
        path = self.sqlite_path
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(self.safe_url,
                                       f"cannot create the folder {path.parent}: {exc.strerror}") from None
        connect_args: dict[str, Any] = {"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False}
        queued = begin != "BEGIN" and path is not None  # writers of a file queue on its lock (lobby.store.writer_lock)
        if path is not None and queued:
            connect_args["factory"] = queued_writers_of(path)
        engine = create_engine(self.url, connect_args=connect_args)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            if conn.get_execution_options().get(READ_ONLY):
                conn.exec_driver_sql("BEGIN")
                return
            dbapi_conn = conn.connection.dbapi_connection
            if queued:
                dbapi_conn.take_writer_lock()
            try:
                conn.exec_driver_sql(begin)
            except BaseException:
                if queued:
                    dbapi_conn.release_writer_lock()
                raise

        return engine

    def session(self) -> Session:
        """A session for writes: each queue rule runs one transaction in it."""
        return self._session()

    def read_session(self) -> Session:
        return self._read_session()

    def ping(self) -> None:
        try:
            with self.read_engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except DBAPIError as exc:
            raise StoreUnavailable(self.safe_url, short_reason(exc)) from exc

    def check_schema(self) -> None:
        """SchemaOutdated (asking for ``lobby init``) unless the database holds the newest revision."""
        check_revision(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()


def open_store(url: str) -> Store:
    """Open the store and check that it answers; raise StoreUnavailable naming the URL otherwise."""
    store = Store(url)
    store.ping()
    return store


@contextmanager
def transaction(session: Session, *, read_only: bool = False) -> Iterator[Session]:
    """One transaction; a lost or unreachable database becomes StoreUnavailable, nothing half-done.

    ``read_only`` transactions begin deferred on SQLite, so a read never waits for
    (or holds) the write lock, whichever session it is given.
    """
    try:
        with session.begin():
            if read_only:
                session.connection(execution_options={READ_ONLY: True})
            yield session
    except OperationalError as exc:
        raise StoreUnavailable(safe_url(session.get_bind().engine.url), short_reason(exc)) from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise StoreUnavailable(safe_url(session.get_bind().engine.url), short_reason(exc)) from exc
        raise


def read_transaction(session: Session) -> AbstractContextManager[Session]:
    """A read-only transaction (see ``transaction``)."""
    return transaction(session, read_only=True)
