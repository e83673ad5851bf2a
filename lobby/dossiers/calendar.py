"""Working days: the centre's opening weekdays, minus configured public holidays, plus make-up days.

A promise of "N working days" counts the working days after the day a dossier is
received (that day itself is not counted, as on the one-stop receipts): a dossier
received on Friday with 3 working days is promised for Wednesday, and a public holiday
on Monday pushes it to Thursday.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from lobby.clock import as_utc

MAX_WORKING_DAYS = 366  # no promise is further away than this; a bad config cannot loop forever


@dataclass(frozen=True)
class WorkingCalendar:
    """``weekdays`` as ISO numbers (1 = Monday … 7 = Sunday)."""

    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, weekdays: Iterable[int], holidays: Iterable[date] = (),
           extra_days: Iterable[date] = ()) -> WorkingCalendar:
        return cls(frozenset(weekdays), frozenset(holidays), frozenset(extra_days))

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_days:
            return True
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0 and it is a working day,
        else the next working day)."""
        if days < 0:
            raise ValueError("days must be 0 or more")
        day = start
        if days == 0:
            return self.next_working_day(start)
        counted = 0
        for _ in range(MAX_WORKING_DAYS * 2):
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
                if counted == days:
                    return day
        raise ValueError(f"no {days} working days within {MAX_WORKING_DAYS * 2} days of {start}; check the holidays")

    def next_working_day(self, start: date) -> date:
        day = start
        for _ in range(MAX_WORKING_DAYS * 2):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError(f"no working day within {MAX_WORKING_DAYS * 2} days of {start}; check the holidays")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
        n, day = 0, start
        while day < end:
            day += timedelta(days=1)
            n += self.is_working_day(day)
        return n


def promise_after(received_at: datetime, days: int, calendar: WorkingCalendar, tz: ZoneInfo,
                  due_time: time | None) -> datetime:
    """The promised moment: ``days`` working days after the local day of ``received_at``, at ``due_time``
    (or at the clock time it was received when no due time is configured). Aware, in UTC."""
    local = as_utc(received_at).astimezone(tz)
    day = calendar.add_working_days(local.date(), days)
    at = due_time or local.time().replace(second=0, microsecond=0)
    promised = datetime.combine(day, at, tzinfo=tz)
    if promised <= local:  # 0 days, received after the due time: the next working day
        promised = datetime.combine(calendar.add_working_days(day, 1), at, tzinfo=tz)
    return promised.astimezone(UTC)
