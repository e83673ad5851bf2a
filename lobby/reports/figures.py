"""Reports for the manager (PAR Index, SIPAS): waits, service times, targets, ratings, busy hours.

Every figure is worked out from the tickets of a range of the centre's local days
(``ticket.day``). There are two ways to the same figures, to the last bit:

- *Direct* (``direct=True``, ``lobby report --direct``, and every report filtered by service,
  counter or official): grouped and with percentiles in SQL, over every ticket of the range;
  only one row per group (a row per group on PostgreSQL, a few on SQLite) comes back to Python.
- *Day summaries* (every other report): the settled days of the range are read from their
  stored day summaries, the other days (today, days with tickets still open, days changed
  since they were summarised) from their tickets, and the days are added up. How they are
  kept exact and never stale: ``lobby.reports.summary``. A year costs about 260 days of rows
  (and the year's waits, kept compactly for the percentiles) instead of a million tickets.

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
  its outcome is also counted under its final status. Counted from the events on both paths.
- Waiting time: first call − issue, over every ticket that was called. Service time:
  finish − start, over served tickets (after a transfer, the last service only). Both
  are read from ``ticket.wait_us`` / ``ticket.service_us``: whole microseconds kept by
  the queue rules when the ticket is first called / finished (migration 0003 worked
  them out for older tickets), so the reports count and rank integers and never
  subtract a million times. Means are the exact sums divided once, in Python. Exact on both stores.
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
  temporary table that they all read. The day summaries keep every value, so their
  percentiles are the same order statistics, interpolated with the same arithmetic.
- Local hours: PostgreSQL converts with ``AT TIME ZONE`` and the zone's name. SQLite
  knows no time zones, so the zone's UTC offset is worked out in Python for the
  report's range (``offset_pieces``) and written into the query as a fixed offset
  in minutes, one piece per offset in force during the range (Asia/Ho_Chi_Minh has
  one: +07:00, no daylight saving), added to the clock part of the stored UTC time.
- A range of days is read from ``ix_ticket_report`` (every column a report needs) and
  the priority grants from the partial ``ix_ticket_priority_day``, on both paths.
- One report is one snapshot of the store (``REPEATABLE READ`` on PostgreSQL, one read
  transaction on SQLite): its groups, total, transfers, grants and heat map agree.
"""
from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, OperationalError

from lobby.config import CentreConfig
from lobby.errors import LobbyError, StoreUnavailable, UnknownCounter, UnknownService, UnknownStaff
from lobby.i18n import weekday_name
from lobby.reports.figures_pg import pg_figures
from lobby.reports.figures_sqlite import sqlite_facts_sql, sqlite_figures
from lobby.reports.results import (
    GROUPINGS,
    MAX_DAYS,
    Figures,
    Grant,
    Grouping,
    Heatmap,
    Report,
    ReportQuery,
    ReportRangeError,
    check_range,
)
from lobby.reports.sql import (
    FACTS_TABLE,
    Ids,
    Sql,
    facts_sql,
    keys_sql,
    offset_pieces,
    snapshot,
    ticket_filters,
    utc_bounds,
)
from lobby.reports.transfers import transfers_by_group
from lobby.store.engine import Store, short_reason

__all__ = [
    "GROUPINGS", "MAX_DAYS", "Figures", "Grant", "Grouping", "Heatmap", "LobbyError", "Report", "ReportQuery",
    "ReportRangeError", "arrivals_heatmap", "build_report", "build_reports", "check_range", "offset_pieces",
    "report_bundle", "utc_bounds",
]


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
            vi, en = f"{weekday_name(d)} {d:%d/%m/%Y}", f"{weekday_name(d, 'en')[:3]} {d.isoformat()}"
            return d.isoformat(), vi, en, (0, d)
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


def _resolve(conn: Connection, cfg: CentreConfig, q: ReportQuery) -> Ids:
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
    return Ids(service, counter, staff)


def _sql(conn: Connection, cfg: CentreConfig, q: ReportQuery, ids: Ids) -> Sql:
    sql = Sql(conn.dialect.name, cfg, q.start, q.end)
    for name, value in (("f_service", ids.service), ("f_counter", ids.counter), ("f_staff", ids.staff)):
        if value is not None:
            sql.add(name, value)
    return sql


def _figures(conn: Connection, sql: Sql, groupings: tuple[Grouping, ...],
             ids: Ids) -> tuple[dict[Grouping, dict[Any, dict[str, Any]]], dict[str, Any]]:
    """Values of every group of every grouping, and of the whole range, computed directly from the tickets."""
    if sql.pg:
        # The percentiles sort in memory rather than on disk for a year of tickets.
        conn.execute(text("SET LOCAL work_mem = '256MB'"))
        found = pg_figures(conn, sql, groupings, ids)
        total = found.pop(None).get(0, {})
        by_grouping: dict[Grouping, dict[Any, dict[str, Any]]] = {by: found[by] for by in groupings}
    else:
        # One grouping reads the tickets where they are; several share one pass into a temporary table.
        shared = len(groupings) > 1
        src = FACTS_TABLE if shared else f"({facts_sql(sql, keys_sql(sql, groupings), ids)}) f"
        conn.execute(text(f"DROP TABLE IF EXISTS {FACTS_TABLE}"))
        try:
            if shared:
                sql.run_ddl(conn, sqlite_facts_sql(sql, groupings, ids))
            by_grouping, total = sqlite_figures(conn, sql, src, groupings)
        finally:
            conn.execute(text(f"DROP TABLE IF EXISTS {FACTS_TABLE}"))
    return by_grouping, total


def _add_transfers(conn: Connection, sql: Sql, groupings: tuple[Grouping, ...], ids: Ids,
                   by_grouping: dict[Grouping, dict[Any, dict[str, Any]]], total: dict[str, Any]) -> dict[str, Any]:
    """Transfers made by each group (from the event rows, on either path); the total with its own."""
    transfers = transfers_by_group(conn, sql, groupings, ids)
    for by in groupings:
        for key, n in transfers[by].items():
            by_grouping[by].setdefault(key, {"issued": 0})["transferred"] = n
    return {**total, "transferred": transfers[None].get(0, 0)}


def _grants(conn: Connection, cfg: CentreConfig, q: ReportQuery, ids: Ids) -> list[Grant]:
    sql = _sql(conn, cfg, q, ids)
    rows = sql.run(conn, f"""
        SELECT t.priority_group, st.username, st.full_name, count(*)
        FROM ticket t LEFT JOIN staff st ON st.id = t.granted_by_id
        WHERE t.day >= :start AND t.day <= :end AND t.is_priority {ticket_filters(ids)}
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
        return snapshot(store.read_engine.connect())
    except DBAPIError as exc:
        _reraise(store, exc)


def _direct_heatmap(conn: Connection, sql: Sql, ids: Ids) -> Heatmap:
    """Tickets per day and hour (one pass), then per weekday and hour, and days per weekday."""
    per_day = f"""
        SELECT t.day AS d, {sql.local_hour('t.issued_at')} AS h, count(*) AS n
        FROM ticket t WHERE t.day >= :start AND t.day <= :end {ticket_filters(ids)} GROUP BY t.day, h
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
    return Heatmap(counts=counts, days=days)


def _heatmap_of(hours: dict[tuple[date, int], int]) -> Heatmap:
    """The heat map from tickets issued per day and local hour."""
    counts: dict[tuple[int, int], int] = {}
    seen: dict[int, set[date]] = {}
    for (day, hour), n in hours.items():
        if n:
            counts[(day.isoweekday(), hour)] = counts.get((day.isoweekday(), hour), 0) + n
            seen.setdefault(day.isoweekday(), set()).add(day)
    return Heatmap(counts=counts, days={w: len(d) for w, d in seen.items()})


def report_bundle(store: Store, cfg: CentreConfig, q: ReportQuery, groupings: tuple[Grouping, ...] = GROUPINGS, *,
                  heat: bool = True, direct: bool = False) -> tuple[dict[Grouping, Report], Heatmap | None]:
    """The report of each grouping and (``heat``) the arrivals heat map, from one snapshot of the store.

    Whole-centre reports add up the stored day summaries of settled days and work out the other
    days from their tickets (``lobby.reports.summary``); a filtered report, or ``direct``, computes
    everything from the tickets. Both give the same figures.
    """
    check_range(q)
    found = None
    heatmap = None
    try:
        with _connect(store) as conn, conn.begin():
            ids = _resolve(conn, cfg, q)
            sql = _sql(conn, cfg, q, ids)
            if direct or ids != Ids():
                by_grouping, total_values = _figures(conn, sql, groupings, ids) if groupings else ({}, {})
                heatmap = _direct_heatmap(conn, sql, ids) if heat else None
            else:
                from lobby.reports.summary import range_figures  # numpy: loaded by the first report, not at start

                found = range_figures(conn, cfg, q.start, q.end, groupings, heat=heat)
                by_grouping, total_values = found.by_grouping, found.total
                heatmap = _heatmap_of(found.hours) if heat else None
            grants: list[Grant] = []
            if groupings:
                total_values = _add_transfers(conn, sql, groupings, ids, by_grouping, total_values)
                grants = _grants(conn, cfg, q, ids)
            labels = _Labels(conn)
    except DBAPIError as exc:
        _reraise(store, exc)
    if found is not None:
        from lobby.reports.summary import store_new

        store_new(store, found)
    total = Figures(key=None, label="Tổng cộng", label_en="Total", **total_values)
    reports = {}
    for by in groupings:
        groups = []
        for key, values in by_grouping[by].items():
            text_key, vi, en, order = labels.of(by, key)
            groups.append((order, Figures(key=text_key, label=vi, label_en=en, **values)))
        groups.sort(key=lambda pair: pair[0])
        reports[by] = Report(query=q, by=by, centre=cfg.centre.name, groups=[g for _, g in groups], total=total,
                             grants=grants)
    return reports, heatmap


def build_reports(store: Store, cfg: CentreConfig, q: ReportQuery, groupings: tuple[Grouping, ...] = GROUPINGS, *,
                  direct: bool = False) -> dict[Grouping, Report]:
    """The report for each grouping, in one read transaction (see ``report_bundle``)."""
    return report_bundle(store, cfg, q, groupings, heat=False, direct=direct)[0]


def build_report(store: Store, cfg: CentreConfig, q: ReportQuery, by: Grouping = "service", *,
                 direct: bool = False) -> Report:
    return build_reports(store, cfg, q, (by,), direct=direct)[by]


def arrivals_heatmap(store: Store, cfg: CentreConfig, q: ReportQuery, *, direct: bool = False) -> Heatmap:
    """Tickets issued per local weekday and hour, and how many days of each weekday had tickets."""
    heatmap = report_bundle(store, cfg, q, (), direct=direct)[1]
    assert heatmap is not None
    return heatmap
