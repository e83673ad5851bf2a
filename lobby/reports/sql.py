"""The SQL both figure engines share: dialect fragments and bound parameters, the facts of each
ticket of the range (its group keys, status and rating codes, durations in microseconds), local hours.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Date, DateTime, bindparam, text

from lobby.config import CentreConfig
from lobby.reports.results import GROUPINGS, Grouping
from lobby.vocabulary import TicketState


def utc_bounds(cfg: CentreConfig, start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants where local day ``start`` begins and local day ``end`` ends."""
    tz = cfg.tz
    lo = datetime.combine(start, time(0), tz).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), tz).astimezone(UTC)
    return lo, hi


def offset_pieces(tz: ZoneInfo, lo: datetime, hi: datetime) -> list[tuple[datetime | None, int]]:
    """The zone's UTC offset (minutes) over [lo, hi): ``[(until, minutes), …, (None, minutes)]``.

    Found by stepping hour by hour and narrowing each change to the minute, so any
    zone works; a zone without daylight saving gives one piece.
    """
    def minutes(at: datetime) -> int:
        off = at.astimezone(tz).utcoffset()
        return int(off.total_seconds() // 60) if off is not None else 0

    pieces: list[tuple[datetime | None, int]] = []
    at, current = lo, minutes(lo)
    while at < hi:
        nxt = min(at + timedelta(hours=1), hi)
        if minutes(nxt) != current:
            a, b = at, nxt
            while b - a > timedelta(minutes=1):
                mid = a + (b - a) / 2
                if minutes(mid) == current:
                    a = mid
                else:
                    b = mid
            b = b.replace(second=0, microsecond=0)
            pieces.append((b, current))
            current = minutes(b)
        at = nxt
    pieces.append((None, current))
    return pieces


class Sql:
    """The dialect-specific fragments, and the parameters they bind."""

    def __init__(self, dialect: str, cfg: CentreConfig, start: date, end: date) -> None:
        self.pg = dialect == "postgresql"
        self.tz = cfg.centre.timezone
        self.params: dict[str, Any] = {"start": start, "end": end, "tz": self.tz}
        self.types: dict[str, Any] = {"start": Date(), "end": Date()}
        lo, hi = utc_bounds(cfg, start, end)
        # Events of a ticket can come after its day ends (a day closed late): allow one more day.
        self.add("ev_lo", lo, DateTime())
        self.add("ev_hi", hi + timedelta(days=1), DateTime())
        self.pieces = offset_pieces(cfg.tz, lo - timedelta(days=1), hi + timedelta(days=1))

    def add(self, name: str, value: Any, type_: Any = None) -> str:
        self.params[name] = value.replace(tzinfo=None) if isinstance(value, datetime) else value
        if type_ is not None:
            self.types[name] = type_
        return f":{name}"

    def local_hour(self, col: str) -> str:
        if self.pg:
            return f"EXTRACT(HOUR FROM ({col} AT TIME ZONE 'UTC') AT TIME ZONE :tz)::int"
        # SQLite stores times as text "YYYY-MM-DD HH:MM:SS.ffffff" (UTC): minute of the day plus the offset.
        if len(self.pieces) == 1:
            shift = self.add("tz_shift", self.pieces[0][1])
        else:
            whens = []
            for i, (until, minutes) in enumerate(self.pieces):
                mod = self.add(f"tz_mod{i}", minutes)
                if until is None:
                    whens.append(f"ELSE {mod}")
                else:
                    lim = self.add(f"tz_until{i}", until, DateTime())
                    whens.append(f"WHEN {col} < {lim} THEN {mod}")
            shift = "(CASE " + " ".join(whens) + " END)"
        minute = f"(substr({col}, 12, 2) * 60 + substr({col}, 15, 2) + {shift})"
        return f"((({minute} % 1440) + 1440) % 1440 / 60)"

    def day_ordinal(self, col: str) -> str:
        """A date column as ``date.toordinal()`` (a whole number of days) in SQL."""
        if self.pg:
            return f"({col} - DATE '0001-01-01' + 1)"
        return f"CAST(julianday({col}) - 1721424.5 AS INTEGER)"

    def iso_weekday(self, col: str) -> str:
        if self.pg:
            return f"EXTRACT(ISODOW FROM {col})::int"
        return f"((CAST(strftime('%w', {col}) AS INTEGER) + 6) % 7 + 1)"

    def json_text(self, col: str, key: str) -> str:
        return f"({col} ->> '{key}')" if self.pg else f"json_extract({col}, '$.{key}')"

    def text(self, sql: str) -> Any:
        stmt = text(sql)
        binds = [bindparam(n, type_=t) for n, t in self.types.items() if _uses(sql, n)]
        return stmt.bindparams(*binds) if binds else stmt

    def run_ddl(self, conn: Connection, sql: str) -> None:
        used = {k: v for k, v in self.params.items() if _uses(sql, k)}
        conn.execute(self.text(sql), used)

    def run(self, conn: Connection, sql: str) -> list[Any]:
        used = {k: v for k, v in self.params.items() if _uses(sql, k)}
        return list(conn.execute(self.text(sql), used).all())

    def tuples(self, conn: Connection, sql: str) -> list[tuple[Any, ...]]:
        """The rows as the driver's plain tuples (many rows of numbers: no Row objects on the way)."""
        used = {k: v for k, v in self.params.items() if _uses(sql, k)}
        result = conn.execute(self.text(sql), used)
        try:
            return list(result.cursor.fetchall()) if result.cursor is not None else []
        finally:
            result.close()


def snapshot(conn: Connection) -> Connection:
    """One snapshot for every statement of the connection's transactions (PostgreSQL otherwise reads each
    statement's committed data; a SQLite read transaction is one snapshot already)."""
    if conn.dialect.name == "postgresql":
        return conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def _uses(sql: str, name: str) -> bool:
    return re.search(rf":{name}\b", sql) is not None


_TICKET_KEYS: dict[str, str] = {
    "day": "t.day",
    "service": "t.origin_service_id",
    "counter": "t.counter_id",
    "staff": "t.staff_id",
}


def ticket_key(sql: Sql, by: Grouping | None) -> str:
    if by is None:
        return "0"
    if by == "hour":
        return sql.local_hour("t.issued_at")
    return _TICKET_KEYS[by]


def event_key(sql: Sql, by: Grouping | None) -> str:
    if by is None:
        return "0"
    return {"day": "t.day", "service": "fs.id", "counter": "c.id", "staff": "e.staff_id",
            "hour": sql.local_hour("t.issued_at")}[by]


@dataclass(frozen=True)
class Ids:
    service: int | None = None
    counter: int | None = None
    staff: int | None = None


TICKET_COLUMNS = ("t.origin_service_id", "t.counter_id", "t.staff_id")


def ticket_filters(ids: Ids, columns: tuple[str, str, str] = TICKET_COLUMNS) -> str:
    """The ``AND`` conditions of the filters asked for, on the (service, counter, official) id columns."""
    svc, ctr, stf = columns
    out = []
    if ids.service is not None:
        out.append(f"AND {svc} = :f_service")
    if ids.counter is not None:
        out.append(f"AND {ctr} = :f_counter")
    if ids.staff is not None:
        out.append(f"AND {stf} = :f_staff")
    return " ".join(out)


FACTS_TABLE = "temp.report_facts"
US = 1_000_000
US_PER_MIN = 60 * US
PERCENTILES = (0.5, 0.9)
STATUS_CODES = {TicketState.DONE: 0, TicketState.NO_SHOW: 1, TicketState.CANCELLED: 2,
                TicketState.EXPIRED: 3}   # anything else is still open: 4
RATING_CODES = {"very_satisfied": 1, "satisfied": 2, "not_satisfied": 3}  # not rated: 0


def facts_sql(sql: Sql, keys: str, ids: Ids) -> str:
    """One row per ticket of the range: its group keys and what the figures need (codes, microseconds)."""
    st = "CASE t.status " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in STATUS_CODES.items()) + " ELSE 4 END"
    rt = "CASE r.value " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in RATING_CODES.items()) + " ELSE 0 END"
    return f"""
        SELECT {keys}, {st} AS st, {rt} AS rt,
               CASE WHEN t.is_priority THEN 1 ELSE 0 END AS pr,
               CASE WHEN t.is_priority AND t.granted_by_id IS NOT NULL THEN 1 ELSE 0 END AS gr,
               t.wait_us AS w, t.service_us AS s, s.target_wait_min * {US_PER_MIN} AS tg
        FROM ticket t
        JOIN service s ON s.id = t.origin_service_id
        LEFT JOIN rating r ON r.ticket_id = t.id
        WHERE t.day >= :start AND t.day <= :end {ticket_filters(ids)}
    """


def keys_sql(sql: Sql, groupings: tuple[Grouping, ...],
             key_of: Callable[[Sql, Grouping | None], str] = ticket_key) -> str:
    """The group-key columns (a ticket's by default, ``event_key`` for event rows); keys of groupings not
    asked for are NULL (the hour is not free on SQLite)."""
    def key(by: Grouping) -> str:
        if by not in groupings:
            return "NULL"
        return key_of(sql, by)
    return ", ".join(f"{key(by)} AS k_{by}" for by in GROUPINGS)


def grouping_levels(groupings: tuple[Grouping, ...]) -> dict[int, Grouping | None]:
    """The grouping of each value of GROUPING(k_a, k_b, …) over ``GROUPING SETS ((k_a), (k_b), …, ())``."""
    n = len(groupings)
    full = (1 << n) - 1
    level: dict[int, Grouping | None] = {full ^ (1 << (n - 1 - i)): by for i, by in enumerate(groupings)}
    level[full] = None
    return level


def norm_key(key: Any) -> Any:
    if isinstance(key, str) and len(key) == 10 and key[4] == "-":
        return date.fromisoformat(key)
    if isinstance(key, float):
        return int(key)
    return key


def sec(us: Any) -> float | None:
    """Microseconds (the stored durations) to seconds."""
    return None if us is None else float(us) / US
