"""The ticket's day is the centre's local day, whatever the machine's own zone (never UTC, never TZ)."""
from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lobby import queue
from lobby.clock import local_day
from lobby.config import CentreConfig
from lobby.store.engine import Store

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(params=["UTC", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Ho_Chi_Minh"])
def machine_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test as if the machine's clock were set to another zone."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def _issue(store: Store, cfg: CentreConfig, when: datetime) -> queue.TicketInfo:
    with store.session() as s:
        return queue.issue_ticket(s, cfg, "DKKD", now=when)


def test_local_midnight_starts_a_new_day(store: Store, cfg: CentreConfig, machine_zone: str) -> None:
    late = _issue(store, cfg, datetime(2026, 3, 2, 23, 59, tzinfo=HCM))
    # the same instant written in UTC: 16:59 UTC on the 2nd; and 00:01 local is 17:01 UTC, still the 2nd in UTC
    early = _issue(store, cfg, datetime(2026, 3, 2, 17, 1, tzinfo=UTC))
    assert (late.day, late.number) == (date(2026, 3, 2), "A001")
    assert (early.day, early.number) == (date(2026, 3, 3), "A001")
    with store.session() as s:
        assert [t.number for t in queue.list_tickets(s, cfg, day=date(2026, 3, 2))] == ["A001"]
        assert queue.waiting_counts(s, cfg, now=datetime(2026, 3, 3, 8, 0, tzinfo=HCM))["DKKD"] == 1


def test_utc_midnight_is_not_a_new_day(store: Store, cfg: CentreConfig, machine_zone: str) -> None:
    # 06:59 and 07:01 in Viet Nam are either side of midnight UTC: still one local day, one sequence
    a = _issue(store, cfg, datetime(2026, 3, 2, 23, 59, tzinfo=UTC))
    b = _issue(store, cfg, datetime(2026, 3, 3, 0, 1, tzinfo=UTC))
    assert (a.day, a.number, b.day, b.number) == (date(2026, 3, 3), "A001", date(2026, 3, 3), "A002")


def test_call_next_calls_only_todays_tickets(store: Store, cfg: CentreConfig, machine_zone: str) -> None:
    _issue(store, cfg, datetime(2026, 3, 2, 23, 59, tzinfo=HCM))
    with store.session() as s:
        assert queue.call_next(s, cfg, 1, now=datetime(2026, 3, 3, 0, 1, tzinfo=HCM)) is None
    with store.session() as s:
        assert queue.call_next(s, cfg, 1, now=datetime(2026, 3, 2, 23, 59, 30, tzinfo=HCM)) is not None


def test_another_centre_zone_is_honoured(store: Store, cfg: CentreConfig) -> None:
    # a centre configured in UTC-10 (odd, but the code must follow the config, not the machine)
    hawaii = cfg.model_copy(update={"centre": cfg.centre.model_copy(update={"timezone": "Pacific/Honolulu"})})
    t = _issue(store, hawaii, datetime(2026, 3, 3, 9, 0, tzinfo=UTC))  # 23:00 on the 2nd in Honolulu
    assert t.day == date(2026, 3, 2)


def test_naive_datetimes_are_refused(cfg: CentreConfig) -> None:
    with pytest.raises(ValueError):
        local_day(datetime(2026, 3, 2, 23, 59), HCM)
    assert local_day(datetime(2026, 3, 2, 23, 59, tzinfo=HCM) + timedelta(minutes=2), HCM) == date(2026, 3, 3)


def test_close_day_is_refused_during_opening_hours(store) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from lobby import queue
    from lobby.errors import DayStillOpen
    from support import demo_config

    cfg = demo_config(enforce_hours=True)
    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    morning = datetime(2026, 11, 27, 9, 0, tzinfo=hcm)  # a Friday
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DKKD", now=morning)
    with store.session() as s, pytest.raises(DayStillOpen) as err:
        queue.close_day(s, cfg, now=morning)
    assert "17:00" in err.value.message("en") and "--force" in err.value.message("en")
    with store.session() as s:
        assert queue.list_tickets(s, cfg, morning.date())[0].status == "waiting"
    evening = datetime(2026, 11, 27, 18, 0, tzinfo=hcm)
    with store.session() as s:
        assert queue.close_day(s, cfg, now=evening) == 1
    with store.session() as s:
        assert queue.close_day(s, cfg, now=morning, force=True) == 0
