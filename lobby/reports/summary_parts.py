"""A day's summary worked out from its tickets: what each group adds up, and its waits and service times.

The tickets' facts are read with the reports' own SQL (``lobby.reports.sql.facts_sql``: the same
status and rating codes, target and local hour), so a day summarised here adds up to exactly what
the direct computation counts for it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from lobby.reports.results import GROUPINGS, Grouping
from lobby.reports.sql import Ids, Sql, facts_sql, keys_sql
from lobby.reports.summary_values import Ints, Runs

#: The groupings kept per day; a day's own figures are its hour rows added up, the whole range's any grouping's.
STORED: tuple[Grouping, ...] = ("service", "counter", "staff", "hour")
#: The figures of a group row that add up over days, then the two that take the largest.
SUMMED = ("issued", "served", "no_show", "cancelled", "expired", "open", "called", "within_target",
          "very_satisfied", "satisfied", "not_satisfied", "priority", "priority_granted",
          "wait_sum", "service_count", "service_sum")
MAXED = ("wait_max", "service_max")
NO_KEY = -1  # the group of tickets at no counter / with no official (a key column of the primary key is never NULL)
_NONE = np.iinfo(np.int64).min


@dataclass
class GroupRow:
    """One group's figures on one day (or added up over days): SUMMED as integers, MAXED (None: no value)."""

    sums: list[int]
    maxima: list[int | None]

    def add(self, other: GroupRow) -> None:
        self.sums = [a + b for a, b in zip(self.sums, other.sums, strict=True)]
        self.maxima = [b if a is None else a if b is None else max(a, b)
                       for a, b in zip(self.maxima, other.maxima, strict=True)]


@dataclass
class DayPart:
    """One day's summary: group rows and the values' runs per stored grouping."""

    day: date
    groups: dict[Grouping, dict[int, GroupRow]] = field(default_factory=dict)
    waits: dict[Grouping, Runs] = field(default_factory=dict)
    services: dict[Grouping, Runs] = field(default_factory=dict)


#: The facts of ``facts_sql`` as integers only: a missing key is NO_KEY, a missing time 0 beside a flag.
_FACTS = (f"coalesce(k_service, {NO_KEY})", f"coalesce(k_counter, {NO_KEY})", f"coalesce(k_staff, {NO_KEY})", "k_hour",
          "st", "rt", "pr", "gr", "CASE WHEN w IS NULL THEN 0 ELSE 1 END", "coalesce(w, 0)",
          "CASE WHEN s IS NULL THEN 0 ELSE 1 END", "coalesce(s, 0)", "tg")


def range_facts(conn: Any, sql: Sql) -> dict[date, Ints]:
    """Every ticket of ``sql``'s days as a row of integers, per day: the keys of the stored groupings and what
    the figures need (``facts_sql``: the direct computation's own codes, target and local hour). One query."""
    keys = keys_sql(sql, GROUPINGS)
    rows = sql.tuples(conn, f"SELECT {sql.day_ordinal('k_day')}, {', '.join(_FACTS)} "
                            f"FROM ({facts_sql(sql, keys, Ids())}) f")
    table = np.array(rows, dtype=np.int64).reshape(len(rows), len(_FACTS) + 1)
    table = table[np.argsort(table[:, 0], kind="stable")]
    days, starts = np.unique(table[:, 0], return_index=True)
    ends = [*starts[1:].tolist(), len(table)]
    return {date.fromordinal(int(d)): table[a:b, 1:] for d, a, b in zip(days.tolist(), starts.tolist(), ends,
                                                                           strict=True)}


def day_part(day: date, facts: Ints) -> DayPart:
    """The summary of one day from its facts (``range_facts``)."""
    part = DayPart(day)
    if not len(facts):
        for by in STORED:
            part.groups[by], part.waits[by], part.services[by] = {}, Runs.empty(), Runs.empty()
        return part
    service, counter, staff, hour, st, rt, pr, gr, has_w, w, has_s, s, tg = facts.T
    keys = {"service": service, "counter": counter, "staff": staff, "hour": hour}
    called, timed = has_w.astype(bool), has_s.astype(bool)
    per_ticket = np.stack([
        np.ones(len(facts), dtype=np.int64), st == 0, st == 1, st == 2, st == 3, st == 4, called,
        (st == 0) & called & (w <= tg), rt == 1, rt == 2, rt == 3, pr, gr, w, timed, s,
    ], axis=1).astype(np.int64)
    waits, services = np.where(called, w, _NONE), np.where(timed, s, _NONE)
    for by in STORED:
        k = keys[by]
        uk, inv, counts = np.unique(k, return_inverse=True, return_counts=True)
        order = np.argsort(inv, kind="stable")
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        sums = np.add.reduceat(per_ticket[order], starts, axis=0)
        maxima = [np.maximum.reduceat(waits[order], starts), np.maximum.reduceat(services[order], starts)]
        part.groups[by] = {
            int(key): GroupRow(sums[i].tolist(), [None if m[i] == _NONE else int(m[i]) for m in maxima])
            for i, key in enumerate(uk.tolist())
        }
        part.waits[by] = Runs.of(k[called], w[called])
        part.services[by] = Runs.of(k[timed], s[timed])
    return part
