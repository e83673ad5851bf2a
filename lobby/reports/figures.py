"""Reports for the manager (PAR Index, SIPAS): waits, service times, targets, ratings, busy hours.

Every figure is computed in the database from the tickets of a range of the centre's
local days (``ticket.day``), grouped and with percentiles in SQL; only one row per
group (a row per group on PostgreSQL, a few on SQLite) comes back to Python.

What the figures mean (one ticket belongs to one group of each grouping):

- The ticket's *service* is the service it was issued for (``origin_service_id``),
  so "issued" matches what the kiosks printed. Its *counter* and *official* are
  the last ones that handled it (``ticket.counter_id`` / ``staff_id``); tickets at no
  counter (never called, or transferred and still waiting) form a group of their own. *Day* is the local
  day of issue, *hour* the local hour of issue.
- issued = served + no-show + cancelled + expired + open (still waiting or at a counter).
- "transferred" counts transfers *made by* the group, from the ``event`` rows
  (kind ``transferred``): by the service the ticket left, the counter and the official
  who sent it, the day and hour of the ticket. A ticket sent on twice counts twice;
  its outcome is also counted under its final status.
- Waiting time: first call − issue, over every ticket that was called. Service time:
  finish − start, over served tickets (after a transfer, the last service only). Both
  are read from ``ticket.wait_us`` / ``ticket.service_us``: whole microseconds kept by
  the queue rules when the ticket is first called / finished (migration 0003 worked
  them out for older tickets), so the reports count and rank integers and never
  subtract a million times. Exact on both stores.
- Within target: served tickets whose wait was at most the target wait of their
  service, as a share of served tickets.
- Percentiles are ``percentile_cont`` (linear interpolation between order
  statistics). PostgreSQL computes every grouping and the total in one pass
  (``GROUPING SETS``) with its own ``percentile_cont``. SQLite has no percentile
  function and sorts for every GROUP BY: the counts and sums come from one pass per
  combination of the keys, and each grouping's values are sorted once into a
  histogram of distinct values, whose running sums find the values at the ranks
  ``percentile_cont`` interpolates (see ``_sqlite_figures``); still computed entirely
  in the database. With several groupings the tickets' facts go once into a
  temporary table that they all read.
- Local hours: PostgreSQL converts with ``AT TIME ZONE`` and the zone's name. SQLite
  knows no time zones, so the zone's UTC offset is worked out in Python for the
  report's range (``offset_pieces``) and written into the query as a fixed offset
  in minutes, one piece per offset in force during the range (Asia/Ho_Chi_Minh has
  one: +07:00, no daylight saving), added to the clock part of the stored UTC time.
- A range of days is read from ``ix_ticket_report`` (every column a report needs) and
  the priority grants from the partial ``ix_ticket_priority_day``.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal, NoReturn
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Date, DateTime, bindparam, text
from sqlalchemy.exc import DBAPIError, OperationalError

from lobby.config import CentreConfig
from lobby.errors import LobbyError, StoreUnavailable, UnknownCounter, UnknownService, UnknownStaff
from lobby.i18n import pick
from lobby.store.engine import Store, short_reason

Grouping = Literal["day", "service", "counter", "staff", "hour"]
GROUPINGS: tuple[Grouping, ...] = ("day", "service", "counter", "staff", "hour")
WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_DAYS = 3660


class ReportRangeError(LobbyError):
    def __init__(self, start: date, end: date) -> None:
        super().__init__(
            f"--from ({start:%d/%m/%Y}) phải trước hoặc bằng --to ({end:%d/%m/%Y}).",
            f"--from ({start.isoformat()}) must be on or before --to ({end.isoformat()}).",
        )


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Figures:
    """The figures of one group (or of the whole report). Times are in seconds."""

    key: str | None
    label: str
    label_en: str
    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    open: int = 0
    transferred: int = 0
    called: int = 0
    wait_mean_s: float | None = None
    wait_median_s: float | None = None
    wait_p90_s: float | None = None
    wait_max_s: float | None = None
    service_mean_s: float | None = None
    service_median_s: float | None = None
    service_p90_s: float | None = None
    within_target: int = 0
    very_satisfied: int = 0
    satisfied: int = 0
    not_satisfied: int = 0
    priority: int = 0
    priority_granted: int = 0

    @property
    def rated(self) -> int:
        return self.very_satisfied + self.satisfied + self.not_satisfied

    @property
    def within_target_share(self) -> float | None:
        return self.within_target / self.served if self.served else None

    @property
    def satisfied_share(self) -> float | None:
        return (self.very_satisfied + self.satisfied) / self.rated if self.rated else None

    @property
    def rated_share(self) -> float | None:
        return self.rated / self.served if self.served else None

    def name(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(rated=self.rated, within_target_share=self.within_target_share,
                   satisfied_share=self.satisfied_share, rated_share=self.rated_share)
        return out


@dataclass(frozen=True)
class Grant:
    """Priority tickets of one group (elderly, merit, …) and who allowed them (None: chosen at the kiosk)."""

    group: str | None
    group_name: str
    group_name_en: str
    granted_by: str | None
    granted_by_name: str | None
    count: int


@dataclass(frozen=True)
class Heatmap:
    """Average arrivals per weekday (ISO 1–7) and local hour of the day, over the days that had tickets."""

    counts: dict[tuple[int, int], int]
    days: dict[int, int]

    def mean(self, weekday: int, hour: int) -> float:
        n = self.days.get(weekday, 0)
        return self.counts.get((weekday, hour), 0) / n if n else 0.0

    @property
    def weekdays(self) -> list[int]:
        return sorted(self.days)

    @property
    def hours(self) -> list[int]:
        present = [h for (_, h) in self.counts]
        return list(range(min(present), max(present) + 1)) if present else []


@dataclass(frozen=True)
class ReportQuery:
    start: date
    end: date
    service: str | None = None
    counter: int | None = None
    staff: str | None = None

    def filters_text(self, lang: str = "vi") -> str:
        parts = []
        if self.service:
            parts.append(f"{pick(lang, 'dịch vụ', 'service')} {self.service}")
        if self.counter is not None:
            parts.append(f"{pick(lang, 'quầy', 'counter')} {self.counter}")
        if self.staff:
            parts.append(f"{pick(lang, 'cán bộ', 'official')} {self.staff}")
        return ", ".join(parts) or pick(lang, "tất cả", "all")


@dataclass(frozen=True)
class Report:
    query: ReportQuery
    by: Grouping
    centre: str
    groups: list[Figures]
    total: Figures
    grants: list[Grant] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "centre": self.centre,
            "from": self.query.start.isoformat(),
            "to": self.query.end.isoformat(),
            "by": self.by,
            "filters": {"service": self.query.service, "counter": self.query.counter, "staff": self.query.staff},
            "groups": [g.to_json() for g in self.groups],
            "total": self.total.to_json(),
            "grants": [asdict(g) for g in self.grants],
        }


# ---------------------------------------------------------------- SQL pieces


def utc_bounds(cfg: CentreConfig, start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants where local day ``start`` begins and local day ``end`` ends."""
    tz = cfg.tz
    lo = datetime.combine(start, time(0), tz).astimezone(timezone.utc)
    hi = datetime.combine(end + timedelta(days=1), time(0), tz).astimezone(timezone.utc)
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


def _uses(sql: str, name: str) -> bool:
    return re.search(rf":{name}\b", sql) is not None


_TICKET_KEYS: dict[str, str] = {
    "day": "t.day",
    "service": "t.origin_service_id",
    "counter": "t.counter_id",
    "staff": "t.staff_id",
}


def _ticket_key(sql: Sql, by: Grouping | None) -> str:
    if by is None:
        return "0"
    if by == "hour":
        return sql.local_hour("t.issued_at")
    return _TICKET_KEYS[by]


def _event_key(sql: Sql, by: Grouping | None) -> str:
    if by is None:
        return "0"
    return {"day": "t.day", "service": "fs.id", "counter": "c.id", "staff": "e.staff_id",
            "hour": sql.local_hour("t.issued_at")}[by]


@dataclass(frozen=True)
class _Ids:
    service: int | None = None
    counter: int | None = None
    staff: int | None = None


def _ticket_filters(ids: _Ids) -> str:
    out = []
    if ids.service is not None:
        out.append("AND t.origin_service_id = :f_service")
    if ids.counter is not None:
        out.append("AND t.counter_id = :f_counter")
    if ids.staff is not None:
        out.append("AND t.staff_id = :f_staff")
    return " ".join(out)


FACTS_TABLE = "temp.report_facts"
US = 1_000_000
US_PER_MIN = 60 * US
PERCENTILES = (0.5, 0.9)
STATUS_CODES = {"done": 0, "no_show": 1, "cancelled": 2, "expired": 3}   # anything else is still open: 4
RATING_CODES = {"very_satisfied": 1, "satisfied": 2, "not_satisfied": 3}  # not rated: 0


def _facts(sql: Sql, keys: str, ids: _Ids) -> str:
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
        WHERE t.day >= :start AND t.day <= :end {_ticket_filters(ids)}
    """



def _keys(sql: Sql, groupings: tuple[Grouping, ...]) -> str:
    """The group-key columns; keys of groupings not asked for are NULL (the hour is not free on SQLite)."""
    def key(by: Grouping) -> str:
        if by not in groupings:
            return "NULL"
        return _ticket_key(sql, by)
    return ", ".join(f"{key(by)} AS k_{by}" for by in GROUPINGS)


# ---- PostgreSQL: one pass, every grouping at once (GROUPING SETS), percentile_cont in the database.

_AGGREGATES = """
            count(*) AS issued,
            sum(CASE WHEN st = 0 THEN 1 ELSE 0 END), sum(CASE WHEN st = 1 THEN 1 ELSE 0 END),
            sum(CASE WHEN st = 2 THEN 1 ELSE 0 END), sum(CASE WHEN st = 3 THEN 1 ELSE 0 END),
            sum(CASE WHEN st = 4 THEN 1 ELSE 0 END),
            count(w), avg(w), max(w), avg(s),
            sum(CASE WHEN st = 0 AND w <= tg THEN 1 ELSE 0 END),
            sum(CASE WHEN rt = 1 THEN 1 ELSE 0 END), sum(CASE WHEN rt = 2 THEN 1 ELSE 0 END),
            sum(CASE WHEN rt = 3 THEN 1 ELSE 0 END),
            sum(pr), sum(gr)"""


def _pg_sql(sql: Sql, groupings: tuple[Grouping, ...], ids: _Ids) -> str:
    cols = ", ".join(f"k_{by}" for by in groupings)
    sets = ", ".join(f"(k_{by})" for by in groupings) + ", ()"
    return f"""
        WITH f AS ({_facts(sql, _keys(sql, groupings), ids)})
        SELECT GROUPING({cols}), {cols}, {_AGGREGATES},
            percentile_cont(0.5) WITHIN GROUP (ORDER BY w), percentile_cont(0.9) WITHIN GROUP (ORDER BY w),
            percentile_cont(0.5) WITHIN GROUP (ORDER BY s), percentile_cont(0.9) WITHIN GROUP (ORDER BY s)
        FROM f GROUP BY GROUPING SETS ({sets})
    """


def _grouping_levels(groupings: tuple[Grouping, ...]) -> dict[int, Grouping | None]:
    """The grouping of each value of GROUPING(k_a, k_b, …) over ``GROUPING SETS ((k_a), (k_b), …, ())``."""
    n = len(groupings)
    full = (1 << n) - 1
    level: dict[int, Grouping | None] = {full ^ (1 << (n - 1 - i)): by for i, by in enumerate(groupings)}
    level[full] = None
    return level


def _pg_figures(conn: Connection, sql: Sql, groupings: tuple[Grouping, ...],
                ids: _Ids) -> dict[Grouping | None, dict[Any, dict[str, Any]]]:
    """GROUPING() tells the rows apart: a bit per key column, set when the row's grouping does not use it."""
    out: dict[Grouping | None, dict[Any, dict[str, Any]]] = {by: {} for by in (*groupings, None)}
    n = len(groupings)
    level = _grouping_levels(groupings)
    for r in sql.run(conn, _pg_sql(sql, groupings, ids)):
        by = level[r[0]]
        key = 0 if by is None else r[1 + groupings.index(by)]
        values = _values(r[1 + n:17 + n])
        values.update(wait_median_s=_sec(r[17 + n]), wait_p90_s=_sec(r[18 + n]),
                      service_median_s=_sec(r[19 + n]), service_p90_s=_sec(r[20 + n]))
        out[by][_norm_key(key)] = values
    return out


def _values(r: Any) -> dict[str, Any]:
    return dict(
        issued=r[0], served=r[1] or 0, no_show=r[2] or 0, cancelled=r[3] or 0, expired=r[4] or 0, open=r[5] or 0,
        called=r[6] or 0, wait_mean_s=_sec(r[7]), wait_max_s=_sec(r[8]), service_mean_s=_sec(r[9]),
        within_target=r[10] or 0, very_satisfied=r[11] or 0, satisfied=r[12] or 0, not_satisfied=r[13] or 0,
        priority=r[14] or 0, priority_granted=r[15] or 0,
    )


# ---- SQLite: the facts go once into a temporary table; each grouping is then a few cheap passes over it.


def _sqlite_facts_sql(sql: Sql, groupings: tuple[Grouping, ...], ids: _Ids) -> str:
    return f"CREATE TEMP TABLE report_facts AS {_facts(sql, _keys(sql, groupings), ids)}"


# (figure, per ticket, how the figures of finer groups add up)
_SUMS: tuple[tuple[str, str, str], ...] = (
    ("issued", "count(*)", "sum"), ("served", "sum(st = 0)", "sum"), ("no_show", "sum(st = 1)", "sum"),
    ("cancelled", "sum(st = 2)", "sum"), ("expired", "sum(st = 3)", "sum"), ("open", "sum(st = 4)", "sum"),
    ("very_satisfied", "sum(rt = 1)", "sum"), ("satisfied", "sum(rt = 2)", "sum"),
    ("not_satisfied", "sum(rt = 3)", "sum"), ("priority", "sum(pr)", "sum"), ("priority_granted", "sum(gr)", "sum"),
    ("within_target", "sum(st = 0 AND w <= tg)", "sum"), ("called", "count(w)", "sum"), ("_wsum", "sum(w)", "sum"),
    ("_wmax", "max(w)", "max"), ("_scount", "count(s)", "sum"), ("_ssum", "sum(s)", "sum"),
)


def _fine_sql(src: str, groupings: tuple[Grouping, ...]) -> str:
    """The counts and sums per combination of the groupings' keys: each grouping then adds up a few rows.

    With one grouping these are its groups; split further by the wait itself, they are
    also the histogram of its waits.
    """
    sums = ", ".join(f"{expr} AS c{i}" for i, (_, expr, _) in enumerate(_SUMS))
    keys = ", ".join([f"k_{by}" for by in groupings] + (["w"] if len(groupings) == 1 else []))
    return f"CREATE TEMP TABLE report_fine AS SELECT {keys}, {sums} FROM {src} GROUP BY {keys}"


def _sums_sql(key: str) -> str:
    sums = ", ".join(f"{how}(c{i})" for i, (_, _, how) in enumerate(_SUMS))
    return f"SELECT {key} AS g, {sums} FROM temp.report_fine GROUP BY g"


def _sqlite_sums(row: Any) -> dict[str, Any]:
    """The counts, the means and the largest wait from a row of ``_sums_sql``."""
    values = {name: v or 0 for (name, _, _), v in zip(_SUMS, row)}
    wsum, wmax, scount, ssum = (values.pop(name) for name in ("_wsum", "_wmax", "_scount", "_ssum"))
    called = values["called"]
    return {**values, "wait_max_s": _sec(wmax) if called else None,
            "wait_mean_s": wsum / called / US if called else None,
            "service_mean_s": ssum / scount / US if scount else None}


def _hist_sql(src: str, key: str, column: Literal["w", "s"]) -> str:
    """The values of ``column`` per group: a row per group and distinct value ``x``, with its count ``k``."""
    return (f"CREATE TEMP TABLE report_hist_{column} AS SELECT {key} AS g, {column} AS x, count(*) AS k "
            f"FROM {src} WHERE {column} IS NOT NULL GROUP BY g, x")


def _rollup_sql(hist: str) -> str:
    """The histogram of the whole report (group 0), from a grouping's."""
    return f"SELECT 0 AS g, x, sum(k) AS k FROM ({hist}) h GROUP BY x"


def _percentile_sql(p: float) -> str:
    """percentile_cont(p) of a group from its histogram rows (x, k, upto = values up to x, n = values).

    The values of ranks ⌊p·(n−1)⌋+1 and +2 (1-based) are the x whose rows hold those
    ranks (upto − k < rank ≤ upto); they are interpolated as percentile_cont does.
    """
    pos = f"({p} * (n - 1))"
    lower = f"(CAST({pos} AS INTEGER) + 1)"
    frac = f"({pos} - CAST({pos} AS INTEGER))"

    def holds(rank: str) -> str:
        return f"(upto - k < {rank} AND {rank} <= upto)"

    return (f"sum(CASE WHEN {holds(lower)} THEN x * (1 - {frac}) ELSE 0 END) + "
            f"sum(CASE WHEN {holds(lower + ' + 1')} THEN x * {frac} ELSE 0 END)")


def _from_hist_sql(hist: str) -> str:
    """The two percentiles of each group's values, from its histogram."""
    return f"""
        WITH c AS (
            SELECT h.*, sum(k) OVER (PARTITION BY g ORDER BY x ROWS UNBOUNDED PRECEDING) AS upto,
                   sum(k) OVER (PARTITION BY g) AS n
            FROM ({hist}) h
        )
        SELECT g, {', '.join(_percentile_sql(p) for p in PERCENTILES)} FROM c GROUP BY g
    """


_SCRATCH = ("report_fine", "report_hist_w", "report_hist_s")


def _drop_scratch(conn: Connection, tables: tuple[str, ...] = _SCRATCH) -> None:
    for table in tables:
        conn.execute(text(f"DROP TABLE IF EXISTS temp.{table}"))


def _sqlite_figures(conn: Connection, sql: Sql, src: str, groupings: tuple[Grouping, ...],
                    ) -> tuple[dict[Grouping, dict[Any, dict[str, Any]]], dict[str, Any]]:
    """The figures of each group of each grouping, and of everything, from the tickets' facts in ``src``.

    SQLite has no percentile function, and each GROUP BY or window sorts its rows; so:

    1. ``report_fine``: one pass counts and sums per combination of all the keys; each
       grouping and the total add up its (far fewer) rows. With one grouping, its rows
       are split by the wait as well, and so are also the histogram of 2. for waits.
    2. Per grouping, each value (wait, service time) is sorted once, into a histogram of
       its distinct values per group; running sums over the histogram find the values at
       the ranks each percentile needs, as ``percentile_cont`` does. Exact. The whole
       report's percentiles come from the first grouping's histograms, not from the tickets.
    """
    out: dict[Grouping, dict[Any, dict[str, Any]]] = {by: {} for by in groupings}
    whole: dict[Any, dict[str, Any]] = {0: {}}
    one = len(groupings) == 1
    called = next(i for i, (name, _, _) in enumerate(_SUMS) if name == "called")
    _drop_scratch(conn)
    try:
        sql.run_ddl(conn, _fine_sql(src, groupings))
        for groups, key in ((whole, "0"), *((out[by], f"k_{by}") for by in groupings)):
            for row in conn.execute(text(_sums_sql(key))):
                groups[row[0]] = _sqlite_sums(row[1:])
        for i, by in enumerate(groupings):
            for column, names in (("w", ("wait_median_s", "wait_p90_s")), ("s", ("service_median_s", "service_p90_s"))):
                if one and column == "w":
                    hist = f"SELECT k_{by} AS g, w AS x, c{called} AS k FROM temp.report_fine WHERE w IS NOT NULL"
                else:
                    _drop_scratch(conn, (f"report_hist_{column}",))
                    sql.run_ddl(conn, _hist_sql(src, f"k_{by}", column))
                    hist = f"SELECT * FROM temp.report_hist_{column}"
                levels = [(out[by], hist)] + ([(whole, _rollup_sql(hist))] if i == 0 else [])
                for groups, hist in levels:
                    for g, p50, p90 in conn.execute(text(_from_hist_sql(hist))):
                        groups[g].update({names[0]: _sec(p50), names[1]: _sec(p90)})
    finally:
        _drop_scratch(conn)
    total = whole[0] if whole[0].get("issued") else {}
    return {by: {_norm_key(g): v for g, v in groups.items()} for by, groups in out.items()}, total


def _transfer_rows(sql: Sql, groupings: tuple[Grouping, ...], ids: _Ids) -> str:
    """One row per transfer event of the range, with the keys of the group that made it."""
    where = []
    if ids.service is not None:
        where.append("AND fs.id = :f_service")
    if ids.counter is not None:
        where.append("AND c.id = :f_counter")
    if ids.staff is not None:
        where.append("AND e.staff_id = :f_staff")
    keys = ", ".join(f"{_event_key(sql, by) if by in groupings else 'NULL'} AS k_{by}" for by in GROUPINGS)
    return f"""
        SELECT {keys}
        FROM event e
        JOIN ticket t ON t.id = e.ticket_id
        LEFT JOIN service fs ON fs.code = {sql.json_text('e.data', 'from')}
        LEFT JOIN counter c ON c.number = e.counter_number
        WHERE e.kind = 'transferred' AND e.at >= :ev_lo AND e.at < :ev_hi
          AND t.day >= :start AND t.day <= :end {' '.join(where)}
    """


def _transfers(conn: Connection, sql: Sql, groupings: tuple[Grouping, ...], ids: _Ids) -> dict[Grouping | None, dict[Any, int]]:
    """Transfers per group of each grouping (key 0 under None: all of them); events are few, the index finds them."""
    rows = _transfer_rows(sql, groupings, ids)
    out: dict[Grouping | None, dict[Any, int]] = {}
    if sql.pg:  # one pass, as for the tickets
        level = _grouping_levels(groupings)
        cols = ", ".join(f"k_{by}" for by in groupings)
        sets = ", ".join(f"(k_{by})" for by in groupings) + ", ()"
        out = {by: {} for by in (*groupings, None)}
        for r in sql.run(conn, f"SELECT GROUPING({cols}), {cols}, count(*) FROM ({rows}) x GROUP BY GROUPING SETS ({sets})"):
            by = level[r[0]]
            out[by][_norm_key(0 if by is None else r[1 + groupings.index(by)])] = int(r[-1])
        return out
    for by in (*groupings, None):
        key = "0" if by is None else f"k_{by}"
        out[by] = {_norm_key(g): int(n) for g, n in sql.run(conn, f"SELECT {key}, count(*) FROM ({rows}) x GROUP BY 1")}
    return out


# ---------------------------------------------------------------- building


class _Labels:
    """Names of the groups' keys, read once from the small tables."""

    def __init__(self, conn: Connection) -> None:
        self.services = {r[0]: (r[1], r[2], r[3], r[4]) for r in conn.execute(
            text("SELECT id, code, name_vi, name_en, sort_order FROM service"))}
        self.counters = {r[0]: r[1] for r in conn.execute(text("SELECT id, number FROM counter"))}
        self.staff = {r[0]: (r[1], r[2]) for r in conn.execute(text("SELECT id, username, full_name FROM staff"))}

    def of(self, by: Grouping, key: Any) -> tuple[str | None, str, str, tuple[Any, ...]]:
        """(key as text, Vietnamese label, English label, sort key)."""
        if key is None:
            none_vi, none_en = {
                "counter": ("Không ở quầy nào (chưa gọi, chờ lại)", "At no counter (never called, re-queued)"),
                "staff": ("Không ở quầy nào (chưa gọi, chờ lại)", "At no counter (never called, re-queued)"),
            }.get(by, ("Không rõ", "Unknown"))
            return None, none_vi, none_en, (1,)
        if by == "day":
            d = key if isinstance(key, date) else date.fromisoformat(str(key))
            wd = d.isoweekday() - 1
            return d.isoformat(), f"{WEEKDAYS_VI[wd]} {d:%d/%m/%Y}", f"{WEEKDAYS_EN[wd][:3]} {d.isoformat()}", (0, d)
        if by == "service":
            code, vi, en, order = self.services.get(int(key), (str(key), str(key), str(key), 999))
            return code, vi, en or vi, (0, order, code)
        if by == "counter":
            number = self.counters.get(int(key), int(key))
            return str(number), f"Quầy {number}", f"Counter {number}", (0, number)
        if by == "staff":
            username, full = self.staff.get(int(key), (str(key), str(key)))
            return username, full, full, (0, full)
        hour = int(key)
        return f"{hour:02d}", f"{hour:02d}:00–{hour + 1:02d}:00", f"{hour:02d}:00–{hour + 1:02d}:00", (0, hour)


def _norm_key(key: Any) -> Any:
    if isinstance(key, str) and len(key) == 10 and key[4] == "-":
        return date.fromisoformat(key)
    if isinstance(key, float):
        return int(key)
    return key


def _sec(us: Any) -> float | None:
    """Microseconds (the stored durations) to seconds."""
    return None if us is None else float(us) / US


def _resolve(conn: Connection, cfg: CentreConfig, q: ReportQuery) -> _Ids:
    service = counter = staff = None
    if q.service:
        code = q.service.strip().upper()
        found = conn.execute(text("SELECT id FROM service WHERE code = :c OR prefix = :c ORDER BY active DESC"),
                             {"c": code}).first()
        if found is None:
            known = [r[0] for r in conn.execute(text("SELECT code FROM service ORDER BY sort_order"))]
            raise UnknownService(q.service, known)
        service = found[0]
    if q.counter is not None:
        found = conn.execute(text("SELECT id FROM counter WHERE number = :n"), {"n": q.counter}).first()
        if found is None:
            known_n = [r[0] for r in conn.execute(text("SELECT number FROM counter ORDER BY number"))]
            raise UnknownCounter(q.counter, known_n)
        counter = found[0]
    if q.staff:
        found = conn.execute(text("SELECT id FROM staff WHERE username = :u"), {"u": q.staff}).first()
        if found is None:
            raise UnknownStaff(q.staff)
        staff = found[0]
    return _Ids(service, counter, staff)


def _sql(conn: Connection, cfg: CentreConfig, q: ReportQuery, ids: _Ids) -> Sql:
    sql = Sql(conn.dialect.name, cfg, q.start, q.end)
    for name, value in (("f_service", ids.service), ("f_counter", ids.counter), ("f_staff", ids.staff)):
        if value is not None:
            sql.add(name, value)
    return sql


def check_range(q: ReportQuery) -> None:
    if q.start > q.end:
        raise ReportRangeError(q.start, q.end)
    if (q.end - q.start).days > MAX_DAYS:
        raise LobbyError(f"Khoảng thời gian quá dài: tối đa {MAX_DAYS} ngày.",
                         f"The range is too long: at most {MAX_DAYS} days.")


def _figures(conn: Connection, sql: Sql, groupings: tuple[Grouping, ...],
             ids: _Ids) -> tuple[dict[Grouping, dict[Any, dict[str, Any]]], dict[str, Any]]:
    """Values of every group of every grouping, and of the whole range."""
    if sql.pg:
        # The percentiles sort in memory rather than on disk for a year of tickets.
        conn.execute(text("SET LOCAL work_mem = '256MB'"))
        found = _pg_figures(conn, sql, groupings, ids)
        total = found.pop(None).get(0, {})
        by_grouping: dict[Grouping, dict[Any, dict[str, Any]]] = {by: found[by] for by in groupings}
    else:
        # One grouping reads the tickets where they are; several share one pass into a temporary table.
        shared = len(groupings) > 1
        src = FACTS_TABLE if shared else f"({_facts(sql, _keys(sql, groupings), ids)}) f"
        conn.execute(text(f"DROP TABLE IF EXISTS {FACTS_TABLE}"))
        try:
            if shared:
                sql.run_ddl(conn, _sqlite_facts_sql(sql, groupings, ids))
            by_grouping, total = _sqlite_figures(conn, sql, src, groupings)
        finally:
            conn.execute(text(f"DROP TABLE IF EXISTS {FACTS_TABLE}"))
    transfers = _transfers(conn, sql, groupings, ids)
    for by in groupings:
        for key, n in transfers[by].items():
            by_grouping[by].setdefault(key, {"issued": 0})["transferred"] = n
    total = {**total, "transferred": transfers[None].get(0, 0)}
    return by_grouping, total


def _grants(conn: Connection, cfg: CentreConfig, q: ReportQuery, ids: _Ids) -> list[Grant]:
    sql = _sql(conn, cfg, q, ids)
    rows = sql.run(conn, f"""
        SELECT t.priority_group, st.username, st.full_name, count(*)
        FROM ticket t LEFT JOIN staff st ON st.id = t.granted_by_id
        WHERE t.day >= :start AND t.day <= :end AND t.is_priority {_ticket_filters(ids)}
        GROUP BY t.priority_group, st.username, st.full_name
    """)
    names = {g.code: g for g in cfg.priority_groups}
    out = []
    for group, username, full_name, n in rows:
        pg = names.get(group) if group else None
        out.append(Grant(group=group, group_name=pg.name_vi if pg else (group or "—"),
                         group_name_en=pg.name("en") if pg else (group or "—"),
                         granted_by=username, granted_by_name=full_name, count=n))
    order = [g.code for g in cfg.priority_groups]
    out.sort(key=lambda g: (order.index(g.group) if g.group in order else 99, g.granted_by_name or "", -g.count))
    return out


def _reraise(store: Store, exc: DBAPIError) -> NoReturn:
    """A lost or unreachable database becomes StoreUnavailable naming the store; any other error stays as it is."""
    if isinstance(exc, OperationalError) or exc.connection_invalidated:
        raise StoreUnavailable(store.safe_url, short_reason(exc)) from exc
    raise exc


def _connect(store: Store) -> Connection:
    try:
        return store.read_engine.connect()
    except DBAPIError as exc:
        _reraise(store, exc)


def build_reports(store: Store, cfg: CentreConfig, q: ReportQuery,
                  groupings: tuple[Grouping, ...] = GROUPINGS) -> dict[Grouping, Report]:
    """The report for each grouping (they share one pass over the tickets), in one read transaction."""
    check_range(q)
    try:
        with _connect(store) as conn, conn.begin():
            ids = _resolve(conn, cfg, q)
            sql = _sql(conn, cfg, q, ids)
            by_grouping, total_values = _figures(conn, sql, groupings, ids)
            total = Figures(key=None, label="Tổng cộng", label_en="Total", **total_values)
            grants = _grants(conn, cfg, q, ids)
            labels = _Labels(conn)
    except DBAPIError as exc:
        _reraise(store, exc)
    reports = {}
    for by in groupings:
        groups = []
        for key, values in by_grouping[by].items():
            text_key, vi, en, order = labels.of(by, key)
            groups.append((order, Figures(key=text_key, label=vi, label_en=en, **values)))
        groups.sort(key=lambda pair: pair[0])
        reports[by] = Report(query=q, by=by, centre=cfg.centre.name, groups=[g for _, g in groups], total=total,
                             grants=grants)
    return reports


def build_report(store: Store, cfg: CentreConfig, q: ReportQuery, by: Grouping = "service") -> Report:
    return build_reports(store, cfg, q, (by,))[by]


def arrivals_heatmap(store: Store, cfg: CentreConfig, q: ReportQuery) -> Heatmap:
    """Tickets issued per local weekday and hour, and how many days of each weekday had tickets."""
    check_range(q)
    try:
        with _connect(store) as conn, conn.begin():
            ids = _resolve(conn, cfg, q)
            sql = _sql(conn, cfg, q, ids)
            # Tickets per day and hour (one pass), then per weekday and hour, and days per weekday.
            per_day = f"""
                SELECT t.day AS d, {sql.local_hour('t.issued_at')} AS h, count(*) AS n
                FROM ticket t WHERE t.day >= :start AND t.day <= :end {_ticket_filters(ids)} GROUP BY t.day, h
            """
            counts: dict[tuple[int, int], int] = {}
            days: dict[int, int] = {}
            for kind, w, h, n in sql.run(conn, f"""
                WITH dh AS MATERIALIZED ({per_day})
                SELECT 0, {sql.iso_weekday('d')} AS w, h, sum(n) FROM dh GROUP BY w, h
                UNION ALL
                SELECT 1, {sql.iso_weekday('d')} AS w, 0, count(DISTINCT d) FROM dh GROUP BY w
            """):
                if kind == 0:
                    counts[(int(w), int(h))] = int(n)
                else:
                    days[int(w)] = int(n)
    except DBAPIError as exc:
        _reraise(store, exc)
    return Heatmap(counts=counts, days=days)
