"""SQLite writers that queue: one operating-system lock per store file, taken before ``BEGIN IMMEDIATE``.

SQLite lets one writer in at a time and makes the others sleep and retry in its busy
handler (sleeps that grow up to 100 ms). In a burst (every kiosk and counter at opening
time) whoever happens to wake at the right moment wins: a few waiters are served again
and again while one waits seconds. Here each write transaction first takes an exclusive
``flock`` on ``<store file>.writers``, a blocking wait in the kernel that ends the moment
the holder commits or rolls back, so waiting writers are let in one after the other
instead of polling.

- The lock belongs to the connection's own open file, so two connections of one process
  (threads of the web app) queue like two processes do.
- The kernel drops the lock of a process that dies holding it: a crash never wedges the store.
- Readers never take it (their transactions begin deferred, in WAL mode).
- A thread that already holds the lock through another connection and begins a second
  write does not wait for itself: it goes on without the lock and SQLite's busy timeout
  decides, exactly as before.
- A lock file that cannot be made (a read-only folder) means no queueing, not an error.
- Writers that do not take the lock (``sqlite3`` at the command line, an older release)
  stay correct: SQLite's own locking still orders every write.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

LOCK_SUFFIX = ".writers"
_held = threading.local()  # the lock files this thread holds: {path: count}


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + LOCK_SUFFIX)


class QueuedWriterConnection(sqlite3.Connection):
    """A ``sqlite3`` connection whose write transactions queue on the store file's writer lock.

    Made by ``sqlite3.connect(..., factory=queued_writers_of(path))``; ``lobby.store.engine``
    calls :meth:`take_writer_lock` just before ``BEGIN IMMEDIATE``, and the lock is let go
    when the transaction ends (commit, rollback or close).
    """

    lock_file = ""  # set by :func:`queued_writers_of`

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self._lock_file = self.lock_file or str(lock_path(Path(os.fsdecode(database))))
        self._lock_fd: int | None = None
        self._holding = False
        self._held_by: dict[str, int] = {}

    def take_writer_lock(self) -> None:
        """Wait (without polling) until no other writer of this store file is in a transaction."""
        if self._holding:
            return
        held: dict[str, int] = _held.__dict__.setdefault("files", {})
        if held.get(self._lock_file):
            return  # this thread already writes through another connection: waiting would never end
        if self._lock_fd is None:
            try:
                self._lock_fd = os.open(self._lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o664)
            except OSError:
                return  # a read-only folder: SQLite itself refuses or orders the write, as it always did
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self._holding = True
        self._held_by = held
        held[self._lock_file] = held.get(self._lock_file, 0) + 1

    def release_writer_lock(self) -> None:
        if not self._holding or self._lock_fd is None:
            return
        self._holding = False
        self._held_by[self._lock_file] = max(self._held_by.get(self._lock_file, 1) - 1, 0)
        fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.release_writer_lock()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.release_writer_lock()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.release_writer_lock()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None


def queued_writers_of(database: Path) -> type[QueuedWriterConnection]:
    """The connection class for the writers of one store file (its lock file fixed, whatever the URL's form)."""
    return type("QueuedWriterConnection", (QueuedWriterConnection,), {"lock_file": str(lock_path(database))})
