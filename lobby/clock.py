"""Time: stored in UTC, reasoned about in the centre's local day.

The ticket's day is the centre's local calendar day (Asia/Ho_Chi_Minh by default),
never the UTC day and never the machine's own zone: a ticket at 07:05 local is
on the same day as one at 16:59, although UTC has changed days in between for
centres east of Greenwich.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return dt.astimezone(UTC)


def at_or_now(now: datetime | None) -> datetime:
    """The moment of a change: the caller's ``now`` (tests drive the clock), or the time now; in UTC."""
    return as_utc(now) if now is not None else utcnow()


def local_day(dt: datetime, tz: ZoneInfo) -> date:
    return as_utc(dt).astimezone(tz).date()


def local(dt: datetime, tz: ZoneInfo) -> datetime:
    return as_utc(dt).astimezone(tz)
