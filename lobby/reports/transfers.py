"""Transfers made by each group, counted from the ``transferred`` event rows (not the tickets)."""
from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection

from lobby.reports.results import Grouping
from lobby.reports.sql import Ids, Sql, event_key, grouping_levels, keys_sql, norm_key, ticket_filters
from lobby.vocabulary import EventKind


def _transfer_rows(sql: Sql, groupings: tuple[Grouping, ...], ids: Ids) -> str:
    """One row per transfer event of the range, with the keys of the group that made it."""
    return f"""
        SELECT {keys_sql(sql, groupings, event_key)}
        FROM event e
        JOIN ticket t ON t.id = e.ticket_id
        LEFT JOIN service fs ON fs.code = {sql.json_text('e.data', 'from')}
        LEFT JOIN counter c ON c.number = e.counter_number
        WHERE e.kind = '{EventKind.TRANSFERRED}' AND e.at >= :ev_lo AND e.at < :ev_hi
          AND t.day >= :start AND t.day <= :end {ticket_filters(ids, ("fs.id", "c.id", "e.staff_id"))}
    """


def transfers_by_group(
    conn: Connection, sql: Sql, groupings: tuple[Grouping, ...], ids: Ids,
) -> dict[Grouping | None, dict[Any, int]]:
    """Transfers per group of each grouping (key 0 under None: all of them); events are few, the index finds them.

    Not kept in the day summaries: a busy year has some ten thousand, read in a fraction of a second.
    """
    rows = _transfer_rows(sql, groupings, ids)
    out: dict[Grouping | None, dict[Any, int]] = {}
    if sql.pg:  # one pass, as for the tickets
        level = grouping_levels(groupings)
        cols = ", ".join(f"k_{by}" for by in groupings)
        sets = ", ".join(f"(k_{by})" for by in groupings) + ", ()"
        out = {by: {} for by in (*groupings, None)}
        for r in sql.run(conn,
                         f"SELECT GROUPING({cols}), {cols}, count(*) FROM ({rows}) x GROUP BY GROUPING SETS ({sets})"):
            by = level[r[0]]
            out[by][norm_key(0 if by is None else r[1 + groupings.index(by)])] = int(r[-1])
        return out
    # SQLite: the rows once (each is a jump into event and ticket), counted per grouping here
    found = sql.run(conn, f"SELECT {', '.join(f'k_{by}' for by in groupings) or '0'} FROM ({rows}) x")
    out[None] = {0: len(found)} if found else {}
    for i, by in enumerate(groupings):
        out[by] = dict(Counter(norm_key(r[i]) for r in found))
    return out
