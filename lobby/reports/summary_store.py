"""Day summaries in the database: which days are stored, their rows added up over a range, writing a day.

Reads run in the report's own transaction; days are written a few at a time, each batch in a
short transaction of its own (some hundred rows a day), after the report's snapshot is closed,
so a kiosk or a counter on SQLite waits a few milliseconds at most.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from lobby.reports.demo_writers import PgWriter
from lobby.reports.results import Grouping
from lobby.reports.sql import norm_key
from lobby.reports.summary_check import Span
from lobby.reports.summary_parts import MAXED, SUMMED, DayPart, GroupRow
from lobby.reports.summary_values import Runs
from lobby.store.engine import Store
from lobby.store.models import DaySummary, DaySummaryGroup, DaySummaryValues

log = logging.getLogger(__name__)
_COLUMNS = ", ".join([f"sum({c})" for c in SUMMED] + [f"max({c})" for c in MAXED])
_GROUP_COLUMNS = ("day", "grouping", "group_key", *SUMMED, *MAXED)
_DAYS_PER_WRITE = 5  # a few thousand rows: a kiosk on SQLite waits a few milliseconds at most
_WARNED: set[tuple[str, str]] = set()  # (store, reason): said once per process


class Window:
    """The stored days of a range that a report may use (``fresh``), and SQL that reads only those."""

    def __init__(self, start: date, end: date, stored: Iterable[date], fresh: set[date]) -> None:
        self.start, self.end = start, end
        self.fresh = fresh
        self.skipped = sorted(d for d in stored if d not in fresh)

    def where(self, extra: str = "") -> tuple[str, dict[str, Any], list[Any]]:
        clause = "day >= :start AND day <= :end" + (" AND day NOT IN :skipped" if self.skipped else "") + extra
        params: dict[str, Any] = {"start": self.start, "end": self.end}
        binds = [bindparam("start", type_=DaySummary.day.type), bindparam("end", type_=DaySummary.day.type)]
        if self.skipped:
            params["skipped"] = self.skipped
            binds.append(bindparam("skipped", expanding=True, type_=DaySummary.day.type))
        return clause, params, binds

    def run(self, conn: Connection, sql: str, extra: str = "", **more: Any) -> list[Any]:
        clause, params, binds = self.where(extra)
        stmt = text(sql.format(where=clause)).bindparams(*binds)
        return list(conn.execute(stmt, {**params, **more}).all())


def _row(values: Sequence[Any]) -> GroupRow:
    n = len(SUMMED)
    return GroupRow([int(v or 0) for v in values[:n]], [None if v is None else int(v) for v in values[n:]])


def group_rows(conn: Connection, window: Window, grouping: Grouping) -> dict[int, GroupRow]:
    """A stored grouping's rows added up over the window's days, per group."""
    if not window.fresh:
        return {}
    rows = window.run(conn, f"SELECT group_key, {_COLUMNS} FROM day_summary_group WHERE {{where}} "
                            "GROUP BY group_key", " AND grouping = :grouping", grouping=grouping)
    return {int(r[0]): _row(r[1:]) for r in rows}


def day_rows(conn: Connection, window: Window) -> dict[date, GroupRow]:
    """Each stored day's own figures: its hour rows added up."""
    if not window.fresh:
        return {}
    rows = window.run(conn, f"SELECT day, {_COLUMNS} FROM day_summary_group WHERE {{where}} GROUP BY day",
                      " AND grouping = 'hour'")
    return {norm_key(r[0]): _row(r[1:]) for r in rows}


def hour_counts(conn: Connection, window: Window) -> dict[tuple[date, int], int]:
    """Tickets issued per stored day and local hour (the busy-hours heat map)."""
    if not window.fresh:
        return {}
    rows = window.run(conn, "SELECT day, group_key, issued FROM day_summary_group WHERE {where}",
                      " AND grouping = 'hour'")
    return {(norm_key(r[0]), int(r[1])): int(r[2]) for r in rows}


def value_runs(conn: Connection, window: Window, grouping: Grouping) -> list[tuple[date, Runs, Runs]]:
    """A stored grouping's waits and service times, per day."""
    if not window.fresh:
        return []
    rows = window.run(conn, "SELECT day, waits, services FROM day_summary_values WHERE {where}",
                      " AND grouping = :grouping", grouping=grouping)
    return [(norm_key(r[0]), Runs.decode(bytes(r[1])), Runs.decode(bytes(r[2]))) for r in rows]


def write_day(conn: Connection, part: DayPart, span: Span, basis: str, at: datetime) -> None:
    """Replace the stored summary of ``part.day`` (in the caller's transaction)."""
    for table in (DaySummaryValues, DaySummaryGroup, DaySummary):
        conn.execute(delete(table).where(table.day == part.day))
    conn.execute(insert(DaySummary), [{"day": part.day, "fingerprint": span.fingerprint, "basis": basis,
                                       "first_ticket": span.first_ticket, "last_ticket": span.last_ticket,
                                       "built_at": at}])
    pg = conn.dialect.name == "postgresql"
    day = part.day if pg else part.day.isoformat()  # SQLite: a date as SQLAlchemy stores it
    rows = [(day, by, key, *row.sums, *row.maxima) for by, groups in part.groups.items()
            for key, row in groups.items()]
    # some hundred rows: COPY on PostgreSQL (as the demo history writes), the driver's executemany on SQLite
    if pg:
        PgWriter().write(conn, "day_summary_group", _GROUP_COLUMNS, rows)
    else:
        marks = ", ".join("?" for _ in _GROUP_COLUMNS)
        conn.exec_driver_sql(f"INSERT INTO day_summary_group ({', '.join(_GROUP_COLUMNS)}) VALUES ({marks})", rows)
    conn.execute(insert(DaySummaryValues), [
        {"day": part.day, "grouping": by, "waits": part.waits[by].encode(), "services": part.services[by].encode()}
        for by in part.groups])


def keep(store: Store, parts: Sequence[tuple[DayPart, Span]], basis: str, at: datetime) -> int:
    """Store the day summaries, a few days per short transaction; how many were stored.

    Storing is a saving, never a condition of the report: a role that may not write them (the
    display's read-only role), a read-only file, or another process storing the same day at
    the same moment leaves the days to be worked out from the tickets again next time.
    """
    stored = 0
    for i in range(0, len(parts), _DAYS_PER_WRITE):
        chunk = parts[i:i + _DAYS_PER_WRITE]
        try:
            with store.engine.begin() as conn:
                for part, span in chunk:
                    write_day(conn, part, span, basis, at)
            stored += len(chunk)
        except IntegrityError:  # another report stored these days at the same moment: theirs are as good
            continue
        except DBAPIError as exc:
            reason = str(getattr(exc, "orig", exc)).splitlines()[0]
            if (store.safe_url, reason) not in _WARNED:
                _WARNED.add((store.safe_url, reason))
                log.warning("day summaries not stored (%s): reports read those days' tickets instead; "
                            "see docs/deploy/postgres-roles.sql for the roles that store them", reason)
            return stored
    return stored
