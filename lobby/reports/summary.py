"""A year's report in seconds: settled days are read from their day summaries, every other day from its tickets.

The direct computation (``lobby.reports.figures``) reads every ticket of the range, joins its
rating and sorts every wait once per grouping: about a million tickets for a busy centre's
year. Most of those days never change again, so their figures are kept per day and added up.

What is kept (``lobby.store.models.reports``, migration 0010), per local day:

- ``day_summary_group``: per grouping (service = origin service, counter, official, local hour
  of issue) and group, what the figures add up: tickets by outcome, called, within target,
  ratings by value, priority and granted, the sums of waits and service times and their
  maxima (whole microseconds, as ``ticket.wait_us`` / ``service_us``). A day's own figures are
  its hour rows added up; the whole range's are the days' rows added up.
- ``day_summary_values``: per grouping, every wait and service time, sorted per group and
  compressed (``lobby.reports.summary_values``, a few bytes a value). Percentiles stay
  **exact**, to the last bit: they are the same order statistics the direct computation ranks,
  interpolated with the same arithmetic as that store's ``percentile_cont``. A histogram of
  buckets would have been smaller but approximate; the values of a year are read and ranked
  in a fraction of a second (a radix sort on the group, then a selection per group, in numpy).
- ``day_summary``: the day's fingerprint, span of ticket ids and basis (below).

Freshness: a stored day is used only when, in the report's own snapshot, the day is still what
it was when it was summarised (``lobby.reports.summary_check``): only settled days are stored
(every ticket done, absent, cancelled or expired, which the rules never change again), and the
day still has the same number of tickets, none open, the same number of ratings (the only thing
a settled day can still gain, and ratings are never changed or deleted), the same time zone,
target waits and schema. The check reads no ticket row: an index pass counting tickets per day,
the open tickets on their own index, the ratings counted on their key. Every other day with
tickets — today, a day with tickets still open, a day changed since (a late rating from a phone,
a ticket expired at the close of day or added by a kiosk whose clock is behind, a basis changed),
a day never summarised — is worked out from its tickets in the same snapshot, with the same SQL
as the direct computation (``lobby.reports.summary_parts``), so a report is always what the
tickets say now.

When days are stored: a report that had to work out a settled day before today stores it
afterwards (``store_new``), a few days per short transaction, so the next report reads it;
``summarise`` does the same for a range without a report, and ``summarise_closed_days`` after
``lobby close-day`` (the day just closed included). Today is never stored by a report, so the
live pages that report today all day write nothing. A role that may not write them (the
display's) still gets exact reports, only slower.

Not summarised: a report filtered by service, counter or official reads the tickets (the day
rows are per grouping, not per combination of them); transfers are counted from their few
``event`` rows and the priority grants from the partial priority index, as in the direct
computation, for every report.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, text

from lobby.clock import local_day, utcnow
from lobby.config import CentreConfig
from lobby.reports.results import Grouping
from lobby.reports.sql import US, Sql, sec, snapshot
from lobby.reports.summary_check import (
    DayState,
    Span,
    basis,
    day_span,
    day_states,
    fresh_days,
    stored_days,
    stored_ratings,
)
from lobby.reports.summary_parts import NO_KEY, STORED, SUMMED, DayPart, GroupRow, day_part, range_facts
from lobby.reports.summary_store import (
    Window,
    day_rows,
    group_rows,
    hour_counts,
    keep,
    value_runs,
)
from lobby.reports.summary_values import Runs, join, percentile_of, percentiles
from lobby.store.engine import Store

__all__ = ["RangeFigures", "range_figures", "store_new", "summarise", "summarise_closed_days"]

Values = dict[str, Any]
_BATCH_DAYS = 31


@dataclass
class RangeFigures:
    """The figures of a range as the direct computation gives them, the heat map's counts, and the days to store."""

    by_grouping: dict[Grouping, dict[Any, Values]]
    total: Values
    hours: dict[tuple[date, int], int]
    new: list[tuple[DayPart, Span]] = field(default_factory=list)
    basis: str = ""


def _today(cfg: CentreConfig) -> date:
    return local_day(utcnow(), cfg.tz)


def _copy(row: GroupRow) -> GroupRow:
    return GroupRow(list(row.sums), list(row.maxima))


def _add(into: dict[Any, GroupRow], key: Any, row: GroupRow) -> None:
    if key in into:
        into[key].add(row)
    else:
        into[key] = _copy(row)


def _day_row(part: DayPart) -> GroupRow | None:
    rows = list(part.groups["hour"].values())
    if not rows:
        return None
    out = _copy(rows[0])
    for row in rows[1:]:
        out.add(row)
    return out


class _Range:
    """The stored days a report may use and the days it works out from the tickets, read in one snapshot."""

    def __init__(self, conn: Connection, cfg: CentreConfig, start: date, end: date) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"
        self.states: dict[date, DayState] = day_states(conn, Sql(conn.dialect.name, cfg, start, end))
        self.basis = basis(conn, cfg)
        stored = stored_days(conn, start, end)
        fresh = fresh_days(self.states, stored, stored_ratings(conn, start, end) if stored else {}, self.basis)
        self.window = Window(start, end, stored, fresh)
        self.parts = self._work_out(cfg, [d for d in sorted(self.states) if d not in fresh], fresh)
        self._rows: dict[Grouping, dict[Any, GroupRow]] = {}

    def _work_out(self, cfg: CentreConfig, days: list[date], fresh: set[date]) -> list[DayPart]:
        """The parts of ``days`` from their tickets: one query per run of them with no fresh day between (a month
        at most), not one per day."""
        parts: list[DayPart] = []
        runs: list[list[date]] = []
        for day in days:
            run = runs[-1] if runs else None
            if (run is None or (day - run[0]).days >= _BATCH_DAYS
                    or any(run[-1] < f < day for f in fresh)):
                runs.append([day])
            else:
                run.append(day)
        if self.pg:  # a day's query is small: parallel workers would cost more than they give
            self.conn.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        for run in runs:
            facts = range_facts(self.conn, Sql(self.conn.dialect.name, cfg, run[0], run[-1]))
            parts += [day_part(day, facts[day]) for day in run if day in facts]
        if self.pg:
            self.conn.execute(text("SET LOCAL max_parallel_workers_per_gather TO DEFAULT"))
        return parts

    def new(self, before: date) -> list[tuple[DayPart, Span]]:
        """The days worked out here that may be stored (settled, before ``before``), with their fingerprints."""
        return [(p, day_span(self.conn, p.day)) for p in self.parts
                if p.day < before and self.states[p.day].settled]

    def rows(self, by: Grouping) -> dict[Any, GroupRow]:
        """Each group's row added up over the range (read once per grouping)."""
        if by not in self._rows:
            self._rows[by] = self._day_rows() if by == "day" else self._group_rows(by)
        return self._rows[by]

    def _day_rows(self) -> dict[Any, GroupRow]:
        out: dict[Any, GroupRow] = day_rows(self.conn, self.window)
        for part in self.parts:
            row = _day_row(part)
            if row is not None:
                _add(out, part.day, row)
        return out

    def _group_rows(self, by: Grouping) -> dict[Any, GroupRow]:
        out = group_rows(self.conn, self.window, by)
        for part in self.parts:
            for key, row in part.groups[by].items():
                _add(out, key, row)
        return out

    def runs(self, by: Grouping) -> list[tuple[date, Runs, Runs]]:
        return value_runs(self.conn, self.window, by) + [(p.day, p.waits[by], p.services[by]) for p in self.parts]

    def hours(self) -> dict[tuple[date, int], int]:
        out = hour_counts(self.conn, self.window)
        for part in self.parts:
            for hour, row in part.groups["hour"].items():
                out[(part.day, hour)] = row.sums[0]
        return out


def _percentiles(runs: Sequence[tuple[date, Runs, Runs]], which: int, by: Grouping | None,
                 pg: bool) -> dict[Any, tuple[float, ...]]:
    """The percentiles of every wait (``which`` 1) or service time (2) of the runs, per group, per day (a day's
    runs hold all its values), or of all of them (key 0)."""
    chosen = [r[1] if which == 1 else r[2] for r in runs]
    if by == "day":
        return {day: percentile_of(c.values, pg=pg) for (day, *_), c in zip(runs, chosen, strict=True) if c.size}
    if by is None:
        every = np.concatenate([c.values for c in chosen]) if chosen else np.zeros(0, dtype=np.int64)
        return {0: percentile_of(every, pg=pg)} if len(every) else {}
    return percentiles(*join(chosen), pg=pg)


def _key(by: Grouping | None, key: Any) -> Any:
    if by in ("counter", "staff") and key == NO_KEY:
        return None
    return key


def _values(row: GroupRow, waits: tuple[float, ...] | None, services: tuple[float, ...] | None) -> Values:
    """A group's figures as the direct computation names them (times in seconds)."""
    sums = dict(zip(SUMMED, row.sums, strict=True))
    wait_max, _ = row.maxima
    called, timed = sums["called"], sums["service_count"]
    out: Values = {name: sums[name] for name in SUMMED if name not in ("wait_sum", "service_count", "service_sum")}
    w = waits or (None, None)
    s = services or (None, None)
    out.update(wait_mean_s=sums["wait_sum"] / called / US if called else None, wait_max_s=sec(wait_max),
               service_mean_s=sums["service_sum"] / timed / US if timed else None,
               wait_median_s=sec(w[0]), wait_p90_s=sec(w[1]), service_median_s=sec(s[0]), service_p90_s=sec(s[1]))
    return out


def _grouping(found: _Range, by: Grouping | None, runs: Sequence[tuple[date, Runs, Runs]]) -> dict[Any, Values]:
    if by is None:
        rows: dict[Any, GroupRow] = {}
        for row in found.rows("day").values():
            _add(rows, 0, row)
    else:
        rows = found.rows(by)
    waits = _percentiles(runs, 1, by, found.pg)
    services = _percentiles(runs, 2, by, found.pg)
    return {_key(by, k): _values(row, waits.get(k), services.get(k)) for k, row in rows.items()}


def range_figures(conn: Connection, cfg: CentreConfig, start: date, end: date, groupings: tuple[Grouping, ...],
                  *, heat: bool = False) -> RangeFigures:
    """Every grouping's figures and the total over ``start``–``end`` (whole local days, no filter), in the
    connection's snapshot: stored days where they are fresh, the tickets for the rest."""
    found = _Range(conn, cfg, start, end)
    hours = found.hours() if heat else {}
    if not groupings:
        return RangeFigures({}, {}, hours, found.new(_today(cfg)), found.basis)
    kept = [by for by in groupings if by in STORED]
    base: Grouping = kept[0] if kept else "hour"  # any stored grouping holds every value once: days and total
    runs = {by: found.runs(by) for by in dict.fromkeys([*kept, base])}
    by_grouping = {by: _grouping(found, by, runs[base if by == "day" else by]) for by in groupings}
    total = _grouping(found, None, runs[base]).get(0, {})
    if not total.get("issued"):
        total = {}
    return RangeFigures(by_grouping, total, hours, found.new(_today(cfg)), found.basis)


def store_new(store: Store, found: RangeFigures, at: datetime | None = None) -> int:
    """Store the settled days a report had to work out from their tickets; how many were stored."""
    return keep(store, found.new, found.basis, at or utcnow())


def summarise(store: Store, cfg: CentreConfig, start: date, end: date, *, until: date | None = None) -> int:
    """Store the summary of every settled day of ``start``–``end`` (up to ``until``, default yesterday) that
    has none or a stale one; how many were stored. A month at a time: one short snapshot each."""
    last = min(end, until if until is not None else _today(cfg) - timedelta(days=1))
    stored = 0
    while start <= last:
        stop = min(last, start + timedelta(days=_BATCH_DAYS - 1))
        with snapshot(store.read_engine.connect()) as conn, conn.begin():
            found = _Range(conn, cfg, start, stop)
            new = found.new(stop + timedelta(days=1))
        stored += keep(store, new, found.basis, utcnow())
        start = stop + timedelta(days=1)
    return stored


def summarise_closed_days(store: Store, cfg: CentreConfig, *, now: datetime | None = None) -> int:
    """After ``lobby close-day``: store the days it closed (today, and any earlier day it expired tickets of in
    the last weeks), so that tomorrow's reports read them."""
    today = local_day(now or utcnow(), cfg.tz)
    return summarise(store, cfg, today - timedelta(days=_BATCH_DAYS - 1), today, until=today)
