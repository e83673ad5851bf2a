"""The figures on PostgreSQL: one pass, every grouping at once (GROUPING SETS), percentile_cont in the database."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from lobby.reports.results import Grouping
from lobby.reports.sql import US, Ids, Sql, facts_sql, grouping_levels, keys_sql, norm_key, sec

_AGGREGATES = """
            count(*) AS issued,
            sum(CASE WHEN st = 0 THEN 1 ELSE 0 END), sum(CASE WHEN st = 1 THEN 1 ELSE 0 END),
            sum(CASE WHEN st = 2 THEN 1 ELSE 0 END), sum(CASE WHEN st = 3 THEN 1 ELSE 0 END),
            sum(CASE WHEN st = 4 THEN 1 ELSE 0 END),
            count(w), sum(w), max(w), count(s), sum(s),
            sum(CASE WHEN st = 0 AND w <= tg THEN 1 ELSE 0 END),
            sum(CASE WHEN rt = 1 THEN 1 ELSE 0 END), sum(CASE WHEN rt = 2 THEN 1 ELSE 0 END),
            sum(CASE WHEN rt = 3 THEN 1 ELSE 0 END),
            sum(pr), sum(gr)"""


def _pg_sql(sql: Sql, groupings: tuple[Grouping, ...], ids: Ids) -> str:
    cols = ", ".join(f"k_{by}" for by in groupings)
    sets = ", ".join(f"(k_{by})" for by in groupings) + ", ()"
    return f"""
        WITH f AS ({facts_sql(sql, keys_sql(sql, groupings), ids)})
        SELECT GROUPING({cols}), {cols}, {_AGGREGATES},
            percentile_cont(0.5) WITHIN GROUP (ORDER BY w), percentile_cont(0.9) WITHIN GROUP (ORDER BY w),
            percentile_cont(0.5) WITHIN GROUP (ORDER BY s), percentile_cont(0.9) WITHIN GROUP (ORDER BY s)
        FROM f GROUP BY GROUPING SETS ({sets})
    """


def pg_figures(conn: Connection, sql: Sql, groupings: tuple[Grouping, ...],
                ids: Ids) -> dict[Grouping | None, dict[Any, dict[str, Any]]]:
    """GROUPING() tells the rows apart: a bit per key column, set when the row's grouping does not use it."""
    out: dict[Grouping | None, dict[Any, dict[str, Any]]] = {by: {} for by in (*groupings, None)}
    n = len(groupings)
    level = grouping_levels(groupings)
    for r in sql.run(conn, _pg_sql(sql, groupings, ids)):
        by = level[r[0]]
        key = 0 if by is None else r[1 + groupings.index(by)]
        values = _values(r[1 + n:18 + n])
        values.update(wait_median_s=sec(r[18 + n]), wait_p90_s=sec(r[19 + n]),
                      service_median_s=sec(r[20 + n]), service_p90_s=sec(r[21 + n]))
        out[by][norm_key(key)] = values
    return out


def _values(r: Any) -> dict[str, Any]:
    """The counts; the means as the exact sums divided in Python (as on SQLite: the same to the last bit)."""
    called, timed = r[6] or 0, r[9] or 0
    return dict(
        issued=r[0], served=r[1] or 0, no_show=r[2] or 0, cancelled=r[3] or 0, expired=r[4] or 0, open=r[5] or 0,
        called=called, wait_mean_s=int(r[7]) / called / US if called else None, wait_max_s=sec(r[8]),
        service_mean_s=int(r[10]) / timed / US if timed else None,
        within_target=r[11] or 0, very_satisfied=r[12] or 0, satisfied=r[13] or 0, not_satisfied=r[14] or 0,
        priority=r[15] or 0, priority_granted=r[16] or 0,
    )
