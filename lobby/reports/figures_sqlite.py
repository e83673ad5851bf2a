"""The figures on SQLite: the facts go once into a temporary table; each grouping is then a few cheap passes
over it, and the percentiles come from histograms of distinct values (SQLite has no percentile function).
"""
from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import Connection, text

from lobby.reports.results import Grouping
from lobby.reports.sql import PERCENTILES, US, Ids, Sql, facts_sql, keys_sql, norm_key, sec


def sqlite_facts_sql(sql: Sql, groupings: tuple[Grouping, ...], ids: Ids) -> str:
    return f"CREATE TEMP TABLE report_facts AS {facts_sql(sql, keys_sql(sql, groupings), ids)}"


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
    values = {name: v or 0 for (name, _, _), v in zip(_SUMS, row, strict=True)}
    wsum, wmax, scount, ssum = (values.pop(name) for name in ("_wsum", "_wmax", "_scount", "_ssum"))
    called = values["called"]
    return {**values, "wait_max_s": sec(wmax) if called else None,
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


def sqlite_figures(conn: Connection, sql: Sql, src: str, groupings: tuple[Grouping, ...],
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
            columns: tuple[tuple[Literal["w", "s"], tuple[str, str]], ...] = (
                ("w", ("wait_median_s", "wait_p90_s")), ("s", ("service_median_s", "service_p90_s")))
            for column, names in columns:
                if one and column == "w":
                    hist = f"SELECT k_{by} AS g, w AS x, c{called} AS k FROM temp.report_fine WHERE w IS NOT NULL"
                else:
                    _drop_scratch(conn, (f"report_hist_{column}",))
                    sql.run_ddl(conn, _hist_sql(src, f"k_{by}", column))
                    hist = f"SELECT * FROM temp.report_hist_{column}"
                levels = [(out[by], hist)] + ([(whole, _rollup_sql(hist))] if i == 0 else [])
                for groups, hist in levels:
                    for g, p50, p90 in conn.execute(text(_from_hist_sql(hist))):
                        groups[g].update({names[0]: sec(p50), names[1]: sec(p90)})
    finally:
        _drop_scratch(conn)
    total = whole[0] if whole[0].get("issued") else {}
    return {by: {norm_key(g): v for g, v in groups.items()} for by, groups in out.items()}, total
