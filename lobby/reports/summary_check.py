"""Whether a stored day summary is still that day's: what the day holds now, and the basis it was built on.

Only *settled* days are stored: days with tickets, none of them still open (waiting, called,
serving, parked). The rules never change a done, absent, cancelled or expired ticket again, so a
settled day can change in two ways only: a ticket is added to it (a kiosk whose clock is behind;
once added, the day is no longer settled until that ticket is final too), or one of its done
tickets is rated late (from a phone, or the counter's panel afterwards). Ratings are only ever
added (no role may update or delete one, and one per ticket). So a day's fingerprint is

    (its number of tickets, the number of ratings of tickets numbered first_ticket … last_ticket)

where ``first_ticket`` and ``last_ticket`` are the lowest and highest ticket ids of the day when it
was summarised (a rating of another day's ticket inside that span only makes the day be worked out
again, never hides a change). It is read in the report's own snapshot before a stored day is used:
the tickets per day are counted on the narrowest index of ``ticket``, the open tickets found on
``ix_ticket_status_day``, the ratings counted on the rating's primary key, span by span. A year
costs one pass over an index of small entries, no join and no sort.

Everything else the figures depend on is the *basis*: the summary format, the schema revision
(a migration that changes tickets rebuilds every day), the centre's time zone (local hours) and
every service's target wait. A day whose basis differs is worked out from its tickets again.

What this does not see is a hand-made change to a settled day's tickets outside the rules (an
``UPDATE`` typed in psql). After one, delete that day's row of ``day_summary`` (its rows go with
it), or read the day with ``lobby report --direct``. A restored backup brings back its own
summaries with its own tickets, so they agree.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Date, bindparam, text

from lobby.config import CentreConfig
from lobby.reports.sql import Sql, norm_key
from lobby.vocabulary import OPEN_STATES

#: Bumped whenever what a summary holds, or how it is worked out, changes: every stored day is then rebuilt.
FORMAT = 1


@dataclass(frozen=True)
class DayState:
    """A day as the tickets hold it now: how many tickets, how many still open."""

    tickets: int
    open: int

    @property
    def settled(self) -> bool:
        return self.tickets > 0 and self.open == 0


@dataclass(frozen=True)
class Stored:
    """A stored day summary's fingerprint, basis and span of ticket ids."""

    fingerprint: str
    basis: str
    first_ticket: int
    last_ticket: int


def fingerprint(tickets: int, ratings: int) -> str:
    return f"{tickets}:{ratings}"


def basis(conn: Connection, cfg: CentreConfig) -> str:
    """What the figures depend on besides the day's rows: the format, the schema, the zone, the target waits."""
    targets = ",".join(f"{i}:{t}" for i, t in conn.execute(
        text("SELECT id, target_wait_min FROM service ORDER BY id")))
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    source = f"{FORMAT}|{revision}|{cfg.centre.timezone}|{targets}"
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def _open_sql(sql: Sql) -> str:
    states = ", ".join(f"'{s}'" for s in sorted(OPEN_STATES))
    index = "" if sql.pg else " INDEXED BY ix_ticket_status_day"  # SQLite would rather scan the day's entries
    return (f"SELECT t.day, count(*) FROM ticket t{index} WHERE t.status IN ({states}) "
            "AND t.day >= :start AND t.day <= :end GROUP BY t.day")


def day_states(conn: Connection, sql: Sql) -> dict[date, DayState]:
    """Every day of ``sql``'s range that has tickets: how many, and how many still open."""
    counts = sql.run(conn, "SELECT t.day, count(*) FROM ticket t WHERE t.day >= :start AND t.day <= :end "
                           "GROUP BY t.day")
    still_open = {norm_key(d): int(n) for d, n in sql.run(conn, _open_sql(sql))}
    return {norm_key(d): DayState(int(n), still_open.get(norm_key(d), 0)) for d, n in counts}


def _days(start: date, end: date) -> dict[str, Any]:
    return {"start": start, "end": end}


def stored_days(conn: Connection, start: date, end: date) -> dict[date, Stored]:
    """Every stored day summary of the range."""
    stmt = text("SELECT day, fingerprint, basis, first_ticket, last_ticket FROM day_summary "
                "WHERE day >= :start AND day <= :end").bindparams(
        bindparam("start", type_=Date()), bindparam("end", type_=Date()))
    return {norm_key(r[0]): Stored(r[1], r[2], int(r[3]), int(r[4])) for r in conn.execute(stmt, _days(start, end))}


def stored_ratings(conn: Connection, start: date, end: date) -> dict[date, int]:
    """For each stored day of the range, the ratings of tickets within its span of ids, now."""
    stmt = text("SELECT s.day, count(r.ticket_id) FROM day_summary s LEFT JOIN rating r "
                "ON r.ticket_id >= s.first_ticket AND r.ticket_id <= s.last_ticket "
                "WHERE s.day >= :start AND s.day <= :end GROUP BY s.day").bindparams(
        bindparam("start", type_=Date()), bindparam("end", type_=Date()))
    return {norm_key(d): int(n) for d, n in conn.execute(stmt, _days(start, end))}


def fresh_days(states: dict[date, DayState], stored: dict[date, Stored], ratings: dict[date, int],
               current_basis: str) -> set[date]:
    """The stored days that are still what the tickets say."""
    return {day for day, s in stored.items()
            if day in states and states[day].settled and s.basis == current_basis
            and s.fingerprint == fingerprint(states[day].tickets, ratings.get(day, 0))}


@dataclass(frozen=True)
class Span:
    """A day's tickets when it is summarised: its fingerprint and span of ids."""

    fingerprint: str
    first_ticket: int
    last_ticket: int


def day_span(conn: Connection, day: date) -> Span:
    """The fingerprint of ``day`` in the connection's snapshot (read with the facts it is built from)."""
    n, lo, hi = conn.execute(text("SELECT count(*), min(id), max(id) FROM ticket WHERE day = :d").bindparams(
        bindparam("d", type_=Date())), {"d": day}).one()
    if not n:
        return Span(fingerprint(0, 0), 0, 0)
    rated = conn.execute(text("SELECT count(*) FROM rating WHERE ticket_id >= :lo AND ticket_id <= :hi"),
                         {"lo": lo, "hi": hi}).scalar_one()
    return Span(fingerprint(int(n), int(rated)), int(lo), int(hi))
