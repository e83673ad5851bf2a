"""Working-day arithmetic: weekends, public holidays, make-up Saturdays, and the promise's local time."""
from __future__ import annotations

from datetime import UTC, date, time

import pytest
from dossier_support import VN, vn

from lobby.dossiers.calendar import WorkingCalendar, promise_after

CAL = WorkingCalendar.of([1, 2, 3, 4, 5], [date(2026, 9, 1), date(2026, 9, 2)], [date(2026, 9, 5)])


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert CAL.is_working_day(date(2026, 8, 31))  # Monday
    assert not CAL.is_working_day(date(2026, 9, 1))  # holiday (Tuesday)
    assert not CAL.is_working_day(date(2026, 9, 2))  # National Day
    assert not CAL.is_working_day(date(2026, 9, 6))  # Sunday
    assert CAL.is_working_day(date(2026, 9, 5))  # a make-up Saturday


@pytest.mark.parametrize(("start", "days", "expected"), [
    (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 → Monday
    (date(2026, 11, 27), 3, date(2026, 12, 2)),  # Friday + 3 → Wednesday
    (date(2026, 11, 28), 1, date(2026, 11, 30)),  # received on a Saturday: Monday is the first day
    (date(2026, 8, 28), 1, date(2026, 8, 31)),
    (date(2026, 8, 28), 2, date(2026, 9, 3)),  # over the National Day holidays
    (date(2026, 8, 28), 3, date(2026, 9, 4)),
    (date(2026, 8, 28), 4, date(2026, 9, 5)),  # the make-up Saturday counts
    (date(2026, 8, 28), 5, date(2026, 9, 7)),
    (date(2026, 11, 30), 10, date(2026, 12, 14)),
    (date(2026, 11, 29), 0, date(2026, 11, 30)),  # 0 days on a Sunday: the next working day
    (date(2026, 11, 30), 0, date(2026, 11, 30)),
])
def test_add_working_days(start: date, days: int, expected: date) -> None:
    assert CAL.add_working_days(start, days) == expected
    if days:
        assert CAL.working_days_between(start, expected) == days


def test_a_calendar_with_no_working_day_says_so_instead_of_looping() -> None:
    with pytest.raises(ValueError, match="no 1 working days"):
        WorkingCalendar.of([]).add_working_days(date(2026, 1, 1), 1)
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 1, 1), -1)


def test_promise_is_reckoned_on_the_local_day_not_the_utc_day() -> None:
    # 06:30 on Monday in Vietnam is still Sunday in UTC: the local Monday counts as the day received.
    received = vn(2026, 11, 30, 6, 30)
    assert received.astimezone(UTC).date() == date(2026, 11, 29)
    promised = promise_after(received, 1, CAL, VN, time(16, 0))
    assert promised.astimezone(VN) == vn(2026, 12, 1, 16, 0)
    assert promised.tzinfo == UTC


def test_without_a_due_time_the_promise_keeps_the_time_received() -> None:
    promised = promise_after(vn(2026, 11, 27, 14, 25, 41), 3, CAL, VN, None)
    assert promised.astimezone(VN) == vn(2026, 12, 2, 14, 25)


def test_a_same_day_promise_after_the_due_time_moves_to_the_next_working_day() -> None:
    assert promise_after(vn(2026, 11, 27, 9), 0, CAL, VN, time(16, 0)).astimezone(VN) == vn(2026, 11, 27, 16)
    assert promise_after(vn(2026, 11, 27, 16, 30), 0, CAL, VN, time(16, 0)).astimezone(VN) == vn(2026, 11, 30, 16)
