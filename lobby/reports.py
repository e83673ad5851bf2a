"""Reports for the manager (PAR Index, SIPAS): waits, service times, targets, ratings, busy hours.

Every figure is computed in the database from the tickets of a range of the centre's
local days (``ticket.day``), grouped and with percentiles in SQL; only one row per
group comes back to Python.

What the figures mean (one ticket belongs to one group of each grouping):

- The ticket's *service* is the service it was issued for (``origin_service_id``),
  so "issued" matches what the kiosks printed. Its *counter* and *official* are
  the last ones that handled it (``ticket.counter_id`` / ``staff_id``); tickets never
  called have none and form a group of their own ("chưa gọi"). *Day* is the local
  day of issue, *hour* the local hour of issue.
- issued = served + no-show + cancelled + expired + open (still waiting or at a counter).
- "transferred" counts transfers *made by* the group, from the ``event`` rows
  (kind ``transferred``): by the service the ticket left, the counter and the official
  who sent it, the day and hour of the ticket. A ticket sent on twice counts twice;
  its outcome is also counted under its final status.
- Waiting time: first call − issue, over every ticket that was called. Service time:
  finish − start, over served tickets (after a transfer, the last service only).
- Within target: served tickets whose wait was at most the target wait of their
  service, as a share of served tickets.
- Percentiles are ``percentile_cont`` (linear interpolation between order
  statistics). PostgreSQL computes them itself; SQLite has no percentile function,
  so the same formula is written with window functions (rank within the group,
  then the two ranks around ``p × (n − 1)``), still entirely in the database.
- Local hours: PostgreSQL converts with ``AT TIME ZONE`` and the zone's name. SQLite
  knows no time zones, so the offset of the zone is worked out in Python for the
  report's range and written into the query as a fixed offset, one piece per offset
  in force during the range (Asia/Ho_Chi_Minh has one: +07:00, no daylight saving).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Date, DateTime, bindparam, text
from sqlalchemy.exc import DBAPIError

from lobby.config import CentreConfig
from lobby.errors import LobbyError, StoreUnavailable, UnknownCounter, UnknownService, UnknownStaff
from lobby.i18n import pick
from lobby.store import Store, short_reason

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

    def seconds(self, a: str, b: str) -> str:
        if self.pg:
            return f"EXTRACT(EPOCH FROM ({b} - {a}))::float8"
        return f"ROUND((julianday({b}) - julianday({a})) * 86400.0, 3)"

    def local_hour(self, col: str) -> str:
        if self.pg:
            return f"EXTRACT(HOUR FROM ({col} AT TIME ZONE 'UTC') AT TIME ZONE :tz)::int"
        if len(self.pieces) == 1:
            shift = self.add("tz_shift", f"{self.pieces[0][1]:+d} minutes")
        else:
            whens = []
            for i, (until, minutes) in enumerate(self.pieces):
                mod = self.add(f"tz_mod{i}", f"{minutes:+d} minutes")
                if until is None:
                    whens.append(f"ELSE {mod}")
                else:
                    lim = self.add(f"tz_until{i}", until, DateTime())
                    whens.append(f"WHEN {col} < {lim} THEN {mod}")
            shift = "CASE " + " ".join(whens) + " END"
        return f"CAST(strftime('%H', {col}, {shift}) AS INTEGER)"

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
BUCKET_S = 10


def _facts(sql: Sql, keys: str, ids: _Ids) -> str:
    """One row per ticket of the range: its group key(s) and what the figures need."""
    wait = sql.seconds("t.issued_at", "t.called_at")
    svc = sql.seconds("t.started_at", "t.finished_at")
    return f"""
        SELECT {keys}, t.status AS status, t.is_priority AS is_priority,
               t.granted_by_id AS granted_by_id, {wait} AS wait_s,
               CASE WHEN t.status = 'done' AND t.started_at IS NOT NULL THEN {svc} END AS svc_s,
               s.target_wait_min * 60 AS target_s, r.value AS rating
        FROM ticket t
        JOIN service s ON s.id = t.origin_service_id
        LEFT JOIN rating r ON r.ticket_id = t.id
        WHERE t.day >= :start AND t.day <= :end {_ticket_filters(ids)}
    """


def _sqlite_facts_sql(sql: Sql, groupings: tuple[Grouping, ...], ids: _Ids) -> str:
    """SQLite: the facts are written once into a temporary table that every grouping reads.

    Tickets never at a counter get key -1 (not NULL) so the percentile query can join on the key.
    """
    hour = sql.local_hour("t.issued_at") if "hour" in groupings else "NULL"
    keys = (f"t.day AS k_day, t.origin_service_id AS k_service, coalesce(t.counter_id, -1) AS k_counter, "
            f"coalesce(t.staff_id, -1) AS k_staff, {hour} AS k_hour")
    return f"CREATE TEMP TABLE report_facts AS {_facts(sql, keys, ids)}"


def _sqlite_key(by: Grouping | None) -> str:
    return "0" if by is None else f"k_{by}"


def _aggregate_sql(sql: Sql, by: Grouping | None, ids: _Ids) -> str:
    if sql.pg:
        source = _facts(sql, f"{_ticket_key(sql, by)} AS g", ids)
        pct = """,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_s), percentile_cont(0.9) WITHIN GROUP (ORDER BY wait_s),
            percentile_cont(0.5) WITHIN GROUP (ORDER BY svc_s), percentile_cont(0.9) WITHIN GROUP (ORDER BY svc_s)"""
        key = "g"
    else:
        source = f"SELECT {_sqlite_key(by)} AS g, * FROM {FACTS_TABLE}"
        pct = ""
        key = "NULLIF(g, -1)" if by in ("counter", "staff") else "g"
    return f"""
        WITH f AS ({source})
        SELECT {key}, count(*),
            sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END),
            sum(CASE WHEN status = 'no_show' THEN 1 ELSE 0 END),
            sum(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END),
            sum(CASE WHEN status = 'expired' THEN 1 ELSE 0 END),
            sum(CASE WHEN status IN ('waiting', 'called', 'serving', 'parked') THEN 1 ELSE 0 END),
            count(wait_s), avg(wait_s), max(wait_s), avg(svc_s),
            sum(CASE WHEN status = 'done' AND wait_s <= target_s THEN 1 ELSE 0 END),
            sum(CASE WHEN rating = 'very_satisfied' THEN 1 ELSE 0 END),
            sum(CASE WHEN rating = 'satisfied' THEN 1 ELSE 0 END),
            sum(CASE WHEN rating = 'not_satisfied' THEN 1 ELSE 0 END),
            sum(CASE WHEN is_priority THEN 1 ELSE 0 END),
            sum(CASE WHEN is_priority AND granted_by_id IS NOT NULL THEN 1 ELSE 0 END){pct}
        FROM f GROUP BY g
    """


PERCENTILES = (0.5, 0.9)


def _rank(p: float, offset: int) -> str:
    """The 1-based rank of the lower (offset 1) or upper (offset 2) neighbour of percentile p among n values."""
    return f"(CAST({p} * (n - 1) AS INTEGER) + {offset})"


def _percentile_terms(p: float) -> str:
    """percentile_cont(p) from ranked rows (x, rn, n): the two ranks around p·(n−1), interpolated."""
    frac = f"({p} * (n - 1) - CAST({p} * (n - 1) AS INTEGER))"
    return (f"sum(CASE WHEN rn = {_rank(p, 1)} THEN x * (1 - {frac}) ELSE 0 END) + "
            f"sum(CASE WHEN rn = {_rank(p, 2)} THEN x * {frac} ELSE 0 END)")


def _sqlite_percentiles_sql(by: Grouping | None, column: str) -> str:
    """percentile_cont(0.5) and (0.9) of ``column`` per group, without sorting every value.

    First the values are counted per group in buckets of BUCKET_S seconds (a grouping
    over few keys, cheap on SQLite); running sums of the counts say which buckets
    hold the ranks each percentile needs; only the values of those buckets are then
    ranked (row_number) and the ranks picked and interpolated. Exact, as
    percentile_cont on PostgreSQL.
    """
    bucket = f"CAST(x / {BUCKET_S} AS INTEGER)"
    wanted = " OR ".join(f"(before < {_rank(p, o)} AND {_rank(p, o)} <= before + k)"
                         for p in PERCENTILES for o in (1, 2))
    key = "NULLIF(g, -1)" if by in ("counter", "staff") else "g"
    return f"""
        WITH v AS NOT MATERIALIZED (
            SELECT {_sqlite_key(by)} AS g, {column} AS x FROM {FACTS_TABLE} WHERE {column} IS NOT NULL
        ),
        b AS (SELECT g, {bucket} AS bk, count(*) AS k FROM v GROUP BY g, bk),
        c AS (
            SELECT g, bk, k, sum(k) OVER (PARTITION BY g ORDER BY bk ROWS UNBOUNDED PRECEDING) - k AS before,
                   sum(k) OVER (PARTITION BY g) AS n
            FROM b
        ),
        need AS MATERIALIZED (SELECT g, bk, before, n FROM c WHERE {wanted}),
        r AS (
            SELECT v.g AS g, v.x AS x, need.n AS n,
                   need.before + row_number() OVER (PARTITION BY v.g, need.bk ORDER BY v.x) AS rn
            FROM v CROSS JOIN need ON need.g = v.g AND need.bk = CAST(v.x / {BUCKET_S} AS INTEGER)
        )
        SELECT {key}, {_percentile_terms(0.5)}, {_percentile_terms(0.9)} FROM r GROUP BY g
    """


def _transfers_sql(sql: Sql, by: Grouping | None, ids: _Ids) -> str:
    where = []
    if ids.service is not None:
        where.append("AND fs.id = :f_service")
    if ids.counter is not None:
        where.append("AND c.id = :f_counter")
    if ids.staff is not None:
        where.append("AND e.staff_id = :f_staff")
    return f"""
        SELECT {_event_key(sql, by)} AS g, count(*)
        FROM event e
        JOIN ticket t ON t.id = e.ticket_id
        LEFT JOIN service fs ON fs.code = {sql.json_text('e.data', 'from')}
        LEFT JOIN counter c ON c.number = e.counter_number
        WHERE e.kind = 'transferred' AND e.at >= :ev_lo AND e.at < :ev_hi
          AND t.day >= :start AND t.day <= :end {' '.join(where)}
        GROUP BY g
    """


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


def _group_figures(conn: Connection, sql: Sql, by: Grouping | None, ids: _Ids) -> dict[Any, dict[str, Any]]:
    rows: dict[Any, dict[str, Any]] = {}
    for r in sql.run(conn, _aggregate_sql(sql, by, ids)):
        g = _norm_key(r[0])
        rows[g] = dict(
            issued=r[1], served=r[2] or 0, no_show=r[3] or 0, cancelled=r[4] or 0, expired=r[5] or 0, open=r[6] or 0,
            called=r[7] or 0, wait_mean_s=_f(r[8]), wait_max_s=_f(r[9]), service_mean_s=_f(r[10]),
            within_target=r[11] or 0, very_satisfied=r[12] or 0, satisfied=r[13] or 0, not_satisfied=r[14] or 0,
            priority=r[15] or 0, priority_granted=r[16] or 0,
        )
        if sql.pg:
            rows[g].update(wait_median_s=_f(r[17]), wait_p90_s=_f(r[18]),
                           service_median_s=_f(r[19]), service_p90_s=_f(r[20]))
    if not sql.pg:
        for column, names in (("wait_s", ("wait_median_s", "wait_p90_s")),
                              ("svc_s", ("service_median_s", "service_p90_s"))):
            for g, p50, p90 in sql.run(conn, _sqlite_percentiles_sql(by, column)):
                rows[_norm_key(g)].update({names[0]: _f(p50), names[1]: _f(p90)})
    for g, n in sql.run(conn, _transfers_sql(sql, by, ids)):
        rows.setdefault(_norm_key(g), {"issued": 0})["transferred"] = n
    return rows


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


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


def _report(conn: Connection, cfg: CentreConfig, q: ReportQuery, ids: _Ids, by: Grouping,
            total: Figures, grants: list[Grant]) -> Report:
    sql = _sql(conn, cfg, q, ids)
    labels = _Labels(conn)
    groups = []
    for key, values in _group_figures(conn, sql, by, ids).items():
        text_key, vi, en, order = labels.of(by, key)
        groups.append((order, Figures(key=text_key, label=vi, label_en=en, **values)))
    groups.sort(key=lambda pair: pair[0])
    return Report(query=q, by=by, centre=cfg.centre.name, groups=[g for _, g in groups], total=total, grants=grants)


def _total(conn: Connection, cfg: CentreConfig, q: ReportQuery, ids: _Ids) -> Figures:
    values = _group_figures(conn, _sql(conn, cfg, q, ids), None, ids).get(0, {})
    return Figures(key=None, label="Tổng cộng", label_en="Total", **values)


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


def _connect(store: Store) -> Connection:
    try:
        return store.read_engine.connect()
    except DBAPIError as exc:
        raise StoreUnavailable(store.safe_url, short_reason(exc)) from exc


def build_reports(store: Store, cfg: CentreConfig, q: ReportQuery,
                  groupings: tuple[Grouping, ...] = GROUPINGS) -> dict[Grouping, Report]:
    """The report for each grouping (the total and the priority grants computed once), in one read transaction."""
    check_range(q)
    try:
        with _connect(store) as conn, conn.begin():
            ids = _resolve(conn, cfg, q)
            if conn.dialect.name == "sqlite":
                conn.execute(text(f"DROP TABLE IF EXISTS {FACTS_TABLE}"))
                sql = _sql(conn, cfg, q, ids)
                sql.run_ddl(conn, _sqlite_facts_sql(sql, groupings, ids))
            try:
                total = _total(conn, cfg, q, ids)
                grants = _grants(conn, cfg, q, ids)
                return {by: _report(conn, cfg, q, ids, by, total, grants) for by in groupings}
            finally:
                if conn.dialect.name == "sqlite":
                    conn.execute(text(f"DROP TABLE IF EXISTS {FACTS_TABLE}"))
    except DBAPIError as exc:
        raise StoreUnavailable(store.safe_url, short_reason(exc)) from exc


def build_report(store: Store, cfg: CentreConfig, q: ReportQuery, by: Grouping = "service") -> Report:
    return build_reports(store, cfg, q, (by,))[by]


def arrivals_heatmap(store: Store, cfg: CentreConfig, q: ReportQuery) -> Heatmap:
    """Tickets issued per local weekday and hour, and how many days of each weekday had tickets."""
    check_range(q)
    try:
        with _connect(store) as conn, conn.begin():
            ids = _resolve(conn, cfg, q)
            sql = _sql(conn, cfg, q, ids)
            filters = _ticket_filters(ids)
            counts = {(int(w), int(h)): int(n) for w, h, n in sql.run(conn, f"""
                SELECT {sql.iso_weekday('t.day')} AS w, {sql.local_hour('t.issued_at')} AS h, count(*)
                FROM ticket t WHERE t.day >= :start AND t.day <= :end {filters} GROUP BY w, h
            """)}
            days = {int(w): int(n) for w, n in sql.run(conn, f"""
                SELECT {sql.iso_weekday('t.day')} AS w, count(DISTINCT t.day)
                FROM ticket t WHERE t.day >= :start AND t.day <= :end {filters} GROUP BY w
            """)}
    except DBAPIError as exc:
        raise StoreUnavailable(store.safe_url, short_reason(exc)) from exc
    return Heatmap(counts=counts, days=days)


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60.0
