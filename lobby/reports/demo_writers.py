"""Bulk writing of generated rows in one transaction: ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, text

from lobby.store.engine import Store

TICKET_COLUMNS = ("id", "day", "service_id", "origin_service_id", "seq", "number", "priority_group", "is_priority",
                  "granted_by_id", "status", "counter_id", "staff_id", "source", "issued_at", "queued_at",
                  "called_at", "last_called_at", "started_at", "finished_at", "call_count", "note", "wait_us",
                  "service_us")


EVENT_COLUMNS = ("id", "at", "kind", "ticket_id", "number", "service_code", "counter_number", "staff_id", "actor",
                 "data")


RATING_COLUMNS = ("ticket_id", "value", "staff_id", "counter_id", "at")


SEQUENCE_COLUMNS = ("day", "service_id", "next_number", "issued", "waiting", "waiting_priority")


class Buffers:
    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Empty for the next batch (new lists: the written ones are left as they were)."""
        self.tickets: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.ratings: list[tuple[Any, ...]] = []
        self.sequences: list[tuple[Any, ...]] = []


class Writer:
    def lock(self, conn: Connection) -> None:
        """SQLite: the write transaction began with BEGIN IMMEDIATE, so nobody else writes meanwhile."""

    def next_id(self, conn: Connection, table: str) -> int:
        return int(conn.execute(text(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")).scalar_one())

    def write(self, conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        cols = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", (self._row(r) for r in rows))
        finally:
            cursor.close()

    @staticmethod
    def _row(row: tuple[Any, ...]) -> tuple[Any, ...]:
        """Values as SQLAlchemy stores them on SQLite (ISO text for dates and times, 0/1 for booleans)."""
        return tuple(
            v.isoformat(sep=" ", timespec="microseconds") if isinstance(v, datetime)
            else v.isoformat() if isinstance(v, date)
            else int(v) if isinstance(v, bool)
            else v
            for v in row
        )

    def finish(self, conn: Connection) -> None:
        pass

    def after(self, store: Store) -> None:
        """SQLite: fold the large write-ahead log into the database and refresh the planner's statistics."""
        raw = store.engine.raw_connection()  # autocommit: the store issues BEGIN itself
        try:
            raw.execute("ANALYZE")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()


class PgWriter(Writer):
    def lock(self, conn: Connection) -> None:
        conn.execute(text("LOCK TABLE ticket, event, rating, day_sequence IN SHARE ROW EXCLUSIVE MODE"))

    def write(self, conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:  # type: ignore[union-attr]
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def finish(self, conn: Connection) -> None:
        for table in ("ticket", "event"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT coalesce(max(id), 1) FROM {table}))"))

    def after(self, store: Store) -> None:
        with store.engine.connect() as conn:
            for table in ("ticket", "event", "rating", "day_sequence"):
                conn.execute(text(f"ANALYZE {table}"))
            conn.commit()


def writer_for(store: Store) -> Writer:
    return PgWriter() if store.dialect == "postgresql" else Writer()
